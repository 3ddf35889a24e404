/**
 * Grievance figures kept as counters, and the scalar fields the lists are indexed on. Pure.
 *
 * Counters: each grievance contributes a tally (received, accepted, in time, …, sums of
 * milliseconds) to buckets keyed by its community, its creation period (the Asia/Shanghai month
 * `YYYYMM` and day `YYYYMMDD`) and one dimension (`c:<category>` or `h:<kind>:<id>` for its
 * current handler). Every write of a grievance applies `tallyChanges(before, after)` to the buckets
 * in the same transaction, so the counters always equal the sum over the grievances. A period
 * [from, to) is read as whole months plus the days at its edges (`statsPeriods`).
 *
 * Lists: `queueKey` orders a work queue (deadline that applies now, then creation, then id) as one
 * string; a grievance is overdue exactly when `queueKey < timeKey(now)`, which lets a queue page
 * and the overdue count run on an index.
 */
import type { DeadlinePolicy, Grievance, GrievanceHandler } from '../../types/domain';
import type { GrievanceRates } from '../../types/api';
import { DEFAULT_POLICY, dueAt } from './grievance';
import { nextFollowUp } from './grievance-followup';
import { SHANGHAI_OFFSET_MS as SHANGHAI_OFFSET } from './shanghai';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** What one grievance adds to its buckets. Sums are integer milliseconds (exact). */
export interface Tally {
  received: number;
  accepted: number;
  respondedInTime: number;
  acceptMs: number;
  resolved: number;
  rated: number;
  satisfied: number;
  closed: number;
  closeMs: number;
  /** Closed as 未评价 after the 回访. */
  unrated: number;
}

export const TALLY_FIELDS: (keyof Tally)[] = [
  'received',
  'accepted',
  'respondedInTime',
  'acceptMs',
  'resolved',
  'rated',
  'satisfied',
  'closed',
  'closeMs',
  'unrated',
];

export const emptyTally = (): Tally => ({
  received: 0,
  accepted: 0,
  respondedInTime: 0,
  acceptMs: 0,
  resolved: 0,
  rated: 0,
  satisfied: 0,
  closed: 0,
  closeMs: 0,
  unrated: 0,
});

/** The same rules as computeRates, for one grievance. */
export function tallyOf(g: Grievance, policy: DeadlinePolicy = DEFAULT_POLICY): Tally {
  const t = emptyTally();
  t.received = 1;
  if (g.acceptedAt !== undefined) {
    t.accepted = 1;
    t.acceptMs = g.acceptedAt - g.createdAt;
    if (g.acceptedAt <= g.createdAt + policy[g.urgency].respondHours * HOUR) t.respondedInTime = 1;
  }
  if (g.resolvedAt !== undefined) t.resolved = 1;
  if (g.rating) {
    t.rated = 1;
    if (g.rating.satisfaction !== 'dissatisfied') t.satisfied = 1;
  }
  if (g.unratedAt !== undefined && !g.rating) t.unrated = 1;
  if (g.closedAt !== undefined) {
    t.closed = 1;
    t.closeMs = g.closedAt - g.createdAt;
  }
  return t;
}

export const handlerKey = (h: Pick<GrievanceHandler, 'kind' | 'id'>) => `${h.kind}:${h.id}`;

/** Asia/Shanghai day `YYYYMMDD` and month `YYYYMM` of an instant. */
export function shanghaiPeriods(at: number): { day: string; month: string } {
  const iso = new Date(at + SHANGHAI_OFFSET).toISOString();
  const day = iso.slice(0, 4) + iso.slice(5, 7) + iso.slice(8, 10);
  return { day, month: day.slice(0, 6) };
}

/** One counter document: a community, a period, a dimension. */
export interface StatsBucket extends Tally {
  _id: string;
  communityId: string;
  /** `YYYYMM` or `YYYYMMDD` (Asia/Shanghai) of the grievances' creation. */
  period: string;
  /** `c:<category>` or `h:<kind>:<id>`. */
  dim: string;
  /** The handler's latest name (handler buckets). */
  name?: string;
}

export const bucketId = (communityId: string, period: string, dim: string) =>
  `${communityId}:${period}:${dim}`;

/** The dimensions a grievance counts in: its category, and its current handler if any. */
function dimsOf(g: Grievance): { dim: string; name?: string }[] {
  const dims: { dim: string; name?: string }[] = [{ dim: `c:${g.category}` }];
  if (g.handler) dims.push({ dim: `h:${handlerKey(g.handler)}`, name: g.handler.name });
  return dims;
}

export interface BucketChange {
  id: string;
  communityId: string;
  period: string;
  dim: string;
  name?: string;
  delta: Tally;
}

/**
 * The counter changes for a grievance going from `before` (undefined when new) to `after`: the
 * tally leaves the old buckets and enters the new ones; unchanged buckets net to zero and are left
 * out unless a handler's name changed.
 */
export function tallyChanges(
  before: Grievance | undefined,
  after: Grievance,
  policy: DeadlinePolicy = DEFAULT_POLICY,
): BucketChange[] {
  const changes = new Map<string, BucketChange>();
  const apply = (g: Grievance, sign: 1 | -1) => {
    const tally = tallyOf(g, policy);
    const { day, month } = shanghaiPeriods(g.createdAt);
    for (const period of [month, day]) {
      for (const { dim, name } of dimsOf(g)) {
        const id = bucketId(g.communityId, period, dim);
        const c = changes.get(id) ?? { id, communityId: g.communityId, period, dim, delta: emptyTally() };
        if (sign === 1 && name !== undefined) c.name = name;
        for (const f of TALLY_FIELDS) c.delta[f] += sign * tally[f];
        changes.set(id, c);
      }
    }
  };
  if (before) apply(before, -1);
  apply(after, 1);
  const beforeName = before?.handler?.name;
  return [...changes.values()].filter(
    (c) => TALLY_FIELDS.some((f) => c.delta[f] !== 0) || (c.name !== undefined && c.name !== beforeName),
  );
}

/** A bucket after a change (a missing bucket starts at zero). */
export function applyChange(bucket: StatsBucket | undefined, change: BucketChange): StatsBucket {
  const next: StatsBucket = {
    ...emptyTally(),
    ...(bucket ?? {}),
    _id: change.id,
    communityId: change.communityId,
    period: change.period,
    dim: change.dim,
  };
  for (const f of TALLY_FIELDS) next[f] = (next[f] ?? 0) + change.delta[f];
  if (change.name !== undefined) next.name = change.name;
  return next;
}

/** Buckets for grievances written in bulk (seed, bench): the sum of their tallies. */
export function bucketsFor(list: Grievance[], policy: DeadlinePolicy = DEFAULT_POLICY): StatsBucket[] {
  const out = new Map<string, StatsBucket>();
  for (const g of list) {
    for (const change of tallyChanges(undefined, g, policy))
      out.set(change.id, applyChange(out.get(change.id), change));
  }
  return [...out.values()];
}

export const addTally = (a: Tally, b: Tally): Tally => {
  const out = emptyTally();
  for (const f of TALLY_FIELDS) out[f] = (a[f] ?? 0) + (b[f] ?? 0);
  return out;
};

const rate = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part / whole) * 1e4) / 1e4);
const avgHours = (sumMs: number, n: number) => (n === 0 ? null : Math.round((sumMs / HOUR / n) * 100) / 100);

/** The published figures from a tally and the overdue count (same definitions as computeRates). */
export function ratesOf(t: Tally, overdue: number): GrievanceRates {
  return {
    received: t.received,
    accepted: t.accepted,
    respondedInTime: t.respondedInTime,
    responseRate: rate(t.respondedInTime, t.received),
    resolved: t.resolved,
    resolutionRate: rate(t.resolved, t.received),
    rated: t.rated,
    satisfied: t.satisfied,
    satisfactionRate: rate(t.satisfied, t.rated),
    unrated: t.unrated ?? 0,
    avgHoursToAccept: avgHours(t.acceptMs, t.accepted),
    avgHoursToClose: avgHours(t.closeMs, t.closed),
    overdue,
  };
}

function shanghaiDayStart(at: number): number {
  return Math.floor((at + SHANGHAI_OFFSET) / DAY) * DAY - SHANGHAI_OFFSET;
}

function nextMonthStart(at: number): number {
  const d = new Date(at + SHANGHAI_OFFSET);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) - SHANGHAI_OFFSET;
}

/** The longest period the counters answer for (beyond it the request is refused). */
export const MAX_STATS_DAYS = 5 * 366;

/**
 * The period the counters answer for [from, to): widened to whole Asia/Shanghai days, as whole
 * months plus the days at the edges. Undefined when longer than MAX_STATS_DAYS.
 */
export function statsPeriods(
  from: number,
  to: number,
): { from: number; to: number; periods: string[] } | undefined {
  const start = shanghaiDayStart(from);
  const end = shanghaiDayStart(to) === to ? to : shanghaiDayStart(to) + DAY;
  if (end - start > MAX_STATS_DAYS * DAY) return undefined;
  const periods: string[] = [];
  for (let at = start; at < end;) {
    const monthEnd = nextMonthStart(at);
    const { day, month } = shanghaiPeriods(at);
    if (day.endsWith('01') && monthEnd <= end) {
      periods.push(month);
      at = monthEnd;
    } else {
      periods.push(day);
      at += DAY;
    }
  }
  return { from: start, to: end, periods };
}

// ---------- index fields ----------

const KEY_WIDTH = 11; // Number.MAX_SAFE_INTEGER in base 36 has 11 digits
const NO_DEADLINE = Number.MAX_SAFE_INTEGER;

/** A time as a fixed-width base-36 string: string order is time order. */
export const timeKey = (ms: number) => Math.max(0, Math.floor(ms)).toString(36).padStart(KEY_WIDTH, '0');

/**
 * Work-queue order as one string: the deadline that applies now (none sorts last), then creation,
 * then id. Overdue exactly when `queueKey(g) < timeKey(now)`.
 */
export function queueKey(
  g: Pick<Grievance, '_id' | 'stage' | 'respondBy' | 'resolveBy' | 'createdAt'>,
): string {
  return `${timeKey(dueAt(g) ?? NO_DEADLINE)}.${timeKey(g.createdAt)}.${g._id}`;
}

/** The scalar fields the grievance indexes use, derived from the grievance. */
export interface IndexFields {
  queueKey: string;
  /** `kind:id` of the current handler. */
  handlerKey?: string;
  /**
   * While the current deadline has not had its overdue reminder: that deadline's time key. The
   * timer finds the grievances to remind with `remindKey < timeKey(now)` on an index.
   */
  remindKey?: string;
  /** While a 回访 step is pending (resolved, unrated): that step's time key (timer index). */
  followUpKey?: string;
}

export type StoredGrievance = Grievance & IndexFields;

/** The document to store for a grievance (without `_id`): the grievance plus its index fields. */
export function storedDoc(g: Grievance): Record<string, unknown> {
  const { _id, handlerKey: _h, queueKey: _q, remindKey: _r, followUpKey: _f, ...rest } = g as StoredGrievance;
  const followUp = nextFollowUp(g);
  const due = dueAt(g);
  const remindPending =
    due !== undefined && (g.overdueRemindedAt === undefined || g.overdueRemindedAt <= due);
  return {
    ...rest,
    queueKey: queueKey(g),
    ...(g.handler ? { handlerKey: handlerKey(g.handler) } : {}),
    ...(remindPending ? { remindKey: timeKey(due) } : {}),
    ...(followUp ? { followUpKey: timeKey(followUp.at) } : {}),
  };
}

/** The per-person daily submission counter (in `counters`), read and bumped by submit. */
export const dailyCounterId = (openid: string, at: number) =>
  `grievance-submits:${openid}:${shanghaiPeriods(at).day}`;

/**
 * Every document a set of new grievances needs when written directly (seed, bench): the grievances
 * with their index fields, their statistics buckets and the daily submission counters. For a
 * community with no grievances yet (the buckets hold exactly these).
 */
export function grievanceWrites(
  list: Grievance[],
  policy: DeadlinePolicy = DEFAULT_POLICY,
): {
  collection: 'grievances' | 'grievance_stats' | 'counters';
  _id: string;
  doc: Record<string, unknown>;
}[] {
  const daily = new Map<string, { count: number; openid: string; day: string }>();
  for (const g of list) {
    const id = dailyCounterId(g.openid, g.createdAt);
    const c = daily.get(id) ?? { count: 0, openid: g.openid, day: shanghaiPeriods(g.createdAt).day };
    c.count += 1;
    daily.set(id, c);
  }
  return [
    ...list.map((g) => ({ collection: 'grievances' as const, _id: g._id, doc: storedDoc(g) })),
    ...bucketsFor(list, policy).map(({ _id, ...doc }) => ({
      collection: 'grievance_stats' as const,
      _id,
      doc: doc as unknown as Record<string, unknown>,
    })),
    ...[...daily].map(([_id, doc]) => ({ collection: 'counters' as const, _id, doc: { ...doc } })),
  ];
}
