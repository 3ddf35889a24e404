/**
 * Cloud function `report`: Excel exports for workers. `startExport` checks who may export what
 * while it reads the first IN_CALL_EXPORT_PAGE rows (one parallel round), then records the export
 * (after its audit entry when the roster is exported with full identity): done, with its file,
 * when those rows were all; otherwise with its job, which the timer runs from there (./job). At
 * most 4 sequential database requests either way. `exportStatus` shows progress and,
 * once done, an expiring link — to the worker who asked for it only.
 */
import type { Activity, Community, Job } from '../../types/domain';
import type { ExportDoc, ExportView } from '../../types/report';
import { EXPORT_KIND_NAMES } from '../../types/report';
import { reportSchemas } from '../../types/report-schemas';
import type { AuditEntry } from '../../types/volunteer';
import { collection, getById, newId } from '../core/db';
import { forbidden, invalid, notFound } from '../core/errors';
import { defineActions } from '../core/function';
import { canManageCommunity } from '../core/guard';
import { jobDoc } from '../core/jobs';
import { runtime } from '../core/runtime';
import { dashboardActions } from './dashboard';
import { chunkId, exportJob, IN_CALL_EXPORT_PAGE, storeFile } from './job';
import { periodRange, shanghaiText } from './period';
import { defaultPeriod, SOURCES } from './sources';

export const schemas = reportSchemas;

/** How long a download link works. */
export const LINK_TTL_MS = 60 * 60_000;

async function viewOf(ex: ExportDoc, job?: Job): Promise<ExportView> {
  const failed = ex.status === 'running' && job?.status === 'failed';
  const view: ExportView = {
    exportId: ex._id,
    kind: ex.kind,
    status: failed ? 'failed' : ex.status,
    title: ex.title,
    fileName: ex.fileName,
    rowsDone: ex.rowsDone,
    rowsTotal: ex.rowsTotal,
    fullIdentity: ex.fullIdentity,
    createdAt: ex.createdAt,
  };
  if (failed) view.error = '导出失败，请重新导出';
  if (ex.status === 'done' && ex.fileId) {
    view.url = await runtime().storage.documentUrl(ex.fileId, LINK_TTL_MS);
    view.urlExpiresAt = runtime().now() + LINK_TTL_MS;
  }
  return view;
}

const fileSafe = (s: string) => s.replace(/[\\/:*?"<>|\s]+/g, '').slice(0, 40);

export const actions = defineActions('report', {
  startExport: {
    roles: ['worker', 'admin'],
    async handler({ caller, now }, input) {
      const { kind, communityId } = input;
      if (!canManageCommunity(caller, communityId)) throw forbidden('只能导出本社区的数据');
      const period = input.period ?? defaultPeriod(kind, now);
      const range = period ? periodRange(period) : undefined;
      // The rows are counted, and the first page of them read, together with the checks' reads (a
      // page needs only what the request says; nothing read is answered before the checks pass).
      const probe = {
        kind,
        owner: caller.openid,
        communityId,
        ...(period ? { period } : {}),
        ...(input.activityId ? { activityId: input.activityId } : {}),
        fullIdentity: !!input.fullIdentity,
        createdAt: now,
      } as ExportDoc;
      const [community, activity, counted, first] = await Promise.all([
        getById<Community>('communities', communityId),
        input.activityId ? getById<Activity>('activities', input.activityId) : undefined,
        SOURCES[kind].count(probe),
        SOURCES[kind].page(probe, 0, IN_CALL_EXPORT_PAGE),
      ]);
      if (!community) throw notFound('社区不存在');
      if (kind === 'participants') {
        if (!activity) throw notFound('活动不存在或已删除');
        if (activity.communityId !== communityId) throw forbidden('只能导出本社区的活动');
      }
      const what = EXPORT_KIND_NAMES[kind];
      const scope =
        kind === 'participants' && activity
          ? `${activity.title}（${shanghaiText(activity.startAt)}）`
          : kind === 'roster'
            ? `截至 ${shanghaiText(now)}`
            : (range?.label ?? '');
      if (kind !== 'participants' && kind !== 'roster' && !range) throw invalid('请选择期间');
      const title = `${community.name} · ${what} · ${scope}`;
      const fileName = `${fileSafe(community.name)}-${what}-${fileSafe(
        kind === 'participants' && activity ? activity.title : (period ?? ''),
      )}${input.fullIdentity ? '-完整身份' : ''}.xlsx`.replace(/-\./, '.');

      const read = first.rows.length;
      const complete = !first.more;
      const rowsTotal = complete ? read : Math.max(counted, read);
      const doc: Omit<ExportDoc, '_id' | 'jobId'> = {
        kind,
        owner: caller.openid,
        communityId,
        communityName: community.name,
        ...(period && kind !== 'participants' && kind !== 'roster' ? { period } : {}),
        ...(input.activityId && kind === 'participants' ? { activityId: input.activityId } : {}),
        title,
        fileName,
        fullIdentity: !!input.fullIdentity,
        status: complete ? 'done' : 'running',
        rowsDone: read,
        rowsTotal,
        createdAt: now,
        updatedAt: now,
      };
      // All rows read: the file is built and stored now (no database request) and the export is
      // recorded done. Otherwise the rows read become chunk 0 and the job goes on after them.
      if (complete) {
        doc.fileId = await storeFile(doc, first.rows, now);
        doc.doneAt = now;
      }
      const exportId = newId();
      // No transaction (its start, write and commit would be three more round trips): the job, its
      // first chunk and the audit entry are written first, together, and the export last — so an
      // export never exists without its job or, with full identity, without its audit entry (if
      // the call fails between, an orphan job finds no export and ends; see ./job).
      await Promise.all([
        complete
          ? undefined
          : collection('jobs')
              .doc(exportId)
              .set(jobDoc(exportJob, { exportId }, now, { cursor: `r:1:${read}` })),
        complete
          ? undefined
          : collection('export_chunks')
              .doc(chunkId(exportId, 0))
              .set({ exportId, seq: 0, rows: first.rows, createdAt: now }),
        input.fullIdentity
          ? collection('audit_log')
              .doc(newId())
              .set({
                at: now,
                actor: caller.openid,
                action: 'identityExported',
                subject: `roster:${communityId}`,
                communityId,
                detail: `${input.purpose ?? ''}（志愿者名册 ${rowsTotal} 人，导出编号 ${exportId}）`,
              } satisfies Omit<AuditEntry, '_id'>)
          : undefined,
      ]);
      await collection('exports')
        .doc(exportId)
        .set({ ...doc, jobId: exportId } as unknown as Record<string, unknown>);
      return viewOf({ ...doc, _id: exportId, jobId: exportId });
    },
  },

  exportStatus: {
    roles: ['worker', 'admin'],
    async handler({ caller }, { exportId }) {
      const [ex, job] = await Promise.all([
        getById<ExportDoc>('exports', exportId),
        getById<Job>('jobs', exportId),
      ]);
      if (!ex) throw notFound('导出记录不存在');
      if (ex.owner !== caller.openid) throw forbidden('只能查看自己导出的文件');
      return viewOf(ex, job);
    },
  },

  // Dashboards (./dashboard).
  ...dashboardActions,
});
