/**
 * Background jobs at scale: a worker cancels an activity with N participants (each subscribed to
 * activityChanged) on the embedded engine with a file database. Measures the time until the
 * worker's call answers (goal ≤ 2 s), then runs the timer function (as its trigger would) until
 * every sign-up is cancelled with a message-centre entry, and until every WeChat message went
 * out through the local sink; prints both with the number of timer runs each took.
 */
import { performance } from 'node:perf_hooks';
import { activityInput } from '../../tests/helpers/harness';
import type { LocalRuntime } from '../runtime/local-runtime';
import { seed } from '../runtime/seed';
import { round } from './stats';

export interface JobsBenchResult {
  participants: number;
  answerMs: number;
  /** Call start → every sign-up cancelled and every entry written. */
  allCancelledMs: number;
  cancelTicks: number;
  /** Call start → every WeChat message sent (the sweep, a time budget per run). */
  allSentMs: number;
  sendTicks: number;
  cancelled: number;
  entries: number;
  sent: number;
}

async function count(rt: LocalRuntime, name: string, where: Record<string, unknown>): Promise<number> {
  const { total } = (await rt.runtime.db.collection(name).where(where).count()) as { total: number };
  return total;
}

export async function benchJobs(rt: LocalRuntime, n: number): Promise<JobsBenchResult> {
  await seed(rt);
  const db = rt.runtime.db;
  const now = rt.runtime.now();
  const res = await rt.call(
    'activity',
    { action: 'publish', data: activityInput(now, { capacity: n }) },
    'demo-worker',
  );
  if (!res.ok) throw new Error(res.error.message);
  const a = res.data as { _id: string; startAt: number; endAt: number };
  for (let i = 0; i < n; i += 500) {
    const openids = Array.from({ length: Math.min(500, n - i) }, (_, k) => `jobs-${i + k}`);
    await db.collection('signups').add(
      openids.map((openid) => ({
        _id: `${a._id}_${openid}`,
        activityId: a._id,
        communityId: 'community-xingfuli',
        openid,
        status: 'confirmed',
        startAt: a.startAt,
        endAt: a.endAt,
        createdAt: now - 1000,
        updatedAt: now - 1000,
      })),
    );
    await db.collection('subscriptions').add(
      openids.map((openid) => ({
        _id: `${openid}_activityChanged`,
        openid,
        kind: 'activityChanged',
        quota: 1,
        ask: true,
        updatedAt: now,
      })),
    );
  }
  await db.collection('activities').doc(a._id).update({ confirmedCount: n });

  const t0 = performance.now();
  const cancel = await rt.call(
    'activity',
    { action: 'cancelActivity', data: { activityId: a._id, reason: '压测取消' } },
    'demo-worker',
  );
  const answerMs = performance.now() - t0;
  if (!cancel.ok) throw new Error(cancel.error.message);

  const cancelledNow = () => count(rt, 'signups', { activityId: a._id, status: 'cancelled' });
  const entriesNow = () => count(rt, 'messages', { kind: 'activityChanged' });
  const sentNow = () => count(rt, 'dev_sink', {});
  let ticks = 0;
  let allCancelledMs = NaN;
  let cancelTicks = NaN;
  let allSentMs = NaN;
  for (; ticks < 200;) {
    await rt.tick();
    ticks += 1;
    if (Number.isNaN(allCancelledMs) && (await cancelledNow()) === n && (await entriesNow()) === n) {
      allCancelledMs = performance.now() - t0;
      cancelTicks = ticks;
    }
    if ((await sentNow()) >= n) {
      allSentMs = performance.now() - t0;
      break;
    }
  }
  return {
    participants: n,
    answerMs: round(answerMs, 1),
    allCancelledMs: round(allCancelledMs, 1),
    cancelTicks,
    allSentMs: round(allSentMs, 1),
    sendTicks: ticks,
    cancelled: await cancelledNow(),
    entries: await entriesNow(),
    sent: await sentNow(),
  };
}
