/**
 * Dashboards (issue 14 item 1): a worker's community and the street side by side. Every figure
 * comes from counters — `dashboard_stats` (sharded per community × month: participation, hours,
 * points, active volunteers), `grievance_stats` (per community × month × category) — or an
 * indexed count (overdue grievances), and the units' yearly records (alliance/records). Reads run
 * in parallel: caller, then counters + counts + units, then the units' records.
 */
import type { Activity, Community, GrievanceCategory } from '../../types/domain';
import type {
  Dashboard,
  DashboardHeadline,
  DashboardPeriod,
  GrievanceCategoryRates,
  GrievanceTrendRow,
  ParticipationRow,
  ServiceRow,
  StreetDashboard,
  UnitContribution,
} from '../../types/report-dashboard';
import { rankCommunityUnits } from '../alliance/records';
import { cmd, collection, getAll, getById } from '../core/db';
import { notFound } from '../core/errors';
import type { ActionDef } from '../core/function';
import { managedCommunity } from '../core/guard';
import {
  ACTIVITY_TYPES,
  byDim,
  HOUR_SOURCES,
  hoursBySource,
  periodBounds,
  periodMonths,
  POINTS_CATEGORIES,
  signUpCountersOf,
  sumByMonth,
  sumFields,
  withSignUps,
  type Counters,
} from '../domain/dashboard-tally';
import { DEFAULT_CATEGORIES } from '../domain/grievance';
import {
  addTally,
  emptyTally,
  ratesOf,
  timeKey,
  type StatsBucket,
  type Tally,
} from '../domain/grievance-tally';

/** Communities the street view shows at most (a street has a few dozen). */
export const STREET_MAX_COMMUNITIES = 100;

const rate = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part / whole) * 1e4) / 1e4);
const hours = (centi: number) => Math.round(centi) / 100;

export function periodLabel(p: DashboardPeriod): string {
  if (p.kind === 'year') return `${p.year}年`;
  if (p.kind === 'quarter') return `${p.year}年第${p.index}季度`;
  return `${p.year}年${p.index}月`;
}

/** The counters of a community's months (grievance month buckets are `YYYYMM` too) and overdue. */
async function readCounters(
  communityId: string,
  months: string[],
  now: number,
  range: { from: number; to: number },
) {
  const _ = cmd();
  const [stats, activities, grievance, overdue] = await Promise.all([
    getAll<Record<string, unknown>>(
      collection('dashboard_stats').where({ communityId, month: _.in(months) }),
    ),
    // Confirmed sign-ups: the period's activities' own counts (index community_start).
    getAll<Pick<Activity, 'type' | 'startAt' | 'confirmedCount'>>(
      collection('activities')
        .where({ communityId, startAt: _.gte(range.from).and(_.lt(range.to)) })
        .field({ type: true, startAt: true, confirmedCount: true }),
    ),
    getAll<StatsBucket>(collection('grievance_stats').where({ communityId, period: _.in(months) })),
    collection('grievances')
      .where({
        communityId,
        queueKey: _.lt(timeKey(now)),
        createdAt: _.gte(range.from).and(_.lt(range.to)),
      })
      .count() as Promise<{ total: number }>,
  ]);
  return {
    stats: withSignUps(sumByMonth(stats), signUpCountersOf(activities)),
    grievance: grievance.filter((b) => b.dim.startsWith('c:')),
    overdue: overdue.total,
  };
}

function participationRow(month: string, c: Counters): ParticipationRow {
  const signUps = sumFields(c, 'su_');
  const attended = sumFields(c, 'at_');
  const su = byDim(c, 'su_', ACTIVITY_TYPES);
  const at = byDim(c, 'at_', ACTIVITY_TYPES);
  const ns = byDim(c, 'ns_', ACTIVITY_TYPES);
  return {
    month,
    signUps,
    attended,
    noShows: sumFields(c, 'ns_'),
    attendanceRate: rate(attended, signUps),
    byType: Object.fromEntries(
      ACTIVITY_TYPES.map((t) => [t, { signUps: su[t]!, attended: at[t]!, noShows: ns[t]! }]),
    ) as ParticipationRow['byType'],
  };
}

function serviceRow(month: string, c: Counters): ServiceRow {
  const pointsIn = byDim(c, 'pi_', POINTS_CATEGORIES);
  const pointsOut = byDim(c, 'po_', POINTS_CATEGORIES);
  const bySource = hoursBySource(c);
  return {
    month,
    recordedHours: hours(c.hr_recorded ?? 0),
    grantedHours: hours(c.hr_granted ?? 0),
    hoursByCategory: Object.fromEntries(
      HOUR_SOURCES.map((k) => [k, hours(bySource[k])]),
    ) as ServiceRow['hoursByCategory'],
    pointsIssued: (pointsIn.earned ?? 0) + (pointsIn.adjusted ?? 0),
    pointsRedeemed: (pointsOut.redeemed ?? 0) - (pointsIn.refund ?? 0),
    pointsExpired: pointsOut.expired ?? 0,
    activeVolunteers: c.av ?? 0,
    pointsIn,
    pointsOut,
  };
}

/** Names of a community's grievance categories (its own list, else the defaults). */
type CategoryNames = (key: string) => string;
const categoryNames =
  (categories: GrievanceCategory[] | undefined): CategoryNames =>
  (key) =>
    (categories ?? DEFAULT_CATEGORIES).find((c) => c.key === key)?.name ?? '其他';

/** Each category's 三率 of some buckets: tallies summed per category, most received first. */
function categoryRates(buckets: StatsBucket[], name: CategoryNames): GrievanceCategoryRates[] {
  const byKey = new Map<string, Tally>();
  for (const b of buckets) {
    const key = b.dim.slice(2);
    byKey.set(key, addTally(byKey.get(key) ?? emptyTally(), b));
  }
  return [...byKey]
    .map(([category, t]) => {
      const x = ratesOf(t, 0);
      return {
        category,
        name: name(category),
        received: x.received,
        responseRate: x.responseRate,
        resolutionRate: x.resolutionRate,
        satisfactionRate: x.satisfactionRate,
      };
    })
    .filter((x) => x.received > 0)
    .sort((a, b) => b.received - a.received || a.category.localeCompare(b.category));
}

function grievanceRows(months: string[], buckets: StatsBucket[], name: CategoryNames): GrievanceTrendRow[] {
  return months.map((month) => {
    const mine = buckets.filter((b) => b.period === month);
    const total = mine.reduce<Tally>((s, b) => addTally(s, b), emptyTally());
    const r = ratesOf(total, 0);
    return {
      month,
      received: r.received,
      responseRate: r.responseRate,
      resolutionRate: r.resolutionRate,
      satisfactionRate: r.satisfactionRate,
      byCategory: categoryRates(mine, name),
    };
  });
}

function headlineOf(
  participation: ParticipationRow[],
  service: ServiceRow[],
  grievance: StatsBucket[],
  overdue: number,
): DashboardHeadline {
  const sum = <T>(rows: T[], f: (r: T) => number) => rows.reduce((s, r) => s + f(r), 0);
  const signUps = sum(participation, (r) => r.signUps);
  const attended = sum(participation, (r) => r.attended);
  const g = ratesOf(
    grievance.reduce<Tally>((s, b) => addTally(s, b), emptyTally()),
    overdue,
  );
  return {
    signUps,
    attended,
    noShows: sum(participation, (r) => r.noShows),
    attendanceRate: rate(attended, signUps),
    recordedHours: Math.round(sum(service, (r) => r.recordedHours) * 100) / 100,
    grantedHours: Math.round(sum(service, (r) => r.grantedHours) * 100) / 100,
    hoursByCategory: Object.fromEntries(
      HOUR_SOURCES.map((k) => [k, Math.round(sum(service, (r) => r.hoursByCategory[k]) * 100) / 100]),
    ) as DashboardHeadline['hoursByCategory'],
    pointsIssued: sum(service, (r) => r.pointsIssued),
    pointsRedeemed: sum(service, (r) => r.pointsRedeemed),
    activeVolunteerMonths: sum(service, (r) => r.activeVolunteers),
    grievancesReceived: g.received,
    responseRate: g.responseRate,
    resolutionRate: g.resolutionRate,
    satisfactionRate: g.satisfactionRate,
    grievancesOverdue: g.overdue,
  };
}

/** A community's counters for a period (one parallel round of reads). */
async function readPeriod(communityId: string, period: DashboardPeriod, now: number) {
  const months = periodMonths(period.kind, period.year, period.index);
  const c = await readCounters(
    communityId,
    months,
    now,
    periodBounds(period.kind, period.year, period.index),
  );
  return { months, c };
}

/** The figures of a period from its counters; `name` names the grievance categories. */
function figuresOf({ months, c }: Awaited<ReturnType<typeof readPeriod>>, name: CategoryNames) {
  const participation = months.map((m) => participationRow(m, c.stats.get(m) ?? {}));
  const service = months.map((m) => serviceRow(m, c.stats.get(m) ?? {}));
  return {
    months,
    participation,
    service,
    grievances: grievanceRows(months, c.grievance, name),
    grievanceByCategory: categoryRates(c.grievance, name),
    headline: headlineOf(participation, service, c.grievance, c.overdue),
  };
}

type DashboardActions = {
  dashboard: ActionDef<'report', 'dashboard'>;
  streetDashboard: ActionDef<'report', 'streetDashboard'>;
};

export const dashboardActions: DashboardActions = {
  dashboard: {
    roles: ['worker', 'admin'],
    async handler({ caller, now }, { communityId: requested, period }) {
      const communityId = managedCommunity(caller, requested);
      const [community, counters, units] = await Promise.all([
        getById<Community & { grievanceCategories?: GrievanceCategory[] }>('communities', communityId),
        readPeriod(communityId, period, now),
        rankCommunityUnits(communityId, period.year, now),
      ]);
      if (!community) throw notFound('社区不存在');
      const result: Dashboard = {
        communityId,
        communityName: community.name,
        period,
        label: periodLabel(period),
        ...figuresOf(counters, categoryNames(community.grievanceCategories)),
        units: units.map((u): UnitContribution => ({
          unitId: u.unitId,
          unitName: u.unitName,
          claims: u.claims,
          completedProjects: u.completedProjects,
          avgRating: u.avgRating,
          resourcesProvided: u.resourcesProvided,
          activitiesCoHosted: u.activitiesCoHosted,
          membersReported: u.membersReported,
          memberHours: u.memberHours,
        })),
      };
      return result;
    },
  },

  streetDashboard: {
    roles: ['admin'],
    async handler({ now }, { period }) {
      const { data } = (await collection('communities').limit(STREET_MAX_COMMUNITIES).get()) as {
        data: Community[];
      };
      const communities = await Promise.all(
        data.map(async (c) => {
          const f = figuresOf(await readPeriod(c._id, period, now), categoryNames(undefined));
          return {
            communityId: c._id,
            communityName: c.name,
            headline: f.headline,
            hours: f.service.map((r) => ({ month: r.month, byCategory: r.hoursByCategory })),
          };
        }),
      );
      const result: StreetDashboard = { period, label: periodLabel(period), communities };
      return result;
    },
  },
};
