/**
 * Weapp page specs of 导出 Excel and the dashboards (issue 14) on the demo data: the worker (陈书记,
 * 幸福里社区) exports the 诉求台账 and looks at the 数据看板; the street admin at the 街道数据看板.
 * The dashboards are checked against report.dashboard / streetDashboard called directly, and their
 * charts by what uCharts drew: miniprogram-simulate has no canvas, so `createSelectorQuery` hands
 * each `Canvas type="2d"` a recording 2d context.
 */
import type { DashboardPeriod } from '../../types/report-dashboard';
import { countIn, recordingCanvas, type CanvasCall } from '../helpers/canvas-recorder';
import { findByText, pageText, tapText, until } from './harness';
import { docs, effect, type PageSpec } from './pages';
import { ok, XINGFULI } from './spec-helpers';

/** This year and month in Asia/Shanghai. */
function now(): { year: number; month: number } {
  const d = new Date(Date.now() + 8 * 3600_000);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1 };
}
const num = (n: number) => n.toLocaleString('zh-CN');
type Comp = Parameters<NonNullable<PageSpec['action']>['run']>[0]['comp'];
/** The text of the headline card (value and label) labelled `label`. */
const card = (comp: Comp, label: string) =>
  String(findByText(comp, label)?.parentElement?.textContent ?? '')
    .replace(/\s+/g, ' ')
    .trim();
interface Headline {
  signUps: number;
  grievancesReceived: number;
}

/**
 * From now on the page's `Canvas type="2d"` nodes (found with createSelectorQuery().select('#id')
 * .fields({ node, size })) are recording canvases of 300 × 200 px: the calls drawn on each, by id.
 */
function recordCanvases(wx: Record<string, unknown>): Map<string, CanvasCall[]> {
  const drawn = new Map<string, CanvasCall[]>();
  (wx.createSelectorQuery as jest.Mock).mockImplementation(() => {
    let selected = '';
    const q = {
      in: () => q,
      select: (sel: string) => {
        selected = sel.replace(/^#/, '');
        return q;
      },
      selectAll: () => q,
      selectViewport: () => q,
      boundingClientRect: () => q,
      scrollOffset: () => q,
      fields: () => q,
      exec: (cb?: (res: unknown[]) => void) => {
        const { node, calls } = recordingCanvas();
        drawn.set(selected, calls);
        cb?.([{ node, width: 300, height: 200 }]);
      },
    };
    return q;
  });
  return drawn;
}

export const REPORT_PAGES: PageSpec[] = [
  {
    route: 'packages/worker/export',
    role: 'worker',
    group: 'reports',
    query: async () => ({ kind: 'grievances' }),
    shows: ['导出诉求台账', '本月', '本年', '开始导出'],
    action: {
      name: '本年 → 开始导出 writes the year’s 诉求台账 and shows the finished file',
      async run({ rt, comp, openid }) {
        const { year } = now();
        tapText(comp, '本年');
        await until(
          () => findByText(comp, '本年')?.closest('[class*="segment--active"]'),
          5000,
          '本年 chosen',
        );
        tapText(comp, '开始导出');
        const [ex] = await effect('the export', async () => {
          const found = await docs(rt, 'exports', { owner: openid, kind: 'grievances', status: 'done' });
          return found.length ? found : undefined;
        });
        expect(ex).toMatchObject({ communityId: XINGFULI, period: String(year), fullIdentity: false });
        await until(
          () => pageText(comp).includes(`已生成，共 ${String(ex!.rowsTotal)} 行`),
          10_000,
          'the finished export',
        );
        expect(pageText(comp)).toContain(String(ex!.fileName));
      },
    },
  },
  {
    route: 'packages/worker/dashboard',
    role: 'worker',
    group: 'reports',
    shows: ['数据看板', `幸福里社区 · ${now().year}年${now().month}月`, '报名人次', '满意率'],
    action: {
      name: '年 shows the year’s figures of report.dashboard',
      async run({ rt, comp, openid, calls, wx }) {
        const drawn = recordCanvases(wx);
        const period: DashboardPeriod = { kind: 'year', year: now().year, index: 1 };
        const d = await ok<{
          label: string;
          headline: Headline;
          participation: { attended: number; noShows: number }[];
          service: { hoursByCategory: Record<string, number> }[];
          grievanceByCategory: unknown[];
        }>(rt, 'report', 'dashboard', { communityId: XINGFULI, period }, openid);
        tapText(comp, '年');
        await until(
          () =>
            calls.some(
              (c) =>
                c.data.action === 'dashboard' &&
                JSON.stringify(c.data.data) === JSON.stringify({ communityId: XINGFULI, period }),
            ),
          10_000,
          'report.dashboard for the year',
        );
        // The month's label "…2026年12月" contains the year's "…2026年": wait for the year's figures.
        await until(
          () => card(comp, '报名人次') === `${num(d.headline.signUps)}报名人次`,
          10_000,
          'the year’s dashboard',
        );
        expect(pageText(comp)).toContain(`幸福里社区 · ${d.label}`);
        expect(card(comp, '收到诉求')).toBe(`${num(d.headline.grievancesReceived)}收到诉求`);
        // uCharts drew each chart on its Canvas type="2d" node: the year's 12 months as a stacked
        // part per activity type, a 到场 and a 未到场 bar per month, a line per 三率, a stacked part
        // per source of hours.
        const chart = async (id: string) => {
          // The node asked for is the page's Canvas of that id.
          expect(comp.querySelector(`#${id}-canvas`)).toBeTruthy();
          return until(
            () =>
              drawn.get(`${id}-canvas`)?.some((c) => c.op === 'fill') ? drawn.get(`${id}-canvas`) : undefined,
            10_000,
            `uCharts drawing #${id}`,
          );
        };
        const participation = await chart('chart-participation');
        for (const color of ['#C8161D', '#1F6FB2', '#07875A', '#B3640A'])
          expect(countIn(participation, 'fillRect', color)).toBe(12);
        const attendance = await chart('chart-attendance');
        expect(d.participation).toHaveLength(12);
        expect(countIn(attendance, 'fill', '#07875A')).toBe(12);
        expect(countIn(attendance, 'fill', '#C8161D')).toBe(12);
        const rates = await chart('chart-grievance');
        for (const color of ['#1F6FB2', '#07875A', '#C8161D']) {
          expect(countIn(rates, 'stroke', color)).toBeGreaterThan(0);
          expect(countIn(rates, 'lineTo', color)).toBeGreaterThanOrEqual(11);
        }
        // 服务时长（按来源）: a stacked part per month for each source shown (the four activity types,
        // 微心愿, 补录认定; 其他 only when some hours have no source).
        const sources = await chart('chart-hours-source');
        const other = d.service.some((r) => (r.hoursByCategory.other ?? 0) > 0);
        for (const color of ['#C8161D', '#1F6FB2', '#07875A', '#B3640A', '#6B4FA0', '#0E7C86'])
          expect(countIn(sources, 'fillRect', color)).toBe(12);
        expect(countIn(sources, 'fillRect', '#5C6270')).toBe(other ? 12 : 0);
        if (d.grievanceByCategory.length > 0) {
          const byCategory = await chart('chart-grievance-category');
          expect(countIn(byCategory, 'fill', '#07875A')).toBe(d.grievanceByCategory.length);
        }
      },
    },
  },
  {
    route: 'packages/admin/dashboard',
    role: 'admin',
    group: 'reports',
    shows: [
      '街道数据看板',
      `${now().year}年${now().month}月 · 2 个社区`,
      '幸福里社区',
      '和平社区',
      '诉求三率对比',
    ],
    action: {
      name: '季 shows the quarter’s figures of report.streetDashboard',
      async run({ rt, comp, openid, calls, wx }) {
        const drawn = recordCanvases(wx);
        const { year, month } = now();
        const period: DashboardPeriod = { kind: 'quarter', year, index: Math.ceil(month / 3) };
        const d = await ok<{ label: string; communities: { communityName: string; headline: Headline }[] }>(
          rt,
          'report',
          'streetDashboard',
          { period },
          openid,
        );
        tapText(comp, '季');
        await until(
          () => pageText(comp).includes(`${d.label} · 2 个社区`),
          10_000,
          'the quarter’s dashboard',
        );
        expect(
          calls.filter((c) => c.data.action === 'streetDashboard').map((c) => c.data.data),
        ).toContainEqual({
          period,
        });
        // Each community's row of the table: its name, its sign-ups, …, its grievances received.
        for (const c of d.communities) {
          const row = findByText(comp, c.communityName)?.closest('[class*="stats-table__row"]');
          const cells = Array.from(row?.children ?? []).map((el) => String(el.textContent).trim());
          expect(cells[0]).toBe(c.communityName);
          expect(cells[1]).toBe(num(c.headline.signUps));
          expect(cells[7]).toBe(num(c.headline.grievancesReceived));
        }
        // The comparison chart: a 报名, a 到场 and a 未到 bar per community.
        const bars = await until(
          () =>
            drawn.get('street-chart-participation-canvas')?.some((c) => c.op === 'fill')
              ? drawn.get('street-chart-participation-canvas')
              : undefined,
          10_000,
          'uCharts drawing the street comparison',
        );
        for (const color of ['#1F6FB2', '#07875A', '#C8161D'])
          expect(countIn(bars, 'fill', color)).toBe(d.communities.length);
      },
    },
  },
];
