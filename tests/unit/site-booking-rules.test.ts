import {
  bookableDates,
  cancelRefusal,
  checkBooking,
  checkInRefusal,
  checkWeeklyHours,
  daySlots,
  instantOf,
  shanghaiDate,
  slotId,
  slotsOf,
  weekdayOf,
} from '../../cloudfunctions/domain/site-booking';
import type { WeeklyHours } from '../../types/sites';

const H = 3600_000;
const weekdays = [
  { open: '09:00', close: '12:00' },
  { open: '14:00', close: '17:30' },
];
// 周日 closed, 周一–周五 two spans, 周六 morning only.
const HOURS: WeeklyHours = [
  [],
  weekdays,
  weekdays,
  weekdays,
  weekdays,
  weekdays,
  [{ open: '09:00', close: '12:00' }],
];
const site = { hours: HOURS, maxHours: 3 };
// 2026-12-04 (周五) 10:00 Asia/Shanghai
const NOW = Date.UTC(2026, 11, 4, 2, 0);

describe('dates and slots', () => {
  it('reads Asia/Shanghai dates and weekdays', () => {
    expect(shanghaiDate(NOW)).toBe('2026-12-04');
    expect(shanghaiDate(Date.UTC(2026, 11, 4, 16, 30))).toBe('2026-12-05'); // 00:30 next day
    expect(weekdayOf('2026-12-04')).toBe(5);
    expect(weekdayOf('2026-12-06')).toBe(0);
    expect(instantOf('2026-12-04', '10:00')).toBe(NOW);
  });
  it('names slots deterministically and splits a window into 30-minute slots', () => {
    expect(slotId('bk-1', '2026-12-07', '09:30')).toBe('bk-1_20261207_0930');
    expect(slotsOf('09:00', '10:30')).toEqual(['09:00', '09:30', '10:00']);
  });
  it('offers today and the next 30 days', () => {
    const d = bookableDates(NOW);
    expect(d).toHaveLength(31);
    expect(d[0]).toBe('2026-12-04');
    expect(d[30]).toBe('2027-01-03');
  });
  it('lists a day’s slots with the taken and past ones not free', () => {
    const s = daySlots('2026-12-04', HOURS, new Set(['14:00']), NOW);
    expect(s).toHaveLength(6 + 7);
    expect(s.find((x) => x.start === '09:30')).toMatchObject({ free: false, past: true });
    expect(s.find((x) => x.start === '10:00')).toMatchObject({ free: true, past: false });
    expect(s.find((x) => x.start === '14:00')).toMatchObject({ free: false, past: false });
    expect(daySlots('2026-12-06', HOURS, new Set(), NOW)).toEqual([]);
  });
});

describe('opening hours', () => {
  it('accepts well-formed weekly hours', () => {
    expect(checkWeeklyHours(HOURS)).toBeUndefined();
    expect(checkWeeklyHours([[{ open: '00:00', close: '24:00' }], [], [], [], [], [], []])).toBeUndefined();
  });
  it('refuses misaligned, reversed, overlapping hours and the wrong number of days', () => {
    expect(checkWeeklyHours(HOURS.slice(0, 6))).toMatch(/7 天/);
    expect(checkWeeklyHours([[{ open: '09:15', close: '12:00' }], [], [], [], [], [], []])).toMatch(/半小时/);
    expect(checkWeeklyHours([[{ open: '12:00', close: '09:00' }], [], [], [], [], [], []])).toMatch(/晚于/);
    expect(
      checkWeeklyHours([
        [
          { open: '09:00', close: '12:00' },
          { open: '11:00', close: '13:00' },
        ],
        [],
        [],
        [],
        [],
        [],
        [],
      ]),
    ).toMatch(/重叠/);
  });
});

describe('checkBooking', () => {
  const ok = (date: string, start: string, end: string, now = NOW) =>
    checkBooking({ date, start, end }, site, now);
  it('accepts a window inside one opening span', () => {
    const r = ok('2026-12-07', '09:00', '11:30');
    expect(r).toEqual({
      ok: true,
      window: {
        startAt: instantOf('2026-12-07', '09:00'),
        endAt: instantOf('2026-12-07', '11:30'),
        slots: ['09:00', '09:30', '10:00', '10:30', '11:00'],
      },
    });
    expect(ok('2026-12-04', '10:00', '10:30').ok).toBe(true); // starts now
  });
  it.each([
    ['2026-12-07', '09:15', '10:00', '半小时对齐'],
    ['2026-12-07', '10:00', '10:00', '晚于开始'],
    ['2026-12-07', '10:00', '12:30', '不在开放时间'],
    ['2026-12-07', '11:00', '15:00', '最多预约 3 小时'],
    ['2026-12-07', '11:30', '14:30', '不在开放时间'], // spans the lunch break
    ['2026-12-07', '07:00', '08:00', '不在开放时间'],
    ['2026-12-06', '09:00', '10:00', '周日不开放'],
    ['2026-12-04', '09:00', '09:30', '已经过去'],
    ['2027-01-04', '09:00', '10:00', '最多提前 30 天'],
    ['2026-13-01', '09:00', '10:00', '日期格式'],
    ['2026-12-07', '9:00', '10:00', '时间格式'],
  ])('%s %s–%s is refused (%s)', (date, start, end, message) => {
    const r = ok(date, start, end);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toContain(message);
  });
  it('allows the 30th day ahead', () => {
    expect(ok('2027-01-02', '09:00', '10:00').ok).toBe(true); // 周六
  });
});

describe('cancellation and check-in', () => {
  const b = { startAt: NOW + 3 * H, endAt: NOW + 4 * H, status: 'confirmed' };
  it('the booker cancels until 2 h before the start', () => {
    expect(cancelRefusal('booker', b, NOW)).toBeUndefined();
    expect(cancelRefusal('booker', b, NOW + H)).toBeUndefined();
    expect(cancelRefusal('booker', b, NOW + H + 1)).toMatch(/2 小时/);
  });
  it('a manager cancels any time before the end, with a reason', () => {
    expect(cancelRefusal('manager', b, NOW + 3.5 * H, '场地维修')).toBeUndefined();
    expect(cancelRefusal('manager', b, NOW, '')).toMatch(/原因/);
    expect(cancelRefusal('manager', b, NOW + 4 * H, '场地维修')).toMatch(/结束/);
  });
  it('nothing cancels a cancelled or checked-in booking', () => {
    expect(cancelRefusal('booker', { ...b, status: 'cancelled' }, NOW)).toMatch(/已取消/);
    expect(cancelRefusal('manager', { ...b, status: 'checkedIn' }, NOW, '原因')).toMatch(/已签到/);
  });
  it('check-in windows: code from 15 min before to the end; GPS within 15 min of the start', () => {
    const start = b.startAt;
    expect(checkInRefusal('code', b, start - 16 * 60_000)).toMatch(/15 分钟/);
    expect(checkInRefusal('code', b, start - 15 * 60_000)).toBeUndefined();
    expect(checkInRefusal('code', b, b.endAt)).toBeUndefined();
    expect(checkInRefusal('code', b, b.endAt + 1)).toMatch(/结束/);
    expect(checkInRefusal('gps', b, start + 15 * 60_000)).toBeUndefined();
    expect(checkInRefusal('gps', b, start + 15 * 60_000 + 1)).toMatch(/自助签到/);
    expect(checkInRefusal('gps', { ...b, status: 'pending' }, start)).toMatch(/审核/);
  });
});
