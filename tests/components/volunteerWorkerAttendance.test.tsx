import { render, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import type { RequestOf } from '../../types/api';
import { resetSession } from '../../miniprogram/src/store/session';
import AttendancePage from '../../miniprogram/src/packages/worker/attendance';
import { HOUR, START, detail } from './fixtures';
import { setRouterParams } from './__mocks__/taro';
import { callsTo, setHandlers } from './mockApi';
import { attendanceRow, byId, emit, findById, tap } from './volunteerWorkerFixtures';
import type * as MockApi from './mockApi';

jest.mock('../../miniprogram/src/api/client', () =>
  jest.requireActual<typeof MockApi>('./mockApi').clientModule(),
);

beforeEach(() => {
  resetSession();
  setRouterParams({ id: 'a1' });
});

describe('签到记录', () => {
  test('shows totals and rows, and grants honorary hours in 0.5 h steps with a reason', async () => {
    setHandlers({
      'activity.detail': () => detail({ title: '敬老助餐', startAt: START, endAt: START + 3 * HOUR }),
      'volunteer.attendance': () => ({
        items: [
          attendanceRow(),
          attendanceRow({
            openid: 'v2',
            nickName: '老王',
            realName: undefined,
            checkInAt: START,
            checkOutAt: undefined,
            recordedHours: 0,
            grantedHours: 1,
            pointsAwarded: 0,
          }),
        ],
        total: 2,
      }),
      'volunteer.grantHours': (d: RequestOf<'volunteer', 'grantHours'>) =>
        attendanceRow({ openid: d.openid, grantedHours: d.hours }),
    });
    render(<AttendancePage />);
    const row = await findById('attendance-v1');
    expect(callsTo('volunteer', 'attendance')[0]).toEqual({ activityId: 'a1', pageSize: 50 });
    expect(row).toHaveTextContent('李志强（小李）');
    expect(byId('attendance-v1-recorded')).toHaveTextContent('2 小时');
    expect(byId('attendance-v2-out')).toHaveTextContent('未签退');
    expect(byId('total-people')).toHaveTextContent('2');
    expect(byId('total-checked-in')).toHaveTextContent('2');
    expect(byId('total-checked-out')).toHaveTextContent('1');
    expect(byId('total-recorded')).toHaveTextContent('2');
    expect(byId('total-granted')).toHaveTextContent('1');

    await tap('grant-v1');
    expect(byId('grant-hours')).toHaveTextContent('1 小时');
    await tap('grant-plus');
    await tap('grant-plus');
    await tap('grant-minus');
    expect(byId('grant-hours')).toHaveTextContent('1.5 小时');
    expect(byId('grant-hint')).toHaveTextContent('不超过活动时长 3 小时');

    await tap('grant-submit');
    expect(byId('action-dialog-error')).toHaveTextContent('请填写授予理由');
    expect(callsTo('volunteer', 'grantHours')).toHaveLength(0);

    await emit('action-text', ' 活动前协助布置场地 ');
    await tap('grant-submit');
    await waitFor(() =>
      expect(callsTo('volunteer', 'grantHours')).toEqual([
        { activityId: 'a1', openid: 'v1', hours: 1.5, reason: '活动前协助布置场地' },
      ]),
    );
    await waitFor(() => expect(byId('grant-submit')).toBeNull());
    expect(byId('attendance-v1-granted')).toHaveTextContent('1.5 小时');
    expect(byId('total-granted')).toHaveTextContent('2.5');
  });

  test('the server’s cap message stays in the dialog', async () => {
    const { ApiCallError } = jest.requireActual('../../miniprogram/src/api/errors');
    setHandlers({
      'activity.detail': () => detail(),
      'volunteer.attendance': () => ({ items: [attendanceRow({ grantedHours: 1.5 })], total: 1 }),
      'volunteer.grantHours': () => {
        throw new ApiCallError({
          code: 'CONFLICT',
          message: '授予时长合计不得超过活动时长 2 小时（已授予 1.5 小时）',
        });
      },
    });
    render(<AttendancePage />);
    await tap((await findById('grant-v1')).id);
    expect(byId('grant-hint')).toHaveTextContent('已授予 1.5 小时');
    await emit('action-text', '协助布置场地');
    await tap('grant-submit');
    await waitFor(() =>
      expect(byId('action-dialog-error')).toHaveTextContent(
        '授予时长合计不得超过活动时长 2 小时（已授予 1.5 小时）',
      ),
    );
    expect(byId('attendance-v1-granted')).toHaveTextContent('1.5 小时');

    await tap('attendance-code');
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/worker/checkin-code?id=a1' });
  });
});
