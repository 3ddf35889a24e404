/**
 * 阵地 booking reminders (cloudfunctions/sites/reminders.ts, a timer step): the booker of a confirmed
 * booking gets one `bookingReminder` (message centre; WeChat with quota, sent by the sweep)
 * BOOKING_REMINDER_LEAD_MS (3 h) before the slot starts, found through the `remind_due` index; never
 * for bookings pending, turned down or cancelled; never twice, also when two timer runs overlap.
 * The harness clock starts on 2026-11-21 (周六) 10:00 Asia/Shanghai.
 */
import { createHarness, HOUR, type Harness } from '../helpers/harness';
import type { StoredMessage } from '../../cloudfunctions/core/notify/dispatcher';
import { withinLimits } from '../../cloudfunctions/domain/template-values';
import { BOOKING_REMINDER_LEAD_MS, instantOf } from '../../cloudfunctions/domain/site-booking';
import { BOOKING_REMINDER_BATCH, remindBookings } from '../../cloudfunctions/sites/reminders';
import { timeKey } from '../../cloudfunctions/domain/grievance-tally';
import type { SiteBooking, WeeklyHours } from '../../types/sites';
import { RESIDENT, WORKER, XFL } from './volunteer-fixtures';

const ALL_DAY: WeeklyHours = Array.from({ length: 7 }, () => [{ open: '08:30', close: '20:00' }]);
const MONDAY = '2026-11-23';
const MINUTE = 60_000;

let h: Harness;
let siteId: string;

beforeEach(async () => {
  h = await createHarness();
  siteId = (await saveSite(true))._id;
});
afterEach(() => h.close());

const saveSite = (approval: boolean, id?: string) =>
  h.call(WORKER, 'sites', 'saveSite', {
    ...(id ? { siteId: id } : {}),
    communityId: XFL,
    fromSiteId: 'site-xfl-center',
    hours: ALL_DAY,
    capacity: 30,
    approval,
    maxHours: 3,
  });

const book = (openid: string, start: string, end: string, date = MONDAY) =>
  h.call(openid, 'sites', 'book', { siteId, date, start, end, people: 8, purpose: '楼栋议事会' });

const approve = (bookingId: string) => h.call(WORKER, 'sites', 'review', { bookingId, approve: true });

async function reminders(): Promise<StoredMessage[]> {
  const { data } = await h.rt.runtime.db
    .collection('messages')
    .where({ kind: 'bookingReminder' })
    .limit(1000)
    .get();
  return data as StoredMessage[];
}

async function stored(id: string): Promise<SiteBooking> {
  const { data } = await h.rt.runtime.db.collection('site_bookings').doc(id).get();
  return (Array.isArray(data) ? data[0] : data) as SiteBooking;
}

/** When the reminder of a booking starting at `start` on MONDAY is due. */
const dueOf = (start: string, date = MONDAY) => instantOf(date, start) - BOOKING_REMINDER_LEAD_MS;

it('the lead time is 3 h, an hour before the booker’s own cancellation closes', () => {
  expect(BOOKING_REMINDER_LEAD_MS).toBe(3 * HOUR);
});

it('an approved booking: one reminder to the booker when due (not before), WeChat with quota, never again', async () => {
  const { templates } = await h.call(RESIDENT, 'notify', 'templates', { scene: 'siteBooking' });
  await h.call(RESIDENT, 'notify', 'subscribe', {
    scene: 'siteBooking',
    results: Object.fromEntries(templates.map((t) => [t.templateId, 'accept' as const])),
  });
  const b = await book(RESIDENT, '09:00', '10:30');
  await approve(b._id);
  expect((await stored(b._id)).remindKey).toBe(timeKey(dueOf('09:00')));

  await h.rt.tick();
  h.clock.set(dueOf('09:00') - MINUTE);
  await h.rt.tick();
  expect(await reminders()).toEqual([]);

  h.clock.set(dueOf('09:00') + 30_000);
  await h.rt.tick();
  const [m, ...rest] = await reminders();
  expect(rest).toEqual([]);
  expect(m).toMatchObject({ openid: RESIDENT, title: '阵地预约即将开始', page: 'packages/sites/mine' });
  expect(m!.body).toContain('幸福里党群服务中心');
  expect(m!.body).toContain('11月23日 09:00–10:30');
  const after = await stored(b._id);
  expect(after.remindKey).toBeUndefined();
  expect(after.remindedAt).toBe(h.clock.now);

  h.clock.advance(10 * MINUTE);
  await h.rt.tick();
  await h.rt.tick();
  expect(await reminders()).toHaveLength(1);
  const sent = (await h.rt.sink.records()).filter((r) => r.kind === 'bookingReminder');
  expect(sent.map((r) => r.touser)).toEqual([RESIDENT]);
  expect(withinLimits(sent[0]!.data)).toBe(true);
  expect(sent[0]!.data.phrase3?.value).toBe('即将开始');
  // The approval and the reminder each used their own template's quota.
  expect((await h.rt.sink.records()).map((r) => r.kind).sort()).toEqual(['bookingReminder', 'bookingStatus']);
});

it('a booking confirmed at once (no approval) is reminded too; one made inside the lead time is not', async () => {
  await saveSite(false, siteId);
  const b = await book(RESIDENT, '14:00', '15:00');
  expect(b.status).toBe('confirmed');
  h.clock.set(instantOf(MONDAY, '09:30')); // 4.5 h before 14:00: not yet due
  await h.rt.tick();
  expect(await reminders()).toEqual([]);
  // Booked at 09:30 for 11:00: the booking itself is the news; no reminder.
  const soon = await book(RESIDENT, '11:00', '12:00');
  expect((await stored(soon._id)).remindKey).toBeUndefined();
  h.clock.set(dueOf('14:00'));
  await h.rt.tick();
  expect((await reminders()).map((m) => m.openid)).toEqual([RESIDENT]);
  expect((await reminders())[0]!.body).toContain('14:00–15:00');
});

it('pending, turned-down and cancelled bookings get none, and leave the index', async () => {
  const pending = await book(RESIDENT, '09:00', '10:00');
  const rejected = await book(RESIDENT, '10:00', '11:00');
  await h.call(WORKER, 'sites', 'review', { bookingId: rejected._id, approve: false, reason: '当天有活动' });
  const ownCancel = await book(RESIDENT, '11:00', '12:00');
  await approve(ownCancel._id);
  await h.call(RESIDENT, 'sites', 'cancel', { bookingId: ownCancel._id });
  const managerCancel = await book(RESIDENT, '12:00', '13:00');
  await approve(managerCancel._id);
  await h.call(WORKER, 'sites', 'cancel', { bookingId: managerCancel._id, reason: '场地临时维修' });
  for (const b of [pending, rejected, ownCancel, managerCancel]) {
    expect((await stored(b._id)).remindKey).toBeUndefined();
  }
  for (const start of ['09:00', '10:00', '11:00', '12:00']) {
    h.clock.set(dueOf(start) + MINUTE);
    await h.rt.tick();
  }
  expect(await reminders()).toEqual([]);
  expect(await remindBookings(h.clock.now)).toEqual({ reminded: 0, dropped: 0 });
});

it('a slot that began while the timer was down is not reminded, and leaves the index', async () => {
  const b = await book(RESIDENT, '09:00', '10:00');
  await approve(b._id);
  h.clock.set(instantOf(MONDAY, '09:05'));
  expect(await remindBookings(h.clock.now)).toEqual({ reminded: 0, dropped: 1 });
  expect((await stored(b._id)).remindKey).toBeUndefined();
  expect(await reminders()).toEqual([]);
});

it('the timer finds due bookings through the remind_due index, not a scan of site_bookings', () => {
  const plan = h.rt.database
    .explain('site_bookings', { remindKey: { $lte: timeKey(h.clock.now) } }, { remindKey: 1 }, { limit: 50 })
    .join(' ');
  expect(plan).toMatch(/remind_due/);
  expect(plan).not.toMatch(/SCAN c_site_bookings/);
});

it(`at most ${BOOKING_REMINDER_BATCH} bookings per run, the rest in the next, oldest due first`, async () => {
  const due = dueOf('09:00');
  const db = h.rt.runtime.db;
  const n = BOOKING_REMINDER_BATCH + 5;
  for (let i = 0; i < n; i++) {
    const startAt = instantOf(MONDAY, '09:00') + i * MINUTE;
    await db
      .collection('site_bookings')
      .doc(`bulk-${String(i).padStart(3, '0')}`)
      .set({
        siteId,
        siteName: '幸福里党群服务中心',
        siteKind: 'center',
        communityId: XFL,
        openid: `booker-${i}`,
        bookerName: '居民',
        date: MONDAY,
        start: '09:00',
        end: '10:00',
        startAt,
        endAt: startAt + HOUR,
        slots: ['09:00', '09:30'],
        people: 2,
        purpose: '读书会',
        status: 'confirmed',
        code: '123456',
        remindKey: timeKey(startAt - BOOKING_REMINDER_LEAD_MS),
        createdAt: h.clock.now,
        updatedAt: h.clock.now,
      });
  }
  h.clock.set(due + n * MINUTE);
  expect(await remindBookings(h.clock.now)).toEqual({ reminded: BOOKING_REMINDER_BATCH, dropped: 0 });
  const first = new Set((await reminders()).map((m) => m.openid));
  expect(first.has('booker-0')).toBe(true);
  expect(first.has(`booker-${n - 1}`)).toBe(false);
  expect(await remindBookings(h.clock.now)).toEqual({ reminded: 5, dropped: 0 });
  expect(await remindBookings(h.clock.now)).toEqual({ reminded: 0, dropped: 0 });
  const all = (await reminders()).map((m) => m.openid);
  expect(new Set(all).size).toBe(n);
  expect(all).toHaveLength(n);
});

describe('under concurrency (interleaved)', () => {
  it('two timer runs at once: one reminder per booking', async () => {
    const ids: string[] = [];
    const starts: [string, string][] = [
      ['09:00', '09:30'],
      ['09:30', '10:00'],
      ['10:00', '10:30'],
      ['10:30', '11:00'],
      ['11:00', '11:30'],
    ];
    for (const [i, [start, end]] of starts.entries()) {
      const b = await book(`racer-${i}`, start, end);
      await approve(b._id);
      ids.push(b._id);
    }
    h.clock.set(dueOf('11:00')); // all five due, none started
    const runs = await h.interleaved(() =>
      Promise.all([remindBookings(h.clock.now), remindBookings(h.clock.now)]),
    );
    expect(runs[0]!.reminded + runs[1]!.reminded).toBe(5);
    expect(runs[0]!.dropped + runs[1]!.dropped).toBe(0);
    await h.interleaved(() => Promise.all([h.rt.tick(), h.rt.tick()]));
    const got = (await reminders()).map((m) => m.openid).sort();
    expect(got).toEqual(['racer-0', 'racer-1', 'racer-2', 'racer-3', 'racer-4']);
    for (const id of ids) expect((await stored(id)).remindedAt).toBe(h.clock.now);
  });

  it('two whole timer ticks at once remind once', async () => {
    const b = await book(RESIDENT, '09:00', '10:00');
    await approve(b._id);
    h.clock.set(dueOf('09:00'));
    await h.interleaved(() => Promise.all([h.rt.tick(), h.rt.tick()]));
    expect((await reminders()).map((m) => m.openid)).toEqual([RESIDENT]);
  });
});
