/**
 * Pure rules of the points function, on top of domain/points: whether goods can be redeemed now,
 * expiry dates of a community's yearly expiry, and how ledger documents map to the expiry rule.
 * No I/O; dates in Asia/Shanghai.
 */
import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';
import type { Goods, PointsEntry } from '../../types/domain';
import { canRedeem, type LedgerEntry, type Outcome } from '../domain/points';

dayjs.extend(utc);
dayjs.extend(timezone);

const TZ = 'Asia/Shanghai';

/** Whether someone with `balance` points can redeem `g` now, or why not. */
export function redeemCheck(g: Pick<Goods, 'onSale' | 'stock' | 'price'>, balance: number): Outcome {
  if (!g.onSale) return { ok: false, reason: '商品已下架' };
  if (g.stock <= 0) return { ok: false, reason: '已兑完' };
  return canRedeem(balance, g.price);
}

/** A valid yearly expiry date 'MM-DD' (one that exists every year), else undefined. */
export function validExpiryDate(value: string | null | undefined): string | undefined {
  const m = value ? /^(\d{2})-(\d{2})$/.exec(value) : null;
  if (!m) return undefined;
  const [month, day] = [Number(m[1]), Number(m[2])];
  const probe = new Date(Date.UTC(2001, month - 1, day));
  return probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day ? value! : undefined;
}

/** End (exclusive) of the expiry date MM-DD of `year`, Asia/Shanghai. */
export function expiryEnd(year: number, mmdd: string): number {
  return dayjs.tz(`${year}-${mmdd}`, TZ).add(1, 'day').valueOf();
}

/** The expiry period `at` falls in: the year whose expiry date is the first to end after it. */
export function expiryPeriod(at: number, mmdd: string): number {
  const y = dayjs(at).tz(TZ).year();
  return at < expiryEnd(y, mmdd) ? y : y + 1;
}

/** Ledger documents as the rule's entries; ids `expire_<openid>_<year>` ↔ keys `expire-<year>`. */
export function toRuleEntries(ledger: readonly PointsEntry[]): LedgerEntry[] {
  return ledger.map((e) => {
    const year = e.kind === 'expired' ? /_(\d{4})$/.exec(e._id)?.[1] : undefined;
    return { kind: e.kind, points: e.points, at: e.at, key: year ? `expire-${year}` : e._id };
  });
}

/** The ledger id of an expiry entry the rule returned. */
export const expiryId = (openid: string, key: string) => `expire_${openid}_${key.replace(/^expire-/, '')}`;

/**
 * The rule's expiry entries limited to the balance: points spent after an expiry date but before
 * the sweep ran are gone already, so only what is left can expire (oldest period first).
 */
export function capToBalance(due: readonly LedgerEntry[], balance: number): LedgerEntry[] {
  let left = Math.max(0, balance);
  const out: LedgerEntry[] = [];
  for (const e of due) {
    const take = Math.min(-e.points, left);
    if (take <= 0) break;
    left -= take;
    out.push({ ...e, points: -take });
  }
  return out;
}
