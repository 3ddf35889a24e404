/**
 * Yearly points expiry (积分年度清零), when a community sets `volunteer_settings.pointsExpiry`
 * ('MM-DD'): what will expire at the next expiry date (for the summary), and the timer job that
 * appends the 'expired' entries once the date has passed. The rule itself (FIFO lots per period)
 * is domain/points.expiryEntries; this module only feeds it the ledger and writes its output.
 */
import type {
  PointsEntry,
  ServiceAccount,
  User,
  VolunteerRegistration,
  VolunteerSettings,
} from '../../types/domain';
import { cmd, collection, getAll, getById, transaction } from '../core/db';
import { runtime } from '../core/runtime';
import { expiryEntries } from '../domain/points';
import { appendPoints, readAccount } from '../volunteer/ledgers';
import { capToBalance, expiryEnd, expiryId, expiryPeriod, toRuleEntries, validExpiryDate } from './rules';

/**
 * The community whose settings apply to someone: their volunteer registration's community, else
 * the community they are browsing.
 */
export async function communityOf(openid: string, user?: User): Promise<string | undefined> {
  const reg = await getById<VolunteerRegistration>('volunteers', openid);
  if (reg?.communityId) return reg.communityId;
  return (user ?? (await getById<User>('users', openid)))?.currentCommunityId;
}

/** The community's expiry date ('MM-DD'), or undefined when points never expire there. */
export async function expiryDateOf(communityId: string | undefined): Promise<string | undefined> {
  if (!communityId) return undefined;
  const s = await getById<VolunteerSettings>('volunteer_settings', communityId);
  return validExpiryDate(s?.pointsExpiry);
}

async function ledgerOf(openid: string): Promise<PointsEntry[]> {
  return getAll<PointsEntry>(collection('points_ledger').where({ openid }).orderBy('at', 'asc'));
}

/**
 * Points that will expire at the next expiry date (counting any earlier period not yet swept),
 * given the ledger as it is now; undefined when nothing will.
 */
export async function expiringFor(
  openid: string,
  mmdd: string | undefined,
  now: number,
): Promise<{ points: number; at: number } | undefined> {
  if (!mmdd) return undefined;
  const end = expiryEnd(expiryPeriod(now, mmdd), mmdd);
  const ledger = await ledgerOf(openid);
  const balance = ledger.reduce((sum, e) => sum + e.points, 0);
  const due = capToBalance(expiryEntries(toRuleEntries(ledger), mmdd, end), balance);
  const points = -due.reduce((sum, e) => sum + e.points, 0);
  return points > 0 ? { points, at: end - 1 } : undefined;
}

/**
 * Timer job: once a community's expiry date has passed, append the 'expired' entries of every
 * account with points there (ids `expire_<openid>_<year>`: running again appends nothing). A
 * marker per community and period (`counters/points-expiry_…`) makes later runs cost one read
 * per community with an expiry date; it is written only when every account was handled, so an
 * account skipped (a concurrent change) or failed is retried on the next run.
 */
export async function expirePoints(now: number): Promise<{ expired: number; accounts: number }> {
  const settings = await getAll<VolunteerSettings>(collection('volunteer_settings'));
  const pending = new Map<string, { mmdd: string; marker: string }>();
  for (const s of settings) {
    const mmdd = validExpiryDate(s.pointsExpiry);
    if (!mmdd) continue;
    const year = expiryPeriod(now, mmdd) - 1; // the last period whose expiry date has passed
    const marker = `points-expiry_${s._id}_${mmdd}_${year}`;
    if (!(await getById('counters', marker))) pending.set(s._id, { mmdd, marker });
  }
  if (pending.size === 0) return { expired: 0, accounts: 0 };

  const _ = cmd();
  let expired = 0;
  let accounts = 0;
  let complete = true;
  let after: string | undefined;
  for (;;) {
    const { data } = await collection('service_accounts')
      .where(after === undefined ? { pointsBalance: _.gt(0) } : { pointsBalance: _.gt(0), _id: _.gt(after) })
      .orderBy('_id', 'asc')
      .limit(100)
      .get();
    const page = data as ServiceAccount[];
    for (const a of page) {
      try {
        const communityId = await communityOf(a._id);
        const rule = communityId ? pending.get(communityId) : undefined;
        if (!communityId || !rule) continue;
        const ledger = await ledgerOf(a._id);
        const due = expiryEntries(toRuleEntries(ledger), rule.mmdd, now);
        if (due.length === 0) continue;
        const seen = ledger.reduce((sum, e) => sum + e.points, 0);
        const wrote = await transaction(async (t) => {
          // The ledger was read outside the transaction: if it moved since, try again next run.
          const { pointsBalance } = await readAccount(t, a._id, now);
          if (pointsBalance !== seen) return undefined;
          let points = 0;
          for (const e of capToBalance(due, pointsBalance)) {
            const added = await appendPoints(t, {
              _id: expiryId(a._id, e.key),
              openid: a._id,
              communityId,
              kind: 'expired',
              points: e.points,
              at: e.at,
              reason: `${e.key.replace(/^expire-/, '')} 年度积分到期清零`,
              by: 'system',
            });
            if (added) points -= e.points;
          }
          return points;
        });
        if (wrote === undefined) {
          complete = false;
          continue;
        }
        if (wrote > 0) accounts += 1;
        expired += wrote;
      } catch (err) {
        complete = false;
        runtime().log('error', 'points expiry failed for an account', {
          error: err instanceof Error ? err.message : String(err),
        });
      }
    }
    if (page.length < 100) break;
    after = page[page.length - 1]!._id;
  }
  if (complete) {
    for (const { marker } of pending.values()) {
      await collection('counters').doc(marker).set({ doneAt: now });
    }
  }
  return { expired, accounts };
}
