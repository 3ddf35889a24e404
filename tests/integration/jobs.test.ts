/**
 * Background jobs (core/jobs.ts) through the real cancelActivity job: bounded first batch in the
 * call, the rest in timer runs; a batch that fails midway resumes from the saved cursor; a runner
 * that dies holding the lease is taken over after the lease expires; two timer runs at once never
 * process a batch twice. The end state is exactly-once: every sign-up cancelled once, one
 * message per participant.
 */
import type { Job, SignUp } from '../../types/domain';
import { IN_CALL_BATCH, JOB_LEASE_MS } from '../../cloudfunctions/core/jobs';
import type { StoredMessage } from '../../cloudfunctions/core/notify/dispatcher';
import { activityInput, createHarness, DAY, type Harness } from '../helpers/harness';

const WORKER = 'demo-worker';
const N = 250;

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

/** An activity with `n` confirmed participants (bulk-written, like real sign-ups). */
async function bigActivity(n: number): Promise<string> {
  const a = await h.call(WORKER, 'activity', 'publish', activityInput(h.clock.now, { capacity: n }) as never);
  const db = h.rt.runtime.db;
  const docs = Array.from({ length: n }, (_, i) => {
    const openid = `p-${String(i).padStart(4, '0')}`;
    return {
      _id: `${a._id}_${openid}`,
      activityId: a._id,
      communityId: a.communityId,
      openid,
      status: 'confirmed',
      startAt: a.startAt,
      endAt: a.endAt,
      createdAt: h.clock.now - 1000,
      updatedAt: h.clock.now - 1000,
    };
  });
  for (let i = 0; i < docs.length; i += 500) await db.collection('signups').add(docs.slice(i, i + 500));
  await db.collection('activities').doc(a._id).update({ confirmedCount: n });
  return a._id;
}

async function all<T>(name: string, where: Record<string, unknown>): Promise<T[]> {
  const out: T[] = [];
  for (let skip = 0; ; skip += 1000) {
    const { data } = await h.rt.runtime.db.collection(name).where(where).skip(skip).limit(1000).get();
    out.push(...(data as T[]));
    if (data.length < 1000) return out;
  }
}

const jobs = () => all<Job>('jobs', { kind: 'activityCancel' });

/** Every participant cancelled by the organiser exactly at the cancellation, one message each. */
async function expectExactlyOnce(activityId: string, cancelledAt: number): Promise<void> {
  const signUps = await all<SignUp>('signups', { activityId });
  expect(signUps).toHaveLength(N);
  expect(signUps.every((s) => s.status === 'cancelled' && s.cancelledBy === 'organiser')).toBe(true);
  expect(new Set(signUps.map((s) => s.cancelledAt))).toEqual(new Set([cancelledAt]));
  const messages = await all<StoredMessage>('messages', { kind: 'activityChanged' });
  const perPerson = new Map<string, number>();
  for (const m of messages) perPerson.set(m.openid, (perPerson.get(m.openid) ?? 0) + 1);
  expect(perPerson.size).toBe(N);
  expect([...perPerson.values()].every((c) => c === 1)).toBe(true);
  const [job] = await jobs();
  expect(job).toMatchObject({ status: 'done', processed: N, lease: null });
}

/** Make the organiser's sign-up update fail on its `nth` use from now on (a batch dying midway). */
function failSignUpUpdate(nth: number): void {
  const db = h.rt.runtime.db as unknown as { collection(n: string): unknown };
  const original = db.collection.bind(db);
  let remaining = nth;
  db.collection = (name: string) => {
    const c = original(name) as {
      where(q: unknown): { update(d: Record<string, unknown>): Promise<unknown> };
    };
    if (name !== 'signups') return c;
    const where = c.where.bind(c);
    c.where = (q: unknown) => {
      const query = where(q);
      const update = query.update.bind(query);
      query.update = async (d) => {
        if (d.cancelledBy === 'organiser' && --remaining === 0) throw new Error('injected failure');
        return update(d);
      };
      return query;
    };
    return c;
  };
}

it('the call answers after one small batch; views agree at once; the timer finishes the job', async () => {
  const activityId = await bigActivity(N);
  const cancelledAt = h.clock.now;
  const detail = await h.call(WORKER, 'activity', 'cancelActivity', { activityId, reason: '场地维修' });
  expect(detail).toMatchObject({ status: 'cancelled', confirmedCount: 0, waitlistCount: 0 });
  const signUps = await all<SignUp>('signups', { activityId });
  expect(signUps.filter((s) => s.status === 'cancelled')).toHaveLength(IN_CALL_BATCH);
  // Not yet processed sign-ups already read as cancelled everywhere.
  const last = `p-${String(N - 1).padStart(4, '0')}`;
  expect((await h.call(last, 'activity', 'detail', { activityId })).mySignUp).toBe('cancelled');
  expect((await h.call(last, 'activity', 'mine', {})).items[0]?.signUpStatus).toBe('cancelled');
  const confirmed = await h.call(WORKER, 'activity', 'participants', { activityId, status: 'confirmed' });
  expect(confirmed.total).toBe(0);
  const cancelled = await h.call(WORKER, 'activity', 'participants', { activityId, status: 'cancelled' });
  expect(cancelled.total).toBe(N);
  expect(cancelled.items.every((p) => p.status === 'cancelled')).toBe(true);

  const report = await h.rt.tick();
  expect(report.data.jobs).toMatchObject({ jobs: 1, done: 1 });
  await expectExactlyOnce(activityId, cancelledAt);
  // The outbox event is done; running again does nothing.
  await h.rt.tick();
  await expectExactlyOnce(activityId, cancelledAt);
});

it('a batch that throws midway resumes from its cursor on a later run, exactly once', async () => {
  const activityId = await bigActivity(N);
  const cancelledAt = h.clock.now;
  await h.call(WORKER, 'activity', 'cancelActivity', { activityId, reason: '场地维修' });
  failSignUpUpdate(2); // the timer's second batch dies (its messages may be half written)
  const logged = jest.spyOn(console, 'error').mockImplementation(() => {});
  await h.rt.tick();
  const [failed] = await jobs();
  expect(failed).toMatchObject({
    status: 'pending',
    attempts: 1,
    lease: null,
    processed: IN_CALL_BATCH + 100,
    lastError: 'injected failure',
  });
  expect(failed!.cursor).toBe(`${activityId}_p-${String(IN_CALL_BATCH + 100 - 1).padStart(4, '0')}`);
  expect(failed!.runAfter).toBeGreaterThan(h.clock.now); // backoff
  expect(logged).toHaveBeenCalled();
  logged.mockRestore();
  const before = await all<SignUp>('signups', { activityId, status: 'cancelled' });
  expect(before.length).toBeLessThan(N);
  await h.rt.tick(); // too early: nothing
  expect((await jobs())[0]!.processed).toBe(IN_CALL_BATCH + 100);
  h.clock.advance(DAY / 24);
  await h.rt.tick();
  await expectExactlyOnce(activityId, cancelledAt);
});

it('a runner that dies holding the lease is taken over once the lease expires', async () => {
  const activityId = await bigActivity(N);
  const cancelledAt = h.clock.now;
  await h.call(WORKER, 'activity', 'cancelActivity', { activityId, reason: '场地维修' });
  // The next organiser update never answers: the timer run "dies" inside its batch.
  const db = h.rt.runtime.db as unknown as { collection(n: string): unknown };
  const original = db.collection.bind(db);
  let hang = true;
  db.collection = (name: string) => {
    const c = original(name) as {
      where(q: unknown): { update(d: Record<string, unknown>): Promise<unknown> };
    };
    if (name !== 'signups') return c;
    const where = c.where.bind(c);
    c.where = (q: unknown) => {
      const query = where(q);
      const update = query.update.bind(query);
      query.update = (d) => {
        if (d.cancelledBy === 'organiser' && hang) {
          hang = false;
          return new Promise(() => {});
        }
        return update(d);
      };
      return query;
    };
    return c;
  };
  void h.rt.tick();
  await new Promise((r) => setTimeout(r, 200));
  const [held] = await jobs();
  expect(held!.lease).not.toBeNull();
  const blocked = await h.rt.tick(); // the lease is still valid: another run keeps off
  expect(blocked.data.jobs).toMatchObject({ jobs: 0, busy: 1 });
  expect((await jobs())[0]!.processed).toBe(IN_CALL_BATCH);
  h.clock.advance(JOB_LEASE_MS + 1);
  await h.rt.tick();
  await expectExactlyOnce(activityId, cancelledAt);
});

it('two timer runs at once (interleaved requests) never process a batch twice', async () => {
  const activityId = await bigActivity(N);
  const cancelledAt = h.clock.now;
  await h.call(WORKER, 'activity', 'cancelActivity', { activityId, reason: '场地维修' });
  const reports = await h.interleaved(() => Promise.all([h.rt.tick(), h.rt.tick()]));
  const ran = reports.map((r) => r.data.jobs as { jobs: number; busy: number });
  expect(ran.reduce((n, r) => n + r.jobs, 0)).toBe(1);
  await expectExactlyOnce(activityId, cancelledAt);
  // One in the call, then ceil((250 - 20) / 100) timer batches: none repeated.
  expect((await jobs())[0]!.batches).toBe(1 + Math.ceil((N - IN_CALL_BATCH) / 100));
});
