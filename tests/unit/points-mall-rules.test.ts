import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';
import {
  capToBalance,
  expiryEnd,
  expiryId,
  expiryPeriod,
  redeemCheck,
  toRuleEntries,
  validExpiryDate,
} from '../../cloudfunctions/points/rules';
import { expiryEntries } from '../../cloudfunctions/domain/points';
import type { PointsEntry } from '../../types/domain';

dayjs.extend(utc);
dayjs.extend(timezone);
const sh = (s: string) => dayjs.tz(s, 'Asia/Shanghai').valueOf();

describe('redeemCheck', () => {
  const goods = { onSale: true, stock: 3, price: 30 };
  it('needs the goods on sale, in stock, and enough points', () => {
    expect(redeemCheck(goods, 30)).toEqual({ ok: true });
    expect(redeemCheck(goods, 29)).toEqual({ ok: false, reason: '积分不足：需要 30 分，当前 29 分' });
    expect(redeemCheck({ ...goods, stock: 0 }, 100)).toEqual({ ok: false, reason: '已兑完' });
    expect(redeemCheck({ ...goods, onSale: false }, 100)).toEqual({ ok: false, reason: '商品已下架' });
    // Off sale wins over sold out, sold out over points.
    expect(redeemCheck({ ...goods, onSale: false, stock: 0 }, 0)).toMatchObject({ reason: '商品已下架' });
    expect(redeemCheck({ ...goods, stock: 0 }, 0)).toMatchObject({ reason: '已兑完' });
  });
});

describe('expiry dates', () => {
  it('accepts only dates that exist every year', () => {
    expect(validExpiryDate('12-31')).toBe('12-31');
    expect(validExpiryDate('06-30')).toBe('06-30');
    for (const bad of ['02-29', '13-01', '00-10', '04-31', '1231', '', null, undefined]) {
      expect(validExpiryDate(bad)).toBeUndefined();
    }
  });

  it('ends at midnight after the date in Asia/Shanghai; a period is the year whose date ends next', () => {
    expect(expiryEnd(2026, '12-31')).toBe(sh('2027-01-01 00:00'));
    expect(expiryEnd(2026, '06-30')).toBe(sh('2026-07-01 00:00'));
    expect(expiryPeriod(sh('2026-12-31 23:59'), '12-31')).toBe(2026);
    expect(expiryPeriod(sh('2027-01-01 00:00'), '12-31')).toBe(2027);
    expect(expiryPeriod(sh('2026-06-30 23:59'), '06-30')).toBe(2026);
    expect(expiryPeriod(sh('2026-07-01 00:00'), '06-30')).toBe(2027);
    // 2026-12-31 20:00 UTC is already 2027-01-01 in Shanghai.
    expect(expiryPeriod(Date.UTC(2026, 11, 31, 20), '12-31')).toBe(2027);
  });
});

describe('ledger ↔ expiry rule', () => {
  const entry = (over: Partial<PointsEntry>): PointsEntry => ({
    _id: 'x',
    openid: 'u1',
    communityId: 'c',
    kind: 'earned',
    points: 10,
    at: 0,
    by: 'test',
    ...over,
  });

  it('maps expiry ids to the rule’s keys and back, so a written expiry is not computed again', () => {
    const ledger = [
      entry({ _id: 'earn_a', points: 50, at: sh('2026-03-01 10:00') }),
      entry({ _id: 'earn_b', points: 20, at: sh('2027-03-01 10:00') }),
    ];
    const due = expiryEntries(toRuleEntries(ledger), '12-31', sh('2027-06-01 00:00'));
    expect(due).toEqual([expect.objectContaining({ key: 'expire-2026', points: -50 })]);
    expect(expiryId('u1', due[0]!.key)).toBe('expire_u1_2026');
    const written = [
      ...ledger,
      entry({ _id: 'expire_u1_2026', kind: 'expired', points: -50, at: due[0]!.at }),
    ];
    expect(toRuleEntries(written)[2]).toMatchObject({ key: 'expire-2026' });
    expect(expiryEntries(toRuleEntries(written), '12-31', sh('2027-06-01 00:00'))).toEqual([]);
  });

  it('an earned entry whose id happens to end in a year keeps its own key', () => {
    expect(toRuleEntries([entry({ _id: 'earn_act_2026' })])[0]!.key).toBe('earn_act_2026');
  });

  it('never expires more than the balance, oldest period first', () => {
    const due = [
      { kind: 'expired' as const, points: -30, at: 1, key: 'expire-2025' },
      { kind: 'expired' as const, points: -20, at: 2, key: 'expire-2026' },
    ];
    expect(capToBalance(due, 100)).toEqual(due);
    expect(capToBalance(due, 40)).toEqual([due[0], { ...due[1], points: -10 }]);
    expect(capToBalance(due, 30)).toEqual([due[0]]);
    expect(capToBalance(due, 0)).toEqual([]);
    expect(capToBalance(due, -5)).toEqual([]);
  });
});
