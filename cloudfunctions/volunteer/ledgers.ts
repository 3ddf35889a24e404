/**
 * The two append-only ledgers of 服务实名制积分制 — hours (`service_hours`) and points
 * (`points_ledger`) — and the totals derived from them, plus the audit log (`audit_log`). Every write goes through these two
 * functions inside the caller's transaction: the entry and the totals (`service_accounts`, and the
 * per-period ranking rows in `hour_totals`) change together or not at all, so the totals always
 * equal the ledger sums. Entry ids are idempotency keys: appending an id that exists is a no-op.
 */
import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';
import type { HourEntry, PointsEntry, ServiceAccount, VolunteerRegistration } from '../../types/domain';
import type { TxDocs } from '../core/db';
import { DashboardCounters } from '../core/dashboard-counters';
import { hoursDelta, pointsDelta } from '../domain/dashboard-tally';

dayjs.extend(utc);
dayjs.extend(timezone);

const TZ = 'Asia/Shanghai';

/** Asia/Shanghai period keys of an instant: month 'YYYY-MM', year 'YYYY'. */
export function periodKeys(at: number): { month: string; year: string } {
  const d = dayjs(at).tz(TZ);
  return { month: d.format('YYYY-MM'), year: d.format('YYYY') };
}

/** `hour_totals` row id for a community, period key and volunteer. */
export const hourTotalId = (communityId: string, periodKey: string, openid: string) =>
  `${communityId}_${periodKey}_${openid}`;

/** One row per (community, period, volunteer): the ranking reads these, sorted by hours. */
export interface HourTotal {
  _id: string;
  communityId: string;
  period: string;
  openid: string;
  hours: number;
  /** The volunteer's 排行榜 opt-out, copied here so a ranking filters and counts in the index. */
  optOut?: boolean;
  updatedAt: number;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** The totals of someone with no entries yet. */
export function emptyAccount(openid: string, updatedAt: number): ServiceAccount {
  return {
    _id: openid,
    openid,
    recordedHours: 0,
    grantedHours: 0,
    pointsBalance: 0,
    pointsEarned: 0,
    updatedAt,
  };
}

async function account(t: TxDocs, openid: string, now: number): Promise<ServiceAccount> {
  return (await t.get<ServiceAccount>('service_accounts', openid)) ?? emptyAccount(openid, now);
}

async function saveAccount(t: TxDocs, a: ServiceAccount): Promise<void> {
  const { _id, ...doc } = a;
  await t.set('service_accounts', _id, doc);
}

/**
 * Append an hour entry (id = idempotency key) and move the totals with it. Returns false, and
 * changes nothing, when an entry with this id exists. Two round trips: every read at once, then
 * every write at once.
 */
export async function appendHours(t: TxDocs, entry: Omit<HourEntry, 'month' | 'year'>): Promise<boolean> {
  const l = await Ledger.open(t, entry.openid, entry.at, { hours: [entry] });
  const added = l.hours(entry);
  await l.save();
  return added;
}

/**
 * Append a points entry (id = idempotency key) and move the balance with it. Refuses (throws
 * RangeError) a debit that would make the balance negative — callers check `canRedeem` first and
 * turn that into a CONFLICT; this is the last line of defence. Returns false, changing nothing,
 * when an entry with this id exists.
 */
export async function appendPoints(t: TxDocs, entry: PointsEntry): Promise<boolean> {
  const l = await Ledger.open(t, entry.openid, entry.at, {
    points: [entry._id],
    dashboard: [{ communityId: entry.communityId, at: entry.at }],
  });
  const added = l.points(entry);
  await l.save();
  return added;
}

/** The account's current totals (zeros for someone with no entries yet). */
export async function readAccount(t: TxDocs, openid: string, now: number): Promise<ServiceAccount> {
  return account(t, openid, now);
}

type HourNeed = Pick<HourEntry, '_id' | 'communityId' | 'at'>;

/**
 * One volunteer's ledgers inside a transaction, in two round trips: `open` reads at once
 * everything the planned entries touch (their ids, the account, the ranking rows), `hours` and
 * `points` apply entries in memory (same rules as appendHours/appendPoints), and `save` sends
 * every write at once, together with the caller's own writes. The account is written once.
 */
export class Ledger {
  private readonly writes: Array<() => Promise<void>> = [];
  private readonly totals = new Map<string, HourTotal>();
  private touched = false;
  /** The planned entries that already exist, by id (e.g. the points an earlier check-out wrote). */
  readonly found = new Map<string, HourEntry | PointsEntry>();

  private constructor(
    private readonly t: TxDocs,
    readonly account: ServiceAccount,
    private readonly existing: Set<string>,
    private readonly rows: Map<string, HourTotal | undefined>,
    private readonly optOut: boolean,
    /** The dashboard counters (hours, points, active volunteers) written with the ledger. */
    readonly dashboard: DashboardCounters,
  ) {}

  /** Reads at once what the planned entries touch (send the caller's own reads alongside). */
  static async open(
    t: TxDocs,
    openid: string,
    now: number,
    plan: {
      hours?: HourNeed[];
      points?: string[];
      /** The dashboard buckets (community, instant) of the points entries and other counts. */
      dashboard?: Array<{ communityId: string; at: number }>;
    },
  ): Promise<Ledger> {
    const hourIds = (plan.hours ?? []).map((h) => h._id);
    const pointIds = plan.points ?? [];
    const rowIds = [
      ...new Set(
        (plan.hours ?? []).flatMap((h) => {
          const k = periodKeys(h.at);
          return [hourTotalId(h.communityId, k.month, openid), hourTotalId(h.communityId, k.year, openid)];
        }),
      ),
    ];
    const hourRefs = (plan.hours ?? []).map((h) => ({ communityId: h.communityId, at: h.at, openid }));
    const [acc, hours, points, rows, reg, dashboard] = await Promise.all([
      account(t, openid, now),
      Promise.all(hourIds.map((id) => t.get<HourEntry>('service_hours', id))),
      Promise.all(pointIds.map((id) => t.get<PointsEntry>('points_ledger', id))),
      Promise.all(rowIds.map((id) => t.get<HourTotal>('hour_totals', id))),
      rowIds.length ? t.get<VolunteerRegistration>('volunteers', openid) : undefined,
      DashboardCounters.open(t, {
        refs: [...hourRefs, ...(plan.dashboard ?? []).map((d) => ({ ...d, openid }))],
        active: hourRefs,
      }),
    ]);
    const existing = new Set<string>([
      ...hourIds.filter((_, i) => hours[i]).map((id) => `h:${id}`),
      ...pointIds.filter((_, i) => points[i]).map((id) => `p:${id}`),
    ]);
    const l = new Ledger(
      t,
      { ...acc },
      existing,
      new Map(rowIds.map((id, i) => [id, rows[i]])),
      reg?.rankingOptOut ?? false,
      dashboard,
    );
    hours.forEach((h, i) => h && l.found.set(hourIds[i]!, h));
    points.forEach((p, i) => p && l.found.set(pointIds[i]!, p));
    return l;
  }

  /** Apply an hour entry (must have been planned); false when its id exists. */
  hours(entry: Omit<HourEntry, 'month' | 'year'>): boolean {
    if (this.existing.has(`h:${entry._id}`)) return false;
    this.existing.add(`h:${entry._id}`);
    const keys = periodKeys(entry.at);
    const { _id, ...doc } = { ...entry, ...keys };
    this.writes.push(() => this.t.set('service_hours', _id, doc));
    const a = this.account;
    if (entry.kind === 'recorded') a.recordedHours = round2(a.recordedHours + entry.hours);
    else a.grantedHours = round2(a.grantedHours + entry.hours);
    a.updatedAt = entry.at;
    this.touched = true;
    const ref = { communityId: entry.communityId, at: entry.at, openid: entry.openid };
    this.dashboard.add(ref, hoursDelta(entry.kind, entry.hours, entry.category));
    this.dashboard.markActive(ref);
    // Rankings count every service hour (recorded and granted) in the period of the entry.
    for (const period of [keys.month, keys.year]) {
      const rowId = hourTotalId(entry.communityId, period, entry.openid);
      if (!this.rows.has(rowId)) throw new Error(`ledger row ${rowId} was not planned`);
      const prev = this.totals.get(rowId) ?? this.rows.get(rowId);
      this.totals.set(rowId, {
        _id: rowId,
        communityId: entry.communityId,
        period,
        openid: entry.openid,
        hours: round2((prev?.hours ?? 0) + entry.hours),
        optOut: prev?.optOut ?? this.optOut,
        updatedAt: entry.at,
      });
    }
    return true;
  }

  /** Apply a points entry (must have been planned); false when its id exists. */
  points(entry: PointsEntry): boolean {
    if (!Number.isSafeInteger(entry.points)) throw new RangeError('points must be an integer');
    if (this.existing.has(`p:${entry._id}`)) return false;
    const a = this.account;
    const balance = a.pointsBalance + entry.points;
    if (balance < 0) throw new RangeError('points balance would be negative');
    this.existing.add(`p:${entry._id}`);
    const { _id, ...doc } = entry;
    this.writes.push(() => this.t.set('points_ledger', _id, doc));
    a.pointsBalance = balance;
    if (entry.kind === 'earned') a.pointsEarned += entry.points;
    a.updatedAt = entry.at;
    this.dashboard.add(
      { communityId: entry.communityId, at: entry.at, openid: entry.openid },
      pointsDelta(entry),
    );
    this.touched = true;
    return true;
  }

  /** Every write at once (the ledger's and `also`, the caller's). */
  async save(also: Array<Promise<unknown> | (() => Promise<unknown>)> = []): Promise<void> {
    const writes: Array<() => Promise<unknown>> = [...this.writes, ...this.dashboard.writes()];
    if (this.touched) writes.push(() => saveAccount(this.t, this.account));
    for (const [id, row] of this.totals) {
      const { _id: _i, ...doc } = row;
      writes.push(() => this.t.set('hour_totals', id, doc as unknown as Record<string, unknown>));
    }
    await Promise.all([...writes.map((w) => w()), ...also.map((w) => (typeof w === 'function' ? w() : w))]);
  }
}

/** Append an audit entry in the caller's transaction (shared with other functions in core). */
export { audit } from '../core/audit';
