import { act, fireEvent, render, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import AllianceHome from '../../miniprogram/src/packages/alliance/index';
import MemberRecordPage from '../../miniprogram/src/packages/alliance/member-record';
import MyUnitPage from '../../miniprogram/src/packages/alliance/my-unit';
import AllianceHub from '../../miniprogram/src/packages/worker/alliance';
import { ApiCallError } from '../../miniprogram/src/api/errors';
import { resetSession } from '../../miniprogram/src/store/session';
import type { ProposalView, Resource, ResourceRequest } from '../../types/domain';
import { memberRecord, T0 } from './allianceFixtures';
import { HOUR, meView } from './fixtures';
import { stubIntersectionObserver } from './grievanceFixtures';
import { setRouterParams } from './__mocks__/taro';
import { callsTo, setHandlers } from './mockApi';
import type * as MockApi from './mockApi';

jest.mock('../../miniprogram/src/api/client', () =>
  jest.requireActual<typeof MockApi>('./mockApi').clientModule(),
);

stubIntersectionObserver();

const byId = (id: string) => document.getElementById(id);

async function findById(id: string): Promise<HTMLElement> {
  return waitFor(() => {
    const el = byId(id);
    if (!el) throw new Error(`#${id} not rendered`);
    return el;
  });
}

async function tap(id: string) {
  await act(async () => {
    fireEvent.click(byId(id)!);
  });
}

/** Taro components report values in event.detail (input, change). */
function emit(id: string, type: 'input' | 'change', value: unknown) {
  const el = byId(id);
  if (!el) throw new Error(`#${id} missing`);
  act(() => {
    el.dispatchEvent(new CustomEvent(type, { detail: { value }, bubbles: true }));
  });
}

const UNIT = {
  _id: 'unitA',
  name: '区人民医院',
  type: '医院' as const,
  address: '幸福路 100 号',
  partyOrg: '区人民医院党委',
  contact: '王老师',
  communityIds: ['c1', 'c2'],
};

function resource(over: Partial<Resource> = {}): Resource {
  return {
    _id: 'res1',
    unitId: 'unitA',
    unitName: '区人民医院',
    communityIds: ['c1'],
    kind: 'venue',
    title: '医院报告厅',
    description: '可用于健康讲座',
    capacity: '可容纳 120 人',
    availability: '周末 9:00–17:00',
    status: 'active',
    createdBy: 'u9',
    createdAt: T0,
    ...over,
  };
}

function proposalView(over: Partial<ProposalView> = {}): ProposalView {
  return {
    _id: 'pr1',
    communityId: 'c1',
    communityName: '幸福里社区',
    unitId: 'unitA',
    unitName: '区人民医院',
    type: 'alliance',
    title: '健康知识进社区',
    description: '冬季心脑血管疾病预防讲座',
    placeName: '医院报告厅',
    venueResourceId: 'res1',
    venueTitle: '医院报告厅',
    startAt: T0 + 48 * HOUR,
    endAt: T0 + 50 * HOUR,
    capacity: 60,
    status: 'pending',
    createdAt: T0,
    ...over,
  };
}

function request(over: Partial<ResourceRequest> = {}): ResourceRequest {
  return {
    _id: 'q1',
    resourceId: 'res1',
    resourceTitle: '医院报告厅',
    kind: 'venue',
    unitId: 'unitA',
    unitName: '区人民医院',
    communityId: 'c1',
    requestedBy: 'u1',
    note: '12 月 5 日办健康讲座',
    status: 'pending',
    createdAt: T0,
    ...over,
  };
}

beforeEach(() => {
  resetSession();
  jest.useFakeTimers({ now: T0, doNotFake: ['setTimeout', 'setInterval', 'nextTick', 'setImmediate'] });
});
afterEach(() => jest.useRealTimers());

describe('我的单位 → 提议联盟活动', () => {
  function handlers(extra: Record<string, (d: never) => unknown> = {}) {
    setHandlers({
      'user.me': () => meView([{ role: 'unitStaff', unitId: 'unitA' }]),
      'alliance.myUnit': () => ({ unit: UNIT, isAdmin: false, colleagues: [] }),
      'alliance.listResources': () => ({ items: [resource()], total: 1 }),
      'alliance.listProposals': () => ({ items: [], total: 0 }),
      'alliance.proposeActivity': () => proposalView(),
      ...extra,
    });
  }

  test('checks the form, picks the unit venue and submits the proposal for the chosen community', async () => {
    handlers();
    render(<MyUnitPage />);
    await tap((await findById('propose-activity')).id);
    await findById('propose-activity-form');
    // Only the unit's venues are offered.
    await waitFor(() =>
      expect(callsTo('alliance', 'listResources')).toContainEqual({
        unitId: 'unitA',
        kind: 'venue',
        pageSize: 50,
      }),
    );
    expect(byId('propose-type-alliance')).toHaveAttribute('aria-checked', 'true');

    await tap('propose-submit');
    expect(await findById('propose-title-error')).toHaveTextContent('活动标题至少 2 个字');
    expect(byId('propose-place-error')).toHaveTextContent('请填写活动地点');
    expect(callsTo('alliance', 'proposeActivity')).toHaveLength(0);

    await tap('propose-community-c2');
    emit('propose-title', 'input', '健康知识进社区');
    emit('propose-description', 'input', '冬季心脑血管疾病预防讲座');
    await tap((await findById('propose-venue-res1')).id);
    expect((byId('propose-place') as HTMLInputElement).value).toBe('医院报告厅');
    emit('propose-date', 'change', '2030-11-25');
    emit('propose-start', 'change', '14:00');
    emit('propose-end', 'change', '13:00');
    await tap('propose-submit');
    expect(await findById('propose-end-error')).toHaveTextContent('结束时间须晚于开始时间');
    emit('propose-end', 'change', '16:00');
    emit('propose-capacity', 'input', '60');
    await tap('propose-submit');

    await waitFor(() =>
      expect(callsTo('alliance', 'proposeActivity')).toEqual([
        {
          communityId: 'c2',
          type: 'alliance',
          title: '健康知识进社区',
          description: '冬季心脑血管疾病预防讲座',
          placeName: '医院报告厅',
          venueResourceId: 'res1',
          startAt: Date.UTC(2030, 10, 25, 6, 0),
          endAt: Date.UTC(2030, 10, 25, 8, 0),
          capacity: 60,
        },
      ]),
    );
    await waitFor(() => expect(byId('propose-activity-form')).toBeNull());
    expect(byId('my-unit-tab-proposals')).toHaveAttribute('aria-selected', 'true');
  });

  test('shows server field errors and the unit’s proposals with their status', async () => {
    handlers({
      'alliance.proposeActivity': () => {
        throw new ApiCallError({
          code: 'INVALID_INPUT',
          message: '开始时间须晚于现在',
          fields: { startAt: '开始时间须晚于现在' },
        });
      },
      'alliance.listProposals': () => ({
        items: [proposalView({ _id: 'pr2', status: 'declined', reason: '当天社区已有安排' })],
        total: 1,
      }),
    });
    render(<MyUnitPage />);
    await tap((await findById('my-unit-tab-proposals')).id);
    expect(await findById('proposal-pr2')).toHaveTextContent('未通过');
    expect(byId('proposal-reason-pr2')).toHaveTextContent('当天社区已有安排');
    expect(callsTo('alliance', 'listProposals')).toEqual([{ unitId: 'unitA', pageSize: 20 }]);

    await tap('propose-activity');
    emit('propose-title', 'input', '健康讲座');
    emit('propose-place', 'input', '党群服务中心');
    await tap('propose-submit');
    expect(await findById('propose-date-error')).toHaveTextContent('开始时间须晚于现在');
  });

  test('本单位报到党员 lists members with their hours; a member opens their record', async () => {
    handlers({
      'alliance.unitMembers': () => ({
        unitId: 'unitA',
        unitName: '区人民医院',
        year: 2030,
        items: [
          {
            openid: 'm1',
            nickName: '李建国',
            communityId: 'c1',
            communityName: '幸福里社区',
            partyOrg: '第二支部',
            reportStatus: 'confirmed',
            confirmedAt: T0,
            hours: 12.5,
            targetHours: 50,
            progress: 0.25,
          },
        ],
      }),
    });
    render(<MyUnitPage />);
    await tap((await findById('my-unit-tab-members')).id);
    expect(await findById('unit-member-hours-m1')).toHaveTextContent('12.5 / 50 小时（25%）');
    expect(callsTo('alliance', 'unitMembers')).toEqual([{ unitId: 'unitA' }]);
    await tap('unit-member-m1');
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/alliance/member-record?openid=m1' });
  });
});

describe('联盟首页 → 申请使用资源', () => {
  test('a worker requests an allied unit’s resource with a note, then sees the request pending', async () => {
    setHandlers({
      'user.me': () => meView([{ role: 'worker', communityId: 'c1' }]),
      'alliance.listResources': () => ({
        items: [resource(), resource({ _id: 'res2', title: '义诊医生', kind: 'expertise' })],
        total: 2,
      }),
      'alliance.resourceRequests': () => ({
        items: [request({ _id: 'q0', resourceId: 'res2', status: 'declined', answerNote: '当月已排满' })],
        total: 1,
      }),
      'alliance.requestResource': (d: { note: string }) => request({ note: d.note }),
    });
    setRouterParams({ tab: 'resources' });
    render(<AllianceHome />);
    await findById('resource-res1');
    // The community's earlier request is shown on its resource.
    expect(await findById('resource-request-res2')).toHaveTextContent('申请已婉拒');
    expect(byId('resource-request-res2')).toHaveTextContent('当月已排满');
    expect(callsTo('alliance', 'resourceRequests')).toEqual([{ communityId: 'c1', pageSize: 50 }]);

    await tap('request-resource-res1');
    expect(await findById('request-resource-unit')).toHaveTextContent('区人民医院 · 周末 9:00–17:00');
    expect(document.body).toHaveTextContent('申请使用「医院报告厅」');
    emit('action-text', 'input', '好');
    await tap('request-resource-submit');
    expect(await findById('action-dialog-error')).toHaveTextContent('需求说明至少 2 个字');
    expect(callsTo('alliance', 'requestResource')).toHaveLength(0);
    emit('action-text', 'input', '12 月 5 日办健康讲座');
    await tap('request-resource-submit');
    await waitFor(() =>
      expect(callsTo('alliance', 'requestResource')).toEqual([
        { resourceId: 'res1', communityId: 'c1', note: '12 月 5 日办健康讲座' },
      ]),
    );
    await waitFor(() => expect(byId('action-text')).toBeNull());
    expect(await findById('resource-request-res1')).toHaveTextContent('申请待答复');
    expect(byId('request-resource-res1')).toBeNull();
  });

  test('the server’s refusal stays in the dialog; residents see no request button', async () => {
    setHandlers({
      'user.me': () => meView([{ role: 'worker', communityId: 'c1' }]),
      'alliance.listResources': () => ({ items: [resource()], total: 1 }),
      'alliance.resourceRequests': () => ({ items: [], total: 0 }),
      'alliance.requestResource': () => {
        throw new ApiCallError({ code: 'CONFLICT', message: '本社区对该资源已有待答复的申请' });
      },
    });
    setRouterParams({ tab: 'resources' });
    const { unmount } = render(<AllianceHome />);
    await tap((await findById('request-resource-res1')).id);
    emit('action-text', 'input', '下周三上午用');
    await tap('request-resource-submit');
    expect(await findById('action-dialog-error')).toHaveTextContent('本社区对该资源已有待答复的申请');
    unmount();

    resetSession();
    setHandlers({
      'user.me': () => meView([]),
      'alliance.listResources': () => ({ items: [resource()], total: 1 }),
    });
    render(<AllianceHome />);
    await findById('resource-res1');
    expect(byId('request-resource-res1')).toBeNull();
    expect(callsTo('alliance', 'resourceRequests')).toHaveLength(0);
  });
});

describe('工作台 → 活动提议', () => {
  test('approving asks first and publishes; declining needs a reason', async () => {
    setHandlers({
      'user.me': () => meView([{ role: 'worker', communityId: 'c1' }]),
      'alliance.listProposals': () => ({ items: [proposalView()], total: 1 }),
      'alliance.reviewProposal': (d: { approve: boolean }) =>
        proposalView({ status: d.approve ? 'approved' : 'declined' }),
    });
    setRouterParams({ tab: 'proposals' });
    render(<AllianceHub />);
    expect(await findById('proposal-pr1')).toHaveTextContent('区人民医院');
    expect(callsTo('alliance', 'listProposals')).toEqual([
      { communityId: 'c1', status: 'pending', pageSize: 20 },
    ]);

    await tap('approve-proposal-pr1');
    expect(await findById('confirm-dialog-text')).toHaveTextContent('将以区人民医院为共建单位发布');
    await tap('confirm-dialog-cancel');
    expect(callsTo('alliance', 'reviewProposal')).toHaveLength(0);
    await tap('approve-proposal-pr1');
    await tap((await findById('confirm-dialog-ok')).id);
    await waitFor(() =>
      expect(callsTo('alliance', 'reviewProposal')).toEqual([{ proposalId: 'pr1', approve: true }]),
    );

    await tap((await findById('decline-proposal-pr1')).id);
    await tap('action-dialog-submit');
    expect(await findById('action-dialog-error')).toHaveTextContent('请填写不通过的理由');
    emit('action-text', 'input', '当天社区已有安排');
    await tap('action-dialog-submit');
    await waitFor(() =>
      expect(callsTo('alliance', 'reviewProposal')[1]).toEqual({
        proposalId: 'pr1',
        approve: false,
        reason: '当天社区已有安排',
      }),
    );
  });
});

describe('党员年度记录', () => {
  test('shows the record of the member asked for and downloads the CSV in H5', async () => {
    const createObjectURL = jest.fn((_b: Blob) => 'blob:record');
    const revokeObjectURL = jest.fn();
    Object.assign(URL, { createObjectURL, revokeObjectURL });
    const click = jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    setRouterParams({ openid: 'm1', year: '2030' });
    setHandlers({
      'alliance.memberRecord': () =>
        memberRecord({
          openid: 'm1',
          nickName: '李建国',
          report: {
            communityId: 'c1',
            employerName: '区人民医院',
            partyOrg: '第二支部',
            status: 'confirmed',
          },
        }),
      'alliance.exportMemberRecord': () => ({
        fileName: '李建国-2030年度服务记录.csv',
        csv: '\uFEFF"姓名"\r\n"李建国"\r\n',
      }),
    });
    render(<MemberRecordPage />);
    expect(await findById('member-record-name')).toHaveTextContent('李建国 · 年度记录');
    expect(byId('record-hours')).toHaveTextContent('12.5 / 50 小时');
    expect(callsTo('alliance', 'memberRecord')).toEqual([{ openid: 'm1', year: 2030 }]);

    await tap('export-record');
    await waitFor(() => expect(click).toHaveBeenCalledTimes(1));
    expect(callsTo('alliance', 'exportMemberRecord')).toEqual([{ openid: 'm1', year: 2030 }]);
    const blob = createObjectURL.mock.calls[0]?.[0] as Blob;
    expect(blob.type).toBe('text/csv;charset=utf-8');
    const anchor = click.mock.contexts[0] as HTMLAnchorElement;
    expect(anchor.download).toBe('李建国-2030年度服务记录.csv');
    expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '已导出年度记录' }));
    click.mockRestore();
  });

  test('a record the caller may not read explains why', async () => {
    setRouterParams({ openid: 'm1' });
    setHandlers({
      'alliance.memberRecord': () => {
        throw new ApiCallError({ code: 'FORBIDDEN', message: 'x' });
      },
    });
    render(<MemberRecordPage />);
    expect(await findById('error-state')).toHaveTextContent('只能查看本人、本社区报到党员或本单位党员的记录');
  });
});
