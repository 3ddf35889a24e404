import { activityInput, createHarness, DAY, HOUR, type Harness } from '../helpers/harness';
import type { Message } from '../../types/domain';
import { withinLimits } from '../../cloudfunctions/domain/template-values';
import { sweep, deliver, LEASE_MS, type StoredMessage } from '../../cloudfunctions/core/notify/dispatcher';
import { REMINDER_LEAD_MS } from '../../cloudfunctions/activity/notifications';

const WORKER = 'demo-worker';
const RESIDENT = 'demo-resident';
const MEMBER = 'demo-member';
const VOLUNTEER = 'demo-volunteer';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

const publish = (over: Record<string, unknown> = {}) =>
  h.call(WORKER, 'activity', 'publish', activityInput(h.clock.now, over) as never);

/** Subscribe the way the app does: templates for the scene, then the user's answers. */
async function subscribe(openid: string, answer: 'accept' | 'reject' = 'accept') {
  const { templates } = await h.call(openid, 'notify', 'templates', { scene: 'activitySignUp' });
  const results = Object.fromEntries(templates.map((t) => [t.templateId, answer]));
  return h.call(openid, 'notify', 'subscribe', { scene: 'activitySignUp', results });
}

async function messagesOf(openid: string): Promise<StoredMessage[]> {
  const { data } = await h.rt.runtime.db.collection('messages').where({ openid }).limit(100).get();
  return data as StoredMessage[];
}

async function sent(openid?: string) {
  return (await h.rt.sink.records()).filter((r) => !openid || r.touser === openid);
}

describe('subscribing', () => {
  it('offers at most 3 templates for the scene and counts one quota per accept', async () => {
    const { templates } = await h.call(RESIDENT, 'notify', 'templates', { scene: 'activitySignUp' });
    expect(templates.map((t) => t.kind)).toEqual(['activityReminder', 'waitlistPromoted', 'activityChanged']);
    expect(templates.every((t) => t.templateId.startsWith('local-'))).toBe(true);
    await subscribe(RESIDENT);
    const res = await subscribe(RESIDENT);
    expect(res.quotas.map((q) => q.quota)).toEqual([2, 2, 2]);
    const rejected = await subscribe(RESIDENT, 'reject');
    expect(rejected.quotas.map((q) => q.quota)).toEqual([2, 2, 2]); // earlier accepts still count
    const bad = await h.fail(RESIDENT, 'notify', 'subscribe', {
      scene: 'activitySignUp',
      results: { 'tmpl-x': 'accept' },
    });
    expect(bad).toMatchObject({ code: 'INVALID_INPUT', message: '未知的消息模板：tmpl-x' });
  });

  it('stops asking for a kind the user turned off', async () => {
    const prefs = await h.call(RESIDENT, 'notify', 'setPreference', { kind: 'activityReminder', ask: false });
    expect(prefs.items.find((p) => p.kind === 'activityReminder')).toMatchObject({
      ask: false,
      quota: 0,
      label: '活动开始提醒',
    });
    const { templates } = await h.call(RESIDENT, 'notify', 'templates', { scene: 'activitySignUp' });
    expect(templates.map((t) => t.kind)).toEqual(['waitlistPromoted', 'activityChanged']);
    // Someone else's preferences are untouched.
    const other = await h.call(MEMBER, 'notify', 'preferences', {});
    expect(other.items.every((p) => p.ask)).toBe(true);
  });
});

describe('delivery', () => {
  it('sign up → subscribe → activity changed → exactly one message, fields within limits', async () => {
    const a = await publish({ title: '🎉社区亲子志愿服务👨‍👩‍👧‍👦秋季环保主题讲座与垃圾分类' });
    await subscribe(RESIDENT);
    await h.call(RESIDENT, 'activity', 'signUp', { activityId: a._id });
    await h.call(WORKER, 'activity', 'update', {
      activityId: a._id,
      patch: { startAt: a.startAt + HOUR, endAt: a.endAt + HOUR },
    });
    // The entry exists at once; the WeChat message goes out on the timer's next run.
    expect(await messagesOf(RESIDENT)).toHaveLength(1);
    expect(await sent(RESIDENT)).toHaveLength(0);
    await h.rt.tick();
    const records = await sent(RESIDENT);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      kind: 'activityChanged',
      result: 'ok',
      page: `pages/activity/detail?id=${a._id}`,
    });
    expect(withinLimits(records[0]!.data)).toBe(true);
    expect(records[0]!.data.phrase2?.value).toBe('时间变更');
    expect(records[0]!.data.thing1?.value.endsWith('…')).toBe(true);
    const [m] = await messagesOf(RESIDENT);
    expect(m).toMatchObject({
      kind: 'activityChanged',
      title: '活动有变更',
      read: false,
      push: { status: 'sent' },
    });
    // Running the sweep again sends nothing more.
    await h.rt.tick();
    expect(await sent(RESIDENT)).toHaveLength(1);
    // Only a change of time or place is news; a new title is not.
    await h.call(WORKER, 'activity', 'update', { activityId: a._id, patch: { title: '新的标题' } });
    expect(await messagesOf(RESIDENT)).toHaveLength(1);
  });

  it('without quota the message centre still gets it and no send is attempted', async () => {
    const a = await publish();
    await h.call(RESIDENT, 'activity', 'signUp', { activityId: a._id });
    await h.call(WORKER, 'activity', 'cancelActivity', { activityId: a._id, reason: '场地临时维修' });
    await h.rt.tick();
    expect(await sent()).toHaveLength(0);
    const list = await h.call(RESIDENT, 'notify', 'list', {});
    expect(list.unread).toBe(1);
    expect(list.items[0]).toMatchObject({
      title: '活动已取消',
      body: expect.stringContaining('场地临时维修'),
      read: false,
    });
    expect((await messagesOf(RESIDENT))[0]?.push.status).toBe('noQuota');
  });

  it('tells the promoted person, and only them', async () => {
    const a = await publish({ capacity: 1 });
    await h.call(RESIDENT, 'activity', 'signUp', { activityId: a._id });
    await subscribe(MEMBER);
    await h.call(MEMBER, 'activity', 'signUp', { activityId: a._id });
    await h.call(VOLUNTEER, 'activity', 'signUp', { activityId: a._id });
    await h.call(RESIDENT, 'activity', 'cancelSignUp', { activityId: a._id });
    // The entry is written with the promotion; the WeChat message on the timer's next run.
    expect((await h.call(MEMBER, 'notify', 'unreadCount', {})).unread).toBe(1);
    await h.rt.tick();
    expect((await sent()).map((r) => [r.touser, r.kind])).toEqual([[MEMBER, 'waitlistPromoted']]);
    expect(await messagesOf(VOLUNTEER)).toHaveLength(0);
    expect((await h.call(MEMBER, 'notify', 'list', {})).items[0]?.title).toBe('候补成功，已为你报名');
  });

  it('43101 sets the quota to zero; permanent errors are recorded and not retried', async () => {
    const a = await publish();
    await subscribe(RESIDENT);
    await subscribe(RESIDENT);
    await subscribe(MEMBER);
    await h.call(RESIDENT, 'activity', 'signUp', { activityId: a._id });
    await h.call(MEMBER, 'activity', 'signUp', { activityId: a._id });
    h.rt.sink.failNext(43101, { touser: RESIDENT });
    h.rt.sink.failNext(40003, { touser: MEMBER });
    await h.call(WORKER, 'activity', 'update', {
      activityId: a._id,
      patch: { startAt: a.startAt + HOUR, endAt: a.endAt + HOUR },
    });
    await h.rt.tick();
    const prefs = await h.call(RESIDENT, 'notify', 'preferences', {});
    expect(prefs.items.find((p) => p.kind === 'activityChanged')?.quota).toBe(0);
    expect((await messagesOf(RESIDENT))[0]?.push).toMatchObject({ status: 'noQuota', errCode: 43101 });
    expect((await messagesOf(MEMBER))[0]?.push).toMatchObject({
      status: 'failed',
      errCode: 40003,
      reason: expect.stringContaining('openid 无效'),
    });
    h.clock.advance(DAY);
    await h.rt.tick();
    expect(await sent()).toHaveLength(2); // the two failed attempts, nothing more
  });

  it('retries transient errors later with backoff, returning the quota meanwhile', async () => {
    const a = await publish();
    await subscribe(RESIDENT);
    await h.call(RESIDENT, 'activity', 'signUp', { activityId: a._id });
    h.rt.sink.failNext(-1);
    await h.call(WORKER, 'activity', 'cancelActivity', { activityId: a._id, reason: '天气原因' });
    await h.rt.tick();
    const [m] = await messagesOf(RESIDENT);
    expect(m?.push).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: h.clock.now + 30_000 });
    expect(
      (await h.call(RESIDENT, 'notify', 'preferences', {})).items.find((p) => p.kind === 'activityChanged')
        ?.quota,
    ).toBe(1);
    await h.rt.tick(); // too early: not retried yet
    expect(await sent()).toHaveLength(1);
    h.clock.advance(31_000);
    await h.rt.tick();
    const records = await sent();
    expect(records.map((r) => r.result)).toEqual(['ok', -1]); // newest first
    expect((await messagesOf(RESIDENT))[0]?.push).toMatchObject({ status: 'sent', attempts: 2 });
    expect(
      (await h.call(RESIDENT, 'notify', 'preferences', {})).items.find((p) => p.kind === 'activityChanged')
        ?.quota,
    ).toBe(0);
  });

  it('a dispatcher that dies mid-send or runs twice never duplicates', async () => {
    const a = await publish();
    await subscribe(RESIDENT);
    await h.call(RESIDENT, 'activity', 'signUp', { activityId: a._id });
    await h.call(MEMBER, 'activity', 'signUp', { activityId: a._id });
    await h.call(WORKER, 'activity', 'cancelActivity', { activityId: a._id, reason: '场地冲突' });
    expect(await messagesOf(RESIDENT)).toHaveLength(1);
    expect(await messagesOf(MEMBER)).toHaveLength(1);
    // The send hangs (the timer run "dies" there).
    h.rt.sink.hangNext();
    void h.rt.tick();
    await new Promise((r) => setTimeout(r, 200));
    // A second timer run: the jobs are done, nothing is created twice; the claimed entry is skipped.
    await h.rt.tick();
    expect(await messagesOf(RESIDENT)).toHaveLength(1);
    expect(await messagesOf(MEMBER)).toHaveLength(1);
    const [m] = await messagesOf(RESIDENT);
    expect(m?.push.status).toBe('sending');
    expect(await deliver(m!, h.clock.now)).toBe('skip'); // claimed by the hung run
    h.clock.advance(LEASE_MS + 1);
    const report = await sweep(h.clock.now);
    expect(report.uncertain).toBe(1);
    await h.rt.tick();
    expect((await messagesOf(RESIDENT))[0]?.push.status).toBe('uncertain');
    expect((await sent(RESIDENT)).length).toBe(1); // delivered once by the hung run, never resent
  });
});

describe('reminders', () => {
  it('reminds confirmed participants once, 2 hours before the start, and again after a time change', async () => {
    const a = await publish({ capacity: 1 });
    await subscribe(RESIDENT);
    await subscribe(RESIDENT);
    await h.call(RESIDENT, 'activity', 'signUp', { activityId: a._id });
    await h.call(MEMBER, 'activity', 'signUp', { activityId: a._id }); // waitlisted: no reminder
    await h.rt.tick();
    expect(await messagesOf(RESIDENT)).toHaveLength(0);
    h.clock.set(a.startAt - REMINDER_LEAD_MS - 60_000);
    await h.rt.tick();
    expect(await messagesOf(RESIDENT)).toHaveLength(0);
    h.clock.set(a.startAt - REMINDER_LEAD_MS + 60_000);
    const report = await h.rt.tick();
    expect(report.data.reminders).toMatchObject({ queued: 1 });
    expect(report.data.dispatch).toMatchObject({ sent: 1 });
    await h.rt.tick();
    const reminders = (await messagesOf(RESIDENT)).filter((m: Message) => m.kind === 'activityReminder');
    expect(reminders).toHaveLength(1);
    expect(await messagesOf(MEMBER)).toHaveLength(0);
    const [record] = await sent(RESIDENT);
    expect(record?.kind).toBe('activityReminder');
    expect(withinLimits(record!.data)).toBe(true);
    // Moved one hour later: a new reminder is due before the new start.
    await h.call(WORKER, 'activity', 'update', {
      activityId: a._id,
      patch: { startAt: a.startAt + HOUR, endAt: a.endAt + HOUR },
    });
    h.clock.set(a.startAt + HOUR - REMINDER_LEAD_MS + 60_000);
    await h.rt.tick();
    expect((await sent(RESIDENT)).filter((r) => r.kind === 'activityReminder')).toHaveLength(2);
    expect((await messagesOf(RESIDENT)).filter((m) => m.kind === 'activityReminder')).toHaveLength(2);
  });
});

describe('message centre', () => {
  it('lists newest first, counts unread, marks read only the caller own messages', async () => {
    const a = await publish();
    const b = await publish({ title: '第二个活动' });
    await h.call(RESIDENT, 'activity', 'signUp', { activityId: a._id });
    await h.call(RESIDENT, 'activity', 'signUp', { activityId: b._id });
    await h.call(MEMBER, 'activity', 'signUp', { activityId: a._id });
    await h.call(WORKER, 'activity', 'cancelActivity', { activityId: a._id, reason: '场地冲突' });
    h.clock.advance(60_000);
    await h.call(WORKER, 'activity', 'cancelActivity', { activityId: b._id, reason: '人数不足' });
    const list = await h.call(RESIDENT, 'notify', 'list', { pageSize: 1 });
    expect(list.total).toBe(2);
    expect(list.unread).toBe(2);
    expect(list.items[0]?.body).toContain('第二个活动');
    expect(list.nextCursor).toBe('1');
    const memberMessage = (await h.call(MEMBER, 'notify', 'list', {})).items[0]!;
    // Marking someone else's message does nothing.
    expect((await h.call(RESIDENT, 'notify', 'markRead', { ids: [memberMessage._id] })).unread).toBe(2);
    expect((await h.call(MEMBER, 'notify', 'unreadCount', {})).unread).toBe(1);
    expect((await h.call(RESIDENT, 'notify', 'markRead', { ids: [list.items[0]!._id] })).unread).toBe(1);
    expect((await h.call(RESIDENT, 'notify', 'list', { unreadOnly: true })).items.map((m) => m.body)).toEqual(
      [expect.stringContaining('测试活动')],
    );
    expect((await h.call(RESIDENT, 'notify', 'markRead', { all: true })).unread).toBe(0);
    expect((await h.fail(RESIDENT, 'notify', 'markRead', {})).code).toBe('INVALID_INPUT');
    expect((await h.fail(undefined, 'notify', 'list', {})).code).toBe('UNAUTHENTICATED');
  });
});
