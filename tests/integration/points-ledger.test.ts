/**
 * The points ledger: summary (with what expires next), the caller's ledger, worker adjustments,
 * the yearly expiry timer job, and the demo mall seed.
 */
import type { Job, PointsEntry } from '../../types/domain';
import * as ledgers from '../../cloudfunctions/volunteer/ledgers';
import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';
import { createHarness, DAY, type Harness } from '../helpers/harness';
import { seedDemoMall } from '../../tools/runtime/seed-points';
import type { AuditEntry } from '../../types/domain';
import { pointsKit } from './points-fixtures';
import {
  addUser,
  HP as HEPING,
  OTHER_WORKER as HEPING_WORKER,
  RESIDENT,
  UNIT, // browses community-heping
  VOLUNTEER,
  WORKER,
  XFL,
} from './volunteer-fixtures';

dayjs.extend(utc);
dayjs.extend(timezone);

/** Epoch ms of a Shanghai wall-clock time. */
const sh = (s: string) => dayjs.tz(s, 'Asia/Shanghai').valueOf();

let h: Harness;
const { all, give: put, reset, snapshot: points, expectLedgersBalanced } = pointsKit(() => h);
beforeEach(async () => {
  h = await createHarness();
  await reset(['audit_log', 'volunteer_settings', 'volunteers'], { otherWorker: true });
});
afterEach(() => h.close());

const setExpiry = (communityId: string, pointsExpiry: string | null) =>
  h.rt.runtime.db
    .collection('volunteer_settings')
    .doc(communityId)
    .set({ pointsPerHour: 1, pointsExpiry, updatedAt: h.clock.now, updatedBy: WORKER });

/** The 'expired' ledger entries that exist (test-sized data: read them all). */
async function expiredEntries(): Promise<Map<string, PointsEntry>> {
  const { data } = await h.rt.runtime.db
    .collection('points_ledger')
    .where({ kind: 'expired' })
    .limit(1000)
    .get();
  return new Map((data as PointsEntry[]).map((e) => [e._id, e]));
}

/** Runs the timer once (it queues the expiry job and runs it): the points and accounts it expired. */
async function expiryReport(): Promise<{ expired: number; accounts: number }> {
  const before = await expiredEntries();
  await h.rt.tick();
  const added = [...(await expiredEntries()).values()].filter((e) => !before.has(e._id));
  return {
    expired: added.reduce((sum, e) => sum - e.points, 0),
    accounts: new Set(added.map((e) => e.openid)).size,
  };
}

describe('summary and ledger', () => {
  it('shows the balance, points earned, and the caller’s ledger newest first, filtered and paged', async () => {
    expect(await h.call(VOLUNTEER, 'points', 'summary', {})).toEqual({ balance: 0, earned: 0 });
    expect(await h.call(VOLUNTEER, 'points', 'ledger', {})).toEqual({ items: [], total: 0 });

    await put(VOLUNTEER, 10, h.clock.now - 3 * DAY);
    await put(VOLUNTEER, 5, h.clock.now - 2 * DAY);
    await put(VOLUNTEER, -4, h.clock.now - DAY, 'redeemed');
    await put(RESIDENT, 7);

    expect(await h.call(VOLUNTEER, 'points', 'summary', {})).toEqual({ balance: 11, earned: 15 });
    const ledger = await h.call(VOLUNTEER, 'points', 'ledger', { pageSize: 2 });
    expect(ledger.total).toBe(3);
    expect(ledger.items.map((e) => e.points)).toEqual([-4, 5]);
    expect(ledger.items[0]).not.toHaveProperty('openid');
    expect(ledger.items[0]).not.toHaveProperty('by');
    const rest = await h.call(VOLUNTEER, 'points', 'ledger', { pageSize: 2, cursor: ledger.nextCursor });
    expect(rest.items.map((e) => e.points)).toEqual([10]);
    const earned = await h.call(VOLUNTEER, 'points', 'ledger', { kind: 'earned' });
    expect(earned.items.map((e) => e.points)).toEqual([5, 10]);
    expect((await h.fail(VOLUNTEER, 'points', 'ledger', { kind: 'bonus' })).code).toBe('INVALID_INPUT');
    expect((await h.fail(VOLUNTEER, 'points', 'summary', { openid: RESIDENT })).code).toBe('INVALID_INPUT');
  });
});

describe('adjust', () => {
  it('a worker of the community adjusts with a reason, audited; never below zero', async () => {
    await put(VOLUNTEER, 10);
    h.clock.advance(1000);
    const plus = await h.call(WORKER, 'points', 'adjust', {
      openid: VOLUNTEER,
      communityId: XFL,
      points: 20,
      reason: '协助组织社区运动会',
    });
    expect(plus).toMatchObject({
      kind: 'adjusted',
      points: 20,
      reason: '协助组织社区运动会',
      at: h.clock.now,
    });
    expect(plus._id).toMatch(/^adjust_/);
    expect(await h.call(VOLUNTEER, 'points', 'summary', {})).toEqual({ balance: 30, earned: 10 });
    expect(await all<AuditEntry>('audit_log')).toEqual([
      expect.objectContaining({
        action: 'pointsAdjusted',
        actor: WORKER,
        subject: VOLUNTEER,
        communityId: XFL,
        detail: expect.stringContaining('+20'),
      }),
    ]);

    const before = await points();
    const over = await h.fail(WORKER, 'points', 'adjust', {
      openid: VOLUNTEER,
      communityId: XFL,
      points: -31,
      reason: '扣减测试',
    });
    expect(over.code).toBe('CONFLICT');
    expect(over.message).toContain('当前 30 分');
    const refusals: [string, Record<string, unknown>, string][] = [
      [RESIDENT, { openid: VOLUNTEER, communityId: XFL, points: 5, reason: '自己加分' }, 'FORBIDDEN'],
      [VOLUNTEER, { openid: VOLUNTEER, communityId: XFL, points: 5, reason: '自己加分' }, 'FORBIDDEN'],
      [HEPING_WORKER, { openid: VOLUNTEER, communityId: XFL, points: 5, reason: '跨社区' }, 'FORBIDDEN'],
      // Their own community, but the volunteer is not theirs.
      [HEPING_WORKER, { openid: VOLUNTEER, communityId: HEPING, points: 5, reason: '跨社区' }, 'FORBIDDEN'],
      [WORKER, { openid: 'nobody', communityId: XFL, points: 5, reason: '不存在的人' }, 'NOT_FOUND'],
      [WORKER, { openid: VOLUNTEER, communityId: XFL, points: 5, reason: ' ' }, 'INVALID_INPUT'],
      [WORKER, { openid: VOLUNTEER, communityId: XFL, points: 5 }, 'INVALID_INPUT'],
      [WORKER, { openid: VOLUNTEER, communityId: XFL, points: 0, reason: '零分调整' }, 'INVALID_INPUT'],
      [WORKER, { openid: VOLUNTEER, communityId: XFL, points: 1.5, reason: '小数调整' }, 'INVALID_INPUT'],
    ];
    for (const [who, data, code] of refusals) {
      expect([who, data, (await h.fail(who, 'points', 'adjust', data)).code]).toEqual([who, data, code]);
    }
    expect(await points()).toEqual(before);

    const minus = await h.call(WORKER, 'points', 'adjust', {
      openid: VOLUNTEER,
      communityId: XFL,
      points: -30,
      reason: '重复计分，予以更正',
    });
    expect(minus.points).toBe(-30);
    expect((await h.call(VOLUNTEER, 'points', 'summary', {})).balance).toBe(0);
    await expectLedgersBalanced();
  });

  it('uses the volunteer registration’s community over the one being browsed', async () => {
    // demo-unit browses 和平社区 but is registered as a volunteer in 幸福里.
    await h.rt.runtime.db
      .collection('volunteers')
      .doc(UNIT)
      .set({ openid: UNIT, communityId: XFL, status: 'approved' });
    expect(
      (
        await h.fail(HEPING_WORKER, 'points', 'adjust', {
          openid: UNIT,
          communityId: HEPING,
          points: 3,
          reason: '测试调整',
        })
      ).code,
    ).toBe('FORBIDDEN');
    await h.call(WORKER, 'points', 'adjust', {
      openid: UNIT,
      communityId: XFL,
      points: 3,
      reason: '测试调整',
    });
    expect((await h.call(UNIT, 'points', 'summary', {})).balance).toBe(3);
  });
});

describe('yearly expiry', () => {
  it('expires the unspent points of the passed period (oldest spent first), once, and says what expires next', async () => {
    await setExpiry(XFL, '06-30');
    // Period 2026 ends 2026-06-30 (Shanghai); the clock is 2026-11-21, in period 2027.
    await put(VOLUNTEER, 50, sh('2026-05-01 10:00'));
    await put(VOLUNTEER, -20, sh('2026-06-15 10:00'), 'redeemed');
    await put(VOLUNTEER, 40, sh('2026-08-01 10:00'));
    await put(VOLUNTEER, -10, sh('2026-10-01 10:00'), 'redeemed');
    await put(RESIDENT, 25, sh('2026-09-01 10:00')); // period 2027 only: nothing to expire
    await put(UNIT, 15, sh('2026-03-01 10:00')); // 和平社区 has no expiry date

    // Before the sweep, the summary warns about everything the next expiry will take.
    expect((await h.call(VOLUNTEER, 'points', 'summary', {})).expiring).toEqual({
      points: 60,
      at: sh('2027-07-01 00:00') - 1,
    });

    expect(await expiryReport()).toEqual({ expired: 30, accounts: 1 });
    const expired = (await h.call(VOLUNTEER, 'points', 'ledger', { kind: 'expired' })).items;
    expect(expired).toEqual([
      expect.objectContaining({
        _id: `expire_${VOLUNTEER}_2026`,
        kind: 'expired',
        points: -30,
        at: sh('2026-07-01 00:00') - 1,
      }),
    ]);
    expect(await h.call(VOLUNTEER, 'points', 'summary', {})).toEqual({
      balance: 30,
      earned: 90,
      expiring: { points: 30, at: sh('2027-07-01 00:00') - 1 },
    });
    expect(await h.call(RESIDENT, 'points', 'summary', {})).toEqual({
      balance: 25,
      earned: 25,
      expiring: { points: 25, at: sh('2027-07-01 00:00') - 1 },
    });
    expect(await h.call(UNIT, 'points', 'summary', {})).toEqual({ balance: 15, earned: 15 });

    // Running again changes nothing — with the per-period marker, and without it.
    const once = await points();
    expect(await expiryReport()).toEqual({ expired: 0, accounts: 0 });
    expect(await points()).toEqual(once);
    const { data: markers } = await h.rt.runtime.db.collection('counters').limit(100).get();
    const marker = (markers as { _id: string }[]).find((m) => m._id.startsWith('points-expiry_'));
    expect(marker?._id).toBe(`points-expiry_${XFL}_06-30_2026`);
    await h.rt.runtime.db.collection('counters').doc(marker!._id).remove();
    expect(await expiryReport()).toEqual({ expired: 0, accounts: 0 });
    expect(await points()).toEqual(once);
    await expectLedgersBalanced();
  });

  it('expires at the end of the date in Asia/Shanghai, not before', async () => {
    await setExpiry(XFL, '12-31');
    await put(VOLUNTEER, 12, sh('2026-11-01 10:00'));
    h.clock.set(sh('2026-12-31 23:59'));
    expect(await expiryReport()).toEqual({ expired: 0, accounts: 0 });
    expect((await h.call(VOLUNTEER, 'points', 'summary', {})).balance).toBe(12);
    h.clock.set(sh('2027-01-01 00:01'));
    expect(await expiryReport()).toEqual({ expired: 12, accounts: 1 });
    expect(await h.call(VOLUNTEER, 'points', 'summary', {})).toEqual({ balance: 0, earned: 12 });
    // Points earned in the new period are safe until the next year's date.
    await put(VOLUNTEER, 8);
    expect(await expiryReport()).toEqual({ expired: 0, accounts: 0 });
    expect(await h.call(VOLUNTEER, 'points', 'summary', {})).toEqual({
      balance: 8,
      earned: 20,
      expiring: { points: 8, at: sh('2028-01-01 00:00') - 1 },
    });
    await expectLedgersBalanced();
  });

  it('never takes more than the balance (points spent after the date but before the sweep)', async () => {
    await setExpiry(XFL, '06-30');
    await put(VOLUNTEER, 50, sh('2026-05-01 10:00'));
    await put(VOLUNTEER, -40, h.clock.now, 'redeemed');
    expect(await expiryReport()).toEqual({ expired: 10, accounts: 1 });
    expect((await h.call(VOLUNTEER, 'points', 'summary', {})).balance).toBe(0);
    await expectLedgersBalanced();
  });

  it('runs as a background job that resumes from its cursor after a failed batch, expiring each account once', async () => {
    await setExpiry(XFL, '06-30');
    const people = Array.from({ length: 150 }, (_, i) => `expiry-${String(i).padStart(3, '0')}`);
    for (const p of people) {
      await addUser(h, p, [{ role: 'resident' }]);
      await put(p, 10, sh('2026-05-01 10:00'));
    }
    // The 120th account read fails once: the second batch (accounts 101–150) stops there.
    let reads = 0;
    const original = ledgers.readAccount;
    const spy = jest.spyOn(ledgers, 'readAccount').mockImplementation(async (...args) => {
      if (++reads === 120) throw new Error('injected failure');
      return original(...args);
    });
    const logged = jest.spyOn(console, 'error').mockImplementation(() => {});
    const first = await expiryReport();
    spy.mockRestore();
    logged.mockRestore();
    expect(first.accounts).toBeGreaterThanOrEqual(100);
    expect(first.accounts).toBeLessThan(150);
    const job = (await all<Job>('jobs')).find((j) => j.kind === 'pointsExpiry');
    expect(job).toMatchObject({ status: 'pending', cursor: people[99], lastError: 'injected failure' });

    h.clock.advance(60_000); // past the retry backoff
    const second = await expiryReport();
    expect(first.accounts + second.accounts).toBe(150);
    const expired = await expiredEntries();
    for (const p of people) expect(expired.get(`expire_${p}_2026`)?.points).toBe(-10);
    expect(expired.size).toBe(150);
    expect((await all<Job>('jobs')).find((j) => j.kind === 'pointsExpiry')?.status).toBe('done');
    await expectLedgersBalanced();
  });

  it('does nothing, cheaply, when no community has an expiry date', async () => {
    await setExpiry(XFL, null);
    await put(VOLUNTEER, 50, sh('2025-05-01 10:00'));
    expect(await expiryReport()).toEqual({ expired: 0, accounts: 0 });
    expect((await h.call(VOLUNTEER, 'points', 'summary', {})).balance).toBe(50);
    const { total } = (await h.rt.runtime.db.collection('counters').count()) as { total: number };
    expect(total).toBe(0);
  });
});

describe('demo mall seed', () => {
  it('puts a few goods on sale in 幸福里, one with a single item left', async () => {
    await seedDemoMall(h.rt);
    const page = await h.call(RESIDENT, 'points', 'listGoods', {});
    expect(page.total).toBeGreaterThanOrEqual(4);
    expect(page.total).toBeLessThanOrEqual(6);
    expect(page.items.every((g) => g.communityId === XFL && g.onSale && g.price > 0)).toBe(true);
    expect(page.items.some((g) => g.stock === 1)).toBe(true);
    expect(page.items.map((g) => g.name)).toEqual(expect.arrayContaining(['洗衣液', '理发券']));
    await put(RESIDENT, 100);
    const one = page.items.find((g) => g.stock === 1)!;
    await h.call(RESIDENT, 'points', 'redeem', { goodsId: one._id });
    expect((await h.call(RESIDENT, 'points', 'goodsDetail', { goodsId: one._id })).canRedeem).toEqual({
      ok: false,
      reason: '已兑完',
    });
  });
});
