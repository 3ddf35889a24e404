import { fireEvent, render, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import type { SinkRecord } from '../../types/api';
import { meView } from './fixtures';
import { setHandlers } from './mockApi';
import DevOutboxPage from '../../miniprogram/src/packages/dev/outbox';
import MePage from '../../miniprogram/src/pages/me/index';
import type * as MockApi from './mockApi';

jest.mock('../../miniprogram/src/api/client', () =>
  jest.requireActual<typeof MockApi>('./mockApi').clientModule(),
);

const byId = (id: string) => document.getElementById(id);
const request = Taro.request as unknown as jest.Mock;

async function findById(id: string): Promise<HTMLElement> {
  return waitFor(() => {
    const el = byId(id);
    if (!el) throw new Error(`#${id} not rendered`);
    return el;
  });
}

const AT = Date.UTC(2030, 10, 23, 4, 0, 5); // 12:00:05 in Shanghai
const RECORDS: SinkRecord[] = [
  {
    _id: 'r2',
    at: AT,
    touser: 'demo-resident',
    templateId: 'tmpl-remind',
    kind: 'activityReminder',
    page: 'pages/activity/detail?id=a1',
    data: { thing1: { value: '重阳节敬老志愿服务' }, time2: { value: '2030年11月23日 14:00' } },
    result: 'ok',
  },
  {
    _id: 'r1',
    at: AT - 60_000,
    touser: 'demo-member',
    templateId: 'tmpl-changed',
    kind: 'activityChanged',
    page: 'pages/activity/detail?id=a2',
    data: { thing1: { value: '主题党日' } },
    result: 43101,
  },
];

function serve(demo: boolean) {
  request.mockImplementation((opts: { url: string }) => {
    if (opts.url.endsWith('/api/config'))
      return Promise.resolve({ statusCode: 200, data: { ok: true, data: { demo } } });
    if (opts.url.endsWith('/api/dev/outbox'))
      return Promise.resolve({ statusCode: 200, data: { ok: true, data: { records: RECORDS } } });
    return Promise.reject(new Error(`unexpected ${opts.url}`));
  });
}

afterEach(() => request.mockReset());

test('in H5 demo mode 我的 links to the developer outbox', async () => {
  serve(true);
  setHandlers({ 'user.me': () => meView() });
  render(<MePage />);
  const entry = await findById('entry-dev-outbox');
  expect(entry).toHaveTextContent('开发者：订阅消息记录');
  fireEvent.click(entry);
  expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/dev/outbox' });
});

test('the outbox lists what the sink received, newest first', async () => {
  serve(true);
  render(<DevOutboxPage />);
  const first = await findById('outbox-r2');
  expect(request).toHaveBeenCalledWith(expect.objectContaining({ url: '/api/dev/outbox', method: 'GET' }));
  const list = byId('dev-outbox-list')!;
  expect(Array.from(list.querySelectorAll('[id^="outbox-r"]')).map((e) => e.id)).toEqual([
    'outbox-r2',
    'outbox-r1',
  ]);
  expect(first).toHaveTextContent('活动提醒');
  expect(first).toHaveTextContent('2030-11-23 12:00:05');
  expect(first).toHaveTextContent('demo-resident');
  expect(first).toHaveTextContent('pages/activity/detail?id=a1');
  expect(first).toHaveTextContent('thing1: 重阳节敬老志愿服务');
  expect(first).toHaveTextContent('time2: 2030年11月23日 14:00');
  expect(first).toHaveTextContent('已发送');
  expect(byId('outbox-r1')).toHaveTextContent('失败 43101');
  expect(byId('dev-outbox-page')).toBeInTheDocument();
});
