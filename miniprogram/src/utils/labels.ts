import type {
  AnswerStatus,
  ClaimStatus,
  ProjectPhase,
  ProposalStatus,
  ReportStatus,
  ResourceKind,
  UnitType,
  ActivityPhase,
  ActorRole,
  GrievanceStage,
  HandlerKind,
  Satisfaction,
  TimelineAction,
  Urgency,
  ServiceCategory,
  MakeupStatus,
  CorrectionStatus,
  RedemptionStatus,
  ActivityType,
  Audience,
  CancelPolicy,
  CheckInMethod,
  NotifyKind,
  Role,
  SignUpStatus,
} from '../../../types/domain';

export const ACTIVITY_TYPES: { value: ActivityType; label: string }[] = [
  { value: 'volunteer', label: '志愿服务' },
  { value: 'partyDay', label: '主题党日' },
  { value: 'alliance', label: '联盟活动' },
  { value: 'meeting', label: '三会一课' },
];
export const TYPE_LABEL: Record<ActivityType, string> = {
  volunteer: '志愿服务',
  partyDay: '主题党日',
  alliance: '联盟活动',
  meeting: '三会一课',
};

export type TagTone = 'green' | 'orange' | 'red' | 'grey' | 'blue';

export const PHASE: Record<ActivityPhase, { label: string; tone: TagTone }> = {
  notOpen: { label: '未开始报名', tone: 'blue' },
  open: { label: '报名中', tone: 'green' },
  full: { label: '已满', tone: 'red' },
  closed: { label: '报名截止', tone: 'orange' },
  ongoing: { label: '进行中', tone: 'green' },
  ended: { label: '已结束', tone: 'grey' },
  cancelled: { label: '已取消', tone: 'grey' },
};

export const SIGNUP_STATUS: Record<SignUpStatus, { label: string; tone: TagTone }> = {
  pending: { label: '待审核', tone: 'orange' },
  confirmed: { label: '已报名', tone: 'green' },
  waitlisted: { label: '候补中', tone: 'orange' },
  rejected: { label: '未通过', tone: 'grey' },
  cancelled: { label: '已取消报名', tone: 'grey' },
};

export const AUDIENCES: { value: Audience; label: string }[] = [
  { value: 'all', label: '所有居民' },
  { value: 'members', label: '仅党员' },
  { value: 'volunteers', label: '仅注册志愿者' },
];
export const AUDIENCE_LABEL: Record<Audience, string> = {
  all: '所有居民',
  members: '仅党员',
  volunteers: '仅注册志愿者',
};

export const CANCEL_POLICIES: { value: CancelPolicy; label: string }[] = [
  { value: 'untilStart', label: '活动开始前可取消' },
  { value: 'untilSignUpCloses', label: '报名截止前可取消' },
  { value: 'none', label: '报名后不可取消' },
];
export const CANCEL_POLICY_LABEL: Record<CancelPolicy, string> = {
  untilStart: '活动开始前可取消',
  untilSignUpCloses: '报名截止前可取消',
  none: '报名后不可取消',
};

export const CHECK_IN_METHODS: { value: CheckInMethod; label: string }[] = [
  { value: 'qr', label: '扫码签到' },
  { value: 'code', label: '签到码' },
  { value: 'gps', label: '定位签到' },
];
export const CHECK_IN_LABEL: Record<CheckInMethod, string> = {
  qr: '扫码签到',
  code: '签到码',
  gps: '定位签到',
};

export const ROLE_LABEL: Record<Role, string> = {
  resident: '居民',
  volunteer: '志愿者',
  member: '党员',
  unitStaff: '驻区单位',
  worker: '社区工作者',
  admin: '街道管理员',
};

/** "剩余 3 个名额" / "不限人数" / "名额已满 · 候补 2 人" */
export function placesText(capacity: number, confirmed: number, waitlist: number): string {
  if (capacity === 0) return `不限人数 · 已报名 ${confirmed} 人`;
  const left = Math.max(0, capacity - confirmed);
  if (left > 0) return `剩余 ${left} 个名额（共 ${capacity} 人）`;
  return waitlist > 0 ? `名额已满 · 候补 ${waitlist} 人` : `名额已满（共 ${capacity} 人）`;
}

/** Partial: kinds added on the server side later fall back to their key where shown. */
export const NOTIFY_KIND_LABEL: Partial<Record<NotifyKind, string>> = {
  activityReminder: '活动提醒',
  waitlistPromoted: '候补转正',
  activityChanged: '活动变更',
  grievanceStatus: '诉求进展',
  grievanceTask: '诉求待办',
  claimReviewed: '认领审核结果',
  reportReviewed: '报到审核结果',
};

// ---------- grievances ----------

export const GRIEVANCE_STAGE: Record<GrievanceStage, { label: string; tone: TagTone }> = {
  submitted: { label: '待受理', tone: 'orange' },
  accepted: { label: '已受理', tone: 'blue' },
  dispatched: { label: '已派单', tone: 'blue' },
  inProgress: { label: '办理中', tone: 'orange' },
  resolved: { label: '已办结', tone: 'green' },
  rated: { label: '已评价', tone: 'green' },
  returned: { label: '已退回', tone: 'grey' },
  reopened: { label: '重办', tone: 'red' },
  escalated: { label: '已上报街道', tone: 'red' },
};

export const OVERDUE_TAG = { label: '超期', tone: 'red' as TagTone };

export const ACTOR_ROLE_LABEL: Record<ActorRole, string> = {
  resident: '居民',
  worker: '社区工作者',
  handler: '承办人',
  admin: '街道管理员',
  system: '系统',
};

export const TIMELINE_ACTION_LABEL: Record<TimelineAction, string> = {
  submit: '提交诉求',
  accept: '受理',
  return: '退回',
  dispatch: '派单',
  start: '开始办理',
  askInfo: '请居民补充信息',
  supplyInfo: '补充信息',
  progress: '更新进展',
  requestExtension: '申请延期',
  approveExtension: '同意延期',
  rejectExtension: '不同意延期',
  resolve: '办结',
  rate: '评价',
  reopen: '重办',
  escalate: '上报街道',
  remindOverdue: '超期提醒',
  followUp: '回访',
  closeUnrated: '未评价结案',
};

export const SATISFACTION: { value: Satisfaction; label: string; id: string }[] = [
  { value: 'satisfied', label: '满意', id: 'rate-satisfied' },
  { value: 'basic', label: '基本满意', id: 'rate-basic' },
  { value: 'dissatisfied', label: '不满意', id: 'rate-dissatisfied' },
];
export const SATISFACTION_LABEL: Record<Satisfaction, string> = {
  satisfied: '满意',
  basic: '基本满意',
  dissatisfied: '不满意',
};

export const HANDLER_KIND_LABEL: Record<HandlerKind, string> = {
  worker: '社区工作者',
  grid: '网格员',
  unit: '驻区单位',
  member: '在职党员',
};

export const URGENCY_LABEL: Record<Urgency, string> = {
  urgent: '紧急',
  general: '一般',
  complex: '复杂',
};

/** 0.8333 → "83.3%"; whole numbers without a decimal ("100%", "0%"). */
export function percent(rate: number): string {
  if (!Number.isFinite(rate)) return '—';
  const v = Math.round(rate * 1000) / 10;
  return `${Number.isInteger(v) ? v.toFixed(0) : v.toFixed(1)}%`;
}

/** 5.25 → "5.3 小时"; 50 → "2.1 天"; null → "—". */
export function durationHours(hours: number | null): string {
  if (hours === null || !Number.isFinite(hours)) return '—';
  if (hours >= 48) return `${(Math.round((hours / 24) * 10) / 10).toString()} 天`;
  return `${(Math.round(hours * 10) / 10).toString()} 小时`;
}

// ---------- regional alliance (区域化党建) ----------

export const PROJECT_PHASE: Record<ProjectPhase, { label: string; tone: TagTone }> = {
  claiming: { label: '认领中', tone: 'green' },
  full: { label: '名额已满', tone: 'orange' },
  closed: { label: '已截止', tone: 'grey' },
  completed: { label: '已完成', tone: 'blue' },
};

export const CLAIM_STATUS: Record<ClaimStatus, { label: string; tone: TagTone }> = {
  pending: { label: '待审核', tone: 'orange' },
  approved: { label: '已通过', tone: 'green' },
  declined: { label: '未通过', tone: 'grey' },
};

export const ANSWER_STATUS: Record<AnswerStatus, { label: string; tone: TagTone }> = {
  pending: { label: '待答复', tone: 'orange' },
  accepted: { label: '已接受', tone: 'green' },
  declined: { label: '已婉拒', tone: 'grey' },
};

export const PROPOSAL_STATUS: Record<ProposalStatus, { label: string; tone: TagTone }> = {
  pending: { label: '待社区审核', tone: 'orange' },
  approved: { label: '已发布活动', tone: 'green' },
  declined: { label: '未通过', tone: 'grey' },
};

export const REPORT_STATUS: Record<ReportStatus, { label: string; tone: TagTone }> = {
  pending: { label: '待社区确认', tone: 'orange' },
  confirmed: { label: '已报到', tone: 'green' },
  rejected: { label: '已退回', tone: 'red' },
  withdrawn: { label: '已撤回', tone: 'grey' },
};

export const RESOURCE_KINDS: { value: ResourceKind; label: string }[] = [
  { value: 'venue', label: '场地' },
  { value: 'expertise', label: '专业服务' },
  { value: 'volunteers', label: '志愿者' },
  { value: 'funds', label: '资金' },
  { value: 'goods', label: '物资' },
];
export const RESOURCE_KIND_LABEL: Record<ResourceKind, string> = {
  venue: '场地',
  expertise: '专业服务',
  volunteers: '志愿者',
  funds: '资金',
  goods: '物资',
};

export const UNIT_TYPES: { value: UnitType; label: string }[] = (
  ['机关', '企事业', '学校', '医院', '两新组织', '社会组织'] as const
).map((t) => ({ value: t, label: t }));

export const NEED_STATUS: Record<'open' | 'inProject', { label: string; tone: TagTone }> = {
  open: { label: '待认领', tone: 'orange' },
  inProject: { label: '已立项', tone: 'green' },
};

/** 4.3 → "4.3"; null → "暂无评分". */
export function ratingText(avg: number | null, count: number): string {
  if (avg === null || count === 0) return '暂无评分';
  return `${avg.toFixed(1)} 分 · ${count} 人评价`;
}

/**
 * The volunteer service categories, in types/volunteer SERVICE_CATEGORIES order. The app's bundler
 * compiles only src/, so only types come from types/; the Record keeps this list complete and
 * exact at compile time.
 */
const SERVICE_CATEGORY_KEYS: Record<ServiceCategory, true> = {
  敬老助老: true,
  环境保护: true,
  文明宣传: true,
  邻里互助: true,
  助学支教: true,
  应急救援: true,
  其他: true,
};
export const SERVICE_CATEGORY_LIST = Object.keys(SERVICE_CATEGORY_KEYS) as ServiceCategory[];

// Volunteer service requests and redemptions: one wording for the volunteer and the worker.
export const MAKEUP_STATUS: Record<MakeupStatus, { label: string; tone: TagTone }> = {
  pending: { label: '待审核', tone: 'orange' },
  approved: { label: '已通过', tone: 'green' },
  rejected: { label: '未通过', tone: 'grey' },
};

export const CORRECTION_STATUS: Record<CorrectionStatus, { label: string; tone: TagTone }> = {
  pending: { label: '待处理', tone: 'orange' },
  accepted: { label: '已采纳', tone: 'green' },
  declined: { label: '未采纳', tone: 'grey' },
};

export const REDEMPTION_STATUS: Record<RedemptionStatus, { label: string; tone: TagTone }> = {
  awaitingPickup: { label: '待领取', tone: 'orange' },
  pickedUp: { label: '已领取', tone: 'green' },
  cancelled: { label: '已取消', tone: 'grey' },
};
