/**
 * Sign-up throughput: the real `activity.signUp` handler on the embedded engine with a file
 * database (WAL, synchronous=FULL with group commit — the production-local settings), 50
 * concurrent callers.
 */
import { performance } from 'node:perf_hooks';
import { activityInput } from '../../tests/helpers/harness';
import type { LocalRuntime } from '../runtime/local-runtime';
import { rolesPatch } from '../../cloudfunctions/domain/roles';
import { seed } from '../runtime/seed';
import { round, summarize, type LatencySummary } from './stats';

export interface SignUpBenchOptions {
  signUps: number;
  concurrency: number;
  /** Capacity of each activity; sign-ups are spread round-robin, overflow goes to the waitlist. */
  capacities: number[];
  /** Simulated round trip per database request during the measured part (setup runs without). */
  latencyMs?: number;
}

export const DEFAULT_SIGNUP_OPTIONS: SignUpBenchOptions = {
  // About two seconds per round: one disk hiccup (an fsync of 10–20 ms, seen on this machine
  // now and then) then shows in the maximum rather than deciding the p99 alone.
  signUps: 10_000,
  concurrency: 50,
  // 10 activities × 1,000 sign-ups: eight never fill, two overflow by 100 each.
  capacities: [2000, 2000, 2000, 2000, 900, 2000, 2000, 2000, 2000, 900],
};

export interface SignUpBenchResult {
  signUps: number;
  concurrency: number;
  activities: number;
  seconds: number;
  perSecond: number;
  latency: LatencySummary;
  confirmed: number;
  waitlisted: number;
  errors: number;
  firstError?: string;
  consistent: boolean;
  /** Share of the measured run the event loop was busy (1 = CPU-bound on the main thread). */
  eventLoopBusy: number;
}

interface SignUpData {
  status: 'confirmed' | 'waitlisted';
  alreadySignedUp: boolean;
}

async function publish(rt: LocalRuntime, now: number, title: string, capacity: number): Promise<string> {
  const res = await rt.call(
    'activity',
    { action: 'publish', data: activityInput(now, { title, capacity }) },
    'demo-worker',
  );
  if (!res.ok) throw new Error(`publish failed: ${res.error.code} ${res.error.message}`);
  return (res.data as { _id: string })._id;
}

/** Users who have logged in before (the `user` function created them); bulk-inserted. */
async function createUsers(rt: LocalRuntime, openids: string[], now: number): Promise<void> {
  for (let i = 0; i < openids.length; i += 1000) {
    const batch = openids.slice(i, i + 1000).map((openid, k) => ({
      _id: openid,
      openid,
      nickName: `压测${i + k}`,
      ...rolesPatch([{ role: 'resident' }]),
      currentCommunityId: 'community-xingfuli',
      createdAt: now,
      updatedAt: now,
    }));
    await rt.runtime.db.collection('users').add(batch);
  }
}

/**
 * `count` jobs through `concurrency` callers; returns per-call latencies (ms). Jobs before
 * `measureFrom` are a warm-up by the same callers: their latencies are not kept, and `seconds`
 * runs from the start of job `measureFrom`, so the measured part is the steady state after the
 * ramp-up (all callers arriving at once) rather than including it.
 */
export async function drive(
  concurrency: number,
  count: number,
  job: (n: number) => Promise<string | undefined>,
  measureFrom = 0,
): Promise<{ latencies: number[]; errors: string[]; seconds: number }> {
  const latencies: number[] = [];
  const errors: string[] = [];
  let next = 0;
  let start = performance.now();
  const lane = async () => {
    for (let n = next++; n < count; n = next++) {
      const t0 = performance.now();
      if (n === measureFrom) start = t0;
      const error = await job(n);
      if (n >= measureFrom) latencies.push(performance.now() - t0);
      if (error) errors.push(error);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return { latencies, errors, seconds: (performance.now() - start) / 1000 };
}

export async function benchSignUps(
  rt: LocalRuntime,
  options: SignUpBenchOptions = DEFAULT_SIGNUP_OPTIONS,
  /** Receives the process CPU time (ms) spent in the measured sign-ups. */
  onCpuMs?: (ms: number) => void,
): Promise<SignUpBenchResult> {
  const now = rt.runtime.now();
  await seed(rt);
  // Enough for the JIT to settle: with 1,000, the first round of a process ran ~10 % slower than the rest.
  const warmUps = 3000;
  const openids = Array.from({ length: options.signUps }, (_, n) => `load-${n}`);
  await createUsers(rt, [...openids, ...Array.from({ length: warmUps }, (_, n) => `warm-${n}`)], now);

  // The warm-up has activities of its own, as many as the measured part, so that its load has
  // the same shape and the measured activities' counts stay exact.
  const warmIds: string[] = [];
  for (let i = 0; i < options.capacities.length; i++) {
    warmIds.push(await publish(rt, now, `压测预热活动 ${i + 1}`, warmUps));
  }
  const ids: string[] = [];
  for (const [i, capacity] of options.capacities.entries()) {
    ids.push(await publish(rt, now, `压测活动 ${i + 1} · 容量 ${capacity}`, capacity));
  }

  const signUp = async (activityId: string, openid: string): Promise<string | undefined> => {
    const res = await rt.call('activity', { action: 'signUp', data: { activityId } }, openid);
    if (!res.ok) return `${res.error.code} ${res.error.message}`;
    return (res.data as SignUpData).alreadySignedUp ? 'unexpected alreadySignedUp' : undefined;
  };

  // One stream of sign-ups by the same callers: the first `warmUps` (JIT, statement cache, the
  // ramp-up) are not counted and run without the simulated latency; then each sign-up is a
  // distinct resident `load-<n>`, and activities are taken round-robin.
  let cpu = process.cpuUsage();
  let elu = performance.eventLoopUtilization();
  const run = await drive(
    options.concurrency,
    warmUps + options.signUps,
    (n) => {
      if (n < warmUps) return signUp(warmIds[n % warmIds.length] as string, `warm-${n}`);
      if (n === warmUps) {
        rt.database.setLatencyMs(options.latencyMs ?? 0);
        cpu = process.cpuUsage();
        elu = performance.eventLoopUtilization();
      }
      const k = n - warmUps;
      return signUp(ids[k % ids.length] as string, openids[k] as string);
    },
    warmUps,
  );
  const used = process.cpuUsage(cpu);
  const eventLoopBusy = round(performance.eventLoopUtilization(elu).utilization, 2);
  onCpuMs?.((used.user + used.system) / 1000);
  rt.database.setLatencyMs(0);

  // Check the outcome against what the handlers should have written.
  let confirmed = 0;
  let waitlisted = 0;
  let consistent = true;
  for (const [i, id] of ids.entries()) {
    const { data } = await rt.runtime.db.collection('activities').doc(id).get();
    const a = (Array.isArray(data) ? data[0] : data) as { confirmedCount: number; waitlist: string[] };
    const expectedTotal = Math.ceil((options.signUps - i) / ids.length);
    const capacity = options.capacities[i] ?? 0;
    const expectedConfirmed = capacity === 0 ? expectedTotal : Math.min(capacity, expectedTotal);
    if (a.confirmedCount !== expectedConfirmed || a.waitlist.length !== expectedTotal - expectedConfirmed) {
      consistent = false;
    }
    confirmed += a.confirmedCount;
    waitlisted += a.waitlist.length;
  }
  const stored = (await rt.runtime.db
    .collection('signups')
    .where({ activityId: rt.runtime.db.command.in(ids) })
    .count()) as { total: number };
  if (stored.total !== options.signUps) consistent = false;

  return {
    signUps: options.signUps,
    concurrency: options.concurrency,
    activities: ids.length,
    seconds: round(run.seconds, 3),
    perSecond: round(options.signUps / run.seconds, 0),
    latency: summarize(run.latencies),
    confirmed,
    waitlisted,
    errors: run.errors.length,
    ...(run.errors[0] ? { firstError: run.errors[0] } : {}),
    consistent: consistent && run.errors.length === 0,
    eventLoopBusy,
  };
}
