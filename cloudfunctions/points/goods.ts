/** The points mall's goods (积分超市): listing, detail and the worker's create/edit. */
import type { ActionName } from '../../types/api';
import type { Goods, GoodsView } from '../../types/domain';
import { MAX_STOCK } from '../../types/points-schemas';
import { collection, transaction } from '../core/db';
import { AppError, forbidden, invalid, notFound } from '../core/errors';
import type { ActionTable } from '../core/function';
import { assertManagesCommunity, canManageCommunity } from '../core/guard';
import { queryPage } from '../core/paging';
import { runtime } from '../core/runtime';
import { accountOf, body, goodsView, goodsViews, loadGoods, newId } from './views';

/**
 * The stock after a worker adds (`delta` > 0) or removes (< 0) items, applied to the `current`
 * stock (what is left after every redemption so far): never negative, never above MAX_STOCK.
 */
export function nextStock(
  current: number,
  delta: number,
): { ok: true; stock: number } | { ok: false; reason: string } {
  const stock = current + delta;
  if (stock < 0) return { ok: false, reason: `库存只剩 ${current} 件，不能减少 ${-delta} 件` };
  if (stock > MAX_STOCK) return { ok: false, reason: `库存最多 ${MAX_STOCK} 件，当前 ${current} 件` };
  return { ok: true, stock };
}

export type PointsActions<A extends ActionName<'points'>> = Pick<ActionTable<'points'>, A>;

const STAFF = ['worker', 'admin'] as const;

export const goodsActions: PointsActions<'listGoods' | 'goodsDetail' | 'saveGoods'> = {
  listGoods: {
    roles: 'any',
    async handler({ caller }, data) {
      const communityId = data.communityId ?? caller.user.currentCommunityId;
      if (!communityId) throw invalid('请先选择社区');
      const all = data.includeOffSale && canManageCommunity(caller, communityId);
      const { pointsBalance } = await accountOf(caller.openid);
      return queryPage<Goods, GoodsView>(
        collection('goods').where(all ? { communityId } : { communityId, onSale: true }),
        { field: 'createdAt', order: 'desc' },
        data,
        (docs) => goodsViews(docs, pointsBalance),
      );
    },
  },

  goodsDetail: {
    roles: 'any',
    async handler({ caller }, { goodsId }) {
      const g = await loadGoods(goodsId);
      if (!g.onSale && !canManageCommunity(caller, g.communityId)) throw notFound('商品不存在或已下架');
      return goodsView(g, (await accountOf(caller.openid)).pointsBalance);
    },
  },

  saveGoods: {
    roles: [...STAFF],
    async handler({ caller, now }, data) {
      assertManagesCommunity(caller, data.communityId);
      const existing = data.goodsId ? await loadGoods(data.goodsId) : undefined;
      if (existing && existing.communityId !== data.communityId) throw forbidden('不能把商品移到其他社区');
      if (data.imageId && data.imageId !== existing?.imageId) {
        if (!(await runtime().storage.ownedBy(data.imageId, caller.openid)))
          throw invalid('图片无效或不是你上传的，请重新上传', { imageId: '图片无效' });
      }
      const fields = {
        name: data.name,
        description: data.description,
        price: data.price,
        onSale: data.onSale,
        ...((data.imageId ?? existing?.imageId) ? { imageId: data.imageId ?? existing?.imageId } : {}),
      };
      const saved = await transaction(async (t) => {
        if (!existing) {
          const g: Goods = {
            _id: newId(),
            communityId: data.communityId,
            ...fields,
            stock: data.stock ?? 0,
            redeemedCount: 0,
            createdBy: caller.openid,
            createdAt: now,
            updatedAt: now,
          };
          await t.set('goods', g._id, body(g));
          return g;
        }
        // Re-read in the transaction: redemptions may have moved the stock since the form loaded,
        // so the change applies to the current stock, never a stock the form read.
        const current = await t.get<Goods>('goods', existing._id);
        if (!current) throw notFound('商品不存在或已下架');
        const stock = nextStock(current.stock, data.stockDelta ?? 0);
        if (!stock.ok) throw new AppError('CONFLICT', stock.reason, { stockDelta: stock.reason });
        const g: Goods = { ...current, _id: existing._id, ...fields, stock: stock.stock, updatedAt: now };
        await t.set('goods', g._id, body(g));
        return g;
      });
      return goodsView(saved, (await accountOf(caller.openid)).pointsBalance);
    },
  },
};
