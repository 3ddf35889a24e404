/**
 * 发送通知 (issue 14 item 3, client): 报名名单 opens the page; the form checks title and text
 * inline (counters, Chinese messages) and the audience (nobody to send to); a confirmation names
 * how many people get it; the request id is made once per form and reused when the send is retried
 * (a lost answer or a double tap sends nothing twice); 再写一条通知 starts a new id; the status
 * view polls noticeStatus until every entry is written and no WeChat message waits; past notices
 * open their status.
 */
import { act, render, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import type { RequestOf } from '../../types/api';
import type { NoticeView } from '../../types/notices';
import { ApiCallError } from '../../miniprogram/src/api/errors';
import { resetSession } from '../../miniprogram/src/store/session';
import NoticePage from '../../miniprogram/src/packages/worker/notice';
import { noticeErrors, newRequestId } from '../../miniprogram/src/packages/worker/notice-form';
import Participants from '../../miniprogram/src/packages/worker/participants';
import { detail, meView } from './fixtures';
import { setRouterParams } from './__mocks__/taro';
import { byId, emit, findById, tap } from './dom';
import { callMock, callsTo, setHandlers } from './mockApi';
import type * as MockApi from './mockApi';

jest.mock('../../miniprogram/src/api/client', () =>
  jest.requireActual<typeof MockApi>('./mockApi').clientModule(),
);

const NOW = Date.now();
const notice = (over: Partial<NoticeView> = {}): NoticeView => ({
  _id: 'n1',
  activityId: 'a1',
  audience: 'confirmed',
  title: '集合地点调整',
  text: '请于 13:50 到东门集合。',
  createdAt: NOW,
  recipients: 5,
  entries: 0,
  sent: 0,
  waiting: 0,
  noQuota: 0,
  done: false,
  ...over,
});

/** A server that answers the page: 5 confirmed, 2 on the waitlist, no notices yet. */
function serve(extra: Record<string, unknown> = {}) {
  setHandlers({
    'user.me': () => meView([{ role: 'worker', communityId: 'c1' }]),
    'activity.detail': () => detail({ _id: 'a1', confirmedCount: 5, waitlistCount: 2, title: '重阳节敬老' }),
    'activity.notices': () => ({ items: [], total: 0 }),
    'activity.notifyParticipants': (d: RequestOf<'activity', 'notifyParticipants'>) =>
      notice({
        title: d.title,
        text: d.text,
        audience: d.audience,
        recipients: d.audience === 'confirmed' ? 5 : 2,
      }),
    'activity.noticeStatus': () => notice({ entries: 5, sent: 3, noQuota: 2, done: true }),
    ...extra,
  });
}

async function fillForm(title = '集合地点调整', text = '请于 13:50 到东门集合。') {
  await findById('notice-form');
  await emit('notice-title-input', title);
  await emit('notice-text-input', text);
}

beforeEach(() => {
  resetSession();
  setRouterParams({ id: 'a1' });
  (Taro.navigateTo as jest.Mock).mockClear();
});

test('报名名单 → 发送通知 opens the notice page of that activity; 未到场名单 shows only after the end', async () => {
  setHandlers({
    'user.pendingSignUps': () => ({ pending: 0 }),
    'activity.participants': () => ({ items: [], total: 0 }),
    'activity.detail': () => detail({ _id: 'a1', phase: 'open' }),
  });
  setRouterParams({ id: 'a1', tab: 'confirmed' });
  const page = render(<Participants />);
  await tap((await findById('participants-notice')).id);
  expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url: '/packages/worker/notice?id=a1' });
  await waitFor(() => expect(callsTo('activity', 'detail')).toHaveLength(1));
  expect(byId('participants-noshows')).toBeNull();
  page.unmount();

  setHandlers({
    'user.pendingSignUps': () => ({ pending: 0 }),
    'activity.participants': () => ({ items: [], total: 0 }),
    'activity.detail': () => detail({ _id: 'a1', phase: 'ended' }),
  });
  render(<Participants />);
  await tap((await findById('participants-noshows')).id);
  expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url: '/packages/worker/no-shows?id=a1' });
});

test('inline validation: title and text lengths with counters, nobody on the waitlist; nothing is sent', async () => {
  serve({ 'activity.detail': () => detail({ _id: 'a1', confirmedCount: 5, waitlistCount: 0 }) });
  render(<NoticePage />);
  await findById('notice-form');
  expect(byId('notice-audience-confirmed')).toHaveTextContent('已报名（5 人）');
  expect(byId('notice-audience-waitlisted')).toHaveTextContent('候补（0 人）');

  await tap('notice-send');
  expect(byId('notice-title-error')).toHaveTextContent('请填写通知标题（至少 2 个字）');
  expect(byId('notice-text-error')).toHaveTextContent('请填写通知内容（至少 2 个字）');
  expect(byId('confirm-dialog')).toBeNull();

  // Messages follow the typing once the worker has tried to send.
  await emit('notice-title-input', '集合地点调整');
  await waitFor(() => expect(byId('notice-title-error')).toBeNull());
  expect(byId('notice-title-counter')).toHaveTextContent('6/20');
  await emit('notice-text-input', '请于 13:50 到东门集合。');
  expect(byId('notice-text-counter')).toHaveTextContent('15/300');
  await waitFor(() => expect(byId('notice-text-error')).toBeNull());

  await tap('notice-audience-waitlisted');
  expect(await findById('notice-audience-error')).toHaveTextContent('候补名单为空，无人可通知');
  await tap('notice-send');
  expect(byId('confirm-dialog')).toBeNull();
  expect(callsTo('activity', 'notifyParticipants')).toHaveLength(0);

  // The rules themselves, at the limits the server has.
  const ok = { audience: 'confirmed' as const, title: '通知', text: '内容' };
  expect(noticeErrors(ok, 3)).toEqual({});
  expect(noticeErrors({ ...ok, title: 'x'.repeat(21) }, 3).title).toBe('通知标题最多 20 个字，请精简');
  expect(noticeErrors({ ...ok, text: 'x'.repeat(301) }, 3).text).toBe('通知内容最多 300 个字，请精简');
  expect(noticeErrors({ ...ok, title: '  a  ' }, 3).title).toMatch(/至少 2 个字/);
  expect(noticeErrors(ok, 0).audience).toBe('还没有人报名成功，无人可通知');
  expect(newRequestId().length).toBeGreaterThanOrEqual(8);
  expect(newRequestId()).not.toBe(newRequestId());
});

test('the confirmation names how many people get it; 再想想 sends nothing', async () => {
  serve();
  render(<NoticePage />);
  await fillForm();
  await tap('notice-audience-waitlisted');
  await tap('notice-send');
  expect(await findById('confirm-dialog-text')).toHaveTextContent('将发给「候补」的 2 人');
  await tap('confirm-dialog-cancel');
  expect(byId('confirm-dialog')).toBeNull();
  expect(callsTo('activity', 'notifyParticipants')).toHaveLength(0);

  await tap('notice-audience-confirmed');
  await tap('notice-send');
  expect(await findById('confirm-dialog-text')).toHaveTextContent('将发给「已报名」的 5 人');
  await tap('confirm-dialog-ok');
  await waitFor(() => expect(callsTo('activity', 'notifyParticipants')).toHaveLength(1));
  expect(callsTo('activity', 'notifyParticipants')[0]).toEqual({
    activityId: 'a1',
    audience: 'confirmed',
    title: '集合地点调整',
    text: '请于 13:50 到东门集合。',
    requestId: expect.stringMatching(/^.{8,64}$/),
  });
});

test('a failed send is retried with the same request id; a double tap sends once; a new notice gets a new id', async () => {
  let failNext = true;
  serve({
    'activity.notifyParticipants': (d: RequestOf<'activity', 'notifyParticipants'>) => {
      if (failNext) {
        failNext = false;
        throw new ApiCallError({ code: 'INTERNAL', message: '网络不稳定，请重试' });
      }
      return notice({ title: d.title, text: d.text, repeated: true });
    },
  });
  render(<NoticePage />);
  await fillForm();
  await tap('notice-send');
  await tap((await findById('confirm-dialog-ok')).id);
  expect(await findById('notice-send-error')).toHaveTextContent('网络不稳定，请重试');
  expect(byId('notice-send-error')).toHaveTextContent('不会重复发送');

  // Retry: a double tap opens one confirmation, and the call carries the first try's id.
  await tap('notice-send');
  await tap('notice-send');
  await tap((await findById('confirm-dialog-ok')).id);
  await findById('notice-status-view');
  const sends = callsTo('activity', 'notifyParticipants');
  expect(sends).toHaveLength(2);
  expect(sends[1]!.requestId).toBe(sends[0]!.requestId);
  // The server found the first try: the page says nothing was sent twice.
  expect(byId('notice-repeated')).toHaveTextContent('没有重复发送');

  await tap('notice-new');
  await fillForm('活动延期', '因天气原因，活动改到下周六。');
  await tap('notice-send');
  await tap((await findById('confirm-dialog-ok')).id);
  await waitFor(() => expect(callsTo('activity', 'notifyParticipants')).toHaveLength(3));
  expect(callsTo('activity', 'notifyParticipants')[2]!.requestId).not.toBe(sends[0]!.requestId);
});

test('after sending, the status view polls noticeStatus until every entry is written and no WeChat message waits', async () => {
  const statuses = [
    notice({ entries: 2, sent: 1, waiting: 1 }),
    notice({ entries: 5, sent: 2, waiting: 1, noQuota: 2, done: true }),
    notice({ entries: 5, sent: 3, waiting: 0, noQuota: 2, done: true }),
  ];
  serve({
    'activity.noticeStatus': () =>
      statuses.shift() ?? notice({ entries: 5, sent: 3, noQuota: 2, done: true }),
  });
  const page = render(<NoticePage />);
  await fillForm();
  await tap('notice-send');
  await tap((await findById('confirm-dialog-ok')).id);

  // The send's own answer first: nothing written yet.
  expect(await findById('notice-count-entries')).toHaveTextContent('0/5');
  expect(byId('notice-status-tag')).toHaveTextContent('发送中');
  expect(byId('notice-progress')).toHaveAttribute('role', 'progressbar');
  expect(byId('notice-progress')).toHaveAttribute('aria-valuemax', '5');

  await waitFor(() => expect(byId('notice-count-entries')).toHaveTextContent('2/5'), { timeout: 4000 });
  expect(byId('notice-progress')).toHaveAttribute('aria-valuenow', '2');
  expect(byId('notice-count-waiting')).toHaveTextContent('1');
  await waitFor(() => expect(byId('notice-status-tag')).toHaveTextContent('已发送完成'), { timeout: 8000 });
  expect(byId('notice-count-sent')).toHaveTextContent('3');
  expect(byId('notice-count-noquota')).toHaveTextContent('2');
  expect(callsTo('activity', 'noticeStatus')).toHaveLength(3);
  expect(callsTo('activity', 'noticeStatus')[0]).toEqual({ noticeId: 'n1' });

  // Settled: no more polls, and none after the page is left.
  await act(() => new Promise((r) => setTimeout(r, 2000)));
  expect(callsTo('activity', 'noticeStatus')).toHaveLength(3);
  page.unmount();
}, 20_000);

test('polling stops when the page is left', async () => {
  serve({ 'activity.noticeStatus': () => notice({ entries: 1 }) });
  const page = render(<NoticePage />);
  await fillForm();
  await tap('notice-send');
  await tap((await findById('confirm-dialog-ok')).id);
  await findById('notice-status');
  page.unmount();
  await act(() => new Promise((r) => setTimeout(r, 2000)));
  expect(callsTo('activity', 'noticeStatus')).toHaveLength(0);
});

test('past notices are listed and open their status', async () => {
  serve({
    'activity.notices': () => ({
      items: [
        {
          _id: 'n9',
          activityId: 'a1',
          audience: 'waitlisted',
          title: '候补递补说明',
          text: '…',
          createdAt: NOW - 3600_000,
          recipients: 2,
        },
      ],
      total: 1,
    }),
    'activity.noticeStatus': () =>
      notice({
        _id: 'n9',
        audience: 'waitlisted',
        title: '候补递补说明',
        recipients: 2,
        entries: 2,
        sent: 2,
        done: true,
      }),
  });
  render(<NoticePage />);
  const item = await findById('notice-item-n9');
  expect(item).toHaveTextContent('候补递补说明');
  expect(item).toHaveTextContent('2 人');
  expect(item).toHaveTextContent('候补');
  expect(callsTo('activity', 'notices')[0]).toEqual({ activityId: 'a1', pageSize: 10 });
  await tap('notice-item-n9');
  await waitFor(() => expect(byId('notice-status-tag')).toHaveTextContent('已发送完成'));
  expect(callsTo('activity', 'noticeStatus')).toEqual([{ noticeId: 'n9' }]);
  expect(byId('notice-count-entries')).toHaveTextContent('2/2');
  expect(callMock.mock.calls.some((c) => c[1] === 'notifyParticipants')).toBe(false);
});
