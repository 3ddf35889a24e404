/**
 * Yearly points expiry (积分年度清零), when a community sets `volunteer_settings.pointsExpiry`
 * ('MM-DD'): what will expire at the next expiry date (for the summary), and the timer job that
 * appends the 'expired' entries once the date has passed. The rule itself (FIFO lots per period)
 * is domain/points.expiryEntries; this module only feeds it the ledger and writes its output.
 */
import type {
  Job,
  PointsEntry,
  ServiceAccount,
  User,
  VolunteerRegistration,
  VolunteerSettings,
} from '../../types/domain';
import { cmd, collection, getAll, getById, transaction } from '../core/db';
import { defineJob, enqueue, mapLimit } from '../core/jobs';
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
 * Timer step: once a community's expiry date has passed, queue the job that expires its accounts'
 * unspent points. A marker per community and period (`counters/points-expiry_…`), written by the
 * job when every account was handled, makes later runs cost one read per community with an
 * expiry date. The job has one id per marker, so a run finds it instead of queueing another;
 * it runs later in the same timer run (core/jobs.ts) and resumes from its cursor if cut short.
 */
export async function expirePoints(now: number): Promise<{ queued: number }> {
  const settings = await getAll<VolunteerSettings>(collection('volunteer_settings'));
  let queued = 0;
  await Promise.all(
    settings.map(async (s) => {
      const mmdd = validExpiryDate(s.pointsExpiry);
      if (!mmdd) return;
      const year = expiryPeriod(now, mmdd) - 1; // the last period whose expiry date has passed
      const marker = `points-expiry_${s._id}_${mmdd}_${year}`;
      if (await getById('counters', marker)) return;
      const added = await transaction(async (t) => {
        const job = await t.get<Job>('jobs', `job_${marker}`);
        if (job?.status === 'pending') return false;
        await enqueue(t, EXPIRY_JOB, { communityId: s._id, mmdd, marker }, now, { id: `job_${marker}` });
        return true;
      });
      if (added) queued += 1;
    }),
  );
  return { queued };
}

interface ExpiryPayload {
  communityId: string;
  mmdd: string;
  marker: string;
}

/** Attempts per account when its ledger moves while it is being expired. */
const ACCOUNT_ATTEMPTS = 3;

/**
 * One community's expiry: pages through the accounts with points (by id, the cursor) and appends
 * each one's 'expired' entries (ids `expire_<openid>_<year>`: a batch run again appends nothing).
 */
const EXPIRY_JOB = defineJob<ExpiryPayload>({
  kind: 'pointsExpiry',
  async batch(payload, cursor, ctx) {
    const _ = cmd();
    const { data } = await collection('service_accounts')
      .where(cursor === null ? { pointsBalance: _.gt(0) } : { pointsBalance: _.gt(0), _id: _.gt(cursor) })
      .orderBy('_id', 'asc')
      .limit(ctx.limit)
      .get();
    const page = data as ServiceAccount[];
    await mapLimit(page, 8, (a) => expireAccount(a._id, payload, ctx.now));
    const last = page[page.length - 1];
    return { next: page.length < ctx.limit || !last ? null : last._id, processed: page.length };
  },
  async finish(payload, ctx) {
    await collection('counters').doc(payload.marker).set({ doneAt: ctx.now });
  },
});

/** Appends one account's due 'expired' entries; throws (the batch retries) if it keeps moving. */
async function expireAccount(openid: string, rule: ExpiryPayload, now: number): Promise<void> {
  const communityId = await communityOf(openid);
  if (communityId !== rule.communityId) return;
  for (let attempt = 1; ; attempt++) {
    const ledger = await ledgerOf(openid);
    const due = expiryEntries(toRuleEntries(ledger), rule.mmdd, now);
    if (due.length === 0) return;
    const seen = ledger.reduce((sum, e) => sum + e.points, 0);
    const wrote = await transaction(async (t) => {
      // The ledger was read outside the transaction: if it moved since, read it again.
      const { pointsBalance } = await readAccount(t, openid, now);
      if (pointsBalance !== seen) return false;
      for (const e of capToBalance(due, pointsBalance)) {
        await appendPoints(t, {
          _id: expiryId(openid, e.key),
          openid,
          communityId,
          kind: 'expired',
          points: e.points,
          at: e.at,
          reason: `${e.key.replace(/^expire-/, '')} 年度积分到期清零`,
          by: 'system',
        });
      }
      return true;
    });
    if (wrote) return;
    if (attempt >= ACCOUNT_ATTEMPTS)
      throw new Error(`points of ${openid.slice(-4)} kept changing during expiry`);
  }
}
