/**
 * The geoCell backfill (service/geo-backfill.ts): service requests stored before `geoCell` existed
 * (inserted here straight into the database, as an old database holds them) get the cell of their
 * place from a once-per-database job the timer queues, paged by `_id` in bounded batches, so that
 * 需求大厅's near-me list finds them; a request without a location stays without a cell, a wrong
 * cell is corrected, and running it again changes nothing.
 */
import { runJobs } from '../../cloudfunctions/core/jobs';
import { geoCellOf, geohash } from '../../cloudfunctions/domain/geo-cell';
import {
  queueServiceGeoBackfill,
  SERVICE_GEO_JOB,
  SERVICE_GEO_JOB_ID,
} from '../../cloudfunctions/service/geo-backfill';
import type { Job } from '../../types/domain';
import type { ServiceRequest } from '../../types/service';
import { createHarness, type Harness } from '../helpers/harness';
import { ME, north, postRequest, VOLUNTEER, WORKER, XFL } from '../helpers/service-hall';

const NOWHERE = { lat: 0, lng: 0 };

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
  await h.call(WORKER, 'service', 'settings', { communityId: XFL, trustedCategories: ['errands'] });
});
afterEach(() => h.close());

const _ = () => h.rt.runtime.db.command;
const requests = () => h.rt.runtime.db.collection('service_requests');

const post = (at: { lat: number; lng: number }, area: string) => postRequest(h, at, area);

/** 需求大厅 near me, as the volunteer at ME: the ids it lists. */
async function nearMe(): Promise<string[]> {
  const page = await h.call(VOLUNTEER, 'service', 'nearby', { communityId: XFL, from: ME, pageSize: 50 });
  return page.items.map((i) => i._id);
}

async function allRequests(): Promise<ServiceRequest[]> {
  return ((await requests().orderBy('_id', 'asc').limit(1000).get()) as { data: ServiceRequest[] }).data;
}

async function withCell(): Promise<string[]> {
  const { data } = (await requests()
    .where({ geoCell: _().exists(true) })
    .orderBy('_id', 'asc')
    .limit(1000)
    .get()) as { data: ServiceRequest[] };
  return data.map((r) => r._id);
}

/** Every request's stored cell is the one `storedRequest` writes (none without a location). */
async function expectCellsInStep(): Promise<void> {
  for (const r of await allRequests()) {
    const cell = geoCellOf(r.place);
    expect([r._id, r.geoCell]).toEqual([r._id, cell]);
    if (!cell) expect(r).not.toHaveProperty('geoCell');
  }
}

/**
 * A database from before `geoCell`: `n` open requests near ME (100 m apart northwards from 100 m)
 * and `far` 25 km away, stored without a cell, plus one without a location; the seed's "done" job
 * document is not there. Returns the ids of the near and far ones.
 */
async function legacyRequests(n: number, far: number): Promise<{ near: string[]; far: string[] }> {
  await h.rt.runtime.db.collection('jobs').doc(SERVICE_GEO_JOB_ID).remove();
  const template = await post(north(10), '模板');
  const [stored] = (await requests().doc(template._id).get()).data as ServiceRequest[];
  await requests().doc(template._id).remove();
  const { _id: _ignored, geoCell: _cell, ...doc } = stored!;
  const out = { near: [] as string[], far: [] as string[] };
  const put = async (id: string, at: { lat: number; lng: number }, area: string, i: number) => {
    const place = { ...doc.place, area, address: `${area} 1 单元 101`, ...at };
    await requests()
      .doc(id)
      .set({ ...doc, place, createdAt: doc.createdAt - (i + 1) * 60_000 });
  };
  for (let i = 0; i < n; i++) {
    const id = `legacy-near-${String(i).padStart(3, '0')}`;
    await put(id, north(100 + i * 100), `幸福里 ${i} 栋`, i);
    out.near.push(id);
  }
  for (let i = 0; i < far; i++) {
    const id = `legacy-far-${String(i).padStart(3, '0')}`;
    await put(id, north(25_000 + i * 100), `远郊 ${i} 栋`, n + i);
    out.far.push(id);
  }
  await put('legacy-nowhere', NOWHERE, '幸福里 99 栋', n + far);
  return out;
}

describe('the service geoCell backfill', () => {
  it('fills the cells of requests stored without them, in bounded resumable batches, once', async () => {
    // Requests written since the cell existed: one will have a wrong cell (as if the place had been
    // edited behind the cell's back), one has no location and a stray cell.
    const recent = await post(north(300), '幸福里 3 栋');
    const wrong = await post(north(500), '幸福里 5 栋');
    const stray = await post(NOWHERE, '幸福里 7 栋');
    await requests()
      .doc(wrong._id)
      .update({ geoCell: geohash(north(25_000).lat, ME.lng) });
    await requests()
      .doc(stray._id)
      .update({ geoCell: geohash(ME.lat, ME.lng) });
    const legacy = await legacyRequests(40, 6);
    const all = await allRequests();
    expect(all).toHaveLength(50);
    const missing = all.filter((r) => r.geoCell !== geoCellOf(r.place)).map((r) => r._id);
    expect(missing).toHaveLength(48); // 46 legacy with a location, the wrong one and the stray one
    expect(missing).not.toContain('legacy-nowhere');

    // Before: near me finds only the request stored with its cell — and the one without a location
    // that carries a stray cell; none of the old ones, nor the one whose cell is wrong.
    expect((await nearMe()).sort()).toEqual([recent._id, stray._id].sort());

    // One batch of 20 (by id): those 20 are fixed, the cursor is the last of them, the rest untouched.
    const ctx = { now: h.clock.now, limit: 20, jobId: 'probe' };
    const first = await SERVICE_GEO_JOB.batch({}, null, ctx);
    const firstPage = all.slice(0, 20).map((r) => r._id);
    expect(first).toEqual({
      next: firstPage[19],
      processed: firstPage.filter((id) => missing.includes(id)).length,
    });
    expect(first.processed).toBeGreaterThan(0);
    const after = await allRequests();
    for (const r of after) {
      const fixed = r._id <= first.next! || !missing.includes(r._id);
      expect([r._id, r.geoCell === geoCellOf(r.place)]).toEqual([r._id, fixed]);
    }
    // The same batch again (a crash before its cursor was saved) writes nothing.
    expect(await SERVICE_GEO_JOB.batch({}, null, ctx)).toEqual({ ...first, processed: 0 });

    // The timer step queues the job once; the job runner pages through the rest, 20 at a time.
    expect(await queueServiceGeoBackfill(h.clock.now)).toEqual({ queued: true });
    expect(await queueServiceGeoBackfill(h.clock.now)).toEqual({ queued: false });
    await runJobs(h.clock.now, { budgetMs: 60_000, limit: 20 });
    const done = ((await h.rt.runtime.db.collection('jobs').doc(SERVICE_GEO_JOB_ID).get()) as { data: Job[] })
      .data[0]!;
    expect(done).toMatchObject({ status: 'done', processed: missing.length - first.processed });
    expect(done.batches).toBe(3); // 20 + 20 + 10
    await expectCellsInStep();
    expect(await withCell()).not.toContain('legacy-nowhere');
    expect(await withCell()).not.toContain(stray._id);

    // After: near me lists the old near requests (nearest first) and the corrected one.
    const near = await nearMe();
    expect(near).toHaveLength(42);
    expect(near.slice(0, 3)).toEqual([legacy.near[0], legacy.near[1], recent._id]);
    expect(near).toEqual(expect.arrayContaining([...legacy.near, wrong._id]));
    for (const id of [...legacy.far, 'legacy-nowhere', stray._id]) expect(near).not.toContain(id);

    // A second run over the whole collection changes nothing.
    const before = await allRequests();
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r = await SERVICE_GEO_JOB.batch({}, cursor, ctx);
      expect(r.processed).toBe(0);
      cursor = r.next;
      pages += 1;
    } while (cursor !== null);
    expect(pages).toBe(3);
    expect(await allRequests()).toEqual(before);
    // Queued once per database: a later timer run finds the job and does nothing.
    const report = (await h.rt.tick()) as { data: Record<string, unknown> };
    expect(report.data.serviceGeoBackfill).toEqual({ queued: false });
    expect(await h.rt.runtime.db.collection('jobs').where({ kind: 'serviceGeoBackfill' }).count()).toEqual(
      expect.objectContaining({ total: 1 }),
    );
    expect(await allRequests()).toEqual(before);
  });

  it('has nothing to do on a database seeded with cells', async () => {
    const report = (await h.rt.tick()) as { data: Record<string, unknown> };
    expect(report.data.serviceGeoBackfill).toEqual({ queued: false });
    expect(report.data.jobs).toMatchObject({ jobs: 0 });
    expect(
      (await h.rt.runtime.db.collection('jobs').where({ kind: 'serviceGeoBackfill' }).get()).data,
    ).toEqual([expect.objectContaining({ _id: SERVICE_GEO_JOB_ID, status: 'done' })]);
  });

  it('runs as a step of the timer, before the jobs step, in batches of 100', async () => {
    const legacy = await legacyRequests(30, 200);
    expect(await nearMe()).toEqual([]);
    const report = (await h.rt.tick()) as { data: Record<string, unknown> };
    const steps = Object.keys(report.data);
    expect(steps.indexOf('serviceGeoBackfill')).toBeLessThan(steps.indexOf('jobs'));
    expect(report.data.serviceGeoBackfill).toEqual({ queued: true });
    expect(report.data.jobs).toMatchObject({ jobs: 1, done: 1, batches: 3 }); // 231 requests
    expect(
      ((await h.rt.runtime.db.collection('jobs').doc(SERVICE_GEO_JOB_ID).get()) as { data: Job[] }).data[0],
    ).toMatchObject({ status: 'done', processed: 230, batches: 3 });
    await expectCellsInStep();
    expect((await nearMe()).sort()).toEqual([...legacy.near].sort());
  });
});
