import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { detail } from './fixtures';
import { callsTo, setHandlers } from './mockApi';
import { setRouterParams } from './__mocks__/taro';
import ActivityDetailPage from '../../miniprogram/src/pages/activity/detail';
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

beforeEach(() => setRouterParams({ id: 'a1' }));

test('shows key facts first and signs up, then offers 取消报名', async () => {
  let signedUp = false;
  setHandlers({
    'activity.detail': () =>
      signedUp
        ? detail({
            mySignUp: 'confirmed',
            confirmedCount: 6,
            canSignUp: { ok: false, reason: '你已报名' },
            canCancel: { ok: true },
          })
        : detail(),
    'activity.signUp': () => {
      signedUp = true;
      return { status: 'confirmed', confirmedCount: 6, alreadySignedUp: false };
    },
  });
  render(<ActivityDetailPage />);
  const btn = await findById('signup-btn');
  expect(btn).toHaveTextContent('立即报名');
  expect(byId('fact-time')).toHaveTextContent('11月23日 周六 14:00–16:00');
  expect(byId('fact-place')).toHaveTextContent('幸福里党群服务中心');
  expect(byId('fact-places')).toHaveTextContent('剩余 15 个名额');
  expect(byId('fact-cancel-policy')).toHaveTextContent('活动开始前可取消');
  expect(byId('detail-phase')).toHaveTextContent('报名中');
  expect(byId('manage-panel')).toBeNull();

  await act(async () => {
    fireEvent.click(btn);
  });
  await waitFor(() => expect(byId('signup-btn')).toHaveTextContent('取消报名'));
  expect(callsTo('activity', 'signUp')).toEqual([{ activityId: 'a1' }]);
  expect(byId('signup-result')).toHaveTextContent('已报名');
  expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '报名成功' }));
});

test('a full activity offers 加入候补 and shows the waitlist position', async () => {
  let waiting = false;
  const full = { phase: 'full' as const, capacity: 5, confirmedCount: 5, waitlistCount: 2 };
  setHandlers({
    'activity.detail': () =>
      waiting
        ? detail({
            ...full,
            waitlistCount: 3,
            mySignUp: 'waitlisted',
            myWaitlistPosition: 3,
            canSignUp: { ok: false },
            canCancel: { ok: true },
          })
        : detail(full),
    'activity.signUp': () => {
      waiting = true;
      return { status: 'waitlisted', waitlistPosition: 3, confirmedCount: 5, alreadySignedUp: false };
    },
  });
  render(<ActivityDetailPage />);
  const btn = await findById('signup-btn');
  expect(btn).toHaveTextContent('加入候补');
  expect(byId('signup-hint')).toHaveTextContent('报名人数已满，可加入候补');
  await act(async () => {
    fireEvent.click(btn);
  });
  await waitFor(() => expect(byId('signup-result')).toHaveTextContent('候补第 3 位'));
  expect(callsTo('activity', 'signUp')).toHaveLength(1);
});

test('cancelling asks for confirmation first', async () => {
  setHandlers({
    'activity.detail': () =>
      detail({
        mySignUp: 'confirmed',
        canSignUp: { ok: false, reason: '你已报名' },
        canCancel: { ok: true },
      }),
    'activity.cancelSignUp': () => ({ status: 'cancelled' }),
  });
  render(<ActivityDetailPage />);
  const btn = await findById('signup-btn');
  expect(btn).toHaveTextContent('取消报名');
  fireEvent.click(btn);
  await screen.findByText('取消后名额会让给候补的居民，确定取消吗？');
  expect(callsTo('activity', 'cancelSignUp')).toHaveLength(0);
  await act(async () => {
    fireEvent.click(screen.getByText('确定取消'));
  });
  await waitFor(() => expect(callsTo('activity', 'cancelSignUp')).toEqual([{ activityId: 'a1' }]));
});

test('a disabled button explains why, and workers see the management actions', async () => {
  setHandlers({
    'activity.detail': () => detail({ canSignUp: { ok: false, reason: '仅限党员报名' }, canManage: true }),
  });
  render(<ActivityDetailPage />);
  const btn = await findById('signup-btn');
  expect(btn).toHaveTextContent('仅限党员报名');
  expect(byId('manage-edit')).toHaveTextContent('编辑');
  expect(byId('manage-cancel')).toHaveTextContent('取消活动');
  fireEvent.click(byId('manage-participants')!);
  expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/worker/participants?id=a1' });
});
