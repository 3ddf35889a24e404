/**
 * 阵地 booking (cloudfunctions/sites) on the embedded engine: set-up by a worker and by unit
 * staff, book → approve → check in, bad input refused with nothing written, cancellation rules,
 * the unit record's counters, interleaved races (no double booking) and round-trip budgets.
 * The harness clock starts on 2026-11-21 (周六) 10:00 Asia/Shanghai.
 */
import { createHarness, HOUR, type Harness } from '../helpers/harness';
import type { SiteBooking, SiteSlot, WeeklyHours } from '../../types/sites';
import { instantOf } from '../../cloudfunctions/domain/site-booking';
import { HP, OTHER_WORKER, RESIDENT, UNIT, WORKER, XFL } from './volunteer-fixtures';

const ALL_DAY: WeeklyHours = Array.from({ length: 7 }, () => [{ open: '08:30', close: '20:00' }]);
const MONDAY = '2026-11-23';

let h: Harness;
let siteId: string;

async function stored() {
  const db = h.rt.runtime.db;
  const [b, s] = await Promise.all([
    db.collection('site_bookings').limit(1000).get(),
    db.collection('site_slots').limit(1000).get(),
  ]);
  return { bookings: b.data as SiteBooking[], slots: s.data as SiteSlot[] };
}

beforeEach(async () => {
  h = await createHarness();
  const site = await h.call(WORKER, 'sites', 'saveSite', {
    communityId: XFL,
    fromSiteId: 'site-xfl-center',
    hours: ALL_DAY,
    capacity: 30,
    facilities: ['多功能厅', '投影'],
    approval: true,
    maxHours: 3,
  });
  siteId = site._id;
});
afterEach(() => h.close());

const book = (openid: string, start: string, end: string, extra: Record<string, unknown> = {}) =>
  h.raw(openid, 'sites', {
    action: 'book',
    data: { siteId, date: MONDAY, start, end, people: 8, purpose: '楼栋议事会', ...extra },
  });

describe('set-up', () => {
  it('a worker sets up a room from the community’s service site; residents see it with its hours', async () => {
    const list = await h.call(RESIDENT, 'sites', 'list', { communityId: XFL });
    expect(list).toEqual([
      expect.objectContaining({
        _id: siteId,
        kind: 'center',
        name: '幸福里党群服务中心',
        address: '幸福路 88 号一楼',
        capacity: 30,
        approval: true,
        canManage: false,
      }),
    ]);
    expect(list[0]!.hoursText[1]).toBe('周一 8:30–20:00');
    expect(await h.call(RESIDENT, 'sites', 'list', { communityId: HP })).toEqual([]);
  });

  it('only the community’s workers set up its rooms; bad hours are refused', async () => {
    const other = await h.fail(OTHER_WORKER, 'sites', 'saveSite', {
      communityId: XFL,
      fromSiteId: 'site-xfl-center',
      hours: ALL_DAY,
      capacity: 10,
    });
    expect(other.code).toBe('FORBIDDEN');
    const misaligned = await h.fail(WORKER, 'sites', 'saveSite', {
      communityId: XFL,
      fromSiteId: 'site-xfl-room',
      hours: [[{ open: '09:10', close: '12:00' }], [], [], [], [], [], []],
      capacity: 10,
    });
    expect(misaligned).toMatchObject({ code: 'INVALID_INPUT', message: '周日的开放时间须按半小时对齐' });
    const foreign = await h.fail(WORKER, 'sites', 'saveSite', {
      communityId: XFL,
      fromSiteId: 'site-hp-center',
      hours: ALL_DAY,
      capacity: 10,
    });
    expect(foreign.code).toBe('NOT_FOUND');
  });
});

describe('booking flow', () => {
  it('resident books → worker approves → checked in with the code shown to the resident', async () => {
    const res = await book(RESIDENT, '09:00', '10:30');
    expect(res.ok).toBe(true);
    const b = (res as { data: { _id: string; status: string; code?: string; mine: boolean } }).data;
    expect(b).toMatchObject({ status: 'pending', mine: true, canCancel: true });
    expect(b.code).toMatch(/^\d{6}$/);

    const detail = await h.call(RESIDENT, 'sites', 'detail', { siteId, date: MONDAY });
    const taken = detail.slots.filter((s) => !s.free).map((s) => s.start);
    expect(taken).toEqual(['09:00', '09:30', '10:00']);
    expect(detail.dates[0]).toBe('2026-11-21');

    // The worker sees it without the code, and approves it.
    const queue = await h.call(WORKER, 'sites', 'managed', { communityId: XFL, status: 'pending' });
    expect(queue.items).toHaveLength(1);
    expect(queue.items[0]).not.toHaveProperty('code');
    expect(queue.items[0]).toMatchObject({ canManage: true, mine: false });
    const approved = await h.call(WORKER, 'sites', 'review', { bookingId: b._id, approve: true });
    expect(approved.status).toBe('confirmed');
    expect((await h.fail(WORKER, 'sites', 'review', { bookingId: b._id, approve: true })).code).toBe(
      'CONFLICT',
    );
    const mine = await h.call(RESIDENT, 'sites', 'myBookings', {});
    expect(mine.items[0]).toMatchObject({ _id: b._id, status: 'confirmed', code: b.code });

    // At the site, 10 minutes before the start: a wrong code is refused, the right one checks in.
    h.clock.set(instantOf(MONDAY, '09:00') - 10 * 60_000);
    const wrong = b.code === '000000' ? '111111' : '000000';
    expect(await h.fail(WORKER, 'sites', 'checkIn', { bookingId: b._id, code: wrong })).toMatchObject({
      code: 'INVALID_INPUT',
      message: '签到码不正确，请核对后重试',
    });
    expect((await h.fail(RESIDENT, 'sites', 'checkIn', { bookingId: b._id, code: b.code })).code).toBe(
      'FORBIDDEN',
    );
    const done = await h.call(WORKER, 'sites', 'checkIn', { bookingId: b._id, code: b.code! });
    expect(done).toMatchObject({ status: 'checkedIn', checkedInBy: 'code' });
  });

  it('the booker checks in by GPS within 15 minutes of the start and within 500 m', async () => {
    await h.call(WORKER, 'sites', 'saveSite', {
      siteId,
      communityId: XFL,
      hours: ALL_DAY,
      capacity: 30,
      approval: false,
      maxHours: 3,
    });
    const b = await h.call(RESIDENT, 'sites', 'book', {
      siteId,
      date: MONDAY,
      start: '14:00',
      end: '15:00',
      people: 3,
      purpose: '读书会',
    });
    expect(b.status).toBe('confirmed');
    h.clock.set(instantOf(MONDAY, '14:05'));
    const far = await h.fail(RESIDENT, 'sites', 'checkIn', { bookingId: b._id, lat: 28.21, lng: 112.9823 });
    expect(far.message).toContain('不在阵地附近');
    const near = await h.call(RESIDENT, 'sites', 'checkIn', {
      bookingId: b._id,
      lat: 28.1943,
      lng: 112.9824,
    });
    expect(near).toMatchObject({ status: 'checkedIn', checkedInBy: 'gps' });
  });

  it('a rejected booking frees its slots; workers of another community cannot review', async () => {
    const res = await book(RESIDENT, '11:00', '12:00');
    const id = (res as { data: { _id: string } }).data._id;
    expect((await h.fail(OTHER_WORKER, 'sites', 'review', { bookingId: id, approve: true })).code).toBe(
      'FORBIDDEN',
    );
    expect((await h.fail(WORKER, 'sites', 'review', { bookingId: id, approve: false })).code).toBe(
      'INVALID_INPUT',
    );
    await h.call(WORKER, 'sites', 'review', { bookingId: id, approve: false, reason: '当天有社区活动' });
    expect((await book('someone-else', '11:00', '12:00')).ok).toBe(true);
  });
});

describe('bad input is refused and nothing is written', () => {
  it.each([
    ['outside opening hours', { start: '19:30', end: '20:30' }, 'INVALID_INPUT', '不在开放时间内'],
    ['misaligned', { start: '09:15', end: '10:00' }, 'INVALID_INPUT', '半小时对齐'],
    ['in the past', { date: '2026-11-21', start: '09:00', end: '09:30' }, 'INVALID_INPUT', '已经过去'],
    ['too long', { start: '09:00', end: '12:30' }, 'INVALID_INPUT', '最多预约 3 小时'],
    [
      'too far ahead',
      { date: '2026-12-22', start: '09:00', end: '10:00' },
      'INVALID_INPUT',
      '最多提前 30 天',
    ],
    ['over capacity', { people: 31 }, 'INVALID_INPUT', '超过阵地容量'],
    ['a foreign site id', { siteId: 'site-hp-center' }, 'NOT_FOUND', '阵地不存在'],
    ['a slot id as site id', { siteId: 'x_20261123_0900' }, 'NOT_FOUND', '阵地不存在'],
    ['an unknown field', { price: 0 }, 'INVALID_INPUT', '不支持的字段'],
  ])('%s', async (_label, patch, code, message) => {
    const before = await stored();
    const res = await book(RESIDENT, '09:00', '10:00', patch);
    expect(res).toMatchObject({ ok: false, error: { code } });
    expect(!res.ok && res.error.message).toContain(message);
    expect(await stored()).toEqual(before);
  });
});

describe('cancellation', () => {
  async function confirmed(openid: string, start: string, end: string) {
    const res = await book(openid, start, end);
    if (!res.ok) throw new Error(res.error.message);
    const id = (res.data as { _id: string })._id;
    await h.call(WORKER, 'sites', 'review', { bookingId: id, approve: true });
    return id;
  }

  it('the booker cancels until 2 h before the start, and the slots are free again', async () => {
    const id = await confirmed(RESIDENT, '15:00', '16:00');
    expect((await h.fail('stranger', 'sites', 'cancel', { bookingId: id })).code).toBe('FORBIDDEN');
    h.clock.set(instantOf(MONDAY, '13:00'));
    const cancelled = await h.call(RESIDENT, 'sites', 'cancel', { bookingId: id });
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelledBy: 'booker' });
    const { slots } = await stored();
    expect(slots.filter((s) => s.bookingId)).toEqual([]);
    expect((await book('other-resident', '15:00', '16:00')).ok).toBe(true);
  });

  it('within 2 h only a manager cancels, with a reason', async () => {
    const id = await confirmed(RESIDENT, '15:00', '16:00');
    h.clock.set(instantOf(MONDAY, '13:30'));
    const late = await h.fail(RESIDENT, 'sites', 'cancel', { bookingId: id });
    expect(late).toMatchObject({
      code: 'CONFLICT',
      message: '开始前 2 小时内不能自行取消，请联系阵地管理员',
    });
    const noReason = await h.fail(WORKER, 'sites', 'cancel', { bookingId: id });
    expect(noReason.message).toContain('原因');
    const byWorker = await h.call(WORKER, 'sites', 'cancel', { bookingId: id, reason: '场地临时维修' });
    expect(byWorker).toMatchObject({ status: 'cancelled', cancelledBy: 'manager', reason: '场地临时维修' });
    const mine = await h.call(RESIDENT, 'sites', 'myBookings', {});
    expect(mine.items[0]).toMatchObject({ status: 'cancelled', reason: '场地临时维修', canCancel: false });
  });
});

describe('unit venues', () => {
  it('unit staff open a venue resource; its bookings count in the unit record', async () => {
    const venue = await h.call(UNIT, 'alliance', 'offerResource', {
      kind: 'venue',
      title: '医院报告厅',
      description: '可用于健康讲座',
      capacity: '可容纳 120 人',
      availability: '周末 9:00–17:00',
    });
    expect((await h.fail(WORKER, 'sites', 'openVenue', { resourceId: venue._id } as never)).code).toBe(
      'INVALID_INPUT',
    );
    const site = await h.call(UNIT, 'sites', 'openVenue', {
      resourceId: venue._id,
      address: '健康路 1 号',
      lat: 28.19,
      lng: 112.98,
      hours: ALL_DAY,
      capacity: 120,
      facilities: ['投影'],
      approval: false,
      maxHours: 4,
    });
    expect(site).toMatchObject({ kind: 'unitVenue', unitId: 'unit-hospital', canManage: true });
    const list = await h.call(RESIDENT, 'sites', 'list', { communityId: XFL });
    expect(list.map((s) => s.name)).toContain('医院报告厅');
    const b = await h.call(RESIDENT, 'sites', 'book', {
      siteId: site._id,
      date: MONDAY,
      start: '09:00',
      end: '11:00',
      people: 40,
      purpose: '健康讲座',
    });
    expect(b.status).toBe('confirmed');
    // The unit's staff manage it; the community's workers do not.
    expect((await h.fail(WORKER, 'sites', 'cancel', { bookingId: b._id, reason: '测试取消' })).code).toBe(
      'FORBIDDEN',
    );
    let record = await h.call(UNIT, 'alliance', 'unitRecord', { unitId: 'unit-hospital', year: 2026 });
    expect(record).toMatchObject({ venuesOpened: 1, siteBookings: 1 });
    await h.call(UNIT, 'sites', 'cancel', { bookingId: b._id, reason: '报告厅检修' });
    record = await h.call(UNIT, 'alliance', 'unitRecord', { unitId: 'unit-hospital', year: 2026 });
    expect(record).toMatchObject({ venuesOpened: 1, siteBookings: 0 });
  });
});

describe('under concurrency (interleaved)', () => {
  it('10 people booking the same slot at once: exactly one wins, the others get CONFLICT', async () => {
    const people = Array.from({ length: 10 }, (_, i) => `racer-${i}`);
    const results = await h.interleaved(() => Promise.all(people.map((p) => book(p, '10:00', '11:00'))));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    for (const r of results.filter((x) => !x.ok)) {
      expect(r).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
      expect(!r.ok && r.error.message).toMatch(/已被预约|操作的人较多/);
    }
    const { bookings, slots } = await stored();
    expect(bookings).toHaveLength(1);
    expect(
      slots
        .filter((s) => s.bookingId === bookings[0]!._id)
        .map((s) => s.start)
        .sort(),
    ).toEqual(['10:00', '10:30']);
  });

  it('10 people booking overlapping windows: no two stored bookings overlap; every slot names its booking', async () => {
    const windows: [string, string][] = [
      ['09:00', '10:00'],
      ['09:30', '10:30'],
      ['10:00', '11:00'],
      ['10:30', '12:00'],
      ['11:00', '12:00'],
      ['09:00', '11:00'],
      ['11:30', '13:00'],
      ['12:00', '13:00'],
      ['09:30', '11:30'],
      ['12:30', '14:00'],
    ];
    const results = await h.interleaved(() =>
      Promise.all(windows.map(([s, e], i) => book(`racer-${i}`, s, e))),
    );
    const won = results.filter((r) => r.ok).length;
    expect(won).toBeGreaterThanOrEqual(2); // e.g. 09:00–10:00 and 12:00–13:00 never collide with each other
    for (const r of results.filter((x) => !x.ok)) expect(r).toMatchObject({ error: { code: 'CONFLICT' } });
    const { bookings, slots } = await stored();
    expect(bookings).toHaveLength(won);
    const held = new Map<string, string>();
    for (const b of bookings) {
      for (const s of b.slots) {
        expect(held.has(s)).toBe(false); // no slot in two bookings
        held.set(s, b._id);
      }
    }
    for (const s of slots) if (s.bookingId) expect(held.get(s.start)).toBe(s.bookingId);
    expect(slots.filter((s) => s.bookingId)).toHaveLength(held.size);
  });
});

describe('round trips', () => {
  it('list, detail, book, approve and cancel take at most 4 sequential database requests', async () => {
    const measure = async (openid: string, action: string, data: unknown) => {
      await h.rt.call('user', { action: 'me', data: {} }, openid); // warm the caller cache
      const m = await h.rt.metered('sites', { action, data }, openid);
      expect({ action, ok: m.result.ok }).toEqual({ action, ok: true });
      return { action, depth: m.depth, data: (m.result as { data: { _id: string } }).data };
    };
    const rows = [
      await measure(RESIDENT, 'list', { communityId: XFL }),
      await measure(RESIDENT, 'detail', { siteId, date: MONDAY }),
    ];
    const booked = await measure(RESIDENT, 'book', {
      siteId,
      date: MONDAY,
      start: '09:00',
      end: '12:00',
      people: 5,
      purpose: '议事会',
    });
    rows.push(booked);
    rows.push(await measure(WORKER, 'review', { bookingId: booked.data._id, approve: true }));
    rows.push(await measure(RESIDENT, 'cancel', { bookingId: booked.data._id }));
    for (const r of rows)
      expect({ action: r.action, depth: Math.min(r.depth, 4) }).toEqual({ action: r.action, depth: r.depth });
  });
});

it('check-in refuses before the window with a clear message', async () => {
  const res = await book(RESIDENT, '16:00', '17:00');
  const id = (res as { data: { _id: string } }).data._id;
  await h.call(WORKER, 'sites', 'review', { bookingId: id, approve: true });
  h.clock.set(instantOf(MONDAY, '15:00'));
  const early = await h.fail(RESIDENT, 'sites', 'checkIn', { bookingId: id, lat: 28.1941, lng: 112.9823 });
  expect(early).toMatchObject({ code: 'CONFLICT', message: '开始前 15 分钟才能签到' });
  expect(HOUR).toBe(3600_000);
});
