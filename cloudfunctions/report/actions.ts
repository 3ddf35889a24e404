/**
 * Cloud function `report`: Excel exports for workers. `startExport` checks who may export what,
 * records the export and its job in one transaction (with an audit entry when the roster is
 * exported with full identity), and runs the job's first batch, which builds a small export at
 * once; the timer builds the rest (./job). `exportStatus` shows progress and, once done, an
 * expiring link — to the worker who asked for it only.
 */
import type { Activity, Community, Job } from '../../types/domain';
import type { ExportDoc, ExportView } from '../../types/report';
import { EXPORT_KIND_NAMES } from '../../types/report';
import { reportSchemas } from '../../types/report-schemas';
import { audit } from '../core/audit';
import { getById, newId, transaction } from '../core/db';
import { forbidden, invalid, notFound } from '../core/errors';
import { defineActions } from '../core/function';
import { canManageCommunity } from '../core/guard';
import { enqueue, newRunner, runFirstBatch } from '../core/jobs';
import { runtime } from '../core/runtime';
import { dashboardActions } from './dashboard';
import { exportJob, IN_CALL_EXPORT_PAGE } from './job';
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
      // The rows are counted together with the reads (a count needs only the community, the
      // activity id and the period).
      const counted = {
        communityId,
        ...(period ? { period } : {}),
        ...(input.activityId ? { activityId: input.activityId } : {}),
      } as ExportDoc;
      const [community, activity, rowsTotal] = await Promise.all([
        getById<Community>('communities', communityId),
        input.activityId ? getById<Activity>('activities', input.activityId) : undefined,
        SOURCES[kind].count(counted),
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

      const runner = newRunner();
      const doc: Omit<ExportDoc, '_id' | 'jobId' | 'rowsTotal'> = {
        kind,
        owner: caller.openid,
        communityId,
        communityName: community.name,
        ...(period && kind !== 'participants' && kind !== 'roster' ? { period } : {}),
        ...(input.activityId && kind === 'participants' ? { activityId: input.activityId } : {}),
        title,
        fileName,
        fullIdentity: !!input.fullIdentity,
        status: 'running',
        rowsDone: 0,
        createdAt: now,
        updatedAt: now,
      };
      // A small export is built by the call's own first batch (the answer is the file); a larger
      // one is left to the timer (not leased to this call), so the call stays within 4 sequential
      // database requests while the page polls.
      const inCall = rowsTotal <= IN_CALL_EXPORT_PAGE;
      const exportId = await transaction(async (t) => {
        // The export shares its job's id, so its status and its job are read together.
        const id = newId();
        // The job, the export and the audit entry are written together (one round trip).
        await Promise.all([
          enqueue(t, exportJob, { exportId: id }, now, inCall ? { leaseTo: runner, id } : { id }),
          t.set('exports', id, { ...doc, jobId: id, rowsTotal } as unknown as Record<string, unknown>),
          input.fullIdentity
            ? audit(t, {
                at: now,
                actor: caller.openid,
                action: 'identityExported',
                subject: `roster:${communityId}`,
                communityId,
                detail: `${input.purpose ?? ''}（志愿者名册 ${rowsTotal} 人，导出编号 ${id}）`,
              })
            : undefined,
        ]);
        return id;
      });
      const step = inCall ? await runFirstBatch(exportId, runner, now) : 'more';
      const saved = step === 'done' ? await getById<ExportDoc>('exports', exportId) : undefined;
      return viewOf(saved ?? { ...doc, _id: exportId, jobId: exportId, rowsTotal });
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
