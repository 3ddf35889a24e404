/**
 * Migration: `geoCell` (domain/geo-cell.ts) on service requests stored before the field existed.
 *
 * Every stored write of a request writes its cell (`storedRequest`); a database from before that
 * has requests without it, which 需求大厅's near-me list (an indexed `geoCell in cellsAround(...)`,
 * service/actions.ts `nearby`) never finds. The timer step `serviceGeoBackfill` enqueues one job
 * (fixed id, so once per database); the timer's job runner then pages through `service_requests`
 * by `_id` (100 per batch, cursor = last id, resumable after a crash or a timeout) and, in a small
 * transaction per request from the request as it is then (a take or an edit meanwhile conflicts
 * with it, and the retry reads the new document), writes the cell of each request with a location
 * whose cell is missing or wrong, and drops a cell from a request without a location. Requests
 * without a location stay without a cell. Running it again changes nothing.
 */
import type { ServiceRequest } from '../../types/service';
import { cmd, collection, getById, transaction } from '../core/db';
import { defineJob, enqueue, jobDoc, mapLimit } from '../core/jobs';
import { runtime } from '../core/runtime';
import { geoCellOf } from '../domain/geo-cell';

/** The backfill's job id: one per database; bump the suffix to run it again after a format change. */
export const SERVICE_GEO_JOB_ID = 'migrate-service-geo-v1';

/** Whether the stored cell of a request is not the one `storedRequest` would write now. */
export const geoCellStale = (r: Pick<ServiceRequest, 'place' | 'geoCell'>): boolean =>
  r.geoCell !== geoCellOf(r.place);

export const SERVICE_GEO_JOB = defineJob<Record<string, never>>({
  kind: 'serviceGeoBackfill',
  async batch(_payload, cursor, ctx) {
    const { data } = await collection('service_requests')
      .where(cursor === null ? {} : { _id: cmd().gt(cursor) })
      .orderBy('_id', 'asc')
      .limit(ctx.limit)
      .get();
    const page = data as ServiceRequest[];
    const written = await mapLimit(page.filter(geoCellStale), 8, (r) =>
      transaction(async (t) => {
        const cur = await t.get<ServiceRequest>('service_requests', r._id);
        if (!cur || !geoCellStale(cur)) return 0;
        const cell = geoCellOf(cur.place);
        await t.update('service_requests', r._id, { geoCell: cell ?? cmd().remove() });
        return 1;
      }),
    );
    const last = page[page.length - 1];
    return {
      next: page.length < ctx.limit || !last ? null : last._id,
      processed: written.reduce((a: number, b) => a + b, 0),
    };
  },
});

/**
 * The backfill's job document, already done: a database created with `geoCell` on every request
 * (the demo seed) stores it so that the timer has nothing to migrate.
 */
export function serviceGeoBackfillDone(now: number): Record<string, unknown> {
  return { ...jobDoc(SERVICE_GEO_JOB, {}, now), status: 'done', doneAt: now };
}

/** Runtimes (instances) that have seen the job: later timer runs skip even its one read. */
const seen = new WeakSet<object>();

/**
 * Timer step: enqueue the backfill once (the job runner, a later step of the same run, does the
 * work). One read of the job document per run until this instance has seen it.
 */
export async function queueServiceGeoBackfill(now: number): Promise<{ queued: boolean }> {
  const rt = runtime();
  if (seen.has(rt)) return { queued: false };
  if (await getById('jobs', SERVICE_GEO_JOB_ID)) {
    seen.add(rt);
    return { queued: false };
  }
  const queued = await transaction(async (t) => {
    if (await t.get('jobs', SERVICE_GEO_JOB_ID)) return false;
    await enqueue(t, SERVICE_GEO_JOB, {}, now, { id: SERVICE_GEO_JOB_ID });
    return true;
  });
  seen.add(rt);
  return { queued };
}
