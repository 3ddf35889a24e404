/**
 * Volunteer, points and alliance reads at scale (issue 12): one community with 100,000 sign-ups
 * (100 service sessions × 1,000 volunteers), 100,000 hour entries and 100,000 points entries
 * (5,000 of each for one busy volunteer), 10,000 redemptions and 1,000 registrations, bulk-loaded
 * straight through the engine in batches of 1,000. Each list is timed on its first and a deep
 * page, each statistics call as is, through the real handlers (p50/p99; goal p99 ≤ 50 ms).
 */
import { performance } from 'node:perf_hooks';
import type { LocalRuntime } from '../runtime/local-runtime';
import { rolesPatch } from '../../cloudfunctions/domain/roles';
import { round, summarize } from './stats';

const XFL = 'community-xingfuli';
const UNIT_ID = 'unit-hospital';
const WORKER = 'demo-worker';
const BUSY = 'scale-busy';
const H = 3600_000;

export interface ScaleQuery {
  name: string;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  items: number;
  total?: number;
  error?: string;
}

export interface ScaleResult {
  signUps: number;
  hourEntries: number;
  pointEntries: number;
  loadSeconds: number;
  queries: ScaleQuery[];
}

async function bulk(rt: LocalRuntime, name: string, docs: Record<string, unknown>[]): Promise<void> {
  const coll = rt.runtime.db.collection(name);
  for (let i = 0; i < docs.length; i += 1000) await coll.add(docs.slice(i, i + 1000));
}

/**
 * Loads the data set into `rt` (seeded with the demo data, clock at `now`) and times the calls.
 * `scale` 1 is the full size; smaller values shrink every collection for a quick run.
 */
export async function benchScale(
  rt: LocalRuntime,
  now: number,
  runs: number,
  scale = 1,
): Promise<ScaleResult> {
  const t0 = performance.now();
  const volunteers = Math.round(1000 * scale);
  const sessions = 100;
  const perBusy = Math.round(5000 * scale);
  const entries = Math.round(100_000 * scale);
  const openids = Array.from({ length: volunteers }, (_, i) => `scale-v${i}`);
  const monthStart = Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), 1);

  await bulk(
    rt,
    'users',
    [...openids, BUSY].map((openid, i) => ({
      _id: openid,
      openid,
      nickName: `志愿者${i}`,
      ...rolesPatch([{ role: 'resident' }, { role: 'volunteer', communityId: XFL }, { role: 'member' }]),
      currentCommunityId: XFL,
      createdAt: now,
      updatedAt: now,
    })),
  );
  await bulk(
    rt,
    'volunteers',
    [...openids, BUSY].map((openid, i) => ({
      _id: openid,
      openid,
      communityId: XFL,
      name: `志愿者${i}`,
      idMasked: '4301**********003X',
      phoneMasked: '138****5678',
      skills: [],
      preferences: [],
      status: 'approved',
      submittedAt: now - i,
      rankingOptOut: i % 50 === 0,
      createdAt: now - i,
      updatedAt: now,
    })),
  );

  // 100 ended sessions co-hosted by the demo unit, each with every volunteer signed up.
  const activityIds = Array.from({ length: sessions }, (_, i) => `scale-act-${i}`);
  await bulk(
    rt,
    'activities',
    activityIds.map((_id, i) => {
      const startAt = monthStart + i * H;
      return {
        _id,
        communityId: XFL,
        hostUnitIds: [UNIT_ID],
        type: 'volunteer',
        title: `规模服务 ${i}`,
        description: '规模测试',
        place: { name: '幸福里党群服务中心', lat: 28.1941, lng: 112.9823 },
        startAt,
        endAt: startAt + 2 * H,
        signUpStartAt: startAt - 72 * H,
        signUpEndAt: startAt - H,
        capacity: 0,
        audience: 'all',
        cancelPolicy: 'none',
        checkInMethod: 'code',
        hours: 2,
        points: 2,
        status: 'published',
        confirmedCount: volunteers,
        waitlistCount: 0,
        createdBy: WORKER,
        createdAt: startAt - 72 * H,
        updatedAt: startAt - 72 * H,
      };
    }),
  );
  const signUps: Record<string, unknown>[] = [];
  for (const [i, activityId] of activityIds.entries()) {
    const startAt = monthStart + i * H;
    for (const openid of openids) {
      signUps.push({
        _id: `${activityId}_${openid}`,
        activityId,
        communityId: XFL,
        openid,
        status: 'confirmed',
        startAt,
        endAt: startAt + 2 * H,
        createdAt: startAt - 24 * H,
        updatedAt: startAt - 24 * H,
      });
    }
    if (signUps.length >= 10_000) await bulk(rt, 'signups', signUps.splice(0));
  }
  await bulk(rt, 'signups', signUps.splice(0));

  // Ledgers: the busy volunteer's share first, the rest spread over everyone.
  const owner = (n: number) => (n < perBusy ? BUSY : openids[n % volunteers]!);
  const hourDocs: Record<string, unknown>[] = [];
  const pointDocs: Record<string, unknown>[] = [];
  for (let n = 0; n < entries; n++) {
    const at = now - n * 60_000;
    hourDocs.push({
      _id: `scale-h${n}`,
      openid: owner(n),
      communityId: XFL,
      activityId: activityIds[n % sessions],
      activityTitle: '规模服务',
      kind: n % 10 === 0 ? 'granted' : 'recorded',
      hours: 2,
      by: WORKER,
      at,
      month: '',
      year: '',
    });
    pointDocs.push({
      _id: `scale-p${n}`,
      openid: owner(n),
      communityId: XFL,
      kind: 'earned',
      points: 2,
      at,
      reason: '规模服务',
      by: WORKER,
    });
    if (hourDocs.length === 10_000) {
      await bulk(rt, 'service_hours', hourDocs.splice(0));
      await bulk(rt, 'points_ledger', pointDocs.splice(0));
    }
  }
  await bulk(rt, 'service_hours', hourDocs.splice(0));
  await bulk(rt, 'points_ledger', pointDocs.splice(0));
  // Totals as the ledger keeps them (account + one ranking row per volunteer and period).
  const count = new Map<string, number>();
  for (let n = 0; n < entries; n++) count.set(owner(n), (count.get(owner(n)) ?? 0) + 1);
  await bulk(
    rt,
    'service_accounts',
    [...count].map(([openid, c]) => ({
      _id: openid,
      openid,
      recordedHours: c * 2,
      grantedHours: 0,
      pointsBalance: c * 2,
      pointsEarned: c * 2,
      updatedAt: now,
    })),
  );
  const month = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
  })
    .format(now)
    .slice(0, 7);
  await bulk(
    rt,
    'hour_totals',
    [...count].map(([openid, c], i) => ({
      _id: `${XFL}_${month}_${openid}`,
      communityId: XFL,
      period: month,
      openid,
      hours: c * 2,
      optOut: i % 50 === 1,
      updatedAt: now,
    })),
  );
  await bulk(
    rt,
    'redemptions',
    Array.from({ length: Math.round(10_000 * scale) }, (_, n) => ({
      _id: `scale-r${n}`,
      openid: owner(n),
      communityId: XFL,
      goodsId: 'scale-goods',
      goodsName: '保温杯',
      price: 2,
      status: n % 3 === 0 ? 'pickedUp' : 'awaitingPickup',
      pickupCode: String(n).padStart(8, '0'),
      createdAt: now - n * 1000,
      updatedAt: now - n * 1000,
    })),
  );
  const loadSeconds = round((performance.now() - t0) / 1000, 1);

  const cases: Array<[string, string, 'volunteer' | 'points' | 'alliance', string, Record<string, unknown>]> =
    [
      [
        'attendance, first page',
        WORKER,
        'volunteer',
        'attendance',
        { activityId: activityIds[0], pageSize: 20 },
      ],
      [
        'attendance, deep page',
        WORKER,
        'volunteer',
        'attendance',
        { activityId: activityIds[0], pageSize: 20, cursor: String(volunteers - 40) },
      ],
      ['myHours, first page', BUSY, 'volunteer', 'myHours', { pageSize: 20 }],
      ['myHours, deep page', BUSY, 'volunteer', 'myHours', { pageSize: 20, cursor: String(perBusy - 40) }],
      ['points.ledger, first page', BUSY, 'points', 'ledger', { pageSize: 20 }],
      ['points.ledger, deep page', BUSY, 'points', 'ledger', { pageSize: 20, cursor: String(perBusy - 40) }],
      ['redemptions (worker), first', WORKER, 'points', 'redemptions', { communityId: XFL, pageSize: 20 }],
      [
        'redemptions (worker), deep',
        WORKER,
        'points',
        'redemptions',
        { communityId: XFL, pageSize: 20, cursor: String(Math.round(10_000 * scale) - 40) },
      ],
      [
        'listRegistrations, first',
        WORKER,
        'volunteer',
        'listRegistrations',
        { communityId: XFL, pageSize: 20 },
      ],
      [
        'listRegistrations, deep',
        WORKER,
        'volunteer',
        'listRegistrations',
        { communityId: XFL, pageSize: 20, cursor: String(volunteers - 40) },
      ],
      ['myRedemptions, first page', BUSY, 'points', 'myRedemptions', { pageSize: 20 }],
      ['rankings (month)', BUSY, 'volunteer', 'rankings', { period: 'month', communityId: XFL }],
      [
        'rankings, rank past the top',
        openids[volunteers - 1]!,
        'volunteer',
        'rankings',
        { period: 'month', communityId: XFL },
      ],
      ['profile (busy volunteer)', BUSY, 'volunteer', 'profile', {}],
      ['points.summary (busy)', BUSY, 'points', 'summary', {}],
      ['alliance.unitRecord', WORKER, 'alliance', 'unitRecord', { unitId: UNIT_ID }],
      ['alliance.rankUnits', WORKER, 'alliance', 'rankUnits', { communityId: XFL }],
    ];
  const queries: ScaleQuery[] = [];
  for (const [name, openid, fn, action, data] of cases) {
    const ms: number[] = [];
    let items = 0;
    let total: number | undefined;
    let error: string | undefined;
    for (let i = 0; i < runs + 3; i++) {
      const start = performance.now();
      const res = await rt.call(fn, { action, data }, openid);
      const took = performance.now() - start;
      if (i >= 3) ms.push(took);
      if (!res.ok) error = `${res.error.code} ${res.error.message}`;
      else {
        const d = res.data as { items?: unknown[]; total?: number };
        items = Array.isArray(d.items) ? d.items.length : 1;
        total = d.total;
      }
    }
    const s = summarize(ms);
    queries.push({
      name,
      p50Ms: s.p50Ms,
      p99Ms: s.p99Ms,
      maxMs: s.maxMs,
      items,
      ...(total !== undefined ? { total } : {}),
      ...(error ? { error } : {}),
    });
  }
  return {
    signUps: sessions * volunteers,
    hourEntries: entries,
    pointEntries: entries,
    loadSeconds,
    queries,
  };
}

/** The bench section: loads the data set and prints the table (goal p99 ≤ 50 ms). */
export async function printScale(
  rt: LocalRuntime,
  now: number,
  quick: boolean,
  printTable: (headers: string[], rows: (string | number)[][]) => void,
): Promise<ScaleResult & { worstP99Ms: number }> {
  const r = await benchScale(rt, now, quick ? 10 : 30, quick ? 0.1 : 1);
  console.log(
    `  bulk load: ${r.signUps} sign-ups, ${r.hourEntries} hour entries, ${r.pointEntries} points entries in ${r.loadSeconds} s`,
  );
  printTable(
    ['query', 'p50 ms', 'p99 ms', 'max ms', 'items', 'total'],
    r.queries.map((q) => [
      q.name,
      q.p50Ms,
      q.p99Ms,
      q.maxMs,
      q.error ? `ERROR ${q.error}` : q.items,
      q.total ?? '',
    ]),
  );
  const worstP99Ms = Math.max(...r.queries.map((q) => q.p99Ms));
  console.log(`  goal p99 ≤ 50 ms: ${worstP99Ms <= 50 ? 'OK' : 'OVER'} (worst ${worstP99Ms} ms)`);
  return { ...r, worstP99Ms };
}
