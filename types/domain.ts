/**
 * Domain types shared by the cloud functions and the mini-program.
 * Times are absolute instants in epoch milliseconds; they are shown in Asia/Shanghai.
 */

export * from './alliance';
export * from './volunteer';
export * from './points';

export type Role = 'resident' | 'volunteer' | 'member' | 'unitStaff' | 'worker' | 'admin';

/** A role held by a user, scoped to a community (worker, volunteer, member) or a unit (unitStaff). */
export interface RoleGrant {
  role: Role;
  communityId?: string;
  unitId?: string;
}

export interface User {
  _id: string; // = openid
  openid: string;
  nickName: string;
  avatarUrl?: string;
  roles: RoleGrant[];
  /**
   * Derived from `roles` (cloudfunctions/domain/roles.ts `roleKeysOf`; written with them by
   * `rolesPatch`), indexed (`users.role_keys`): `worker`, `worker:c:<communityId>`,
   * `unitStaff:u:<unitId>`, … Users stored before the field existed lack it until the
   * `roleKeysBackfill` job has run.
   */
  roleKeys: string[];
  /** The community the user browses by default (home page switcher). */
  currentCommunityId?: string;
  createdAt: number;
  updatedAt: number;
}

export interface Street {
  _id: string;
  name: string;
}

export interface Community {
  _id: string;
  streetId: string;
  name: string;
  address: string;
}

export type UnitType = '机关' | '企事业' | '学校' | '医院' | '两新组织' | '社会组织';

export interface Unit {
  _id: string;
  name: string;
  type: UnitType;
  address: string;
  partyOrg: string;
  communityIds: string[];
}

export interface ServiceSite {
  _id: string;
  communityId: string;
  name: string;
  address: string;
  lat: number;
  lng: number;
  openingHours: string;
  facilities: string[];
  contact: string;
}

/** 志愿服务, 主题党日, 联盟活动, 三会一课 */
export type ActivityType = 'volunteer' | 'partyDay' | 'alliance' | 'meeting';
export type Audience = 'all' | 'members' | 'volunteers';
/** Until when a participant may cancel their own sign-up. */
export type CancelPolicy = 'none' | 'untilSignUpCloses' | 'untilStart';
export type CheckInMethod = 'qr' | 'code' | 'gps';

export interface Place {
  name: string;
  address?: string;
  lat: number;
  lng: number;
  siteId?: string;
}

export interface Activity {
  _id: string;
  communityId: string;
  hostUnitIds: string[];
  type: ActivityType;
  title: string;
  description: string;
  place: Place;
  startAt: number;
  endAt: number;
  signUpStartAt: number;
  signUpEndAt: number;
  /** 0 = unlimited */
  capacity: number;
  audience: Audience;
  cancelPolicy: CancelPolicy;
  checkInMethod: CheckInMethod;
  hours: number;
  points: number;
  status: 'published' | 'cancelled';
  cancelReason?: string;
  confirmedCount: number;
  /** openids waiting for a place, in the order they signed up. */
  waitlist: string[];
  createdBy: string;
  createdAt: number;
  updatedAt: number;
  /** When the "starts in 2 hours" reminder was queued (cleared when the start time changes). */
  reminderQueuedAt?: number;
  /** When the timer queued this ended activity's no-show tally (absent = not yet; indexed). */
  noShowTalliedAt?: number;
  /** A session of a volunteer service listing (志愿服务 · 岗位), when it is one. */
  serviceId?: string;
  sessionNo?: number;
  post?: string;
  requiredSkills?: string[];
  /** Applications wait for a worker's review (status pending) instead of being confirmed at once. */
  signUpReview?: boolean;
}

/**
 * What a resident sees as the activity's state, derived from status, times and capacity:
 * notOpen (sign-up not yet open), open, full, closed (sign-up closed, not started),
 * ongoing, ended, cancelled.
 */
export type ActivityPhase = 'notOpen' | 'open' | 'full' | 'closed' | 'ongoing' | 'ended' | 'cancelled';

/** pending: applied to a session that needs review; rejected: the reviewer said no. */
export type SignUpStatus = 'pending' | 'confirmed' | 'waitlisted' | 'rejected' | 'cancelled';

export interface SignUp {
  _id: string; // `${activityId}_${openid}`
  activityId: string;
  communityId: string;
  openid: string;
  status: SignUpStatus;
  /** Copied from the activity (kept in step on edits) so "my activities" can filter by time. */
  startAt: number;
  endAt: number;
  createdAt: number;
  updatedAt: number;
  confirmedAt?: number;
  cancelledAt?: number;
  /** Who cancelled: the participant or the organiser (activity cancelled). */
  cancelledBy?: 'self' | 'organiser';
  rejectReason?: string;
  /** Attendance (志愿服务签到): set by volunteer.checkIn / checkOut or an approved 补卡. */
  checkInAt?: number;
  checkOutAt?: number;
  /** Set by the no-show tally (activity ended, confirmed, never checked in): counted once. */
  noShowAt?: number;
  /** Recorded hours (信用时长) written at check-out; granted hours (荣誉时长) summed from grants. */
  recordedHours?: number;
  grantedHours?: number;
}

// ---------- background jobs ----------

/**
 * A durable background job (collection `jobs`, core/jobs.ts): per-participant work (cancelling a
 * large activity, notification fan-out, …) done in bounded batches by the timer. `cursor` is where
 * the next batch starts; `lease` keeps two runners off one job; `attempts` counts failed batches in
 * a row.
 */
export interface Job<P = Record<string, unknown>> {
  _id: string;
  kind: string;
  payload: P;
  /** Where the next batch starts (null: from the beginning). */
  cursor: string | null;
  status: 'pending' | 'done' | 'failed';
  /** Failed batches in a row (reset by a successful batch). */
  attempts: number;
  /** Held by one runner until `until` (runtime clock); null when free. */
  lease: { owner: string; until: number } | null;
  /** Not run before this time (backoff after a failure). */
  runAfter: number;
  /** Items handled so far (each batch adds its own once, when its cursor is saved). */
  processed: number;
  batches: number;
  createdAt: number;
  updatedAt: number;
  doneAt?: number;
  lastError?: string;
}

// ---------- notifications ----------

/** Each kind of notification a user can hear about; each maps to one WeChat template. */
export type NotifyKind =
  /** Branch members: meeting notices and reminders, leave decisions; secretaries and workers: compliance. */
  | 'branchNotice'
  | 'activityReminder'
  | 'waitlistPromoted'
  | 'activityChanged'
  /** A resident's grievance changed stage (accepted, returned, resolved, more info wanted…). */
  | 'grievanceStatus'
  /** Staff: a grievance was dispatched to you, is overdue, or your extension was decided. */
  | 'grievanceTask'
  /** Unit staff: the worker approved or declined your unit's project claim. */
  | 'claimReviewed'
  /** In-service member: the community confirmed or rejected your report. */
  | 'reportReviewed'
  /** Volunteer: registration, 补卡 or correction request approved or rejected. */
  | 'volunteerReviewed'
  /** Applicant: a session that needs review accepted (or declined) your application. */
  | 'signUpReviewed'
  /** Participant: the organiser's notice to an activity's (or session's) confirmed or waitlist. */
  | 'activityNotice'
  /** Requester: their service request (微心愿) was reviewed, taken, done or closed. */
  | 'serviceStatus'
  /** Taker or worker: a service request to take, dispatched to you, to review, or overdue. */
  | 'serviceTask'
  /** Booker: a 阵地 booking approved, turned down, or cancelled by the site's manager. */
  | 'bookingStatus'
  /** A site's managers: a new booking awaits approval, or its booker cancelled it. */
  | 'bookingTask'
  /** Booker: their confirmed 阵地 booking starts soon (sites/reminders.ts, BOOKING_REMINDER_LEAD_MS). */
  | 'bookingReminder';
export const NOTIFY_KINDS: NotifyKind[] = [
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
  'branchNotice',
  'serviceStatus',
  'serviceTask',
  'bookingStatus',
  'bookingTask',
  'bookingReminder',
];

/** The moments the app asks to subscribe (at most 3 templates per request). */
export type SubscribeScene =
  /** A branch member at a meeting or their branch (notices, reminders, leave decisions). */
  | 'branchMeeting'
  | 'activitySignUp'
  | 'grievanceSubmit'
  | 'projectClaim'
  | 'memberReport'
  | 'volunteerRegister'
  | 'servicePost'
  /** Booking a 阵地 (the booker's outcome and the reminder before the slot). */
  | 'siteBooking'
  /** A 阵地 manager reviewing bookings (new ones awaiting approval, bookers' cancellations). */
  | 'siteManage';

/** What WeChat answers per template id to `requestSubscribeMessage`. */
export type SubscribeAnswer = 'accept' | 'reject' | 'ban' | 'filter';

/** A message-centre entry: one per event per recipient, whether or not WeChat delivery happened. */
export interface Message {
  _id: string; // `${eventId}_${openid}`
  eventId: string;
  openid: string;
  kind: NotifyKind;
  title: string;
  body: string;
  /** Mini-program page the message opens, e.g. `pages/activity/detail?id=…`. */
  page: string;
  createdAt: number;
  readAt?: number;
  /** The WeChat subscription message for this entry. */
  push: PushState;
}

export type PushStatus =
  | 'pending' // waiting to be sent (or retried at nextAttemptAt)
  | 'sending' // claimed by a dispatcher run
  | 'sent'
  | 'noQuota' // the user had not accepted (or used up) this template: message centre only
  | 'failed' // permanent error (e.g. 40003, 40037, 47003), not retried
  | 'uncertain'; // a dispatcher stopped mid-send: not resent, to never send twice

export interface PushState {
  status: PushStatus;
  attempts: number;
  nextAttemptAt?: number;
  leaseUntil?: number;
  sentAt?: number;
  errCode?: number;
  reason?: string;
}

// ---------- grievances (群众诉求 · 接诉即办) ----------

/**
 * 待受理 → 已受理 → 已派单 → 办理中 → 已办结 → 已评价, plus 退回 (returned with a reason),
 * 重办 (reopened once after 不满意, with priority) and 已上报街道 (escalated after a second 不满意).
 */
export type GrievanceStage =
  | 'submitted'
  | 'accepted'
  | 'dispatched'
  | 'inProgress'
  | 'resolved'
  | 'rated'
  | 'returned'
  | 'reopened'
  | 'escalated';

/** Deadline class of a category: how fast it must be accepted and resolved. */
export type Urgency = 'urgent' | 'general' | 'complex';

export interface GrievanceCategory {
  key: string; // e.g. 'sanitation'
  name: string; // e.g. 环境卫生
  urgency: Urgency;
}

/** Per urgency: respond (accept) and resolve limits in hours. */
export type DeadlinePolicy = Record<Urgency, { respondHours: number; resolveHours: number }>;

export type HandlerKind = 'worker' | 'grid' | 'unit' | 'member';

export interface GrievanceHandler {
  kind: HandlerKind;
  /** openid for worker / grid / member, unit id for unit. */
  id: string;
  name: string;
}

export type Satisfaction = 'satisfied' | 'basic' | 'dissatisfied';

export interface GrievanceRating {
  satisfaction: Satisfaction;
  comment?: string;
  at: number;
}

export type TimelineAction =
  | 'submit'
  | 'accept'
  | 'return'
  | 'dispatch'
  | 'start'
  | 'askInfo'
  | 'supplyInfo'
  | 'progress'
  | 'requestExtension'
  | 'approveExtension'
  | 'rejectExtension'
  | 'resolve'
  | 'rate'
  | 'reopen'
  | 'escalate'
  | 'remindOverdue'
  /** 回访 of a resolved, unrated grievance (timer). */
  | 'followUp'
  /** Closed as 未评价 after the 回访 (timer). */
  | 'closeUnrated';

export type ActorRole = 'resident' | 'worker' | 'handler' | 'admin' | 'system';

/** Append-only: every action adds one entry; nothing is ever changed or removed. */
export interface TimelineEntry {
  action: TimelineAction;
  at: number;
  actorRole: ActorRole;
  /** Stored for audit; shown to residents only where configured. */
  actorOpenid?: string;
  stageAfter: GrievanceStage;
  note?: string;
  photos?: string[];
}

export interface ExtensionRequest {
  hours: number;
  reason: string;
  requestedAt: number;
  status: 'pending' | 'approved' | 'rejected';
  decidedAt?: number;
}

export interface Grievance {
  _id: string;
  /** Short number shown to people, e.g. 20261121-0007. */
  number: string;
  communityId: string;
  openid: string; // submitter
  category: string; // category key
  urgency: Urgency;
  text: string;
  photos: string[];
  location?: { name: string; lat: number; lng: number };
  /** Contact phone, AES-256-GCM encrypted; never returned in full except to the submitter. */
  phoneEncrypted?: string;
  isPublic: boolean;
  stage: GrievanceStage;
  priority: boolean;
  reopenCount: number;
  awaitingInfo: boolean;
  handler?: GrievanceHandler;
  respondBy: number;
  resolveBy?: number;
  acceptedAt?: number;
  resolvedAt?: number;
  closedAt?: number;
  extension?: ExtensionRequest;
  rating?: GrievanceRating;
  timeline: TimelineEntry[];
  overdueRemindedAt?: number;
  /** 回访 messages sent while resolved and unrated (0–2). */
  followUpsSent?: number;
  /** Closed as 未评价 after the 回访 (never rated, never counted as satisfied). */
  unratedAt?: number;
  createdAt: number;
  updatedAt: number;
}

// ---------- notices to participants and no-shows (activity) ----------

/** Who a worker's notice goes to: the confirmed participants or the waitlist. */
export type NoticeAudience = 'confirmed' | 'waitlisted';

/**
 * A worker's notice to an activity's participants (collection `notices`). Its id is derived from
 * the activity, the worker and the client's request id, so a retried call finds it instead of
 * sending again. The notice is also the outbox event (same id): its entries are `messages` with
 * `eventId` = the notice id, created by a fan-out job.
 */
export interface Notice {
  _id: string;
  activityId: string;
  communityId: string;
  audience: NoticeAudience;
  title: string;
  text: string;
  /** People the audience had when the notice was sent. */
  recipients: number;
  createdBy: string;
  createdAt: number;
}

/** A person's no-shows in one community and year (collection `no_show_counts`), kept by the tally. */
export interface NoShowCount {
  _id: string; // `${communityId}_${year}_${openid}`
  communityId: string;
  year: number;
  openid: string;
  count: number;
  /** Key for "most no-shows first" paging: count descending, then openid. */
  rankKey: string;
  lastActivityId: string;
  updatedAt: number;
}
