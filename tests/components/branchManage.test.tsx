/**
 * Branch pages, follow-up of issue 16: the subscribe prompt for branch messages (once per visit, in
 * WeChat, before checking in / asking leave / opening a meeting), 支部名册 management (党员名录
 * search and add, removal after a confirmation, committee and secretary appointments) and the
 * secretary's points rule.
 */
import { act, fireEvent, render, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import MyBranch from '../../miniprogram/src/packages/branch/index';
import MeetingPage from '../../miniprogram/src/packages/branch/meeting';
import RosterPage from '../../miniprogram/src/packages/branch/roster';
import SecretaryPage from '../../miniprogram/src/packages/branch/secretary';
import CompliancePage from '../../miniprogram/src/packages/branch/compliance';
import { resetSession } from '../../miniprogram/src/store/session';
import type { RequestOf } from '../../types/api';
import type { BranchCompliance, MeetingDetail, MeetingSummary, MemberView } from '../../types/branch';
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
const ask = Taro.requestSubscribeMessage as unknown as jest.Mock;

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
  agenda: ['收缴党费'],
  audience: 'all',
  expectedCount: 3,
  isSecretary: false,
  ...over,
});
const TEMPLATES = {
  templates: [{ kind: 'branchNotice', templateId: 'tmpl-branch', label: '支部组织生活通知' }],
};

beforeEach(() => {
  resetSession();
  setRouterParams({ id: 'm1' });
  (Taro.showToast as jest.Mock | undefined)?.mockClear?.();
  (Taro.navigateTo as jest.Mock).mockClear();
});

describe('subscribe prompt for branch messages (in WeChat)', () => {
  const env = process.env.TARO_ENV;
  beforeEach(() => {
    process.env.TARO_ENV = 'weapp';
    ask.mockClear();
  });
  afterEach(() => {
    process.env.TARO_ENV = env;
  });

  test('会议详情: asked before the check-in, reported, and not asked again for the leave request', async () => {
    const steps: string[] = [];
    ask.mockImplementation((opts: { tmplIds: string[] }) => {
      steps.push('ask');
      return Promise.resolve({ errMsg: 'ok', ...Object.fromEntries(opts.tmplIds.map((i) => [i, 'accept'])) });
    });
    setHandlers({
      'branch.meeting': () => detail(),
      'notify.templates': () => TEMPLATES,
      'notify.subscribe': () => ({ quotas: [] }),
      'branch.checkIn': () => {
        steps.push('checkIn');
        throw Object.assign(new Error('签到码无效或已过期'), { code: 'CONFLICT' });
      },
      'branch.requestLeave': () => {
        steps.push('leave');
        return { status: 'leavePending' };
      },
    });
    render(<MeetingPage />);
    await findById('meeting-code');
    await waitFor(() => expect(callsTo('notify', 'templates')).toEqual([{ scene: 'branchMeeting' }]));
    await act(async () => {
      await Promise.resolve();
    });
    // a malformed code is refused on the page: nothing is asked yet
    emit('meeting-code', '12');
    await tap('meeting-checkin-submit');
    expect(ask).not.toHaveBeenCalled();
    emit('meeting-code', '123456');
    await tap('meeting-checkin-submit');
    await waitFor(() => expect(steps).toEqual(['ask', 'checkIn']));
    expect(ask.mock.calls[0][0]).toMatchObject({ tmplIds: ['tmpl-branch'] });
    await waitFor(() =>
      expect(callsTo('notify', 'subscribe')).toEqual<RequestOf<'notify', 'subscribe'>[]>([
        { scene: 'branchMeeting', results: { 'tmpl-branch': 'accept' } },
      ]),
    );
    // the same visit: asking leave does not ask again
    await tap('meeting-leave-open');
    emit('meeting-leave-reason', '外出务工');
    await tap('meeting-leave-submit');
    await waitFor(() => expect(steps).toEqual(['ask', 'checkIn', 'leave']));
    expect(ask).toHaveBeenCalledTimes(1);
  });

  test('我的支部: opening a meeting asks first, once per visit', async () => {
    ask.mockImplementation(() => Promise.resolve({ errMsg: 'ok', 'tmpl-branch': 'reject' }));
    setHandlers({
      'branch.myBranch': () => ({
        branch: {
          _id: 'b1',
          communityId: 'c1',
          name: '第一党支部',
          secretary: 'u9',
          committee: [],
          memberCount: 3,
          remindedFor: '',
          createdAt: 0,
          updatedAt: 0,
          secretaryName: '李建国',
        },
        meetings: [summary(), summary({ _id: 'm2', title: '党课' })],
      }),
      'notify.templates': () => TEMPLATES,
      'notify.subscribe': () => ({ quotas: [] }),
    });
    render(<MyBranch />);
    await findById('meeting-m1');
    await waitFor(() => expect(callsTo('notify', 'templates')).toEqual([{ scene: 'branchMeeting' }]));
    await act(async () => {
      await Promise.resolve();
    });
    await tap('meeting-m1');
    await waitFor(() =>
      expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/branch/meeting?id=m1' }),
    );
    await tap('meeting-m2');
    await waitFor(() =>
      expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/branch/meeting?id=m2' }),
    );
    expect(ask).toHaveBeenCalledTimes(1);
  });

  test('in H5 nothing is asked and nothing is fetched', async () => {
    process.env.TARO_ENV = 'h5';
    setHandlers({
      'branch.meeting': () => detail(),
      'branch.checkIn': () => ({ status: 'present' }),
    });
    render(<MeetingPage />);
    await findById('meeting-code');
    emit('meeting-code', '123456');
    await tap('meeting-checkin-submit');
    await waitFor(() => expect(callsTo('branch', 'checkIn')).toHaveLength(1));
    expect(ask).not.toHaveBeenCalled();
    expect(callsTo('notify', 'templates')).toEqual([]);
  });
});

const roster = (): MemberView[] => [
  { openid: 'u1', name: '李建国', role: 'secretary', inService: false, buildings: [] },
  { openid: 'p2', name: '陈书记', role: 'committee', inService: false, buildings: ['5栋'] },
  { openid: 'p3', name: '王红', role: 'member', inService: false, buildings: [] },
];

describe('支部名册 management', () => {
  beforeEach(() => setRouterParams({ id: 'b1' }));

  test('the secretary finds a member in the 党员名录 (masked) and adds them', async () => {
    setHandlers({
      'user.me': () => meView([{ role: 'member', communityId: 'c1' }]),
      'branch.members': () => roster(),
      'branch.searchMembers': (d: { page: number }) =>
        d.page === 0
          ? {
              items: [
                { openid: 'p7', nameMasked: '赵*生', phoneMasked: '139****1111' },
                { openid: 'p8', nameMasked: '赵*', inBranch: 'other' },
              ],
              page: 0,
              hasMore: true,
            }
          : { items: [{ openid: 'p9', nameMasked: '赵**强' }], page: 1, hasMore: false },
      'branch.addMember': () => ({
        openid: 'p7',
        name: '赵医生',
        role: 'member',
        inService: false,
        buildings: [],
      }),
    });
    render(<RosterPage />);
    await findById('roster-search-q');
    // a wrong number of digits is refused on the page
    emit('roster-search-q', '139000');
    await tap('roster-search-submit');
    expect(byId('roster-search-q-error')).toHaveTextContent('按手机号查找请输入后 4 位数字');
    expect(callsTo('branch', 'searchMembers')).toEqual([]);
    emit('roster-search-q', '赵');
    await tap('roster-search-submit');
    expect(await findById('roster-search-hit-p7')).toHaveTextContent('赵*生 · 139****1111');
    expect(byId('roster-search-hit-p8')).toHaveTextContent('已在其他支部');
    expect(byId('roster-search-pick-p8')!.className).toContain('disabled');
    await tap('roster-search-more');
    expect(await findById('roster-search-hit-p9')).toHaveTextContent('赵**强');
    expect(byId('roster-search-more')).toBeNull();
    expect(callsTo('branch', 'searchMembers')).toEqual([
      { branchId: 'b1', q: '赵', page: 0 },
      { branchId: 'b1', q: '赵', page: 1 },
    ]);
    await tap('roster-search-pick-p7');
    expect(callsTo('branch', 'addMember')).toEqual([{ branchId: 'b1', openid: 'p7' }]);
    // the result now says so and cannot be added twice
    await waitFor(() => expect(byId('roster-search-hit-p7')).toHaveTextContent('已在本支部'));
    expect(byId('roster-search-pick-p7')!.className).toContain('disabled');
    // the secretary does not replace themselves: no 设为书记 (a worker's)
    expect(byId('roster-secretary-p3')).toBeNull();
    expect(byId('roster-remove-u1')).toBeNull();
  });

  test('removal asks for a confirmation that says what happens to meetings; cancel changes nothing', async () => {
    setHandlers({
      'user.me': () => meView([{ role: 'member', communityId: 'c1' }]),
      'branch.members': () => roster(),
      'branch.removeMember': () => ({ removed: true, meetingsReleased: 1 }),
    });
    render(<RosterPage />);
    await tap((await findById('roster-remove-p2')).id);
    expect(await findById('confirm-dialog-text')).toHaveTextContent(
      '尚未召开的会议不再把他/她计为应到人员；已召开和正在召开的会议考勤不变',
    );
    expect(byId('confirm-dialog-text')).toHaveTextContent('5栋');
    await tap('confirm-dialog-cancel');
    expect(callsTo('branch', 'removeMember')).toEqual([]);
    await tap('roster-remove-p2');
    await tap((await findById('confirm-dialog-ok')).id);
    await waitFor(() =>
      expect(callsTo('branch', 'removeMember')).toEqual([{ branchId: 'b1', openid: 'p2' }]),
    );
  });

  test('committee toggles and, for a worker, 设为书记 after a confirmation', async () => {
    setHandlers({
      'user.me': () => meView([{ role: 'worker', communityId: 'c1' }]),
      'branch.members': () => roster(),
      'branch.appoint': () => ({}),
    });
    render(<RosterPage />);
    expect(await findById('roster-committee-p2')).toHaveTextContent('取消委员');
    await tap('roster-committee-p3');
    await waitFor(() =>
      expect(callsTo('branch', 'appoint')).toEqual([{ branchId: 'b1', committee: ['p2', 'p3'] }]),
    );
    await tap('roster-secretary-p3');
    await tap((await findById('confirm-dialog-ok')).id);
    await waitFor(() =>
      expect(callsTo('branch', 'appoint')).toEqual([
        { branchId: 'b1', committee: ['p2', 'p3'] },
        { branchId: 'b1', secretary: 'p3' },
      ]),
    );
  });

  test('plain members see the roster without management buttons', async () => {
    setHandlers({
      'user.me': () => ({
        ...meView([{ role: 'member', communityId: 'c1' }]),
        user: { ...meView().user, openid: 'p3' },
      }),
      'branch.members': () => roster(),
    });
    render(<RosterPage />);
    await findById('roster-p2');
    expect(byId('roster-remove-p2')).toBeNull();
    expect(byId('roster-committee-p2')).toBeNull();
    expect(byId('roster-search')).toBeNull();
  });
});

describe('书记工作台: points rule', () => {
  beforeEach(() => setRouterParams({ id: 'b1' }));
  const compliance = (over: Partial<BranchCompliance> = {}): BranchCompliance => ({
    branchId: 'b1',
    name: '第一党支部',
    items: [],
    open: 0,
    ...over,
  });

  test('shows the suggested rule until one is set; checks the numbers; saves', async () => {
    let saved = false;
    setHandlers({
      'branch.branchCompliance': () =>
        compliance(saved ? { pointsRule: { perAttendance: 3, perServiceHour: 1, perRequest: 1 } } : {}),
      'branch.meetings': () => [],
      'branch.setPointsRule': () => {
        saved = true;
        return {};
      },
    });
    render(<SecretaryPage />);
    expect(await findById('secretary-points')).toHaveTextContent('未设置，以下为建议值');
    emit('points-perAttendance', 'abc');
    await tap('points-save');
    expect(byId('points-perRequest-error')).toHaveTextContent('每项填 0–100 的数');
    expect(callsTo('branch', 'setPointsRule')).toEqual([]);
    emit('points-perAttendance', '3');
    await tap('points-save');
    await waitFor(() =>
      expect(callsTo('branch', 'setPointsRule')).toEqual([
        { branchId: 'b1', perAttendance: 3, perServiceHour: 1, perRequest: 1 },
      ]),
    );
    await waitFor(() => expect(byId('secretary-points')).not.toHaveTextContent('未设置'));
  });
});

describe('组织生活: a new branch’s secretary is found in the 党员名录', () => {
  test('search, pick (members already in a branch cannot be picked), create', async () => {
    setHandlers({
      'user.me': () => meView([{ role: 'worker', communityId: 'c1' }]),
      'branch.compliance': () => [],
      'branch.searchMembers': () => ({
        items: [
          { openid: 'p7', nameMasked: '赵*生', phoneMasked: '139****1111' },
          { openid: 'p8', nameMasked: '赵*', inBranch: 'other' },
        ],
        page: 0,
        hasMore: false,
      }),
      'branch.createBranch': () => ({}),
      'branch.refreshDirectory': () => ({ members: 12, retired: 1 }),
    });
    render(<CompliancePage />);
    await tap((await findById('directory-refresh')).id);
    expect(callsTo('branch', 'refreshDirectory')).toEqual([{ communityId: 'c1' }]);
    await waitFor(() =>
      expect(Taro.showToast).toHaveBeenCalledWith(
        expect.objectContaining({ title: '党员名录已更新（12 名党员）' }),
      ),
    );
    await findById('branch-secretary-q');
    emit('branch-name', '第二党支部');
    await tap('branch-create-submit');
    expect(byId('branch-name-error')).toHaveTextContent('请先查找并选定书记');
    emit('branch-secretary-q', '赵');
    await tap('branch-secretary-submit');
    expect(await findById('branch-secretary-hit-p8')).toHaveTextContent('已在支部');
    expect(byId('branch-secretary-pick-p8')!.className).toContain('disabled');
    expect(callsTo('branch', 'searchMembers')).toEqual([{ communityId: 'c1', q: '赵', page: 0 }]);
    await tap('branch-secretary-pick-p7');
    expect(await findById('branch-secretary-picked')).toHaveTextContent('书记：赵*生 · 139****1111');
    await tap('branch-create-submit');
    await waitFor(() =>
      expect(callsTo('branch', 'createBranch')).toEqual([
        { communityId: 'c1', name: '第二党支部', secretary: 'p7' },
      ]),
    );
  });
});
