import { act, fireEvent, render, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import AllianceHome from '../../miniprogram/src/packages/alliance/index';
import MyUnitPage from '../../miniprogram/src/packages/alliance/my-unit';
import UnitRecordPage from '../../miniprogram/src/packages/alliance/unit-record';
import { ApiCallError } from '../../miniprogram/src/api/errors';
import { resetSession } from '../../miniprogram/src/store/session';
import { projectDetail, unitRecord } from './allianceFixtures';
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

const { can: _can, tasks: _t, wanted: _w, needs: _n, claims: _c, updates: _u, ...summary } = projectDetail();

beforeEach(() => {
  resetSession();
});

test('联盟首页 lists projects of the current community and switches to the needs list', async () => {
  setHandlers({
    'user.me': () => meView([]),
    'alliance.listProjects': () => ({ items: [summary], total: 1 }),
    'alliance.listNeeds': () => ({ items: [], total: 0 }),
  });
  render(<AllianceHome />);
  const card = await findById('project-p1');
  expect(card).toHaveTextContent('楼道扶手加装行动');
  expect(card).toHaveTextContent('认领中');
  expect(callsTo('alliance', 'listProjects')).toEqual([{ communityId: 'c1', pageSize: 20 }]);
  await tap('project-p1');
  expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/alliance/project?id=p1' });

  await tap('alliance-tab-needs');
  const empty = await findById('alliance-empty');
  expect(empty).toHaveTextContent('暂无需求，去看看项目清单');
  await tap('alliance-empty-action');
  expect(await findById('project-p1')).toBeInTheDocument();
});

test('an error offers a retry', async () => {
  let fail = true;
  setHandlers({
    'user.me': () => meView([]),
    'alliance.listProjects': () => {
      if (fail) throw new ApiCallError({ code: 'INTERNAL', message: '网络不稳定，请重试' });
      return { items: [summary], total: 1 };
    },
  });
  render(<AllianceHome />);
  expect(await findById('error-state')).toHaveTextContent('网络不稳定，请重试');
  fail = false;
  await tap('error-state-retry');
  expect(await findById('project-p1')).toBeInTheDocument();
});

test('单位档案 shows the year figures', async () => {
  setRouterParams({ id: 'unitA', year: '2030' });
  setHandlers({ 'alliance.unitRecord': () => unitRecord() });
  render(<UnitRecordPage />);
  expect(await findById('record-completed')).toHaveTextContent('1');
  expect(byId('record-rating')).toHaveTextContent('4.5 星');
  expect(byId('record-member-hours')).toHaveTextContent('20');
  expect(byId('unit-record-name')).toHaveTextContent('区人民医院 · 单位档案');
  expect(callsTo('alliance', 'unitRecord')).toEqual([{ unitId: 'unitA', year: 2030 }]);
});

test('我的单位: a unit admin issues an invite shown once, and removes a colleague after confirming', async () => {
  const view = {
    unit: {
      _id: 'unitA',
      name: '区人民医院',
      type: '医院' as const,
      address: '幸福路 100 号',
      partyOrg: '区人民医院党委',
      contact: '王老师',
      communityIds: ['c1'],
    },
    isAdmin: true,
    colleagues: [
      { openid: 'u1', nickName: '张阿姨', isAdmin: true },
      { openid: 'u9', nickName: '李医生', isAdmin: false },
    ],
  };
  setHandlers({
    'user.me': () => meView([{ role: 'unitStaff', unitId: 'unitA' }]),
    'alliance.myUnit': () => view,
    'alliance.issueInvite': () => ({
      code: 'AB12CD34',
      unitId: 'unitA',
      unitName: '区人民医院',
      asAdmin: false,
      expiresAt: Date.UTC(2030, 10, 28, 6, 0),
    }),
    'alliance.removeStaff': () => ({ ...view, colleagues: [view.colleagues[0]] }),
  });
  render(<MyUnitPage />);
  await findById('colleague-u9');
  expect(byId('remove-staff-u1')).toBeNull();
  await tap('issue-invite');
  expect(await findById('invite-code')).toHaveTextContent('AB12CD34');
  expect(callsTo('alliance', 'issueInvite')).toEqual([{ unitId: 'unitA', asAdmin: false }]);
  await tap('invite-copy');
  expect(Taro.setClipboardData).toHaveBeenCalledWith({ data: 'AB12CD34' });
  await tap('invite-close');
  expect(byId('invite-code')).toBeNull();

  await tap('remove-staff-u9');
  expect(callsTo('alliance', 'removeStaff')).toHaveLength(0);
  await tap((await findById('confirm-dialog-ok')).id);
  await waitFor(() =>
    expect(callsTo('alliance', 'removeStaff')).toEqual([{ unitId: 'unitA', openid: 'u9' }]),
  );
  await waitFor(() => expect(byId('colleague-u9')).toBeNull());
});

test('我的单位 without a unit offers to enter an invite code', async () => {
  setHandlers({
    'user.me': () => meView([]),
    'alliance.myUnit': () => {
      throw new ApiCallError({ code: 'FORBIDDEN', message: '需要驻区单位工作人员身份' });
    },
  });
  render(<MyUnitPage />);
  expect(await findById('my-unit-empty')).toHaveTextContent('你还没有绑定驻区单位');
  await tap('my-unit-empty-action');
  expect(Taro.redirectTo).toHaveBeenCalledWith({ url: '/packages/alliance/join' });
});
