/**
 * Export periods in Asia/Shanghai (UTC+8 all year, no daylight saving): 'YYYY', 'YYYY-MM',
 * 'YYYY-Qn' → [from, to) in epoch ms and a Chinese label for the title row.
 */
import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import { PERIOD } from '../../types/report-schemas';
import { SHANGHAI_OFFSET_MS } from '../domain/shanghai';

dayjs.extend(utc);

export interface PeriodRange {
  key: string;
  from: number;
  to: number;
  label: string;
}

const start = (y: number, m0: number) => Date.UTC(y, m0, 1) - SHANGHAI_OFFSET_MS;

export function periodRange(period: string): PeriodRange | undefined {
  const m = PERIOD.exec(period);
  if (!m) return undefined;
  const year = Number(m[1]);
  if (m[2]) {
    const month = Number(m[2]);
    return {
      key: period,
      from: start(year, month - 1),
      to: start(year, month),
      label: `${year}年${month}月`,
    };
  }
  if (m[3]) {
    const q = Number(m[3]);
    return {
      key: period,
      from: start(year, (q - 1) * 3),
      to: start(year, q * 3),
      label: `${year}年第${q}季度`,
    };
  }
  return { key: period, from: start(year, 0), to: start(year + 1, 0), label: `${year}年` };
}

/** The Asia/Shanghai month of an instant, 'YYYY-MM'. */
export const shanghaiMonth = (at: number): string => dayjs.utc(at + SHANGHAI_OFFSET_MS).format('YYYY-MM');
export const shanghaiYearOf = (at: number): string => dayjs.utc(at + SHANGHAI_OFFSET_MS).format('YYYY');

/** '2026年11月21日 10:00' in Asia/Shanghai. */
export const shanghaiText = (at: number): string =>
  dayjs.utc(at + SHANGHAI_OFFSET_MS).format('YYYY年M月D日 HH:mm');
