import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';

dayjs.extend(utc);
dayjs.extend(timezone);

export const TZ = 'Asia/Shanghai';
const WEEKDAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];

/**
 * The instant in Asia/Shanghai. The timezone plugin needs Intl time-zone data, which some
 * mini-program JS engines lack; China has no DST, so a fixed +08:00 offset is the exact fallback.
 */
export function shanghai(ms: number): dayjs.Dayjs {
  try {
    return dayjs(ms).tz(TZ);
  } catch {
    return dayjs(ms).utcOffset(480);
  }
}

function dayPart(d: dayjs.Dayjs, now: dayjs.Dayjs): string {
  const year = d.year() !== now.year() ? `${d.year()}年` : '';
  return `${year}${d.month() + 1}月${d.date()}日 ${WEEKDAYS[d.day()]}`;
}

/** `11月21日 周六 14:00–16:00` (another day's end: `… 14:00 – 11月22日 周日 12:00`). */
export function formatRange(startAt: number, endAt: number, nowMs: number = Date.now()): string {
  const s = shanghai(startAt);
  const e = shanghai(endAt);
  const now = shanghai(nowMs);
  const start = `${dayPart(s, now)} ${s.format('HH:mm')}`;
  if (s.format('YYYY-MM-DD') === e.format('YYYY-MM-DD')) return `${start}–${e.format('HH:mm')}`;
  return `${start} – ${dayPart(e, now)} ${e.format('HH:mm')}`;
}

/** `11月21日 周六 14:00` */
export function formatInstant(ms: number, nowMs: number = Date.now()): string {
  const d = shanghai(ms);
  return `${dayPart(d, shanghai(nowMs))} ${d.format('HH:mm')}`;
}

/** `YYYY-MM-DD` and `HH:mm` parts in Shanghai time (for pickers). */
export function toParts(ms: number): { date: string; time: string } {
  const d = shanghai(ms);
  return { date: d.format('YYYY-MM-DD'), time: d.format('HH:mm') };
}

/** Epoch ms of a Shanghai wall-clock date (`YYYY-MM-DD`) and time (`HH:mm`). */
export function fromParts(date: string, time: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2})$/.exec(time);
  if (!m || !t) return NaN;
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +t[1] - 8, +t[2]);
}

/** "3小时前" style relative time for lists. */
export function fromNow(ms: number, nowMs: number = Date.now()): string {
  const diff = nowMs - ms;
  const min = 60_000;
  if (diff < min) return '刚刚';
  if (diff < 60 * min) return `${Math.floor(diff / min)}分钟前`;
  if (diff < 24 * 60 * min) return `${Math.floor(diff / (60 * min))}小时前`;
  if (diff < 7 * 24 * 60 * min) return `${Math.floor(diff / (24 * 60 * min))}天前`;
  return formatInstant(ms, nowMs);
}

export type DateFilter = 'any' | 'today' | 'tomorrow' | 'week';

/** Start-time window for a list date filter, in Shanghai days: [from, to). */
export function dateWindow(filter: DateFilter, nowMs: number = Date.now()): { from?: number; to?: number } {
  if (filter === 'any') return {};
  const today = shanghai(nowMs).startOf('day');
  if (filter === 'today') return { from: today.valueOf(), to: today.add(1, 'day').valueOf() };
  if (filter === 'tomorrow')
    return { from: today.add(1, 'day').valueOf(), to: today.add(2, 'day').valueOf() };
  return { from: today.valueOf(), to: today.add(7, 'day').valueOf() };
}

export type StatsPeriod = 'thisMonth' | 'lastMonth' | 'thisYear';

/** [from, to) of a statistics period in Shanghai calendar terms. */
export function periodRange(period: StatsPeriod, nowMs: number = Date.now()): { from: number; to: number } {
  const now = shanghai(nowMs);
  if (period === 'thisYear') {
    const start = now.startOf('year');
    return { from: start.valueOf(), to: start.add(1, 'year').valueOf() };
  }
  const thisMonth = now.startOf('month');
  if (period === 'lastMonth') {
    return { from: thisMonth.subtract(1, 'month').valueOf(), to: thisMonth.valueOf() };
  }
  return { from: thisMonth.valueOf(), to: thisMonth.add(1, 'month').valueOf() };
}
