/**
 * The export job (core/jobs.ts kind `export`, id = the export's id). Each batch reads one page of
 * the export's rows and saves it as a chunk document (`export_chunks`, id `<export>_<seq>`, so a
 * batch run again after a crash overwrites its own chunk); the batch after the last page reads the
 * chunks back in order, builds the .xlsx, stores it through the storage adapter and marks the
 * export done. The call that asks for an export reads its first IN_CALL_EXPORT_PAGE rows itself
 * (in parallel with its checks): when they are all, it stores the file and no job runs; otherwise
 * they become chunk 0 and the job starts after them (cursor `r:1:<rows>`).
 */
import type { ExportDoc } from '../../types/report';
import { EXPORT_KIND_NAMES } from '../../types/report';
import { collection, getById } from '../core/db';
import { defineJob, JOB_BATCH } from '../core/jobs';
import { runtime } from '../core/runtime';
import { SOURCES, type Cell } from './sources';
import { buildWorkbook, generatedAt } from './workbook';

/** Rows per timer batch (CloudBase answers at most 1000 documents per read) and read by the call. */
export const EXPORT_PAGE = 1000;
export const IN_CALL_EXPORT_PAGE = 200;
/** Chunks read back per request when assembling. */
const CHUNKS_PER_READ = 5;

export interface ExportChunk {
  _id: string;
  exportId: string;
  seq: number;
  rows: Cell[][];
  createdAt: number;
}

export const chunkId = (exportId: string, seq: number) => `${exportId}_${String(seq).padStart(5, '0')}`;

/** Cursor: `r:<seq>:<offset>` (read the next page) or `a:<chunks>` (assemble). */
function parseCursor(cursor: string | null): { assemble: boolean; seq: number; offset: number } {
  if (!cursor) return { assemble: false, seq: 0, offset: 0 };
  const [kind, seq, offset] = cursor.split(':');
  return { assemble: kind === 'a', seq: Number(seq) || 0, offset: Number(offset) || 0 };
}

/** Test hook: throws when set (simulates a crash in the middle of an export). */
export const exportFaults: { beforeChunk?: (seq: number) => void } = {};

async function readChunks(exportId: string, count: number): Promise<Cell[][]> {
  const rows: Cell[][] = [];
  for (let from = 0; from < count; from += CHUNKS_PER_READ) {
    const { data } = await collection('export_chunks')
      .where({
        exportId,
        seq: runtime().db.command.and([
          runtime().db.command.gte(from),
          runtime().db.command.lt(from + CHUNKS_PER_READ),
        ]),
      })
      .orderBy('seq', 'asc')
      .limit(CHUNKS_PER_READ)
      .get();
    for (const c of data as ExportChunk[]) rows.push(...c.rows);
  }
  return rows;
}

/** Builds the .xlsx of an export's rows and stores it; the stored file's id. */
export async function storeFile(
  ex: Pick<ExportDoc, 'kind' | 'title' | 'fileName' | 'fullIdentity' | 'owner'>,
  rows: Cell[][],
  now: number,
): Promise<string> {
  const source = SOURCES[ex.kind];
  const bytes = await buildWorkbook({
    title: ex.title,
    subtitle: `${generatedAt(now)} · 共 ${rows.length} 条${ex.fullIdentity ? ' · 含完整身份信息，注意保密' : ' · 身份信息已脱敏'}`,
    sheetName: EXPORT_KIND_NAMES[ex.kind],
    columns: source.columns,
    rows,
  });
  return runtime().storage.putDocument(bytes, ex.fileName, ex.owner);
}

async function assemble(ex: ExportDoc, rows: Cell[][], now: number): Promise<void> {
  const fileId = await storeFile(ex, rows, now);
  await collection('exports').doc(ex._id).update({
    status: 'done',
    fileId,
    rowsDone: rows.length,
    rowsTotal: rows.length,
    doneAt: now,
    updatedAt: now,
  });
  // The chunks are no longer needed (best effort: a leftover chunk is only dead weight).
  await collection('export_chunks')
    .where({ exportId: ex._id })
    .remove()
    .catch(() => undefined);
}

export const exportJob = defineJob<{ exportId: string }>({
  kind: 'export',
  async batch({ exportId }, cursor, ctx) {
    const ex = await getById<ExportDoc>('exports', exportId);
    if (!ex || ex.status !== 'running') return { next: null, processed: 0 };
    const at = parseCursor(cursor);
    if (at.assemble) {
      await assemble(ex, await readChunks(exportId, at.seq), ctx.now);
      return { next: null, processed: 0 };
    }
    const pageSize = ctx.limit >= JOB_BATCH ? EXPORT_PAGE : IN_CALL_EXPORT_PAGE;
    const { rows, more } = await SOURCES[ex.kind].page(ex, at.offset, pageSize);
    if (!more && at.seq === 0) {
      await assemble(ex, rows, ctx.now);
      return { next: null, processed: rows.length };
    }
    exportFaults.beforeChunk?.(at.seq);
    const done = at.offset + rows.length;
    await Promise.all([
      rows.length
        ? collection('export_chunks')
            .doc(chunkId(exportId, at.seq))
            .set({ exportId, seq: at.seq, rows, createdAt: ctx.now })
        : undefined,
      collection('exports')
        .doc(exportId)
        .update({ rowsDone: done, rowsTotal: Math.max(ex.rowsTotal, done), updatedAt: ctx.now }),
    ]);
    const seq = rows.length ? at.seq + 1 : at.seq;
    return { next: more ? `r:${seq}:${done}` : `a:${seq}`, processed: rows.length };
  },
});
