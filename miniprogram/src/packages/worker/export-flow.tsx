/**
 * Excel exports (report function), the client side shared by the worker pages: open the export
 * page for a kind, the export periods in Asia/Shanghai, the polling delay, and handing the finished
 * file on — weapp: download under USER_DATA_PATH and openDocument; H5: a download link.
 * Kept apart from the export page so the pages with an 导出 Excel button import only this.
 */
import Taro from '@tarojs/taro';
import type { ExportKind } from '../../../../types/report';
import { shanghai } from '../../utils/time';

export const EXPORT_PAGE = '/packages/worker/export';

export interface ExportRequest {
  /** The kind, or several to choose from on the export page (first = default). */
  kinds: ExportKind[];
  communityId?: string;
  activityId?: string;
  /** 'YYYY' or 'YYYY-MM'; without it the export page asks (kinds that take a period). */
  period?: string;
}

/** The export page's URL for a request. */
export function exportUrl(req: ExportRequest): string {
  const q: string[] = [`kinds=${req.kinds.join(',')}`];
  if (req.communityId) q.push(`communityId=${encodeURIComponent(req.communityId)}`);
  if (req.activityId) q.push(`activityId=${encodeURIComponent(req.activityId)}`);
  if (req.period) q.push(`period=${encodeURIComponent(req.period)}`);
  return `${EXPORT_PAGE}?${q.join('&')}`;
}

/** 导出 Excel: opens the export page, which starts the export (or first asks what to export). */
export function openExport(req: ExportRequest): void {
  void Taro.navigateTo({ url: exportUrl(req) });
}

export type ExportPeriodChoice = 'thisMonth' | 'lastMonth' | 'thisYear' | 'lastYear';

export const PERIOD_LABEL: Record<ExportPeriodChoice, string> = {
  thisMonth: '本月',
  lastMonth: '上月',
  thisYear: '本年',
  lastYear: '去年',
};

/** The report period ('YYYY-MM' or 'YYYY', Asia/Shanghai) of a choice at `nowMs`. */
export function exportPeriod(choice: ExportPeriodChoice, nowMs: number = Date.now()): string {
  const now = shanghai(nowMs);
  if (choice === 'thisYear') return now.format('YYYY');
  if (choice === 'lastYear') return now.subtract(1, 'year').format('YYYY');
  if (choice === 'lastMonth') return now.startOf('month').subtract(1, 'month').format('YYYY-MM');
  return now.format('YYYY-MM');
}

/** Kinds that need a period (participants and the roster do not). */
export const takesPeriod = (kind: ExportKind) => kind !== 'participants' && kind !== 'roster';

/** Polling: every 1.5 s, slowing down on long exports (×1.25 after 10 polls, up to 5 s) and on errors (×2, up to 15 s). */
export const POLL_MS = 1500;
export function nextPollDelay(polls: number, failures: number): number {
  if (failures > 0) return Math.min(15_000, POLL_MS * 2 ** failures);
  if (polls < 10) return POLL_MS;
  return Math.min(5_000, Math.round(POLL_MS * 1.25 ** (polls - 9)));
}

/** A name safe for the file system: no path or reserved characters, ends in .xlsx. */
export function localFileName(fileName: string): string {
  const base = fileName.replace(/[\\/:*?"<>|\s]+/g, '').replace(/\.xlsx$/i, '') || '导出';
  return `${base.slice(0, 60)}.xlsx`;
}

function errMsgOf(err: unknown): string {
  const e = err as { errMsg?: string; message?: string } | undefined;
  return String(e?.errMsg ?? e?.message ?? '');
}

function saveTemp(tempFilePath: string, filePath: string): Promise<string> {
  return new Promise((resolve, reject) =>
    Taro.getFileSystemManager().saveFile({
      tempFilePath,
      filePath,
      success: (r) => resolve(r.savedFilePath || filePath),
      fail: (e) => reject(new Error(e.errMsg)),
    }),
  );
}

export type OpenOutcome = 'opened' | 'downloaded';

/** Thrown with a Chinese message for the page to show. */
export class ExportFileError extends Error {}

/**
 * Hands a finished export to the user. weapp: downloads it to USER_DATA_PATH/<name>.xlsx and opens
 * it with openDocument (the menu lets them forward or save it); H5: a download link.
 */
export async function openExportFile(url: string, fileName: string): Promise<OpenOutcome> {
  const name = localFileName(fileName);
  if (process.env.TARO_ENV !== 'weapp') {
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    a.rel = 'noopener';
    a.style.display = 'none';
    document.body.appendChild(a);
    a.click();
    document.body.removeChild(a);
    return 'downloaded';
  }
  const target = `${Taro.env.USER_DATA_PATH}/${name}`;
  let filePath: string;
  try {
    const res = (await Taro.downloadFile({ url, filePath: target })) as {
      statusCode: number;
      filePath?: string;
      tempFilePath?: string;
    };
    if (res.statusCode !== 200) throw new ExportFileError('下载链接已失效，请重新导出');
    filePath = res.filePath || (await saveTemp(res.tempFilePath ?? '', target));
  } catch (err) {
    if (err instanceof ExportFileError) throw err;
    const msg = errMsgOf(err);
    if (/exceed|storage|size/i.test(msg)) throw new ExportFileError('手机存储空间不足，请清理后重试');
    throw new ExportFileError('文件下载失败，请检查网络后重试');
  }
  try {
    await Taro.openDocument({ filePath, fileType: 'xlsx', showMenu: true });
  } catch {
    throw new ExportFileError('文件已保存，但无法在微信中打开，请在电脑端导出或稍后重试');
  }
  return 'opened';
}
