import {
  appendIdempotent,
  balance,
  canRedeem,
  expiryEntries,
  pointsFor,
  type LedgerEntry,
} from '../../cloudfunctions/domain/points';

/** `y-m-d hh:00` in Asia/Shanghai (UTC+8, no DST). */
const cst = (y: number, m: number, d: number, h = 12) => Date.UTC(y, m - 1, d, h - 8);
const earned = (points: number, at: number, key: string): LedgerEntry => ({
  kind: 'earned',
  points,
  at,
  key,
});
const redeemed = (points: number, at: number, key: string): LedgerEntry => ({
  kind: 'redeemed',
  points: -points,
  at,
  key,
});

describe('pointsFor', () => {
  it('earns 1 point per recorded hour by default, whole points rounded down', () => {
    expect(pointsFor(3)).toBe(3);
    expect(pointsFor(1.5)).toBe(1);
    expect(pointsFor(0.5)).toBe(0);
    expect(pointsFor(0)).toBe(0);
    expect(pointsFor(-2)).toBe(0);
    expect(pointsFor(Number.NaN)).toBe(0);
  });

  it('uses the community rate', () => {
    expect(pointsFor(1.5, 2)).toBe(3);
    expect(pointsFor(2.5, 10)).toBe(25);
    expect(pointsFor(3, 0.1)).toBe(0);
    expect(pointsFor(30, 0.1)).toBe(3);
    expect(() => pointsFor(1, -1)).toThrow(RangeError);
  });
});

describe('ledger', () => {
  it('balance is the sum of the entries', () => {
    expect(balance([])).toBe(0);
    const entries: LedgerEntry[] = [
      earned(5, 1, 'a'),
      redeemed(3, 2, 'b'),
      { kind: 'adjusted', points: 2, at: 3, key: 'c' },
      { kind: 'expired', points: -1, at: 4, key: 'd' },
    ];
    expect(balance(entries)).toBe(3);
  });

  it('balance always equals the sum, whatever sequence of appends', () => {
    let entries: readonly LedgerEntry[] = [];
    let sum = 0;
    let seed = 7;
    const rnd = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let i = 0; i < 200; i++) {
      const points = Math.round(rnd() * 20) - 8;
      const key = `k${Math.floor(rnd() * 120)}`; // some keys repeat
      const r = appendIdempotent(entries, { kind: points >= 0 ? 'earned' : 'redeemed', points, at: i, key });
      if (r.added) sum += points;
      entries = r.entries;
      expect(balance(entries)).toBe(sum);
    }
    expect(new Set(entries.map((e) => e.key)).size).toBe(entries.length);
  });

  it('awards idempotently: the same key twice leaves the ledger unchanged', () => {
    const first = appendIdempotent([], earned(3, 1, 'checkout:s1:u1'));
    expect(first.added).toBe(true);
    expect(balance(first.entries)).toBe(3);
    const again = appendIdempotent(first.entries, earned(3, 2, 'checkout:s1:u1'));
    expect(again.added).toBe(false);
    expect(again.entries).toBe(first.entries);
    expect(balance(again.entries)).toBe(3);
  });

  it('does not mutate its input', () => {
    const entries: LedgerEntry[] = [earned(1, 1, 'a')];
    appendIdempotent(entries, earned(1, 2, 'b'));
    expect(entries).toHaveLength(1);
  });

  it('canRedeem needs enough points and a valid price', () => {
    expect(canRedeem(10, 10)).toEqual({ ok: true });
    expect(canRedeem(9, 10)).toEqual({ ok: false, reason: '积分不足：需要 10 分，当前 9 分' });
    expect(canRedeem(-3, 1)).toEqual({ ok: false, reason: '积分不足：需要 1 分，当前 0 分' });
    expect(canRedeem(10, 0)).toEqual({ ok: false, reason: '商品积分价格无效' });
    expect(canRedeem(10, 1.5).ok).toBe(false);
  });
});

describe('expiryEntries', () => {
  it('expires nothing before the expiry date has ended', () => {
    const entries = [earned(10, cst(2026, 3, 1), 'a')];
    expect(expiryEntries(entries, '12-31', cst(2026, 12, 31, 23))).toEqual([]);
    expect(expiryEntries([], '12-31', cst(2030, 1, 1))).toEqual([]);
  });

  it('expires the unspent points of a year at the end of 12-31 (Asia/Shanghai)', () => {
    const entries = [earned(10, cst(2026, 3, 1), 'a'), earned(5, cst(2026, 6, 1), 'b')];
    const out = expiryEntries(entries, '12-31', cst(2027, 1, 1, 0));
    expect(out).toEqual([{ kind: 'expired', points: -15, at: cst(2027, 1, 1, 0) - 1, key: 'expire-2026' }]);
    expect(balance([...entries, ...out])).toBe(0);
  });

  it('FIFO: a partial redemption uses the oldest points, so only the rest of that year expires', () => {
    const spentEarly = [
      earned(10, cst(2026, 5, 1), 'e1'),
      redeemed(6, cst(2026, 9, 1), 'r1'), // partial: 4 of 2026 left
      earned(8, cst(2026, 12, 31, 23), 'e2'), // still 2026
      earned(7, cst(2027, 1, 1, 0), 'e3'), // first hour of 2027 in Shanghai
    ];
    const out = expiryEntries(spentEarly, '12-31', cst(2027, 6, 1));
    expect(out).toEqual([expect.objectContaining({ kind: 'expired', points: -12, key: 'expire-2026' })]);
    expect(balance([...spentEarly, ...out])).toBe(7);
  });

  it('FIFO across years: a redemption in the new year takes the older points, which are then not expired twice', () => {
    const entries = [earned(10, cst(2026, 5, 1), 'e1'), earned(10, cst(2026, 11, 1), 'e2')];
    const first = expiryEntries(entries, '06-30', cst(2026, 7, 1, 12));
    // period ending 2026-06-30 holds e1 only
    expect(first).toEqual([{ kind: 'expired', points: -10, at: cst(2026, 7, 1, 0) - 1, key: 'expire-2026' }]);
    const ledger = [...entries, ...first, redeemed(4, cst(2027, 1, 15), 'r1')];
    // at the end of 2027-06-30, 6 of e2's 10 are left (the redemption took the oldest: e2)
    expect(expiryEntries(ledger, '06-30', cst(2027, 7, 1, 12))).toEqual([
      expect.objectContaining({ points: -6, key: 'expire-2027' }),
    ]);
  });

  it('catches up several years at once, FIFO within each', () => {
    const entries = [
      earned(10, cst(2024, 1, 1), 'a'),
      redeemed(3, cst(2024, 2, 1), 'r1'),
      earned(4, cst(2025, 1, 1), 'b'),
      redeemed(4, cst(2025, 2, 1), 'r2'), // uses all of 2025's (2024's expired already)
      earned(9, cst(2026, 1, 1), 'c'),
    ];
    const out = expiryEntries(entries, '12-31', cst(2027, 1, 2));
    expect(out.map((e) => [e.key, e.points])).toEqual([
      ['expire-2024', -7],
      ['expire-2026', -9],
    ]);
    expect(balance([...entries, ...out])).toBe(0);
  });

  it('is idempotent: running it again after appending returns nothing', () => {
    const entries = [earned(10, cst(2026, 3, 1), 'a'), redeemed(4, cst(2026, 4, 1), 'r')];
    const out = expiryEntries(entries, '12-31', cst(2027, 1, 5));
    expect(out).toHaveLength(1);
    let ledger: readonly LedgerEntry[] = entries;
    for (const e of out) ledger = appendIdempotent(ledger, e).entries;
    expect(expiryEntries(ledger, '12-31', cst(2027, 1, 5))).toEqual([]);
    expect(expiryEntries(ledger, '12-31', cst(2027, 12, 31))).toEqual([]);
    expect(balance(ledger)).toBe(0);
  });

  it('counts positive adjustments and refunds as new points; a debt is repaid first', () => {
    const entries: LedgerEntry[] = [
      { kind: 'adjusted', points: -5, at: cst(2026, 1, 5), key: 'fix' }, // debt of 5
      earned(8, cst(2026, 2, 1), 'a'), // repays 5, 3 left
      { kind: 'adjusted', points: 2, at: cst(2026, 3, 1), key: 'bonus' },
    ];
    expect(expiryEntries(entries, '12-31', cst(2027, 1, 5))).toEqual([
      expect.objectContaining({ points: -5, key: 'expire-2026' }),
    ]);
  });

  it('does not depend on the order of the entries in the array', () => {
    const entries = [
      redeemed(6, cst(2026, 9, 1), 'r1'),
      earned(10, cst(2026, 5, 1), 'e1'),
      earned(7, cst(2027, 2, 1), 'e3'),
    ];
    expect(expiryEntries(entries, '12-31', cst(2027, 6, 1))).toEqual([
      expect.objectContaining({ points: -4, key: 'expire-2026' }),
    ]);
  });

  it.each(['1231', '13-01', '02-29', '02-30', '00-10', ''])('refuses the expiry date %p', (bad) => {
    expect(() => expiryEntries([], bad, 0)).toThrow(RangeError);
  });
});
