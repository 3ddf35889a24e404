/**
 * 需求大厅 near me (service.nearby): requests in the caller's ~5 km geo cell and its 8 neighbours,
 * nearest first with paging, found through the indexed cell key — a near request shows even when
 * hundreds of newer ones are far away (the old list sorted only the 300 newest). Without a location
 * (or order: newest) the community's open requests page newest first in the database.
 */
import { createHarness, DAY, type Harness } from '../helpers/harness';
import { ME, north, postRequest, RESIDENT, TEXT, VOLUNTEER, WORKER, XFL } from '../helpers/service-hall';
import type { ServiceRequest } from '../../types/service';
import { geohash } from '../../cloudfunctions/domain/geo-cell';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
  await h.call(WORKER, 'service', 'settings', { communityId: XFL, trustedCategories: ['errands'] });
});
afterEach(() => h.close());

const post = (at: { lat: number; lng: number }, area: string) => postRequest(h, at, area);

const hall = (data: Record<string, unknown>) => h.call(VOLUNTEER, 'service', 'nearby', data as never);

it('stores the ~5 km cell of the place; none without a location', async () => {
  const r = await post(north(100), '幸福里 3 栋');
  const none = await post({ lat: 0, lng: 0 }, '幸福里 5 栋');
  const docs = (await h.rt.runtime.db.collection('service_requests').limit(10).get())
    .data as ServiceRequest[];
  expect(docs.find((d) => d._id === r._id)?.geoCell).toBe(geohash(north(100).lat, ME.lng));
  expect(docs.find((d) => d._id === none._id)).not.toHaveProperty('geoCell');
});

it('near ones first even when older than 320 far ones; nearest first across pages', async () => {
  // The oldest: three near requests (300 m, 1.2 km, 3.5 km — the last in a neighbouring cell).
  const near300 = await post(north(300), '幸福里 3 栋');
  h.clock.advance(60_000);
  const near3500 = await post(north(3500), '城北 8 栋');
  h.clock.advance(60_000);
  const near1200 = await post(north(1200), '和平街 2 栋');
  expect(geohash(north(3500).lat, ME.lng)).not.toBe(geohash(ME.lat, ME.lng));
  // Then 320 newer requests 25 km away (and one without a location).
  for (let i = 0; i < 320; i++) {
    h.clock.advance(1000);
    await post(north(25_000 + i * 10), `远郊 ${i} 栋`);
  }
  h.clock.advance(1000);
  await post({ lat: 0, lng: 0 }, '幸福里 9 栋');

  const first = await hall({ communityId: XFL, from: ME, pageSize: 2 });
  expect(first.items.map((i) => i._id)).toEqual([near300._id, near1200._id]);
  expect(first.items.map((i) => i.distanceM)).toEqual([300, 1200]);
  expect(first.total).toBe(3);
  const second = await hall({ communityId: XFL, from: ME, pageSize: 2, cursor: first.nextCursor });
  expect(second.items.map((i) => [i._id, i.distanceM])).toEqual([[near3500._id, 3500]]);
  expect(second.nextCursor).toBeUndefined();

  // Newest first: the whole community, paged in the database.
  const newest = await hall({ communityId: XFL, from: ME, order: 'newest', pageSize: 5 });
  expect(newest.total).toBe(324);
  expect(newest.items[0]!.area).toBe('幸福里 9 栋');
  expect(newest.items[1]).toMatchObject({ area: '远郊 319 栋', distanceM: 28_200 });
  const noLocation = await hall({ communityId: XFL, pageSize: 5 });
  expect(noLocation.items.map((i) => i._id)).toEqual(newest.items.map((i) => i._id));
  expect(noLocation.items[0]).not.toHaveProperty('distanceM');
});

it('leaves out taken, own and other communities’ requests; one database round', async () => {
  const mine = await h.call(VOLUNTEER, 'service', 'submit', {
    communityId: XFL,
    category: 'errands',
    text: TEXT,
    startAt: h.clock.now + DAY,
    place: { area: '幸福里 1 栋', address: '幸福里 1 栋 101', ...north(50) },
  } as never);
  const taken = await post(north(200), '幸福里 2 栋');
  await h.call('demo-member', 'service', 'take', { requestId: taken._id });
  const open = await post(north(400), '幸福里 4 栋');
  await h.call('demo-admin', 'service', 'settings', {
    communityId: 'community-heping',
    trustedCategories: ['errands'],
  });
  const elsewhere = await h.call(RESIDENT, 'service', 'submit', {
    communityId: 'community-heping',
    category: 'errands',
    text: TEXT,
    startAt: h.clock.now + DAY,
    place: { area: '和平街 1 栋', address: '和平街 1 栋 101', ...north(100) },
  } as never);
  expect(elsewhere.stage).toBe('open');
  const list = await hall({ communityId: XFL, from: ME });
  expect(list.items.map((i) => i._id)).toEqual([open._id]);
  expect(list.items.map((i) => i._id)).not.toContain(mine._id);
  // Newest first leaves them out in the query: the caller's own request never fills a page.
  const newest = await hall({ communityId: XFL, order: 'newest', pageSize: 3 });
  expect(newest.items).toHaveLength(Math.min(3, newest.total));
  expect(newest.items[0]!._id).toBe(open._id);
  const all = await hall({ communityId: XFL, order: 'newest', pageSize: 50 });
  expect(all.items.map((i) => i._id)).not.toContain(mine._id);
  expect(all.items.map((i) => i._id)).not.toContain(taken._id);
  expect(all.items).toHaveLength(all.total);
  await h.call(VOLUNTEER, 'user', 'me', {});
  const m = await h.rt.metered(
    'service',
    { action: 'nearby', data: { communityId: XFL, from: ME } },
    VOLUNTEER,
  );
  expect(m.depth).toBe(1);
});
