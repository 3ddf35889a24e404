import { createHarness, DAY, HOUR, type Harness } from '../helpers/harness';
import type { Activity, ServiceListing, SignUp } from '../../types/domain';
import {
  ADMIN,
  addOtherWorker,
  addUser,
  all,
  approvedVolunteer,
  count,
  HP,
  ID_A,
  ID_B,
  ID_C,
  MEMBER,
  OTHER_WORKER,
  RESIDENT,
  serviceInput,
  UNIT,
  VOLUNTEER,
  WORKER,
  XFL,
} from './volunteer-fixtures';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

describe('service listings', () => {
  it('publishes a listing with one activity per session, built with the activity rules', async () => {
    const d = await h.call(
      WORKER,
      'volunteer',
      'publishService',
      serviceInput(h, { repeat: { every: 'week', count: 3 }, signUpClosesBeforeMinutes: 120, review: true }),
    );
    expect(d).toMatchObject({
      communityId: XFL,
      communityName: '幸福里社区',
      title: '敬老助餐',
      post: '送餐员',
      status: 'published',
      canManage: true,
      review: true,
    });
    expect(d).not.toHaveProperty('sessionIds');
    expect(d.sessions.map((s) => s.sessionNo)).toEqual([1, 2, 3]);
    expect(d.sessions[1]!.startAt - d.sessions[0]!.startAt).toBe(7 * DAY);
    expect(d.sessions.every((s) => s.phase === 'open' && s.capacity === 3)).toBe(true);
    const acts = await all<Activity>(h, 'activities', { serviceId: d._id });
    expect(acts).toHaveLength(3);
    const first = acts.find((a) => a.sessionNo === 1)!;
    expect(first).toMatchObject({
      type: 'volunteer',
      audience: 'volunteers',
      capacity: 3,
      hours: 2,
      checkInMethod: 'qr',
      cancelPolicy: 'untilStart',
      title: '敬老助餐 · 送餐员',
      post: '送餐员',
      signUpReview: true,
      signUpStartAt: h.clock.now,
      signUpEndAt: first.startAt - 2 * HOUR,
      status: 'published',
    });
    expect(d.lastSessionEndAt).toBe(Math.max(...acts.map((a) => a.endAt)));
    // They are ordinary activities: activity.detail works.
    expect((await h.call(VOLUNTEER, 'activity', 'detail', { activityId: first._id })).title).toBe(
      '敬老助餐 · 送餐员',
    );
  });

  it('unit staff publish for an allied community and co-host; others are refused; bad timing changes nothing', async () => {
    const d = await h.call(UNIT, 'volunteer', 'publishService', serviceInput(h));
    expect(d.hostUnits).toEqual([{ _id: 'unit-hospital', name: '区人民医院' }]);
    expect(d.canManage).toBe(true);
    await addOtherWorker(h);
    await addUser(h, 'school-staff', [{ role: 'unitStaff', unitId: 'unit-school' }]);
    const before = await count(h, 'activities');
    for (const who of [OTHER_WORKER, 'school-staff'])
      expect((await h.fail(who, 'volunteer', 'publishService', serviceInput(h))).code).toBe('FORBIDDEN');
    for (const who of [RESIDENT, VOLUNTEER, MEMBER])
      expect((await h.fail(who, 'volunteer', 'publishService', serviceInput(h))).code).toBe('FORBIDDEN');
    const past = await h.fail(
      WORKER,
      'volunteer',
      'publishService',
      serviceInput(h, { startAt: h.clock.now - HOUR, endAt: h.clock.now + HOUR }),
    );
    expect(past.code).toBe('INVALID_INPUT');
    expect(past.fields?.startAt).toBe('开始时间须晚于现在');
    const closes = await h.fail(
      WORKER,
      'volunteer',
      'publishService',
      serviceInput(h, { signUpClosesBeforeMinutes: 3 * 24 * 60 }),
    );
    expect(closes.code).toBe('INVALID_INPUT');
    expect(
      (await h.fail(WORKER, 'volunteer', 'publishService', serviceInput(h, { hostUnitIds: ['unit-none'] })))
        .code,
    ).toBe('NOT_FOUND');
    expect(
      (await h.fail(WORKER, 'volunteer', 'publishService', serviceInput(h, { category: '其它' }))).code,
    ).toBe('INVALID_INPUT');
    expect(await count(h, 'activities')).toBe(before);
    expect(await count(h, 'services')).toBe(1);
    // The admin may publish anywhere.
    expect(
      (await h.call(ADMIN, 'volunteer', 'publishService', serviceInput(h, { communityId: HP }))).communityId,
    ).toBe(HP);
  });

  it('lists open listings by category, day and distance, soonest first, paged', async () => {
    const now = h.clock.now;
    const a = await h.call(
      WORKER,
      'volunteer',
      'publishService',
      serviceInput(h, { startAt: now + 3 * DAY, endAt: now + 3 * DAY + HOUR }),
    );
    const b = await h.call(
      WORKER,
      'volunteer',
      'publishService',
      serviceInput(h, {
        category: '环境保护',
        title: '河道清洁',
        post: '巡河员',
        startAt: now + DAY,
        endAt: now + DAY + HOUR,
        place: { name: '湘江风光带', lat: 28.21, lng: 112.99 },
      }),
    );
    const c = await h.call(
      WORKER,
      'volunteer',
      'publishService',
      serviceInput(h, { startAt: now + 2 * HOUR, endAt: now + 3 * HOUR }),
    );
    await h.call(ADMIN, 'volunteer', 'publishService', serviceInput(h, { communityId: HP }));
    await h.call(WORKER, 'volunteer', 'closeService', { serviceId: c._id });

    const list = await h.call(RESIDENT, 'volunteer', 'listServices', {});
    expect(list.items.map((s) => s._id)).toEqual([b._id, a._id]); // c closed; heping not in scope
    expect(list.items[0]).toMatchObject({
      category: '环境保护',
      placeName: '湘江风光带',
      sessionCount: 1,
      openSessions: 1,
    });
    expect(list.items[0]).not.toHaveProperty('distanceMeters');
    const env = await h.call(RESIDENT, 'volunteer', 'listServices', { category: '环境保护' });
    expect(env.items.map((s) => s._id)).toEqual([b._id]);
    const day = new Date(now + 3 * DAY + 8 * HOUR).toISOString().slice(0, 10); // Asia/Shanghai date
    expect(
      (await h.call(RESIDENT, 'volunteer', 'listServices', { date: day })).items.map((s) => s._id),
    ).toEqual([a._id]);
    const near = await h.call(RESIDENT, 'volunteer', 'listServices', {
      near: { lat: 28.1941, lng: 112.9823 },
      sort: 'distance',
    });
    expect(near.items.map((s) => s._id)).toEqual([a._id, b._id]);
    expect(near.items[0]!.distanceMeters).toBe(0);
    expect(near.items[1]!.distanceMeters).toBeGreaterThan(1000);
    expect((await h.fail(RESIDENT, 'volunteer', 'listServices', { sort: 'distance' })).fields).toHaveProperty(
      'near',
    );
    const p1 = await h.call(RESIDENT, 'volunteer', 'listServices', { pageSize: 1 });
    const p2 = await h.call(RESIDENT, 'volunteer', 'listServices', { pageSize: 1, cursor: p1.nextCursor });
    expect([p1.total, p1.items[0]!._id, p2.items[0]!._id, p2.nextCursor]).toEqual([
      2,
      b._id,
      a._id,
      undefined,
    ]);
    // Ended listings drop out.
    h.clock.advance(2 * DAY);
    expect((await h.call(RESIDENT, 'volunteer', 'listServices', {})).items.map((s) => s._id)).toEqual([
      a._id,
    ]);
  });

  it('detail shows the caller sign-up per session; close is for managers and keeps sessions', async () => {
    const d = await h.call(
      WORKER,
      'volunteer',
      'publishService',
      serviceInput(h, { repeat: { every: 'day', count: 2 } }),
    );
    const s1 = d.sessions[0]!.activityId;
    expect((await h.fail(RESIDENT, 'activity', 'signUp', { activityId: s1 })).message).toBe(
      '本活动仅限注册志愿者报名',
    );
    await h.call(VOLUNTEER, 'activity', 'signUp', { activityId: s1 });
    const seen = await h.call(VOLUNTEER, 'volunteer', 'serviceDetail', { serviceId: d._id });
    expect(seen.sessions.map((s) => s.mySignUp)).toEqual(['confirmed', undefined]);
    expect(seen.sessions[0]!.confirmedCount).toBe(1);
    expect(seen.canManage).toBe(false);
    expect((await h.fail(VOLUNTEER, 'volunteer', 'serviceDetail', { serviceId: 'nope' })).code).toBe(
      'NOT_FOUND',
    );
    await addOtherWorker(h);
    for (const who of [RESIDENT, VOLUNTEER, OTHER_WORKER])
      expect((await h.fail(who, 'volunteer', 'closeService', { serviceId: d._id })).code).toBe('FORBIDDEN');
    const closed = await h.call(WORKER, 'volunteer', 'closeService', { serviceId: d._id });
    expect(closed.status).toBe('closed');
    expect(closed.sessions).toHaveLength(2);
    expect((await h.fail(WORKER, 'volunteer', 'closeService', { serviceId: d._id })).code).toBe('CONFLICT');
    expect(await count(h, 'activities', { serviceId: d._id, status: 'published' })).toBe(2);
    expect((await all<ServiceListing>(h, 'services'))[0]!.status).toBe('closed');
  });
});

describe('sign-up review (sessions with review)', () => {
  async function reviewedSession(places = 1) {
    const d = await h.call(
      WORKER,
      'volunteer',
      'publishService',
      serviceInput(h, { review: true, placesPerSession: places }),
    );
    return d.sessions[0]!.activityId;
  }

  it('applications wait as pending (no place, no waitlist); approve places them, reject with reason', async () => {
    await approvedVolunteer(h, RESIDENT, ID_A, '王秀英');
    await approvedVolunteer(h, MEMBER, ID_B, '李建国');
    await approvedVolunteer(h, 'vol-3', ID_C, '赵六');
    const id = await reviewedSession(1);
    const r = await h.call(RESIDENT, 'activity', 'signUp', { activityId: id });
    expect(r).toMatchObject({ status: 'pending', confirmedCount: 0, alreadySignedUp: false });
    // The detail page offers withdrawing, not signing up again.
    expect(await h.call(RESIDENT, 'activity', 'detail', { activityId: id })).toMatchObject({
      mySignUp: 'pending',
      canSignUp: { ok: false, reason: '你已报名' },
      canCancel: { ok: true },
    });
    expect((await h.call(RESIDENT, 'activity', 'signUp', { activityId: id })).alreadySignedUp).toBe(true);
    await h.call(MEMBER, 'activity', 'signUp', { activityId: id });
    await h.call('vol-3', 'activity', 'signUp', { activityId: id });
    let a = (await all<Activity>(h, 'activities', { _id: id }))[0]!;
    expect([a.confirmedCount, a.waitlist]).toEqual([0, []]);
    const pending = await h.call(WORKER, 'activity', 'participants', { activityId: id, status: 'pending' });
    expect(pending.total).toBe(3);

    await addOtherWorker(h);
    for (const who of [RESIDENT, UNIT, OTHER_WORKER])
      expect(
        (await h.fail(who, 'activity', 'reviewSignUp', { activityId: id, openid: RESIDENT, approve: true }))
          .code,
      ).toBe('FORBIDDEN');
    expect(
      (await h.fail(WORKER, 'activity', 'reviewSignUp', { activityId: id, openid: RESIDENT, approve: false }))
        .fields,
    ).toEqual({ reason: '请填写不通过的理由' });

    const ok = await h.call(WORKER, 'activity', 'reviewSignUp', {
      activityId: id,
      openid: RESIDENT,
      approve: true,
    });
    expect(ok).toMatchObject({ openid: RESIDENT, status: 'confirmed' });
    const wl = await h.call(WORKER, 'activity', 'reviewSignUp', {
      activityId: id,
      openid: MEMBER,
      approve: true,
    });
    expect(wl).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    const no = await h.call(WORKER, 'activity', 'reviewSignUp', {
      activityId: id,
      openid: 'vol-3',
      approve: false,
      reason: '本岗位需要急救证书',
    });
    expect(no.status).toBe('rejected');
    expect(
      (await h.fail(WORKER, 'activity', 'reviewSignUp', { activityId: id, openid: RESIDENT, approve: true }))
        .code,
    ).toBe('CONFLICT');
    a = (await all<Activity>(h, 'activities', { _id: id }))[0]!;
    expect([a.confirmedCount, a.waitlist]).toEqual([1, [MEMBER]]);
    const rejected = (await all<SignUp>(h, 'signups', { activityId: id, openid: 'vol-3' }))[0]!;
    expect(rejected).toMatchObject({ status: 'rejected', rejectReason: '本岗位需要急救证书' });
    expect(await h.call('vol-3', 'activity', 'detail', { activityId: id })).toMatchObject({
      mySignUp: 'rejected',
      canSignUp: { ok: false, reason: '报名未通过审核' },
      canCancel: { ok: false },
    });
    const msgs = await all<{ openid: string; title: string }>(h, 'messages', { kind: 'signUpReviewed' });
    expect(Object.fromEntries(msgs.map((m) => [m.openid, m.title]))).toEqual({
      [RESIDENT]: '报名审核通过',
      [MEMBER]: '报名候补中',
      'vol-3': '报名未通过',
    });
    expect(msgs).toHaveLength(3);
    // Cancelling the confirmed place promotes the approved waitlisted volunteer.
    await h.call(RESIDENT, 'activity', 'cancelSignUp', { activityId: id });
    expect((await all<SignUp>(h, 'signups', { activityId: id, openid: MEMBER }))[0]!.status).toBe(
      'confirmed',
    );
  });

  it('a pending applicant may withdraw; a missing or decided sign-up cannot be reviewed', async () => {
    await approvedVolunteer(h, RESIDENT, ID_A, '王秀英');
    const id = await reviewedSession(2);
    await h.call(RESIDENT, 'activity', 'signUp', { activityId: id });
    expect((await h.call(RESIDENT, 'activity', 'cancelSignUp', { activityId: id })).status).toBe('cancelled');
    expect(
      (await h.fail(WORKER, 'activity', 'reviewSignUp', { activityId: id, openid: RESIDENT, approve: true }))
        .code,
    ).toBe('CONFLICT');
    expect(
      (await h.fail(WORKER, 'activity', 'reviewSignUp', { activityId: id, openid: MEMBER, approve: true }))
        .code,
    ).toBe('NOT_FOUND');
    const a = (await all<Activity>(h, 'activities', { _id: id }))[0]!;
    expect([a.confirmedCount, a.waitlist]).toEqual([0, []]);
    // Re-applying after withdrawing is pending again.
    expect((await h.call(RESIDENT, 'activity', 'signUp', { activityId: id })).status).toBe('pending');
    // Not after the start.
    h.clock.advance(3 * DAY);
    expect(
      (await h.fail(WORKER, 'activity', 'reviewSignUp', { activityId: id, openid: RESIDENT, approve: true }))
        .code,
    ).toBe('CONFLICT');
  });
});

describe('pending applicants hear about changes', () => {
  it('a cancelled session notifies pending applicants too', async () => {
    const d = await h.call(WORKER, 'volunteer', 'publishService', serviceInput(h, { review: true }));
    const id = d.sessions[0]!.activityId;
    await h.call(VOLUNTEER, 'activity', 'signUp', { activityId: id });
    await h.call(WORKER, 'activity', 'cancelActivity', { activityId: id, reason: '天气原因取消' });
    expect(await count(h, 'messages', { kind: 'activityChanged', openid: VOLUNTEER })).toBe(1);
  });
});
