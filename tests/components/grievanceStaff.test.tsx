import { act, fireEvent, render, waitFor } from '@testing-library/react';
import { resetSession } from '../../miniprogram/src/store/session';
import GrievanceQueue from '../../miniprogram/src/packages/worker/grievances';
import GrievanceStatsPage from '../../miniprogram/src/packages/worker/grievance-stats';
import HandlerQueue from '../../miniprogram/src/packages/worker/handling';
import GrievanceTab from '../../miniprogram/src/pages/grievance/index';
import { periodRange } from '../../miniprogram/src/utils/time';
import { meView } from './fixtures';
import { CATEGORIES, POLICY, grievanceStats, grievanceSummary } from './grievanceFixtures';
import { callsTo, setHandlers } from './mockApi';
import Taro from '@tarojs/taro';
import type * as MockApi from './mockApi';

jest.mock('../../miniprogram/src/api/client', () =>
  jest.requireActual<typeof MockApi>('./mockApi').clientModule(),
);

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

beforeEach(() => {
  resetSession();
});

test('the worker queue shows the overdue tag, handler and due time, and filters by stage', async () => {
  setHandlers({
    'user.me': () => meView([{ role: 'worker', communityId: 'c1' }]),
    'grievance.categories': () => ({ categories: CATEGORIES, policy: POLICY }),
    'grievance.queue': () => ({
      items: [
        grievanceSummary({ _id: 'late', overdue: true, stage: 'inProgress', handlerName: '区人民医院' }),
        grievanceSummary({ _id: 'fresh' }),
      ],
      total: 2,
    }),
  });
  render(<GrievanceQueue />);
  const late = await findById('grievance-late');
  expect(byId('grievance-late-overdue')).toHaveTextContent('超期');
  expect(byId('grievance-late-stage')).toHaveTextContent('办理中');
  expect(late).toHaveTextContent('区人民医院');
  expect(late).toHaveTextContent('已超期');
  expect(byId('grievance-fresh-overdue')).toBeNull();
  expect(byId('grievance-fresh')).toHaveTextContent('未派单');
  expect(callsTo('grievance', 'queue')[0]).toEqual({ pageSize: 20, communityId: 'c1' });

  await tap((await findById('queue-stage-overdue')).id);
  await waitFor(() => expect(callsTo('grievance', 'queue')).toHaveLength(2));
  expect(callsTo('grievance', 'queue')[1]).toMatchObject({ overdueOnly: true });
  await tap((await findById('queue-category-facility')).id);
  await waitFor(() => expect(callsTo('grievance', 'queue')).toHaveLength(3));
  expect(callsTo('grievance', 'queue')[2]).toMatchObject({ overdueOnly: true, category: 'facility' });
  await tap('queue-stage-submitted');
  await waitFor(() => expect(callsTo('grievance', 'queue')).toHaveLength(4));
  expect(callsTo('grievance', 'queue')[3]).toEqual({
    pageSize: 20,
    communityId: 'c1',
    stage: 'submitted',
    category: 'facility',
  });
});

test('the handler queue lists grievances dispatched to me', async () => {
  setHandlers({
    'grievance.handlerQueue': () => ({
      items: [grievanceSummary({ _id: 'h1', stage: 'dispatched', overdue: true })],
      total: 1,
    }),
  });
  render(<HandlerQueue />);
  await findById('grievance-h1');
  expect(byId('grievance-h1-stage')).toHaveTextContent('已派单');
  expect(byId('grievance-h1-overdue')).toHaveTextContent('超期');
  await tap('grievance-h1');
  expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/grievance/detail?id=h1' });
});

test('the stats page shows percentages, durations and both tables', async () => {
  setHandlers({
    'user.me': () => meView([{ role: 'worker', communityId: 'c1' }]),
    'grievance.stats': () => grievanceStats(),
  });
  render(<GrievanceStatsPage />);
  await findById('stat-responseRate');
  expect(byId('stats-page')).toBeInTheDocument();
  expect(byId('stat-responseRate')).toHaveTextContent('83.3%');
  expect(byId('stat-resolutionRate')).toHaveTextContent('75%');
  expect(byId('stat-satisfactionRate')).toHaveTextContent('87.5%');
  expect(byId('stat-overdue')).toHaveTextContent('2');
  expect(byId('stat-accepted')).toHaveTextContent('11');
  expect(byId('stat-avgAccept')).toHaveTextContent('3.5 小时');
  expect(byId('stat-avgClose')).toHaveTextContent('2.1 天');
  expect(byId('stat-responseRate')).toHaveTextContent('响应率');

  const byCategory = byId('stats-by-category')!;
  expect(byCategory).toHaveAttribute('role', 'table');
  expect(byCategory.querySelectorAll('[role="row"]')).toHaveLength(3);
  expect(byId('stats-by-category-facility')).toHaveTextContent('设施维修');
  expect(byId('stats-by-category-facility')).toHaveTextContent('100%');
  expect(byId('stats-by-category-sanitation')).toHaveTextContent('0%');
  expect(byId('stats-by-handler')).toHaveTextContent('区人民医院（驻区单位）');
  expect(byId('stats-by-handler')).toHaveTextContent('50%');

  // This month by default; 上月 asks for the previous Shanghai month.
  const first = callsTo('grievance', 'stats')[0];
  expect(first).toMatchObject({ communityId: 'c1', ...periodRange('thisMonth') });
  await tap('stats-period-lastMonth');
  await waitFor(() => expect(callsTo('grievance', 'stats')).toHaveLength(2));
  expect(callsTo('grievance', 'stats')[1]).toMatchObject(periodRange('lastMonth'));
});

test('periods are Shanghai calendar months and years', () => {
  // 2030-12-01 01:00 in Shanghai is still November in UTC.
  const now = Date.UTC(2030, 10, 30, 17, 0);
  expect(periodRange('thisMonth', now)).toEqual({
    from: Date.UTC(2030, 10, 30, 16, 0),
    to: Date.UTC(2030, 11, 31, 16, 0),
  });
  expect(periodRange('lastMonth', now)).toEqual({
    from: Date.UTC(2030, 9, 31, 16, 0),
    to: Date.UTC(2030, 10, 30, 16, 0),
  });
  expect(periodRange('thisYear', now)).toEqual({
    from: Date.UTC(2029, 11, 31, 16, 0),
    to: Date.UTC(2030, 11, 31, 16, 0),
  });
});

test('the 诉求 tab lists my grievances by stage and offers 我要反映 when empty', async () => {
  setHandlers({
    'user.me': () => meView(),
    'grievance.mine': () => ({ items: [], total: 0 }),
  });
  render(<GrievanceTab />);
  const empty = await findById('grievance-empty');
  expect(empty).toHaveTextContent('还没有反映过问题');
  await tap('grievance-empty-action');
  expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/grievance/new' });
  await tap('grievance-new');
  expect(Taro.navigateTo).toHaveBeenCalledTimes(2);
  expect(callsTo('grievance', 'mine')[0]).toEqual({ stage: 'all', pageSize: 10 });

  setHandlers({
    'user.me': () => meView(),
    'grievance.mine': () => ({ items: [grievanceSummary({ stage: 'resolved' })], total: 1 }),
  });
  await tap('grievance-filter-closed');
  await waitFor(() => expect(byId('grievance-g1-stage')).toHaveTextContent('已办结'));
  expect(callsTo('grievance', 'mine')[0]).toEqual({ stage: 'closed', pageSize: 10 });
});
