import { act, fireEvent, render, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import type { RequestOf } from '../../types/api';
import { detail } from './fixtures';
import { callsTo, setHandlers } from './mockApi';
import { setRouterParams } from './__mocks__/taro';
import ActivityDetailPage from '../../miniprogram/src/pages/activity/detail';
import type * as MockApi from './mockApi';

jest.mock('../../miniprogram/src/api/client', () =>
  jest.requireActual<typeof MockApi>('./mockApi').clientModule(),
);

const byId = (id: string) => document.getElementById(id);
const ask = Taro.requestSubscribeMessage as unknown as jest.Mock;

async function findById(id: string): Promise<HTMLElement> {
  return waitFor(() => {
    const el = byId(id);
    if (!el) throw new Error(`#${id} not rendered`);
    return el;
  });
}

const TEMPLATES = {
  templates: [
    { kind: 'activityReminder', templateId: 'tmpl-remind', label: '活动提醒' },
    { kind: 'waitlistPromoted', templateId: 'tmpl-promoted', label: '候补转正' },
    { kind: 'activityChanged', templateId: 'tmpl-changed', label: '活动变更' },
  ],
};
const IDS = ['tmpl-remind', 'tmpl-promoted', 'tmpl-changed'];

/** The order of the interesting steps across Taro and the API. */
let steps: string[] = [];
let signedUp = false;

function handlers(extra: Record<string, (data: never) => unknown> = {}) {
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
    'notify.templates': () => TEMPLATES,
    'notify.subscribe': () => {
      steps.push('subscribe');
      return { quotas: [] };
    },
    'activity.signUp': () => {
      steps.push('signUp');
      signedUp = true;
      return { status: 'confirmed', confirmedCount: 6, alreadySignedUp: false };
    },
    ...extra,
  });
}

/** Renders the detail page, waits for the prefetched templates, taps 立即报名. */
async function renderAndSignUp(): Promise<void> {
  render(<ActivityDetailPage />);
  const btn = await findById('signup-btn');
  expect(btn).toHaveTextContent('立即报名');
  await waitFor(() => expect(callsTo('notify', 'templates')).toEqual([{ scene: 'activitySignUp' }]));
  await act(async () => {
    await Promise.resolve();
  });
  await act(async () => {
    fireEvent.click(btn);
  });
  await waitFor(() => expect(byId('signup-btn')).toHaveTextContent('取消报名'));
}

describe('in WeChat (weapp)', () => {
  const env = process.env.TARO_ENV;
  let warn: jest.SpyInstance;
  beforeEach(() => {
    process.env.TARO_ENV = 'weapp';
    setRouterParams({ id: 'a1' });
    steps = [];
    signedUp = false;
    warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    ask.mockImplementation((opts: { tmplIds: string[] }) => {
      steps.push('ask');
      return Promise.resolve({
        errMsg: 'requestSubscribeMessage:ok',
        'tmpl-remind': 'accept',
        'tmpl-promoted': 'reject',
        'tmpl-changed': opts.tmplIds.includes('tmpl-changed') ? 'accept' : 'ban',
      });
    });
  });
  afterEach(() => {
    process.env.TARO_ENV = env;
    warn.mockRestore();
    ask.mockReset();
  });

  test('asks to subscribe with the prefetched ids before signing up and reports the answers', async () => {
    handlers();
    await renderAndSignUp();
    expect(ask).toHaveBeenCalledTimes(1);
    expect(ask.mock.calls[0][0]).toMatchObject({ tmplIds: IDS });
    expect(steps.indexOf('ask')).toBe(0);
    expect(steps).toContain('signUp');
    await waitFor(() =>
      expect(callsTo('notify', 'subscribe')).toEqual<RequestOf<'notify', 'subscribe'>[]>([
        {
          scene: 'activitySignUp',
          results: { 'tmpl-remind': 'accept', 'tmpl-promoted': 'reject', 'tmpl-changed': 'accept' },
        },
      ]),
    );
    expect(callsTo('activity', 'signUp')).toEqual([{ activityId: 'a1' }]);
  });

  test('still signs up when the user rejects everything', async () => {
    ask.mockImplementation(() => {
      steps.push('ask');
      return Promise.resolve(Object.fromEntries(IDS.map((id) => [id, 'reject'])));
    });
    handlers();
    await renderAndSignUp();
    expect(steps[0]).toBe('ask');
    expect(callsTo('activity', 'signUp')).toHaveLength(1);
    await waitFor(() =>
      expect(callsTo('notify', 'subscribe')).toEqual([
        {
          scene: 'activitySignUp',
          results: { 'tmpl-remind': 'reject', 'tmpl-promoted': 'reject', 'tmpl-changed': 'reject' },
        },
      ]),
    );
  });

  test('still signs up when requestSubscribeMessage throws or fails', async () => {
    ask.mockImplementation(() => {
      steps.push('ask');
      throw new Error('requestSubscribeMessage:fail not supported');
    });
    handlers();
    await renderAndSignUp();
    expect(steps).toEqual(['ask', 'signUp']);
    expect(callsTo('notify', 'subscribe')).toHaveLength(0);
    expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '报名成功' }));
  });

  test('still signs up when the dialog is refused (rejected promise)', async () => {
    ask.mockImplementation(() => {
      steps.push('ask');
      return Promise.reject({ errCode: 20004, errMsg: 'requestSubscribeMessage:fail main switch off' });
    });
    handlers();
    await renderAndSignUp();
    expect(steps).toEqual(['ask', 'signUp']);
    expect(callsTo('notify', 'subscribe')).toHaveLength(0);
  });

  test('a failing notify.subscribe does not stop the sign-up', async () => {
    handlers({
      'notify.subscribe': () => {
        throw new Error('boom');
      },
    });
    await renderAndSignUp();
    expect(callsTo('activity', 'signUp')).toHaveLength(1);
    expect(byId('signup-result')).toHaveTextContent('已报名');
  });

  test('no templates to ask about: signs up without the dialog', async () => {
    handlers({ 'notify.templates': () => ({ templates: [] }) });
    await renderAndSignUp();
    expect(ask).not.toHaveBeenCalled();
    expect(callsTo('activity', 'signUp')).toHaveLength(1);
  });
});

test('in H5 there is no subscribe dialog and no template prefetch', async () => {
  setRouterParams({ id: 'a1' });
  steps = [];
  signedUp = false;
  handlers();
  render(<ActivityDetailPage />);
  const btn = await findById('signup-btn');
  await act(async () => {
    fireEvent.click(btn);
  });
  await waitFor(() => expect(byId('signup-btn')).toHaveTextContent('取消报名'));
  expect(ask).not.toHaveBeenCalled();
  expect(callsTo('notify', 'templates')).toHaveLength(0);
  expect(steps).toEqual(['signUp']);
});
