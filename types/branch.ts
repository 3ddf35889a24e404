/**
 * Party organisation life (issue 16): branches (支部), their rosters, 三会一课 and 主题党日 with
 * roll-call and leave, compliance with the 中国共产党支部工作条例 (2018), member records and
 * 党员责任区. The contract of the `branch` function; its input schemas are in ./branch-schemas.
 */
import type { Action, In } from './api';
import type { BranchSchemas } from './branch-schemas';

/** 支部党员大会, 支部委员会, 党小组会, 党课, 主题党日. */
export type MeetingKind = 'general' | 'committee' | 'group' | 'lecture' | 'themeDay';

export const MEETING_KIND_NAMES: Record<MeetingKind, string> = {
  general: '支部党员大会',
  committee: '支部委员会',
  group: '党小组会',
  lecture: '党课',
  themeDay: '主题党日',
};

export type BranchRole = 'secretary' | 'committee' | 'member';

/** Points for the branch's 民主评议 summary, derived from existing figures. */
export interface PointsRule {
  perAttendance: number;
  perServiceHour: number;
  perRequest: number;
}

/** A branch (collection `branches`). */
export interface Branch {
  _id: string;
  communityId: string;
  /** Set when it is a unit's Party organisation. */
  unitId?: string;
  name: string;
  secretary: string;
  committee: string[];
  memberCount: number;
  pointsRule?: PointsRule;
  /** Month 'YYYY-MM' for which the compliance reminder went out ('' = never; indexed). */
  remindedFor: string;
  createdAt: number;
  updatedAt: number;
}

/** A roster entry (collection `branch_members`, `_id` = `${branchId}_${openid}`). */
export interface BranchMember {
  _id: string;
  branchId: string;
  communityId: string;
  openid: string;
  name: string;
  group?: string;
  /** 在职党员: keeps this branch and reports to the community where they live separately. */
  inService: boolean;
  /** 党员责任区: buildings of the community this member answers for. */
  buildings: string[];
  contactMasked?: string;
  active: boolean;
  joinedAt: number;
  /** When they were last taken off the roster (set with active = false). */
  removedAt?: number;
  updatedAt: number;
}

/** One per member (`_id` = openid): which branch holds them. Written by every roster change. */
export interface BranchHolder {
  _id: string;
  branchId: string;
  active: boolean;
  updatedAt: number;
}

export type MeetingStatus = 'scheduled' | 'closed';

export interface Minutes {
  text: string;
  resolutions: string[];
  photos: string[];
  writtenAt: number;
  writtenBy: string;
}

/** A meeting (collection `branch_meetings`). */
export interface Meeting {
  _id: string;
  branchId: string;
  communityId: string;
  kind: MeetingKind;
  title: string;
  place: string;
  startAt: number;
  endAt: number;
  agenda: string[];
  audience: 'all' | 'committee' | 'group';
  group?: string;
  /** Fixed at creation from the roster (or committee / group). */
  expected: string[];
  status: MeetingStatus;
  /** Next reminder time (0 = none left; indexed with status). */
  remindAt: number;
  /** Reminders sent: 1 day before, 2 hours before. */
  remindersSent: ('day' | 'hours')[];
  minutes?: Minutes;
  /** Set when closed. */
  tally?: AttendanceTally;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
}

export type AttendanceStatus = 'present' | 'leavePending' | 'leaveApproved' | 'leaveRejected';

/** One per (meeting, member) who did something (`_id` = `${meetingId}_${openid}`). */
export interface AttendanceDoc {
  _id: string;
  meetingId: string;
  branchId: string;
  openid: string;
  status: AttendanceStatus;
  checkInAt?: number;
  via?: 'code' | 'secretary';
  leaveReason?: string;
  leaveAt?: number;
  decidedAt?: number;
  decidedBy?: string;
  decisionNote?: string;
  updatedAt: number;
}

export interface AttendanceTally {
  expected: number;
  present: number;
  leave: number;
  absent: number;
}

/** Per branch per Asia/Shanghai month (`_id` = `${branchId}_${YYYY-MM}`): meetings held by kind. */
export interface BranchPeriod {
  _id: string;
  branchId: string;
  communityId: string;
  period: string;
  counts: Partial<Record<MeetingKind, number>>;
  meetingIds: string[];
  updatedAt: number;
}

/** Per member per year (`_id` = `${openid}_${year}`): counted when a meeting is closed. */
export interface MemberYear {
  _id: string;
  openid: string;
  year: number;
  branchId: string;
  present: number;
  leave: number;
  absent: number;
  /** Meetings already counted (idempotency of the tally). */
  meetingIds: string[];
  updatedAt: number;
}

export type ComplianceStatus = 'done' | 'due' | 'overdue';

export interface ComplianceItem {
  kind: MeetingKind;
  name: string;
  /** month or quarter, per the 条例. */
  every: 'month' | 'quarter';
  /** 'YYYY-MM' or 'YYYY-Qn'. */
  period: string;
  held: number;
  status: ComplianceStatus;
  /** End of the period (exclusive), epoch ms. */
  dueBy: number;
  /** The previous period ended without one (when the branch already existed). */
  previousMissed: boolean;
}

export interface BranchCompliance {
  branchId: string;
  name: string;
  items: ComplianceItem[];
  /** Items not done this period. */
  open: number;
  /** The branch's 民主评议 points rule (branchCompliance only; absent = none set). */
  pointsRule?: PointsRule;
}

export interface BranchView extends Branch {
  communityName?: string;
  secretaryName: string;
  myRole?: BranchRole;
}

export interface MemberView {
  openid: string;
  name: string;
  role: BranchRole;
  group?: string;
  inService: boolean;
  buildings: string[];
}

export interface MeetingSummary {
  _id: string;
  kind: MeetingKind;
  kindName: string;
  title: string;
  place: string;
  startAt: number;
  endAt: number;
  status: MeetingStatus;
  hasMinutes: boolean;
  /** The caller's own standing at this meeting, if expected. */
  mine?: AttendanceStatus | 'absent' | 'expected';
  tally?: AttendanceTally;
}

export interface AttendanceRowView {
  openid: string;
  name: string;
  status: AttendanceStatus | 'absent' | 'expected';
  checkInAt?: number;
  via?: 'code' | 'secretary';
  leaveReason?: string;
}

export interface MeetingDetail extends MeetingSummary {
  branchId: string;
  branchName: string;
  agenda: string[];
  audience: Meeting['audience'];
  group?: string;
  expectedCount: number;
  isSecretary: boolean;
  minutes?: Omit<Minutes, 'photos' | 'writtenBy'> & { photoUrls: string[] };
  /** Secretary only: everyone expected with their standing (absent = expected − present − leave). */
  rows?: AttendanceRowView[];
  myLeaveReason?: string;
}

export interface CheckInCodeView {
  meetingId: string;
  code: string;
  validUntil: number;
  windowMs: number;
}

export interface AreaView {
  buildings: string[];
  memberOpenid: string;
  memberName: string;
  branchName: string;
  contactMasked?: string;
}

/** A 党员名录 search result: masked identity and where the member stands. */
export interface DirectoryHit {
  openid: string;
  nameMasked: string;
  phoneMasked?: string;
  /** 'this': already on the branch's roster; 'other': on another branch's roster. */
  inBranch?: 'this' | 'other';
}

export interface DirectoryPage {
  items: DirectoryHit[];
  page: number;
  hasMore: boolean;
}

export interface MemberRecordView {
  openid: string;
  name: string;
  year: number;
  branchId?: string;
  branchName?: string;
  present: number;
  leave: number;
  absent: number;
  meetingsCounted: number;
  serviceHours: number;
  /** 在职党员 report: the community reported to and its status. */
  report?: { communityName: string; status: string };
  /** 微心愿 requests taken and completed as a member this year (the service function's counter). */
  requestsTaken: number;
  points?: { rule: PointsRule; total: number; attendance: number; service: number; requests: number };
}

type B<A extends keyof BranchSchemas> = In<BranchSchemas[A]>;
type F = 'FORBIDDEN' | 'NOT_FOUND';
type FC = F | 'CONFLICT';

export interface BranchContract {
  createBranch: Action<B<'createBranch'>, BranchView, FC>;
  appoint: Action<B<'appoint'>, BranchView, FC>;
  listBranches: Action<B<'listBranches'>, BranchView[], F>;
  myBranch: Action<B<'myBranch'>, { branch: BranchView | null; meetings: MeetingSummary[] }>;
  members: Action<B<'members'>, MemberView[], F>;
  addMember: Action<B<'addMember'>, MemberView, FC>;
  removeMember: Action<B<'removeMember'>, { removed: boolean; meetingsReleased: number }, FC>;
  searchMembers: Action<B<'searchMembers'>, DirectoryPage, F>;
  refreshDirectory: Action<B<'refreshDirectory'>, { members: number; retired: number }, F>;
  setArea: Action<B<'setArea'>, MemberView, FC>;
  areas: Action<B<'areas'>, AreaView[], F>;
  areaMember: Action<B<'areaMember'>, AreaView | null, F>;
  messageAreaMember: Action<B<'messageAreaMember'>, { sent: boolean; leftToday: number }, F | 'RATE_LIMITED'>;
  createMeeting: Action<B<'createMeeting'>, MeetingDetail, FC>;
  meetings: Action<B<'meetings'>, MeetingSummary[], F>;
  meeting: Action<B<'meeting'>, MeetingDetail, F>;
  checkInCode: Action<B<'checkInCode'>, CheckInCodeView, FC>;
  checkIn: Action<B<'checkIn'>, { status: AttendanceStatus; checkInAt?: number }, FC>;
  markAttendance: Action<B<'markAttendance'>, AttendanceRowView, FC>;
  requestLeave: Action<B<'requestLeave'>, { status: AttendanceStatus }, FC>;
  decideLeave: Action<B<'decideLeave'>, AttendanceRowView, FC>;
  writeMinutes: Action<B<'writeMinutes'>, MeetingDetail, FC>;
  closeMeeting: Action<B<'closeMeeting'>, MeetingDetail, FC>;
  compliance: Action<B<'compliance'>, BranchCompliance[], F>;
  branchCompliance: Action<B<'branchCompliance'>, BranchCompliance, F>;
  memberRecord: Action<B<'memberRecord'>, MemberRecordView, F>;
  setPointsRule: Action<B<'setPointsRule'>, BranchView, F>;
}
