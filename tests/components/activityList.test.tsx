import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { meView, summary } from './fixtures';
import { callsTo, setHandlers } from './mockApi';
import { resetSession } from '../../miniprogram/src/store/session';
import Taro from '@tarojs/taro';
import type { RequestOf } from '../../types/api';
import { ApiCallError } from '../../miniprogram/src/api/errors';
import { triggerPullDownRefresh, triggerReachBottom } from './__mocks__/taro';
import ActivityList from '../../miniprogram/src/pages/activity/list';
import type * as MockApi from './mockApi';

jest.mock('../../miniprogram/src/api/client', () =>
  jest.requireActual<typeof MockApi>('./mockApi').clientModule(),
);

beforeEach(() => resetSession());

test('renders a card per activity with status, time and places', async () => {
  setHandlers({
    'user.me': () => meView(),
    'activity.list': () => ({
      items: [
        summary(),
        summary({
          _id: 'a2',
          title: '主题党日：重温入党誓词',
          type: 'partyDay',
          phase: 'full',
          capacity: 10,
          confirmedCount: 10,
          waitlistCount: 2,
        }),
        summary({ _id: 'a3', title: '社区大扫除', phase: 'cancelled' }),
      ],
      total: 3,
    }),
  });
  render(<ActivityList />);
  const card = await waitFor(() => {
    const el = document.getElementById('activity-a1');
    if (!el) throw new Error('no card yet');
    return el;
  });
  expect(card).toHaveTextContent('重阳节敬老志愿服务');
  expect(card).toHaveTextContent('报名中');
  expect(card).toHaveTextContent('11月23日 周六 14:00–16:00');
  expect(card).toHaveTextContent('幸福里党群服务中心');
  expect(card).toHaveTextContent('剩余 15 个名额');
  expect(document.getElementById('activity-a2')).toHaveTextContent('已满');
  expect(document.getElementById('activity-a2')).toHaveTextContent('候补 2 人');
  expect(document.getElementById('activity-a3')).toHaveTextContent('已取消');
  expect(callsTo('activity', 'list')[0]).toMatchObject({ when: 'upcoming', communityId: 'c1' });

  fireEvent.click(card);
  expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/pages/activity/detail?id=a1' });
});

test('shows the empty state with a next action, and filters by type', async () => {
  setHandlers({
    'user.me': () => meView(),
    'activity.list': () => ({ items: [], total: 0 }),
  });
  render(<ActivityList />);
  await screen.findByText('暂无活动，去看看志愿服务');
  expect(document.getElementById('empty-state')).toBeInTheDocument();
  expect(document.querySelector('[id^="activity-a"]')).toBeNull();

  fireEvent.click(screen.getByText('看看志愿服务'));
  await waitFor(() => expect(callsTo('activity', 'list').some((d) => d.type === 'volunteer')).toBe(true));
  await screen.findByText('暂无志愿服务活动，过几天再来看看');
});

test('shows an error with retry when loading fails', async () => {
  let fail = true;
  setHandlers({
    'user.me': () => meView(),
    'activity.list': () => {
      if (fail) {
        throw new ApiCallError({ code: 'INTERNAL', message: '网络不稳定，请重试' });
      }
      return { items: [summary()], total: 1 };
    },
  });
  render(<ActivityList />);
  await screen.findByText('网络不稳定，请重试');
  fail = false;
  fireEvent.click(screen.getByText('重试'));
  await waitFor(() => expect(document.getElementById('activity-a1')).toBeInTheDocument());
});

test('loads the next page with the cursor when reaching the bottom', async () => {
  setHandlers({
    'user.me': () => meView(),
    'activity.list': (d: RequestOf<'activity', 'list'>) =>
      d.cursor === '10'
        ? { items: [summary({ _id: 'a11', title: '第二页活动' })], total: 11 }
        : { items: [summary()], nextCursor: '10', total: 11 },
  });
  render(<ActivityList />);
  await waitFor(() => expect(document.getElementById('activity-a1')).toBeInTheDocument());
  act(() => triggerReachBottom());
  await waitFor(() => expect(document.getElementById('activity-a11')).toBeInTheDocument());
  expect(callsTo('activity', 'list')[1]).toMatchObject({ cursor: '10' });
  expect(screen.getByText('没有更多了')).toBeInTheDocument();
});

test('pull-to-refresh keeps the cards on screen and replaces them with fresh data', async () => {
  let version = 1;
  let release: () => void = () => undefined;
  setHandlers({
    'user.me': () => meView(),
    'activity.list': async () => {
      if (version > 1) await new Promise<void>((r) => (release = r));
      return { items: [summary({ title: `第 ${version} 版活动` })], total: 1 };
    },
  });
  render(<ActivityList />);
  await screen.findByText('第 1 版活动');
  version = 2;
  act(() => triggerPullDownRefresh());
  // While the refresh is in flight the old card stays and no skeleton replaces it.
  expect(screen.getByText('第 1 版活动')).toBeTruthy();
  expect(screen.queryByLabelText('正在加载')).toBeNull();
  await act(async () => release());
  await screen.findByText('第 2 版活动');
  await waitFor(() => expect(Taro.stopPullDownRefresh).toHaveBeenCalled());
});

test('date filter asks for activities starting within that Shanghai day, and hides for ended', async () => {
  setHandlers({ 'user.me': () => meView(), 'activity.list': () => ({ items: [], total: 0 }) });
  render(<ActivityList />);
  await screen.findByText('暂无活动，去看看志愿服务');
  fireEvent.click(document.getElementById('filter-date-tomorrow')!);
  await screen.findByText('这段时间暂无活动，换个日期看看');
  const last = callsTo('activity', 'list').at(-1)!;
  expect(last.to! - last.from!).toBe(24 * 3600_000);
  // Day boundaries fall on Shanghai midnight (16:00 UTC).
  expect(new Date(last.from!).getUTCHours()).toBe(16);
  expect(last.from! - Date.now()).toBeGreaterThan(0);
  expect(last.from! - Date.now()).toBeLessThanOrEqual(24 * 3600_000);

  fireEvent.click(document.getElementById('filter-when-ended')!);
  await waitFor(() => expect(callsTo('activity', 'list').at(-1)).toMatchObject({ when: 'ended' }));
  expect(callsTo('activity', 'list').at(-1)!.from).toBeUndefined();
  expect(document.getElementById('filter-date-tomorrow')).toBeNull();
});
