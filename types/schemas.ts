/**
 * Input schemas for every cloud-function action. The handlers validate with these (unknown fields
 * are rejected: every object is strict); request types are inferred from them so the app's typed
 * client and the handlers can never disagree. The app imports only the types, never zod itself.
 */
import { z } from 'zod';
import { cursor } from './paging';
import { queueCursor } from './grievance-cursor';
import { pointsSchemas } from './points-schemas';
import { adminSchemas } from './admin-schemas';
import { volunteerSchemas } from './volunteer-schemas';
import { noticeSchemas } from './notices';
import { reportSchemas } from './report-schemas';
import { boardSchemas } from './board-schemas';
import { sitesSchemas } from './sites-schemas';
import { serviceSchemas } from './service-schemas';
import { branchSchemas } from './branch-schemas';

const id = z.string().trim().min(1, '缺少编号').max(64, '编号过长');
const instant = z.number().int('时间格式不正确').positive('时间格式不正确');
const page = {
  pageSize: z.number().int().min(1).max(50).default(20),
  /** Opaque cursor returned by the previous page (an offset as a string). */
  cursor: cursor.optional(),
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
  ...adminSchemas,
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
    .object({
      activityId: id,
      status: z.enum(['pending', 'confirmed', 'waitlisted', 'rejected', 'cancelled']).optional(),
      ...page,
    })
    .strict(),
  reviewSignUp: z
    .object({
      activityId: id,
      openid: id,
      approve: z.boolean(),
      reason: z.string().trim().max(200, '理由最多 200 字').optional(),
    })
    .strict()
    .refine((v) => v.approve || (v.reason?.length ?? 0) >= 2, {
      message: '请填写不通过的理由',
      path: ['reason'],
    }),
  ...noticeSchemas,
};

// ---------- notify ----------
const notifyKind = z.enum(
  [
    'activityReminder',
    'waitlistPromoted',
    'activityChanged',
    'grievanceStatus',
    'grievanceTask',
    'claimReviewed',
    'reportReviewed',
    'volunteerReviewed',
    'signUpReviewed',
    'activityNotice',
    'serviceStatus',
    'serviceTask',
    'branchNotice',
    'bookingStatus',
    'bookingTask',
    'bookingReminder',
  ],
  {
    message: '未知的通知类型',
  },
);
const scene = z.enum([
  'branchMeeting',
  'activitySignUp',
  'grievanceSubmit',
  'projectClaim',
  'memberReport',
  'volunteerRegister',
  'servicePost',
  'siteBooking',
  'siteManage',
]);

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
      pageSize: page.pageSize,
      cursor: queueCursor.optional(),
    })
    .strict(),
  handlerQueue: z.object({ pageSize: page.pageSize, cursor: queueCursor.optional() }).strict(),
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

// ---------- alliance (区域化党建) ----------
const text = (label: string, min: number, max: number) =>
  z
    .string()
    .trim()
    .min(min, min <= 1 ? `请填写${label}` : `${label}至少 ${min} 个字`)
    .max(max, `${label}最多 ${max} 个字`);
const unitFields = {
  name: text('单位名称', 2, 40),
  type: z.enum(['机关', '企事业', '学校', '医院', '两新组织', '社会组织'], { message: '请选择单位类型' }),
  address: text('地址', 1, 100),
  partyOrg: text('党组织名称', 2, 60),
  contact: text('联系方式', 1, 60),
  communityIds: z.array(id).min(1, '请至少选择一个共建社区').max(20, '最多 20 个社区'),
};
const resourceKind = z.enum(['venue', 'expertise', 'volunteers', 'funds', 'goods'], {
  message: '请选择资源类型',
});
const year = z.number().int('年份不正确').min(2000, '年份不正确').max(2100, '年份不正确');

export const allianceSchemas = {
  registerUnit: z.object(unitFields).strict(),
  updateUnit: z.object({ unitId: id, patch: z.object(unitFields).partial().strict() }).strict(),
  listUnits: z.object({ communityId: id.optional() }).strict(),
  issueInvite: z.object({ unitId: id, asAdmin: z.boolean().default(false) }).strict(),
  redeemInvite: z
    .object({
      code: z
        .string()
        .trim()
        .regex(/^[A-Za-z0-9]{8}$/, '邀请码为 8 位字母或数字'),
    })
    .strict(),
  removeStaff: z.object({ unitId: id, openid: id }).strict(),
  myUnit: empty,

  publishNeed: z
    .object({
      communityId: id,
      title: text('需求标题', 2, 40),
      description: text('需求说明', 1, 500),
      category: text('类别', 1, 20).default('其他'),
      grievanceId: id.optional(),
    })
    .strict(),
  listNeeds: z
    .object({ communityId: id, status: z.enum(['open', 'inProject']).optional(), ...page })
    .strict(),

  offerResource: z
    .object({
      kind: resourceKind,
      title: text('资源名称', 2, 40),
      description: text('资源说明', 1, 500),
      capacity: z.string().trim().max(60, '容量说明最多 60 个字').default(''),
      availability: z.string().trim().max(60, '可用时间最多 60 个字').default(''),
    })
    .strict(),
  withdrawResource: z.object({ resourceId: id }).strict(),
  listResources: z
    .object({ communityId: id.optional(), unitId: id.optional(), kind: resourceKind.optional(), ...page })
    .strict(),
  requestResource: z.object({ resourceId: id, communityId: id, note: text('需求说明', 2, 200) }).strict(),
  answerResourceRequest: z
    .object({
      requestId: id,
      accept: z.boolean(),
      note: z.string().trim().max(200, '答复最多 200 字').optional(),
    })
    .strict(),
  resourceRequests: z
    .object({
      communityId: id.optional(),
      unitId: id.optional(),
      status: z.enum(['pending', 'accepted', 'declined']).optional(),
      ...page,
    })
    .strict(),

  publishProject: z
    .object({
      communityId: id,
      title: text('项目名称', 2, 40),
      goal: text('项目目标', 2, 500),
      tasks: z
        .array(text('任务', 1, 100))
        .min(1, '请至少列出一项任务')
        .max(20, '最多 20 项任务'),
      wanted: z.string().trim().max(300, '所需资源最多 300 字').default(''),
      deadline: instant,
      maxClaims: z
        .number()
        .int('认领单位数须为整数')
        .min(1, '至少允许 1 个单位认领')
        .max(20, '最多 20 个单位'),
      needIds: z.array(id).max(10, '最多关联 10 条需求').default([]),
    })
    .strict(),
  listProjects: z
    .object({
      communityId: id.optional(),
      phase: z.enum(['claiming', 'full', 'closed', 'completed']).optional(),
      /** Only projects this unit has claimed (any status). */
      unitId: id.optional(),
      ...page,
    })
    .strict(),
  projectDetail: z.object({ projectId: id }).strict(),
  claimProject: z.object({ projectId: id, plan: text('认领方案', 10, 1000) }).strict(),
  reviewClaim: z
    .object({
      projectId: id,
      unitId: id,
      approve: z.boolean(),
      reason: z.string().trim().max(200, '理由最多 200 字').optional(),
    })
    .strict()
    .refine((v) => v.approve || (v.reason?.length ?? 0) >= 2, {
      message: '请填写不通过的理由',
      path: ['reason'],
    }),
  postProgress: z
    .object({
      projectId: id,
      text: text('进展', 2, 500),
      photos: photos.default([]),
    })
    .strict(),
  markMilestone: z.object({ projectId: id, text: text('节点说明', 2, 200) }).strict(),
  completeProject: z.object({ projectId: id, summary: text('完成情况', 2, 500) }).strict(),
  rateProject: z
    .object({
      projectId: id,
      stars: z.number().int('请选择 1–5 星').min(1, '请选择 1–5 星').max(5, '请选择 1–5 星'),
      comment: z.string().trim().max(200, '评价最多 200 字').optional(),
    })
    .strict(),

  configureCommunity: z
    .object({
      communityId: id,
      servicePosts: z
        .array(text('岗位名称', 2, 12))
        .min(1, '请至少设置一个服务岗位')
        .max(20, '最多 20 个服务岗位')
        .optional(),
      yearlyTargetHours: z
        .number()
        .int()
        .min(1, '年度目标至少 1 小时')
        .max(500, '年度目标最多 500 小时')
        .optional(),
    })
    .strict(),
  reportToCommunity: z
    .object({
      communityId: id,
      employerUnitId: id.optional(),
      employerName: text('工作单位', 2, 60).optional(),
      partyOrg: text('所在党组织', 2, 60),
    })
    .strict()
    .refine((v) => !!v.employerUnitId || !!v.employerName, {
      message: '请选择或填写工作单位',
      path: ['employerName'],
    }),
  withdrawReport: z.object({ reportId: id }).strict(),
  myReport: empty,
  listReports: z
    .object({
      communityId: id.optional(),
      status: z.enum(['pending', 'confirmed', 'rejected', 'withdrawn']).optional(),
      ...page,
    })
    .strict(),
  reviewReport: z
    .object({
      reportId: id,
      confirm: z.boolean(),
      reason: z.string().trim().max(200, '理由最多 200 字').optional(),
    })
    .strict()
    .refine((v) => v.confirm || (v.reason?.length ?? 0) >= 2, {
      message: '请填写退回的理由',
      path: ['reason'],
    }),
  servicePosts: z.object({ communityId: id }).strict(),
  takePost: z.object({ post: text('岗位', 1, 12) }).strict(),
  leavePost: z.object({ post: text('岗位', 1, 12) }).strict(),
  memberRecord: z.object({ openid: id.optional(), year: year.optional() }).strict(),

  unitMembers: z.object({ unitId: id, year: year.optional() }).strict(),
  exportMemberRecord: z.object({ openid: id.optional(), year: year.optional() }).strict(),

  proposeActivity: z
    .object({
      communityId: id,
      type: activityFields.type.default('alliance'),
      title: text('活动标题', 2, 40),
      description: z.string().trim().max(2000, '活动介绍最多 2000 字').default(''),
      placeName: text('活动地点', 1, 50),
      venueResourceId: id.optional(),
      startAt: instant,
      endAt: instant,
      capacity: activityFields.capacity,
    })
    .strict()
    .refine((v) => v.endAt > v.startAt, { message: '结束时间须晚于开始时间', path: ['endAt'] }),
  reviewProposal: z
    .object({
      proposalId: id,
      approve: z.boolean(),
      reason: z.string().trim().max(200, '理由最多 200 字').optional(),
    })
    .strict()
    .refine((v) => v.approve || (v.reason?.length ?? 0) >= 2, {
      message: '请填写不通过的理由',
      path: ['reason'],
    }),
  listProposals: z
    .object({
      communityId: id.optional(),
      unitId: id.optional(),
      status: z.enum(['pending', 'approved', 'declined']).optional(),
      ...page,
    })
    .strict(),

  unitRecord: z.object({ unitId: id, year: year.optional() }).strict(),
  rankUnits: z.object({ communityId: id.optional(), year: year.optional() }).strict(),
};

export const schemas = {
  user: userSchemas,
  activity: activitySchemas,
  notify: notifySchemas,
  grievance: grievanceSchemas,
  alliance: allianceSchemas,
  volunteer: volunteerSchemas,
  points: pointsSchemas,
  report: reportSchemas,
  board: boardSchemas,
  sites: sitesSchemas,
  service: serviceSchemas,
  branch: branchSchemas,
};
export type Schemas = typeof schemas;
