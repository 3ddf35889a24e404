/**
 * Meetings (三会一课, 主题党日): the secretary creates one with its agenda; the expected attendees are
 * fixed from the roster (or committee, or a group) at creation and get a notice (fan-out job when
 * many). Attendance by the rotating 6-digit code (the volunteer check-in mechanism, keyed for
 * meetings) or marked by the secretary; leave with a reason, approved by the secretary; minutes with
 * photos and resolutions, visible to the branch. Closing a meeting counts it for the branch's month
 * (compliance) in its transaction and queues the per-member yearly tally (a job, idempotent).
 */
import type {
  AttendanceDoc,
  AttendanceRowView,
  AttendanceStatus,
  Branch,
  BranchHolder,
  BranchMember,
  BranchPeriod,
  Meeting,
  MeetingDetail,
  MemberYear,
} from '../../types/branch';
import { MEETING_KIND_NAMES } from '../../types/branch';
import { cmd, collection, getAll, getById, newId, transaction } from '../core/db';
import { conflict, forbidden, invalid } from '../core/errors';
import { defineJob, enqueue, mapLimit } from '../core/jobs';
import { runtime } from '../core/runtime';
import { cipher } from '../volunteer/common';
import { CODE_WINDOW_MS, sixDigitCode, verifySixDigitCode } from '../domain/volunteer';
import { time } from '../domain/template-values';
import {
  attendanceId,
  checkInRefusal,
  decideRefusal,
  defaultAgenda,
  defaultAudience,
  expectedAtClose,
  expectedAttendees,
  leaveRefusal,
  memberYearId,
  monthOf,
  nextReminder,
  periodId,
  rollCall,
  yearOf,
} from '../domain/branch';
import {
  assertInside,
  assertRunsBranch,
  holderOf,
  isSecretary,
  loadBranch,
  loadMeeting,
  manages,
  meetingSummary,
  standing,
  type BranchActions,
} from './common';

/** Meeting codes are keyed apart from activity codes (same rotating mechanism). */
const codeSecret = () => cipher().keyedHash('branch-meeting-code-secret:v1');
const BAD_CODE = '签到码无效或已过期，请输入现场显示的最新签到码';
/** A branch has at most a few hundred members: the expected list is embedded in the meeting. */
export const MAX_EXPECTED = 500;

const meetingPage = (id: string) => `packages/branch/meeting?id=${id}`;

async function rosterOf(branchId: string): Promise<BranchMember[]> {
  return getAll<BranchMember>(collection('branch_members').where({ branchId, active: true }));
}

async function attendanceOf(meetingId: string): Promise<AttendanceDoc[]> {
  return getAll<AttendanceDoc>(collection('branch_attendance').where({ meetingId }));
}

function rowsOf(m: Meeting, docs: AttendanceDoc[], names: Map<string, string>): AttendanceRowView[] {
  const byOpenid = new Map(docs.map((d) => [d.openid, d]));
  return m.expected.map((o) => {
    const d = byOpenid.get(o);
    return {
      openid: o,
      name: names.get(o) ?? '',
      status: standing(m, o, d?.status) ?? 'expected',
      ...(d?.checkInAt ? { checkInAt: d.checkInAt } : {}),
      ...(d?.via ? { via: d.via } : {}),
      ...(d?.leaveReason ? { leaveReason: d.leaveReason } : {}),
    };
  });
}

async function detail(
  m: Meeting,
  b: Branch,
  caller: { openid: string },
  secretaryView: boolean,
  mine?: AttendanceDoc,
  /** Already read by the caller (a new meeting: no attendance yet, the roster it was made from). */
  known?: { docs: AttendanceDoc[]; roster: BranchMember[] },
): Promise<MeetingDetail> {
  const [docs, roster, photoUrls] = await Promise.all([
    known ? known.docs : secretaryView ? attendanceOf(m._id) : Promise.resolve([]),
    known
      ? known.roster
      : secretaryView
        ? getAll<BranchMember>(collection('branch_members').where({ branchId: m.branchId }))
        : Promise.resolve([]),
    m.minutes?.photos.length ? runtime().storage.urls(m.minutes.photos) : Promise.resolve([]),
  ]);
  const names = new Map(roster.map((r) => [r.openid, r.name]));
  return {
    ...meetingSummary(m, standing(m, caller.openid, mine?.status)),
    branchId: m.branchId,
    branchName: b.name,
    agenda: m.agenda,
    audience: m.audience,
    ...(m.group ? { group: m.group } : {}),
    expectedCount: m.expected.length,
    isSecretary: secretaryView,
    ...(m.minutes
      ? {
          minutes: {
            text: m.minutes.text,
            resolutions: m.minutes.resolutions,
            writtenAt: m.minutes.writtenAt,
            photoUrls,
          },
        }
      : {}),
    ...(secretaryView ? { rows: rowsOf(m, docs, names) } : {}),
    ...(mine?.leaveReason ? { myLeaveReason: mine.leaveReason } : {}),
  };
}

function assertExpected(m: Meeting, openid: string): void {
  if (!m.expected.includes(openid)) throw forbidden('你不是本次会议的应到人员');
}

async function assertFilesOwned(photos: string[], openid: string): Promise<void> {
  const owned = await Promise.all(photos.map((id) => runtime().storage.ownedBy(id, openid)));
  if (owned.includes(false)) throw invalid('图片无效或不是你上传的，请重新上传', { photos: '图片无效' });
}

/** Per-member yearly counters, one transaction per member; a meeting is counted once per member. */
type Tallied = 'present' | 'leave' | 'absent';

/** A member's yearly record with one closed meeting added (unchanged if it is counted already). */
function tallyInto(
  cur: MemberYear | undefined,
  p: { openid: string; year: number; branchId: string; meetingId: string; what: Tallied; now: number },
): Omit<MemberYear, '_id'> | undefined {
  if (cur?.meetingIds.includes(p.meetingId)) return undefined;
  return {
    openid: p.openid,
    year: p.year,
    branchId: p.branchId,
    present: (cur?.present ?? 0) + (p.what === 'present' ? 1 : 0),
    leave: (cur?.leave ?? 0) + (p.what === 'leave' ? 1 : 0),
    absent: (cur?.absent ?? 0) + (p.what === 'absent' ? 1 : 0),
    meetingIds: [...(cur?.meetingIds ?? []), p.meetingId],
    updatedAt: p.now,
  };
}

/** Rosters up to this size are tallied inside the closing transaction; larger ones by the job. */
export const TALLY_IN_CLOSE = 20;

export const memberTallyJob = defineJob<{
  meetingId: string;
  branchId: string;
  year: number;
  entries: [string, Tallied][];
}>({
  kind: 'branchMemberTally',
  async batch(p, cursor, { now, limit }) {
    const start = cursor ? Number(cursor) : 0;
    const slice = p.entries.slice(start, start + limit);
    await mapLimit(slice, 10, async ([openid, what]) =>
      transaction(async (t) => {
        const id = memberYearId(openid, p.year);
        const next = tallyInto(await t.get<MemberYear>('branch_member_years', id), {
          openid,
          year: p.year,
          branchId: p.branchId,
          meetingId: p.meetingId,
          what,
          now,
        });
        if (next) await t.set('branch_member_years', id, next as unknown as Record<string, unknown>);
      }),
    );
    const end = start + slice.length;
    return { next: end < p.entries.length ? String(end) : null, processed: slice.length };
  },
});

export const meetingActions: BranchActions<
  | 'createMeeting'
  | 'meetings'
  | 'meeting'
  | 'checkInCode'
  | 'checkIn'
  | 'markAttendance'
  | 'requestLeave'
  | 'decideLeave'
  | 'writeMinutes'
  | 'closeMeeting'
> = {
  createMeeting: {
    roles: ['member', 'worker', 'admin'],
    async handler(ctx, input) {
      const { caller, now } = ctx;
      const [b, roster] = await Promise.all([loadBranch(input.branchId), rosterOf(input.branchId)]);
      assertRunsBranch(caller, b);
      if (input.startAt < now - 7 * 24 * 3600_000)
        throw invalid('开始时间不能早于 7 天前', { startAt: '时间不正确' });
      const audience = input.audience ?? defaultAudience(input.kind);
      if (audience === 'group' && !input.group) throw invalid('请选择党小组', { group: '请选择党小组' });
      const expected = expectedAttendees(audience, roster, b.committee, b.secretary, input.group);
      if (expected.length === 0) throw invalid('应到人员为空：请先在名册中加入党员（或设置委员、党小组）');
      if (expected.length > MAX_EXPECTED) throw invalid(`应到人员最多 ${MAX_EXPECTED} 人`);
      const next = nextReminder(input.startAt, [], now);
      const m: Meeting = {
        _id: newId(),
        branchId: b._id,
        communityId: b.communityId,
        kind: input.kind,
        title: input.title,
        place: input.place,
        startAt: input.startAt,
        endAt: input.endAt,
        agenda: input.agenda?.length ? input.agenda : defaultAgenda(input.kind),
        audience,
        ...(audience === 'group' && input.group ? { group: input.group } : {}),
        expected,
        status: 'scheduled',
        remindAt: next?.at ?? 0,
        remindersSent: [],
        createdBy: caller.openid,
        createdAt: now,
        updatedAt: now,
      };
      await transaction(async (t) => {
        const { _id, ...doc } = m;
        await Promise.all([
          t.set('branch_meetings', _id, doc as unknown as Record<string, unknown>),
          ctx.emit(t, {
            kind: 'branchNotice',
            payload: {
              branchId: b._id,
              meetingId: m._id,
              subject: MEETING_KIND_NAMES[m.kind],
              title: m.title,
              text: `${time(m.startAt)} 在${m.place}召开，请准时参加；不能参加请在会前请假。`,
              at: m.startAt,
              page: meetingPage(m._id),
            },
            recipients: { openids: expected },
          }),
        ]);
      });
      return detail(m, b, caller, true, undefined, { docs: [], roster });
    },
  },

  meetings: {
    roles: 'any',
    async handler({ caller }, { branchId }) {
      const [b, holder, { data }] = await Promise.all([
        loadBranch(branchId),
        holderOf(caller.openid),
        collection('branch_meetings').where({ branchId }).orderBy('startAt', 'desc').limit(100).get(),
      ]);
      assertInside(caller, b, holder);
      return (data as Meeting[]).map((m) => meetingSummary(m));
    },
  },

  meeting: {
    roles: 'any',
    async handler({ caller }, { meetingId }) {
      const [m, holder, mine] = await Promise.all([
        loadMeeting(meetingId),
        getById<BranchHolder>('branch_holders', caller.openid),
        getById<AttendanceDoc>('branch_attendance', attendanceId(meetingId, caller.openid)),
      ]);
      const b = await loadBranch(m.branchId);
      if (!m.expected.includes(caller.openid)) assertInside(caller, b, holder?.active ? holder : undefined);
      return detail(m, b, caller, isSecretary(caller, b) || manages(caller, b), mine);
    },
  },

  checkInCode: {
    roles: ['member', 'worker', 'admin'],
    async handler({ caller, now }, { meetingId }) {
      const m = await loadMeeting(meetingId);
      assertRunsBranch(caller, await loadBranch(m.branchId));
      const refusal = checkInRefusal(m, now);
      if (refusal) throw conflict(refusal);
      const secret = codeSecret();
      return {
        meetingId,
        code: sixDigitCode(secret, meetingId, now),
        validUntil: (Math.floor(now / CODE_WINDOW_MS) + 1) * CODE_WINDOW_MS,
        windowMs: CODE_WINDOW_MS,
      };
    },
  },

  checkIn: {
    roles: 'any',
    async handler({ caller, now }, { meetingId, code }) {
      const id = attendanceId(meetingId, caller.openid);
      const [m, cur] = await Promise.all([
        loadMeeting(meetingId),
        getById<AttendanceDoc>('branch_attendance', id),
      ]);
      assertExpected(m, caller.openid);
      if (cur?.status === 'present')
        return { status: cur.status, ...(cur.checkInAt ? { checkInAt: cur.checkInAt } : {}) };
      const refusal = checkInRefusal(m, now);
      if (refusal) throw conflict(refusal);
      // The previous window's code is still taken for a few seconds (typing takes time).
      const secret = codeSecret();
      const ok =
        verifySixDigitCode(secret, meetingId, code, now) ||
        verifySixDigitCode(secret, meetingId, code, now - 15_000);
      if (!ok) throw conflict(BAD_CODE);
      // One document per (meeting, member): concurrent check-ins of one member write the same
      // document, so they count once whatever the interleaving.
      const doc: Omit<AttendanceDoc, '_id'> = {
        meetingId,
        branchId: m.branchId,
        openid: caller.openid,
        status: 'present',
        checkInAt: now,
        via: 'code',
        ...(cur?.leaveReason ? { leaveReason: cur.leaveReason } : {}),
        updatedAt: now,
      };
      await collection('branch_attendance').doc(id).set(doc);
      return { status: 'present' as AttendanceStatus, checkInAt: now };
    },
  },

  markAttendance: {
    roles: ['member', 'worker', 'admin'],
    async handler({ caller, now }, { meetingId, openid, present }) {
      const id = attendanceId(meetingId, openid);
      const [m, cur] = await Promise.all([
        loadMeeting(meetingId),
        getById<AttendanceDoc>('branch_attendance', id),
      ]);
      const b = await loadBranch(m.branchId);
      assertRunsBranch(caller, b);
      if (!m.expected.includes(openid)) throw invalid('该党员不是本次会议的应到人员');
      if (m.status === 'closed') throw conflict('会议已结束，不能再修改考勤');
      const name = (await getById<BranchMember>('branch_members', `${m.branchId}_${openid}`))?.name ?? '';
      if (present) {
        const doc: Omit<AttendanceDoc, '_id'> = {
          meetingId,
          branchId: m.branchId,
          openid,
          status: 'present',
          checkInAt: cur?.checkInAt ?? now,
          via: cur?.status === 'present' && cur.via ? cur.via : 'secretary',
          ...(cur?.leaveReason ? { leaveReason: cur.leaveReason } : {}),
          updatedAt: now,
        };
        await collection('branch_attendance').doc(id).set(doc);
        return { openid, name, status: 'present', checkInAt: doc.checkInAt!, via: doc.via! };
      }
      if (cur?.status === 'present') await collection('branch_attendance').doc(id).remove();
      const status = cur && cur.status !== 'present' ? cur.status : 'expected';
      return { openid, name, status };
    },
  },

  requestLeave: {
    roles: 'any',
    async handler(ctx, { meetingId, reason }) {
      const { caller, now } = ctx;
      const id = attendanceId(meetingId, caller.openid);
      const meetingP = loadMeeting(meetingId).then(async (m) => ({ m, b: await loadBranch(m.branchId) }));
      meetingP.catch(() => undefined);
      return transaction(async (t) => {
        const [{ m, b }, cur] = await Promise.all([meetingP, t.get<AttendanceDoc>('branch_attendance', id)]);
        assertExpected(m, caller.openid);
        const refusal = leaveRefusal(m, cur?.status, now);
        if (refusal) throw conflict(refusal);
        const doc: Omit<AttendanceDoc, '_id'> = {
          meetingId,
          branchId: m.branchId,
          openid: caller.openid,
          status: 'leavePending',
          leaveReason: reason,
          leaveAt: now,
          updatedAt: now,
        };
        const secretary = b.secretary;
        await Promise.all([
          t.set('branch_attendance', id, doc as unknown as Record<string, unknown>),
          secretary
            ? ctx.emit(t, {
                kind: 'branchNotice',
                payload: {
                  branchId: m.branchId,
                  meetingId,
                  subject: '请假申请',
                  title: m.title,
                  text: `${caller.user.nickName}请假：${reason}`,
                  at: m.startAt,
                  page: meetingPage(meetingId),
                },
                recipients: { openids: [secretary] },
              })
            : Promise.resolve(),
        ]);
        return { status: 'leavePending' as AttendanceStatus };
      });
    },
  },

  decideLeave: {
    roles: ['member', 'worker', 'admin'],
    async handler(ctx, { meetingId, openid, approve, note }) {
      const { caller, now } = ctx;
      const id = attendanceId(meetingId, openid);
      const meetingP = loadMeeting(meetingId).then(async (m) => ({ m, b: await loadBranch(m.branchId) }));
      meetingP.catch(() => undefined);
      return transaction(async (t) => {
        const [{ m, b }, cur] = await Promise.all([meetingP, t.get<AttendanceDoc>('branch_attendance', id)]);
        assertRunsBranch(caller, b);
        const refusal = decideRefusal(m, cur?.status);
        if (refusal) throw conflict(refusal);
        const status: AttendanceStatus = approve ? 'leaveApproved' : 'leaveRejected';
        await Promise.all([
          t.update('branch_attendance', id, {
            status,
            decidedAt: now,
            decidedBy: caller.openid,
            ...(note ? { decisionNote: note } : {}),
            updatedAt: now,
          }),
          ctx.emit(t, {
            kind: 'branchNotice',
            payload: {
              branchId: m.branchId,
              meetingId,
              subject: approve ? '请假已批准' : '请假未批准',
              title: m.title,
              text: approve
                ? `你的请假已批准。${note ?? ''}`
                : `请假未批准${note ? `：${note}` : '，请按时参加'}。`,
              at: m.startAt,
              page: meetingPage(meetingId),
            },
            recipients: { openids: [openid] },
          }),
        ]);
        return { openid, name: '', status, ...(cur?.leaveReason ? { leaveReason: cur.leaveReason } : {}) };
      });
    },
  },

  writeMinutes: {
    roles: ['member', 'worker', 'admin'],
    async handler({ caller, now }, { meetingId, text, resolutions, photos }) {
      const m = await loadMeeting(meetingId);
      const [b, , check] = await Promise.all([
        loadBranch(m.branchId),
        assertFilesOwned(photos ?? [], caller.openid),
        runtime().contentCheck.text([text, ...(resolutions ?? [])].join('\n'), caller.openid),
      ]);
      assertRunsBranch(caller, b);
      if (!check.ok) throw invalid(check.reason, { text: check.reason });
      if (now < m.startAt) throw conflict('会议开始后才能填写会议记录');
      const minutes = {
        text,
        resolutions: resolutions ?? [],
        photos: photos ?? m.minutes?.photos ?? [],
        writtenAt: now,
        writtenBy: caller.openid,
      };
      await collection('branch_meetings')
        .doc(meetingId)
        .update({ minutes: cmd().set(minutes), updatedAt: now });
      if (photos?.length) await runtime().contentCheck.images(photos, caller.openid);
      return detail({ ...m, minutes }, b, caller, true);
    },
  },

  closeMeeting: {
    roles: ['member', 'worker', 'admin'],
    /**
     * Four sequential requests: the meeting and its attendance are read while the transaction
     * starts; the branch, its roster, the meeting again, the month's period and (for a roster of
     * up to TALLY_IN_CLOSE) the members' yearly records in one round; then the writes and the
     * commit. A larger roster's yearly records are left to a job the timer runs.
     */
    async handler({ caller, now }, { meetingId }) {
      const pre = Promise.all([loadMeeting(meetingId), attendanceOf(meetingId)]);
      pre.catch(() => {}); // awaited inside the transaction
      const outcome = await transaction(async (t) => {
        const [m, docs] = await pre;
        const month = monthOf(m.startAt);
        const year = yearOf(m.startAt);
        const inClose = m.expected.length <= TALLY_IN_CLOSE ? m.expected : [];
        const [b, roster, cur, period, years] = await Promise.all([
          loadBranch(m.branchId),
          getAll<BranchMember>(collection('branch_members').where({ branchId: m.branchId })),
          t.get<Meeting>('branch_meetings', meetingId),
          t.get<BranchPeriod>('branch_periods', periodId(m.branchId, month)),
          Promise.all(inClose.map((o) => t.get<MemberYear>('branch_member_years', memberYearId(o, year)))),
        ]);
        assertRunsBranch(caller, b);
        if (now < m.startAt) throw conflict('会议开始后才能结束并统计考勤');
        const known = { docs, roster };
        if (!cur || cur.status === 'closed') return { closed: false as const, b, known };
        const removed = roster.filter((r) => !r.active);
        const expected = expectedAtClose(m.expected, removed, m.startAt);
        const call = rollCall(expected, docs);
        const tally = {
          expected: call.expected,
          present: call.present,
          leave: call.leave,
          absent: call.absent,
        };
        const counts = { ...(period?.counts ?? {}) };
        counts[m.kind] = (counts[m.kind] ?? 0) + 1;
        const nextPeriod: Omit<BranchPeriod, '_id'> = {
          branchId: b._id,
          communityId: b.communityId,
          period: month,
          counts,
          meetingIds: [...(period?.meetingIds ?? []), meetingId],
          updatedAt: now,
        };
        const entries = expected.map((o): [string, Tallied] => {
          const st = call.statusOf.get(o);
          return [o, st === 'present' ? 'present' : st === 'leaveApproved' ? 'leave' : 'absent'];
        });
        const yearRecords = new Map(inClose.map((o, i) => [o, years[i]]));
        await Promise.all([
          t.update('branch_meetings', meetingId, {
            status: 'closed',
            ...(expected.length !== m.expected.length ? { expected } : {}),
            tally: cmd().set(tally),
            remindAt: 0,
            updatedAt: now,
          }),
          t.set('branch_periods', periodId(b._id, month), nextPeriod as unknown as Record<string, unknown>),
          ...(inClose.length
            ? entries.map(([openid, what]) => {
                const next = tallyInto(yearRecords.get(openid), {
                  openid,
                  year,
                  branchId: b._id,
                  meetingId,
                  what,
                  now,
                });
                return next
                  ? t.set(
                      'branch_member_years',
                      memberYearId(openid, year),
                      next as unknown as Record<string, unknown>,
                    )
                  : undefined;
              })
            : [enqueue(t, memberTallyJob, { meetingId, branchId: b._id, year, entries }, now)]),
        ]);
        const after: Meeting = { ...m, expected, status: 'closed', tally, remindAt: 0 };
        return { closed: true as const, b, known, after };
      });
      const m = outcome.closed ? outcome.after : await loadMeeting(meetingId);
      return detail(m, outcome.b, caller, true, undefined, outcome.known);
    },
  },
};
