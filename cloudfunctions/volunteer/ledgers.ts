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
import type { HourEntry, PointsEntry, ServiceAccount } from '../../types/domain';
import type { TxDocs } from '../core/db';

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
 * changes nothing, when an entry with this id exists.
 */
export async function appendHours(t: TxDocs, entry: Omit<HourEntry, 'month' | 'year'>): Promise<boolean> {
  if (await t.get<HourEntry>('service_hours', entry._id)) return false;
  const keys = periodKeys(entry.at);
  const { _id, ...doc } = { ...entry, ...keys };
  await t.set('service_hours', _id, doc);

  const a = await account(t, entry.openid, entry.at);
  if (entry.kind === 'recorded') a.recordedHours = round2(a.recordedHours + entry.hours);
  else a.grantedHours = round2(a.grantedHours + entry.hours);
  a.updatedAt = entry.at;
  await saveAccount(t, a);

  // Rankings count every service hour (recorded and granted) in the period of the entry.
  for (const period of [keys.month, keys.year]) {
    const rowId = hourTotalId(entry.communityId, period, entry.openid);
    const row = await t.get<HourTotal>('hour_totals', rowId);
    await t.set('hour_totals', rowId, {
      communityId: entry.communityId,
      period,
      openid: entry.openid,
      hours: round2((row?.hours ?? 0) + entry.hours),
      updatedAt: entry.at,
    });
  }
  return true;
}

/**
 * Append a points entry (id = idempotency key) and move the balance with it. Refuses (throws
 * RangeError) a debit that would make the balance negative — callers check `canRedeem` first and
 * turn that into a CONFLICT; this is the last line of defence. Returns false, changing nothing,
 * when an entry with this id exists.
 */
export async function appendPoints(t: TxDocs, entry: PointsEntry): Promise<boolean> {
  if (!Number.isSafeInteger(entry.points)) throw new RangeError('points must be an integer');
  if (await t.get<PointsEntry>('points_ledger', entry._id)) return false;
  const a = await account(t, entry.openid, entry.at);
  const balance = a.pointsBalance + entry.points;
  if (balance < 0) throw new RangeError('points balance would be negative');
  const { _id, ...doc } = entry;
  await t.set('points_ledger', _id, doc);
  a.pointsBalance = balance;
  if (entry.kind === 'earned') a.pointsEarned += entry.points;
  a.updatedAt = entry.at;
  await saveAccount(t, a);
  return true;
}

/** The account's current totals (zeros for someone with no entries yet). */
export async function readAccount(t: TxDocs, openid: string, now: number): Promise<ServiceAccount> {
  return account(t, openid, now);
}

/** Append an audit entry in the caller's transaction (shared with other functions in core). */
export { audit } from '../core/audit';
