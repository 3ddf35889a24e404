import type {
  ActivityPhase,
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
  confirmed: { label: '已报名', tone: 'green' },
  waitlisted: { label: '候补中', tone: 'orange' },
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

export const NOTIFY_KIND_LABEL: Record<NotifyKind, string> = {
  activityReminder: '活动提醒',
  waitlistPromoted: '候补转正',
  activityChanged: '活动变更',
};
