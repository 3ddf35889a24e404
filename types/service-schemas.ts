/** Input schemas of the `service` function (see ./service for the contract). */
import { z } from 'zod';
import { cursor } from './paging';

const id = z.string().trim().min(1, '缺少编号').max(64, '编号过长');
const page = {
  pageSize: z.number().int().min(1).max(50).default(20),
  cursor: cursor.optional(),
};
const photos = z.array(id).max(9, '最多上传 9 张图片').default([]);
const lat = z.number().min(-90, '位置不正确').max(90, '位置不正确');
const lng = z.number().min(-180, '位置不正确').max(180, '位置不正确');
const point = z.object({ lat, lng }).strict();
const stars = z.number().int('请选择 1–5 星').min(1, '请选择 1–5 星').max(5, '请选择 1–5 星');
const tags = z
  .array(z.string().trim().min(1).max(10, '标签最多 10 个字'))
  .max(5, '最多选择 5 个标签')
  .default([]);
const comment = z.string().trim().max(200, '评价最多 200 个字').optional();
export const rating = z.object({ stars, tags, comment }).strict();
const requestId = z.object({ requestId: id }).strict();

export const serviceSchemas = {
  categories: z.object({ communityId: id.optional() }).strict(),
  settings: z
    .object({
      communityId: id.optional(),
      trustedCategories: z.array(id).max(20).optional(),
    })
    .strict(),
  submit: z
    .object({
      communityId: id,
      category: id,
      text: z.string().trim().min(10, '请至少写 10 个字说明需求').max(500, '需求说明最多 500 个字'),
      photos,
      startAt: z.number().int('时间格式不正确').positive('时间格式不正确'),
      durationHours: z
        .number()
        .min(0.5, '预计时长至少 0.5 小时')
        .max(8, '预计时长最多 8 小时')
        .multipleOf(0.5, '时长以 0.5 小时为单位')
        .default(1),
      place: z
        .object({
          area: z.string().trim().min(2, '请填写大致区域（如小区、楼栋）').max(30, '区域最多 30 个字'),
          address: z.string().trim().min(2, '请填写详细地址').max(80, '地址最多 80 个字'),
          lat,
          lng,
        })
        .strict(),
      phone: z
        .string()
        .trim()
        .regex(/^1\d{10}$/, '手机号格式不正确')
        .optional(),
      slots: z.number().int('人数须为整数').min(1, '至少需要 1 人').max(20, '最多 20 人').default(1),
    })
    .strict(),
  nearby: z
    .object({
      communityId: id.optional(),
      from: point.optional(),
      /** near: within the ~5 km cells around `from`, nearest first (the default with `from`);
       *  newest: the community's open requests, newest first (the default without). */
      order: z.enum(['near', 'newest']).optional(),
      ...page,
    })
    .strict(),
  mine: z.object({ ...page }).strict(),
  taking: z.object({ ...page }).strict(),
  queue: z
    .object({
      communityId: id.optional(),
      stage: z
        .enum([
          'pending',
          'open',
          'taken',
          'done',
          'confirmed',
          'rated',
          'unconfirmed',
          'rejected',
          'cancelled',
        ])
        .optional(),
      ...page,
    })
    .strict(),
  detail: z.object({ requestId: id, from: point.optional() }).strict(),
  approve: requestId,
  reject: z
    .object({
      requestId: id,
      reason: z.string().trim().min(2, '请填写未通过的原因').max(200, '原因最多 200 个字'),
    })
    .strict(),
  take: z.object({ requestId: id, asUnit: z.boolean().default(false) }).strict(),
  dispatch: z
    .object({
      requestId: id,
      to: z.object({ kind: z.enum(['person', 'unit']), id }).strict(),
    })
    .strict(),
  complete: z
    .object({
      requestId: id,
      note: z.string().trim().min(2, '请填写服务情况').max(300, '服务情况最多 300 个字'),
      photos,
      hours: z
        .number()
        .min(0.5, '时长至少 0.5 小时')
        .max(8, '时长最多 8 小时')
        .multipleOf(0.5, '时长以 0.5 小时为单位'),
    })
    .strict(),
  confirm: z.object({ requestId: id, rating: rating.optional() }).strict(),
  rate: z.object({ requestId: id, rating }).strict(),
  cancel: z
    .object({ requestId: id, reason: z.string().trim().max(200, '原因最多 200 个字').optional() })
    .strict(),
  recordHours: z
    .object({
      requestId: id,
      takerId: id,
      hours: z
        .number()
        .min(0.5, '时长至少 0.5 小时')
        .max(8, '时长最多 8 小时')
        .multipleOf(0.5, '时长以 0.5 小时为单位'),
    })
    .strict(),
  rateActivity: z.object({ activityId: id, rating }).strict(),
};

export type ServiceSchemas = typeof serviceSchemas;
