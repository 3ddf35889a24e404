/**
 * Shared set-up for the points integration tests (not a test file itself): starting from no points
 * data, giving points straight through the ledger, reading collections, a snapshot of everything a
 * points action may write, and the "balances equal the ledger sums" check. Users and communities
 * come from ./volunteer-fixtures.
 */
import { transaction } from '../../cloudfunctions/core/db';
import { appendPoints } from '../../cloudfunctions/volunteer/ledgers';
import type {
  AuditEntry,
  Goods,
  PointsEntry,
  PointsKind,
  Redemption,
  ServiceAccount,
} from '../../types/domain';
import type { Harness } from '../helpers/harness';
import { addOtherWorker, XFL } from './volunteer-fixtures';

/** The collections a points action writes (besides the audit log). */
const POINTS_DATA = ['goods', 'redemptions', 'points_ledger', 'service_accounts'];

const byId = <T extends { _id: string }>(xs: T[]) => [...xs].sort((a, b) => a._id.localeCompare(b._id));

/** Helpers bound to the test file's current harness (`harness` is read at each call). */
export function pointsKit(harness: () => Harness) {
  let seq = 0;
  const db = () => harness().rt.runtime.db;

  async function all<T>(name: string): Promise<T[]> {
    const { data } = await db().collection(name).limit(1000).get();
    return data as T[];
  }

  return {
    all,

    /**
     * Remove every goods, redemption, ledger entry and account (whatever the demo seed adds), and
     * every document of the `more` collections; `otherWorker` adds the heping worker as well.
     */
    async reset(more: string[] = [], { otherWorker = false } = {}) {
      for (const name of [...POINTS_DATA, ...more]) {
        for (const d of await all<{ _id: string }>(name)) await db().collection(name).doc(d._id).remove();
      }
      if (otherWorker) await addOtherWorker(harness());
    },

    /** Append a points entry for `openid` in xingfuli, as the ledger would. */
    async give(openid: string, points: number, at = harness().clock.now, kind: PointsKind = 'earned') {
      await transaction((t) =>
        appendPoints(t, {
          _id: `test_${kind}_${++seq}`,
          openid,
          communityId: XFL,
          kind,
          points,
          at,
          by: 'test',
        }),
      );
    },

    /** Everything a points action may write, sorted, for "a refused call changes nothing". */
    async snapshot() {
      return {
        goods: byId(await all<Goods>('goods')),
        redemptions: byId(await all<Redemption>('redemptions')),
        ledger: byId(await all<PointsEntry>('points_ledger')),
        accounts: byId(await all<ServiceAccount>('service_accounts')),
        audit: byId(await all<AuditEntry>('audit_log')),
      };
    },

    /**
     * Every account's balance equals its ledger sum and none is negative; with `onlyPoints`, every
     * account also has ledger entries (no account was written by hours alone).
     */
    async expectLedgersBalanced({ onlyPoints = false } = {}) {
      const sums = new Map<string, number>();
      for (const e of await all<PointsEntry>('points_ledger'))
        sums.set(e.openid, (sums.get(e.openid) ?? 0) + e.points);
      const accounts = await all<ServiceAccount>('service_accounts');
      if (onlyPoints) expect(accounts.length).toBe(sums.size);
      for (const a of accounts) {
        expect(a.pointsBalance).toBe(sums.get(a._id) ?? 0);
        expect(a.pointsBalance).toBeGreaterThanOrEqual(0);
      }
    },
  };
}
