/**
 * Dashboards (issue 14 item 1): figures equal a direct count over the same documents, after a mix
 * made through the handlers (sign-ups, waitlist promotion, review, check-in/out, grants, redeem and
 * cancel, grievances); interleaved sign-ups keep the sharded counters exact; budgets.
 */
import { transaction } from '../../cloudfunctions/core/db';
import { HOUR_SOURCES, monthKey } from '../../cloudfunctions/domain/dashboard-tally';
import { appendHours } from '../../cloudfunctions/volunteer/ledgers';
import type { Activity, SignUp } from '../../types/domain';
import type { HourEntry, HourSource } from '../../types/volunteer';
import type { PointsEntry } from '../../types/points';
import { activityInput, createHarness, DAY, HOUR, type Harness } from '../helpers/harness';
import { addUser, all, ADMIN, MEMBER, RESIDENT, VOLUNTEER, WORKER, XFL } from './volunteer-fixtures';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

const periodOf = (at: number) => {
  const m = monthKey(at);
  return { kind: 'month' as const, year: Number(m.slice(0, 4)), index: Number(m.slice(4)) };
};

async function direct(month: string) {
  const [signUps, activities, hours, points] = await Promise.all([
    all<SignUp>(h, 'signups', { communityId: XFL }),
    all<Activity>(h, 'activities', { communityId: XFL }),
    all<HourEntry>(h, 'service_hours', { communityId: XFL }),
    all<PointsEntry>(h, 'points_ledger', { communityId: XFL }),
  ]);
  const inMonth = signUps.filter((s) => monthKey(s.startAt) === month);
  const confirmed = inMonth.filter((s) => s.status === 'confirmed');
  const typeOf = new Map(activities.map((a) => [a._id, a.type]));
  const h2 = hours.filter((e) => monthKey(e.at) === month);
  const p2 = points.filter((e) => monthKey(e.at) === month);
  return {
    signUps: confirmed.length,
    attended: confirmed.filter((s) => s.checkInAt !== undefined).length,
    meeting: confirmed.filter((s) => typeOf.get(s.activityId) === 'meeting').length,
    recordedHours: h2.filter((e) => e.kind === 'recorded').reduce((n, e) => n + e.hours, 0),
    grantedHours: h2.filter((e) => e.kind === 'granted').reduce((n, e) => n + e.hours, 0),
    active: new Set(h2.map((e) => e.openid)).size,
    earned: p2.filter((e) => e.kind === 'earned').reduce((n, e) => n + e.points, 0),
  };
}

it('dashboard figures equal a direct count over the same data', async () => {
  const now = h.clock.now;
  for (const o of ['d-1', 'd-2', 'd-3']) await addUser(h, o, [{ role: 'resident' }]);
  const meeting = await h.call(
    WORKER,
    'activity',
    'publish',
    activityInput(now, { type: 'meeting', capacity: 2 }) as never,
  );
  for (const o of [RESIDENT, MEMBER, 'd-1', 'd-2'])
    await h.call(o, 'activity', 'signUp', { activityId: meeting._id });
  await h.call(RESIDENT, 'activity', 'cancelSignUp', { activityId: meeting._id }); // promotes d-1
  const vol = await h.call(
    WORKER,
    'activity',
    'publish',
    activityInput(now, { type: 'volunteer', capacity: 5, hours: 2 }) as never,
  );
  for (const o of [VOLUNTEER, 'd-3']) await h.call(o, 'activity', 'signUp', { activityId: vol._id });
  // Check in and out (QR), a grant.
  h.clock.set(vol.startAt);
  const code = await h.call(WORKER, 'volunteer', 'checkInCode', { activityId: vol._id });
  const proof = { method: 'qr' as const, payload: code.qr };
  await h.call(VOLUNTEER, 'volunteer', 'checkIn', { activityId: vol._id, proof });
  await h.call('d-3', 'volunteer', 'checkIn', { activityId: vol._id, proof });
  h.clock.set(vol.endAt);
  const code2 = await h.call(WORKER, 'volunteer', 'checkInCode', { activityId: vol._id });
  await h.call(VOLUNTEER, 'volunteer', 'checkOut', {
    activityId: vol._id,
    proof: { method: 'qr', payload: code2.qr },
  });
  await h.call(WORKER, 'volunteer', 'grantHours', {
    activityId: vol._id,
    openid: 'd-3',
    hours: 1,
    reason: '布置场地',
  });

  const month = monthKey(vol.startAt);
  const d = await direct(month);
  const dash = await h.call(WORKER, 'report', 'dashboard', { period: periodOf(vol.startAt) });
  const row = dash.participation.find((r) => r.month === month)!;
  expect(row.signUps).toBe(d.signUps);
  expect(row.attended).toBe(d.attended);
  expect(row.byType.meeting.signUps).toBe(d.meeting);
  expect(d.meeting).toBe(2);
  expect(d.attended).toBeGreaterThanOrEqual(2);
  const svc = dash.service.find((r) => r.month === month)!;
  expect(svc.recordedHours).toBeCloseTo(d.recordedHours, 6);
  expect(svc.grantedHours).toBeCloseTo(d.grantedHours, 6);
  expect(svc.activeVolunteers).toBe(d.active);
  expect(svc.pointsIn.earned).toBe(d.earned);
  expect(dash.headline.signUps).toBe(d.signUps);
  expect(dash.headline.grievancesReceived).toBe(dash.grievances.reduce((n, g) => n + g.received, 0));

  // The street view shows the same headline for the community.
  const street = await h.call(ADMIN, 'report', 'streetDashboard', { period: periodOf(vol.startAt) });
  expect(street.communities.find((c) => c.communityId === XFL)!.headline).toEqual(dash.headline);
  expect(street.communities.length).toBeGreaterThan(1);
});

it('hours by source equal a direct sum over service_hours: two activity types, a 微心愿, a grant, an old entry', async () => {
  const now = h.clock.now;
  for (const o of ['src-1', 'src-2']) await addUser(h, o, [{ role: 'resident' }]);
  const vol = await h.call(
    WORKER,
    'activity',
    'publish',
    activityInput(now, { type: 'volunteer', capacity: 5, hours: 2 }) as never,
  );
  const meeting = await h.call(
    WORKER,
    'activity',
    'publish',
    activityInput(now, { type: 'meeting', title: '测试活动 · 居民议事会', capacity: 5, hours: 1.5 }) as never,
  );
  for (const o of [VOLUNTEER, 'src-1']) await h.call(o, 'activity', 'signUp', { activityId: vol._id });
  await h.call('src-2', 'activity', 'signUp', { activityId: meeting._id });
  // Everyone checks in at the start and out at the end (QR).
  const qr = async (activityId: string) => ({
    method: 'qr' as const,
    payload: (await h.call(WORKER, 'volunteer', 'checkInCode', { activityId })).qr,
  });
  h.clock.set(vol.startAt);
  for (const o of [VOLUNTEER, 'src-1'])
    await h.call(o, 'volunteer', 'checkIn', { activityId: vol._id, proof: await qr(vol._id) });
  await h.call('src-2', 'volunteer', 'checkIn', { activityId: meeting._id, proof: await qr(meeting._id) });
  h.clock.set(vol.endAt);
  for (const o of [VOLUNTEER, 'src-1'])
    await h.call(o, 'volunteer', 'checkOut', { activityId: vol._id, proof: await qr(vol._id) });
  await h.call('src-2', 'volunteer', 'checkOut', { activityId: meeting._id, proof: await qr(meeting._id) });
  // A worker grants hours by hand.
  await h.call(WORKER, 'volunteer', 'grantHours', {
    activityId: meeting._id,
    openid: 'src-2',
    hours: 0.5,
    reason: '会前布置会场',
  });
  // A 微心愿 taken by a volunteer, done and confirmed: hours recorded on confirmation.
  await h.call(WORKER, 'service', 'settings', { communityId: XFL, trustedCategories: ['errands'] });
  const wish = await h.call(RESIDENT, 'service', 'submit', {
    communityId: XFL,
    category: 'errands',
    text: '家里老人腿脚不便，想请人帮忙去超市买米和油送上楼',
    startAt: h.clock.now + HOUR,
    durationHours: 2,
    place: { area: '幸福里小区 3 栋', address: '幸福里 3 栋 2 单元 501 室', lat: 28.19, lng: 112.98 },
  } as never);
  await h.call(VOLUNTEER, 'service', 'take', { requestId: wish._id });
  h.clock.advance(2 * HOUR);
  await h.call(VOLUNTEER, 'service', 'complete', { requestId: wish._id, note: '米和油已送到家', hours: 1.5 });
  await h.call(RESIDENT, 'service', 'confirm', { requestId: wish._id });
  // An entry written without a category (as before entries carried one) is never guessed.
  await transaction((t) =>
    appendHours(t, {
      _id: 'old_entry_src-1',
      openid: 'src-1',
      communityId: XFL,
      activityId: 'act-old',
      activityTitle: '旧记录',
      kind: 'recorded',
      hours: 0.25,
      by: 'src-1',
      at: h.clock.now,
    }),
  );
  expect(monthKey(h.clock.now)).toBe(monthKey(vol.startAt));
  expect(h.clock.now - now).toBeLessThan(5 * DAY);

  const month = monthKey(vol.startAt);
  const entries = (await all<HourEntry>(h, 'service_hours', { communityId: XFL })).filter(
    (e) => monthKey(e.at) === month,
  );
  const direct = Object.fromEntries(HOUR_SOURCES.map((k) => [k, 0])) as Record<HourSource, number>;
  for (const e of entries) direct[e.category ?? 'other'] += e.hours;
  // Every source of the scenario is there.
  expect(direct.volunteer).toBeGreaterThan(0);
  expect(direct.meeting).toBeGreaterThan(0);
  expect(direct.service).toBeGreaterThan(0);
  expect(direct.granted).toBe(0.5);
  expect(direct.other).toBe(0.25);
  const period = periodOf(vol.startAt);
  const dash = await h.call(WORKER, 'report', 'dashboard', { period });
  const svc = dash.service.find((r) => r.month === month)!;
  for (const k of HOUR_SOURCES)
    expect([k, svc.hoursByCategory[k]]).toEqual([k, expect.closeTo(direct[k], 6)]);
  // The sources add up to the month's hours, and the headline is the period's sum.
  const total = HOUR_SOURCES.reduce((n, k) => n + svc.hoursByCategory[k], 0);
  expect(total).toBeCloseTo(svc.recordedHours + svc.grantedHours, 6);
  expect(dash.headline.hoursByCategory).toEqual(svc.hoursByCategory);
  const street = await h.call(ADMIN, 'report', 'streetDashboard', { period });
  const mine = street.communities.find((c) => c.communityId === XFL)!;
  expect(mine.hours).toEqual([{ month, byCategory: svc.hoursByCategory }]);
  expect(mine.headline.hoursByCategory).toEqual(svc.hoursByCategory);
});

it('grievance 三率 by category: received per category equals a direct count, with the names', async () => {
  const now = h.clock.now;
  const texts = [
    '楼道灯坏了好几天晚上看不清',
    '小区门口垃圾堆放气味很大',
    '单元门禁损坏陌生人进出',
    '垃圾桶满了好几天没有人来清理',
  ];
  const categories = ['repairs', 'sanitation', 'repairs', 'sanitation'];
  for (let i = 0; i < texts.length; i++) {
    const who = `cat-${i}`;
    await addUser(h, who, [{ role: 'resident' }]);
    const g = await h.call(who, 'grievance', 'submit', {
      communityId: XFL,
      category: categories[i]!,
      text: texts[i]!,
    });
    if (i < 3) await h.call(WORKER, 'grievance', 'accept', { grievanceId: g._id });
  }
  const dash = await h.call(WORKER, 'report', 'dashboard', { period: periodOf(now) });
  const month = monthKey(now);
  const stored = (
    await all<{ category: string; createdAt: number }>(h, 'grievances', { communityId: XFL })
  ).filter((g) => monthKey(g.createdAt) === month);
  const count = (c: string) => stored.filter((g) => g.category === c).length;
  expect(dash.grievanceByCategory.map((c) => [c.category, c.name, c.received])).toEqual(
    expect.arrayContaining([
      ['repairs', '设施报修', count('repairs')],
      ['sanitation', '环境卫生', count('sanitation')],
    ]),
  );
  expect(count('repairs')).toBeGreaterThanOrEqual(2);
  // Every category of the month's trend row is the period's (one month: the same figures).
  const row = dash.grievances.find((r) => r.month === month)!;
  expect(row.byCategory).toEqual(dash.grievanceByCategory);
  expect(dash.grievanceByCategory.reduce((n, c) => n + c.received, 0)).toBe(dash.headline.grievancesReceived);
});

it('a worker sees only their community; bad periods are refused in Chinese', async () => {
  const e = await h.fail(WORKER, 'report', 'dashboard', {
    communityId: 'community-heping',
    period: { kind: 'month', year: 2026, index: 11 },
  });
  expect(e.code).toBe('FORBIDDEN');
  const bad = await h.fail(WORKER, 'report', 'dashboard', {
    period: { kind: 'quarter', year: 2026, index: 5 },
  });
  expect(bad.message).toMatch(/季度/);
  expect(
    (await h.fail(WORKER, 'report', 'streetDashboard', { period: { kind: 'year', year: 2026, index: 1 } }))
      .code,
  ).toBe('FORBIDDEN');
});

it('interleaved sign-ups: the dashboard counts exactly the confirmed sign-ups', async () => {
  const n = 24;
  const people = Array.from({ length: n }, (_, i) => `race-${i}`);
  for (const o of people) await addUser(h, o, [{ role: 'resident' }]);
  const a = await h.call(
    WORKER,
    'activity',
    'publish',
    activityInput(h.clock.now, { capacity: 15 }) as never,
  );
  const results = await h.interleaved(() =>
    Promise.all(
      people.map((o) => h.rt.call('activity', { action: 'signUp', data: { activityId: a._id } }, o)),
    ),
  );
  expect(results.every((r) => r.ok)).toBe(true);
  const confirmed = (await all<SignUp>(h, 'signups', { activityId: a._id, status: 'confirmed' })).length;
  expect(confirmed).toBe(15);
  const month = monthKey(a.startAt);
  // The sign-ups wrote no counter document: the dashboard counts the activity's confirmedCount.
  const buckets = await all<Record<string, number>>(h, 'dashboard_stats', { communityId: XFL, month });
  expect(buckets.some((b) => Object.keys(b).some((k) => k.startsWith('su_')))).toBe(false);
  const d = await direct(month);
  const dash = await h.call(WORKER, 'report', 'dashboard', {
    period: { kind: 'month', year: Number(month.slice(0, 4)), index: Number(month.slice(4)) },
  });
  expect(dash.headline.signUps).toBe(d.signUps);
  expect(d.signUps).toBeGreaterThanOrEqual(15);
});

it('dashboard calls and the counted actions stay within 4 sequential database requests', async () => {
  const a = await h.call(WORKER, 'activity', 'publish', activityInput(h.clock.now, { capacity: 1 }) as never);
  const depth = async (openid: string, fn: 'activity' | 'report', action: string, data: unknown) => {
    await h.rt.call('user', { action: 'me', data: {} }, openid);
    const m = await h.rt.metered(fn, { action, data }, openid);
    expect((m.result as { ok: boolean }).ok).toBe(true);
    return m.depth;
  };
  expect(await depth(RESIDENT, 'activity', 'signUp', { activityId: a._id })).toBeLessThanOrEqual(4);
  await h.call(MEMBER, 'activity', 'signUp', { activityId: a._id });
  expect(await depth(RESIDENT, 'activity', 'cancelSignUp', { activityId: a._id })).toBeLessThanOrEqual(4);
  const period = periodOf(h.clock.now);
  expect(await depth(WORKER, 'report', 'dashboard', { period })).toBeLessThanOrEqual(4);
  expect(
    await depth(ADMIN, 'report', 'streetDashboard', { period: { ...period, kind: 'year', index: 1 } }),
  ).toBeLessThanOrEqual(4);
  void HOUR;
});
