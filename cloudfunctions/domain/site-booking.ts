/**
 * 阵地 booking rules (pure). Times are Asia/Shanghai wall-clock times: a date 'YYYY-MM-DD' and
 * times 'HH:mm' on a 30-minute grid. Shanghai has no daylight saving, so an instant is the wall
 * time minus 8 hours.
 *
 * A booking takes whole 30-minute slots; each slot of a site on a date is one document with the
 * deterministic id `slotId(siteId, date, hhmm)`, written by the booking transaction, so two
 * bookings of one slot are a write conflict and never both stored.
 */
import type { SiteBooking, WeeklyHours } from '../../types/sites';
import { timeKey } from './grievance-tally';
import { SHANGHAI_OFFSET_MS as SHANGHAI_OFFSET } from './shanghai';

export const SLOT_MINUTES = 30;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** How far ahead a slot can be booked (days from today, Asia/Shanghai). */
export const BOOK_AHEAD_DAYS = 30;
/** A booker may cancel until this long before the start. */
export const BOOKER_CANCEL_BEFORE_MS = 2 * HOUR;
/** The booker's own GPS check-in: from this long before the start to this long after it. */
export const SELF_CHECK_IN_MS = 15 * MINUTE;
/** Radius for the booker's GPS check-in (the volunteer check-in rule). */
export const CHECK_IN_RADIUS_M = 500;
/** Default and largest allowed "at most N hours per booking". */
export const DEFAULT_MAX_HOURS = 4;
export const MAX_MAX_HOURS = 12;

export const WEEKDAY_NAMES = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];

const TIME = /^([01]\d|2[0-4]):([0-5]\d)$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Minutes since midnight of 'HH:mm' (24:00 allowed as the end of a day), or undefined. */
export function minutesOf(hhmm: string): number | undefined {
  const m = TIME.exec(hhmm);
  if (!m) return undefined;
  const total = Number(m[1]) * 60 + Number(m[2]);
  return total > 24 * 60 ? undefined : total;
}

export const hhmmOf = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** Milliseconds since the epoch of midnight (Asia/Shanghai) of a 'YYYY-MM-DD', or undefined. */
export function dayStart(date: string): number | undefined {
  const m = DATE.exec(date);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const utc = Date.UTC(y, mo - 1, d);
  const back = new Date(utc);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d)
    return undefined;
  return utc - SHANGHAI_OFFSET;
}

/** The Asia/Shanghai date 'YYYY-MM-DD' of an instant. */
export function shanghaiDate(at: number): string {
  return new Date(at + SHANGHAI_OFFSET).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday, of a 'YYYY-MM-DD'. */
export function weekdayOf(date: string): number {
  return new Date((dayStart(date) ?? 0) + SHANGHAI_OFFSET).getUTCDay();
}

export const instantOf = (date: string, hhmm: string) =>
  (dayStart(date) ?? NaN) + (minutesOf(hhmm) ?? NaN) * MINUTE;

/** Deterministic slot document id: `${siteId}_${yyyymmdd}_${hhmm}`. */
export const slotId = (siteId: string, date: string, hhmm: string) =>
  `${siteId}_${date.replace(/-/g, '')}_${hhmm.replace(':', '')}`;

/** The 30-minute slot starts ('HH:mm') covering [start, end). */
export function slotsOf(start: string, end: string): string[] {
  const a = minutesOf(start);
  const b = minutesOf(end);
  if (a === undefined || b === undefined) return [];
  const out: string[] = [];
  for (let m = a; m < b; m += SLOT_MINUTES) out.push(hhmmOf(m));
  return out;
}

export const hoursText = (spans: { open: string; close: string }[]) =>
  spans.length
    ? spans.map((s) => `${s.open.replace(/^0/, '')}–${s.close.replace(/^0/, '')}`).join('、')
    : '不开放';

/** A site's weekly opening hours are well-formed: 7 days, aligned, ordered, not overlapping. */
export function checkWeeklyHours(hours: WeeklyHours): string | undefined {
  if (hours.length !== 7) return '开放时间须按周日到周六填写 7 天';
  for (let day = 0; day < 7; day++) {
    let last = -1;
    for (const span of hours[day] ?? []) {
      const open = minutesOf(span.open);
      const close = minutesOf(span.close);
      if (open === undefined || close === undefined) return `${WEEKDAY_NAMES[day]}的开放时间格式应为 09:00`;
      if (open % SLOT_MINUTES || close % SLOT_MINUTES) return `${WEEKDAY_NAMES[day]}的开放时间须按半小时对齐`;
      if (close <= open) return `${WEEKDAY_NAMES[day]}的关门时间须晚于开门时间`;
      if (open < last) return `${WEEKDAY_NAMES[day]}的开放时段不能重叠，请按时间先后填写`;
      last = close;
    }
  }
  return undefined;
}

export interface BookingRequest {
  date: string;
  start: string;
  end: string;
}

export interface BookingWindow {
  startAt: number;
  endAt: number;
  slots: string[];
}

/**
 * Whether [start, end) on `date` can be booked at a site with these hours at `now`: aligned to
 * 30 minutes, within one opening span of that weekday, at most `maxHours`, not in the past, at
 * most BOOK_AHEAD_DAYS ahead. Returns the window or a Chinese message saying what is wrong.
 */
export function checkBooking(
  req: BookingRequest,
  site: { hours: WeeklyHours; maxHours: number },
  now: number,
): { ok: true; window: BookingWindow } | { ok: false; message: string } {
  const no = (message: string) => ({ ok: false as const, message });
  const day = dayStart(req.date);
  if (day === undefined) return no('日期格式应为 2026-12-05');
  const a = minutesOf(req.start);
  const b = minutesOf(req.end);
  if (a === undefined || b === undefined) return no('时间格式应为 09:00');
  if (a % SLOT_MINUTES || b % SLOT_MINUTES) return no('预约时间须按半小时对齐（如 9:00、9:30）');
  if (b <= a) return no('结束时间须晚于开始时间');
  if (b - a > site.maxHours * 60) return no(`每次最多预约 ${site.maxHours} 小时`);
  const startAt = day + a * MINUTE;
  const endAt = day + b * MINUTE;
  if (startAt < now) return no('不能预约已经过去的时间');
  const today = dayStart(shanghaiDate(now))!;
  if (day > today + BOOK_AHEAD_DAYS * DAY) return no(`最多提前 ${BOOK_AHEAD_DAYS} 天预约`);
  const weekday = weekdayOf(req.date);
  const spans = site.hours[weekday] ?? [];
  if (!spans.length) return no(`${WEEKDAY_NAMES[weekday]}不开放`);
  const inside = spans.some((s) => minutesOf(s.open)! <= a && b <= minutesOf(s.close)!);
  if (!inside) return no(`不在开放时间内（${WEEKDAY_NAMES[weekday]} ${hoursText(spans)}）`);
  return { ok: true, window: { startAt, endAt, slots: slotsOf(req.start, req.end) } };
}

/** Every slot start of a date's opening hours with whether it can still be booked. */
export function daySlots(
  date: string,
  hours: WeeklyHours,
  taken: Set<string>,
  now: number,
): { start: string; end: string; free: boolean; past: boolean }[] {
  const day = dayStart(date);
  if (day === undefined) return [];
  const out: { start: string; end: string; free: boolean; past: boolean }[] = [];
  for (const span of hours[weekdayOf(date)] ?? []) {
    for (const start of slotsOf(span.open, span.close)) {
      const past = day + minutesOf(start)! * MINUTE < now;
      out.push({
        start,
        end: hhmmOf(minutesOf(start)! + SLOT_MINUTES),
        free: !past && !taken.has(start),
        past,
      });
    }
  }
  return out;
}

export type Canceller = 'booker' | 'manager';

/**
 * Who may cancel when: the booker until 2 h before the start; a manager any time before the end,
 * with a reason. Returns a Chinese message when refused.
 */
export function cancelRefusal(
  who: Canceller,
  booking: { startAt: number; endAt: number; status: string },
  now: number,
  reason?: string,
): string | undefined {
  if (booking.status === 'cancelled' || booking.status === 'rejected') return '该预约已取消';
  if (booking.status === 'checkedIn') return '已签到的预约不能取消';
  if (who === 'manager') {
    if (!reason || reason.trim().length < 2) return '取消他人的预约须填写原因（至少 2 个字）';
    if (now >= booking.endAt) return '预约时段已结束，不能取消';
    return undefined;
  }
  if (now > booking.startAt - BOOKER_CANCEL_BEFORE_MS) return '开始前 2 小时内不能自行取消，请联系阵地管理员';
  return undefined;
}

/** Check-in windows: by the manager (code) from 15 min before the start to the end; by the
 *  booker's GPS within 15 min of the start. */
export function checkInRefusal(
  how: 'code' | 'gps',
  booking: { startAt: number; endAt: number; status: string },
  now: number,
): string | undefined {
  if (booking.status === 'checkedIn') return '已签到';
  if (booking.status === 'pending') return '预约尚未通过审核，不能签到';
  if (booking.status !== 'confirmed') return '预约已取消，不能签到';
  if (now < booking.startAt - SELF_CHECK_IN_MS) return '开始前 15 分钟才能签到';
  const closes = how === 'gps' ? booking.startAt + SELF_CHECK_IN_MS : booking.endAt;
  if (now > closes)
    return how === 'gps'
      ? '已超过自助签到时间（开始后 15 分钟内），请向管理员出示签到码'
      : '预约时段已结束，不能签到';
  return undefined;
}

/** A 6-digit check-in code from random bytes (shown to the booker only). */
export function checkInCode(random: () => number = Math.random): string {
  return String(Math.floor(random() * 1_000_000)).padStart(6, '0');
}

/** The Asia/Shanghai year of a date 'YYYY-MM-DD'. */
export const yearOfDate = (date: string) => Number(date.slice(0, 4));

/** The dates a day picker offers: today and the next BOOK_AHEAD_DAYS days. */
export function bookableDates(now: number): string[] {
  const today = dayStart(shanghaiDate(now))!;
  return Array.from({ length: BOOK_AHEAD_DAYS + 1 }, (_, i) => shanghaiDate(today + i * DAY));
}

/**
 * The booker's reminder goes out this long before the start: an hour before their own cancellation
 * closes (BOOKER_CANCEL_BEFORE_MS), so they can still free the slot for others. (Activity
 * reminders, activity/notifications.ts, go out 2 h before.)
 */
export const BOOKING_REMINDER_LEAD_MS = 3 * HOUR;

type Remindable = { status: string; startAt: number; remindedAt?: number };

/**
 * When the booker's reminder is due, for a booking as it is written at `now`: only a confirmed
 * booking not yet reminded, and only if it was confirmed before the lead time (one confirmed closer
 * to its start was just booked or approved, and that message told the booker). Undefined: no
 * reminder (pending, turned down, cancelled, checked in, already reminded).
 */
export function reminderDueAt(b: Remindable, now: number): number | undefined {
  if (b.status !== 'confirmed' || b.remindedAt !== undefined) return undefined;
  const due = b.startAt - BOOKING_REMINDER_LEAD_MS;
  return now < due ? due : undefined;
}

/** Whether the timer sends the reminder of a (re-read) booking now: confirmed, not yet reminded,
 *  due, and not started yet (a timer that was down does not remind of a slot that has begun). */
export function reminderDue(b: Remindable, now: number): boolean {
  return (
    b.status === 'confirmed' &&
    b.remindedAt === undefined &&
    now >= b.startAt - BOOKING_REMINDER_LEAD_MS &&
    now < b.startAt
  );
}

/** A booking as it is stored at `now`: `remindKey` is set exactly while its reminder is to come, so
 *  turned-down, cancelled, checked-in and reminded bookings leave the timer's index. */
export function withRemindKey(b: SiteBooking, now: number): SiteBooking {
  const { remindKey: _key, ...rest } = b;
  const due = reminderDueAt(b, now);
  return due === undefined ? rest : { ...rest, remindKey: timeKey(due) };
}
