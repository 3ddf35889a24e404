/**
 * 导出 Excel (report function, client side): the pages' entries start the right export, the export
 * page shows progress (rows done / total) while it polls exportStatus and then the download (H5)
 * or open (weapp: downloadFile under USER_DATA_PATH + openDocument) action; the full-identity
 * roster needs a purpose and a confirmation; polling stops when the page is left.
 */
import { act, render, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import type { ExportView } from '../../types/report';
import type { RequestOf } from '../../types/api';
import { resetSession } from '../../miniprogram/src/store/session';
import ExportPage from '../../miniprogram/src/packages/worker/export';
import { exportPeriod, nextPollDelay, POLL_MS } from '../../miniprogram/src/packages/worker/export-flow';
import GrievanceStatsPage from '../../miniprogram/src/packages/worker/grievance-stats';
import Participants from '../../miniprogram/src/packages/worker/participants';
import { meView } from './fixtures';
import { setRouterParams } from './__mocks__/taro';
import { byId, emit, findById, tap } from './dom';
import { callsTo, setHandlers } from './mockApi';
import type * as MockApi from './mockApi';

jest.mock('../../miniprogram/src/api/client', () =>
  jest.requireActual<typeof MockApi>('./mockApi').clientModule(),
);

/** The Taro test double has no file APIs; the weapp branch calls these. */
const T = Taro as unknown as {
  downloadFile: jest.Mock;
  openDocument: jest.Mock;
  env: { USER_DATA_PATH: string };
};
T.env = { USER_DATA_PATH: 'wxfile://usr' };
T.downloadFile = jest.fn();
T.openDocument = jest.fn();

const ME = () => meView([{ role: 'worker', communityId: 'c1' }]);
const URL_ = '/exports/k1?e=1&s=sig';

const view = (over: Partial<ExportView> = {}): ExportView => ({
  exportId: 'x1',
  kind: 'participants',
  status: 'running',
  title: '幸福里社区 · 活动报名与签到 · 重阳敬老',
  fileName: '幸福里社区-活动报名与签到-重阳敬老.xlsx',
  rowsDone: 0,
  rowsTotal: 3,
  fullIdentity: false,
  createdAt: Date.now(),
  ...over,
});

/** Serves a 3-row export that the timer finishes over two polls. */
function serveExport(extra: Record<string, unknown> = {}) {
  const statuses = [
    view({ rowsDone: 2 }),
    view({ status: 'done', rowsDone: 3, url: URL_, urlExpiresAt: Date.now() + 3600_000 }),
  ];
  setHandlers({
    'user.me': ME,
    'report.startExport': (d: RequestOf<'report', 'startExport'>) => view({ kind: d.kind }),
    'report.exportStatus': () =>
      statuses.shift() ?? statuses[statuses.length - 1] ?? view({ status: 'done' }),
    ...extra,
  });
}

/** Opens the export page as Taro would for `url` (params as in the query, still encoded). */
function openPage(url: string) {
  const query = url.split('?')[1] ?? '';
  setRouterParams(
    Object.fromEntries(
      query.split('&').map((kv) => {
        const [k, v] = kv.split('=');
        return [k!, v ?? ''];
      }),
    ),
  );
  return render(<ExportPage />);
}

const lastNavigation = () => {
  const calls = (Taro.navigateTo as jest.Mock).mock.calls;
  return (calls[calls.length - 1]?.[0] as { url: string }).url;
};

let clicked: { href: string; download: string }[];
beforeEach(() => {
  resetSession();
  process.env.TARO_ENV = 'h5';
  T.downloadFile.mockReset();
  T.openDocument.mockReset();
  clicked = [];
  jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    clicked.push({ href: this.getAttribute('href') ?? '', download: this.download });
  });
});
afterEach(() => {
  process.env.TARO_ENV = 'h5';
  jest.restoreAllMocks();
});

test('报名名单 → 导出 Excel exports that activity’s participants, shows progress, then downloads (H5)', async () => {
  serveExport();
  setRouterParams({ id: 'a1', tab: 'confirmed' });
  const page = render(<Participants />);
  await tap((await findById('participants-export')).id);
  const url = lastNavigation();
  expect(url).toMatch(/^\/packages\/worker\/export\?/);
  page.unmount();

  openPage(url);
  await waitFor(() => expect(callsTo('report', 'startExport')).toHaveLength(1));
  // The community comes from the worker's grant; the activity from the page.
  expect(callsTo('report', 'startExport')[0]).toEqual({
    kind: 'participants',
    communityId: 'c1',
    activityId: 'a1',
  });
  expect(await findById('export-rows')).toHaveTextContent('已处理 0 / 3 行');
  expect(byId('export-progress')).toHaveAttribute('role', 'progressbar');
  expect(byId('export-progress')).toHaveAttribute('aria-valuemax', '3');
  await waitFor(() => expect(byId('export-rows')).toHaveTextContent('已处理 2 / 3 行'), { timeout: 4000 });
  const open = await waitFor(
    () => {
      const el = byId('export-open');
      if (!el) throw new Error('not done yet');
      return el;
    },
    { timeout: 4000 },
  );
  expect(open).toHaveTextContent('下载文件');
  expect(byId('export-done')).toHaveTextContent('共 3 行');
  expect(callsTo('report', 'exportStatus')).toEqual([{ exportId: 'x1' }, { exportId: 'x1' }]);
  await tap('export-open');
  await waitFor(() => expect(clicked).toHaveLength(1));
  expect(clicked[0]).toEqual({ href: URL_, download: '幸福里社区-活动报名与签到-重阳敬老.xlsx' });
}, 15_000);

test('诉求统计 → 导出台账 exports the grievance register of the chosen period', async () => {
  serveExport({ 'grievance.stats': () => Promise.reject(new Error('not needed here')) });
  setRouterParams({});
  const page = render(<GrievanceStatsPage />);
  await tap((await findById('stats-period-lastMonth')).id);
  await tap((await findById('stats-export')).id);
  const url = lastNavigation();
  page.unmount();
  openPage(url);
  await waitFor(() => expect(callsTo('report', 'startExport')).toHaveLength(1));
  expect(callsTo('report', 'startExport')[0]).toEqual({
    kind: 'grievances',
    communityId: 'c1',
    period: exportPeriod('lastMonth'),
  });
  expect(exportPeriod('lastMonth')).toMatch(/^20\d\d-\d\d$/);
});

test('志愿者名册 with full identity needs a purpose and a confirmation that it is recorded', async () => {
  serveExport();
  openPage('/packages/worker/export?kinds=roster,hours&communityId=c1');
  await findById('export-choose');
  // Masked by default: nothing starts until the worker taps 开始导出.
  expect(callsTo('report', 'startExport')).toHaveLength(0);
  await tap('export-full-identity');
  expect(await findById('export-full-warning')).toHaveTextContent('审计日志');
  await tap('export-start');
  expect(await findById('export-purpose-wrap')).toHaveTextContent('请填写导出用途');
  expect(callsTo('report', 'startExport')).toHaveLength(0);

  await emit('export-purpose-input', '区民政局年度志愿者备案');
  await tap('export-start');
  expect(await findById('confirm-dialog-text')).toHaveTextContent('区民政局年度志愿者备案');
  await tap('confirm-dialog-cancel');
  expect(byId('confirm-dialog-ok')).toBeNull();
  expect(callsTo('report', 'startExport')).toHaveLength(0);

  await tap('export-start');
  await tap((await findById('confirm-dialog-ok')).id);
  await waitFor(() => expect(callsTo('report', 'startExport')).toHaveLength(1));
  expect(callsTo('report', 'startExport')[0]).toEqual({
    kind: 'roster',
    communityId: 'c1',
    fullIdentity: true,
    purpose: '区民政局年度志愿者备案',
  });
});

test('时长统计 is exported by month or by year; the masked roster starts without a purpose', async () => {
  serveExport();
  const page = openPage('/packages/worker/export?kinds=roster,hours&communityId=c1');
  await tap((await findById('export-kind-hours')).id);
  await tap((await findById('export-period-thisYear')).id);
  await tap('export-start');
  await waitFor(() => expect(callsTo('report', 'startExport')).toHaveLength(1));
  expect(callsTo('report', 'startExport')[0]).toEqual({
    kind: 'hours',
    communityId: 'c1',
    period: exportPeriod('thisYear'),
  });
  expect(exportPeriod('thisYear')).toMatch(/^20\d\d$/);
  page.unmount();

  serveExport();
  openPage('/packages/worker/export?kinds=roster,hours&communityId=c1');
  await tap((await findById('export-start')).id);
  await waitFor(() => expect(callsTo('report', 'startExport')).toHaveLength(1));
  expect(callsTo('report', 'startExport')[0]).toEqual({ kind: 'roster', communityId: 'c1' });
});

test('weapp: the file is downloaded under USER_DATA_PATH and opened with openDocument; a failed download says so in Chinese', async () => {
  process.env.TARO_ENV = 'weapp';
  const done = view({
    status: 'done',
    rowsDone: 3,
    url: 'https://tcb.example/x.xlsx',
    urlExpiresAt: Date.now() + 3600_000,
  });
  setHandlers({ 'user.me': ME, 'report.startExport': () => done, 'report.exportStatus': () => done });
  T.downloadFile.mockRejectedValueOnce({ errMsg: 'downloadFile:fail timeout' });
  openPage('/packages/worker/export?kinds=units&communityId=c1&period=2030');
  await waitFor(() => expect(callsTo('report', 'startExport')).toHaveLength(1));
  expect(callsTo('report', 'startExport')[0]).toEqual({ kind: 'units', communityId: 'c1', period: '2030' });
  expect(await findById('export-open')).toHaveTextContent('打开文件');

  await tap('export-open');
  expect(await findById('export-open-error')).toHaveTextContent('文件下载失败，请检查网络后重试');
  expect(T.openDocument).not.toHaveBeenCalled();

  const filePath = 'wxfile://usr/幸福里社区-活动报名与签到-重阳敬老.xlsx';
  T.downloadFile.mockResolvedValueOnce({ statusCode: 200, filePath });
  T.openDocument.mockResolvedValueOnce({ errMsg: 'openDocument:ok' });
  await tap('export-open');
  await waitFor(() => expect(T.openDocument).toHaveBeenCalledTimes(1));
  expect(T.downloadFile).toHaveBeenLastCalledWith({ url: 'https://tcb.example/x.xlsx', filePath });
  expect(T.openDocument).toHaveBeenCalledWith({ filePath, fileType: 'xlsx', showMenu: true });
  expect(byId('export-open-error')).toBeNull();
});

test('polling stops when the page is left', async () => {
  setHandlers({ 'user.me': ME, 'report.startExport': () => view(), 'report.exportStatus': () => view() });
  const page = openPage('/packages/worker/export?kinds=participants&activityId=a1&communityId=c1');
  await findById('export-progress');
  page.unmount();
  await act(() => new Promise((r) => setTimeout(r, POLL_MS + 500)));
  expect(callsTo('report', 'exportStatus')).toHaveLength(0);
});

test('poll delay: 1.5 s, slower on long exports and after failures, bounded', () => {
  expect(nextPollDelay(0, 0)).toBe(1500);
  expect(nextPollDelay(9, 0)).toBe(1500);
  expect(nextPollDelay(12, 0)).toBeGreaterThan(1500);
  expect(nextPollDelay(100, 0)).toBe(5000);
  expect(nextPollDelay(0, 1)).toBe(3000);
  expect(nextPollDelay(0, 4)).toBe(15_000);
});
