import { activityInput, createHarness, DAY, HOUR, type Harness } from '../helpers/harness';
import type { Activity, SignUp } from '../../types/domain';

const WORKER = 'demo-worker'; // worker of community-xingfuli
const ADMIN = 'demo-admin';
const RESIDENT = 'demo-resident';
const MEMBER = 'demo-member';
const VOLUNTEER = 'demo-volunteer';
const UNIT = 'demo-unit';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

async function publish(over: Record<string, unknown> = {}, by = WORKER) {
  return h.call(by, 'activity', 'publish', activityInput(h.clock.now, over) as never);
}

async function stored(id: string): Promise<Activity> {
  const { data } = await h.rt.runtime.db.collection('activities').doc(id).get();
  return (data as Activity[])[0] as Activity;
}

describe('activity.publish', () => {
  it('lets a worker publish in their own community and returns the detail', async () => {
    const a = await publish();
    expect(a.title).toBe('测试活动 · 楼道清洁');
    expect(a.phase).toBe('open');
    expect(a.canManage).toBe(true);
    expect(a.communityName).toBe('幸福里社区');
    expect((await stored(a._id)).createdBy).toBe(WORKER);
  });

  it('refuses residents, unit staff and workers of another community', async () => {
    expect((await h.fail(RESIDENT, 'activity', 'publish', activityInput(h.clock.now))).code).toBe(
      'FORBIDDEN',
    );
    expect((await h.fail(UNIT, 'activity', 'publish', activityInput(h.clock.now))).code).toBe('FORBIDDEN');
    const other = await h.fail(
      WORKER,
      'activity',
      'publish',
      activityInput(h.clock.now, { communityId: 'community-heping' }),
    );
    expect(other).toMatchObject({ code: 'FORBIDDEN', message: '只能管理本社区的事务' });
  });

  it('lets the street admin publish anywhere', async () => {
    const a = await publish({ communityId: 'community-heping' }, ADMIN);
    expect(a.communityId).toBe('community-heping');
  });

  it('rejects bad input with field messages and writes nothing', async () => {
    const before = (await h.rt.runtime.db.collection('activities').count()) as { total: number };
    const bad = await h.fail(WORKER, 'activity', 'publish', {
      ...activityInput(h.clock.now),
      title: 'x',
      extra: 1,
    });
    expect(bad.code).toBe('INVALID_INPUT');
    expect(bad.fields).toMatchObject({ title: '标题至少 2 个字', _: '不支持的字段：extra' });
    const timing = await h.fail(
      WORKER,
      'activity',
      'publish',
      activityInput(h.clock.now, { endAt: h.clock.now }),
    );
    expect(timing).toMatchObject({ code: 'INVALID_INPUT', message: '结束时间须晚于开始时间' });
    const unknownUnit = await h.fail(
      WORKER,
      'activity',
      'publish',
      activityInput(h.clock.now, { hostUnitIds: ['nope'] }),
    );
    expect(unknownUnit.code).toBe('NOT_FOUND');
    const after = (await h.rt.runtime.db.collection('activities').count()) as { total: number };
    expect(after.total).toBe(before.total);
  });

  it('requires a logged-in caller and a known action', async () => {
    expect((await h.fail(undefined, 'activity', 'list', {})).code).toBe('UNAUTHENTICATED');
    const res = await h.raw(WORKER, 'activity', { action: 'dropTables', data: {} });
    expect(res).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });
});

describe('activity.update', () => {
  it('edits before start, keeps sign-up copies of the times in step, and promotes on capacity growth', async () => {
    const a = await publish({ capacity: 1 });
    await h.call(RESIDENT, 'activity', 'signUp', { activityId: a._id });
    await h.call(MEMBER, 'activity', 'signUp', { activityId: a._id });
    const newStart = a.startAt + DAY;
    const updated = await h.call(WORKER, 'activity', 'update', {
      activityId: a._id,
      patch: { capacity: 2, title: '改名后的活动', startAt: newStart, endAt: newStart + HOUR },
    });
    expect(updated).toMatchObject({ title: '改名后的活动', confirmedCount: 2, waitlistCount: 0 });
    const member = await h.call(MEMBER, 'activity', 'detail', { activityId: a._id });
    expect(member.mySignUp).toBe('confirmed');
    const mine = await h.call(MEMBER, 'activity', 'mine', {});
    expect(mine.items[0]?.startAt).toBe(newStart);
  });

  it('refuses shrinking below sign-ups, edits after start, and other communities', async () => {
    const a = await publish({ capacity: 5 });
    await h.call(RESIDENT, 'activity', 'signUp', { activityId: a._id });
    await h.call(MEMBER, 'activity', 'signUp', { activityId: a._id });
    expect(
      await h.fail(WORKER, 'activity', 'update', { activityId: a._id, patch: { capacity: 1 } }),
    ).toMatchObject({
      code: 'CONFLICT',
      message: '已有 2 人报名，名额不能少于已报名人数',
    });
    expect(
      (await h.fail(RESIDENT, 'activity', 'update', { activityId: a._id, patch: { title: '篡改标题' } }))
        .code,
    ).toBe('FORBIDDEN');
    const heping = await publish({ communityId: 'community-heping' }, ADMIN);
    expect(
      (await h.fail(WORKER, 'activity', 'update', { activityId: heping._id, patch: { title: '越权修改' } }))
        .code,
    ).toBe('FORBIDDEN');
    expect((await h.fail(WORKER, 'activity', 'update', { activityId: 'missing', patch: {} })).code).toBe(
      'NOT_FOUND',
    );
    h.clock.set(a.startAt + 1);
    expect(
      (await h.fail(WORKER, 'activity', 'update', { activityId: a._id, patch: { title: '太晚了吧' } })).code,
    ).toBe('CONFLICT');
  });
});

describe('activity.cancelActivity', () => {
  it('cancels with a reason; sign-ups are then refused', async () => {
    const a = await publish();
    expect(
      (await h.fail(RESIDENT, 'activity', 'cancelActivity', { activityId: a._id, reason: '天气原因' })).code,
    ).toBe('FORBIDDEN');
    const c = await h.call(WORKER, 'activity', 'cancelActivity', { activityId: a._id, reason: '天气原因' });
    expect(c).toMatchObject({ status: 'cancelled', phase: 'cancelled', cancelReason: '天气原因' });
    expect(await h.fail(RESIDENT, 'activity', 'signUp', { activityId: a._id })).toMatchObject({
      code: 'CONFLICT',
      message: '活动已取消',
    });
    expect(
      (await h.fail(WORKER, 'activity', 'cancelActivity', { activityId: a._id, reason: '再次取消' })).code,
    ).toBe('CONFLICT');
  });
});

describe('activity.list and detail', () => {
  it('lists the caller community by default, sorted by start, paginated with a cursor', async () => {
    const first = await h.call(RESIDENT, 'activity', 'list', { pageSize: 3 });
    expect(first.items).toHaveLength(3);
    expect(first.items.every((i) => i.communityId === 'community-xingfuli')).toBe(true);
    const starts = first.items.map((i) => i.startAt);
    expect([...starts].sort((x, y) => x - y)).toEqual(starts);
    expect(first.nextCursor).toBe('3');
    const all: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await h.call(RESIDENT, 'activity', 'list', { pageSize: 3, cursor });
      all.push(...page.items.map((i) => i._id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(all.length).toBe(first.total);
    expect(new Set(all).size).toBe(all.length);
    expect(all).not.toContain('act-ended-1'); // upcoming excludes ended
  });

  it('filters by type, when and date range', async () => {
    const vol = await h.call(RESIDENT, 'activity', 'list', { type: 'partyDay' });
    expect(vol.items.map((i) => i._id)).toEqual(['act-partyday']);
    const ended = await h.call(RESIDENT, 'activity', 'list', { when: 'ended' });
    expect(ended.items.map((i) => i._id)).toEqual(['act-ended-2', 'act-ended-1']);
    expect(ended.items.every((i) => i.phase === 'ended')).toBe(true);
    const heping = await h.call(RESIDENT, 'activity', 'list', {
      communityId: 'community-heping',
      when: 'all',
    });
    expect(heping.items.map((i) => i._id).sort()).toEqual([
      'act-cancelled',
      'act-heping-lecture',
      'act-heping-river',
    ]);
    const soon = await h.call(RESIDENT, 'activity', 'list', { from: h.clock.now, to: h.clock.now + 3 * DAY });
    expect(soon.items.map((i) => i._id)).toEqual(['act-full', 'act-meal']);
  });

  it('shows phases, places and the caller own sign-up', async () => {
    await h.call(RESIDENT, 'activity', 'signUp', { activityId: 'act-meal' });
    const list = await h.call(RESIDENT, 'activity', 'list', {});
    const byId = new Map(list.items.map((i) => [i._id, i]));
    expect(byId.get('act-full')?.phase).toBe('full');
    expect(byId.get('act-meal')).toMatchObject({ phase: 'open', mySignUp: 'confirmed', confirmedCount: 7 });
    const detail = await h.call(RESIDENT, 'activity', 'detail', { activityId: 'act-partyday' });
    expect(detail.canSignUp).toEqual({ ok: false, reason: '本活动仅限党员报名' });
    expect(detail.canManage).toBe(false);
    expect((await h.fail(RESIDENT, 'activity', 'detail', { activityId: 'nope' })).code).toBe('NOT_FOUND');
    const clinic = await h.call(RESIDENT, 'activity', 'detail', { activityId: 'act-clinic' });
    expect(clinic.hostUnits).toEqual([{ _id: 'unit-hospital', name: '区人民医院' }]);
  });
});

describe('activity.signUp and cancelSignUp', () => {
  it('confirms, is idempotent, waitlists when full and promotes in order on cancel', async () => {
    const a = await publish({ capacity: 1 });
    const first = await h.call(RESIDENT, 'activity', 'signUp', { activityId: a._id });
    expect(first).toEqual({ status: 'confirmed', confirmedCount: 1, alreadySignedUp: false });
    const again = await h.call(RESIDENT, 'activity', 'signUp', { activityId: a._id });
    expect(again).toMatchObject({ status: 'confirmed', alreadySignedUp: true, confirmedCount: 1 });
    expect(await h.call(MEMBER, 'activity', 'signUp', { activityId: a._id })).toMatchObject({
      status: 'waitlisted',
      waitlistPosition: 1,
    });
    expect(await h.call(VOLUNTEER, 'activity', 'signUp', { activityId: a._id })).toMatchObject({
      status: 'waitlisted',
      waitlistPosition: 2,
    });
    const volunteerView = await h.call(VOLUNTEER, 'activity', 'detail', { activityId: a._id });
    expect(volunteerView).toMatchObject({ mySignUp: 'waitlisted', myWaitlistPosition: 2, phase: 'full' });

    const cancelled = await h.call(RESIDENT, 'activity', 'cancelSignUp', { activityId: a._id });
    expect(cancelled).toEqual({ status: 'cancelled', promoted: MEMBER });
    expect((await h.call(MEMBER, 'activity', 'detail', { activityId: a._id })).mySignUp).toBe('confirmed');
    expect((await h.call(VOLUNTEER, 'activity', 'detail', { activityId: a._id })).myWaitlistPosition).toBe(1);
    const s = await stored(a._id);
    expect(s.confirmedCount).toBe(1);
    expect(s.waitlist).toEqual([VOLUNTEER]);

    // Leaving the waitlist promotes nobody and frees the slot in the queue.
    expect(await h.call(VOLUNTEER, 'activity', 'cancelSignUp', { activityId: a._id })).toEqual({
      status: 'cancelled',
    });
    expect((await stored(a._id)).waitlist).toEqual([]);
    // Signing up again after cancelling works.
    expect((await h.call(RESIDENT, 'activity', 'signUp', { activityId: a._id })).status).toBe('waitlisted');
  });

  it('enforces audience and the sign-up window with specific messages', async () => {
    expect(await h.fail(RESIDENT, 'activity', 'signUp', { activityId: 'act-partyday' })).toEqual({
      code: 'FORBIDDEN',
      message: '本活动仅限党员报名',
    });
    expect((await h.call(MEMBER, 'activity', 'signUp', { activityId: 'act-partyday' })).status).toBe(
      'confirmed',
    );
    expect((await h.fail(MEMBER, 'activity', 'signUp', { activityId: 'act-vol-only' })).code).toBe(
      'FORBIDDEN',
    );
    expect((await h.call(VOLUNTEER, 'activity', 'signUp', { activityId: 'act-vol-only' })).status).toBe(
      'confirmed',
    );
    expect(await h.fail(RESIDENT, 'activity', 'signUp', { activityId: 'act-ended-1' })).toMatchObject({
      code: 'CONFLICT',
      message: '报名已截止',
    });
    const later = await publish({ signUpStartAt: h.clock.now + DAY });
    expect(await h.fail(RESIDENT, 'activity', 'signUp', { activityId: later._id })).toMatchObject({
      code: 'CONFLICT',
      message: '报名尚未开始',
    });
    expect((await h.fail(RESIDENT, 'activity', 'signUp', { activityId: 'missing' })).code).toBe('NOT_FOUND');
  });

  it('applies the cancel policy', async () => {
    const none = await publish({ cancelPolicy: 'none' });
    await h.call(RESIDENT, 'activity', 'signUp', { activityId: none._id });
    expect(await h.fail(RESIDENT, 'activity', 'cancelSignUp', { activityId: none._id })).toMatchObject({
      code: 'CONFLICT',
      message: '本活动报名后不可取消',
    });
    expect(await h.fail(MEMBER, 'activity', 'cancelSignUp', { activityId: none._id })).toMatchObject({
      message: '你没有报名本活动',
    });
  });

  it('keeps exactly N confirmed under 40 interleaved sign-ups for 15 places, waitlist in order', async () => {
    const a = await publish({ capacity: 15 });
    const people = Array.from({ length: 40 }, (_, i) => `load-${String(i).padStart(3, '0')}`);
    const results = await h.interleaved(() =>
      Promise.all(people.map((p) => h.call(p, 'activity', 'signUp', { activityId: a._id }))),
    );
    expect(results.filter((r) => r.status === 'confirmed')).toHaveLength(15);
    const waitlisted = results.filter((r) => r.status === 'waitlisted');
    expect(waitlisted).toHaveLength(25);
    expect(waitlisted.map((r) => r.waitlistPosition).sort((x, y) => (x ?? 0) - (y ?? 0))).toEqual(
      Array.from({ length: 25 }, (_, i) => i + 1),
    );
    const s = await stored(a._id);
    expect(s.confirmedCount).toBe(15);
    expect(s.waitlist).toHaveLength(25);
    const { total } = (await h.rt.runtime.db
      .collection('signups')
      .where({ activityId: a._id, status: 'confirmed' })
      .count()) as { total: number };
    expect(total).toBe(15);

    // Each waitlisted caller's reported position matches the stored order.
    people.forEach((p, i) => {
      const r = results[i];
      if (r?.status === 'waitlisted') expect(s.waitlist.indexOf(p) + 1).toBe(r.waitlistPosition);
    });
    // Ten confirmed people cancel concurrently: the first ten on the waitlist move up, in order.
    const leavers = people.filter((_, i) => results[i]?.status === 'confirmed').slice(0, 10);
    await h.interleaved(() =>
      Promise.all(leavers.map((p) => h.call(p, 'activity', 'cancelSignUp', { activityId: a._id }))),
    );
    const after = await stored(a._id);
    expect(after.confirmedCount).toBe(15);
    expect(after.waitlist).toEqual(s.waitlist.slice(10));
    const { data } = await h.rt.runtime.db
      .collection('signups')
      .where({ activityId: a._id, status: 'confirmed' })
      .limit(100)
      .get();
    const confirmed = new Set((data as SignUp[]).map((x) => x.openid));
    for (const p of s.waitlist.slice(0, 10)) expect(confirmed.has(p)).toBe(true);
  });

  it('treats concurrent double sign-up by the same person as one', async () => {
    const a = await publish({ capacity: 5 });
    const results = await h.interleaved(() =>
      Promise.all(
        Array.from({ length: 10 }, () => h.call(RESIDENT, 'activity', 'signUp', { activityId: a._id })),
      ),
    );
    expect(results.filter((r) => !r.alreadySignedUp)).toHaveLength(1);
    expect((await stored(a._id)).confirmedCount).toBe(1);
  });
});

describe('activity.mine and participants', () => {
  it('lists my sign-ups filtered by time', async () => {
    await h.call(RESIDENT, 'activity', 'signUp', { activityId: 'act-meal' });
    await h.call(RESIDENT, 'activity', 'signUp', { activityId: 'act-clean' });
    const mine = await h.call(RESIDENT, 'activity', 'mine', { when: 'upcoming' });
    expect(mine.items.map((i) => i._id)).toEqual(['act-meal', 'act-clean']);
    expect(mine.items[0]).toMatchObject({ signUpStatus: 'confirmed', title: '敬老助餐 · 为独居老人送午餐' });
    expect((await h.call(RESIDENT, 'activity', 'mine', { when: 'past' })).items).toEqual([]);
    expect((await h.call(MEMBER, 'activity', 'mine', {})).total).toBe(0);
  });

  it('shows participants only to managers of the community', async () => {
    const a = await publish({ capacity: 1 });
    await h.call(RESIDENT, 'activity', 'signUp', { activityId: a._id });
    await h.call(MEMBER, 'activity', 'signUp', { activityId: a._id });
    const all = await h.call(WORKER, 'activity', 'participants', { activityId: a._id });
    expect(all.items.map((p) => [p.nickName, p.status, p.waitlistPosition])).toEqual([
      ['王阿姨', 'confirmed', undefined],
      ['李建国', 'waitlisted', 1],
    ]);
    const waiting = await h.call(ADMIN, 'activity', 'participants', {
      activityId: a._id,
      status: 'waitlisted',
    });
    expect(waiting.items.map((p) => p.openid)).toEqual([MEMBER]);
    // Rejoining puts you at the back of the queue; the waitlist tab pages in queue order.
    await h.call(VOLUNTEER, 'activity', 'signUp', { activityId: a._id });
    await h.call(MEMBER, 'activity', 'cancelSignUp', { activityId: a._id });
    h.clock.advance(60_000);
    await h.call(MEMBER, 'activity', 'signUp', { activityId: a._id });
    const page1 = await h.call(WORKER, 'activity', 'participants', {
      activityId: a._id,
      status: 'waitlisted',
      pageSize: 1,
    });
    expect(page1.items.map((p) => [p.openid, p.waitlistPosition])).toEqual([[VOLUNTEER, 1]]);
    expect(page1.total).toBe(2);
    const page2 = await h.call(WORKER, 'activity', 'participants', {
      activityId: a._id,
      status: 'waitlisted',
      pageSize: 1,
      cursor: page1.nextCursor,
    });
    expect(page2.items.map((p) => [p.openid, p.waitlistPosition])).toEqual([[MEMBER, 2]]);
    expect(page2.nextCursor).toBeUndefined();
    expect((await h.fail(RESIDENT, 'activity', 'participants', { activityId: a._id })).code).toBe(
      'FORBIDDEN',
    );
    expect((await h.fail(WORKER, 'activity', 'participants', { activityId: 'act-heping-river' })).code).toBe(
      'FORBIDDEN',
    );
  });
});
