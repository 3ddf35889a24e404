import { createLocalRuntime, type LocalRuntime } from '../../tools/runtime/local-runtime';
import { seedIfEmpty } from '../../tools/runtime/seed';
import { DEMO_MEMBER_ID, DEMO_VOLUNTEER_ID } from '../../tools/runtime/seed-volunteer';
import { validateIdNumber } from '../../cloudfunctions/domain/volunteer';
import type { HourEntry, PointsEntry, ServiceAccount } from '../../types/domain';

const NOW = Date.UTC(2026, 10, 21, 2, 0, 0);
let rt: LocalRuntime;
beforeAll(async () => {
  rt = createLocalRuntime({ dataDir: ':memory:', now: () => NOW, quiet: true });
  expect(await seedIfEmpty(rt)).toBe(true);
});
afterAll(() => rt.close());

const call = async (openid: string, fn: 'volunteer' | 'points', action: string, data: unknown = {}) => {
  const res = await rt.call(fn, { action, data }, openid);
  if (!res.ok) throw new Error(res.error.message);
  return res.data as Record<string, unknown> & { items?: Record<string, unknown>[] };
};
const docs = async <T>(coll: string, where: Record<string, unknown> = {}) =>
  (await rt.runtime.db.collection(coll).where(where).limit(1000).get()).data as T[];

describe('demo volunteer seed', () => {
  it('uses valid demo ID numbers, stored only encrypted', async () => {
    expect(validateIdNumber(DEMO_VOLUNTEER_ID, NOW).ok).toBe(true);
    expect(validateIdNumber(DEMO_MEMBER_ID, NOW).ok).toBe(true);
    const stored = JSON.stringify(await docs('volunteers'));
    expect(stored).not.toContain(DEMO_VOLUNTEER_ID);
    expect(stored).not.toContain(DEMO_MEMBER_ID);
  });

  it('demo-volunteer is approved with hours and points; demo-member waits for review', async () => {
    const p = await call('demo-volunteer', 'volunteer', 'profile');
    expect(p).toMatchObject({ recordedHours: 9, grantedHours: 1, pointsBalance: 9 });
    expect((p.registration as { status: string }).status).toBe('approved');
    const pending = await call('demo-worker', 'volunteer', 'listRegistrations', { status: 'pending' });
    expect(pending.items!.map((r) => r.openid)).toEqual(['demo-member']);
    const revealed = await call('demo-worker', 'volunteer', 'revealIdentity', {
      openid: 'demo-volunteer',
      purpose: '演示数据核对',
    });
    expect(revealed.idNumber).toBe(DEMO_VOLUNTEER_ID);
  });

  it('the account totals equal the ledger sums', async () => {
    const accounts = await docs<ServiceAccount>('service_accounts');
    const hours = await docs<HourEntry>('service_hours');
    const points = await docs<PointsEntry>('points_ledger');
    expect(accounts.length).toBeGreaterThan(1);
    for (const a of accounts) {
      const mine = hours.filter((h) => h.openid === a._id);
      expect(a.recordedHours).toBeCloseTo(
        mine.filter((h) => h.kind === 'recorded').reduce((n, h) => n + h.hours, 0),
      );
      expect(a.grantedHours).toBeCloseTo(
        mine.filter((h) => h.kind === 'granted').reduce((n, h) => n + h.hours, 0),
      );
      expect(a.pointsBalance).toBe(
        points.filter((x) => x.openid === a._id).reduce((n, x) => n + x.points, 0),
      );
    }
  });

  it('listings: one starting within the hour (check-in open), three from tomorrow, one with review', async () => {
    const list = await call('demo-volunteer', 'volunteer', 'listServices', {});
    expect(list.items!.map((s) => s.title)).toEqual(['社区图书角', '敬老助餐', '垃圾分类宣传', '健康义诊']);
    expect(list.items!.map((s) => s.review)).toEqual([false, false, true, false]);
    for (const s of list.items!) expect(s.nextSessionAt as number).toBeGreaterThan(NOW);
    // The soon session: sign-up open, and its check-in window (from 1 h before the start) too.
    const soon = list.items![0]!.nextSessionAt as number;
    expect(soon - NOW).toBeLessThanOrEqual(50 * 60_000);
    const sorting = await call('demo-volunteer', 'volunteer', 'serviceDetail', {
      serviceId: list.items![2]!._id,
    });
    expect((sorting.sessions as { mySignUp?: string }[])[0]!.mySignUp).toBe('pending');
    const rank = await call('demo-volunteer', 'volunteer', 'rankings', {});
    expect((rank.items as unknown[]).length).toBeGreaterThan(1);
    // The mall is there too.
    expect(await docs('goods')).not.toHaveLength(0);
  });
});
