/**
 * Dashboards at scale (issue 14 goal): one community with 100,000 sign-ups (200 activities of
 * every type over the past year, 500 people each; attended, no-shows, cancelled and waitlisted
 * mixed) and 100,000 grievances in every stage (bench/grievance.ts's generator), bulk-loaded
 * straight through the engine with the counters the handlers would have left (`dashboardWrites`,
 * `grievanceWrites`). Then, through the real `report` function: dashboard for this month and this
 * year as the community's worker, and streetDashboard for this month as the street admin
 * (p50/p99; goal p99 ≤ 50 ms), and a check that the year's sign-up figures equal a direct count
 * over the loaded records.
 */
import { performance } from 'node:perf_hooks';
import {
  dashboardWrites,
  monthKey,
  periodMonths,
  type SeededSignUp,
} from '../../cloudfunctions/domain/dashboard-tally';
import { grievanceWrites } from '../../cloudfunctions/domain/grievance-tally';
import type { ActivityType, SignUpStatus } from '../../types/domain';
import type { Dashboard, DashboardPeriod } from '../../types/report-dashboard';
import type { LocalRuntime } from '../runtime/local-runtime';
import { rolesPatch } from '../../cloudfunctions/domain/roles';
import { makeGrievances } from './grievance';
import { summarize, type LatencySummary } from './stats';

const H = 3600_000;
const DAY = 24 * H;
const COMMUNITY = 'community-bench-dash';
const WORKER = 'bench-dash-worker';
const ADMIN = 'demo-admin';
const TYPES: ActivityType[] = ['volunteer', 'partyDay', 'alliance', 'meeting'];

export interface DashboardBenchResult {
  signUps: number;
  grievances: number;
  loadSeconds: number;
  queries: (LatencySummary & { name: string })[];
  /** The year's sign-ups, attended and no-shows equal a direct count over the loaded records. */
  consistent: boolean;
  worstP99Ms: number;
}

async function bulk(rt: LocalRuntime, name: string, docs: Record<string, unknown>[]): Promise<void> {
  const coll = rt.runtime.db.collection(name);
  for (let i = 0; i < docs.length; i += 1000) await coll.add(docs.slice(i, i + 1000));
}

/** The Asia/Shanghai month and year `now` falls in, as dashboard periods. */
function periodsOf(now: number): { month: DashboardPeriod; year: DashboardPeriod } {
  const m = monthKey(now);
  const year = Number(m.slice(0, 4));
  return {
    month: { kind: 'month', year, index: Number(m.slice(4)) },
    year: { kind: 'year', year, index: 1 },
  };
}

/** Loads the data into `rt` (seeded with the demo data, clock at `now`) and times the calls. */
export async function benchDashboard(
  rt: LocalRuntime,
  now: number,
  runs: number,
  scale = 1,
): Promise<DashboardBenchResult> {
  const t0 = performance.now();
  const activities = 200;
  const perActivity = Math.round(500 * scale);
  const db = rt.runtime.db;
  await db
    .collection('communities')
    .doc(COMMUNITY)
    .set({ streetId: 'street-dongfeng', name: '基准测试社区', address: '东风街道测试路 1 号' });
  await db
    .collection('users')
    .doc(WORKER)
    .set({
      openid: WORKER,
      nickName: '看板测试社工',
      ...rolesPatch([{ role: 'resident' }, { role: 'worker', communityId: COMMUNITY }]),
      currentCommunityId: COMMUNITY,
      createdAt: now,
      updatedAt: now,
    });

  // Activities over the past year (one every ~1.8 days), every type.
  const records: SeededSignUp[] = [];
  const activityDocs: Record<string, unknown>[] = [];
  const signUpDocs: Record<string, unknown>[] = [];
  for (let a = 0; a < activities; a++) {
    const _id = `dash-act-${a}`;
    const type = TYPES[a % TYPES.length]!;
    const startAt = now - Math.floor(((a + 1) * 364 * DAY) / activities) + 2 * H;
    const ended = startAt + 2 * H < now;
    activityDocs.push({
      _id,
      communityId: COMMUNITY,
      type,
      title: `看板活动 ${a}`,
      description: '规模测试',
      place: { name: '党群服务中心', lat: 28.19, lng: 112.98 },
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
      confirmedCount: perActivity,
      waitlistCount: 0,
      createdBy: WORKER,
      createdAt: startAt - 72 * H,
      updatedAt: startAt - 72 * H,
    });
    for (let p = 0; p < perActivity; p++) {
      const openid = `dash-p${(a * 37 + p) % 5000}`;
      const k = (a * 31 + p * 7) % 20;
      const status: SignUpStatus = k === 0 ? 'cancelled' : k === 1 ? 'waitlisted' : 'confirmed';
      const checkInAt = status === 'confirmed' && ended && k < 16 ? startAt + 5 * 60_000 : undefined;
      const noShowAt = status === 'confirmed' && ended && k >= 16 ? startAt + 3 * DAY : undefined;
      records.push({
        communityId: COMMUNITY,
        openid,
        type,
        startAt,
        status,
        ...(checkInAt !== undefined ? { checkInAt } : {}),
        ...(noShowAt !== undefined ? { noShowAt } : {}),
      });
      if (status !== 'confirmed')
        (activityDocs[activityDocs.length - 1] as { confirmedCount: number }).confirmedCount -= 1;
      signUpDocs.push({
        _id: `${_id}_${openid}`,
        activityId: _id,
        communityId: COMMUNITY,
        openid,
        status,
        startAt,
        endAt: startAt + 2 * H,
        ...(checkInAt !== undefined ? { checkInAt } : {}),
        ...(noShowAt !== undefined ? { noShowAt } : {}),
        createdAt: startAt - 24 * H,
        updatedAt: startAt - 24 * H,
      });
    }
  }
  await bulk(rt, 'activities', activityDocs);
  await bulk(rt, 'signups', signUpDocs);
  const counters = new Map<string, Record<string, unknown>[]>();
  for (const w of dashboardWrites({ signUps: records })) {
    const list = counters.get(w.collection) ?? [];
    list.push({ _id: w._id, ...w.doc });
    counters.set(w.collection, list);
  }
  for (const [name, docs] of counters) await bulk(rt, name, docs);

  // Grievances: the grievance bench's generator, moved to this community.
  const grievances = makeGrievances(Math.round(100_000 * scale), now).map((g) => ({
    ...g,
    _id: `dash-${g._id}`,
    communityId: COMMUNITY,
    openid: `dash-${g.openid}`,
  }));
  const byCollection = new Map<string, Record<string, unknown>[]>();
  for (const w of grievanceWrites(grievances)) {
    const list = byCollection.get(w.collection) ?? [];
    list.push({ _id: w._id, ...w.doc });
    byCollection.set(w.collection, list);
  }
  for (const [name, docs] of byCollection) await bulk(rt, name, docs);
  const loadSeconds = Math.round((performance.now() - t0) / 10) / 100;

  const call = async <T>(openid: string, action: string, data: Record<string, unknown>): Promise<T> => {
    const res = await rt.call('report', { action, data }, openid);
    if (!res.ok) throw new Error(`report.${action}: ${res.error.code} ${res.error.message}`);
    return res.data as T;
  };
  const periods = periodsOf(now);
  const cases = [
    { name: 'dashboard (month)', openid: WORKER, action: 'dashboard', data: { period: periods.month } },
    { name: 'dashboard (year)', openid: WORKER, action: 'dashboard', data: { period: periods.year } },
    {
      name: 'streetDashboard (month)',
      openid: ADMIN,
      action: 'streetDashboard',
      data: { period: periods.month },
    },
    {
      name: 'streetDashboard (year)',
      openid: ADMIN,
      action: 'streetDashboard',
      data: { period: periods.year },
    },
  ];
  const queries: DashboardBenchResult['queries'] = [];
  for (const c of cases) {
    for (let i = 0; i < 3; i++) await call(c.openid, c.action, c.data);
    const sample: number[] = [];
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      await call(c.openid, c.action, c.data);
      sample.push(performance.now() - start);
    }
    queries.push({ name: c.name, ...summarize(sample) });
  }

  // The year's figures against a direct count over the loaded records.
  const year = await call<Dashboard>(WORKER, 'dashboard', { period: periods.year });
  const months = new Set(periodMonths('year', periods.year.year, 1));
  const inYear = records.filter((r) => months.has(monthKey(r.startAt)) && r.status === 'confirmed');
  const consistent =
    year.headline.signUps === inYear.length &&
    year.headline.attended === inYear.filter((r) => r.checkInAt !== undefined).length &&
    year.headline.noShows === inYear.filter((r) => r.noShowAt !== undefined).length &&
    year.headline.grievancesReceived > 0;

  return {
    signUps: records.length,
    grievances: grievances.length,
    loadSeconds,
    queries,
    consistent,
    worstP99Ms: Math.max(...queries.map((q) => q.p99Ms)),
  };
}

/** The bench section: loads the data, prints the table (goal p99 ≤ 50 ms) and the check. */
export async function printDashboard(
  rt: LocalRuntime,
  now: number,
  quick: boolean,
  printTable: (headers: string[], rows: (string | number)[][]) => void,
): Promise<DashboardBenchResult> {
  const r = await benchDashboard(rt, now, quick ? 10 : 30, quick ? 0.1 : 1);
  console.log(
    `  bulk load: ${r.signUps} sign-ups and ${r.grievances} grievances with counters in ${r.loadSeconds} s`,
  );
  printTable(
    ['query', 'p50 ms', 'p99 ms', 'max ms'],
    r.queries.map((q) => [q.name, q.p50Ms, q.p99Ms, q.maxMs]),
  );
  console.log(
    `  goal p99 ≤ 50 ms: ${r.worstP99Ms <= 50 ? 'OK' : 'OVER'} (worst ${r.worstP99Ms} ms); ` +
      `year's sign-ups equal a direct count: ${r.consistent ? 'yes' : 'NO'}`,
  );
  return r;
}
