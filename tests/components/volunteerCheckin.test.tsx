import { render, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import type { RequestOf } from '../../types/api';
import type { AttendanceView } from '../../types/volunteer';
import { ApiCallError } from '../../miniprogram/src/api/errors';
import CheckInPage from '../../miniprogram/src/packages/volunteer/checkin';
import ActivityDetailPage from '../../miniprogram/src/pages/activity/detail';
import { HOUR, detail } from './fixtures';
import { byId, findById, fire, tap } from './dom';
import { callsTo, setHandlers } from './mockApi';
import { attendance } from './volunteerFixtures';
import { setRouterParams } from './__mocks__/taro';
import type * as MockApi from './mockApi';

jest.mock('../../miniprogram/src/api/client', () =>
  jest.requireActual<typeof MockApi>('./mockApi').clientModule(),
);

/** A session running now: started an hour ago, ends in an hour. */
function liveActivity(over: Parameters<typeof detail>[0] = {}) {
  const now = Date.now();
  return detail({
    startAt: now - HOUR,
    endAt: now + HOUR,
    checkInMethod: 'code',
    phase: 'ongoing',
    mySignUp: 'confirmed',
    ...over,
  });
}

beforeEach(() => setRouterParams({ id: 'a1' }));

test('checks in with the 6-digit code, checks out, then shows the recorded hours and points', async () => {
  let att: AttendanceView = attendance();
  setHandlers({
    'activity.detail': () => liveActivity(),
    'volunteer.myAttendance': () => att,
    'volunteer.checkIn': () => {
      att = attendance({ checkInAt: Date.now() });
      return att;
    },
    'volunteer.checkOut': () => {
      att = { ...att, checkOutAt: Date.now(), recordedHours: 1.5, pointsAwarded: 2 };
      return att;
    },
  });
  render(<CheckInPage />);
  expect(await findById('checkin-method')).toHaveTextContent('签到码');
  // No scanner in H5: the code works everywhere.
  expect(byId('checkin-scan')).toBeNull();
  expect(byId('checkin-code-submit')).toHaveTextContent('确认签到');

  fire('checkin-code', 'input', '12a');
  await tap('checkin-code-submit');
  expect(byId('checkin-code-error')).toHaveTextContent('请输入 6 位签到码');
  expect(callsTo('volunteer', 'checkIn')).toHaveLength(0);

  fire('checkin-code', 'input', '123456');
  await tap('checkin-code-submit');
  await waitFor(() =>
    expect(callsTo('volunteer', 'checkIn')).toEqual([
      { activityId: 'a1', proof: { method: 'code', code: '123456' } },
    ]),
  );
  expect(await findById('checkin-in-at')).toBeInTheDocument();
  expect(byId('checkin-code-submit')).toHaveTextContent('确认签退');

  fire('checkin-code', 'input', '654321');
  await tap('checkin-code-submit');
  // Check-out is final: it asks first (the session ends in an hour, so it warns it is early).
  expect(await findById('confirm-dialog-text')).toHaveTextContent(
    /现在签退，时长按本场时间内签到到此刻计算，按半小时取整，最多计 \d+(\.\d)? 小时（本场时长）/,
  );
  expect(callsTo('volunteer', 'checkOut')).toHaveLength(0);
  await tap('confirm-dialog-ok');
  await waitFor(() =>
    expect(callsTo('volunteer', 'checkOut')).toEqual([
      { activityId: 'a1', proof: { method: 'code', code: '654321' } },
    ]),
  );
  expect(await findById('checkin-hours')).toHaveTextContent('1.5');
  expect(byId('checkin-points')).toHaveTextContent('+2');
  expect(byId('checkin-code-submit')).toBeNull();
  expect(byId('makeup')).toBeNull();
});

test('a wrong code shows the server message and nothing is recorded', async () => {
  setHandlers({
    'activity.detail': () => liveActivity(),
    'volunteer.myAttendance': () => attendance(),
    'volunteer.checkIn': () => {
      throw new ApiCallError({
        code: 'CONFLICT',
        message: '签到码不正确或已过期，请看现场屏幕上的最新签到码',
      });
    },
  });
  render(<CheckInPage />);
  fire((await findById('checkin-code')).id, 'input', '000000');
  await tap('checkin-code-submit');
  await waitFor(() =>
    expect(Taro.showToast).toHaveBeenCalledWith(
      expect.objectContaining({ title: '签到码不正确或已过期，请看现场屏幕上的最新签到码' }),
    ),
  );
  expect(byId('checkin-in-at')).toBeNull();
});

test('GPS check-in sends the position as proof', async () => {
  const t = Taro as unknown as { getLocation?: jest.Mock };
  t.getLocation = jest.fn(() => Promise.resolve({ latitude: 31.2001, longitude: 121.5002 }));
  setHandlers({
    'activity.detail': () => liveActivity({ checkInMethod: 'gps' }),
    'volunteer.myAttendance': () => attendance(),
    'volunteer.checkIn': () => attendance({ checkInAt: Date.now() }),
  });
  try {
    render(<CheckInPage />);
    expect(byId('checkin-code')).toBeNull();
    await tap((await findById('checkin-gps')).id);
    await waitFor(() =>
      expect(callsTo('volunteer', 'checkIn')).toEqual([
        { activityId: 'a1', proof: { method: 'gps', lat: 31.2001, lng: 121.5002 } },
      ]),
    );
  } finally {
    delete t.getLocation;
  }
});

test('a pending application cannot check in yet', async () => {
  setHandlers({
    'activity.detail': () => liveActivity({ mySignUp: 'pending' }),
    'volunteer.myAttendance': () => attendance({ signUpStatus: 'pending' }),
  });
  render(<CheckInPage />);
  expect(await findById('checkin-ineligible')).toHaveTextContent('审核通过后才能签到');
  expect(byId('checkin-code')).toBeNull();
});

test('补卡: asks for the times and a reason, then sends requestMakeup', async () => {
  const act0 = liveActivity();
  setHandlers({
    'activity.detail': () => act0,
    'volunteer.myAttendance': () => attendance({ checkInAt: act0.startAt }),
    'volunteer.requestMakeup': (d: RequestOf<'volunteer', 'requestMakeup'>) => ({
      _id: 'm1',
      openid: 'u1',
      communityId: 'c1',
      status: 'pending',
      createdAt: Date.now(),
      activityTitle: act0.title,
      ...d,
    }),
  });
  render(<CheckInPage />);
  await tap((await findById('makeup-open')).id);
  await tap('makeup-submit');
  expect(byId('makeup-reason-error')).toHaveTextContent('请写明漏签的原因');
  expect(callsTo('volunteer', 'requestMakeup')).toHaveLength(0);
  fire('makeup-reason', 'input', '手机没电忘记签退');
  await tap('makeup-submit');
  await waitFor(() => expect(callsTo('volunteer', 'requestMakeup')).toHaveLength(1));
  const req = callsTo('volunteer', 'requestMakeup')[0];
  expect(req).toMatchObject({ activityId: 'a1', reason: '手机没电忘记签退' });
  // Minutes of the session's start and end (the pickers work in whole minutes).
  expect(req.checkInAt).toBe(Math.floor(act0.startAt / 60_000) * 60_000);
  expect(req.checkOutAt).toBe(Math.floor(act0.endAt / 60_000) * 60_000);
  expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/volunteer/hours?tab=makeups' });
});

describe('activity detail', () => {
  test('a confirmed participant sees 签到 / 签退 while the check-in window is open', async () => {
    setHandlers({
      'activity.detail': () =>
        liveActivity({ canSignUp: { ok: false, reason: '你已报名' }, canCancel: { ok: false } }),
    });
    render(<ActivityDetailPage />);
    const btn = await findById('checkin-btn');
    expect(btn).toHaveTextContent('签到 / 签退');
    await tap('checkin-btn');
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/volunteer/checkin?id=a1' });
  });

  test('no check-in action outside the window', async () => {
    setHandlers({
      'activity.detail': () =>
        detail({ mySignUp: 'confirmed', canSignUp: { ok: false }, canCancel: { ok: true } }),
    });
    render(<ActivityDetailPage />);
    expect(await findById('signup-btn')).toHaveTextContent('取消报名');
    expect(byId('checkin-btn')).toBeNull();
  });

  test('pending and rejected applications are labelled', async () => {
    setHandlers({
      'activity.detail': () =>
        detail({ mySignUp: 'pending', canSignUp: { ok: false }, canCancel: { ok: true } }),
    });
    const { unmount } = render(<ActivityDetailPage />);
    expect(await findById('signup-review-status')).toHaveTextContent('待审核');
    expect(byId('signup-btn')).toHaveTextContent('撤回申请');
    unmount();

    setHandlers({
      'activity.detail': () =>
        detail({ mySignUp: 'rejected', canSignUp: { ok: false, reason: '未通过审核' } }),
    });
    render(<ActivityDetailPage />);
    expect(await findById('signup-review-status')).toHaveTextContent('未通过审核');
  });

  test('managers get 签到码 and 服务记录', async () => {
    setHandlers({ 'activity.detail': () => detail({ canManage: true }) });
    render(<ActivityDetailPage />);
    await tap((await findById('manage-checkin-code')).id);
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/worker/checkin-code?id=a1' });
    await tap('manage-attendance');
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/worker/attendance?id=a1' });
  });
});
