/**
 * Worker reports: Excel exports (.xlsx) built in a background job (cloudfunctions/report). The
 * contract of the `report` function; its input schemas are in ./report-schemas.
 */
import type { Action, In } from './api';
import type { ReportSchemas } from './report-schemas';
import type { Dashboard, StreetDashboard } from './report-dashboard';

/** What can be exported. */
export type ExportKind = 'participants' | 'hours' | 'roster' | 'grievances' | 'units' | 'members';

export const EXPORT_KIND_NAMES: Record<ExportKind, string> = {
  participants: '活动报名与签到',
  hours: '志愿服务时长',
  roster: '志愿者名册',
  grievances: '诉求台账',
  units: '共建单位记录',
  members: '在职党员报到记录',
};

export type ExportStatus = 'running' | 'done' | 'failed';

/** One export (collection `exports`); only the worker who asked for it can read it. */
export interface ExportDoc {
  _id: string;
  kind: ExportKind;
  owner: string;
  communityId: string;
  communityName: string;
  /** 'YYYY', 'YYYY-MM' or 'YYYY-Qn' (Asia/Shanghai), when the kind takes a period. */
  period?: string;
  activityId?: string;
  /** A title for the sheet's first row (community, period or activity). */
  title: string;
  fileName: string;
  fullIdentity: boolean;
  status: ExportStatus;
  rowsDone: number;
  rowsTotal: number;
  jobId: string;
  fileId?: string;
  error?: string;
  createdAt: number;
  updatedAt: number;
  doneAt?: number;
}

export interface ExportView {
  exportId: string;
  kind: ExportKind;
  status: ExportStatus;
  title: string;
  fileName: string;
  rowsDone: number;
  rowsTotal: number;
  fullIdentity: boolean;
  /** When done: an expiring download link (a temporary URL in production). */
  url?: string;
  urlExpiresAt?: number;
  error?: string;
  createdAt: number;
}

type R<A extends keyof ReportSchemas> = In<ReportSchemas[A]>;

export interface ReportContract {
  startExport: Action<R<'startExport'>, ExportView, 'FORBIDDEN' | 'NOT_FOUND'>;
  exportStatus: Action<R<'exportStatus'>, ExportView, 'FORBIDDEN' | 'NOT_FOUND'>;
  dashboard: Action<R<'dashboard'>, Dashboard, 'FORBIDDEN' | 'NOT_FOUND'>;
  streetDashboard: Action<R<'streetDashboard'>, StreetDashboard, 'FORBIDDEN'>;
}
