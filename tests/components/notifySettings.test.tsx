import { act, fireEvent, render, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import type { NotifyPreference, RequestOf } from '../../types/api';
import { meView } from './fixtures';
import { callsTo, setHandlers } from './mockApi';
import NotifySettingsPage from '../../miniprogram/src/packages/settings/notify';
import MePage from '../../miniprogram/src/pages/me/index';
import { resetSession } from '../../miniprogram/src/store/session';
import type * as MockApi from './mockApi';

jest.mock('../../miniprogram/src/api/client', () =>
  jest.requireActual<typeof MockApi>('./mockApi').clientModule(),
);

const byId = (id: string) => document.getElementById(id);

async function findById(id: string): Promise<HTMLElement> {
  return waitFor(() => {
    const el = byId(id);
    if (!el) throw new Error(`#${id} not rendered`);
    return el;
  });
}

function prefs(): NotifyPreference[] {
  return [
    {
      kind: 'activityReminder',
      label: '活动开始提醒',
      description: '活动开始前 2 小时提醒你',
      ask: true,
      quota: 2,
    },
    {
      kind: 'waitlistPromoted',
      label: '候补转正通知',
      description: '有人取消、你从候补转为报名成功时通知你',
      ask: true,
      quota: 0,
    },
    {
      kind: 'activityChanged',
      label: '活动变更通知',
      description: '活动时间、地点变更或取消时通知你',
      ask: false,
      quota: 1,
    },
  ];
}

test('shows each kind with its quota and an accessible switch; toggling saves the preference', async () => {
  let current = prefs();
  setHandlers({
    'notify.preferences': () => ({ items: current }),
    'notify.setPreference': (d: RequestOf<'notify', 'setPreference'>) => {
      current = current.map((p) => (p.kind === d.kind ? { ...p, ask: d.ask } : p));
      return { items: current };
    },
  });
  render(<NotifySettingsPage />);
  const sw = await findById('pref-activityReminder-switch');
  expect(byId('notify-settings-page')).toHaveTextContent('活动开始提醒');
  expect(byId('notify-settings-page')).toHaveTextContent('活动开始前 2 小时提醒你');
  expect(byId('pref-activityReminder-quota')).toHaveTextContent('还可接收 2 条微信通知');
  expect(byId('pref-waitlistPromoted-quota')).toHaveTextContent('还可接收 0 条微信通知');
  expect(sw).toHaveAttribute('role', 'switch');
  expect(sw).toHaveAttribute('aria-checked', 'true');
  expect(sw).toHaveAttribute('aria-label', '活动开始提醒：报名时询问我');
  expect(byId('pref-activityChanged-switch')).toHaveAttribute('aria-checked', 'false');

  await act(async () => {
    fireEvent.click(sw);
  });
  expect(callsTo('notify', 'setPreference')).toEqual([{ kind: 'activityReminder', ask: false }]);
  await waitFor(() => expect(byId('pref-activityReminder-switch')).toHaveAttribute('aria-checked', 'false'));

  await act(async () => {
    fireEvent.click(byId('pref-activityChanged-switch')!);
  });
  expect(callsTo('notify', 'setPreference')).toEqual([
    { kind: 'activityReminder', ask: false },
    { kind: 'activityChanged', ask: true },
  ]);
  await waitFor(() => expect(byId('pref-activityChanged-switch')).toHaveAttribute('aria-checked', 'true'));
});

test('a failed save puts the switch back and says why', async () => {
  setHandlers({
    'notify.preferences': () => ({ items: prefs() }),
    'notify.setPreference': () => {
      throw new Error('offline');
    },
  });
  render(<NotifySettingsPage />);
  const sw = await findById('pref-activityReminder-switch');
  await act(async () => {
    fireEvent.click(sw);
  });
  expect(callsTo('notify', 'setPreference')).toEqual([{ kind: 'activityReminder', ask: false }]);
  await waitFor(() => expect(byId('pref-activityReminder-switch')).toHaveAttribute('aria-checked', 'true'));
  expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '网络不稳定，请重试' }));
});

test('我的 has a 消息设置 entry', async () => {
  resetSession();
  setHandlers({ 'user.me': () => meView() });
  render(<MePage />);
  const entry = await findById('entry-notify-settings');
  expect(entry).toHaveTextContent('消息设置');
  fireEvent.click(entry);
  expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/settings/notify' });
  // Not in demo mode (no server here): no developer entry.
  expect(byId('entry-dev-outbox')).toBeNull();
});
