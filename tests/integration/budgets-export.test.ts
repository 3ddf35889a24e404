/**
 * Round-trip budget of 导出 Excel (issue 14): every export request — each kind, small (built in the
 * call) and large (its job left to the timer), masked and with full identity — makes at most 4
 * sequential database requests, counted by the runtime's request meter after a warm-up call.
 */
import type { ExportView } from '../../types/report';
import { IN_CALL_EXPORT_PAGE } from '../../cloudfunctions/report/job';
import { activityInput, createHarness, type Harness } from '../helpers/harness';
import { approvedVolunteer, ID_B, WORKER, XFL } from './volunteer-fixtures';

const BUDGET = 4;

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

/** An activity of the worker's community with `n` confirmed sign-ups written directly. */
async function activityWith(n: number): Promise<string> {
  const a = await h.call(
    WORKER,
    'activity',
    'publish',
    activityInput(h.clock.now, { capacity: n + 1 }) as never,
  );
  const docs = Array.from({ length: n }, (_, i) => ({
    _id: `${a._id}_p-${i}`,
    activityId: a._id,
    communityId: a.communityId,
    openid: `p-${i}`,
    status: 'confirmed',
    startAt: a.startAt,
    endAt: a.endAt,
    createdAt: h.clock.now - 100_000 + i,
    updatedAt: h.clock.now,
  }));
  for (let i = 0; i < docs.length; i += 500)
    await h.rt.runtime.db.collection('signups').add(docs.slice(i, i + 500));
  return a._id;
}

async function measure(data: Record<string, unknown>) {
  await h.call(WORKER, 'report', 'startExport', data as never); // warm-up: the caller cache
  const m = await h.rt.metered('report', { action: 'startExport', data }, WORKER);
  expect(m.result.ok).toBe(true);
  return { view: (m.result as { data: ExportView }).data, depth: m.depth, log: m.log };
}

const within = (m: { depth: number; log: string[] }) =>
  expect({ depth: Math.min(m.depth, BUDGET), log: m.depth > BUDGET ? m.log : [] }).toEqual({
    depth: m.depth,
    log: [],
  });

test('a small export is built by the call itself within 4 sequential requests', async () => {
  const id = await activityWith(12);
  const m = await measure({ kind: 'participants', communityId: XFL, activityId: id });
  within(m);
  expect(m.view).toMatchObject({ status: 'done', rowsDone: 12, rowsTotal: 12 });
  expect(m.view.url).toBeTruthy();
  // Recorded done with its file; no job for the timer.
  expect(m.log.join(' | ')).toMatch(/modifyDocument exports/);
  expect(m.log.join(' | ')).not.toMatch(/jobs/);
});

test('a large export: the call reads the first page, the job goes on from there — within 4', async () => {
  const id = await activityWith(IN_CALL_EXPORT_PAGE * 3);
  const m = await measure({ kind: 'participants', communityId: XFL, activityId: id });
  within(m);
  expect(m.view).toMatchObject({
    status: 'running',
    rowsDone: IN_CALL_EXPORT_PAGE,
    rowsTotal: IN_CALL_EXPORT_PAGE * 3,
  });
  const job = (await h.rt.runtime.db.collection('jobs').doc(m.view.exportId).get()) as {
    data: { cursor: string; lease: unknown }[];
  };
  expect(job.data[0]).toMatchObject({ cursor: `r:1:${IN_CALL_EXPORT_PAGE}`, lease: null });
});

test.each([
  ['hours', { period: '2026-11' }],
  ['roster', {}],
  ['grievances', { period: '2026' }],
  ['units', { period: '2026' }],
  ['members', { period: '2026' }],
])('%s export: at most 4 sequential requests', async (kind, extra) => {
  const m = await measure({ kind, communityId: XFL, ...extra });
  within(m);
  expect(m.view.status).toBe('done');
});

test('the full-identity roster (with its audit entry): at most 4 sequential requests', async () => {
  await approvedVolunteer(h, 'vol-b', ID_B, '李明');
  const m = await measure({
    kind: 'roster',
    communityId: XFL,
    fullIdentity: true,
    purpose: '区民政局年度志愿者备案',
  });
  within(m);
  expect(m.view).toMatchObject({ status: 'done', fullIdentity: true });
  // The audit entry is written before the export (never an export without it).
  const log = m.log.join(' | ');
  expect(log).toMatch(/audit_log.*exports/);
});
