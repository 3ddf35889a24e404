import { act, fireEvent, render, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import type { MessageView } from '../../types/api';
import { HOUR } from './fixtures';
import { callsTo, setHandlers } from './mockApi';
import MessagesPage from '../../miniprogram/src/pages/messages/index';
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

function message(over: Partial<MessageView> = {}): MessageView {
  return {
    _id: 'm1',
    kind: 'activityReminder',
    title: '活动即将开始',
    body: '重阳节敬老志愿服务 将于 14:00 开始，请准时参加',
    page: 'pages/activity/detail?id=a1',
    createdAt: Date.now() - 3 * HOUR,
    read: false,
    ...over,
  };
}

const MESSAGES = [
  message(),
  message({
    _id: 'm2',
    kind: 'waitlistPromoted',
    title: '候补成功',
    body: '你已从候补转为正式报名',
    page: 'pages/activity/detail?id=a2',
    createdAt: Date.now() - 26 * HOUR,
    read: true,
  }),
  message({
    _id: 'm3',
    kind: 'activityChanged',
    title: '活动时间调整',
    body: '社区议事会改到周日下午',
    page: 'pages/activity/mine',
    createdAt: Date.now() - 5 * 60_000,
    read: false,
  }),
];

// Newest first, as the server answers.
const NEWEST_FIRST = [...MESSAGES].sort((a, b) => b.createdAt - a.createdAt);

test('lists messages newest first with title, body, relative time and an unread dot', async () => {
  setHandlers({
    'notify.list': () => ({ items: NEWEST_FIRST, total: 3, unread: 2 }),
  });
  render(<MessagesPage />);
  const first = await findById('message-m1');
  expect(first).toHaveTextContent('活动即将开始');
  expect(first).toHaveTextContent('重阳节敬老志愿服务 将于 14:00 开始');
  expect(first).toHaveTextContent('3小时前');
  expect(byId('message-m3')).toHaveTextContent('5分钟前');
  expect(byId('message-m2')).toHaveTextContent('1天前');

  const ids = Array.from(byId('message-list')!.querySelectorAll('[id^="message-m"]'))
    .map((el) => el.id)
    .filter((id) => !id.endsWith('-unread'));
  expect(ids).toEqual(['message-m3', 'message-m1', 'message-m2']);

  expect(byId('message-m1-unread')).toHaveAttribute('aria-label', '未读');
  expect(byId('message-m3-unread')).toBeInTheDocument();
  expect(byId('message-m2-unread')).toBeNull();
  expect(byId('mark-all-read')).toHaveTextContent('全部已读');
  expect(callsTo('notify', 'list')[0]).toEqual({ pageSize: 20 });
  // The tab badge follows the unread count.
  // 消息 is the fourth tab (首页 · 活动 · 诉求 · 消息 · 我的).
  expect(Taro.setTabBarBadge).toHaveBeenCalledWith({ index: 3, text: '2' });
});

test('tapping a message marks it read and opens its page', async () => {
  setHandlers({
    'notify.list': () => ({ items: NEWEST_FIRST, total: 3, unread: 2 }),
    'notify.markRead': () => ({ unread: 1 }),
  });
  render(<MessagesPage />);
  const row = await findById('message-m1');
  await act(async () => {
    fireEvent.click(row);
  });
  expect(callsTo('notify', 'markRead')).toEqual([{ ids: ['m1'] }]);
  expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/pages/activity/detail?id=a1' });
  expect(byId('message-m1-unread')).toBeNull();
  expect(byId('message-m3-unread')).toBeInTheDocument();
  await waitFor(() => expect(Taro.setTabBarBadge).toHaveBeenLastCalledWith({ index: 3, text: '1' }));

  // A read message opens without another markRead.
  await act(async () => {
    fireEvent.click(byId('message-m2')!);
  });
  expect(callsTo('notify', 'markRead')).toHaveLength(1);
  expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url: '/pages/activity/detail?id=a2' });
});

test('a message for a tab page switches tab', async () => {
  setHandlers({
    'notify.list': () => ({
      items: [message({ _id: 'm9', page: 'pages/activity/list', read: true })],
      total: 1,
      unread: 0,
    }),
  });
  render(<MessagesPage />);
  const row = await findById('message-m9');
  await act(async () => {
    fireEvent.click(row);
  });
  expect(Taro.switchTab).toHaveBeenCalledWith({ url: '/pages/activity/list' });
  expect(Taro.navigateTo).not.toHaveBeenCalled();
  expect(byId('mark-all-read')).toBeNull();
});

test('全部已读 marks everything read and clears the dots', async () => {
  setHandlers({
    'notify.list': () => ({ items: NEWEST_FIRST, total: 3, unread: 2 }),
    'notify.markRead': () => ({ unread: 0 }),
  });
  render(<MessagesPage />);
  const btn = await findById('mark-all-read');
  await act(async () => {
    fireEvent.click(btn);
  });
  expect(callsTo('notify', 'markRead')).toEqual([{ all: true }]);
  await waitFor(() => expect(byId('message-m1-unread')).toBeNull());
  expect(byId('message-m3-unread')).toBeNull();
  expect(byId('mark-all-read')).toBeNull();
  expect(Taro.removeTabBarBadge).toHaveBeenLastCalledWith({ index: 3 });
});

test('no messages: 暂无消息 with a hint', async () => {
  setHandlers({ 'notify.list': () => ({ items: [], total: 0, unread: 0 }) });
  render(<MessagesPage />);
  const empty = await findById('empty-state');
  expect(empty).toHaveTextContent('暂无消息');
  expect(empty).toHaveTextContent('报名活动后');
  expect(byId('mark-all-read')).toBeNull();
  fireEvent.click(byId('empty-state-action')!);
  expect(Taro.switchTab).toHaveBeenCalledWith({ url: '/pages/activity/list' });
});
