/**
 * Points (积分) rules: earning from recorded hours, the append-only ledger (earned, redeemed,
 * adjusted, expired), idempotent awards, redemption checks and optional yearly expiry.
 * Balances are always derived as the ledger sum. Pure functions, no I/O; dates in Asia/Shanghai.
 */
import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';

dayjs.extend(utc);
dayjs.extend(timezone);

export type Outcome = { ok: true } | { ok: false; reason: string };
const ok: Outcome = { ok: true };
const no = (reason: string): Outcome => ({ ok: false, reason });

const TZ = 'Asia/Shanghai';

export type LedgerKind = 'earned' | 'redeemed' | 'adjusted' | 'expired';

/** One ledger line; `points` is signed (redeemed and expired are negative), `key` is the idempotency key. */
export type LedgerEntry = { kind: LedgerKind; points: number; at: number; key: string };

/**
 * Points for recorded hours (only recorded hours earn points; granted hours never do). Points are
 * whole numbers: hours × rate, rounded down (1.5 h at 1 point/h → 1 point).
 */
export function pointsFor(recordedHours: number, pointsPerHour = 1): number {
  if (!Number.isFinite(pointsPerHour) || pointsPerHour < 0) throw new RangeError('pointsPerHour must be ≥ 0');
  if (!Number.isFinite(recordedHours) || recordedHours <= 0) return 0;
  return Math.floor(recordedHours * pointsPerHour + 1e-9);
}

/** The balance is the ledger sum, nothing else. */
export function balance(entries: readonly LedgerEntry[]): number {
  return entries.reduce((sum, e) => sum + e.points, 0);
}

/** Append unless an entry with the same key exists (re-running a check-out does not award twice). */
export function appendIdempotent(
  entries: readonly LedgerEntry[],
  entry: LedgerEntry,
): { entries: readonly LedgerEntry[]; added: boolean } {
  if (entries.some((e) => e.key === entry.key)) return { entries, added: false };
  return { entries: [...entries, entry], added: true };
}

/** Whether a redemption of `price` points is possible with `balance`; never goes negative. */
export function canRedeem(balance: number, price: number): Outcome {
  if (!Number.isSafeInteger(price) || price <= 0) return no('商品积分价格无效');
  if (!(balance >= price)) return no(`积分不足：需要 ${price} 分，当前 ${Math.max(0, balance)} 分`);
  return ok;
}

// ── Yearly expiry ────────────────────────────────────────────────────────────────────────

function parseExpiryDate(mmdd: string): { month: number; day: number } {
  const m = /^(\d{2})-(\d{2})$/.exec(mmdd);
  const month = m ? Number(m[1]) : 0;
  const day = m ? Number(m[2]) : 0;
  // A date that exists every year (02-29 does not).
  const probe = new Date(Date.UTC(2001, month - 1, day));
  if (!m || month < 1 || month > 12 || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day)
    throw new RangeError(`invalid expiry date "${mmdd}" (expected MM-DD, e.g. 12-31)`);
  return { month, day };
}

/** The instant the points of period `year` expire: the end of MM-DD of `year` in Asia/Shanghai. */
function expiryInstant(year: number, md: { month: number; day: number }): number {
  const date = `${year}-${String(md.month).padStart(2, '0')}-${String(md.day).padStart(2, '0')}`;
  return dayjs.tz(date, TZ).add(1, 'day').valueOf();
}

/** The expiry period of an instant: the year Y whose expiry date is the first one ending after it. */
function periodOf(at: number, md: { month: number; day: number }): number {
  const y = dayjs(at).tz(TZ).year();
  return at < expiryInstant(y, md) ? y : y + 1;
}

/**
 * The 'expired' entries to append now. Points credited in a period (for 12-31: a calendar year;
 * for another MM-DD: the year up to and including that day) that are still unspent at the end of
 * the period's expiry date expire. Spending is FIFO: every debit (redeemed, negative adjusted,
 * expired) uses the oldest points first; a credit of any kind (earned, positive adjusted, a
 * refunded redemption) is a new lot in the period of its `at`. A debit beyond the lots is a debt
 * that later credits repay first. Keys are `expire-<year>`, so running this again after appending
 * the result returns nothing. Each entry is dated the last millisecond of the expiry date.
 */
export function expiryEntries(
  entries: readonly LedgerEntry[],
  expiryDate: string,
  now: number,
): LedgerEntry[] {
  const md = parseExpiryDate(expiryDate);
  if (entries.length === 0) return [];
  const sorted = entries.map((e, i) => ({ e, i })).sort((a, b) => a.e.at - b.e.at || a.i - b.i);
  const keys = new Set(entries.map((e) => e.key));

  const lots: { period: number; left: number }[] = [];
  let debt = 0;
  const apply = (e: LedgerEntry) => {
    if (e.points > 0) {
      const repay = Math.min(debt, e.points);
      debt -= repay;
      if (e.points > repay) lots.push({ period: periodOf(e.at, md), left: e.points - repay });
      return;
    }
    let owed = -e.points;
    while (owed > 0 && lots.length > 0) {
      const use = Math.min(owed, lots[0].left);
      lots[0].left -= use;
      owed -= use;
      if (lots[0].left === 0) lots.shift();
    }
    debt += owed;
  };

  const out: LedgerEntry[] = [];
  let next = 0;
  for (let year = periodOf(sorted[0].e.at, md); year < periodOf(now, md); year++) {
    const end = expiryInstant(year, md);
    while (next < sorted.length && sorted[next].e.at < end) apply(sorted[next++].e);
    const key = `expire-${year}`;
    if (keys.has(key)) continue;
    const left = lots.filter((l) => l.period === year).reduce((sum, l) => sum + l.left, 0);
    if (left <= 0) continue;
    const entry: LedgerEntry = { kind: 'expired', points: -left, at: end - 1, key };
    apply(entry);
    out.push(entry);
  }
  return out;
}
