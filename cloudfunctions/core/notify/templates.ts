/**
 * The template registry: per kind of notification, the WeChat template (id from the deployment's
 * config), the page it opens, the template fields built from the event (fitted to WeChat's
 * limits), and the message-centre text. Adding a kind = adding an entry here and emitting it.
 */
import type { NotifyKind, SubscribeScene } from '../../../types/domain';
import { characterString, phrase, thing, time } from '../../domain/template-values';

export interface ActivityEventPayload {
  activityId: string;
  title: string;
  placeName: string;
  startAt: number;
  endAt: number;
  /** activityChanged only: what changed. */
  change?: 'time' | 'place' | 'details' | 'cancelled';
  reason?: string;
}

export interface GrievanceEventPayload {
  grievanceId: string;
  number: string;
  categoryName: string;
  /** Chinese stage name after the change, e.g. 已受理. */
  stageName: string;
  /** What happened, for the message centre, e.g. 已受理，正在派单办理. */
  summary: string;
  /** Deadline that now applies, if any. */
  dueAt?: number;
}

export interface ClaimReviewedPayload {
  projectId: string;
  projectTitle: string;
  unitName: string;
  approved: boolean;
  /** Why it was declined (or a note on approval). */
  reason?: string;
  at: number;
}

export interface ReportReviewedPayload {
  reportId: string;
  communityName: string;
  confirmed: boolean;
  reason?: string;
  at: number;
}

export interface VolunteerReviewedPayload {
  /** What was reviewed: the registration, a 补卡 request, or a correction request. */
  subject: 'registration' | 'makeup' | 'correction';
  approved: boolean;
  reason?: string;
  at: number;
}

export interface SignUpReviewedPayload {
  activityId: string;
  title: string;
  startAt: number;
  /** confirmed or waitlisted when approved; rejected otherwise. */
  outcome: 'confirmed' | 'waitlisted' | 'rejected';
  reason?: string;
}

/** A worker's notice to an activity's participants (activity.notifyParticipants). */
export interface ActivityNoticePayload extends ActivityEventPayload {
  noticeTitle: string;
  text: string;
}

/** A service request (微心愿) event: for the requester (serviceStatus) or a taker/worker (serviceTask). */
export interface ServiceEventPayload {
  requestId: string;
  categoryName: string;
  /** Chinese stage name after the change, e.g. 已接单. */
  stageName: string;
  /** What happened, e.g. 志愿者已接单. */
  summary: string;
  /** The wanted time, or the deadline that now applies. */
  at: number;
}

/** A 阵地 booking event: for the booker (bookingStatus, bookingReminder) or the site's managers
 *  (bookingTask: a booking awaits approval, or its booker cancelled it). */
export interface BookingEventPayload {
  bookingId: string;
  siteName: string;
  /** 'YYYY-MM-DD' and 'HH:mm' (Asia/Shanghai), and the start as an instant. */
  date: string;
  start: string;
  end: string;
  startAt: number;
  /** The booker: confirmed / rejected / cancelled (by a manager); the reminder: confirmed. The
   *  managers: pending (awaits approval) or cancelled (by the booker). */
  outcome: 'confirmed' | 'rejected' | 'cancelled' | 'pending';
  /** The manager's reason (turned down, cancelled). */
  reason?: string;
  /** bookingTask: who booked, how many people, what for. */
  bookerName?: string;
  people?: number;
  purpose?: string;
}

/** A branch's notice: a meeting's notice or reminder, a leave request or decision, a compliance
 *  reminder, or a resident's message to their area's member (cloudfunctions/branch). */
export interface BranchNoticePayload {
  branchId: string;
  meetingId?: string;
  /** What it is, e.g. 主题党日, 明天开会, 请假已批准, 组织生活提醒. */
  subject: string;
  title: string;
  text: string;
  /** The meeting's start (or when it was sent). */
  at: number;
  page: string;
}

/** Which payload each kind of event carries. */
export interface PayloadByKind {
  branchNotice: BranchNoticePayload;
  activityReminder: ActivityEventPayload;
  waitlistPromoted: ActivityEventPayload;
  activityChanged: ActivityEventPayload;
  grievanceStatus: GrievanceEventPayload;
  grievanceTask: GrievanceEventPayload;
  claimReviewed: ClaimReviewedPayload;
  reportReviewed: ReportReviewedPayload;
  volunteerReviewed: VolunteerReviewedPayload;
  signUpReviewed: SignUpReviewedPayload;
  activityNotice: ActivityNoticePayload;
  serviceStatus: ServiceEventPayload;
  serviceTask: ServiceEventPayload;
  bookingStatus: BookingEventPayload;
  bookingTask: BookingEventPayload;
  bookingReminder: BookingEventPayload;
}
export type EventPayload = PayloadByKind[NotifyKind];

export type TemplateData = Record<string, { value: string }>;

export interface TemplateSpec<P> {
  label: string;
  description: string;
  /** Environment variable that holds the WeChat template id in a deployment. */
  templateIdEnv: string;
  page(p: P): string;
  data(p: P): TemplateData;
  message(p: P): { title: string; body: string };
}

const activityPage = (p: ActivityEventPayload) => `pages/activity/detail?id=${p.activityId}`;
const when = (p: ActivityEventPayload) => time(p.startAt);
const v = (value: string) => ({ value });

const CHANGE_PHRASE: Record<NonNullable<ActivityEventPayload['change']>, string> = {
  time: '时间变更',
  place: '地点变更',
  details: '内容变更',
  cancelled: '活动取消',
};

const grievancePage = (p: GrievanceEventPayload) => `packages/grievance/detail?id=${p.grievanceId}`;

const VOLUNTEER_SUBJECT: Record<VolunteerReviewedPayload['subject'], string> = {
  registration: '志愿者登记',
  makeup: '补卡申请',
  correction: '更正申请',
};

const SIGNUP_OUTCOME: Record<SignUpReviewedPayload['outcome'], string> = {
  confirmed: '审核通过',
  waitlisted: '候补中',
  rejected: '未通过',
};

const servicePage = (p: ServiceEventPayload) => `packages/service/detail?id=${p.requestId}`;

const BOOKING_OUTCOME: Record<BookingEventPayload['outcome'], string> = {
  confirmed: '已通过',
  rejected: '未通过',
  cancelled: '已取消',
  pending: '待审核',
};
/** '12月5日 14:00–16:00' (the booking's own Asia/Shanghai date and times). */
const bookingWhen = (p: BookingEventPayload) => {
  const [, m, d] = p.date.split('-').map(Number);
  return `${m}月${d}日 ${p.start}–${p.end}`;
};

export const TEMPLATES: { [K in NotifyKind]: TemplateSpec<PayloadByKind[K]> } = {
  branchNotice: {
    label: '支部组织生活通知',
    description: '支部会议通知、会前提醒、请假审批结果和组织生活提醒',
    templateIdEnv: 'WX_TMPL_BRANCH_NOTICE',
    page: (p) => p.page,
    data: (p) => ({
      thing1: v(thing(p.title)),
      thing2: v(thing(p.subject)),
      time3: v(time(p.at)),
      thing4: v(thing(p.text)),
    }),
    message: (p) => ({ title: `${p.subject}：${p.title}`, body: p.text }),
  },
  activityReminder: {
    label: '活动开始提醒',
    description: '已报名的活动开始前 2 小时提醒你',
    templateIdEnv: 'WX_TMPL_ACTIVITY_REMINDER',
    page: activityPage,
    data: (p) => ({
      thing1: v(thing(p.title)),
      time2: v(when(p)),
      thing3: v(thing(p.placeName)),
      thing4: v(thing('请准时参加，凭码签到')),
    }),
    message: (p) => ({
      title: '活动即将开始',
      body: `「${p.title}」将于 ${when(p)} 在${p.placeName}开始，请准时参加。`,
    }),
  },
  waitlistPromoted: {
    label: '候补成功通知',
    description: '有人取消后你从候补转为正式报名时通知你',
    templateIdEnv: 'WX_TMPL_WAITLIST_PROMOTED',
    page: activityPage,
    data: (p) => ({
      thing1: v(thing(p.title)),
      time2: v(when(p)),
      phrase3: v(phrase('报名成功')),
      thing4: v(thing(p.placeName)),
    }),
    message: (p) => ({
      title: '候补成功，已为你报名',
      body: `「${p.title}」有名额空出，你已转为正式报名。时间：${when(p)}，地点：${p.placeName}。`,
    }),
  },
  activityChanged: {
    label: '活动变更通知',
    description: '已报名的活动时间、地点调整或取消时通知你',
    templateIdEnv: 'WX_TMPL_ACTIVITY_CHANGED',
    page: activityPage,
    data: (p) => ({
      thing1: v(thing(p.title)),
      phrase2: v(phrase(CHANGE_PHRASE[p.change ?? 'details'])),
      time3: v(when(p)),
      thing4: v(thing(p.reason ?? (p.change === 'cancelled' ? '活动已取消' : `地点：${p.placeName}`))),
    }),
    message: (p) =>
      p.change === 'cancelled'
        ? { title: '活动已取消', body: `「${p.title}」已取消${p.reason ? `：${p.reason}` : '。'}` }
        : { title: '活动有变更', body: `「${p.title}」有调整，现为 ${when(p)}，地点：${p.placeName}。` },
  },
  grievanceStatus: {
    label: '诉求进度通知',
    description: '你反映的问题被受理、办结或需要补充信息时通知你',
    templateIdEnv: 'WX_TMPL_GRIEVANCE_STATUS',
    page: grievancePage,
    data: (p) => ({
      character_string1: v(characterString(p.number)),
      thing2: v(thing(p.categoryName)),
      phrase3: v(phrase(p.stageName)),
      thing4: v(thing(p.summary)),
    }),
    message: (p) => ({
      title: `诉求${p.stageName}`,
      body: `你反映的「${p.categoryName}」问题（${p.number}）${p.summary}`,
    }),
  },
  grievanceTask: {
    label: '诉求办理提醒',
    description: '有诉求派给你、即将或已经超期时提醒你',
    templateIdEnv: 'WX_TMPL_GRIEVANCE_TASK',
    page: grievancePage,
    data: (p) => ({
      character_string1: v(characterString(p.number)),
      thing2: v(thing(p.categoryName)),
      time3: v(p.dueAt ? time(p.dueAt) : time(Date.now())),
      thing4: v(thing(p.summary)),
    }),
    message: (p) => ({
      title: p.stageName === '超期' ? '诉求已超期' : '有新的诉求待办',
      body: `「${p.categoryName}」诉求（${p.number}）${p.summary}${p.dueAt ? `，时限 ${time(p.dueAt)}` : ''}`,
    }),
  },
  claimReviewed: {
    label: '项目认领审核通知',
    description: '本单位认领的共治项目审核通过或未通过时通知你',
    templateIdEnv: 'WX_TMPL_CLAIM_REVIEWED',
    page: (p) => `packages/alliance/project?id=${p.projectId}`,
    data: (p) => ({
      thing1: v(thing(p.projectTitle)),
      thing2: v(thing(p.unitName)),
      phrase3: v(phrase(p.approved ? '审核通过' : '未通过')),
      thing4: v(thing(p.reason ?? (p.approved ? '请按方案推进并发布进展' : '可查看项目了解详情'))),
      time5: v(time(p.at)),
    }),
    message: (p) =>
      p.approved
        ? {
            title: '项目认领已通过',
            body: `${p.unitName}认领的「${p.projectTitle}」已通过审核，请按方案推进。`,
          }
        : {
            title: '项目认领未通过',
            body: `${p.unitName}认领的「${p.projectTitle}」未通过审核${p.reason ? `：${p.reason}` : '。'}`,
          },
  },
  reportReviewed: {
    label: '党员报到审核通知',
    description: '你到社区报到的申请被确认或退回时通知你',
    templateIdEnv: 'WX_TMPL_REPORT_REVIEWED',
    page: (p) => `packages/alliance/report?id=${p.reportId}`,
    data: (p) => ({
      thing1: v(thing(p.communityName)),
      phrase2: v(phrase(p.confirmed ? '已确认' : '已退回')),
      thing3: v(thing(p.reason ?? (p.confirmed ? '欢迎认领服务岗位' : '请核对信息后重新报到'))),
      time4: v(time(p.at)),
    }),
    message: (p) =>
      p.confirmed
        ? { title: '报到已确认', body: `你已成功到${p.communityName}报到，欢迎认领服务岗位。` }
        : {
            title: '报到被退回',
            body: `你到${p.communityName}的报到被退回${p.reason ? `：${p.reason}` : '。'}`,
          },
  },
  volunteerReviewed: {
    label: '志愿者审核通知',
    description: '志愿者登记、补卡或更正申请审核后通知你',
    templateIdEnv: 'WX_TMPL_VOLUNTEER_REVIEWED',
    page: (p) => (p.subject === 'registration' ? 'packages/volunteer/register' : 'packages/volunteer/hours'),
    data: (p) => ({
      thing1: v(thing(VOLUNTEER_SUBJECT[p.subject])),
      phrase2: v(phrase(p.approved ? '审核通过' : '未通过')),
      thing3: v(thing(p.reason ?? (p.approved ? '感谢你的志愿服务' : '请查看详情'))),
      time4: v(time(p.at)),
    }),
    message: (p) => ({
      title: `${VOLUNTEER_SUBJECT[p.subject]}${p.approved ? '已通过' : '未通过'}`,
      body: p.approved
        ? `你的${VOLUNTEER_SUBJECT[p.subject]}已审核通过。${p.reason ?? ''}`
        : `你的${VOLUNTEER_SUBJECT[p.subject]}未通过${p.reason ? `：${p.reason}` : '。'}`,
    }),
  },
  signUpReviewed: {
    label: '报名审核通知',
    description: '需要审核的志愿服务报名通过或未通过时通知你',
    templateIdEnv: 'WX_TMPL_SIGNUP_REVIEWED',
    page: (p) => `pages/activity/detail?id=${p.activityId}`,
    data: (p) => ({
      thing1: v(thing(p.title)),
      time2: v(time(p.startAt)),
      phrase3: v(phrase(SIGNUP_OUTCOME[p.outcome])),
      thing4: v(
        thing(p.reason ?? (p.outcome === 'rejected' ? '可查看其他服务岗位' : '请准时参加，凭码签到')),
      ),
    }),
    message: (p) => ({
      title: `报名${SIGNUP_OUTCOME[p.outcome]}`,
      body:
        p.outcome === 'rejected'
          ? `「${p.title}」的报名未通过${p.reason ? `：${p.reason}` : '。'}`
          : `「${p.title}」的报名已通过审核${p.outcome === 'waitlisted' ? '，名额已满，你在候补名单中' : ''}。时间：${time(p.startAt)}。`,
    }),
  },
  activityNotice: {
    label: '活动通知',
    description: '组织方给已报名（或候补）的人发活动通知时提醒你',
    templateIdEnv: 'WX_TMPL_ACTIVITY_NOTICE',
    page: activityPage,
    data: (p) => ({
      thing1: v(thing(p.title)),
      thing2: v(thing(p.noticeTitle)),
      thing3: v(thing(p.text)),
      time4: v(when(p)),
    }),
    message: (p) => ({
      title: p.noticeTitle,
      body: `「${p.title}」：${p.text}`,
    }),
  },
  serviceStatus: {
    label: '微心愿进度通知',
    description: '你发布的需求被审核、接单、完成或结单时通知你',
    templateIdEnv: 'WX_TMPL_SERVICE_STATUS',
    page: servicePage,
    data: (p) => ({
      thing1: v(thing(p.categoryName)),
      phrase2: v(phrase(p.stageName)),
      thing3: v(thing(p.summary)),
      time4: v(time(p.at)),
    }),
    message: (p) => ({
      title: `微心愿${p.stageName}`,
      body: `你发布的「${p.categoryName}」需求${p.summary}`,
    }),
  },
  serviceTask: {
    label: '微心愿待办提醒',
    description: '有需求派给你、待你审核或已超时时提醒你',
    templateIdEnv: 'WX_TMPL_SERVICE_TASK',
    page: servicePage,
    data: (p) => ({
      thing1: v(thing(p.categoryName)),
      phrase2: v(phrase(p.stageName)),
      thing3: v(thing(p.summary)),
      time4: v(time(p.at)),
    }),
    message: (p) => ({
      title: '微心愿待办',
      body: `「${p.categoryName}」需求${p.summary}，时间 ${time(p.at)}`,
    }),
  },
  bookingStatus: {
    label: '阵地预约结果通知',
    description: '你的阵地预约通过审核、未通过或被管理员取消时通知你',
    templateIdEnv: 'WX_TMPL_BOOKING_STATUS',
    page: () => 'packages/sites/mine',
    data: (p) => ({
      thing1: v(thing(p.siteName)),
      time2: v(time(p.startAt)),
      phrase3: v(phrase(BOOKING_OUTCOME[p.outcome])),
      thing4: v(
        thing(p.reason ?? (p.outcome === 'confirmed' ? '请按时到场，凭签到码签到' : '可另选时段重新预约')),
      ),
    }),
    message: (p) => ({
      title: `阵地预约${BOOKING_OUTCOME[p.outcome]}`,
      body:
        p.outcome === 'confirmed'
          ? `你预约的「${p.siteName}」${bookingWhen(p)}已通过审核，请按时到场，凭签到码签到。`
          : `你预约的「${p.siteName}」${bookingWhen(p)}${p.outcome === 'rejected' ? '未通过审核' : '已被管理员取消'}${p.reason ? `：${p.reason}` : '。'}`,
    }),
  },
  bookingTask: {
    label: '阵地预约待办提醒',
    description: '你管理的阵地有新的预约等待审核，或预约人取消了预约时提醒你',
    templateIdEnv: 'WX_TMPL_BOOKING_TASK',
    page: () => 'packages/sites/manage',
    data: (p) => ({
      thing1: v(thing(p.siteName)),
      time2: v(time(p.startAt)),
      phrase3: v(phrase(BOOKING_OUTCOME[p.outcome])),
      thing4: v(thing(`${p.bookerName ?? ''}：${p.purpose ?? ''}`)),
    }),
    message: (p) =>
      p.outcome === 'cancelled'
        ? {
            title: '阵地预约已被预约人取消',
            body: `${p.bookerName ?? '预约人'}取消了「${p.siteName}」${bookingWhen(p)}的预约${p.purpose ? `（${p.purpose}）` : ''}，该时段已空出。`,
          }
        : {
            title: '有新的阵地预约待审核',
            body: `${p.bookerName ?? '有人'}预约「${p.siteName}」${bookingWhen(p)}${p.people ? `，${p.people} 人` : ''}${p.purpose ? `：${p.purpose}` : ''}。`,
          },
  },
  bookingReminder: {
    label: '阵地预约开始提醒',
    description: '你预约的阵地时段开始前 3 小时提醒你',
    templateIdEnv: 'WX_TMPL_BOOKING_REMINDER',
    page: () => 'packages/sites/mine',
    data: (p) => ({
      thing1: v(thing(p.siteName)),
      time2: v(time(p.startAt)),
      phrase3: v(phrase('即将开始')),
      thing4: v(thing('请按时到场，凭签到码签到')),
    }),
    message: (p) => ({
      title: '阵地预约即将开始',
      body: `你预约的「${p.siteName}」${bookingWhen(p)}即将开始，请按时到场，开始前 15 分钟起可凭签到码签到。如不能到场，请在开始前 2 小时前取消，或联系阵地管理员。`,
    }),
  },
};

/** Which kinds the app asks about at each moment (WeChat allows at most 3 per request). */
export const SCENES: Record<SubscribeScene, NotifyKind[]> = {
  branchMeeting: ['branchNotice'],
  activitySignUp: ['activityReminder', 'waitlistPromoted', 'activityChanged'],
  grievanceSubmit: ['grievanceStatus'],
  projectClaim: ['claimReviewed'],
  memberReport: ['reportReviewed'],
  volunteerRegister: ['volunteerReviewed', 'signUpReviewed', 'activityNotice'],
  servicePost: ['serviceStatus', 'serviceTask'],
  siteBooking: ['bookingStatus', 'bookingReminder'],
  siteManage: ['bookingTask'],
};

/** The registry entry for an event, with its payload type kept together with its kind. */
export function templateOf(kind: NotifyKind): TemplateSpec<EventPayload> {
  return TEMPLATES[kind] as TemplateSpec<EventPayload>;
}

/** Template ids per kind for this deployment: from the environment, or local stand-ins. */
export function templateIdFor(
  kind: NotifyKind,
  env: NodeJS.ProcessEnv,
  fallback?: (kind: NotifyKind) => string,
): string {
  const id = env[TEMPLATES[kind].templateIdEnv] ?? fallback?.(kind);
  if (!id) throw new Error(`未配置订阅消息模板：${TEMPLATES[kind].templateIdEnv}`);
  return id;
}
