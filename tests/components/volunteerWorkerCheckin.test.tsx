import { act, render, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { resetSession } from '../../miniprogram/src/store/session';
import CheckInCodePage from '../../miniprogram/src/packages/worker/checkin-code';
import { detail } from './fixtures';
import { setRouterParams, triggerDidShow } from './__mocks__/taro';
import { callsTo, setHandlers } from './mockApi';
import { byId, codeView, findById, tap } from './volunteerWorkerFixtures';
import type * as MockApi from './mockApi';

jest.mock('../../miniprogram/src/api/client', () =>
  jest.requireActual<typeof MockApi>('./mockApi').clientModule(),
);

const T0 = Date.UTC(2030, 10, 23, 5, 59, 30);

beforeEach(() => {
  resetSession();
  setRouterParams({ id: 'a1' });
});

afterEach(() => {
  jest.useRealTimers();
});

describe('签到码', () => {
  test('a GPS session says no code is needed', async () => {
    setHandlers({
      'volunteer.checkInCode': () => codeView({ method: 'gps' }),
      'activity.detail': () => detail(),
    });
    render(<CheckInCodePage />);
    expect(await findById('checkin-gps-note')).toHaveTextContent('无需扫码或签到码');
    expect(byId('checkin-code')).toBeNull();
    await tap('checkin-attendance');
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/worker/attendance?id=a1' });
  });

  test('a refused request shows the server’s message with a retry', async () => {
    const { ApiCallError } = jest.requireActual('../../miniprogram/src/api/errors');
    setHandlers({
      'volunteer.checkInCode': () => {
        throw new ApiCallError({ code: 'FORBIDDEN', message: '只有本场服务的组织者可以出示签到码' });
      },
      'activity.detail': () => detail(),
    });
    render(<CheckInCodePage />);
    expect(await findById('error-state')).toHaveTextContent('只有本场服务的组织者可以出示签到码');
  });

  test('a session set to 签到码 shows the code but no QR (scans are refused there)', async () => {
    setHandlers({
      'volunteer.checkInCode': () => codeView({ method: 'code', code: '246810' }),
      'activity.detail': () => detail({ title: '垃圾分类宣传 · 督导员' }),
    });
    render(<CheckInCodePage />);
    expect(await findById('checkin-code')).toHaveTextContent('246810');
    expect(document.querySelector('[data-qr]')).toBeNull();
  });

  // Last: fake timers leave Stencil's scheduler unusable for inputs in later tests of this file.
  test('shows the QR and the 6-digit code, counts down, and fetches the next code when the window ends', async () => {
    jest.useFakeTimers({ now: T0 });
    let n = 0;
    setHandlers({
      'volunteer.checkInCode': () => {
        n += 1;
        // Windows end on whole minutes: the first one 30 s from now.
        return codeView({
          method: 'qr',
          code: n === 1 ? '123456' : n === 2 ? '654321' : '111222',
          qr: `tongxin:checkin:a1:q${n}`,
          validUntil: T0 + 30_000 + (n - 1) * 60_000,
        });
      },
      'activity.detail': () => detail({ title: '敬老助餐 · 送餐员' }),
    });
    render(<CheckInCodePage />);
    const code = await findById('checkin-code');
    expect(code).toHaveTextContent('123456');
    expect(code).toHaveAttribute('data-testid', 'checkin-code');
    expect(code).toHaveAttribute('aria-label', '签到码 1 2 3 4 5 6');
    expect(document.querySelector('[data-qr="tongxin:checkin:a1:q1"]')).not.toBeNull();
    expect(callsTo('volunteer', 'checkInCode')).toEqual([{ activityId: 'a1' }]);
    await waitFor(() => expect(byId('checkin-code-page')).toHaveTextContent('敬老助餐 · 送餐员'));
    expect(byId('checkin-countdown')).toHaveTextContent('30 秒后自动更换');

    await act(async () => {
      jest.advanceTimersByTime(10_000);
    });
    expect(byId('checkin-countdown')).toHaveTextContent('20 秒后自动更换');
    expect(callsTo('volunteer', 'checkInCode')).toHaveLength(1);

    // The window ends: the next code replaces it without a tap (fetched just after the end).
    await act(async () => {
      jest.advanceTimersByTime(20_000);
    });
    expect(callsTo('volunteer', 'checkInCode')).toHaveLength(1);
    await act(async () => {
      jest.advanceTimersByTime(300);
    });
    await waitFor(() => expect(byId('checkin-code')).toHaveTextContent('654321'));
    expect(callsTo('volunteer', 'checkInCode')).toHaveLength(2);
    expect(document.querySelector('[data-qr="tongxin:checkin:a1:q2"]')).not.toBeNull();
    expect(byId('checkin-countdown')).toHaveTextContent('60 秒后自动更换');

    // Coming back to the page fetches a fresh one too.
    await act(async () => {
      triggerDidShow();
    });
    await waitFor(() => expect(byId('checkin-code')).toHaveTextContent('111222'));
    expect(callsTo('volunteer', 'checkInCode')).toHaveLength(3);
  });

  test('a device clock that is off neither stops the countdown nor refreshes in a loop', async () => {
    jest.useFakeTimers({ now: T0 + 5 * 60_000 });
    setHandlers({
      // The server's window ends 30 s after T0; this device is 5 minutes ahead.
      'volunteer.checkInCode': () => codeView({ validUntil: T0 + 30_000 }),
      'activity.detail': () => detail(),
    });
    render(<CheckInCodePage />);
    await findById('checkin-code');
    expect(byId('checkin-countdown')).toHaveTextContent('30 秒后自动更换');
    await act(async () => {
      jest.advanceTimersByTime(5_000);
    });
    expect(callsTo('volunteer', 'checkInCode')).toHaveLength(1);
    expect(byId('checkin-countdown')).toHaveTextContent('25 秒后自动更换');
  });
});
