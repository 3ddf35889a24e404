/**
 * 我的单位 → 去认领项目 opens the projects of the communities the unit serves (issue 13 item 6),
 * not the staff member's own current community: one community directly, several through a
 * choice; the alliance hub browses the community given in `?communityId=`.
 */
import { act, fireEvent, render, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import AllianceHome from '../../miniprogram/src/packages/alliance/index';
import MyUnitPage from '../../miniprogram/src/packages/alliance/my-unit';
import { resetSession } from '../../miniprogram/src/store/session';
import { projectDetail } from './allianceFixtures';
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
const findById = (id: string) =>
  waitFor(() => {
    const el = byId(id);
    if (!el) throw new Error(`#${id} not rendered`);
    return el;
  });
const tap = async (id: string) => {
  await act(async () => {
    fireEvent.click(byId(id)!);
  });
};

const showActionSheet = jest.fn();
(Taro as unknown as { showActionSheet: typeof showActionSheet }).showActionSheet = showActionSheet;

function unitView(communityIds: string[]) {
  return {
    unit: {
      _id: 'unitA',
      name: '区人民医院',
      type: '医院' as const,
      address: '幸福路 100 号',
      partyOrg: '区人民医院党委',
      contact: '王老师',
      communityIds,
    },
    isAdmin: false,
    colleagues: [{ openid: 'u1', nickName: '张阿姨', isAdmin: false }],
  };
}

beforeEach(() => {
  resetSession();
  setRouterParams({});
  showActionSheet.mockReset();
  (Taro.navigateTo as jest.Mock).mockClear();
});

test('a unit serving one community (not the staff member’s own) opens that community’s projects', async () => {
  // The staff member browses 幸福里 (c1); the unit serves 和平社区 (c2) only.
  setHandlers({
    'user.me': () => meView([{ role: 'unitStaff', unitId: 'unitA' }]),
    'alliance.myUnit': () => unitView(['c2']),
  });
  render(<MyUnitPage />);
  await findById('my-unit-projects');
  await tap('my-unit-projects');
  expect(showActionSheet).not.toHaveBeenCalled();
  expect(Taro.navigateTo).toHaveBeenCalledWith({
    url: '/packages/alliance/index?tab=projects&communityId=c2',
  });
});

test('a unit serving several communities offers them by name and opens the chosen one', async () => {
  showActionSheet.mockResolvedValue({ tapIndex: 1 });
  setHandlers({
    'user.me': () => meView([{ role: 'unitStaff', unitId: 'unitA' }]),
    'alliance.myUnit': () => unitView(['c1', 'c2']),
  });
  render(<MyUnitPage />);
  await findById('my-unit-projects');
  await tap('my-unit-projects');
  expect(showActionSheet).toHaveBeenCalledWith({ itemList: ['幸福里社区', '和平社区'] });
  await waitFor(() =>
    expect(Taro.navigateTo).toHaveBeenCalledWith({
      url: '/packages/alliance/index?tab=projects&communityId=c2',
    }),
  );

  // Cancelling the choice goes nowhere.
  (Taro.navigateTo as jest.Mock).mockClear();
  showActionSheet.mockRejectedValue(new Error('showActionSheet:fail cancel'));
  await tap('my-unit-projects');
  expect(Taro.navigateTo).not.toHaveBeenCalled();
});

test('the alliance hub lists the projects of the community in ?communityId=', async () => {
  const {
    can: _can,
    tasks: _t,
    wanted: _w,
    needs: _n,
    claims: _c,
    updates: _u,
    ...summary
  } = projectDetail();
  setRouterParams({ tab: 'projects', communityId: 'c2' });
  setHandlers({
    'user.me': () => meView([{ role: 'unitStaff', unitId: 'unitA' }]),
    'alliance.listProjects': () => ({ items: [{ ...summary, communityId: 'c2' }], total: 1 }),
  });
  render(<AllianceHome />);
  await findById('project-p1');
  expect(callsTo('alliance', 'listProjects')).toEqual([{ communityId: 'c2', pageSize: 20 }]);
  expect(byId('alliance-page')).toHaveTextContent('和平社区 · 区域化党建');
});
