/**
 * Party organisation life (issue 16): the pure rules. Meeting frequencies of the 中国共产党支部工作条例
 * (2018), the 主题党日 agenda, who is expected at a meeting, roll-call (absent = expected − present −
 * approved leave), leave and check-in windows, reminder times and the 民主评议 points summary.
 * No I/O; periods are Asia/Shanghai months and quarters.
 */
import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';
import type {
  AttendanceDoc,
  AttendanceStatus,
  AttendanceTally,
  BranchMember,
  ComplianceItem,
  Meeting,
  MeetingKind,
  PointsRule,
} from '../../types/branch';
import { MEETING_KIND_NAMES } from '../../types/branch';

dayjs.extend(utc);
dayjs.extend(timezone);

const TZ = 'Asia/Shanghai';
const HOUR = 3600_000;

/**
 * 条例 (2018) 第十四条: 支部党员大会 at least once a quarter, 支部委员会 and 党小组会 monthly, 党课
 * at least once a quarter; 主题党日 monthly (the 楚雄 practice: one fixed day a month).
 */
export const REQUIRED_FREQUENCY: Record<MeetingKind, 'month' | 'quarter'> = {
  general: 'quarter',
  committee: 'month',
  group: 'month',
  lecture: 'quarter',
  themeDay: 'month',
};

export const MEETING_KINDS = Object.keys(REQUIRED_FREQUENCY) as MeetingKind[];

/**
 * The default 主题党日 agenda, six steps taken from the 楚雄 article's list of what the monthly
 * 支部主题党日 brings together (统筹安排党费收缴、“三会一课”、积分评定，开展党性教育、业务培训、志愿服务、
 * 民情恳谈、走访慰问); the secretary edits it per meeting.
 */
export const THEME_DAY_AGENDA = [
  '收缴党费',
  '“三会一课”：集中学习',
  '党性教育或业务培训',
  '志愿服务',
  '民情恳谈、走访慰问',
  '党员积分评定',
];

export function defaultAgenda(kind: MeetingKind): string[] {
  switch (kind) {
    case 'themeDay':
      return [...THEME_DAY_AGENDA];
    case 'general':
      return ['传达学习上级精神', '讨论决定支部重要事项', '党员发言'];
    case 'committee':
      return ['通报上月工作', '研究本月工作安排'];
    case 'group':
      return ['学习交流', '组织生活'];
    case 'lecture':
      return ['党课讲授', '交流研讨'];
  }
}

/** Asia/Shanghai month 'YYYY-MM' of an instant. */
export const monthOf = (at: number) => dayjs(at).tz(TZ).format('YYYY-MM');
export const yearOf = (at: number) => dayjs(at).tz(TZ).year();

/** Quarter 'YYYY-Qn' of a month 'YYYY-MM'. */
export function quarterOfMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return `${y}-Q${Math.floor((m - 1) / 3) + 1}`;
}

/** The months of the quarter that contains `month`, in order. */
export function quarterMonths(month: string): string[] {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const first = Math.floor((m - 1) / 3) * 3 + 1;
  return [0, 1, 2].map((i) => `${y}-${String(first + i).padStart(2, '0')}`);
}

/** The month before 'YYYY-MM'. */
export function previousMonth(month: string): string {
  return dayjs.tz(`${month}-01 00:00`, TZ).subtract(1, 'month').format('YYYY-MM');
}

/** Start (inclusive) of a month in epoch ms. */
const monthStart = (month: string) => dayjs.tz(`${month}-01 00:00`, TZ).valueOf();
const monthEnd = (month: string) => dayjs.tz(`${month}-01 00:00`, TZ).add(1, 'month').valueOf();

/** Months whose counters compliance needs at `now`: this and the previous quarter (6 months). */
export function complianceMonths(now: number): string[] {
  const thisQuarter = quarterMonths(monthOf(now));
  const lastQuarter = quarterMonths(previousMonth(thisQuarter[0]!));
  return [...lastQuarter, ...thisQuarter];
}

/**
 * Which required meetings are done, due or overdue at `now`, from the meetings held per month and
 * kind (`held[month][kind]`). A month's kinds need one in the month; a quarter's, one in any of its
 * three months. `overdue`: not held yet this period and the previous period (which ended after the
 * branch was created) also went without.
 */
export function complianceOf(
  held: Record<string, Partial<Record<MeetingKind, number>>>,
  now: number,
  createdAt: number,
): ComplianceItem[] {
  const month = monthOf(now);
  const count = (months: string[], kind: MeetingKind) =>
    months.reduce((n, m) => n + (held[m]?.[kind] ?? 0), 0);
  return MEETING_KINDS.map((kind) => {
    const every = REQUIRED_FREQUENCY[kind];
    const months = every === 'month' ? [month] : quarterMonths(month);
    const prevMonths = every === 'month' ? [previousMonth(month)] : quarterMonths(previousMonth(months[0]!));
    const n = count(months, kind);
    const prevExisted = createdAt < monthStart(prevMonths[0]!);
    const previousMissed = prevExisted && count(prevMonths, kind) === 0;
    return {
      kind,
      name: MEETING_KIND_NAMES[kind],
      every,
      period: every === 'month' ? month : quarterOfMonth(month),
      held: n,
      status: n > 0 ? 'done' : previousMissed ? 'overdue' : 'due',
      dueBy: monthEnd(months[months.length - 1]!),
      previousMissed,
    };
  });
}

/** Who is expected at a meeting, fixed at creation (bounded by the roster). */
export function expectedAttendees(
  audience: Meeting['audience'],
  roster: { openid: string; group?: string }[],
  committee: string[],
  secretary: string,
  group?: string,
): string[] {
  const active = roster.map((m) => m.openid);
  if (audience === 'committee') {
    const set = new Set([secretary, ...committee]);
    return active.filter((o) => set.has(o));
  }
  if (audience === 'group') return roster.filter((m) => m.group === group).map((m) => m.openid);
  return active;
}

/** The audience a kind has unless the secretary says otherwise. */
export const defaultAudience = (kind: MeetingKind): Meeting['audience'] =>
  kind === 'committee' ? 'committee' : kind === 'group' ? 'group' : 'all';

/**
 * Roll-call: present (checked in or marked), approved leave, and absent = expected − present −
 * approved leave — members who did nothing at all are absent without any record of their own.
 * Attendance of people not expected is ignored.
 */
export function rollCall(
  expected: string[],
  docs: Pick<AttendanceDoc, 'openid' | 'status'>[],
): AttendanceTally & { absentees: string[]; statusOf: Map<string, AttendanceStatus | 'absent'> } {
  const byOpenid = new Map(docs.map((d) => [d.openid, d.status]));
  const statusOf = new Map<string, AttendanceStatus | 'absent'>();
  let present = 0;
  let leave = 0;
  const absentees: string[] = [];
  for (const o of new Set(expected)) {
    const s = byOpenid.get(o);
    if (s === 'present') {
      present++;
      statusOf.set(o, s);
    } else if (s === 'leaveApproved') {
      leave++;
      statusOf.set(o, s);
    } else {
      absentees.push(o);
      statusOf.set(o, 'absent');
    }
  }
  return { expected: statusOf.size, present, leave, absent: absentees.length, absentees, statusOf };
}

/** Check-in by code opens 30 minutes before the start and closes 2 hours after the end. */
export const CHECK_IN_OPENS_BEFORE_MS = 30 * 60_000;
export const CHECK_IN_CLOSES_AFTER_MS = 2 * HOUR;

export function checkInRefusal(m: Pick<Meeting, 'startAt' | 'endAt' | 'status'>, now: number): string | null {
  if (m.status === 'closed') return '会议已结束，不能签到';
  if (now < m.startAt - CHECK_IN_OPENS_BEFORE_MS) return '会前 30 分钟开始签到';
  if (now > m.endAt + CHECK_IN_CLOSES_AFTER_MS) return '签到已截止';
  return null;
}

/**
 * Leave (请假): asked with a reason before the meeting starts, by someone expected who has not
 * checked in and whose leave is not already approved; a rejected request may be asked again.
 */
export function leaveRefusal(
  m: Pick<Meeting, 'startAt' | 'status'>,
  current: AttendanceStatus | undefined,
  now: number,
): string | null {
  if (m.status === 'closed') return '会议已结束，不能请假';
  if (now >= m.startAt) return '会议已开始，请向书记当面说明';
  if (current === 'present') return '你已签到，无需请假';
  if (current === 'leaveApproved') return '请假已批准';
  if (current === 'leavePending') return '请假申请已提交，请等待书记审批';
  return null;
}

/** The secretary decides only a pending request, and only while the meeting is open. */
export function decideRefusal(
  m: Pick<Meeting, 'status'>,
  current: AttendanceStatus | undefined,
): string | null {
  if (m.status === 'closed') return '会议已结束，不能再审批';
  if (current !== 'leavePending') return '没有待审批的请假';
  return null;
}

export const DAY_BEFORE_MS = 24 * HOUR;
export const HOURS_BEFORE_MS = 2 * HOUR;

/**
 * The next reminder after `now` for a meeting: the day before, then 2 hours before (0 = none).
 * A reminder whose moment has passed but whose meeting has not started is due at once.
 */
export function nextReminder(
  startAt: number,
  sent: ('day' | 'hours')[],
  now: number,
): { at: number; which: 'day' | 'hours' } | null {
  if (now >= startAt) return null;
  if (!sent.includes('day') && startAt - now > HOURS_BEFORE_MS)
    return { at: startAt - DAY_BEFORE_MS, which: 'day' };
  if (!sent.includes('hours')) return { at: startAt - HOURS_BEFORE_MS, which: 'hours' };
  return null;
}

/** Points for the 民主评议 summary, from existing figures only (no ledger of its own). */
export function pointsSummary(
  rule: PointsRule,
  figures: { present: number; serviceHours: number; requests: number | null },
): { rule: PointsRule; total: number; attendance: number; service: number; requests: number } {
  const r1 = (n: number) => Math.round(n * 10) / 10;
  const attendance = r1(figures.present * rule.perAttendance);
  const service = r1(figures.serviceHours * rule.perServiceHour);
  const requests = r1((figures.requests ?? 0) * rule.perRequest);
  return { rule, total: r1(attendance + service + requests), attendance, service, requests };
}

export const DEFAULT_POINTS_RULE: PointsRule = { perAttendance: 2, perServiceHour: 1, perRequest: 1 };

/** The compliance reminder goes out once a month, from this day of the month on. */
export const COMPLIANCE_REMINDER_DAY = 15;

export function complianceReminderDue(now: number, remindedFor: string): boolean {
  const d = dayjs(now).tz(TZ);
  return d.date() >= COMPLIANCE_REMINDER_DAY && remindedFor !== d.format('YYYY-MM');
}

/** Ids. */
export const memberDocId = (branchId: string, openid: string) => `${branchId}_${openid}`;
export const attendanceId = (meetingId: string, openid: string) => `${meetingId}_${openid}`;
export const periodId = (branchId: string, month: string) => `${branchId}_${month}`;
export const memberYearId = (openid: string, year: number) => `${openid}_${year}`;
export const areaId = (communityId: string, building: string) => `${communityId}_${building}`;

/** Asia/Shanghai day 'YYYY-MM-DD' of an instant. */
export const dayOf = (at: number) => dayjs(at).tz(TZ).format('YYYY-MM-DD');

/**
 * 责任区 messages: a resident may leave at most this many messages a day (Asia/Shanghai) to area
 * members, counted in one counter document per sender and day written by each message's
 * transaction (`counters/<areaMessageCounterId>`).
 */
export const AREA_MESSAGE_DAILY_LIMIT = 5;
export const areaMessageCounterId = (openid: string, at: number) => `branch-area-msg:${openid}:${dayOf(at)}`;

export function areaMessageRefusal(sentToday: number): string | null {
  return sentToday >= AREA_MESSAGE_DAILY_LIMIT
    ? `每人每天最多给责任区党员留言 ${AREA_MESSAGE_DAILY_LIMIT} 条，请明天再留言；急事请拨打社区电话`
    : null;
}

/**
 * Who may change a branch's leadership: a worker of the community appoints or replaces the
 * secretary and the committee; the branch's secretary may change the committee only.
 */
export function appointRefusal(
  by: { worker: boolean; secretary: boolean },
  change: { secretary?: string; committee?: string[] },
  currentSecretary: string,
): string | null {
  if (by.worker) return null;
  if (!by.secretary) return '只有社区工作者或本支部书记可以调整支部委员';
  if (change.secretary && change.secretary !== currentSecretary) return '改任书记须由社区工作者办理';
  return null;
}

/**
 * Removing a member from the roster: meetings not yet started drop them from their expected
 * attendees (they are no longer counted absent); meetings already started or closed keep the list
 * fixed at creation, so their roll-call does not change.
 */
export function meetingsToRelease<M extends Pick<Meeting, 'status' | 'startAt' | 'expected'>>(
  meetings: M[],
  openid: string,
  now: number,
): M[] {
  return meetings.filter((m) => m.status === 'scheduled' && m.startAt > now && m.expected.includes(openid));
}

/**
 * The expected attendees a meeting is closed with: those fixed at its creation, less members taken
 * off the roster before it started (removal already drops them from meetings not yet started;
 * this also covers a meeting created from a roster read just before a removal committed).
 */
export function expectedAtClose(
  expected: string[],
  removed: Pick<BranchMember, 'openid' | 'active' | 'removedAt'>[],
  startAt: number,
): string[] {
  const gone = new Set(
    removed
      .filter((m) => !m.active && m.removedAt !== undefined && m.removedAt < startAt)
      .map((m) => m.openid),
  );
  return expected.filter((o) => !gone.has(o));
}

/** The searchable form of a name: NFKC, no spaces, lower case (so a prefix matches 李, 李建, …). */
export function nameKeyOf(name: string): string {
  return name.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
}

/** 李建国 → 李*国, 陈明 → 陈*, 欧阳小明 → 欧**明; one character stays as it is. */
export function maskPersonName(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length <= 1) return chars.join('');
  if (chars.length === 2) return `${chars[0]}*`;
  return chars[0] + '*'.repeat(chars.length - 2) + chars[chars.length - 1];
}

/** The last four digits of a phone (or of its masked form 138****5678), '' when unknown. */
export function phoneLast4(phone: string | undefined): string {
  const m = /(\d{4})$/.exec((phone ?? '').trim());
  return m ? m[1]! : '';
}

/**
 * The 党员名录 entry of one member in one community (`member_directory/<communityId>_<openid>`),
 * written with every grant or revocation of the community's member role: the roster search
 * (`branch.searchMembers`) reads it by index (community + name prefix, or community + last four
 * phone digits), never the users collection. The name is the real-name registration's when there
 * is one (approved), otherwise the nickname; the phone only from an approved registration.
 */
export interface DirectoryEntry {
  communityId: string;
  openid: string;
  name: string;
  nameKey: string;
  phoneLast4: string;
  phoneMasked: string;
  active: boolean;
  updatedAt: number;
}

export const directoryId = (communityId: string, openid: string) => `${communityId}_${openid}`;

export function directoryEntry(
  user: { openid: string; nickName: string },
  registration: { name?: string; phoneMasked?: string; status?: string } | undefined,
  communityId: string,
  active: boolean,
  now: number,
): DirectoryEntry {
  const reg = registration?.status === 'approved' ? registration : undefined;
  const name = reg?.name || user.nickName;
  return {
    communityId,
    openid: user.openid,
    name,
    nameKey: nameKeyOf(name),
    phoneLast4: phoneLast4(reg?.phoneMasked),
    phoneMasked: reg?.phoneMasked ?? '',
    active,
    updatedAt: now,
  };
}
