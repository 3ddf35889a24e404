/**
 * Redemptions (兑换): points, stock and the redemption change together in one transaction;
 * the volunteer picks up with an 8-digit code (or its QR) that a worker of the community checks
 * and confirms. Cancelling gives points and stock back, once.
 */
import { randomInt } from 'node:crypto';
import type { Goods, Redemption } from '../../types/domain';
import { collection, getById, transaction, type TxDocs } from '../core/db';
import { conflict, forbidden, invalid, notFound } from '../core/errors';
import { assertManagesCommunity, canManageCommunity, managedCommunity } from '../core/guard';
import { communityPage, newestPage } from '../core/paging';
import { Ledger } from '../volunteer/ledgers';
import type { PointsActions } from './goods';
import { redeemCheck } from './rules';
import { audit, body, loadGoods, newId, redemptionView, redemptionViews } from './views';

const STAFF = ['worker', 'admin'] as const;

const STATUS_TEXT: Record<Redemption['status'], string> = {
  awaitingPickup: '待领取',
  pickedUp: '已领取',
  cancelled: '已取消',
};

/**
 * Pickup codes are unique among a community's redemptions awaiting pickup. Each code in use has a
 * holder document (`counters/pickup-<community>-<code>`, naming the redemption) that the redeeming
 * transaction reads and writes, so two concurrent redemptions drawing one code conflict at commit
 * and one retries; pickup and cancellation free the holder in their transactions.
 */
const CODE_CANDIDATES = 3;
const holderId = (communityId: string, code: string) => `pickup-${communityId}-${code}`;
interface CodeHolder {
  communityId: string;
  code: string;
  redemptionId: string | null;
  updatedAt: number;
}
const randomCode = () => String(randomInt(0, 100_000_000)).padStart(8, '0');

/** Frees the redemption's pickup code when its holder names it (read and written in `t`). */
async function releaseCode(t: TxDocs, r: Redemption, now: number): Promise<() => Promise<void>> {
  const id = holderId(r.communityId, r.pickupCode);
  const h = await t.get<CodeHolder>('counters', id);
  return async () => {
    if (h?.redemptionId === r._id) await t.update('counters', id, { redemptionId: null, updatedAt: now });
  };
}

export const redemptionActions: PointsActions<
  'redeem' | 'myRedemptions' | 'cancelRedemption' | 'findPickup' | 'confirmPickup' | 'redemptions'
> = {
  redeem: {
    roles: 'any',
    async handler({ caller, now }, { goodsId }) {
      // The goods' community (never changes) is read while the transaction starts; stock, price
      // and sale state are read again inside it.
      const goods = loadGoods(goodsId);
      goods.catch(() => {}); // awaited inside the transaction
      const id = newId();
      const r = await transaction(
        async (t) => {
          const { communityId } = await goods;
          const codes = [...new Set(Array.from({ length: CODE_CANDIDATES }, randomCode))];
          const [g, ledger, holders] = await Promise.all([
            t.get<Goods>('goods', goodsId),
            Ledger.open(t, caller.openid, now, { dashboard: [{ communityId, at: now }] }),
            Promise.all(codes.map((c) => t.get<CodeHolder>('counters', holderId(communityId, c)))),
          ]);
          if (!g) throw notFound('商品不存在或已下架');
          const check = redeemCheck(g, ledger.account.pointsBalance);
          if (!check.ok) throw conflict(check.reason);
          const free = codes.findIndex((_, i) => !holders[i]?.redemptionId);
          if (free < 0) throw conflict('取货码生成失败，请稍后重试');
          const pickupCode = codes[free]!;
          ledger.points({
            _id: `redeem_${id}`,
            openid: caller.openid,
            communityId: g.communityId,
            kind: 'redeemed',
            points: -g.price,
            at: now,
            reason: `兑换「${g.name}」`,
            ref: { type: 'redemption', id },
            by: caller.openid,
          });
          const doc: Redemption = {
            _id: id,
            openid: caller.openid,
            communityId: g.communityId,
            goodsId: g._id,
            goodsName: g.name,
            price: g.price,
            status: 'awaitingPickup',
            pickupCode,
            createdAt: now,
            updatedAt: now,
          };
          const holder: CodeHolder = {
            communityId: g.communityId,
            code: pickupCode,
            redemptionId: id,
            updatedAt: now,
          };
          await ledger.save([
            () =>
              t.update('goods', g._id, {
                stock: g.stock - 1,
                redeemedCount: g.redeemedCount + 1,
                updatedAt: now,
              }),
            () => t.set('redemptions', id, body(doc)),
            () => t.set('counters', holderId(g.communityId, pickupCode), { ...holder }),
          ]);
          return doc;
        },
        { hot: `goods/${goodsId}` },
      );
      return redemptionView(r);
    },
  },

  myRedemptions: {
    roles: 'any',
    async handler({ caller }, data) {
      return newestPage(
        'redemptions',
        { openid: caller.openid, status: data.status },
        data,
        (docs: Redemption[]) => redemptionViews(docs),
      );
    },
  },

  cancelRedemption: {
    roles: 'any',
    async handler({ caller, now }, { redemptionId, reason }) {
      // Read while the transaction starts, for the ids that never change (owner, goods, code);
      // the status is read again inside, together with what the refund touches.
      const first = getById<Redemption>('redemptions', redemptionId);
      first.catch(() => {}); // awaited inside the transaction
      const r = await transaction(async (t) => {
        const known = await first;
        if (!known) throw notFound('兑换记录不存在');
        const refundId = `refund_${known._id}`;
        const [cur, ledger, g, release] = await Promise.all([
          t.get<Redemption>('redemptions', redemptionId),
          Ledger.open(t, known.openid, now, {
            points: [refundId],
            dashboard: [{ communityId: known.communityId, at: now }],
          }),
          t.get<Goods>('goods', known.goodsId),
          releaseCode(t, known, now),
        ]);
        if (!cur) throw notFound('兑换记录不存在');
        const own = cur.openid === caller.openid;
        if (!own && !canManageCommunity(caller, cur.communityId))
          throw forbidden('只能取消自己的兑换，或由本社区工作者取消');
        if (!own && !reason) throw invalid('请填写取消理由', { reason: '请填写取消理由' });
        if (cur.status !== 'awaitingPickup') throw conflict(`兑换${STATUS_TEXT[cur.status]}，不能取消`);
        ledger.points({
          _id: refundId,
          openid: cur.openid,
          communityId: cur.communityId,
          kind: 'adjusted',
          points: cur.price,
          at: now,
          reason: '取消兑换，积分退回',
          ref: { type: 'redemption', id: cur._id },
          by: caller.openid,
        });
        const next: Redemption = {
          ...cur,
          _id: cur._id,
          status: 'cancelled',
          cancelledAt: now,
          cancelledBy: own ? 'self' : 'worker',
          ...(reason ? { cancelReason: reason } : {}),
          updatedAt: now,
        };
        await ledger.save([
          ...(g
            ? [
                () =>
                  t.update('goods', g._id, {
                    stock: g.stock + 1,
                    redeemedCount: Math.max(0, g.redeemedCount - 1),
                    updatedAt: now,
                  }),
              ]
            : []),
          () => t.set('redemptions', cur._id, body(next)),
          release,
        ]);
        return next;
      });
      return redemptionView(r, canManageCommunity(caller, r.communityId));
    },
  },

  findPickup: {
    roles: [...STAFF],
    async handler({ caller }, { communityId: requested, code }) {
      const communityId = managedCommunity(caller, requested);
      const find = async (where: Record<string, unknown>) => {
        const { data } = await collection('redemptions')
          .where({ communityId, pickupCode: code, ...where })
          .orderBy('createdAt', 'desc')
          .limit(1)
          .get();
        return (data as Redemption[])[0];
      };
      // Awaiting pickup first (codes are unique among those); else the latest use of the code,
      // so the worker sees "already picked up" or "cancelled" rather than "not found".
      const r = (await find({ status: 'awaitingPickup' })) ?? (await find({}));
      if (!r) throw notFound('取货码无效，请核对后重试');
      return redemptionView(r, true);
    },
  },

  confirmPickup: {
    roles: [...STAFF],
    async handler({ caller, now }, { redemptionId }) {
      const r = await transaction(async (t) => {
        const cur = await t.get<Redemption>('redemptions', redemptionId);
        if (!cur) throw notFound('兑换记录不存在');
        assertManagesCommunity(caller, cur.communityId);
        if (cur.status !== 'awaitingPickup') throw conflict(`兑换${STATUS_TEXT[cur.status]}，不能确认领取`);
        const next: Redemption = {
          ...cur,
          _id: cur._id,
          status: 'pickedUp',
          pickedUpAt: now,
          pickedUpBy: caller.openid,
          updatedAt: now,
        };
        const release = await releaseCode(t, cur, now);
        await release();
        await t.set('redemptions', cur._id, body(next));
        await audit(t, {
          at: now,
          actor: caller.openid,
          action: 'pickupConfirmed',
          subject: cur.openid,
          communityId: cur.communityId,
          detail: `确认领取「${cur.goodsName}」（${cur.price} 分，兑换 ${cur._id}）`,
        });
        return next;
      });
      return redemptionView(r, true);
    },
  },

  redemptions: {
    roles: [...STAFF],
    async handler({ caller }, data) {
      return communityPage(caller, 'redemptions', data, (docs: Redemption[]) => redemptionViews(docs, true));
    },
  },
};
