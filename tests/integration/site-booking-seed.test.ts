/**
 * The demo seed's 阵地 (tools/runtime/seed-sites.ts, through seedIfEmpty): 幸福里党群服务中心 with
 * approval and 区人民医院's 医院学术报告厅 without, both bookable at once by the demo users.
 */
import { createLocalRuntime, type LocalRuntime } from '../../tools/runtime/local-runtime';
import { seedIfEmpty } from '../../tools/runtime/seed';
import { DEMO_CENTER_SITE, DEMO_VENUE_SITE } from '../../tools/runtime/seed-sites';
import type { SiteDetail, SiteView } from '../../types/sites';

const NOW = Date.UTC(2026, 10, 21, 2, 0, 0); // 周六 10:00 Asia/Shanghai
let rt: LocalRuntime;
beforeAll(async () => {
  rt = createLocalRuntime({ dataDir: ':memory:', now: () => NOW, quiet: true });
  expect(await seedIfEmpty(rt)).toBe(true);
});
afterAll(() => rt.close());

async function call<T>(openid: string, fn: 'sites' | 'alliance', action: string, data: unknown): Promise<T> {
  const res = await rt.call(fn, { action, data }, openid);
  if (!res.ok) throw new Error(`${fn}.${action}: ${res.error.message}`);
  return res.data as T;
}

test('residents see a 党群服务中心 room that needs approval and a unit venue that does not', async () => {
  const list = await call<SiteView[]>('demo-resident', 'sites', 'list', {
    communityId: 'community-xingfuli',
  });
  expect(list.map((s) => [s._id, s.name, s.kind, s.approval])).toEqual([
    [DEMO_CENTER_SITE, '幸福里党群服务中心', 'center', true],
    [DEMO_VENUE_SITE, '医院学术报告厅', 'unitVenue', false],
  ]);
  expect(list[1]!.hoursText).toEqual([
    '周日 9:00–17:00',
    '周一 不开放',
    '周二 不开放',
    '周三 不开放',
    '周四 不开放',
    '周五 不开放',
    '周六 9:00–17:00',
  ]);
});

test('both can be booked: the room waits for the worker, the venue is confirmed at once', async () => {
  const day = await call<SiteDetail>('demo-resident', 'sites', 'detail', {
    siteId: DEMO_VENUE_SITE,
    date: '2026-11-22',
  });
  expect(day.slots.filter((s) => s.free).length).toBe(16);
  const venue = await call<{ status: string }>('demo-resident', 'sites', 'book', {
    siteId: DEMO_VENUE_SITE,
    date: '2026-11-22',
    start: '14:00',
    end: '16:00',
    people: 60,
    purpose: '健康讲座',
  });
  expect(venue.status).toBe('confirmed');
  const room = await call<{ status: string }>('demo-resident', 'sites', 'book', {
    siteId: DEMO_CENTER_SITE,
    date: '2026-11-23',
    start: '09:00',
    end: '10:00',
    people: 8,
    purpose: '楼栋议事会',
  });
  expect(room.status).toBe('pending');
  // The hospital's record counts the opened venue and the booking.
  const record = await call<{ venuesOpened: number; siteBookings: number }>(
    'demo-unit',
    'alliance',
    'unitRecord',
    { unitId: 'unit-hospital', year: 2026 },
  );
  expect(record).toMatchObject({ venuesOpened: 1, siteBookings: 1 });
});
