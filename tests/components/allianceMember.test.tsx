import { act, fireEvent, render, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import JoinUnit from '../../miniprogram/src/packages/alliance/join';
import ReportPage from '../../miniprogram/src/packages/alliance/report';
import AllianceHub from '../../miniprogram/src/packages/worker/alliance';
import { ApiCallError } from '../../miniprogram/src/api/errors';
import { resetSession } from '../../miniprogram/src/store/session';
import { memberRecord, ranking, reportView, unitRecord } from './allianceFixtures';
import { meView } from './fixtures';
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

function emit(id: string, value: string) {
  act(() => {
    byId(id)!.dispatchEvent(new CustomEvent('input', { detail: { value }, bubbles: true }));
  });
}

beforeEach(() => {
  resetSession();
});

describe('加入单位', () => {
  const myUnit = {
    unit: {
      _id: 'unitA',
      name: '区人民医院',
      type: '医院' as const,
      address: '幸福路 100 号',
      partyOrg: '区人民医院党委',
      contact: '王老师',
      communityIds: ['c1'],
    },
    isAdmin: false,
    colleagues: [],
  };

  test('the code is upper-cased, limited to 8 letters or digits and checked before sending', async () => {
    setHandlers({
      'alliance.redeemInvite': () => myUnit,
      'user.me': () => meView([{ role: 'unitStaff', unitId: 'unitA' }]),
    });
    render(<JoinUnit />);
    emit('join-code', 'ab1-2c');
    expect(byId('join-code-count')).toHaveTextContent('已输入 5/8 位');
    await tap('join-submit');
    expect(byId('join-code-error')).toHaveTextContent('邀请码为 8 位字母或数字');
    expect(callsTo('alliance', 'redeemInvite')).toHaveLength(0);

    emit('join-code', 'ab12 cd34xyz');
    expect(byId('join-code-count')).toHaveTextContent('已输入 8/8 位');
    expect(byId('join-code')).toHaveProperty('value', 'AB12CD34');
    expect(byId('join-code-error')).toBeNull();
    await tap('join-submit');
    await waitFor(() => expect(callsTo('alliance', 'redeemInvite')).toEqual([{ code: 'AB12CD34' }]));
    await waitFor(() => expect(Taro.redirectTo).toHaveBeenCalledWith({ url: '/packages/alliance/my-unit' }));
    // The new role is loaded so 我的 shows 我的单位.
    expect(callsTo('user', 'me')).toHaveLength(1);
  });

  test.each([
    ['CONFLICT', '邀请码已过期，请联系社区工作者重新获取'],
    ['CONFLICT', '邀请码已被使用'],
    ['NOT_FOUND', '邀请码无效'],
  ] as const)('a refused code (%s) shows the server message: %s', async (code, message) => {
    setHandlers({
      'alliance.redeemInvite': () => {
        throw new ApiCallError({ code, message });
      },
    });
    render(<JoinUnit />);
    emit('join-code', 'AB12CD34');
    await tap('join-submit');
    expect(await findById('join-code-error')).toHaveTextContent(message);
    expect(Taro.redirectTo).not.toHaveBeenCalled();
  });
});

describe('在职党员报到', () => {
  test('shows the status and the record hours against the target', async () => {
    setHandlers({
      'user.me': () => meView([{ role: 'member', communityId: 'c1' }]),
      'alliance.myReport': () => ({ active: reportView(), history: [reportView()] }),
      'alliance.memberRecord': () => memberRecord(),
      'alliance.servicePosts': () => ({
        posts: [
          { name: '楼道长', holders: 2, mine: true },
          { name: '政策宣讲', holders: 0, mine: false },
        ],
        yearlyTargetHours: 50,
      }),
      'alliance.listUnits': () => ({ units: [] }),
    });
    render(<ReportPage />);
    const status = await findById('report-status');
    expect(status).toHaveTextContent('幸福里社区');
    expect(byId('report-status-tag')).toHaveTextContent('已报到');
    expect(status).toHaveTextContent('区人民医院');
    expect(byId('record-hours')).toHaveTextContent('12.5 / 50 小时');
    expect(byId('record-progress')).toHaveAttribute('aria-valuenow', '25');
    expect(byId('record-progress-text')).toHaveTextContent('完成 25%，还差 37.5 小时');
    expect(byId('record-services')).toHaveTextContent('4 次');
    // Confirmed reporters take and leave posts.
    expect(byId('post-leave-0')).toHaveTextContent('卸任');
    expect(byId('post-take-1')).toHaveTextContent('认领');
    expect(byId('report-form')).toBeNull();
  });

  test('withdrawing asks for confirmation, then calls withdrawReport', async () => {
    let withdrawn = false;
    setHandlers({
      'user.me': () => meView([{ role: 'member', communityId: 'c1' }]),
      'alliance.myReport': () =>
        withdrawn
          ? { active: null, history: [reportView({ status: 'withdrawn' })] }
          : { active: reportView({ status: 'pending', confirmedAt: undefined }), history: [] },
      'alliance.memberRecord': () => memberRecord(),
      'alliance.servicePosts': () => ({ posts: [], yearlyTargetHours: 50 }),
      'alliance.withdrawReport': () => {
        withdrawn = true;
        return reportView({ status: 'withdrawn' });
      },
      'alliance.listUnits': () => ({ units: [] }),
    });
    render(<ReportPage />);
    await findById('report-withdraw');
    expect(byId('report-status-tag')).toHaveTextContent('待社区确认');

    // 再想想: nothing is sent.
    await tap('report-withdraw');
    expect(await findById('confirm-dialog-text')).toHaveTextContent('撤回后将不再是「幸福里社区」的报到党员');
    await tap('confirm-dialog-cancel');
    expect(byId('confirm-dialog-ok')).toBeNull();
    expect(callsTo('alliance', 'withdrawReport')).toHaveLength(0);

    await tap('report-withdraw');
    await tap((await findById('confirm-dialog-ok')).id);
    await waitFor(() => expect(callsTo('alliance', 'withdrawReport')).toEqual([{ reportId: 'r1' }]));
    // Without an active report the form is offered again.
    expect(await findById('report-form')).toBeInTheDocument();
  });

  test('reporting sends the community, the employer unit and the party organisation', async () => {
    setHandlers({
      'user.me': () => meView([{ role: 'member', communityId: 'c1' }]),
      'alliance.myReport': () => ({ active: null, history: [] }),
      'alliance.memberRecord': () => memberRecord({ hours: 0, progress: 0 }),
      'alliance.listUnits': () => ({
        units: [
          {
            _id: 'unitA',
            name: '区人民医院',
            type: '医院',
            address: '幸福路 100 号',
            partyOrg: '区人民医院党委',
            contact: '王老师',
            communityIds: ['c1'],
          },
        ],
      }),
      'alliance.reportToCommunity': () => reportView({ status: 'pending' }),
    });
    render(<ReportPage />);
    await findById('report-form');
    await tap('report-submit');
    expect(byId('report-employer-error')).toHaveTextContent('请选择或填写工作单位');
    expect(byId('report-party-org-error')).toHaveTextContent('所在党组织至少 2 个字');
    expect(callsTo('alliance', 'reportToCommunity')).toHaveLength(0);

    await tap((await findById('report-employer-unitA')).id);
    emit('report-party-org', '区人民医院党委第二支部');
    await tap('report-submit');
    await waitFor(() =>
      expect(callsTo('alliance', 'reportToCommunity')).toEqual([
        { communityId: 'c1', employerUnitId: 'unitA', partyOrg: '区人民医院党委第二支部' },
      ]),
    );
  });

  test('non-members are told that reporting needs member status', async () => {
    setHandlers({
      'user.me': () => meView([]),
      'alliance.myReport': () => ({ active: null, history: [] }),
      'alliance.memberRecord': () => memberRecord(),
      'alliance.listUnits': () => ({ units: [] }),
    });
    render(<ReportPage />);
    expect(await findById('report-not-member')).toHaveTextContent('报到需要党员身份');
    expect(byId('report-submit')).toBeNull();
  });
});

describe('单位排名', () => {
  test('renders the ranked units with their scores in order; a row opens the record', async () => {
    setRouterParams({ tab: 'rank' });
    setHandlers({
      'user.me': () => meView([{ role: 'worker', communityId: 'c1' }]),
      'alliance.rankUnits': () =>
        ranking([
          unitRecord({
            unitId: 'u2',
            unitName: '实验小学',
            score: 62.5,
            avgRating: null,
            completedProjects: 2,
          }),
          unitRecord({ unitId: 'u1', unitName: '区人民医院', score: 50 }),
          unitRecord({ unitId: 'u3', unitName: '街道办', score: 3 }),
        ]),
    });
    render(<AllianceHub />);
    const table = await findById('rank-table');
    expect(byId('hub-rank')).toHaveAttribute('aria-selected', 'true');
    expect(callsTo('alliance', 'rankUnits')).toEqual([{ communityId: 'c1' }]);
    const rows = Array.from(table.querySelectorAll('[id^="rank-row-"]'));
    expect(rows.map((r) => r.id)).toEqual(['rank-row-u2', 'rank-row-u1', 'rank-row-u3']);
    expect(rows.map((r) => r.querySelector('[id^="rank-score-"]')!.textContent)).toEqual(['62.5', '50', '3']);
    expect(rows[0]).toHaveTextContent('实验小学');
    expect(rows[0]).toHaveTextContent('—');
    expect(rows[1]).toHaveTextContent('4.5');
    expect(byId('rank-formula')).toHaveTextContent('得分 =');
    await tap('rank-row-u1');
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/alliance/unit-record?id=u1&year=2030' });
  });

  test('residents are not shown the hub', async () => {
    setHandlers({ 'user.me': () => meView([]) });
    render(<AllianceHub />);
    expect(await findById('hub-forbidden')).toHaveTextContent('只有社区工作者');
  });
});
