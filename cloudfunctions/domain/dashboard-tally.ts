/**
 * Dashboard figures kept as counters (issue 14 item 1). Pure.
 *
 * One counter document (`dashboard_stats`) per community × Asia/Shanghai month (`YYYYMM`, of the
 * activity's start for participation, of the entry for hours and points) × shard. Its fields are
 * flat counters, one per dimension: `at_<type>` checked in, `ns_<type>` no-shows (activity type),
 * `hr_<kind>` hours in hundredths (exact integers), `hc_<category>` the same hours by where they
 * came from (`hourCategoryOf`), `pi_<cat>` / `po_<cat>` points in / out by category, `av` active
 * volunteers.
 *
 * Confirmed sign-ups (`su_<type>`) are not counted here: every activity keeps its own exact
 * `confirmedCount` (in the transaction of each sign-up, cancellation, review and promotion), so
 * the dashboard sums those of the month's activities (`signUpCountersOf`, an indexed read) and the
 * busiest transaction of all — a sign-up — writes no counter document.
 *
 * Sharding: every check-in of a community writes its month's counters, so one document per month
 * would be a hot document — concurrent writers would all conflict on it and retry. The counters
 * are spread over DASHBOARD_SHARDS documents by a hash of the person's openid (a person always
 * writes the same shard) and summed when read (at most 12 × 8 small documents per year).
 *
 * Active volunteers: a marker per community × month × volunteer (`dashboard_marks`), created with
 * the first hour entry of that month in the same transaction, adds one to `av` — once.
 */
import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';
import { shanghaiMonthKey } from './shanghai';
import type { Activity, ActivityType, SignUpStatus } from '../../types/domain';
import type { PointsEntry } from '../../types/points';
import type { HourCategory, HourKind, HourSource } from '../../types/volunteer';

dayjs.extend(utc);
dayjs.extend(timezone);

const TZ = 'Asia/Shanghai';

/**
 * Shards per community and month (see above). Every check-in, check-out and ledger entry of a
 * community writes one: with 8, fifty concurrent callers collided on them as often as on the
 * activity itself; a year's dashboard reads 12 × 64 small documents in one query.
 */
export const DASHBOARD_SHARDS = 64;

export const ACTIVITY_TYPES: ActivityType[] = ['volunteer', 'partyDay', 'alliance', 'meeting'];
export const HOUR_KINDS: HourKind[] = ['recorded', 'granted'];
/** Where hours came from (an entry's `category`); `other` is every hour without one. */
export const HOUR_CATEGORIES: HourCategory[] = [...ACTIVITY_TYPES, 'service', 'granted'];
export const HOUR_SOURCES: HourSource[] = [...HOUR_CATEGORIES, 'other'];
export type PointsCategory = 'earned' | 'redeemed' | 'refund' | 'adjusted' | 'expired';
export const POINTS_CATEGORIES: PointsCategory[] = ['earned', 'redeemed', 'refund', 'adjusted', 'expired'];

/**
 * Service requests (微心愿) in the same buckets, for the public board: posted, met (confirmed or
 * closed as done), rated and the sum of their stars — counted in the month each happened.
 */
export const SERVICE_FIELDS = {
  posted: 'svc_posted',
  met: 'svc_met',
  rated: 'svc_rated',
  stars: 'svc_stars',
} as const;

/** Counter fields → amounts (missing = 0). */
export type Counters = Record<string, number>;

/** The Asia/Shanghai month `YYYYMM` of an instant. */
export const monthKey = shanghaiMonthKey;

/** A stable shard in [0, DASHBOARD_SHARDS) for an openid (FNV-1a). */
export function shardOf(openid: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < openid.length; i++) {
    h ^= openid.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % DASHBOARD_SHARDS;
}

export const dashboardBucketId = (communityId: string, month: string, shard: number) =>
  `${communityId}:${month}:${shard}`;

/** Where a person's counter change lands. */
export interface BucketRef {
  communityId: string;
  /** The instant whose month the change counts in. */
  at: number;
  openid: string;
}

export const bucketIdOf = (r: BucketRef) =>
  dashboardBucketId(r.communityId, monthKey(r.at), shardOf(r.openid));

export const activeMarkId = (communityId: string, month: string, openid: string) =>
  `${communityId}:${month}:${openid}`;

export interface DashboardBucketDoc {
  _id: string;
  communityId: string;
  month: string;
  shard: number;
  [counter: string]: string | number;
}

/** Month counters with their `su_` fields taken from `signUps` only (older buckets may hold some). */
export function withSignUps(
  stats: Map<string, Counters>,
  signUps: Map<string, Counters>,
): Map<string, Counters> {
  const out = new Map<string, Counters>();
  for (const month of new Set([...stats.keys(), ...signUps.keys()])) {
    const c = Object.fromEntries(
      Object.entries(stats.get(month) ?? {}).filter(([k]) => !k.startsWith('su_')),
    );
    out.set(month, { ...c, ...signUps.get(month) });
  }
  return out;
}

// ---------- rules: which counters a change moves ----------

/**
 * Confirmed sign-ups per month `YYYYMM` (of the activity's start) as `su_<type>` counters, from
 * the activities' own `confirmedCount`.
 */
export function signUpCountersOf(
  activities: Array<Pick<Activity, 'type' | 'startAt' | 'confirmedCount'>>,
): Map<string, Counters> {
  const out = new Map<string, Counters>();
  for (const a of activities) {
    if (!a.confirmedCount) continue;
    const month = monthKey(a.startAt);
    const c = out.get(month) ?? {};
    c[`su_${a.type}`] = (c[`su_${a.type}`] ?? 0) + a.confirmedCount;
    out.set(month, c);
  }
  return out;
}

/** A first check-in of a confirmed sign-up. */
export const attendedDelta = (type: ActivityType): Counters => ({ [`at_${type}`]: 1 });

/** A sign-up marked a no-show by the tally job. */
export const noShowDelta = (type: ActivityType): Counters => ({ [`ns_${type}`]: 1 });

/** Hours in hundredths (the ledger rounds to 0.01 h), so sums stay exact. */
export const centiHours = (hours: number) => Math.round(hours * 100);

/**
 * An hour entry: `hr_<kind>` and `hc_<category>` (an entry without a category — written before
 * entries carried one — counts under `hc_other`; its source is never guessed).
 */
export const hoursDelta = (kind: HourKind, hours: number, category?: HourCategory): Counters => ({
  [`hr_${kind}`]: centiHours(hours),
  [`hc_${category ?? 'other'}`]: centiHours(hours),
});

/**
 * A month's hours (hundredths) by source. `other` is what the known sources leave of the month's
 * total (`hr_` fields): the entries counted under `hc_other`, and the hours of counters written
 * before `hc_` existed — so the sources always add up to the total.
 */
export function hoursBySource(c: Counters): Record<HourSource, number> {
  const known = byDim(c, 'hc_', HOUR_CATEGORIES);
  const total = (c.hr_recorded ?? 0) + (c.hr_granted ?? 0);
  const sum = HOUR_CATEGORIES.reduce((s, k) => s + known[k]!, 0);
  return { ...known, other: Math.max(0, total - sum) } as Record<HourSource, number>;
}

/** The category of a points entry (a refund is an adjustment that returns a redemption). */
export function pointsCategory(e: Pick<PointsEntry, 'kind' | 'ref' | 'points'>): PointsCategory {
  if (e.kind === 'adjusted' && e.ref?.type === 'redemption' && e.points > 0) return 'refund';
  return e.kind;
}

/** Points in (`pi_`) or out (`po_`, as a positive amount) by category. */
export function pointsDelta(e: Pick<PointsEntry, 'kind' | 'ref' | 'points'>): Counters {
  if (e.points === 0) return {};
  const cat = pointsCategory(e);
  return e.points > 0 ? { [`pi_${cat}`]: e.points } : { [`po_${cat}`]: -e.points };
}

export const ACTIVE_FIELD = 'av';

export function addCounters(a: Counters, b: Counters): Counters {
  const out: Counters = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + v;
  return out;
}

/**
 * The write for a bucket: `inc` the changed fields of an existing bucket (the caller turns it into
 * `db.command.inc`), or `set` a new one whole. Nothing when every change is zero.
 */
export function bucketWrite(
  id: string,
  existing: object | undefined,
  delta: Counters,
):
  | { kind: 'inc'; id: string; fields: Counters }
  | { kind: 'set'; id: string; doc: Omit<DashboardBucketDoc, '_id'> }
  | undefined {
  const fields = Object.fromEntries(Object.entries(delta).filter(([, v]) => v !== 0));
  if (Object.keys(fields).length === 0) return undefined;
  if (existing) return { kind: 'inc', id, fields };
  const [communityId, month, shard] = splitBucketId(id);
  return { kind: 'set', id, doc: { communityId, month, shard, ...fields } };
}

function splitBucketId(id: string): [string, string, number] {
  const parts = id.split(':');
  const shard = Number(parts.pop());
  const month = parts.pop() as string;
  return [parts.join(':'), month, shard];
}

// ---------- reading ----------

/** Counter fields of stored buckets summed per month. */
export function sumByMonth(docs: Array<Record<string, unknown>>): Map<string, Counters> {
  const out = new Map<string, Counters>();
  for (const d of docs) {
    const month = String(d.month);
    const c = out.get(month) ?? {};
    for (const [k, v] of Object.entries(d)) {
      if (k === '_id' || k === 'communityId' || k === 'month' || k === 'shard' || typeof v !== 'number')
        continue;
      c[k] = (c[k] ?? 0) + v;
    }
    out.set(month, c);
  }
  return out;
}

export type PeriodKind = 'month' | 'quarter' | 'year';

/** The months `YYYYMM` of a period (index: month 1–12, quarter 1–4, ignored for a year). */
export function periodMonths(kind: PeriodKind, year: number, index: number): string[] {
  const first = kind === 'month' ? index : kind === 'quarter' ? (index - 1) * 3 + 1 : 1;
  const n = kind === 'month' ? 1 : kind === 'quarter' ? 3 : 12;
  return Array.from({ length: n }, (_, i) => `${year}${String(first + i).padStart(2, '0')}`);
}

/** [from, to) of a period in epoch ms (Asia/Shanghai). */
export function periodBounds(kind: PeriodKind, year: number, index: number): { from: number; to: number } {
  const months = periodMonths(kind, year, index);
  const at = (m: string) => dayjs.tz(`${m.slice(0, 4)}-${m.slice(4)}-01 00:00`, TZ);
  const last = at(months[months.length - 1]!).add(1, 'month');
  return { from: at(months[0]!).valueOf(), to: last.valueOf() };
}

export const sumFields = (c: Counters, prefix: string) =>
  Object.entries(c).reduce((s, [k, v]) => (k.startsWith(prefix) ? s + v : s), 0);

/** `{ type: n }` of the fields with a prefix (e.g. `su_`). */
export function byDim(c: Counters, prefix: string, dims: readonly string[]): Record<string, number> {
  return Object.fromEntries(dims.map((d) => [d, c[`${prefix}${d}`] ?? 0]));
}

// ---------- bulk writes (seed, bench) ----------

export interface SeededSignUp {
  communityId: string;
  openid: string;
  type: ActivityType;
  startAt: number;
  status: SignUpStatus;
  checkInAt?: number;
  noShowAt?: number;
}
export interface SeededHours {
  communityId: string;
  openid: string;
  kind: HourKind;
  category?: HourCategory;
  hours: number;
  at: number;
}
export type SeededPoints = Pick<PointsEntry, 'communityId' | 'openid' | 'kind' | 'ref' | 'points' | 'at'>;

/**
 * Every counter document for records written directly (seed, bench): the buckets and the active
 * markers, as the handlers would have left them. For communities with no counters yet.
 */
export function dashboardWrites(records: {
  signUps?: SeededSignUp[];
  hours?: SeededHours[];
  points?: SeededPoints[];
}): { collection: 'dashboard_stats' | 'dashboard_marks'; _id: string; doc: Record<string, unknown> }[] {
  const buckets = new Map<string, Counters>();
  const add = (ref: BucketRef, delta: Counters) => {
    const id = bucketIdOf(ref);
    buckets.set(id, addCounters(buckets.get(id) ?? {}, delta));
  };
  for (const s of records.signUps ?? []) {
    const ref = { communityId: s.communityId, at: s.startAt, openid: s.openid };
    if (s.status === 'confirmed' && s.checkInAt !== undefined) add(ref, attendedDelta(s.type));
    if (s.status === 'confirmed' && s.noShowAt !== undefined && s.checkInAt === undefined)
      add(ref, noShowDelta(s.type));
  }
  const marks = new Map<string, { communityId: string; month: string; openid: string; at: number }>();
  for (const h of records.hours ?? []) {
    const ref = { communityId: h.communityId, at: h.at, openid: h.openid };
    add(ref, hoursDelta(h.kind, h.hours, h.category));
    const month = monthKey(h.at);
    const markId = activeMarkId(h.communityId, month, h.openid);
    if (!marks.has(markId)) {
      marks.set(markId, { communityId: h.communityId, month, openid: h.openid, at: h.at });
      add(ref, { [ACTIVE_FIELD]: 1 });
    }
  }
  for (const p of records.points ?? [])
    add({ communityId: p.communityId, at: p.at, openid: p.openid }, pointsDelta(p));
  const out: {
    collection: 'dashboard_stats' | 'dashboard_marks';
    _id: string;
    doc: Record<string, unknown>;
  }[] = [];
  for (const [id, counters] of buckets) {
    const w = bucketWrite(id, undefined, counters);
    if (w?.kind === 'set') out.push({ collection: 'dashboard_stats', _id: id, doc: w.doc });
  }
  for (const [id, m] of marks) out.push({ collection: 'dashboard_marks', _id: id, doc: { ...m } });
  return out;
}
