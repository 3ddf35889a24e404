/**
 * Party organisation life pages (packages/branch): 我的支部 lists meetings with my standing,
 * 会议详情 checks in by code and asks leave, 会议管理 shows the code, approves leave and closes,
 * 组织生活 shows every branch's compliance, 党员责任区 sends a message to the area's member.
 */
import { act, fireEvent, render, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import MyBranch from '../../miniprogram/src/packages/branch/index';
import MeetingPage from '../../miniprogram/src/packages/branch/meeting';
import ManagePage from '../../miniprogram/src/packages/branch/manage';
import CompliancePage from '../../miniprogram/src/packages/branch/compliance';
import AreaPage from '../../miniprogram/src/packages/branch/area';
import { resetSession } from '../../miniprogram/src/store/session';
import { areaFor } from '../../miniprogram/src/utils/area-route';
import type { BranchCompliance, MeetingDetail, MeetingSummary } from '../../types/branch';
import { meView } from './fixtures';
import { setRouterParams } from './__mocks__/taro';
import { callsTo, setHandlers } from './mockApi';
import type * as MockApi from './mockApi';

jest.mock('../../miniprogram/src/api/client', () =>
  jest.requireActual<typeof MockApi>('./mockApi').clientModule(),
);

const byId = (id: string) => document.getElementById(id);
const findById = (id: string) =>
  waitFor(() => {
    const el = byId(id);
    if (!el) throw new Error(`#${id} not rendered`);
    return el;
  });
async function tap(id: string) {
  await act(async () => {
    fireEvent.click(byId(id)!);
  });
}
function emit(id: string, value: string) {
  act(() => {
    byId(id)!.dispatchEvent(new CustomEvent('input', { detail: { value }, bubbles: true }));
  });
}

const HOUR = 3600_000;
const START = Date.now() + 24 * HOUR;

const summary = (over: Partial<MeetingSummary> = {}): MeetingSummary => ({
  _id: 'm1',
  kind: 'themeDay',
  kindName: '主题党日',
  title: '11月主题党日',
  place: '党群服务中心',
  startAt: START,
  endAt: START + 2 * HOUR,
  status: 'scheduled',
  hasMinutes: false,
  mine: 'expected',
  ...over,
});

const detail = (over: Partial<MeetingDetail> = {}): MeetingDetail => ({
  ...summary(),
  branchId: 'b1',
  branchName: '第一党支部',
  agenda: ['收缴党费', '集中学习'],
  audience: 'all',
  expectedCount: 3,
  isSecretary: false,
  ...over,
});

beforeEach(() => {
  resetSession();
  setRouterParams({ id: 'm1' });
  (Taro.showToast as jest.Mock | undefined)?.mockClear?.();
});

describe('我的支部', () => {
  test('shows the branch, upcoming and past meetings with my standing; secretary gets the workbench', async () => {
    setHandlers({
      'branch.myBranch': () => ({
        branch: {
          _id: 'b1',
          communityId: 'c1',
          name: '第一党支部',
          secretary: 'u1',
          committee: [],
          memberCount: 3,
          remindedFor: '',
          createdAt: 0,
          updatedAt: 0,
          secretaryName: '李建国',
          myRole: 'secretary',
        },
        meetings: [
          summary(),
          summary({
            _id: 'm0',
            status: 'closed',
            mine: 'absent',
            tally: { expected: 3, present: 1, leave: 1, absent: 1 },
          }),
        ],
      }),
    });
    render(<MyBranch />);
    expect(await findById('meeting-m1')).toHaveTextContent('主题党日 · 11月主题党日');
    expect(byId('meeting-m1')).toHaveTextContent('应到');
    expect(byId('meeting-m0')).toHaveTextContent('缺席');
    expect(byId('meeting-m0')).toHaveTextContent('实到 1');
    expect(byId('branch-secretary')).not.toBeNull();
  });

  test('a member without a branch is told what to do', async () => {
    setHandlers({ 'branch.myBranch': () => ({ branch: null, meetings: [] }) });
    render(<MyBranch />);
    expect(await findById('branch-empty')).toHaveTextContent('你还没有加入支部');
  });
});

describe('会议详情', () => {
  test('check in by the 6-digit code (checked before sending)', async () => {
    let checked = false;
    setHandlers({
      'branch.meeting': () => detail({ mine: checked ? 'present' : 'expected' }),
      'branch.checkIn': () => {
        checked = true;
        return { status: 'present' };
      },
    });
    render(<MeetingPage />);
    await findById('meeting-code');
    emit('meeting-code', '12');
    await tap('meeting-checkin-submit');
    expect(byId('meeting-code-error')).toHaveTextContent('请输入 6 位签到码');
    expect(callsTo('branch', 'checkIn')).toHaveLength(0);
    emit('meeting-code', '123456');
    await tap('meeting-checkin-submit');
    expect(callsTo('branch', 'checkIn')).toEqual([{ meetingId: 'm1', code: '123456' }]);
    await waitFor(() => expect(byId('meeting-mine')).toHaveTextContent('已签到'));
    expect(byId('meeting-checkin')).toBeNull();
  });

  test('ask leave with a reason', async () => {
    setHandlers({
      'branch.meeting': () => detail(),
      'branch.requestLeave': () => ({ status: 'leavePending' }),
    });
    render(<MeetingPage />);
    await tap((await findById('meeting-leave-open')).id);
    await tap('meeting-leave-submit');
    expect(byId('meeting-leave-reason-error')).toHaveTextContent('请填写请假理由');
    emit('meeting-leave-reason', '外出务工');
    await tap('meeting-leave-submit');
    expect(callsTo('branch', 'requestLeave')).toEqual([{ meetingId: 'm1', reason: '外出务工' }]);
  });

  test('minutes are shown to the branch', async () => {
    setHandlers({
      'branch.meeting': () =>
        detail({
          status: 'closed',
          mine: 'present',
          minutes: {
            text: '学习党章第三章。',
            resolutions: ['下月敬老助餐'],
            writtenAt: START,
            photoUrls: [],
          },
        }),
    });
    render(<MeetingPage />);
    expect(await findById('meeting-minutes')).toHaveTextContent('学习党章第三章。');
    expect(byId('meeting-minutes')).toHaveTextContent('下月敬老助餐');
    expect(byId('meeting-leave')).toBeNull();
  });
});

describe('会议管理', () => {
  test('shows the code, approves a leave request and marks attendance', async () => {
    setHandlers({
      'branch.meeting': () =>
        detail({
          isSecretary: true,
          rows: [
            { openid: 'p1', name: '党员一', status: 'leavePending', leaveReason: '出差' },
            { openid: 'p2', name: '党员二', status: 'expected' },
            { openid: 'p3', name: '党员三', status: 'present', via: 'code' },
          ],
        }),
      'branch.checkInCode': () => ({
        meetingId: 'm1',
        code: '482913',
        validUntil: Date.now() + 60_000,
        windowMs: 60_000,
      }),
      'branch.decideLeave': () => ({ openid: 'p1', name: '', status: 'leaveApproved' }),
      'branch.markAttendance': () => ({ openid: 'p2', name: '党员二', status: 'present' }),
    });
    render(<ManagePage />);
    await tap((await findById('manage-code-show')).id);
    expect(await findById('manage-code-value')).toHaveTextContent('482913');
    expect(byId('leave-p1')).toHaveTextContent('党员一：出差');
    await tap('leave-approve-p1');
    expect(callsTo('branch', 'decideLeave')).toEqual([{ meetingId: 'm1', openid: 'p1', approve: true }]);
    await tap('roll-mark-p2');
    expect(callsTo('branch', 'markAttendance')).toEqual([{ meetingId: 'm1', openid: 'p2', present: true }]);
    expect(byId('roll-mark-p3')).toBeNull();
  });
});

describe('组织生活 (worker)', () => {
  test('every branch with its open items at a glance', async () => {
    const item = (kind: 'themeDay' | 'committee', status: 'done' | 'due' | 'overdue') => ({
      kind,
      name: kind === 'themeDay' ? '主题党日' : '支部委员会',
      every: 'month' as const,
      period: '2026-11',
      held: status === 'done' ? 1 : 0,
      status,
      dueBy: 0,
      previousMissed: status === 'overdue',
    });
    const list: BranchCompliance[] = [
      {
        branchId: 'b1',
        name: '第一党支部',
        open: 1,
        items: [item('themeDay', 'done'), item('committee', 'overdue')],
      },
      { branchId: 'b2', name: '第二党支部', open: 0, items: [item('themeDay', 'done')] },
    ];
    setHandlers({
      'user.me': () => meView([{ role: 'worker', communityId: 'c1' }]),
      'branch.compliance': () => list,
    });
    render(<CompliancePage />);
    expect(await findById('compliance-b1')).toHaveTextContent('1 项待召开');
    expect(byId('compliance-b1-themeDay')).toHaveTextContent('已完成 1次');
    expect(byId('compliance-b1-committee')).toHaveTextContent('已超期');
    expect(byId('compliance-b2')).toHaveTextContent('本期已完成');
    expect(callsTo('branch', 'compliance')).toEqual([{ communityId: 'c1' }]);
  });
});

describe('党员责任区', () => {
  test('residents see their building’s member and leave a message', async () => {
    setHandlers({
      'user.me': () => meView(),
      'branch.areas': () => [
        {
          buildings: ['1栋'],
          memberOpenid: 'p1',
          memberName: '李建国',
          branchName: '第一党支部',
          contactMasked: '138****1234',
        },
      ],
      'branch.messageAreaMember': () => ({ sent: true }),
    });
    render(<AreaPage />);
    expect(await findById('area-p1')).toHaveTextContent('138****1234');
    await tap('area-message-1栋');
    emit('area-message-text', '楼道灯坏了');
    await tap('area-message-send');
    expect(callsTo('branch', 'messageAreaMember')).toEqual([
      { communityId: 'c1', building: '1栋', text: '楼道灯坏了' },
    ]);
  });
});

describe('责任区 routing for the grievance dispatch dialog', () => {
  const areas = [
    { buildings: ['3栋', '4栋'], memberOpenid: 'p3', memberName: '王党员' },
    { buildings: ['13栋'], memberOpenid: 'p13', memberName: '赵党员' },
  ];
  test('finds the member by a whole building name in the place or text', () => {
    expect(areaFor('幸福里 3栋 2单元楼道', areas)?.area.memberOpenid).toBe('p3');
    expect(areaFor('13栋门口积水', areas)).toMatchObject({ building: '13栋', area: { memberOpenid: 'p13' } });
    expect(areaFor('23栋楼道灯坏了', areas)).toBeUndefined();
    expect(areaFor('小区门口', areas)).toBeUndefined();
  });
});
