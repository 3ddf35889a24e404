/**
 * Excel exports (report function): each file is read back with exceljs — title row, Chinese
 * headers, row counts, masked identity, totals equal to the ledgers; who may export and read;
 * full identity only with a purpose and an audit entry; a 10,000-row export finished by the timer's
 * jobs, resuming after a failure in the middle.
 */
import ExcelJS from 'exceljs';
import type { ExportView } from '../../types/report';
import type { HourEntry } from '../../types/volunteer';
import { runJobs, JOB_BACKOFF_MS } from '../../cloudfunctions/core/jobs';
import { exportFaults } from '../../cloudfunctions/report/job';
import { activityInput, createHarness, HOUR, type Harness } from '../helpers/harness';
import {
  addOtherWorker,
  all,
  approvedVolunteer,
  count,
  ID_B,
  OTHER_WORKER,
  WORKER,
  XFL,
} from './volunteer-fixtures';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => {
  exportFaults.beforeChunk = undefined;
  h.close();
});

/** The finished export's rows, fetched through its signed link as the server would serve it. */
async function readBack(view: ExportView): Promise<ExcelJS.Worksheet> {
  expect(view.status).toBe('done');
  const url = new URL(view.url ?? '', 'http://x');
  const key = url.pathname.split('/').pop() ?? '';
  const doc = await h.rt.files.readDocument(
    key,
    url.searchParams.get('e') ?? '',
    url.searchParams.get('s') ?? '',
  );
  expect(doc?.contentType).toMatch(/spreadsheetml/);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(doc!.bytes as unknown as ArrayBuffer);
  return wb.worksheets[0]!;
}

const values = (ws: ExcelJS.Worksheet, row: number) => (ws.getRow(row).values as unknown[]).slice(1);

async function bigActivity(n: number): Promise<{ id: string; hours: number }> {
  const a = await h.call(WORKER, 'activity', 'publish', activityInput(h.clock.now, { capacity: n }) as never);
  const docs = Array.from({ length: n }, (_, i) => {
    const openid = `p-${String(i).padStart(5, '0')}`;
    return {
      _id: `${a._id}_${openid}`,
      activityId: a._id,
      communityId: a.communityId,
      openid,
      status: 'confirmed',
      startAt: a.startAt,
      endAt: a.endAt,
      createdAt: h.clock.now - 100_000 + i,
      updatedAt: h.clock.now,
      checkInAt: a.startAt,
      checkOutAt: a.endAt,
      recordedHours: i % 2 ? 2 : 1.5,
    };
  });
  for (let i = 0; i < docs.length; i += 500)
    await h.rt.runtime.db.collection('signups').add(docs.slice(i, i + 500));
  return { id: a._id, hours: docs.reduce((s, d) => s + d.recordedHours, 0) };
}

test('participants: title row, Chinese headers, check-in times in Asia/Shanghai, 合计 equal to the hours', async () => {
  const { id, hours } = await bigActivity(30);
  const view = await h.call(WORKER, 'report', 'startExport', {
    kind: 'participants',
    communityId: XFL,
    activityId: id,
  });
  // Small: built by the call's own first batch.
  expect(view).toMatchObject({ status: 'done', rowsDone: 30, rowsTotal: 30 });
  expect(view.fileName).toMatch(/\.xlsx$/);
  const ws = await readBack(view);
  expect(String(values(ws, 1)[0])).toMatch(/^幸福里社区 · 活动报名与签到 · 测试活动/);
  expect(values(ws, 3)).toEqual([
    '序号',
    '姓名',
    '手机号',
    '报名状态',
    '报名时间',
    '签到时间',
    '签退时间',
    '信用时长（小时）',
    '荣誉时长（小时）',
    '合计时长（小时）',
  ]);
  expect(ws.rowCount).toBe(3 + 30 + 1);
  const first = values(ws, 4);
  const startAt = h.clock.now + 3 * 24 * HOUR; // activityInput: 3 days ahead, 10:00 Shanghai
  // Shown as Shanghai wall time: the cell's UTC fields are the Shanghai fields.
  expect((first[5] as Date).getTime()).toBe(startAt + 8 * HOUR);
  expect(ws.getColumn(5).numFmt).toBe('yyyy-mm-dd hh:mm');
  expect(ws.getColumn(2).width).toBeGreaterThanOrEqual(10);
  const last = values(ws, ws.rowCount);
  expect(last[0]).toBe('合计');
  expect(last[9]).toBe(hours);
});

test('hours per volunteer for a month: one row each, total equal to the hour ledger of that month', async () => {
  // A ledger for 2026-11 (and one entry in October that must not count) with its per-volunteer
  // totals, written as the ledger module keeps them (hours sum per community, period, volunteer).
  const month = '2026-11';
  const db = h.rt.runtime.db;
  const spec = [
    ['v1', 2, month],
    ['v1', 1.5, month],
    ['v2', 3, month],
    ['v3', 0.5, month],
    ['v2', 4, '2026-10'],
  ] as const;
  const totals = new Map<string, number>();
  for (const [i, [openid, hours, m]] of spec.entries()) {
    await db.collection('service_hours').doc(`h${i}`).set({
      openid,
      communityId: XFL,
      activityId: 'a',
      activityTitle: 't',
      kind: 'recorded',
      hours,
      by: openid,
      at: h.clock.now,
      month: m,
      year: '2026',
    });
    if (m === month) totals.set(openid, (totals.get(openid) ?? 0) + hours);
  }
  for (const [openid, hours] of totals) {
    await db.collection('hour_totals').doc(`${XFL}_${month}_${openid}`).set({
      communityId: XFL,
      period: month,
      openid,
      hours,
      updatedAt: h.clock.now,
    });
  }
  const entries = await all<HourEntry>(h, 'service_hours', { communityId: XFL });
  const ledger = entries.filter((e) => e.month === month);
  const sum = Math.round(ledger.reduce((s, e) => s + e.hours, 0) * 100) / 100;
  const view = await h.call(WORKER, 'report', 'startExport', {
    kind: 'hours',
    communityId: XFL,
    period: month,
  });
  const ws = await readBack(view);
  expect(String(values(ws, 1)[0])).toContain(`${Number(month.slice(0, 4))}年${Number(month.slice(5))}月`);
  expect(ws.rowCount - 4).toBe(new Set(ledger.map((e) => e.openid)).size);
  expect(values(ws, ws.rowCount)[3]).toBe(sum);
});

test('roster: masked by default; full identity needs a purpose, writes an audit entry, and is the owner’s only', async () => {
  await approvedVolunteer(h, 'vol-b', ID_B, '李明');
  const masked = await readBack(
    await h.call(WORKER, 'report', 'startExport', { kind: 'roster', communityId: XFL }),
  );
  const rows = Array.from({ length: masked.rowCount - 4 }, (_, i) => values(masked, 4 + i));
  const li = rows.find((r) => r[1] === '李明')!;
  expect(li[2]).toBe('3201**********1235'.slice(0, 4) + '*'.repeat(10) + ID_B.slice(-4));
  expect(String(li[3])).toMatch(/^1\d\d\*{4}\d{4}$/);

  const noPurpose = await h.fail(WORKER, 'report', 'startExport', {
    kind: 'roster',
    communityId: XFL,
    fullIdentity: true,
  });
  expect(noPurpose.code).toBe('INVALID_INPUT');
  expect(noPurpose.message).toMatch(/用途/);
  expect(await count(h, 'audit_log', { action: 'identityExported' })).toBe(0);

  const full = await h.call(WORKER, 'report', 'startExport', {
    kind: 'roster',
    communityId: XFL,
    fullIdentity: true,
    purpose: '区民政局年度志愿者备案',
  });
  const ws = await readBack(full);
  const row = Array.from({ length: ws.rowCount - 4 }, (_, i) => values(ws, 4 + i)).find(
    (r) => r[1] === '李明',
  )!;
  expect(row[2]).toBe(ID_B);
  expect(String(row[3])).toBe('13812345678');
  const [entry] = await all<{ actor: string; detail: string; communityId: string }>(h, 'audit_log', {
    action: 'identityExported',
  });
  expect(entry).toMatchObject({ actor: WORKER, communityId: XFL });
  expect(entry!.detail).toContain('区民政局年度志愿者备案');

  // Another community's worker can neither export this community nor read this export.
  await addOtherWorker(h);
  const refused = await h.fail(OTHER_WORKER, 'report', 'startExport', { kind: 'roster', communityId: XFL });
  expect(refused.code).toBe('FORBIDDEN');
  expect((await h.fail(OTHER_WORKER, 'report', 'exportStatus', { exportId: full.exportId })).code).toBe(
    'FORBIDDEN',
  );
  expect(
    (await h.fail('demo-volunteer', 'report', 'startExport', { kind: 'roster', communityId: XFL })).code,
  ).toBe('FORBIDDEN');
});

test('grievance register, unit records and member records export with their headers', async () => {
  for (const kind of ['grievances', 'units', 'members'] as const) {
    const view = await h.call(WORKER, 'report', 'startExport', { kind, communityId: XFL, period: '2026' });
    const ws = await readBack(view);
    expect(String(values(ws, 1)[0])).toContain('幸福里社区');
    expect(String(values(ws, 1)[0])).toContain('2026年');
    expect(values(ws, 3).every((v) => typeof v === 'string' && /[\u4e00-\u9fa5]/.test(v))).toBe(true);
  }
  const g = await readBack(
    await h.call(WORKER, 'report', 'startExport', { kind: 'grievances', communityId: XFL, period: '2026' }),
  );
  expect(values(g, 3)).toContain('响应情况');
  expect(g.rowCount - 3).toBe(await count(h, 'grievances', { communityId: XFL }));
});

test('a 10,000-row export completes through the timer’s jobs and resumes after a failure midway', async () => {
  const { id, hours } = await bigActivity(10_000);
  const started = await h.call(WORKER, 'report', 'startExport', {
    kind: 'participants',
    communityId: XFL,
    activityId: id,
  });
  expect(started).toMatchObject({ status: 'running', rowsTotal: 10_000 });
  expect(started.rowsDone).toBeLessThan(10_000);
  let failures = 0;
  exportFaults.beforeChunk = (seq) => {
    if (seq === 4 && failures === 0) {
      failures += 1;
      throw new Error('injected failure');
    }
  };
  await runJobs(h.clock.now, { budgetMs: 60_000 });
  const midway = await h.call(WORKER, 'report', 'exportStatus', { exportId: started.exportId });
  expect(midway.status).toBe('running');
  expect(midway.rowsDone).toBeGreaterThan(started.rowsDone);
  expect(midway.rowsDone).toBeLessThan(10_000);
  expect(failures).toBe(1);
  h.clock.advance(JOB_BACKOFF_MS[0]! + 1);
  await runJobs(h.clock.now, { budgetMs: 60_000 });
  const done = await h.call(WORKER, 'report', 'exportStatus', { exportId: started.exportId });
  expect(done).toMatchObject({ status: 'done', rowsDone: 10_000, rowsTotal: 10_000 });
  const ws = await readBack(done);
  expect(ws.rowCount).toBe(3 + 10_000 + 1);
  const numbers = Array.from({ length: 10_000 }, (_, i) => values(ws, 4 + i)[0]);
  expect(numbers).toEqual(Array.from({ length: 10_000 }, (_, i) => i + 1));
  expect(values(ws, ws.rowCount)[9]).toBe(hours);
  expect(await count(h, 'export_chunks')).toBe(0);
}, 60_000);

test('startExport of a large export: at most 4 sequential database requests (the timer builds it)', async () => {
  const { id } = await bigActivity(1_000);
  const data = { kind: 'participants', communityId: XFL, activityId: id };
  // Warm-up: the caller cache, as the worker's previous call would.
  await h.call(WORKER, 'report', 'startExport', data as never);
  const m = await h.rt.metered('report', { action: 'startExport', data }, WORKER);
  expect(m.result.ok).toBe(true);
  expect((m.result as { data: ExportView }).data).toMatchObject({ status: 'running', rowsDone: 200 });
  expect({ depth: Math.min(m.depth, 4), log: m.depth > 4 ? m.log : [] }).toEqual({ depth: m.depth, log: [] });
  expect(m.log.join(' | ')).toMatch(/modifyDocument jobs.*modifyDocument exports/);
});
