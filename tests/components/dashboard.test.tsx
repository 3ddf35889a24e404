/**
 * 数据看板 (issue 14 item 1, client): the worker's dashboard asks report.dashboard for their
 * community and the picked period (月/季/年, previous/next, never past now), shows the headline
 * figures, and every chart carries its values in words; the street admin's dashboard puts the
 * communities side by side (a table and bar charts) for the picked period.
 */
import { render, waitFor } from '@testing-library/react';
import axe from 'axe-core';
import type { RequestOf } from '../../types/api';
import type {
  Dashboard,
  DashboardHeadline,
  DashboardPeriod,
  StreetDashboard,
} from '../../types/report-dashboard';
import { ApiCallError } from '../../miniprogram/src/api/errors';
import { resetSession, setCareMode } from '../../miniprogram/src/store/session';
import { countIn, recordingContext, type CanvasCall } from '../helpers/canvas-recorder';
import DashboardPage from '../../miniprogram/src/packages/worker/dashboard';
import StreetDashboardPage from '../../miniprogram/src/packages/admin/dashboard';
import { shiftPeriod } from '../../miniprogram/src/packages/worker/dashboard-period';
import { axisTop } from '../../miniprogram/src/packages/worker/dashboard-draw';
import { meView } from './fixtures';
import { byId, findById, tap } from './dom';
import { callsTo, setHandlers } from './mockApi';
import type * as MockApi from './mockApi';

jest.mock('../../miniprogram/src/api/client', () =>
  jest.requireActual<typeof MockApi>('./mockApi').clientModule(),
);

/** 2030-03-15 12:00 Asia/Shanghai. */
const NOW = Date.UTC(2030, 2, 15, 4);

const monthsOf = (p: DashboardPeriod): string[] => {
  const first = p.kind === 'month' ? p.index : p.kind === 'quarter' ? (p.index - 1) * 3 + 1 : 1;
  const n = p.kind === 'month' ? 1 : p.kind === 'quarter' ? 3 : 12;
  return Array.from({ length: n }, (_, i) => `${p.year}${String(first + i).padStart(2, '0')}`);
};

function headline(over: Partial<DashboardHeadline> = {}): DashboardHeadline {
  return {
    signUps: 120,
    attended: 90,
    noShows: 30,
    attendanceRate: 0.75,
    recordedHours: 200.5,
    grantedHours: 10,
    hoursByCategory: {
      volunteer: 150,
      partyDay: 30,
      alliance: 0,
      meeting: 10.5,
      service: 10,
      granted: 10,
      other: 0,
    },
    pointsIssued: 3000,
    pointsRedeemed: 1200,
    activeVolunteerMonths: 45,
    grievancesReceived: 40,
    responseRate: 0.95,
    resolutionRate: 0.8,
    satisfactionRate: 0.875,
    grievancesOverdue: 3,
    ...over,
  };
}

function dashboard(p: DashboardPeriod): Dashboard {
  const months = monthsOf(p);
  return {
    communityId: 'c1',
    communityName: '幸福里社区',
    period: p,
    label: `${p.year}年${p.index}`,
    months,
    headline: headline(),
    participation: months.map((month, i) => ({
      month,
      signUps: 10 + i,
      attended: 8,
      noShows: 2 + i,
      attendanceRate: 8 / (10 + i),
      byType: {
        volunteer: { signUps: 7 + i, attended: 6, noShows: 1 },
        partyDay: { signUps: 3, attended: 2, noShows: 1 + i },
        alliance: { signUps: 0, attended: 0, noShows: 0 },
        meeting: { signUps: 0, attended: 0, noShows: 0 },
      },
    })),
    service: months.map((month) => ({
      month,
      recordedHours: 12.5,
      grantedHours: 2,
      hoursByCategory: {
        volunteer: 8,
        partyDay: 3,
        alliance: 0,
        meeting: 0.5,
        service: 1,
        granted: 2,
        other: 0,
      },
      pointsIssued: 150,
      pointsRedeemed: 40,
      pointsExpired: 0,
      activeVolunteers: 5,
      pointsIn: { earned: 150 },
      pointsOut: { redeemed: 40 },
    })),
    grievances: months.map((month) => ({
      month,
      received: 4,
      responseRate: 1,
      resolutionRate: 0.75,
      satisfactionRate: 0.5,
      byCategory: [
        {
          category: 'sanitation',
          name: '环境卫生',
          received: 3,
          responseRate: 1,
          resolutionRate: 2 / 3,
          satisfactionRate: 0.5,
        },
        {
          category: 'safety',
          name: '治安消防',
          received: 1,
          responseRate: 1,
          resolutionRate: 1,
          satisfactionRate: 0.5,
        },
      ],
    })),
    grievanceByCategory: [
      {
        category: 'sanitation',
        name: '环境卫生',
        received: 3 * months.length,
        responseRate: 1,
        resolutionRate: 2 / 3,
        satisfactionRate: 0.5,
      },
      {
        category: 'safety',
        name: '治安消防',
        received: months.length,
        responseRate: 1,
        resolutionRate: 1,
        satisfactionRate: 0.5,
      },
    ],
    units: [
      {
        unitId: 'u1',
        unitName: '市第一医院',
        claims: 3,
        completedProjects: 2,
        avgRating: 4.5,
        resourcesProvided: 1,
        activitiesCoHosted: 2,
        membersReported: 12,
        memberHours: 36,
      },
    ],
  };
}

/**
 * jsdom has no canvas: each `<canvas>` gets a recording 2d context (by its id) and a 300 × 200 box,
 * so the tests see what uCharts drew.
 */
let drawn: Map<string, CanvasCall[]>;
let nowSpy: jest.SpyInstance;
let spies: jest.SpyInstance[] = [];
beforeEach(() => {
  resetSession();
  process.env.TARO_ENV = 'h5';
  nowSpy = jest.spyOn(Date, 'now').mockReturnValue(NOW);
  drawn = new Map();
  spies = [
    jest.spyOn(HTMLCanvasElement.prototype, 'getContext').mockImplementation(function (
      this: HTMLCanvasElement,
    ) {
      const { ctx, calls } = recordingContext();
      drawn.set(this.id, calls);
      return ctx as unknown as CanvasRenderingContext2D;
    }),
    jest.spyOn(HTMLCanvasElement.prototype, 'getBoundingClientRect').mockReturnValue({
      width: 300,
      height: 200,
    } as DOMRect),
  ];
});
afterEach(() => {
  nowSpy.mockRestore();
  for (const s of spies) s.mockRestore();
});

/** The calls uCharts made on a chart's canvas (it draws on the next timer tick). */
async function drawing(chartId: string): Promise<CanvasCall[]> {
  await waitFor(() => expect(drawn.get(`${chartId}-canvas`)?.some((c) => c.op === 'fill')).toBe(true));
  return drawn.get(`${chartId}-canvas`)!;
}

function serveWorker(over: Record<string, unknown> = {}) {
  setHandlers({
    'user.me': () => meView([{ role: 'worker', communityId: 'c1' }]),
    'report.dashboard': (d: RequestOf<'report', 'dashboard'>) => dashboard(d.period),
    ...over,
  });
}

describe('worker dashboard', () => {
  test('opens on this month of the worker’s community; the headline figures show', async () => {
    serveWorker();
    render(<DashboardPage />);
    await findById('dash-headline');
    expect(callsTo('report', 'dashboard')).toEqual([
      { communityId: 'c1', period: { kind: 'month', year: 2030, index: 3 } },
    ]);
    expect(byId('dash-period')).toHaveTextContent('2030年3月');
    expect(byId('dash-signUps')).toHaveTextContent('120');
    expect(byId('dash-attendanceRate')).toHaveTextContent('75%');
    expect(byId('dash-noShows')).toHaveTextContent('30');
    expect(byId('dash-hours')).toHaveTextContent('210.5 小时');
    expect(byId('dash-pointsIssued')).toHaveTextContent('3,000');
    expect(byId('dash-pointsRedeemed')).toHaveTextContent('1,200');
    expect(byId('dash-active')).toHaveTextContent('45');
    expect(byId('dash-responseRate')).toHaveTextContent('95%');
    expect(byId('dash-resolutionRate')).toHaveTextContent('80%');
    expect(byId('dash-satisfactionRate')).toHaveTextContent('87.5%');
    expect(byId('dash-overdue')).toHaveTextContent('3');
    expect(byId('dash-units-u1')).toHaveTextContent('市第一医院');
    expect(byId('dash-units-u1')).toHaveTextContent('36 小时');
  });

  test('period changes ask for the right period: 季, 年, previous, and never past now', async () => {
    serveWorker();
    render(<DashboardPage />);
    await findById('dash-headline');

    await tap('dash-kind-quarter');
    await waitFor(() => expect(callsTo('report', 'dashboard')).toHaveLength(2));
    expect(callsTo('report', 'dashboard')[1]!.period).toEqual({ kind: 'quarter', year: 2030, index: 1 });
    expect(byId('dash-period')).toHaveTextContent('2030年第1季度');

    await tap('dash-prev');
    await waitFor(() => expect(callsTo('report', 'dashboard')).toHaveLength(3));
    expect(callsTo('report', 'dashboard')[2]!.period).toEqual({ kind: 'quarter', year: 2029, index: 4 });

    await tap('dash-next');
    await waitFor(() => expect(callsTo('report', 'dashboard')).toHaveLength(4));
    expect(callsTo('report', 'dashboard')[3]!.period).toEqual({ kind: 'quarter', year: 2030, index: 1 });
    // The current quarter is the latest: 下一季 asks for nothing.
    expect(byId('dash-next')).toHaveAttribute('aria-disabled', 'true');
    await tap('dash-next');
    await findById('dash-headline');
    expect(callsTo('report', 'dashboard')).toHaveLength(4);

    await tap('dash-kind-year');
    await waitFor(() => expect(callsTo('report', 'dashboard')).toHaveLength(5));
    expect(callsTo('report', 'dashboard')[4]).toEqual({
      communityId: 'c1',
      period: { kind: 'year', year: 2030, index: 1 },
    });
    await findById('dash-headline');
    // A year's charts have a column per month, and their values in words.
    const label = byId('chart-participation')!.querySelector('[role="img"]')!.getAttribute('aria-label')!;
    expect(label).toContain('1月 志愿服务 7、主题党日 3、联盟活动 0、三会一课 0');
    expect(label).toContain('12月 志愿服务 18');
    // uCharts drew a stacked part for each type in each of the 12 months (in the type's colour).
    await waitFor(() =>
      expect(countIn(drawn.get('chart-participation-canvas') ?? [], 'fillRect', '#C8161D')).toBe(12),
    );
    const calls = await drawing('chart-participation');
    for (const color of ['#C8161D', '#1F6FB2', '#07875A', '#B3640A'])
      expect(countIn(calls, 'fillRect', color)).toBe(12);
  });

  test('every chart has a text alternative with its values', async () => {
    serveWorker();
    render(<DashboardPage />);
    await findById('dash-headline');
    const alt = (id: string) => byId(id)!.querySelector('[role="img"]')!.getAttribute('aria-label');
    expect(alt('chart-participation')).toBe('报名人次：3月 志愿服务 7、主题党日 3、联盟活动 0、三会一课 0');
    expect(alt('chart-attendance')).toBe('到场与未到场：3月 到场 8、未到场 2');
    expect(alt('chart-hours')).toBe('服务时长：3月 签到记录 12.5 小时、补录认定 2 小时');
    expect(alt('chart-hours-source')).toBe(
      '服务时长（按来源）：3月 志愿服务 8 小时、主题党日 3 小时、联盟活动 0 小时、三会一课 0.5 小时、微心愿 1 小时、补录认定 2 小时',
    );
    expect(alt('chart-points')).toBe('积分：3月 发放 150、兑换 40');
    expect(alt('chart-grievance')).toBe('诉求三率：3月 响应率 100%、解决率 75%、满意率 50%');
    expect(alt('chart-points-in')).toBe('积分发放（按类别）：3月 服务获得 150、调整增加 0、兑换退回 0');
    expect(alt('chart-points-out')).toBe('积分支出（按类别）：3月 兑换 40、过期 0、调整扣减 0');
    expect(alt('chart-grievance-category')).toBe(
      '各类诉求三率：环境卫生 响应率 100%、解决率 66.7%、满意率 50%；治安消防 响应率 100%、解决率 100%、满意率 50%',
    );
    expect(alt('chart-grievance-trend')).toBe('解决率趋势（按类别）：3月 环境卫生 66.7%、治安消防 100%');
    // The legend says the series in words (never colour alone).
    expect(byId('chart-grievance')).toHaveTextContent('响应率解决率满意率');
  });

  test('the charts are drawn by uCharts on their canvas: a bar per value, a line per series', async () => {
    serveWorker();
    render(<DashboardPage />);
    await findById('dash-headline');
    // Side-by-side bars: one filled bar per series and label (到场 green, 未到场 red; one month).
    const attendance = await drawing('chart-attendance');
    expect(countIn(attendance, 'fill', '#07875A')).toBe(1);
    expect(countIn(attendance, 'fill', '#C8161D')).toBe(1);
    // By category: a group of three rate bars per category (two categories).
    const categories = await drawing('chart-grievance-category');
    for (const color of ['#1F6FB2', '#07875A', '#C8161D']) expect(countIn(categories, 'fill', color)).toBe(2);
    // Lines: each rate stroked in its colour.
    const rates = await drawing('chart-grievance');
    for (const color of ['#1F6FB2', '#07875A', '#C8161D'])
      expect(countIn(rates, 'stroke', color)).toBeGreaterThan(0);
    // The axis labels of a rate chart are percentages.
    expect(rates.filter((c) => c.op === 'fillText').map((c) => c.args[0])).toContain('100%');
  });

  test('服务时长（按来源）: a stacked part per source and month, 其他 only when there are such hours', async () => {
    serveWorker({
      'report.dashboard': (d: RequestOf<'report', 'dashboard'>) => {
        const x = dashboard(d.period);
        if (d.period.kind === 'year')
          x.service = x.service.map((r, i) =>
            i === 0 ? { ...r, hoursByCategory: { ...r.hoursByCategory, volunteer: 5, other: 3 } } : r,
          );
        return x;
      },
    });
    render(<DashboardPage />);
    await findById('dash-headline');
    // One month, no 其他: six sources, one stacked part each, in the source's colour.
    let calls = await drawing('chart-hours-source');
    for (const color of ['#C8161D', '#1F6FB2', '#07875A', '#B3640A', '#6B4FA0', '#0E7C86'])
      expect(countIn(calls, 'fillRect', color)).toBe(1);
    expect(countIn(calls, 'fillRect', '#5C6270')).toBe(0);
    expect(byId('chart-hours-source')).not.toHaveTextContent('其他');
    // The year: 12 months each; January has hours without a source (其他).
    await tap('dash-kind-year');
    await waitFor(() =>
      expect(byId('chart-hours-source')?.querySelector('[role="img"]')?.getAttribute('aria-label')).toContain(
        '1月 志愿服务 5 小时、主题党日 3 小时、联盟活动 0 小时、三会一课 0.5 小时、微心愿 1 小时、补录认定 2 小时、其他 3 小时',
      ),
    );
    await waitFor(() =>
      expect(countIn(drawn.get('chart-hours-source-canvas') ?? [], 'fillRect', '#5C6270')).toBe(12),
    );
    calls = drawn.get('chart-hours-source-canvas')!;
    for (const color of ['#C8161D', '#1F6FB2', '#07875A', '#B3640A', '#6B4FA0', '#0E7C86'])
      expect(countIn(calls, 'fillRect', color)).toBe(12);
    // Its data table: a row per month, a column per source.
    await tap('chart-hours-source-data-toggle');
    expect(byId('chart-hours-source-data')).toHaveTextContent('其他');
    expect(byId('chart-hours-source-data-0')).toHaveTextContent(
      '1月5 小时3 小时0 小时0.5 小时1 小时2 小时3 小时',
    );
    expect(byId('chart-hours-source-data-11')).toHaveTextContent('12月8 小时');
  });

  test('the trend by category follows the picked rate', async () => {
    serveWorker();
    render(<DashboardPage />);
    await findById('chart-grievance-trend');
    await tap('dash-rate-satisfactionRate');
    await waitFor(() =>
      expect(byId('chart-grievance-trend')!.querySelector('[role="img"]')!.getAttribute('aria-label')).toBe(
        '满意率趋势（按类别）：3月 环境卫生 50%、治安消防 50%',
      ),
    );
  });

  test('each chart opens its data table; in 关怀模式 the tables are open from the start', async () => {
    serveWorker();
    const page = render(<DashboardPage />);
    await findById('dash-headline');
    expect(byId('chart-points-data')).toBeNull();
    expect(byId('chart-points-data-toggle')).toHaveAttribute('aria-expanded', 'false');
    await tap('chart-points-data-toggle');
    expect(byId('chart-points-data-0')).toHaveTextContent('3月15040');
    expect(byId('chart-points-data')).toHaveTextContent('发放');
    page.unmount();

    setCareMode(true);
    render(<DashboardPage />);
    await findById('dash-headline');
    expect(byId('chart-grievance-data-0')).toHaveTextContent('3月100%75%50%');
    expect(byId('chart-grievance-data-toggle')).toHaveTextContent('收起数据表');
    expect(byId('chart-hours-source-data-0')).toHaveTextContent('3月8 小时3 小时0 小时0.5 小时1 小时2 小时');
    // The chart's own text is larger too (15 px instead of 12).
    const text = (await drawing('chart-grievance')).filter((c) => c.op === 'fillText');
    expect(text.length).toBeGreaterThan(0);
    expect([...new Set(text.map((c) => c.font))]).toEqual(['15px sans-serif']);
  });

  test('a refusal shows in Chinese with a retry', async () => {
    serveWorker({
      'report.dashboard': () => {
        throw new ApiCallError({ code: 'FORBIDDEN', message: '只能查看你负责的社区' });
      },
    });
    render(<DashboardPage />);
    expect(await findById('dash-error')).toHaveTextContent('只能查看你负责的社区');
  });

  test('the value axis tops at a round step above the largest bar (a stack’s sum when stacked)', () => {
    const spec = (values: number[][], stacked = false) => ({
      labels: values[0]!.map((_, i) => `${i + 1}月`),
      series: values.map((v, i) => ({ name: `s${i}`, color: '#000', values: v })),
      stacked,
    });
    expect(axisTop(spec([[65, 3]]))).toBe(80); // steps of 20
    expect(axisTop(spec([[25], [40]]))).toBe(40);
    expect(axisTop(spec([[25], [40]], true))).toBe(80);
    expect(axisTop(spec([[7]]))).toBe(8); // whole steps for counts
    expect(axisTop(spec([[0, 0]]))).toBe(4);
    expect(axisTop(spec([[1234]]))).toBe(1600);
  });

  test('shiftPeriod crosses years both ways', () => {
    expect(shiftPeriod({ kind: 'month', year: 2030, index: 1 }, -1)).toEqual({
      kind: 'month',
      year: 2029,
      index: 12,
    });
    expect(shiftPeriod({ kind: 'month', year: 2029, index: 12 }, 1)).toEqual({
      kind: 'month',
      year: 2030,
      index: 1,
    });
    expect(shiftPeriod({ kind: 'year', year: 2030, index: 1 }, -1)).toEqual({
      kind: 'year',
      year: 2029,
      index: 1,
    });
  });
});

/** axe-core in jsdom (no layout, so contrast is left to the browser tests): serious/critical. */
async function axeProblems(): Promise<string[]> {
  const r = await axe.run(document.body, { rules: { 'color-contrast': { enabled: false } } });
  return r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test('axe finds no serious or critical problems on either dashboard', async () => {
  serveWorker();
  const page = render(<DashboardPage />);
  await findById('dash-units');
  expect(await axeProblems()).toEqual([]);
  page.unmount();
  setHandlers({
    'user.me': () => meView([{ role: 'admin' }]),
    'report.streetDashboard': (d: RequestOf<'report', 'streetDashboard'>) => ({
      period: d.period,
      label: '2030年3月',
      communities: [{ communityId: 'c1', communityName: '幸福里社区', headline: headline(), hours: [] }],
    }),
  });
  render(<StreetDashboardPage />);
  await findById('street-table');
  expect(await axeProblems()).toEqual([]);
});

describe('street dashboard', () => {
  const street = (p: DashboardPeriod): StreetDashboard => ({
    period: p,
    label: '2030年3月',
    communities: [
      { communityId: 'c1', communityName: '幸福里社区', headline: headline(), hours: [] },
      {
        communityId: 'c2',
        communityName: '和平社区',
        headline: headline({ signUps: 60, attended: 30, noShows: 30, attendanceRate: 0.5, responseRate: 1 }),
        hours: [],
      },
    ],
  });

  test('communities side by side for the picked period: table and charts', async () => {
    setHandlers({
      'user.me': () => meView([{ role: 'admin' }]),
      'report.streetDashboard': (d: RequestOf<'report', 'streetDashboard'>) => street(d.period),
    });
    render(<StreetDashboardPage />);
    await findById('street-table');
    expect(callsTo('report', 'streetDashboard')).toEqual([
      { period: { kind: 'month', year: 2030, index: 3 } },
    ]);
    expect(byId('street-table-c1')).toHaveTextContent('幸福里社区');
    expect(byId('street-table-c1')).toHaveTextContent('75%');
    expect(byId('street-table-c2')).toHaveTextContent('和平社区');
    expect(byId('street-table-c2')).toHaveTextContent('50%');
    // Many columns: the table scrolls sideways in its own focusable, named region on a phone.
    expect(byId('street-table-scroll')).toHaveAttribute('role', 'region');
    expect(byId('street-table-scroll')).toHaveAttribute('tabindex', '0');
    const bars = await drawing('street-chart-participation');
    for (const color of ['#1F6FB2', '#07875A', '#C8161D']) expect(countIn(bars, 'fill', color)).toBe(2);
    const alt = byId('street-chart-participation')!.querySelector('[role="img"]')!.getAttribute('aria-label');
    expect(alt).toBe(
      '各社区报名与到场：幸福里社区 报名 120、到场 90、未到 30；和平社区 报名 60、到场 30、未到 30',
    );
    expect(
      byId('street-chart-grievance')!.querySelector('[role="img"]')!.getAttribute('aria-label'),
    ).toContain('和平社区 响应率 100%');

    await tap('dash-kind-year');
    await waitFor(() => expect(callsTo('report', 'streetDashboard')).toHaveLength(2));
    expect(callsTo('report', 'streetDashboard')[1]).toEqual({
      period: { kind: 'year', year: 2030, index: 1 },
    });
  });

  test('no communities yet: an empty state', async () => {
    setHandlers({
      'user.me': () => meView([{ role: 'admin' }]),
      'report.streetDashboard': (d: RequestOf<'report', 'streetDashboard'>) => ({
        period: d.period,
        label: '2030年3月',
        communities: [],
      }),
    });
    render(<StreetDashboardPage />);
    expect(await findById('street-empty')).toHaveTextContent('还没有社区');
  });
});
