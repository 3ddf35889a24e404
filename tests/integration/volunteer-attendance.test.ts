import { createHarness, DAY, HOUR, type Harness } from '../helpers/harness';
import type { AuditEntry, HourEntry, PointsEntry, ServiceAccount, SignUp } from '../../types/domain';
import type { CheckInProof } from '../../types/volunteer';
import {
  addOtherWorker,
  all,
  approvedVolunteer,
  count,
  ID_A,
  ID_B,
  MEMBER,
  OTHER_WORKER,
  PLACE,
  RESIDENT,
  serviceInput,
  UNIT,
  VOLUNTEER,
  WORKER,
} from './volunteer-fixtures';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

const MIN = 60_000;

/** A published session (2 h from +2 days) with `who` signed up and confirmed. */
async function session(over: Record<string, unknown> = {}, who: string[] = [VOLUNTEER], by = WORKER) {
  const d = await h.call(by, 'volunteer', 'publishService', serviceInput(h, over));
  const s = d.sessions[0]!;
  for (const o of who) await h.call(o, 'activity', 'signUp', { activityId: s.activityId });
  return { id: s.activityId, startAt: s.startAt, endAt: s.endAt, serviceId: d._id };
}

async function qr(activityId: string, by = WORKER): Promise<CheckInProof> {
  const c = await h.call(by, 'volunteer', 'checkInCode', { activityId });
  return { method: 'qr', payload: c.qr };
}

async function ledgersMatchAccounts() {
  const accounts = await all<ServiceAccount>(h, 'service_accounts');
  const hours = await all<HourEntry>(h, 'service_hours');
  const points = await all<PointsEntry>(h, 'points_ledger');
  for (const a of accounts) {
    const mine = hours.filter((e) => e.openid === a._id);
    const sum = (k: string) => mine.filter((e) => e.kind === k).reduce((n, e) => n + e.hours, 0);
    expect(a.recordedHours).toBeCloseTo(sum('recorded'), 6);
    expect(a.grantedHours).toBeCloseTo(sum('granted'), 6);
    expect(a.pointsBalance).toBe(points.filter((p) => p.openid === a._id).reduce((n, p) => n + p.points, 0));
  }
  return accounts;
}

describe('check-in and check-out', () => {
  it('QR check-in and check-out record hours and points once, in one go, audited', async () => {
    const s = await session();
    h.clock.set(s.startAt - 2 * HOUR);
    expect(
      await h.fail(VOLUNTEER, 'volunteer', 'checkIn', { activityId: s.id, proof: await qr(s.id) }),
    ).toEqual({
      code: 'CONFLICT',
      message: '签到尚未开始（开始前 1 小时开放）',
    });
    h.clock.set(s.startAt - 10 * MIN);
    const code = await h.call(WORKER, 'volunteer', 'checkInCode', { activityId: s.id });
    expect(code.qr).toMatch(new RegExp(`^tongxin:checkin:${s.id}:\\d+\\.[\\w-]+$`));
    expect(code.code).toMatch(/^\d{6}$/);
    expect(code).toMatchObject({ method: 'qr', windowMs: 60_000 });
    expect(code.validUntil).toBeGreaterThan(h.clock.now);
    expect(code.validUntil - h.clock.now).toBeLessThanOrEqual(60_000);

    const inView = await h.call(VOLUNTEER, 'volunteer', 'checkIn', {
      activityId: s.id,
      proof: { method: 'qr', payload: code.qr },
    });
    expect(inView).toMatchObject({ signUpStatus: 'confirmed', checkInAt: h.clock.now, recordedHours: 0 });
    const firstIn = h.clock.now;
    h.clock.advance(5 * MIN);
    // Twice: unchanged.
    expect(
      (await h.call(VOLUNTEER, 'volunteer', 'checkIn', { activityId: s.id, proof: await qr(s.id) }))
        .checkInAt,
    ).toBe(firstIn);

    h.clock.set(s.endAt + 15 * MIN);
    const out = await h.call(VOLUNTEER, 'volunteer', 'checkOut', { activityId: s.id, proof: await qr(s.id) });
    expect(out).toMatchObject({
      checkInAt: firstIn,
      checkOutAt: h.clock.now,
      recordedHours: 2,
      pointsAwarded: 2,
    });
    const signUpId = `${s.id}_${VOLUNTEER}`;
    expect((await all<HourEntry>(h, 'service_hours'))[0]).toMatchObject({
      _id: `rec_${signUpId}`,
      kind: 'recorded',
      hours: 2,
      activityTitle: '敬老助餐 · 送餐员',
    });
    expect((await all<PointsEntry>(h, 'points_ledger'))[0]).toMatchObject({
      _id: `earn_${signUpId}`,
      kind: 'earned',
      points: 2,
      ref: { type: 'activity', id: s.id },
    });
    expect((await all<AuditEntry>(h, 'audit_log', { action: 'hoursRecorded' }))[0]).toMatchObject({
      subject: VOLUNTEER,
      activityId: s.id,
    });
    // A second check-out changes nothing.
    h.clock.advance(HOUR);
    const again = await h.call(VOLUNTEER, 'volunteer', 'checkOut', {
      activityId: s.id,
      proof: await qr(s.id),
    });
    expect(again.checkOutAt).toBe(out.checkOutAt);
    expect(await count(h, 'service_hours')).toBe(1);
    expect(await count(h, 'points_ledger')).toBe(1);
    const [account] = await ledgersMatchAccounts();
    expect(account).toMatchObject({ recordedHours: 2, pointsBalance: 2, pointsEarned: 2 });
    expect(await h.call(VOLUNTEER, 'volunteer', 'myAttendance', { activityId: s.id })).toMatchObject({
      recordedHours: 2,
      pointsAwarded: 2,
    });
    expect(await h.call(MEMBER, 'volunteer', 'myAttendance', { activityId: s.id })).toBeNull();
  });

  it('parallel double check-out writes one hours entry and one points entry', async () => {
    const s = await session();
    h.clock.set(s.startAt);
    await h.call(VOLUNTEER, 'volunteer', 'checkIn', { activityId: s.id, proof: await qr(s.id) });
    h.clock.set(s.endAt);
    const proof = await qr(s.id);
    const results = await h.interleaved(() =>
      Promise.all(
        [1, 2, 3].map(() =>
          h.rt.call('volunteer', { action: 'checkOut', data: { activityId: s.id, proof } }, VOLUNTEER),
        ),
      ),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(await count(h, 'service_hours')).toBe(1);
    expect(await count(h, 'points_ledger')).toBe(1);
    expect(await count(h, 'audit_log', { action: 'hoursRecorded' })).toBe(1);
    const [account] = await ledgersMatchAccounts();
    expect(account).toMatchObject({ recordedHours: 2, pointsBalance: 2 });
  });

  it('refuses codes from another window or another session, and wrong methods', async () => {
    const a = await session();
    const b = await session();
    h.clock.set(a.startAt - 5 * MIN);
    const old = await h.call(WORKER, 'volunteer', 'checkInCode', { activityId: a.id });
    const ofB = await h.call(WORKER, 'volunteer', 'checkInCode', { activityId: b.id });
    const bad = { code: 'CONFLICT', message: '签到码无效或已过期，请扫描最新的二维码' };
    // Another session's QR, as is and re-labelled with this session's id.
    expect(
      await h.fail(VOLUNTEER, 'volunteer', 'checkIn', {
        activityId: a.id,
        proof: { method: 'qr', payload: ofB.qr },
      }),
    ).toEqual(bad);
    const relabelled = ofB.qr.replace(b.id, a.id);
    expect(
      await h.fail(VOLUNTEER, 'volunteer', 'checkIn', {
        activityId: a.id,
        proof: { method: 'qr', payload: relabelled },
      }),
    ).toEqual(bad);
    expect(
      await h.fail(VOLUNTEER, 'volunteer', 'checkIn', {
        activityId: a.id,
        proof: { method: 'code', code: ofB.code },
      }),
    ).toEqual(bad);
    // The next window: the old code no longer works.
    h.clock.advance(61_000);
    expect(
      await h.fail(VOLUNTEER, 'volunteer', 'checkIn', {
        activityId: a.id,
        proof: { method: 'qr', payload: old.qr },
      }),
    ).toEqual(bad);
    expect(
      await h.fail(VOLUNTEER, 'volunteer', 'checkIn', {
        activityId: a.id,
        proof: { method: 'code', code: old.code },
      }),
    ).toEqual(bad);
    // A forged payload.
    expect(
      await h.fail(VOLUNTEER, 'volunteer', 'checkIn', {
        activityId: a.id,
        proof: { method: 'qr', payload: `tongxin:checkin:${a.id}:1.abc` },
      }),
    ).toEqual(bad);
    expect(
      (
        await h.fail(VOLUNTEER, 'volunteer', 'checkIn', {
          activityId: a.id,
          proof: { method: 'gps', ...PLACE, siteId: undefined },
        })
      ).code,
    ).toBe('INVALID_INPUT');
    expect(
      (
        await h.fail(VOLUNTEER, 'volunteer', 'checkIn', {
          activityId: a.id,
          proof: { method: 'gps', lat: PLACE.lat, lng: PLACE.lng },
        })
      ).code,
    ).toBe('CONFLICT');
    expect(await count(h, 'signups', { checkInAt: h.rt.runtime.db.command.exists(true) })).toBe(0);
    // The current 6-digit code is accepted for a QR session.
    const now = await h.call(WORKER, 'volunteer', 'checkInCode', { activityId: a.id });
    expect(
      (
        await h.call(VOLUNTEER, 'volunteer', 'checkIn', {
          activityId: a.id,
          proof: { method: 'code', code: now.code },
        })
      ).checkInAt,
    ).toBe(h.clock.now);
  });

  it('code-only sessions take the 6-digit code only; GPS sessions need a position within 500 m', async () => {
    const c = await session({ checkInMethod: 'code' });
    const g = await session({ checkInMethod: 'gps' });
    h.clock.set(c.startAt);
    const code = await h.call(WORKER, 'volunteer', 'checkInCode', { activityId: c.id });
    expect(code.method).toBe('code');
    expect(
      (
        await h.fail(VOLUNTEER, 'volunteer', 'checkIn', {
          activityId: c.id,
          proof: { method: 'qr', payload: code.qr },
        })
      ).code,
    ).toBe('CONFLICT');
    await h.call(VOLUNTEER, 'volunteer', 'checkIn', {
      activityId: c.id,
      proof: { method: 'code', code: code.code },
    });

    // ~1.1 km north: refused; ~330 m: accepted.
    const far = await h.fail(VOLUNTEER, 'volunteer', 'checkIn', {
      activityId: g.id,
      proof: { method: 'gps', lat: PLACE.lat + 0.01, lng: PLACE.lng },
    });
    expect(far).toEqual({ code: 'CONFLICT', message: '你不在服务地点附近（500 米内），请到达后再签到' });
    expect(
      (
        await h.fail(VOLUNTEER, 'volunteer', 'checkIn', {
          activityId: g.id,
          proof: { method: 'code', code: code.code },
        })
      ).code,
    ).toBe('CONFLICT');
    const near = await h.call(VOLUNTEER, 'volunteer', 'checkIn', {
      activityId: g.id,
      proof: { method: 'gps', lat: PLACE.lat + 0.003, lng: PLACE.lng },
    });
    expect(near.checkInAt).toBe(h.clock.now);
    h.clock.set(g.endAt);
    expect(
      (
        await h.fail(VOLUNTEER, 'volunteer', 'checkOut', {
          activityId: g.id,
          proof: { method: 'gps', lat: 28.3, lng: 113.1 },
        })
      ).code,
    ).toBe('CONFLICT');
    expect(
      (
        await h.call(VOLUNTEER, 'volunteer', 'checkOut', {
          activityId: g.id,
          proof: { method: 'gps', lat: PLACE.lat, lng: PLACE.lng },
        })
      ).recordedHours,
    ).toBe(2);
  });

  it('only confirmed participants check in; check-out needs a check-in; codes only for those who run the session', async () => {
    await approvedVolunteer(h, RESIDENT, ID_A, '王秀英');
    const s = await session({ review: true, placesPerSession: 1 }, [RESIDENT]);
    h.clock.set(s.startAt);
    const proof = await qr(s.id);
    expect((await h.fail(MEMBER, 'volunteer', 'checkIn', { activityId: s.id, proof })).code).toBe(
      'FORBIDDEN',
    );
    expect(await h.fail(RESIDENT, 'volunteer', 'checkIn', { activityId: s.id, proof })).toEqual({
      code: 'CONFLICT',
      message: '你的报名还在审核中',
    });
    expect((await h.fail(RESIDENT, 'volunteer', 'checkOut', { activityId: s.id, proof })).code).toBe(
      'CONFLICT',
    );
    expect((await h.fail(RESIDENT, 'volunteer', 'checkIn', { activityId: 'nope', proof })).code).toBe(
      'NOT_FOUND',
    );
    await addOtherWorker(h);
    for (const who of [RESIDENT, VOLUNTEER, OTHER_WORKER, UNIT])
      expect((await h.fail(who, 'volunteer', 'checkInCode', { activityId: s.id })).code).toBe('FORBIDDEN');
    // Staff of a host unit may show the code for their unit's session.
    const hosted = await session({}, [], UNIT);
    expect((await h.call(UNIT, 'volunteer', 'checkInCode', { activityId: hosted.id })).activityId).toBe(
      hosted.id,
    );
    expect(await count(h, 'service_hours')).toBe(0);
  });

  it('points follow the community setting; the worker configures it, residents read their own', async () => {
    await addOtherWorker(h);
    expect(await h.call(WORKER, 'volunteer', 'settings', {})).toMatchObject({
      pointsPerHour: 1,
      pointsExpiry: null,
    });
    expect(await h.call(RESIDENT, 'volunteer', 'settings', {})).toMatchObject({
      _id: 'community-xingfuli',
      pointsPerHour: 1,
      pointsExpiry: null,
      updatedBy: '',
    });
    // A worker of another community reads the rules like any resident, without who changed them.
    expect(
      await h.call(OTHER_WORKER, 'volunteer', 'settings', { communityId: 'community-xingfuli' }),
    ).toMatchObject({ _id: 'community-xingfuli', pointsPerHour: 1, updatedBy: '' });
    const cfg = { communityId: 'community-xingfuli', pointsPerHour: 3, pointsExpiry: '12-31' };
    expect((await h.fail(OTHER_WORKER, 'volunteer', 'configure', cfg)).code).toBe('FORBIDDEN');
    expect((await h.fail(VOLUNTEER, 'volunteer', 'configure', cfg)).code).toBe('FORBIDDEN');
    expect((await h.fail(WORKER, 'volunteer', 'configure', { ...cfg, pointsPerHour: 1.5 })).code).toBe(
      'INVALID_INPUT',
    );
    expect(await h.call(WORKER, 'volunteer', 'configure', cfg)).toMatchObject({
      pointsPerHour: 3,
      pointsExpiry: '12-31',
    });
    expect((await h.call(WORKER, 'volunteer', 'settings', {})).pointsPerHour).toBe(3);
    expect(await h.call(VOLUNTEER, 'volunteer', 'settings', {})).toMatchObject({
      pointsPerHour: 3,
      pointsExpiry: '12-31',
      updatedBy: '',
    });
    const s = await session({ hoursPerSession: 1.5 });
    h.clock.set(s.startAt - 30 * MIN);
    await h.call(VOLUNTEER, 'volunteer', 'checkIn', { activityId: s.id, proof: await qr(s.id) });
    h.clock.set(s.endAt);
    const out = await h.call(VOLUNTEER, 'volunteer', 'checkOut', { activityId: s.id, proof: await qr(s.id) });
    expect([out.recordedHours, out.pointsAwarded]).toEqual([1.5, 4]);
    await ledgersMatchAccounts();
  });
});

describe('granted hours and 补卡', () => {
  it('grants honour hours within the session length, never points; worker of the community only', async () => {
    const s = await session();
    await addOtherWorker(h);
    const grant = { activityId: s.id, openid: VOLUNTEER, hours: 1.5, reason: '提前到场布置' };
    for (const who of [RESIDENT, UNIT, OTHER_WORKER, VOLUNTEER])
      expect((await h.fail(who, 'volunteer', 'grantHours', grant)).code).toBe('FORBIDDEN');
    expect((await h.fail(WORKER, 'volunteer', 'grantHours', { ...grant, openid: MEMBER })).code).toBe(
      'NOT_FOUND',
    );
    const row = await h.call(WORKER, 'volunteer', 'grantHours', grant);
    expect(row).toMatchObject({ openid: VOLUNTEER, grantedHours: 1.5, recordedHours: 0, pointsAwarded: 0 });
    expect(await h.fail(WORKER, 'volunteer', 'grantHours', { ...grant, hours: 1 })).toEqual({
      code: 'CONFLICT',
      message: '授予时长合计不得超过活动时长 2 小时（已授予 1.5 小时）',
    });
    expect((await h.fail(WORKER, 'volunteer', 'grantHours', { ...grant, hours: 0.3 })).code).toBe('CONFLICT');
    expect(await count(h, 'service_hours', { kind: 'granted' })).toBe(1);
    expect(await count(h, 'points_ledger')).toBe(0);
    expect(await count(h, 'audit_log', { action: 'hoursGranted' })).toBe(1);
    const [account] = await ledgersMatchAccounts();
    expect(account).toMatchObject({ grantedHours: 1.5, recordedHours: 0, pointsBalance: 0 });
    const list = await h.call(WORKER, 'volunteer', 'attendance', { activityId: s.id });
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({ nickName: '张晓雨', grantedHours: 1.5 });
    expect((await h.fail(OTHER_WORKER, 'volunteer', 'attendance', { activityId: s.id })).code).toBe(
      'FORBIDDEN',
    );
  });

  it('补卡: one pending request per sign-up, times within the session; approval records hours and points', async () => {
    await approvedVolunteer(h, RESIDENT, ID_A, '王秀英');
    await approvedVolunteer(h, MEMBER, ID_B, '李建国');
    const s = await session({}, [VOLUNTEER, RESIDENT, MEMBER]);
    const req = { activityId: s.id, checkInAt: s.startAt, checkOutAt: s.endAt, reason: '手机没电未能签到' };
    expect((await h.fail(VOLUNTEER, 'volunteer', 'requestMakeup', req)).code).toBe('CONFLICT'); // not started
    h.clock.set(s.endAt + HOUR);
    expect((await h.fail(UNIT, 'volunteer', 'requestMakeup', req)).code).toBe('FORBIDDEN');
    expect(
      (await h.fail(VOLUNTEER, 'volunteer', 'requestMakeup', { ...req, checkInAt: s.startAt - 3 * HOUR }))
        .code,
    ).toBe('INVALID_INPUT');
    expect(
      (await h.fail(VOLUNTEER, 'volunteer', 'requestMakeup', { ...req, checkOutAt: s.startAt - HOUR })).code,
    ).toBe('INVALID_INPUT');
    const m = await h.call(VOLUNTEER, 'volunteer', 'requestMakeup', req);
    expect(m).toMatchObject({ status: 'pending', activityTitle: '敬老助餐 · 送餐员' });
    expect((await h.fail(VOLUNTEER, 'volunteer', 'requestMakeup', req)).code).toBe('CONFLICT');
    const m2 = await h.call(RESIDENT, 'volunteer', 'requestMakeup', { ...req, checkInAt: s.startAt + HOUR });
    expect((await h.call(VOLUNTEER, 'volunteer', 'myMakeups', {})).items.map((x) => x._id)).toEqual([m._id]);

    await addOtherWorker(h);
    expect(
      (await h.fail(OTHER_WORKER, 'volunteer', 'listMakeups', { communityId: 'community-xingfuli' })).code,
    ).toBe('FORBIDDEN');
    expect((await h.call(OTHER_WORKER, 'volunteer', 'listMakeups', {})).total).toBe(0);
    expect((await h.call(WORKER, 'volunteer', 'listMakeups', { status: 'pending' })).total).toBe(2);
    for (const who of [RESIDENT, UNIT, OTHER_WORKER])
      expect((await h.fail(who, 'volunteer', 'reviewMakeup', { makeupId: m._id, approve: true })).code).toBe(
        'FORBIDDEN',
      );

    const ok = await h.call(WORKER, 'volunteer', 'reviewMakeup', { makeupId: m._id, approve: true });
    expect(ok.status).toBe('approved');
    expect(await h.call(VOLUNTEER, 'volunteer', 'myAttendance', { activityId: s.id })).toMatchObject({
      checkInAt: s.startAt,
      checkOutAt: s.endAt,
      recordedHours: 2,
      pointsAwarded: 2,
    });
    expect((await h.fail(WORKER, 'volunteer', 'reviewMakeup', { makeupId: m._id, approve: true })).code).toBe(
      'CONFLICT',
    );
    expect((await h.fail(VOLUNTEER, 'volunteer', 'requestMakeup', req)).code).toBe('CONFLICT'); // already recorded
    const no = await h.call(WORKER, 'volunteer', 'reviewMakeup', {
      makeupId: m2._id,
      approve: false,
      reason: '现场未见到本人',
    });
    expect(no).toMatchObject({ status: 'rejected', rejectReason: '现场未见到本人' });
    expect(await count(h, 'service_hours', { openid: RESIDENT })).toBe(0);
    // After a rejection a new request may be made.
    expect((await h.call(RESIDENT, 'volunteer', 'requestMakeup', req)).status).toBe('pending');

    // A volunteer who checked out meanwhile cannot get a second record through 补卡.
    const m3 = await h.call(MEMBER, 'volunteer', 'requestMakeup', req);
    h.clock.set(s.endAt + 2 * HOUR);
    await h.call(MEMBER, 'volunteer', 'checkIn', { activityId: s.id, proof: await qr(s.id) });
    const late = await h.call(MEMBER, 'volunteer', 'checkOut', { activityId: s.id, proof: await qr(s.id) });
    expect(late.recordedHours).toBe(0); // no overlap with the session
    expect(await h.fail(WORKER, 'volunteer', 'reviewMakeup', { makeupId: m3._id, approve: true })).toEqual({
      code: 'CONFLICT',
      message: '该志愿者已签退，时长已记录',
    });
    expect((await all<{ status: string }>(h, 'makeup_requests', { _id: m3._id }))[0]!.status).toBe('pending');
    expect(await count(h, 'service_hours', { openid: MEMBER })).toBe(0);
    // Check-in closes a day after the end.
    h.clock.set(s.endAt + DAY);
    expect(
      await h.fail(RESIDENT, 'volunteer', 'checkIn', { activityId: s.id, proof: await qr(s.id) }),
    ).toEqual({
      code: 'CONFLICT',
      message: '签到已截止（服务结束后 1 天内可签到）',
    });

    const titles = (
      await all<{ openid: string; title: string }>(h, 'messages', { kind: 'volunteerReviewed' })
    )
      .filter((x) => x.title.startsWith('补卡'))
      .map((x) => [x.openid, x.title]);
    expect(titles).toEqual(
      expect.arrayContaining([
        [VOLUNTEER, '补卡申请已通过'],
        [RESIDENT, '补卡申请未通过'],
      ]),
    );
    expect(await count(h, 'audit_log', { action: 'makeupReviewed' })).toBeGreaterThanOrEqual(2);
    await ledgersMatchAccounts();
    const su = (await all<SignUp>(h, 'signups', { activityId: s.id, openid: VOLUNTEER }))[0]!;
    expect(su.recordedHours).toBe(2);
  });
});
