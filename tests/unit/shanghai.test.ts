import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';
import { shanghaiMonthKey, shanghaiYear } from '../../cloudfunctions/domain/shanghai';

dayjs.extend(utc);
dayjs.extend(timezone);

describe('Asia/Shanghai calendar keys (fixed +8 h)', () => {
  it('agrees with dayjs timezone at month and year edges', () => {
    const edges = [
      '2026-12-31T15:59:59.999Z', // 23:59:59.999 on 31 Dec in Shanghai
      '2026-12-31T16:00:00.000Z', // midnight 1 Jan 2027 in Shanghai
      '2026-02-28T16:00:00.000Z',
      '2024-02-29T12:00:00.000Z',
      '1999-09-30T16:00:00.000Z',
    ];
    for (const iso of edges) {
      const at = Date.parse(iso);
      const z = dayjs(at).tz('Asia/Shanghai');
      expect(shanghaiMonthKey(at)).toBe(z.format('YYYYMM'));
      expect(shanghaiYear(at)).toBe(z.year());
    }
  });

  it('agrees with dayjs timezone over a year of random instants', () => {
    let seed = 7;
    const next = () => (seed = (seed * 16807) % 2147483647);
    const base = Date.parse('2026-01-01T00:00:00Z');
    for (let i = 0; i < 500; i++) {
      const at = base + (next() % (366 * 24 * 3600)) * 1000;
      expect(shanghaiMonthKey(at)).toBe(dayjs(at).tz('Asia/Shanghai').format('YYYYMM'));
    }
  });
});
