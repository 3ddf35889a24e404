/** Input schemas of the `points` function (see ./points for the contract). */
import { z } from 'zod';
import { cursor } from './paging';

const id = z.string().trim().min(1, '缺少编号').max(64, '编号过长');
const page = {
  pageSize: z.number().int().min(1).max(50).default(20),
  cursor: cursor.optional(),
};
const empty = z.object({}).strict();
/** The most a goods item may hold in stock. */
export const MAX_STOCK = 100000;
const STOCK_ON_EDIT = '编辑商品时请填写增加或减少的库存件数，不能直接改写库存';
const pickupCode = z
  .string()
  .trim()
  .transform((v) => v.replace(/^tongxin:pickup:/, ''))
  .pipe(z.string().regex(/^\d{8}$/, '请输入 8 位取货码'));

export const pointsSchemas = {
  summary: empty,
  ledger: z
    .object({ kind: z.enum(['earned', 'redeemed', 'adjusted', 'expired']).optional(), ...page })
    .strict(),
  adjust: z
    .object({
      openid: id,
      communityId: id,
      points: z
        .number()
        .int('积分须为整数')
        .refine((v) => v !== 0, '调整积分不能为 0')
        .refine((v) => Math.abs(v) <= 10000, '单次调整最多 10000 分'),
      reason: z.string().trim().min(2, '请填写调整理由').max(200, '理由最多 200 字'),
    })
    .strict(),
  listGoods: z
    .object({ communityId: id.optional(), includeOffSale: z.boolean().default(false), ...page })
    .strict(),
  goodsDetail: z.object({ goodsId: id }).strict(),
  saveGoods: z
    .object({
      goodsId: id.optional(),
      communityId: id,
      name: z.string().trim().min(2, '商品名称至少 2 个字').max(30, '商品名称最多 30 个字'),
      description: z.string().trim().max(500, '商品说明最多 500 字').default(''),
      /** An uploaded photo: a local file id or a `cloud://…` file id (long). */
      imageId: z.string().trim().min(1).max(256, '图片编号过长').optional(),
      price: z.number().int('积分价格须为整数').min(1, '积分价格至少 1 分').max(100000, '积分价格过高'),
      /** Stock of a new item. An edit never writes the stock it read: it sends `stockDelta`. */
      stock: z.number().int('库存须为整数').min(0, '库存不能为负').max(MAX_STOCK, '库存过大').optional(),
      /** Editing: add (positive) or remove (negative) this many, applied to the current stock. */
      stockDelta: z
        .number()
        .int('库存变动须为整数')
        .min(-MAX_STOCK, '一次最多减少 100000 件')
        .max(MAX_STOCK, '一次最多增加 100000 件')
        .optional(),
      onSale: z.boolean().default(true),
    })
    .strict()
    .superRefine((v, ctx) => {
      if (v.goodsId && v.stock !== undefined)
        ctx.addIssue({ code: 'custom', path: ['stock'], message: STOCK_ON_EDIT });
      if (!v.goodsId && v.stock === undefined)
        ctx.addIssue({ code: 'custom', path: ['stock'], message: '请填写库存' });
      if (!v.goodsId && v.stockDelta !== undefined)
        ctx.addIssue({ code: 'custom', path: ['stockDelta'], message: '新商品请直接填写库存' });
    }),
  redeem: z.object({ goodsId: id }).strict(),
  myRedemptions: z
    .object({ status: z.enum(['awaitingPickup', 'pickedUp', 'cancelled']).optional(), ...page })
    .strict(),
  cancelRedemption: z
    .object({ redemptionId: id, reason: z.string().trim().max(200, '理由最多 200 字').optional() })
    .strict(),
  findPickup: z.object({ communityId: id.optional(), code: pickupCode }).strict(),
  confirmPickup: z.object({ redemptionId: id }).strict(),
  redemptions: z
    .object({
      communityId: id.optional(),
      status: z.enum(['awaitingPickup', 'pickedUp', 'cancelled']).optional(),
      ...page,
    })
    .strict(),
};

export type PointsSchemas = typeof pointsSchemas;
