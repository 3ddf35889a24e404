/**
 * Input schemas of the `volunteer` function (see ./volunteer for the contract). Strict objects,
 * Chinese messages; the ID number's check digit and birth date are verified by the handler with
 * `domain/volunteer.validateIdNumber` (it needs the current date).
 */
import { z } from 'zod';
import { cursor } from './paging';
import { SERVICE_CATEGORIES } from './volunteer';

const id = z.string().trim().min(1, '缺少编号').max(64, '编号过长');
const instant = z.number().int('时间格式不正确').positive('时间格式不正确');
const page = {
  pageSize: z.number().int().min(1).max(50).default(20),
  cursor: cursor.optional(),
};
const empty = z.object({}).strict();
const text = (label: string, min: number, max: number) =>
  z
    .string()
    .trim()
    .min(min, min <= 1 ? `请填写${label}` : `${label}至少 ${min} 个字`)
    .max(max, `${label}最多 ${max} 个字`);
const tags = (label: string, max: number) =>
  z.array(z.string().trim().min(1).max(12, `${label}每项最多 12 个字`)).max(max, `${label}最多 ${max} 项`);
const reason = z.string().trim().max(200, '理由最多 200 字').optional();
const hours = z.number().positive('时长须大于 0').max(24, '时长最多 24 小时');
const lat = z.number().min(-90).max(90);
const lng = z.number().min(-180).max(180);

const place = z
  .object({
    name: text('服务地点', 1, 50),
    address: z.string().trim().max(100, '地址最多 100 个字').optional(),
    lat,
    lng,
    siteId: id.optional(),
  })
  .strict();

const registrationFields = {
  communityId: id,
  name: z
    .string()
    .trim()
    .min(2, '请填写真实姓名')
    .max(20, '姓名最多 20 个字')
    .regex(/^[\u4e00-\u9fa5·A-Za-z ]+$/, '姓名只能包含汉字、字母和间隔号'),
  idNumber: z.string().trim().min(1, '请填写身份证号码').max(18, '身份证号码应为 18 位'),
  phone: z
    .string()
    .trim()
    .regex(/^1[3-9]\d{9}$/, '请填写 11 位手机号码'),
  skills: tags('技能特长', 10).default([]),
  preferences: tags('服务意向', 10).default([]),
};

const proof = z.discriminatedUnion('method', [
  z.object({ method: z.literal('qr'), payload: z.string().trim().min(1).max(200) }).strict(),
  z
    .object({
      method: z.literal('code'),
      code: z
        .string()
        .trim()
        .regex(/^\d{6}$/, '请输入 6 位签到码'),
    })
    .strict(),
  z.object({ method: z.literal('gps'), lat, lng }).strict(),
]);

export const volunteerSchemas = {
  consent: empty,
  register: z
    .object({
      ...registrationFields,
      consent: z.literal(true, { errorMap: () => ({ message: '请阅读并同意个人信息使用说明' }) }),
    })
    .strict(),
  /** Non-identity fields the volunteer may change at any time without review. */
  updateRegistration: z
    .object({
      phone: registrationFields.phone.optional(),
      skills: registrationFields.skills.optional(),
      preferences: registrationFields.preferences.optional(),
    })
    .strict(),
  myRegistration: empty,
  listRegistrations: z
    .object({
      communityId: id.optional(),
      status: z.enum(['pending', 'approved', 'rejected']).optional(),
      ...page,
    })
    .strict(),
  reviewRegistration: z
    .object({ openid: id, approve: z.boolean(), reason })
    .strict()
    .refine((v) => v.approve || (v.reason?.length ?? 0) >= 2, {
      message: '请填写不通过的理由',
      path: ['reason'],
    }),
  revealIdentity: z.object({ openid: id, purpose: text('查看用途', 2, 100) }).strict(),
  revealMine: empty,
  exportMyData: empty,
  requestCorrection: z
    .object({
      field: z.enum(['name', 'idNumber', 'phone', 'hours', 'other'], { message: '请选择更正内容' }),
      message: text('更正说明', 5, 500),
      activityId: id.optional(),
    })
    .strict(),
  myCorrections: z.object({ ...page }).strict(),
  listCorrections: z
    .object({
      communityId: id.optional(),
      status: z.enum(['pending', 'accepted', 'declined']).optional(),
      ...page,
    })
    .strict(),
  handleCorrection: z.object({ correctionId: id, accept: z.boolean(), reply: text('答复', 2, 300) }).strict(),

  publishService: z
    .object({
      communityId: id,
      hostUnitIds: z.array(id).max(10, '最多 10 个共建单位').default([]),
      category: z.enum(SERVICE_CATEGORIES, { message: '请选择服务类别' }),
      title: text('项目名称', 2, 30),
      post: text('岗位名称', 2, 20),
      description: z.string().trim().max(2000, '服务介绍最多 2000 字').default(''),
      place,
      requiredSkills: tags('技能要求', 5).default([]),
      hoursPerSession: hours,
      placesPerSession: z.number().int().min(1, '每场至少 1 个名额').max(1000, '每场最多 1000 个名额'),
      review: z.boolean().default(false),
      checkInMethod: z.enum(['qr', 'code', 'gps']).default('qr'),
      /** First session; recurring listings repeat it. */
      startAt: instant,
      endAt: instant,
      repeat: z
        .object({
          every: z.enum(['day', 'week'], { message: '请选择重复周期' }),
          count: z.number().int().min(2, '重复至少 2 场').max(52, '最多 52 场'),
        })
        .strict()
        .optional(),
      /** Sign-up opens now and closes this long before each session (default 0: at start). */
      signUpClosesBeforeMinutes: z
        .number()
        .int()
        .min(0)
        .max(7 * 24 * 60)
        .default(0),
    })
    .strict()
    .refine((v) => v.endAt > v.startAt, { message: '结束时间须晚于开始时间', path: ['endAt'] }),
  listServices: z
    .object({
      communityId: id.optional(),
      category: z.enum(SERVICE_CATEGORIES).optional(),
      /** Only listings with a session on this day (Asia/Shanghai). */
      date: z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
        .optional(),
      /** The caller's position: fills distanceMeters and allows sort 'distance'. */
      near: z.object({ lat, lng }).strict().optional(),
      sort: z.enum(['soon', 'distance']).default('soon'),
      ...page,
    })
    .strict()
    .refine((v) => v.sort !== 'distance' || v.near, { message: '按距离排序需要当前位置', path: ['near'] }),
  serviceDetail: z.object({ serviceId: id }).strict(),
  closeService: z.object({ serviceId: id }).strict(),

  checkInCode: z.object({ activityId: id }).strict(),
  checkIn: z.object({ activityId: id, proof }).strict(),
  checkOut: z.object({ activityId: id, proof }).strict(),
  myAttendance: z.object({ activityId: id }).strict(),
  attendance: z.object({ activityId: id, ...page }).strict(),
  grantHours: z.object({ activityId: id, openid: id, hours, reason: text('理由', 2, 200) }).strict(),
  requestMakeup: z
    .object({ activityId: id, checkInAt: instant, checkOutAt: instant, reason: text('补卡理由', 2, 200) })
    .strict()
    .refine((v) => v.checkOutAt > v.checkInAt, { message: '签退时间须晚于签到时间', path: ['checkOutAt'] }),
  myMakeups: z.object({ ...page }).strict(),
  listMakeups: z
    .object({
      communityId: id.optional(),
      status: z.enum(['pending', 'approved', 'rejected']).optional(),
      ...page,
    })
    .strict(),
  reviewMakeup: z
    .object({ makeupId: id, approve: z.boolean(), reason })
    .strict()
    .refine((v) => v.approve || (v.reason?.length ?? 0) >= 2, {
      message: '请填写不通过的理由',
      path: ['reason'],
    }),

  profile: empty,
  myHours: z.object({ kind: z.enum(['recorded', 'granted']).optional(), ...page }).strict(),
  setRankingOptOut: z.object({ optOut: z.boolean() }).strict(),
  rankings: z
    .object({ communityId: id.optional(), period: z.enum(['month', 'year']).default('month') })
    .strict(),
  issueCertificate: empty,
  myCertificates: empty,
  verifyCertificate: z
    .object({
      number: z
        .string()
        .trim()
        .regex(/^ZYFW-\d{4}-\d{6,}$/, '证明编号格式不正确'),
      token: z.string().trim().min(8).max(64),
    })
    .strict(),

  settings: z.object({ communityId: id.optional() }).strict(),
  configure: z
    .object({
      communityId: id,
      pointsPerHour: z.number().int('每小时积分须为整数').min(0).max(100, '每小时最多 100 分'),
      pointsExpiry: z
        .string()
        .regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, '过期日期格式应为 MM-DD')
        .nullable(),
    })
    .strict(),
};

export type VolunteerSchemas = typeof volunteerSchemas;
