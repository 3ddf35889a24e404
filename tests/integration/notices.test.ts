/**
 * Notices to participants and no-shows (issue 14 item 3), through the real activity and timer
 * functions on the embedded engine: reach counts equal the entries written and the WeChat
 * messages sent; a retried call sends nothing twice; waitlist-only notices; two notices at once
 * (interleaved requests) each reach everyone once; the no-show list and the yearly counters equal a
 * direct count over the sign-ups, and a repeated tally counts nobody twice.
 */
import type { NoShowCount, SignUp } from '../../types/domain';
import type { StoredMessage } from '../../cloudfunctions/core/notify/dispatcher';
import { noShowTallyJob } from '../../cloudfunctions/activity/notices';
import { NO_SHOW_TALLY_DELAY_MS } from '../../cloudfunctions/domain/no-shows';
import { activityInput, createHarness, DAY, type Harness } from '../helpers/harness';

const WORKER = 'demo-worker';
const RESIDENT = 'demo-resident';
const MEMBER = 'demo-member';
const VOLUNTEER = 'demo-volunteer';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

const pid = (i: number) => `p-${String(i).padStart(4, '0')}`;

/** An activity (audience all) with `confirmed` bulk participants and `waitlisted` bulk waiting. */
async function activityWith(confirmed: number, waitlisted = 0, over: Record<string, unknown> = {}) {
  const a = await h.call(
    WORKER,
    'activity',
    'publish',
    activityInput(h.clock.now, { capacity: confirmed + 5, ...over }) as never,
  );
  const db = h.rt.runtime.db;
  const doc = (openid: string, status: string) => ({
    _id: `${a._id}_${openid}`,
    activityId: a._id,
    communityId: a.communityId,
    openid,
    status,
    startAt: a.startAt,
    endAt: a.endAt,
    createdAt: h.clock.now - 1000,
    updatedAt: h.clock.now - 1000,
  });
  const docs = [
    ...Array.from({ length: confirmed }, (_, i) => doc(pid(i), 'confirmed')),
    ...Array.from({ length: waitlisted }, (_, i) => doc(`w-${i}`, 'waitlisted')),
  ];
  for (let i = 0; i < docs.length; i += 500) await db.collection('signups').add(docs.slice(i, i + 500));
  await db
    .collection('activities')
    .doc(a._id)
    .update({
      confirmedCount: confirmed,
      waitlist: Array.from({ length: waitlisted }, (_, i) => `w-${i}`),
      capacity: waitlisted ? confirmed : confirmed + 5,
    });
  return a;
}

async function all<T>(name: string, where: Record<string, unknown>): Promise<T[]> {
  const out: T[] = [];
  for (let skip = 0; ; skip += 1000) {
    const { data } = await h.rt.runtime.db.collection(name).where(where).skip(skip).limit(1000).get();
    out.push(...(data as T[]));
    if (data.length < 1000) return out;
  }
}

const entriesOf = (eventId: string) => all<StoredMessage>('messages', { eventId });
const notice = (activityId: string, requestId: string, over: Record<string, unknown> = {}) =>
  h.call(WORKER, 'activity', 'notifyParticipants', {
    activityId,
    title: '集合地点调整',
    text: '请于 13:50 到党群服务中心东门集合，带好手套。',
    requestId,
    ...over,
  });

/** Accept the volunteer scene's templates (activityNotice among them) once. */
async function subscribe(openid: string) {
  const { templates } = await h.call(openid, 'notify', 'templates', { scene: 'volunteerRegister' });
  expect(templates.map((t) => t.kind)).toContain('activityNotice');
  const results = Object.fromEntries(templates.map((t) => [t.templateId, 'accept' as const]));
  await h.call(openid, 'notify', 'subscribe', { scene: 'volunteerRegister', results });
}

describe('notices to participants', () => {
  it('reaches every confirmed participant once; reach counts equal entries and sends', async () => {
    const a = await activityWith(120, 4);
    for (const who of [RESIDENT, MEMBER, VOLUNTEER]) {
      await h.call(who, 'activity', 'signUp', { activityId: a._id });
    }
    // The three joined the waitlist (capacity = 120); give two of them places directly.
    await h.rt.runtime.db
      .collection('signups')
      .where({ activityId: a._id, openid: h.rt.runtime.db.command.in([RESIDENT, MEMBER]) })
      .update({ status: 'confirmed' });
    await h.rt.runtime.db.collection('activities').doc(a._id).update({ confirmedCount: 122, capacity: 122 });
    await subscribe(RESIDENT);
    const first = await notice(a._id, 'req-aaaaaaaa');
    expect(first).toMatchObject({ recipients: 122, entries: 0, sent: 0, done: false, audience: 'confirmed' });
    // The call wrote its first small batch; the timer finishes and sends.
    expect((await entriesOf(first._id)).length).toBeGreaterThan(0);
    await h.rt.tick();
    const status = await h.call(WORKER, 'activity', 'noticeStatus', { noticeId: first._id });
    const entries = await entriesOf(first._id);
    const sent = (await h.rt.sink.records()).filter((r) => r.templateId === 'local-activityNotice');
    expect(new Set(entries.map((m) => m.openid)).size).toBe(entries.length);
    expect(entries.map((m) => m.openid).sort()).toEqual(
      [...Array.from({ length: 120 }, (_, i) => pid(i)), RESIDENT, MEMBER].sort(),
    );
    expect(status).toMatchObject({ recipients: 122, entries: entries.length, done: true, waiting: 0 });
    expect(status.sent).toBe(sent.length);
    expect(sent.map((r) => r.touser)).toEqual([RESIDENT]);
    expect(status.noQuota).toBe(121);
    // The entry reads as the notice in the message centre.
    const inbox = await h.call(RESIDENT, 'notify', 'list', {});
    expect(inbox.items[0]).toMatchObject({ title: '集合地点调整', kind: 'activityNotice' });
    expect(inbox.items[0]?.body).toContain('东门集合');
  });

  it('a retried call (same request id) sends nothing again; a new request id is a new notice', async () => {
    const a = await activityWith(30);
    const first = await notice(a._id, 'req-retry-1');
    await h.rt.tick();
    const again = await notice(a._id, 'req-retry-1');
    expect(again).toMatchObject({ _id: first._id, repeated: true, entries: 30, done: true });
    await h.rt.tick();
    expect(await entriesOf(first._id)).toHaveLength(30);
    expect(await all('notices', { activityId: a._id })).toHaveLength(1);
    expect(await all('jobs', { kind: 'notifyFanOut' })).toHaveLength(1);
    const other = await notice(a._id, 'req-retry-2');
    expect(other._id).not.toBe(first._id);
    await h.rt.tick();
    expect(await entriesOf(other._id)).toHaveLength(30);
    const list = await h.call(WORKER, 'activity', 'notices', { activityId: a._id });
    expect(list.total).toBe(2);
  });

  it('waitlist-only notices reach the waitlist and nobody else', async () => {
    const a = await activityWith(10, 6);
    const n = await notice(a._id, 'req-waitlist', { audience: 'waitlisted', title: '候补说明' });
    expect(n.recipients).toBe(6);
    await h.rt.tick();
    const entries = await entriesOf(n._id);
    expect(entries.map((m) => m.openid).sort()).toEqual(Array.from({ length: 6 }, (_, i) => `w-${i}`).sort());
    expect((await h.call(WORKER, 'activity', 'noticeStatus', { noticeId: n._id })).entries).toBe(6);
  });

  it('refuses bad input, other people and cancelled activities, writing nothing', async () => {
    const a = await activityWith(5);
    const dirty = await h.fail(WORKER, 'activity', 'notifyParticipants', {
      activityId: a._id,
      title: '通知',
      text: '欢迎来买六合彩',
      requestId: 'req-dirty-1',
    });
    expect(dirty).toMatchObject({ code: 'INVALID_INPUT' });
    const long = await h.fail(WORKER, 'activity', 'notifyParticipants', {
      activityId: a._id,
      title: '标题'.repeat(11),
      text: '内容',
      requestId: 'req-long-01',
    });
    expect(long).toMatchObject({ code: 'INVALID_INPUT', message: '通知标题最多 20 个字' });
    const resident = await h.fail(RESIDENT, 'activity', 'notifyParticipants', {
      activityId: a._id,
      title: '通知',
      text: '内容内容',
      requestId: 'req-resident',
    });
    expect(resident.code).toBe('FORBIDDEN');
    const emptyWaitlist = await h.fail(WORKER, 'activity', 'notifyParticipants', {
      activityId: a._id,
      audience: 'waitlisted',
      title: '通知',
      text: '内容内容',
      requestId: 'req-empty-w',
    });
    expect(emptyWaitlist).toMatchObject({ code: 'CONFLICT', message: '候补名单为空，无人可通知' });
    await h.call(WORKER, 'activity', 'cancelActivity', { activityId: a._id, reason: '场地维修' });
    const cancelled = await h.fail(WORKER, 'activity', 'notifyParticipants', {
      activityId: a._id,
      title: '通知',
      text: '内容内容',
      requestId: 'req-cancel-1',
    });
    expect(cancelled.code).toBe('CONFLICT');
    expect(await all('notices', {})).toHaveLength(0);
    expect(await all('messages', { kind: 'activityNotice' })).toHaveLength(0);
  });

  it('two notices at once (interleaved) each reach everyone once; a doubled retry sends once', async () => {
    const a = await activityWith(60);
    const [x, y, y2] = await h.interleaved(() =>
      Promise.all([
        notice(a._id, 'req-race-x', { title: '通知一' }),
        notice(a._id, 'req-race-y', { title: '通知二' }),
        notice(a._id, 'req-race-y', { title: '通知二' }),
      ]),
    );
    expect(y._id).toBe(y2._id);
    await h.interleaved(() => Promise.all([h.rt.tick(), h.rt.tick()]));
    await h.rt.tick();
    expect(await all('notices', { activityId: a._id })).toHaveLength(2);
    for (const n of [x, y]) {
      const entries = await entriesOf(n._id);
      expect(entries).toHaveLength(60);
      expect(new Set(entries.map((m) => m.openid)).size).toBe(60);
      expect((await h.call(WORKER, 'activity', 'noticeStatus', { noticeId: n._id })).entries).toBe(60);
    }
  });

  it('budgets: noticeStatus ≤ 4 sequential requests; sending is bounded whatever the audience', async () => {
    const small = await activityWith(30);
    const large = await activityWith(200);
    await h.call(WORKER, 'notify', 'unreadCount', {});
    const depth = async (activityId: string, requestId: string) => {
      const m = await h.rt.metered(
        'activity',
        { action: 'notifyParticipants', data: { activityId, title: '通知', text: '内容内容', requestId } },
        WORKER,
      );
      expect(m.result.ok).toBe(true);
      return m;
    };
    const s = await depth(small._id, 'req-budget-s');
    const l = await depth(large._id, 'req-budget-l');
    expect(l.depth).toBe(s.depth);
    expect(l.requests).toBe(s.requests);
    const id = (s.result as { ok: true; data: { _id: string } }).data._id;
    const status = await h.rt.metered('activity', { action: 'noticeStatus', data: { noticeId: id } }, WORKER);
    expect(status.result.ok).toBe(true);
    expect(status.depth).toBeLessThanOrEqual(4);
  });
});

describe('no-shows', () => {
  /** An ended activity: `n` confirmed of whom `checkedIn` checked in, plus a cancellation. */
  async function endedActivity(n: number, checkedIn: number[], over: Record<string, unknown> = {}) {
    const a = await activityWith(n, 0, over);
    const db = h.rt.runtime.db;
    const _ = db.command;
    await db
      .collection('signups')
      .where({ activityId: a._id, openid: _.in(checkedIn.map(pid)) })
      .update({ checkInAt: a.startAt + 60_000 });
    await db.collection('signups').add([
      {
        _id: `${a._id}_gone`,
        activityId: a._id,
        communityId: a.communityId,
        openid: 'gone',
        status: 'cancelled',
        startAt: a.startAt,
        endAt: a.endAt,
        createdAt: h.clock.now,
        updatedAt: h.clock.now,
      },
    ]);
    return a;
  }

  /** Direct count: per person, tallied activities where they were confirmed and never checked in. */
  async function directCounts(activityIds: string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const activityId of activityIds) {
      for (const s of await all<SignUp>('signups', { activityId })) {
        if (s.status === 'confirmed' && s.checkInAt === undefined) {
          counts.set(s.openid, (counts.get(s.openid) ?? 0) + 1);
        }
      }
    }
    return counts;
  }

  it('lists no-shows after the end; the yearly counts equal a direct count and never double', async () => {
    await h.rt.tick(); // the demo data's ended activities are tallied first
    const seeded = ['act-ended-1', 'act-ended-2'];
    const a = await endedActivity(12, [0, 1, 2, 3]);
    const b = await endedActivity(8, [4, 5]); // p-0000…p-0007: p-0000…p-0003 miss this one
    const early = await h.fail(WORKER, 'activity', 'noShows', { activityId: a._id });
    expect(early).toMatchObject({ code: 'CONFLICT', message: '活动结束后才能查看未到场名单' });

    h.clock.advance(4 * DAY);
    const list = await h.call(WORKER, 'activity', 'noShows', { activityId: a._id, pageSize: 50 });
    expect(list.total).toBe(8);
    expect(list.items.map((i) => i.openid).sort()).toEqual([4, 5, 6, 7, 8, 9, 10, 11].map(pid));
    expect(list).toMatchObject({ year: 2026, tallied: false });
    expect(list.items.every((i) => i.yearCount === 0)).toBe(true);

    // Not yet past the tally delay: nothing counted.
    h.clock.set(b.endAt + NO_SHOW_TALLY_DELAY_MS - 60_000);
    await h.rt.tick();
    expect(await all('no_show_counts', { openid: h.rt.runtime.db.RegExp({ regexp: '^p-' }) })).toHaveLength(
      0,
    );

    h.clock.advance(2 * 60_000);
    const report = await h.rt.tick();
    expect(report.data.noShowTallies).toMatchObject({ queued: 2 });
    await h.rt.tick();
    await h.rt.tick();
    // Every tallied activity: the demo data's (some of which ended meanwhile) and these two.
    const tallied = (await all<{ _id: string; status: string; noShowTalliedAt?: number }>('activities', {}))
      .filter((x) => x.noShowTalliedAt !== undefined && x.status === 'published')
      .map((x) => x._id);
    expect(tallied).toEqual(expect.arrayContaining([...seeded, a._id, b._id]));
    const direct = await directCounts(tallied);
    const stored = await all<NoShowCount>('no_show_counts', { year: 2026 });
    expect(new Map(stored.map((c) => [c.openid, c.count]))).toEqual(direct);
    expect(direct.get(pid(0))).toBe(1); // b only
    expect(direct.get(pid(6))).toBe(2); // both

    // The worker's yearly view: most no-shows first, paged, equal to the direct count.
    const page1 = await h.call(WORKER, 'activity', 'noShowCounts', { year: 2026, pageSize: 5 });
    expect(page1.total).toBe(direct.size);
    const counts = page1.items.map((i) => i.count);
    expect(counts).toEqual([...counts].sort((x, y) => y - x));
    expect(counts[0]).toBe(Math.max(...direct.values()));
    const page2 = await h.call(WORKER, 'activity', 'noShowCounts', {
      year: 2026,
      pageSize: 50,
      cursor: page1.nextCursor,
    });
    const seen = [...page1.items, ...page2.items];
    expect(new Map(seen.map((i) => [i.openid, i.count]))).toEqual(direct);

    const after = await h.call(WORKER, 'activity', 'noShows', { activityId: a._id, pageSize: 50 });
    expect(after.tallied).toBe(true);
    expect(new Map(after.items.map((i) => [i.openid, i.yearCount]))).toEqual(
      new Map(after.items.map((i) => [i.openid, direct.get(i.openid)])),
    );

    // A batch repeated (after a crash) counts nobody twice; a later timer run does nothing.
    await noShowTallyJob.batch({ activityId: a._id, communityId: a.communityId, year: 2026 }, null, {
      now: h.clock.now,
      limit: 100,
      jobId: 'again',
    });
    await h.rt.tick();
    const again = await all<NoShowCount>('no_show_counts', { year: 2026 });
    expect(new Map(again.map((c) => [c.openid, c.count]))).toEqual(direct);
    expect(await all('jobs', { kind: 'noShowTally' })).toHaveLength(tallied.length); // one per activity
  });

  it('a cancelled activity is marked, not tallied; other communities and residents are refused', async () => {
    const a = await activityWith(5);
    await h.call(WORKER, 'activity', 'cancelActivity', { activityId: a._id, reason: '场地维修' });
    h.clock.advance(3 * DAY + NO_SHOW_TALLY_DELAY_MS + DAY);
    await h.rt.tick();
    expect((await all<{ noShowTalliedAt?: number }>('activities', { _id: a._id }))[0]?.noShowTalliedAt).toBe(
      h.clock.now,
    );
    expect(await all('jobs', { kind: 'noShowTally', 'payload.activityId': a._id })).toHaveLength(0);
    expect(await all('no_show_counts', { lastActivityId: a._id })).toHaveLength(0);
    expect((await h.call(WORKER, 'activity', 'noShows', { activityId: a._id })).total).toBe(0);
    expect((await h.fail(RESIDENT, 'activity', 'noShows', { activityId: a._id })).code).toBe('FORBIDDEN');
    expect(
      (await h.fail(WORKER, 'activity', 'noShowCounts', { communityId: 'community-other', year: 2026 })).code,
    ).toBe('FORBIDDEN');
  });

  it('budgets: noShows and noShowCounts ≤ 4 sequential requests', async () => {
    const a = await endedActivity(30, [1, 2]);
    h.clock.advance(3 * DAY + NO_SHOW_TALLY_DELAY_MS);
    await h.rt.tick();
    await h.call(WORKER, 'notify', 'unreadCount', {});
    for (const [action, data] of [
      ['noShows', { activityId: a._id }],
      ['noShowCounts', { year: 2026 }],
    ] as const) {
      const m = await h.rt.metered('activity', { action, data }, WORKER);
      expect(m.result.ok).toBe(true);
      expect(m.depth).toBeLessThanOrEqual(4);
    }
  });
});
