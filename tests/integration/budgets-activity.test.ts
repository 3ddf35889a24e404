/**
 * Round-trip budgets of the activity and notification actions (issue 12): at most 4 sequential
 * database requests per user action, counted at the runtime's database seam (`h.rt.metered`).
 * Each action is called once first, so that the caller's user document is in the per-instance
 * cache (guard.ts, 10 s) as it is for a user's repeated calls; the second call is measured.
 * The counts are deterministic, so exact budgets are right here.
 */
import { activityInput, createHarness, type Harness } from '../helpers/harness';
import type { FunctionName } from '../../types/api';

const WORKER = 'demo-worker';
const RESIDENT = 'demo-resident';
const MEMBER = 'demo-member';
const VOLUNTEER = 'demo-volunteer';
const BUDGET = 4;

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

const publish = (over: Record<string, unknown> = {}) =>
  h.call(WORKER, 'activity', 'publish', activityInput(h.clock.now, over) as never);

/** Measure one call (the caller already warm in the cache); it must succeed. */
async function measure(openid: string, fn: FunctionName, action: string, data: unknown) {
  const m = await h.rt.metered(fn, { action, data }, openid);
  if (!m.result.ok) throw new Error(`${fn}.${action}: ${m.result.error.message}`);
  return m;
}

/** Warm the caller's cache with a cheap call of their own. */
const warm = (openid: string) => h.call(openid, 'notify', 'unreadCount', {});

describe('≤ 4 sequential requests (caller cached by a first call)', () => {
  it('activity.signUp', async () => {
    const a = await publish({ capacity: 1 });
    await Promise.all([warm(RESIDENT), warm(MEMBER)]);
    const confirmed = await measure(RESIDENT, 'activity', 'signUp', { activityId: a._id });
    expect(confirmed.depth).toBeLessThanOrEqual(BUDGET);
    const waitlisted = await measure(MEMBER, 'activity', 'signUp', { activityId: a._id });
    expect(waitlisted.depth).toBeLessThanOrEqual(BUDGET);
    // The measured calls did their work.
    expect((await h.call(WORKER, 'activity', 'detail', { activityId: a._id })).waitlistCount).toBe(1);
  });

  it('activity.cancelSignUp with a promotion (message-centre entry included)', async () => {
    const a = await publish({ capacity: 1 });
    await h.call(RESIDENT, 'activity', 'signUp', { activityId: a._id });
    await h.call(MEMBER, 'activity', 'signUp', { activityId: a._id });
    await h.call(VOLUNTEER, 'activity', 'signUp', { activityId: a._id });
    const m = await measure(RESIDENT, 'activity', 'cancelSignUp', { activityId: a._id });
    expect(m.result).toMatchObject({ ok: true, data: { promoted: MEMBER } });
    expect(m.depth).toBeLessThanOrEqual(BUDGET);
    expect((await h.call(MEMBER, 'notify', 'list', {})).items[0]?.title).toBe('候补成功，已为你报名');
  });

  it('activity.detail and activity.list', async () => {
    const a = await publish({ hostUnitIds: [] });
    await h.call(RESIDENT, 'activity', 'signUp', { activityId: a._id });
    await h.call(RESIDENT, 'activity', 'detail', { activityId: a._id });
    const detail = await measure(RESIDENT, 'activity', 'detail', { activityId: a._id });
    expect(detail.depth).toBeLessThanOrEqual(BUDGET);
    const list = await measure(RESIDENT, 'activity', 'list', { when: 'upcoming' });
    expect(list.depth).toBeLessThanOrEqual(BUDGET);
    expect(JSON.stringify(list.result)).toContain(a._id);
  });

  it('notify.list and notify.unreadCount', async () => {
    await warm(RESIDENT);
    const list = await measure(RESIDENT, 'notify', 'list', {});
    expect(list.depth).toBeLessThanOrEqual(BUDGET);
    const unread = await measure(RESIDENT, 'notify', 'unreadCount', {});
    expect(unread.depth).toBeLessThanOrEqual(BUDGET);
  });
});

describe('cancelling an activity', () => {
  /** Cancel an activity with `n` confirmed participants; the call's request count and depth. */
  async function cancelWith(n: number) {
    const a = await publish({ capacity: n });
    const db = h.rt.runtime.db;
    const docs = Array.from({ length: n }, (_, i) => ({
      _id: `${a._id}_n${n}-${i}`,
      activityId: a._id,
      communityId: a.communityId,
      openid: `n${n}-${i}`,
      status: 'confirmed',
      startAt: a.startAt,
      endAt: a.endAt,
      createdAt: h.clock.now - 1000,
      updatedAt: h.clock.now - 1000,
    }));
    for (let i = 0; i < n; i += 500) await db.collection('signups').add(docs.slice(i, i + 500));
    await db.collection('activities').doc(a._id).update({ confirmedCount: n });
    await warm(WORKER);
    return measure(WORKER, 'activity', 'cancelActivity', { activityId: a._id, reason: '场地维修' });
  }

  it('does a bounded number of requests whatever the number of participants', async () => {
    // The call runs one batch of at most IN_CALL_BATCH (20) sign-ups: below that the count is
    // smaller, above it the same for 30 and for 200 participants.
    const few = await cancelWith(5);
    const some = await cancelWith(30);
    const many = await cancelWith(200);
    expect(many.requests).toBe(some.requests);
    expect(many.depth).toBe(some.depth);
    expect(few.requests).toBeLessThanOrEqual(some.requests);
    expect(few.depth).toBeLessThanOrEqual(some.depth);
    // Sequential: the transaction, one small batch of the job with its cursor saved, the detail.
    expect(many.depth).toBeLessThanOrEqual(15);
  });
});
