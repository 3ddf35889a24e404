/**
 * Points (积分) and the points mall (积分超市): the append-only ledger, goods with stock, and
 * redemptions picked up with a code. Stored documents, views, then the `points` function contract.
 * Balances live on `service_accounts` (./volunteer), kept equal to the ledger sum.
 */
import type { Action, In, Page } from './api';
import type { PointsSchemas } from './points-schemas';

export type PointsKind = 'earned' | 'redeemed' | 'adjusted' | 'expired';

/**
 * `points_ledger`: one line per change; `_id` is the idempotency key (`earn_<signUpId>`,
 * `redeem_<redemptionId>`, `refund_<redemptionId>`, `expire_<openid>_<year>`, `adjust_<random>`),
 * so writing the same change twice is impossible.
 */
export interface PointsEntry {
  _id: string;
  openid: string;
  communityId: string;
  kind: PointsKind;
  /** Signed: redeemed and expired are negative. */
  points: number;
  at: number;
  reason?: string;
  /** What caused it: an activity (earned), a redemption (redeemed / refund). */
  ref?: { type: 'activity' | 'redemption'; id: string };
  by: string;
}

/** `goods`: an item in a community's points mall. */
export interface Goods {
  _id: string;
  communityId: string;
  name: string;
  description: string;
  /** Uploaded photo file id (optional). */
  imageId?: string;
  price: number;
  stock: number;
  redeemedCount: number;
  onSale: boolean;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
}

export type RedemptionStatus = 'awaitingPickup' | 'pickedUp' | 'cancelled';

/** `redemptions`: stock and points taken together; picked up with `pickupCode`. */
export interface Redemption {
  _id: string;
  openid: string;
  communityId: string;
  goodsId: string;
  goodsName: string;
  price: number;
  status: RedemptionStatus;
  /** 8 digits, unique among a community's redemptions awaiting pickup. */
  pickupCode: string;
  createdAt: number;
  pickedUpAt?: number;
  pickedUpBy?: string;
  cancelledAt?: number;
  cancelledBy?: 'self' | 'worker';
  cancelReason?: string;
  updatedAt: number;
}

// ---------- views ----------

export type PointsEntryView = Omit<PointsEntry, 'openid' | 'by'>;

export interface PointsSummary {
  balance: number;
  earned: number;
  /** Points that will expire at the next expiry date, if the community has one. */
  expiring?: { points: number; at: number };
}

export interface GoodsView extends Omit<Goods, 'createdBy' | 'imageId'> {
  imageUrl?: string;
  /** For the caller: enough points and stock to redeem now, or why not. */
  canRedeem: { ok: boolean; reason?: string };
}

export interface RedemptionView extends Omit<Redemption, 'pickedUpBy'> {
  /** Shown to workers checking a pickup. */
  nickName?: string;
  /** QR payload a worker scans: `tongxin:pickup:<pickupCode>`. */
  pickupQr: string;
}

// ---------- contract ----------

type P<A extends keyof PointsSchemas> = In<PointsSchemas[A]>;

export interface PointsContract {
  summary: Action<P<'summary'>, PointsSummary>;
  ledger: Action<P<'ledger'>, Page<PointsEntryView>>;
  adjust: Action<P<'adjust'>, PointsEntryView, 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT'>;
  listGoods: Action<P<'listGoods'>, Page<GoodsView>>;
  goodsDetail: Action<P<'goodsDetail'>, GoodsView, 'NOT_FOUND'>;
  saveGoods: Action<P<'saveGoods'>, GoodsView, 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT'>;
  redeem: Action<P<'redeem'>, RedemptionView, 'NOT_FOUND' | 'CONFLICT'>;
  myRedemptions: Action<P<'myRedemptions'>, Page<RedemptionView>>;
  cancelRedemption: Action<P<'cancelRedemption'>, RedemptionView, 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT'>;
  findPickup: Action<P<'findPickup'>, RedemptionView, 'FORBIDDEN' | 'NOT_FOUND'>;
  confirmPickup: Action<P<'confirmPickup'>, RedemptionView, 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT'>;
  redemptions: Action<P<'redemptions'>, Page<RedemptionView>, 'FORBIDDEN'>;
}
