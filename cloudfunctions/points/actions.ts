/**
 * Cloud function `points` (积分制): the caller's balance and ledger, worker adjustments, and the
 * points mall (./goods, ./redemptions). Every points change goes through `appendPoints` in a
 * transaction, so `service_accounts.pointsBalance` always equals the ledger sum.
 */
import type { PointsEntry, User } from '../../types/domain';
import { pointsSchemas } from '../../types/points-schemas';
import { getById, transaction } from '../core/db';
import { conflict, forbidden, notFound } from '../core/errors';
import { defineActions } from '../core/function';
import { assertManagesCommunity } from '../core/guard';
import { newestPage } from '../core/paging';
import { appendPoints, readAccount } from '../volunteer/ledgers';
import { communityOf, expiringFor, expiryDateOf } from './expiry';
import { goodsActions } from './goods';
import { redemptionActions } from './redemptions';
import { accountOf, audit, newId, toEntryView } from './views';

export const schemas = pointsSchemas;

export const actions = defineActions('points', {
  summary: {
    roles: 'any',
    async handler({ caller, now }) {
      const [account, mmdd] = await Promise.all([
        accountOf(caller.openid),
        communityOf(caller.openid, caller.user).then(expiryDateOf),
      ]);
      const expiring = await expiringFor(caller.openid, mmdd, now);
      return {
        balance: account.pointsBalance,
        earned: account.pointsEarned,
        ...(expiring ? { expiring } : {}),
      };
    },
  },

  ledger: {
    roles: 'any',
    async handler({ caller }, data) {
      return newestPage(
        'points_ledger',
        { openid: caller.openid, kind: data.kind },
        data,
        (docs: PointsEntry[]) => docs.map(toEntryView),
        'at',
      );
    },
  },

  adjust: {
    roles: ['worker', 'admin'],
    async handler({ caller, now }, { openid, communityId, points, reason }) {
      assertManagesCommunity(caller, communityId);
      const user = await getById<User>('users', openid);
      if (!user) throw notFound('用户不存在');
      if ((await communityOf(openid, user)) !== communityId)
        throw forbidden('只能调整本社区居民或志愿者的积分');
      const entry: PointsEntry = {
        _id: `adjust_${newId()}`,
        openid,
        communityId,
        kind: 'adjusted',
        points,
        at: now,
        reason,
        by: caller.openid,
      };
      await transaction(async (t) => {
        const { pointsBalance } = await readAccount(t, openid, now);
        if (pointsBalance + points < 0)
          throw conflict(`积分不足，无法扣减 ${-points} 分：当前 ${pointsBalance} 分`);
        await appendPoints(t, entry);
        await audit(t, {
          at: now,
          actor: caller.openid,
          action: 'pointsAdjusted',
          subject: openid,
          communityId,
          detail: `${points > 0 ? '+' : ''}${points} 分：${reason}`,
        });
      });
      return toEntryView(entry);
    },
  },

  ...goodsActions,
  ...redemptionActions,
});
