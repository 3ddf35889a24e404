/**
 * Notification figures on the embedded engine with a file database:
 * - dispatcher throughput: one activity cancelled with N subscribed participants; the cancelling
 *   call fans the event out and sends N subscription messages through the local sink;
 * - event → message-centre entry: a cancellation that promotes one waitlisted person, timed from
 *   the call's start until the promoted person's message can be read back.
 */
import { performance } from 'node:perf_hooks';
import { activityInput } from '../../tests/helpers/harness';
import type { LocalRuntime } from '../runtime/local-runtime';
import { seed } from '../runtime/seed';
import { round, summarize, type LatencySummary } from './stats';

export interface NotifyBenchResult {
  recipients: number;
  dispatchSeconds: number;
  messagesPerSecond: number;
  sinkRecords: number;
  eventToEntry: LatencySummary;
}

type Rt = LocalRuntime;

async function ok<T>(
  rt: Rt,
  openid: string,
  fn: 'activity' | 'notify',
  action: string,
  data: unknown,
): Promise<T> {
  const res = await rt.call(fn, { action, data }, openid);
  if (!res.ok) throw new Error(`${fn}.${action}: ${res.error.code} ${res.error.message}`);
  return res.data as T;
}

/** Participants who signed up and accepted every template, bulk-written like real ones. */
async function participants(rt: Rt, activityId: string, openids: string[], now: number): Promise<void> {
  const db = rt.runtime.db;
  for (let i = 0; i < openids.length; i += 500) {
    const batch = openids.slice(i, i + 500);
    await db.collection('signups').add(
      batch.map((openid) => ({
        _id: `${activityId}_${openid}`,
        activityId,
        communityId: 'community-xingfuli',
        openid,
        status: 'confirmed',
        startAt: now + 3 * 86400_000,
        endAt: now + 3 * 86400_000 + 7200_000,
        createdAt: now - 1000,
        updatedAt: now - 1000,
      })),
    );
    await db.collection('subscriptions').add(
      batch.map((openid) => ({
        _id: `${openid}_activityChanged`,
        openid,
        kind: 'activityChanged',
        quota: 1,
        ask: true,
        updatedAt: now,
      })),
    );
  }
  await db.collection('activities').doc(activityId).update({ confirmedCount: openids.length });
}

export async function benchNotify(
  rt: Rt,
  recipients: number,
  latencyRuns: number,
): Promise<NotifyBenchResult> {
  await seed(rt);
  const now = rt.runtime.now();

  // Throughput: one cancellation to `recipients` subscribed participants.
  const big = await ok<{ _id: string }>(
    rt,
    'demo-worker',
    'activity',
    'publish',
    activityInput(now, { capacity: 0 }),
  );
  await participants(
    rt,
    big._id,
    Array.from({ length: recipients }, (_, n) => `notify-${n}`),
    now,
  );
  const t0 = performance.now();
  await ok(rt, 'demo-worker', 'activity', 'cancelActivity', { activityId: big._id, reason: '压测取消' });
  // The call answers after one small batch; the timer's jobs and sweep do the rest.
  // Count, not list: a page is capped at 1000 rows, as on CloudBase.
  const sinkCount = async () =>
    ((await rt.runtime.db.collection('dev_sink').count()) as { total: number }).total;
  for (let runs = 0; runs < 200 && (await sinkCount()) < recipients; runs++) await rt.tick();
  const dispatchSeconds = (performance.now() - t0) / 1000;
  const sinkRecords = await sinkCount();

  // Latency: event (a promotion) → the promoted person's message-centre entry.
  const latencies: number[] = [];
  for (let i = 0; i < latencyRuns; i++) {
    const a = await ok<{ _id: string }>(
      rt,
      'demo-worker',
      'activity',
      'publish',
      activityInput(now, { capacity: 1 }),
    );
    await ok(rt, `lat-a-${i}`, 'activity', 'signUp', { activityId: a._id });
    await ok(rt, `lat-b-${i}`, 'activity', 'signUp', { activityId: a._id });
    const start = performance.now();
    await ok(rt, `lat-a-${i}`, 'activity', 'cancelSignUp', { activityId: a._id });
    const list = await ok<{ items: unknown[] }>(rt, `lat-b-${i}`, 'notify', 'list', { pageSize: 1 });
    latencies.push(performance.now() - start);
    if (list.items.length !== 1) throw new Error('promoted person has no message');
  }
  return {
    recipients,
    dispatchSeconds: round(dispatchSeconds, 3),
    messagesPerSecond: Math.round(recipients / dispatchSeconds),
    sinkRecords,
    eventToEntry: summarize(latencies),
  };
}
