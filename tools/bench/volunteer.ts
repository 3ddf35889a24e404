/**
 * Volunteer service under load, through the real handlers on a file database: N volunteers sign
 * up for one session, check in with the 6-digit code, check out three hours later (hours +
 * points written atomically), then all redeem one item whose stock covers only half of them.
 * Checks that the stored totals equal the ledger sums and that stock and points never go wrong.
 */
import type { LocalRuntime } from '../runtime/local-runtime';
import { rolesPatch } from '../../cloudfunctions/domain/roles';
import { seed } from '../runtime/seed';
import { drive } from './signup';
import { round, summarize, type LatencySummary } from './stats';

export interface VolunteerBenchResult {
  volunteers: number;
  concurrency: number;
  checkIn: { perSecond: number; latency: LatencySummary };
  checkOut: { perSecond: number; latency: LatencySummary };
  redeem: { perSecond: number; latency: LatencySummary; stock: number; redeemed: number; refused: number };
  errors: number;
  firstError?: string;
  consistent: boolean;
}

const H = 3600_000;
const COMMUNITY = 'community-xingfuli';

export async function benchVolunteer(
  rt: LocalRuntime,
  clock: { now: number },
  volunteers: number,
  concurrency = 50,
): Promise<VolunteerBenchResult> {
  await seed(rt);
  const db = rt.runtime.db;
  const now = clock.now;
  const openids = Array.from({ length: volunteers }, (_, n) => `vol-${n}`);
  for (let i = 0; i < openids.length; i += 1000) {
    await db.collection('users').add(
      openids.slice(i, i + 1000).map((openid, k) => ({
        _id: openid,
        openid,
        nickName: `志愿者${i + k}`,
        ...rolesPatch([{ role: 'resident' }, { role: 'volunteer', communityId: COMMUNITY }]),
        currentCommunityId: COMMUNITY,
        createdAt: now,
        updatedAt: now,
      })),
    );
  }

  /** One call: its data, or what went wrong as `fn.action: CODE message`. */
  const send = async (
    openid: string,
    fn: 'activity' | 'volunteer' | 'points',
    action: string,
    data: unknown,
  ): Promise<{ data: Record<string, unknown>; error?: undefined } | { error: string }> => {
    const res = await rt.call(fn, { action, data }, openid);
    return res.ok
      ? { data: res.data as Record<string, unknown> }
      : { error: `${fn}.${action}: ${res.error.code} ${res.error.message}` };
  };
  /** The call's data; throws when it fails. */
  const call = async (...args: Parameters<typeof send>) => {
    const res = await send(...args);
    if (res.error !== undefined) throw new Error(res.error);
    return res.data;
  };
  /** What went wrong, or undefined when the call succeeds. */
  const attempt = async (...args: Parameters<typeof send>) => (await send(...args)).error;

  const service = await call('demo-worker', 'volunteer', 'publishService', {
    communityId: COMMUNITY,
    category: '文明宣传',
    title: '压测服务',
    post: '志愿者',
    place: { name: '党群服务中心', lat: 28.1941, lng: 112.9823 },
    hoursPerSession: 2,
    placesPerSession: volunteers,
    checkInMethod: 'code',
    startAt: now + 30 * 60_000,
    endAt: now + 150 * 60_000,
  });
  const activityId = (service.sessions as { activityId: string }[])[0]!.activityId;
  const errors: string[] = [];
  const signUps = await drive(concurrency, volunteers, (n) =>
    attempt(openids[n]!, 'activity', 'signUp', { activityId }),
  );
  errors.push(...signUps.errors);

  const code = async () =>
    (await call('demo-worker', 'volunteer', 'checkInCode', { activityId })).code as string;
  let proof = { method: 'code', code: await code() };
  const checkIn = await drive(concurrency, volunteers, (n) =>
    attempt(openids[n]!, 'volunteer', 'checkIn', { activityId, proof }),
  );
  errors.push(...checkIn.errors);

  clock.now = now + 3 * H;
  proof = { method: 'code', code: await code() };
  const checkOut = await drive(concurrency, volunteers, (n) =>
    attempt(openids[n]!, 'volunteer', 'checkOut', { activityId, proof }),
  );
  errors.push(...checkOut.errors);

  const stock = Math.floor(volunteers / 2);
  const goods = await call('demo-worker', 'points', 'saveGoods', {
    communityId: COMMUNITY,
    name: '压测商品',
    price: 2,
    stock,
  });
  let refused = 0;
  const redeem = await drive(concurrency, volunteers, async (n) => {
    const error = await attempt(openids[n]!, 'points', 'redeem', { goodsId: goods._id });
    if (error?.includes('CONFLICT')) refused++;
    return error?.includes('CONFLICT') ? undefined : error;
  });
  errors.push(...redeem.errors);

  // Stored state against the ledgers.
  const all = async <T>(name: string, where: Record<string, unknown>): Promise<T[]> => {
    const out: T[] = [];
    for (let skip = 0; ; skip += 1000) {
      const { data } = (await db.collection(name).where(where).skip(skip).limit(1000).get()) as { data: T[] };
      out.push(...data);
      if (data.length < 1000) return out;
    }
  };
  const ledger = await all<{ openid: string; points: number }>('points_ledger', {
    openid: db.command.in(openids),
  });
  const hours = await all<{ openid: string; hours: number }>('service_hours', { activityId });
  const accounts = await all<{ openid: string; pointsBalance: number; recordedHours: number }>(
    'service_accounts',
    { openid: db.command.in(openids) },
  );
  const sum = new Map<string, number>();
  for (const e of ledger) sum.set(e.openid, (sum.get(e.openid) ?? 0) + e.points);
  const redeemed = volunteers - refused;
  const goodsAfter = (
    await db
      .collection('goods')
      .doc(goods._id as string)
      .get()
  ).data as unknown;
  const left = ((Array.isArray(goodsAfter) ? goodsAfter[0] : goodsAfter) as { stock: number }).stock;
  const consistent =
    errors.length === 0 &&
    hours.length === volunteers &&
    hours.every((h) => h.hours === 2) &&
    accounts.length === volunteers &&
    accounts.every((a) => a.pointsBalance === (sum.get(a.openid) ?? 0) && a.pointsBalance >= 0) &&
    redeemed === stock &&
    left === 0;

  const rate = (n: number, s: number) => round(n / s, 0);
  return {
    volunteers,
    concurrency,
    checkIn: { perSecond: rate(volunteers, checkIn.seconds), latency: summarize(checkIn.latencies) },
    checkOut: { perSecond: rate(volunteers, checkOut.seconds), latency: summarize(checkOut.latencies) },
    redeem: {
      perSecond: rate(volunteers, redeem.seconds),
      latency: summarize(redeem.latencies),
      stock,
      redeemed,
      refused,
    },
    errors: errors.length,
    ...(errors[0] ? { firstError: errors[0] } : {}),
    consistent,
  };
}
