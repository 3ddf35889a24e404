/**
 * Input schemas for every cloud-function action. The handlers validate with these (unknown fields
 * are rejected: every object is strict); request types are inferred from them so the app's typed
 * client and the handlers can never disagree. The app imports only the types, never zod itself.
 */
import { z } from 'zod';

const id = z.string().trim().min(1, '缺少编号').max(64, '编号过长');
const instant = z.number().int('时间格式不正确').positive('时间格式不正确');
const page = {
  pageSize: z.number().int().min(1).max(50).default(20),
  /** Opaque cursor returned by the previous page (an offset as a string). */
  cursor: z.string().max(32).optional(),
};

export const empty = z.object({}).strict();

// ---------- user ----------
/** Granting and revoking name the same thing: whose role, which role, where. */
const roleChange = z
  .object({
    openid: id,
    role: z.enum(['volunteer', 'member', 'unitStaff', 'worker']),
    communityId: id.optional(),
    unitId: id.optional(),
  })
  .strict();

export const userSchemas = {
  me: empty,
  updateProfile: z
    .object({
      nickName: z.string().trim().min(1, '昵称不能为空').max(20, '昵称最多 20 个字').optional(),
      avatarUrl: z.string().url('头像地址不正确').max(512).optional(),
    })
    .strict(),
  switchCommunity: z.object({ communityId: id }).strict(),
  communities: empty,
  grantRole: roleChange,
  revokeRole: roleChange,
};

// ---------- activity ----------
const place = z
  .object({
    name: z.string().trim().min(1, '请填写活动地点').max(50, '地点名称最多 50 个字'),
    address: z.string().trim().max(100, '地址最多 100 个字').optional(),
    lat: z.number().min(-90).max(90),
    lng: z.number().min(-180).max(180),
    siteId: id.optional(),
  })
  .strict();

const activityFields = {
  type: z.enum(['volunteer', 'partyDay', 'alliance', 'meeting'], { message: '请选择活动类型' }),
  title: z.string().trim().min(2, '标题至少 2 个字').max(40, '标题最多 40 个字'),
  description: z.string().trim().max(2000, '活动介绍最多 2000 字').default(''),
  place,
  hostUnitIds: z.array(id).max(10, '最多 10 个共建单位').default([]),
  startAt: instant,
  endAt: instant,
  signUpStartAt: instant,
  signUpEndAt: instant,
  capacity: z.number().int().min(0, '人数不能为负').max(10000, '人数上限 10000'),
  audience: z.enum(['all', 'members', 'volunteers']).default('all'),
  cancelPolicy: z.enum(['none', 'untilSignUpCloses', 'untilStart']).default('untilStart'),
  checkInMethod: z.enum(['qr', 'code', 'gps']).default('qr'),
  hours: z.number().min(0).max(24, '服务时长最多 24 小时').default(0),
  points: z.number().int().min(0).max(1000).default(0),
};

export const activitySchemas = {
  publish: z.object({ communityId: id, ...activityFields }).strict(),
  update: z
    .object({
      activityId: id,
      patch: z
        .object({
          title: activityFields.title,
          description: z.string().trim().max(2000, '活动介绍最多 2000 字'),
          place,
          hostUnitIds: z.array(id).max(10),
          startAt: instant,
          endAt: instant,
          signUpStartAt: instant,
          signUpEndAt: instant,
          capacity: activityFields.capacity,
          audience: z.enum(['all', 'members', 'volunteers']),
          cancelPolicy: z.enum(['none', 'untilSignUpCloses', 'untilStart']),
          checkInMethod: z.enum(['qr', 'code', 'gps']),
          hours: z.number().min(0).max(24),
          points: z.number().int().min(0).max(1000),
        })
        .partial()
        .strict(),
    })
    .strict(),
  cancelActivity: z
    .object({ activityId: id, reason: z.string().trim().min(2, '请填写取消原因').max(100) })
    .strict(),
  list: z
    .object({
      communityId: id.optional(),
      type: z.enum(['volunteer', 'partyDay', 'alliance', 'meeting']).optional(),
      /** upcoming: not yet ended; signingUp: sign-up window open now; ended: already over */
      when: z.enum(['upcoming', 'signingUp', 'ended', 'all']).default('upcoming'),
      /** Only activities starting on or after / before these instants. */
      from: instant.optional(),
      to: instant.optional(),
      ...page,
    })
    .strict(),
  detail: z.object({ activityId: id }).strict(),
  signUp: z.object({ activityId: id }).strict(),
  cancelSignUp: z.object({ activityId: id }).strict(),
  mine: z.object({ when: z.enum(['upcoming', 'past', 'all']).default('all'), ...page }).strict(),
  participants: z
    .object({ activityId: id, status: z.enum(['confirmed', 'waitlisted', 'cancelled']).optional(), ...page })
    .strict(),
};

// ---------- notify ----------
const notifyKind = z.enum(
  ['activityReminder', 'waitlistPromoted', 'activityChanged', 'grievanceStatus', 'grievanceTask'],
  {
    message: '未知的通知类型',
  },
);
const scene = z.enum(['activitySignUp', 'grievanceSubmit']);

export const notifySchemas = {
  templates: z.object({ scene }).strict(),
  subscribe: z
    .object({
      scene,
      /** WeChat's answer per template id, as returned by requestSubscribeMessage. */
      results: z.record(z.string().max(64), z.enum(['accept', 'reject', 'ban', 'filter'])),
    })
    .strict(),
  list: z.object({ unreadOnly: z.boolean().default(false), ...page }).strict(),
  unreadCount: empty,
  markRead: z
    .object({ ids: z.array(id).min(1).max(100).optional(), all: z.literal(true).optional() })
    .strict()
    .refine((v) => !!v.ids !== !!v.all, { message: '请指定要标记的消息，或选择全部已读' }),
  preferences: empty,
  setPreference: z.object({ kind: notifyKind, ask: z.boolean() }).strict(),
};

// ---------- grievance ----------
const fileId = z.string().trim().min(1).max(256, '图片编号过长');
const photos = z.array(fileId).max(9, '最多上传 9 张图片');
const grievanceId = z.object({ grievanceId: id }).strict();
const handler = z.object({ kind: z.enum(['worker', 'grid', 'unit', 'member']), id }).strict();

export const grievanceSchemas = {
  categories: z.object({ communityId: id.optional() }).strict(),
  submit: z
    .object({
      communityId: id,
      category: z.string().trim().min(1, '请选择诉求类别').max(32),
      text: z.string().trim().min(10, '请至少写 10 个字，说清楚问题').max(500, '最多 500 字'),
      photos: photos.default([]),
      location: z
        .object({
          name: z.string().trim().min(1).max(60),
          lat: z.number().min(-90).max(90),
          lng: z.number().min(-180).max(180),
        })
        .strict()
        .optional(),
      phone: z
        .string()
        .trim()
        .regex(/^1[3-9]\d{9}$/, '请填写 11 位手机号')
        .optional(),
      isPublic: z.boolean().default(false),
    })
    .strict(),
  mine: z.object({ stage: z.enum(['open', 'closed', 'all']).default('all'), ...page }).strict(),
  detail: grievanceId,
  revealPhone: grievanceId,
  supplyInfo: z
    .object({
      grievanceId: id,
      text: z.string().trim().min(2, '请补充说明').max(500),
      photos: photos.default([]),
    })
    .strict(),
  rate: z
    .object({
      grievanceId: id,
      satisfaction: z.enum(['satisfied', 'basic', 'dissatisfied'], { message: '请选择满意程度' }),
      comment: z.string().trim().max(200, '评价最多 200 字').optional(),
    })
    .strict(),
  queue: z
    .object({
      communityId: id.optional(),
      stage: z
        .enum([
          'submitted',
          'accepted',
          'dispatched',
          'inProgress',
          'resolved',
          'rated',
          'returned',
          'reopened',
          'escalated',
        ])
        .optional(),
      category: z.string().max(32).optional(),
      overdueOnly: z.boolean().default(false),
      ...page,
    })
    .strict(),
  handlerQueue: z.object({ ...page }).strict(),
  accept: grievanceId,
  returnGrievance: z
    .object({ grievanceId: id, reason: z.string().trim().min(2, '请填写退回原因').max(200) })
    .strict(),
  dispatch: z.object({ grievanceId: id, handler }).strict(),
  start: grievanceId,
  askInfo: z
    .object({ grievanceId: id, question: z.string().trim().min(2, '请写明需要补充的内容').max(200) })
    .strict(),
  progress: z
    .object({
      grievanceId: id,
      note: z.string().trim().min(2, '请填写进展').max(500),
      photos: photos.default([]),
    })
    .strict(),
  resolve: z
    .object({
      grievanceId: id,
      result: z.string().trim().min(2, '请填写办理结果').max(500),
      photos: photos.default([]),
    })
    .strict(),
  requestExtension: z
    .object({
      grievanceId: id,
      hours: z
        .number()
        .int()
        .min(1, '至少延长 1 小时')
        .max(24 * 30, '最多延长 30 天'),
      reason: z.string().trim().min(2, '请填写延期原因').max(200),
    })
    .strict(),
  decideExtension: z.object({ grievanceId: id, approve: z.boolean() }).strict(),
  stats: z.object({ communityId: id.optional(), from: instant, to: instant }).strict(),
  handlers: z.object({ communityId: id.optional() }).strict(),
};

export const schemas = {
  user: userSchemas,
  activity: activitySchemas,
  notify: notifySchemas,
  grievance: grievanceSchemas,
};
export type Schemas = typeof schemas;
