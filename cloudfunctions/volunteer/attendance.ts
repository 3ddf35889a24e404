/**
 * Attendance (志愿服务签到): the organiser's rotating check-in code, check-in and check-out with a
 * proof that fits the session's method (QR / 6-digit code / position within 500 m, verified on the
 * server), recorded hours and points written with the check-out in one transaction (idempotent),
 * granted hours (荣誉时长) and 补卡 requests.
 */
import type {
  Activity,
  AttendanceRow,
  AttendanceView,
  CheckInProof,
  MakeupRequest,
  MakeupView,
  PointsEntry,
  SignUp,
  User,
  VolunteerRegistration,
  VolunteerSettings,
} from '../../types/domain';
import { byIds, collection, transaction, type TxDocs } from '../core/db';
import { conflict, forbidden, invalid, notFound } from '../core/errors';
import { assertManagesCommunity, type Caller } from '../core/guard';
import { communityPage, newestPage, queryPage } from '../core/paging';
import { pointsFor } from '../domain/points';
import {
  CHECK_IN_CLOSES_AFTER_MS,
  CHECK_IN_OPENS_BEFORE_MS,
  CODE_WINDOW_MS,
  checkInWindow,
  recordedHours,
  rotatingCode,
  sixDigitCode,
  validateGrant,
  verifyRotatingCode,
  verifySixDigitCode,
  withinRadius,
} from '../domain/volunteer';
import {
  audit,
  canRun,
  cipher,
  decidePending,
  loadActivity,
  DEFAULT_SETTINGS,
  loadSignUp,
  newId,
  signUpId,
  type VolunteerActions,
} from './common';
import { appendHours, Ledger } from './ledgers';
import { DashboardCounters } from '../core/dashboard-counters';
import { attendedDelta } from '../domain/dashboard-tally';

export const CHECK_IN_RADIUS_M = 500;
const QR_PREFIX = 'tongxin:checkin:';
const BAD_CODE = '签到码无效或已过期，请扫描最新的二维码';

const checkInSecret = () => cipher().keyedHash('checkin-code-secret:v1');

const earnId = (sId: string) => `earn_${sId}`;

/** Whether the proof fits the session's method and is valid now; throws CONFLICT otherwise. */
export function assertProof(a: Activity, proof: CheckInProof, now: number): void {
  const secret = checkInSecret();
  switch (a.checkInMethod) {
    case 'gps': {
      if (proof.method !== 'gps') throw conflict('本场服务按定位签到，请允许获取位置后重试');
      if (!withinRadius(proof, a.place, CHECK_IN_RADIUS_M))
        throw conflict(`你不在服务地点附近（${CHECK_IN_RADIUS_M} 米内），请到达后再签到`);
      return;
    }
    case 'code': {
      if (proof.method !== 'code') throw conflict('本场服务请输入现场的 6 位签到码');
      if (!verifySixDigitCode(secret, a._id, proof.code, now)) throw conflict(BAD_CODE);
      return;
    }
    case 'qr': {
      if (proof.method === 'code') {
        if (!verifySixDigitCode(secret, a._id, proof.code, now)) throw conflict(BAD_CODE);
        return;
      }
      if (proof.method !== 'qr') throw conflict('本场服务请扫描现场二维码签到');
      const prefix = `${QR_PREFIX}${a._id}:`;
      const code = proof.payload.startsWith(prefix) ? proof.payload.slice(prefix.length) : '';
      if (!code || !verifyRotatingCode(secret, a._id, code, now)) throw conflict(BAD_CODE);
      return;
    }
  }
}

async function pointsAwarded(ids: string[]): Promise<Map<string, number>> {
  const found = await byIds<PointsEntry>(
    'points_ledger',
    ids.map((id) => earnId(id)),
  );
  return new Map([...found.values()].map((p) => [p._id.slice('earn_'.length), p.points]));
}

function attendanceView(s: SignUp, points: number): AttendanceView {
  return {
    activityId: s.activityId,
    openid: s.openid,
    signUpStatus: s.status,
    ...(s.checkInAt ? { checkInAt: s.checkInAt } : {}),
    ...(s.checkOutAt ? { checkOutAt: s.checkOutAt } : {}),
    recordedHours: s.recordedHours ?? 0,
    grantedHours: s.grantedHours ?? 0,
    pointsAwarded: points,
  };
}

/**
 * A sign-up's attendance. Points are written with the check-out (`earn_<signUpId>`), so one
 * without a check-out has none and is not looked up; `points`, when the caller knows them, saves
 * the look-up too.
 */
async function viewOf(s: SignUp, points?: number): Promise<AttendanceView> {
  if (points !== undefined || !s.checkOutAt) return attendanceView(s, points ?? 0);
  return attendanceView(s, (await pointsAwarded([s._id])).get(s._id) ?? 0);
}

async function rows(signUps: SignUp[]): Promise<AttendanceRow[]> {
  const openids = signUps.map((s) => s.openid);
  const [users, regs, points] = await Promise.all([
    byIds<User>('users', openids),
    byIds<VolunteerRegistration>('volunteers', openids),
    pointsAwarded(signUps.map((s) => s._id)),
  ]);
  return signUps.map((s) => ({
    ...attendanceView(s, points.get(s._id) ?? 0),
    nickName: users.get(s.openid)?.nickName ?? '居民',
    ...(regs.get(s.openid) ? { realName: regs.get(s.openid)!.name } : {}),
  }));
}

/**
 * The session and the caller's confirmed sign-up for it, read together (NOT_FOUND without the
 * session, FORBIDDEN without a sign-up, CONFLICT if not confirmed).
 */
async function requireConfirmed(activityId: string, openid: string): Promise<{ a: Activity; s: SignUp }> {
  const [a, s] = await Promise.all([loadActivity(activityId), loadSignUp(activityId, openid)]);
  assertConfirmed(s);
  return { a, s };
}

/** FORBIDDEN without a sign-up, CONFLICT unless it is confirmed. */
function assertConfirmed(s: SignUp | undefined): asserts s is SignUp {
  if (!s || s.status === 'cancelled') throw forbidden('你没有报名本场服务，不能签到');
  if (s.status !== 'confirmed')
    throw conflict(s.status === 'pending' ? '你的报名还在审核中' : '你的报名未确认，不能签到');
}

function assertWindow(a: Activity, now: number): void {
  if (a.status === 'cancelled') throw conflict('活动已取消');
  const w = checkInWindow(a, now);
  if (!w.ok) throw conflict(w.reason);
}

/**
 * Record a check-out (by the volunteer, or an approved 补卡): the sign-up's times and recorded
 * hours, the hour entry `rec_<signUpId>` and the points entry `earn_<signUpId>` and an audit
 * line — all in the caller's transaction, in two round trips (the sign-up, the community's points
 * rule and the ledger rows read at once, then every write at once). `check` sees the sign-up
 * before anything is written and may refuse. A sign-up that already has a check-out changes
 * nothing (returns false, with the points it earned then); otherwise the points written come back
 * too. `times.checkInAt` defaults to the sign-up's own check-in.
 */
export async function recordAttendance(
  t: TxDocs,
  a: Activity,
  openid: string,
  times: { checkInAt?: number; checkOutAt: number },
  by: { actor: string; now: number; detail: string },
  check?: (s: SignUp | undefined) => void,
): Promise<{ recorded: boolean; signUp: SignUp; points: number }> {
  const id = signUpId(a._id, openid);
  const [s, settings, ledger] = await Promise.all([
    t.get<SignUp>('signups', id),
    t.get<VolunteerSettings>('volunteer_settings', a.communityId),
    Ledger.open(t, openid, by.now, {
      hours: [{ _id: `rec_${id}`, communityId: a.communityId, at: by.now }],
      points: [earnId(id)],
      // Attendance counts in the month of the activity's start (a 补卡 may set the check-in).
      dashboard: [{ communityId: a.communityId, at: a.startAt }],
    }),
  ]);
  check?.(s);
  if (!s) throw notFound('没有找到报名记录');
  if (s.status !== 'confirmed') throw conflict('报名未确认，不能记录时长');
  if (s.checkOutAt) {
    const earned = ledger.found.get(earnId(id)) as PointsEntry | undefined;
    return { recorded: false, signUp: s, points: earned?.points ?? 0 };
  }
  const checkInAt = times.checkInAt ?? s.checkInAt;
  if (checkInAt === undefined) throw conflict('请先签到');
  if (s.checkInAt === undefined)
    ledger.dashboard.add({ communityId: a.communityId, at: a.startAt, openid }, attendedDelta(a.type));
  const hours = recordedHours(
    { startAt: a.startAt, endAt: a.endAt, hours: a.hours },
    checkInAt,
    times.checkOutAt,
  );
  const patch = {
    checkInAt,
    checkOutAt: times.checkOutAt,
    recordedHours: hours,
    updatedAt: by.now,
  };
  if (hours > 0) {
    ledger.hours({
      _id: `rec_${id}`,
      openid,
      communityId: a.communityId,
      activityId: a._id,
      activityTitle: a.title,
      kind: 'recorded',
      category: a.type,
      hours,
      by: by.actor,
      at: by.now,
    });
  }
  const points = pointsFor(hours, settings?.pointsPerHour ?? DEFAULT_SETTINGS.pointsPerHour);
  if (points > 0) {
    ledger.points({
      _id: earnId(id),
      openid,
      communityId: a.communityId,
      kind: 'earned',
      points,
      at: by.now,
      reason: a.title,
      ref: { type: 'activity', id: a._id },
      by: by.actor,
    });
  }
  await ledger.save([
    () => t.update('signups', id, patch),
    () =>
      audit(t, {
        at: by.now,
        actor: by.actor,
        action: 'hoursRecorded',
        subject: openid,
        communityId: a.communityId,
        activityId: a._id,
        detail: `${by.detail}：记录 ${hours} 小时，积分 ${points}`,
      }),
  ]);
  return { recorded: true, signUp: { ...s, ...patch }, points };
}

async function makeupViews(items: MakeupRequest[]): Promise<MakeupView[]> {
  const [activities, users] = await Promise.all([
    byIds<Activity>('activities', [...new Set(items.map((m) => m.activityId))]),
    byIds<User>('users', [...new Set(items.map((m) => m.openid))]),
  ]);
  return items.map(({ reviewedBy: _r, ...m }) => ({
    ...m,
    activityTitle: activities.get(m.activityId)?.title ?? '',
    nickName: users.get(m.openid)?.nickName,
  }));
}

function assertRuns(caller: Caller, a: Activity): void {
  if (!canRun(caller, a)) throw forbidden('只能管理本社区或本单位的活动');
}

export const attendanceActions: VolunteerActions<
  | 'checkInCode'
  | 'checkIn'
  | 'checkOut'
  | 'myAttendance'
  | 'attendance'
  | 'grantHours'
  | 'requestMakeup'
  | 'myMakeups'
  | 'listMakeups'
  | 'reviewMakeup'
> = {
  checkInCode: {
    roles: ['worker', 'admin', 'unitStaff'],
    async handler({ caller, now }, { activityId }) {
      const a = await loadActivity(activityId);
      assertRuns(caller, a);
      const secret = checkInSecret();
      return {
        activityId,
        method: a.checkInMethod,
        qr: `${QR_PREFIX}${activityId}:${rotatingCode(secret, activityId, now)}`,
        code: sixDigitCode(secret, activityId, now),
        validUntil: (Math.floor(now / CODE_WINDOW_MS) + 1) * CODE_WINDOW_MS,
        windowMs: CODE_WINDOW_MS,
      };
    },
  },

  checkIn: {
    roles: 'any',
    async handler({ caller, now }, { activityId, proof }) {
      // The session and sign-up are read while the transaction starts; inside, the sign-up is
      // read again with the dashboard bucket, and the check-in and the attendance counter are
      // written together (a concurrent check-in or cancellation conflicts and is seen on retry).
      const first = requireConfirmed(activityId, caller.openid);
      first.catch(() => {}); // awaited inside the transaction
      const saved = await transaction(async (t) => {
        const { a, s: before } = await first;
        if (before.checkInAt) return before;
        assertWindow(a, now);
        assertProof(a, proof, now);
        const ref = { communityId: a.communityId, at: a.startAt, openid: caller.openid };
        const [s, counters] = await Promise.all([
          t.get<SignUp>('signups', before._id),
          DashboardCounters.open(t, { refs: [ref] }),
        ]);
        assertConfirmed(s);
        if (s.checkInAt) return s;
        counters.add(ref, attendedDelta(a.type));
        await Promise.all([
          t.update('signups', s._id, { checkInAt: now, updatedAt: now }),
          ...counters.writes().map((w) => w()),
        ]);
        return { ...s, checkInAt: now, updatedAt: now };
      });
      return viewOf(saved);
    },
  },

  checkOut: {
    roles: 'any',
    async handler({ caller, now }, { activityId, proof }) {
      // The session is read while the transaction starts; the sign-up is read inside it.
      const session = loadActivity(activityId);
      session.catch(() => {}); // awaited inside the transaction
      const { signUp, points } = await transaction(async (t) => {
        const a = await session;
        return recordAttendance(
          t,
          a,
          caller.openid,
          { checkOutAt: now },
          { actor: caller.openid, now, detail: '签退' },
          (s) => {
            assertConfirmed(s);
            if (s.checkOutAt) return;
            if (!s.checkInAt) throw conflict('请先签到');
            assertWindow(a, now);
            assertProof(a, proof, now);
          },
        );
      });
      return attendanceView(signUp, points);
    },
  },

  myAttendance: {
    roles: 'any',
    async handler({ caller }, { activityId }) {
      await loadActivity(activityId);
      const s = await loadSignUp(activityId, caller.openid);
      return s ? viewOf(s) : null;
    },
  },

  attendance: {
    roles: ['worker', 'admin', 'unitStaff'],
    async handler({ caller }, input) {
      const a = await loadActivity(input.activityId);
      assertRuns(caller, a);
      return queryPage(
        collection('signups').where({ activityId: a._id, status: 'confirmed' }),
        { field: 'createdAt', order: 'asc' },
        input,
        rows,
      );
    },
  },

  grantHours: {
    roles: ['worker', 'admin'],
    async handler({ caller, now }, { activityId, openid, hours, reason }) {
      const a = await loadActivity(activityId);
      assertManagesCommunity(caller, a.communityId);
      const saved = await transaction(async (t) => {
        const id = signUpId(activityId, openid);
        const s = await t.get<SignUp>('signups', id);
        if (!s || s.status === 'cancelled') throw notFound('该志愿者没有报名本场服务');
        if (s.status !== 'confirmed') throw conflict('该志愿者的报名未确认');
        const check = validateGrant(hours, a, reason, s.grantedHours ?? 0);
        if (!check.ok) throw conflict(check.reason);
        await appendHours(t, {
          _id: `grant_${newId()}`,
          openid,
          communityId: a.communityId,
          activityId,
          activityTitle: a.title,
          kind: 'granted',
          category: 'granted',
          hours,
          reason,
          by: caller.openid,
          at: now,
        });
        const grantedHours = Math.round(((s.grantedHours ?? 0) + hours) * 100) / 100;
        await t.update('signups', id, { grantedHours, updatedAt: now });
        await audit(t, {
          at: now,
          actor: caller.openid,
          action: 'hoursGranted',
          subject: openid,
          communityId: a.communityId,
          activityId,
          detail: `授予荣誉时长 ${hours} 小时：${reason}`,
        });
        return { ...s, grantedHours, updatedAt: now };
      });
      return (await rows([saved]))[0]!;
    },
  },

  requestMakeup: {
    roles: 'any',
    async handler({ caller, now }, data) {
      const a = await loadActivity(data.activityId);
      const s = await loadSignUp(a._id, caller.openid);
      if (!s || s.status === 'cancelled') throw forbidden('你没有报名本场服务');
      if (s.status !== 'confirmed') throw conflict('你的报名未确认，不能补卡');
      if (s.checkOutAt) throw conflict('你已签退，时长已记录，无需补卡');
      if (now < a.startAt) throw conflict('服务尚未开始，不能补卡');
      if (
        data.checkInAt < a.startAt - CHECK_IN_OPENS_BEFORE_MS ||
        data.checkOutAt > a.endAt + CHECK_IN_CLOSES_AFTER_MS
      )
        throw invalid('补卡时间须在本场服务的签到时段内', { checkInAt: '补卡时间须在本场服务的签到时段内' });
      if (data.checkOutAt > now)
        throw invalid('签退时间不能晚于现在', { checkOutAt: '签退时间不能晚于现在' });
      const m: MakeupRequest = {
        _id: `mk_${s._id}`,
        openid: caller.openid,
        activityId: a._id,
        communityId: a.communityId,
        checkInAt: data.checkInAt,
        checkOutAt: data.checkOutAt,
        reason: data.reason,
        status: 'pending',
        createdAt: now,
      };
      // One request per sign-up at a time: the id is the sign-up's; a rejected one may be replaced.
      await transaction(async (t) => {
        const existing = await t.get<MakeupRequest>('makeup_requests', m._id);
        if (existing?.status === 'pending') throw conflict('你已提交补卡申请，请等待审核');
        if (existing?.status === 'approved') throw conflict('补卡申请已通过，无需再次申请');
        const { _id, ...doc } = m;
        await t.set('makeup_requests', _id, doc as unknown as Record<string, unknown>);
      });
      return (await makeupViews([m]))[0]!;
    },
  },

  myMakeups: {
    roles: 'any',
    async handler({ caller }, input) {
      return newestPage('makeup_requests', { openid: caller.openid }, input, makeupViews);
    },
  },

  listMakeups: {
    roles: ['worker', 'admin'],
    async handler({ caller }, input) {
      return communityPage(caller, 'makeup_requests', input, makeupViews);
    },
  },

  reviewMakeup: {
    roles: ['worker', 'admin'],
    async handler(ctx, { makeupId, approve, reason }) {
      const { caller, now } = ctx;
      const saved = await decidePending(ctx, {
        collection: 'makeup_requests',
        id: makeupId,
        missing: '没有找到该补卡申请',
        handled: '该补卡申请已处理',
        subject: 'makeup',
        approved: approve,
        reason,
        action: 'makeupReviewed',
        detail: () => (approve ? '补卡通过' : `补卡未通过：${reason ?? ''}`),
        prepare: (before: MakeupRequest) => loadActivity(before.activityId),
        async apply(t, m: MakeupRequest, a) {
          if (approve) {
            const { recorded } = await recordAttendance(
              t,
              a,
              m.openid,
              { checkInAt: m.checkInAt, checkOutAt: m.checkOutAt },
              {
                actor: caller.openid,
                now,
                detail: `补卡通过${reason ? `（${reason}）` : ''}`,
              },
            );
            if (!recorded) throw conflict('该志愿者已签退，时长已记录');
          }
          const patch = {
            status: approve ? ('approved' as const) : ('rejected' as const),
            ...(approve ? {} : { rejectReason: reason }),
            reviewedBy: caller.openid,
            reviewedAt: now,
          };
          await t.update('makeup_requests', makeupId, patch);
          return { ...m, ...patch };
        },
      });
      return (await makeupViews([saved]))[0]!;
    },
  },
};
