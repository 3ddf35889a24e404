/** Input schemas of the `sites` function (see ./sites for the contract). */
import { z } from 'zod';
import { cursor } from './paging';

const id = z.string().trim().min(1, '缺少编号').max(64, '编号过长');
const page = {
  pageSize: z.number().int().min(1).max(50).default(20),
  cursor: cursor.optional(),
};
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 2026-12-05');
const time = z.string().regex(/^([01]\d|2[0-4]):[0-5]\d$/, '时间格式应为 09:00');
const span = z.object({ open: time, close: time }).strict();
const hours = z
  .array(z.array(span).max(4, '每天最多 4 个开放时段'))
  .length(7, '开放时间须按周日到周六填写 7 天');
const text = (label: string, min: number, max: number) =>
  z
    .string()
    .trim()
    .min(min, min > 1 ? `${label}至少 ${min} 个字` : `请填写${label}`)
    .max(max, `${label}最多 ${max} 个字`);

const bookingFields = {
  hours,
  capacity: z.number().int('容纳人数须为整数').min(1, '容纳人数至少 1 人').max(2000, '容纳人数最多 2000 人'),
  facilities: z
    .array(text('设施', 1, 20))
    .max(20, '设施最多 20 项')
    .default([]),
  approval: z.boolean().default(false),
  maxHours: z
    .number()
    .int('时长须为整数')
    .min(1, '每次至少可约 1 小时')
    .max(12, '每次最多可约 12 小时')
    .default(4),
  note: text('说明', 1, 200).optional(),
};

export const sitesSchemas = {
  list: z.object({ communityId: id }).strict(),
  detail: z.object({ siteId: id, date: date.optional() }).strict(),
  /** A worker sets up (or edits) a bookable room of the community's 党群服务中心. */
  saveSite: z
    .object({
      siteId: id.optional(),
      communityId: id,
      /** Copy name, address and location from a `sites` document of the community. */
      fromSiteId: id.optional(),
      name: text('名称', 2, 40).optional(),
      address: text('地址', 2, 80).optional(),
      lat: z.number().min(-90).max(90).optional(),
      lng: z.number().min(-180).max(180).optional(),
      status: z.enum(['open', 'closed']).default('open'),
      ...bookingFields,
    })
    .strict()
    .refine(
      (v) =>
        !!v.fromSiteId ||
        !!v.siteId ||
        (!!v.name && !!v.address && v.lat !== undefined && v.lng !== undefined),
      {
        message: '请选择服务阵地，或填写名称、地址和位置',
        path: ['name'],
      },
    ),
  /** Unit staff turn one of their unit's venue resources into a bookable site. */
  openVenue: z
    .object({
      resourceId: id,
      address: text('地址', 2, 80),
      lat: z.number().min(-90).max(90),
      lng: z.number().min(-180).max(180),
      ...bookingFields,
    })
    .strict(),
  book: z
    .object({
      siteId: id,
      date,
      start: time,
      end: time,
      people: z.number().int('人数须为整数').min(1, '人数至少 1 人').max(2000, '人数过多'),
      purpose: text('用途', 2, 100),
    })
    .strict(),
  myBookings: z.object({ ...page }).strict(),
  managed: z
    .object({
      siteId: id.optional(),
      communityId: id.optional(),
      unitId: id.optional(),
      status: z.enum(['pending', 'confirmed', 'checkedIn', 'cancelled', 'rejected']).optional(),
      ...page,
    })
    .strict()
    .refine((v) => !!(v.siteId || v.communityId || v.unitId), {
      message: '请选择阵地、社区或单位',
      path: ['siteId'],
    }),
  review: z
    .object({ bookingId: id, approve: z.boolean(), reason: text('原因', 2, 100).optional() })
    .strict()
    .refine((v) => v.approve || !!v.reason, { message: '不通过须填写原因', path: ['reason'] }),
  cancel: z.object({ bookingId: id, reason: text('原因', 2, 100).optional() }).strict(),
  checkIn: z
    .object({
      bookingId: id,
      code: z
        .string()
        .trim()
        .regex(/^\d{6}$/, '请输入 6 位签到码')
        .optional(),
      lat: z.number().min(-90).max(90).optional(),
      lng: z.number().min(-180).max(180).optional(),
    })
    .strict()
    .refine((v) => !!v.code || (v.lat !== undefined && v.lng !== undefined), {
      message: '请输入签到码，或允许获取位置后签到',
      path: ['code'],
    }),
};

export type SitesSchemas = typeof sitesSchemas;
