/**
 * Shared pieces of the points function: loading with Chinese not-found messages, the caller's
 * account, the audit log, and the views responses carry (goods with the caller's redeem check,
 * redemptions with the pickup QR payload, ledger lines without who wrote them).
 */
import type {
  Goods,
  GoodsView,
  PointsEntry,
  PointsEntryView,
  Redemption,
  RedemptionView,
  ServiceAccount,
  User,
} from '../../types/domain';
import { byIds, getById } from '../core/db';
import { notFound } from '../core/errors';
import { runtime } from '../core/runtime';
import { emptyAccount } from '../volunteer/ledgers';
import { redeemCheck } from './rules';

export { body, newId } from '../core/db';
export { audit } from '../volunteer/ledgers';

export const PICKUP_QR_PREFIX = 'tongxin:pickup:';

export async function loadGoods(id: string): Promise<Goods> {
  const g = await getById<Goods>('goods', id);
  if (!g) throw notFound('商品不存在或已下架');
  return g;
}

/** The account's totals outside a transaction (zeros for someone with no entries yet). */
export async function accountOf(openid: string): Promise<ServiceAccount> {
  return (await getById<ServiceAccount>('service_accounts', openid)) ?? emptyAccount(openid, 0);
}

/** A ledger line as its owner sees it (without who wrote it). */
export function toEntryView({ openid: _o, by: _b, ...rest }: PointsEntry): PointsEntryView {
  return rest;
}

export async function goodsViews(items: Goods[], balance: number): Promise<GoodsView[]> {
  const withImage = items.filter((g) => g.imageId);
  const urls = withImage.length ? await runtime().storage.urls(withImage.map((g) => g.imageId!)) : [];
  const urlOf = new Map(withImage.map((g, i) => [g._id, urls[i]]));
  return items.map(({ createdBy: _c, imageId: _i, ...g }) => {
    const url = urlOf.get(g._id);
    const check = redeemCheck(g, balance);
    return {
      ...g,
      ...(url ? { imageUrl: url } : {}),
      canRedeem: check.ok ? { ok: true } : { ok: false, reason: check.reason },
    };
  });
}

export const goodsView = async (g: Goods, balance: number) => (await goodsViews([g], balance))[0]!;

/** Redemption views; `withNames` joins the volunteers' nicknames (for workers). */
export async function redemptionViews(items: Redemption[], withNames = false): Promise<RedemptionView[]> {
  const users = withNames
    ? await byIds<User>('users', [...new Set(items.map((r) => r.openid))])
    : new Map<string, User>();
  return items.map(({ pickedUpBy: _p, ...r }) => {
    const nickName = users.get(r.openid)?.nickName;
    return { ...r, ...(nickName ? { nickName } : {}), pickupQr: `${PICKUP_QR_PREFIX}${r.pickupCode}` };
  });
}

export const redemptionView = async (r: Redemption, withNames = false) =>
  (await redemptionViews([r], withNames))[0]!;
