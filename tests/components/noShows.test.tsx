/**
 * 未到场名单 (issue 14 item 3, client): the ended activity's no-shows with each person's yearly
 * count (3 or more marked 多次未到, in words as well as colour), the note while the activity is not
 * yet tallied, the server's refusal before the end shown in Chinese, and the community's yearly
 * counts (noShowCounts, paged, the worker's community and the chosen year); at desk width both are
 * tables.
 */
import { render, waitFor } from '@testing-library/react';
import type { RequestOf } from '../../types/api';
import type { NoShowCountView, NoShowItem } from '../../types/notices';
import { ApiCallError } from '../../miniprogram/src/api/errors';
import { resetSession } from '../../miniprogram/src/store/session';
import NoShowsPage from '../../miniprogram/src/packages/worker/no-shows';
import { shanghai } from '../../miniprogram/src/utils/time';
import { meView, START } from './fixtures';
import { setRouterParams } from './__mocks__/taro';
import { byId, findById, tap } from './dom';
import { callsTo, setHandlers } from './mockApi';
import type * as MockApi from './mockApi';

jest.mock('../../miniprogram/src/api/client', () =>
  jest.requireActual<typeof MockApi>('./mockApi').clientModule(),
);

const person = (openid: string, nickName: string, yearCount: number): NoShowItem => ({
  openid,
  nickName,
  yearCount,
  signedUpAt: START - 86_400_000,
});

const COUNTS: NoShowCountView[] = Array.from({ length: 25 }, (_, i) => ({
  openid: `u${i}`,
  nickName: `居民${i}`,
  count: 25 - i,
}));

function serve(over: Record<string, unknown> = {}) {
  setHandlers({
    'user.me': () => meView([{ role: 'worker', communityId: 'c1' }]),
    'activity.noShows': () => ({
      items: [person('p1', '老王', 4), person('p2', '小李', 1)],
      total: 2,
      year: 2030,
      tallied: true,
    }),
    'activity.noShowCounts': (d: RequestOf<'activity', 'noShowCounts'>) => {
      const start = d.cursor ? Number(d.cursor) : 0;
      const size = d.pageSize ?? 20;
      const items = COUNTS.slice(start, start + size);
      return {
        items,
        total: COUNTS.length,
        ...(start + size < COUNTS.length ? { nextCursor: String(start + size) } : {}),
      };
    },
    ...over,
  });
}

beforeEach(() => {
  resetSession();
  process.env.TARO_ENV = 'h5';
});

test('an ended activity’s no-shows with their yearly counts; 3 or more are marked 多次未到', async () => {
  serve();
  setRouterParams({ id: 'a1' });
  render(<NoShowsPage />);
  await findById('noshow-p1');
  expect(callsTo('activity', 'noShows')[0]).toEqual({ activityId: 'a1', pageSize: 20 });
  expect(byId('noshow-total')).toHaveTextContent('本场未到 2 人');
  expect(byId('noshow-total')).not.toHaveTextContent('暂不含本场');
  // The activity's year (2030) is not this year: the line names it.
  expect(byId('noshow-count-p1')).toHaveTextContent('2030 年未到 4 次');
  expect(byId('noshow-count-p1')).toHaveTextContent('多次未到');
  expect(byId('noshow-count-p1')!.querySelector('.noshow-count--many')).not.toBeNull();
  expect(byId('noshow-count-p2')).toHaveTextContent('2030 年未到 1 次');
  expect(byId('noshow-count-p2')).not.toHaveTextContent('多次未到');
  expect(byId('noshow-p2')).toHaveTextContent('小李');
});

test('not yet tallied: the note says the counts do not include this activity yet', async () => {
  serve({
    'activity.noShows': () => ({
      items: [person('p1', '老王', 2)],
      total: 1,
      year: shanghai(Date.now()).year(),
      tallied: false,
    }),
  });
  setRouterParams({ id: 'a1' });
  render(<NoShowsPage />);
  expect(await findById('noshow-total')).toHaveTextContent('次数暂不含本场');
  expect(byId('noshow-count-p1')).toHaveTextContent('今年未到 2 次');
});

test('before the end the server refuses; the page says so in Chinese; nobody missing shows an empty state', async () => {
  serve({
    'activity.noShows': () => {
      throw new ApiCallError({ code: 'CONFLICT', message: '活动结束后才能查看未到场名单' });
    },
  });
  setRouterParams({ id: 'a1' });
  const page = render(<NoShowsPage />);
  expect(await findById('noshow-error')).toHaveTextContent('活动结束后才能查看未到场名单');
  page.unmount();

  serve({ 'activity.noShows': () => ({ items: [], total: 0, year: 2030, tallied: true }) });
  render(<NoShowsPage />);
  expect(await findById('noshow-empty')).toHaveTextContent('没有未到场的人');
});

test('全年统计: the worker’s community, the activity’s year, most first, paged at desk width', async () => {
  serve();
  setRouterParams({ id: 'a1' });
  const matchMedia = window.matchMedia;
  window.matchMedia = ((q: string) => ({
    matches: true,
    media: q,
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
  })) as unknown as typeof window.matchMedia;
  try {
    render(<NoShowsPage />);
    await findById('noshow-table');
    // At desk width the list is a table with the yearly count column.
    expect(byId('noshow-table-row-p1')).toHaveTextContent('4 次');
    await tap('noshow-tab-year');
    await findById('noshow-counts-table');
    expect(callsTo('activity', 'noShowCounts')[0]).toEqual({ communityId: 'c1', year: 2030, pageSize: 20 });
    expect(byId('noshow-counts-total')).toHaveTextContent('2030 年有未到记录的 25 人');
    expect(byId('noshow-counts-table-row-u0')).toHaveTextContent('25 次');
    expect(byId('noshow-counts-table-row-u0')).toHaveTextContent('多次未到');
    expect(byId('noshow-counts-table-pageinfo')).toHaveTextContent('第 1 / 2+ 页，共 25 条');
    // Past the loaded rows: the next page is asked for with the cursor.
    await tap('noshow-counts-table-next');
    await tap('noshow-counts-table-next');
    await waitFor(() => expect(callsTo('activity', 'noShowCounts')).toHaveLength(2));
    expect(callsTo('activity', 'noShowCounts')[1]).toEqual({
      communityId: 'c1',
      year: 2030,
      pageSize: 20,
      cursor: '20',
    });
    await findById('noshow-counts-table-row-u24');
  } finally {
    window.matchMedia = matchMedia;
  }
});

test('from the 工作台 (no activity): the yearly counts of this year on a phone, with another year to pick', async () => {
  serve();
  setRouterParams({});
  render(<NoShowsPage />);
  await findById('noshow-year-u0');
  expect(byId('noshow-tab-activity')).toBeNull();
  const year = shanghai(Date.now()).year();
  expect(callsTo('activity', 'noShows')).toHaveLength(0);
  expect(callsTo('activity', 'noShowCounts')[0]).toMatchObject({ communityId: 'c1', year });
  expect(byId('noshow-year-u0')).toHaveTextContent(`${year} 年未到 25 次`);
  expect(byId('noshow-counts-table')).toBeNull();
  await tap(`noshow-year-${year - 1}`);
  await waitFor(() => expect(callsTo('activity', 'noShowCounts')).toHaveLength(2));
  expect(callsTo('activity', 'noShowCounts')[1]).toMatchObject({ year: year - 1 });
});
