/**
 * Dashboards in the browser (issue 14): the charts are really drawn — the canvas pixels of each
 * series with data show its colour — on the worker's 数据看板 and the street admin's 街道数据看板; the
 * street table scrolls sideways inside its own region on a phone (first column kept in view, the
 * page itself not widened) and is a plain full-width table at 1280 px. axe at both widths.
 */
import type { Browser, Page } from 'playwright-core';
import { BASE, checkA11y, launch, screenshot, viewportAs } from './browser';

const DESK = { width: 1280, height: 800 };
const PHONE = { width: 375, height: 812 };

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const login = (openid: string, viewport: { width: number; height: number }) =>
  viewportAs(browser, openid, viewport);

/** Opens a page and waits for its figures (no skeleton left). */
async function open(page: Page, path: string, ready: string): Promise<void> {
  await page.goto(`${BASE()}/#/${path}`);
  await page.waitForURL((u) => u.hash.startsWith(`#/${path}`));
  await page.waitForFunction(
    (sel) => {
      const p = window.currentTaroPage();
      return !!p?.querySelector(sel) && !p.querySelector('.state-skeleton');
    },
    ready,
    { timeout: 15_000 },
  );
}

/** Picks 年 (this year: the demo data has figures) and waits for the year's label. */
async function pickYear(page: Page, labelId: string): Promise<void> {
  await page.locator('#dash-kind-year').click();
  await page.waitForFunction(
    (id) => /^\D*\d{4}年(\s|·|$)/.test(window.currentTaroPage()?.querySelector(`#${id}`)?.textContent ?? ''),
    labelId,
    { timeout: 15_000 },
  );
  await page.waitForTimeout(300);
}

interface Ink {
  series: { name: string; color: string; total: number; pixels: number }[];
  width: number;
  height: number;
  inked: number;
}

/**
 * Reads a chart's canvas: for each series (legend name and swatch colour), the sum of its values
 * from the chart's text alternative and the number of canvas pixels in its colour.
 */
async function ink(page: Page, chartId: string): Promise<Ink> {
  await page.waitForFunction((id) => {
    const c = window.currentTaroPage()?.querySelector<HTMLCanvasElement>(`#${id}-canvas`);
    return !!c && c.width > 0;
  }, chartId);
  await page.waitForTimeout(200); // uCharts draws on the next timer tick
  return page.evaluate((id) => {
    const p = window.currentTaroPage()!;
    const chart = p.querySelector(`#${id}`)!;
    const canvas = chart.querySelector<HTMLCanvasElement>('canvas')!;
    const ctx = canvas.getContext('2d')!;
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    const label = chart.querySelector('[role="img"]')!.getAttribute('aria-label') ?? '';
    const rgb = (css: string) => (css.match(/\d+/g) ?? []).slice(0, 3).map(Number);
    let inked = 0;
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b, a] = [data[i]!, data[i + 1]!, data[i + 2]!, data[i + 3]!];
      if (a > 0 && !(r > 245 && g > 245 && b > 245)) inked += 1;
    }
    const series = Array.from(chart.querySelectorAll('.chart__legend-item')).map((item) => {
      const name = item.textContent?.trim() ?? '';
      const color = getComputedStyle(item.querySelector('.chart__swatch')!).backgroundColor;
      const [cr, cg, cb] = rgb(color);
      // "<name> 12" / "<name> 12.5 小时" / "<name> 75%" in the text alternative, per label.
      const values = Array.from(label.matchAll(new RegExp(`${name} ([\\d,.]+)`, 'g'))).map((m) =>
        Number(m[1]!.replace(/,/g, '')),
      );
      let pixels = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (
          Math.abs(data[i]! - cr!) <= 6 &&
          Math.abs(data[i + 1]! - cg!) <= 6 &&
          Math.abs(data[i + 2]! - cb!) <= 6 &&
          data[i + 3]! > 200
        )
          pixels += 1;
      }
      return { name, color, total: values.reduce((s, v) => s + v, 0), pixels };
    });
    return { series, width: canvas.width, height: canvas.height, inked };
  }, chartId);
}

/**
 * Every series with data is drawn in its colour (a series far smaller than the largest — under
 * 5 % — may be a bar a pixel high, blended at its edges, so it is not required).
 */
function expectDrawn(chartId: string, got: Ink): void {
  expect({ chartId, width: got.width > 100, height: got.height > 100 }).toEqual({
    chartId,
    width: true,
    height: true,
  });
  expect(got.inked).toBeGreaterThan(500); // axes, labels and bars, not a blank canvas
  const largest = Math.max(...got.series.map((s) => s.total));
  for (const s of got.series)
    if (s.total > 0 && s.total >= largest * 0.05)
      expect({ chartId, series: s.name, drawn: s.pixels > 20 }).toEqual({
        chartId,
        series: s.name,
        drawn: true,
      });
}

describe.each([
  ['phone', PHONE],
  ['desk', DESK],
] as const)('at %s width', (name, viewport) => {
  it('the worker’s 数据看板: the year’s charts are drawn on their canvases; axe-clean', async () => {
    const { context, page } = await login('demo-worker', viewport);
    try {
      await open(page, 'packages/worker/dashboard', '#dash-headline');
      await pickYear(page, 'dash-community');
      const participation = await ink(page, 'chart-participation');
      expect(participation.series.some((s) => s.total > 0)).toBe(true);
      expectDrawn('chart-participation', participation);
      for (const id of [
        'chart-attendance',
        'chart-hours',
        'chart-points',
        'chart-points-in',
        'chart-grievance',
      ])
        expectDrawn(id, await ink(page, id));
      if (await page.locator('#chart-grievance-category').count())
        expectDrawn('chart-grievance-category', await ink(page, 'chart-grievance-category'));
      // The data table opens for a chart (the text alternative in rows).
      await page.locator('#chart-participation-data-toggle').click();
      await page.locator('#chart-participation-data').waitFor();
      await checkA11y(page, `${name} worker dashboard`);
      await screenshot(page, `dashboard-worker-${name}`);
    } finally {
      await context.close();
    }
  });

  it('the street 数据看板: charts drawn; the communities table fits the width it is given; axe-clean', async () => {
    const { context, page } = await login('demo-admin', viewport);
    try {
      await open(page, 'packages/admin/dashboard', '#street-table');
      await pickYear(page, 'street-label');
      expectDrawn('street-chart-participation', await ink(page, 'street-chart-participation'));
      const t = await page.evaluate(() => {
        const p = window.currentTaroPage()!;
        const region = p.querySelector<HTMLElement>('#street-table-scroll')!;
        const firstCell = () => p.querySelector<HTMLElement>('#street-table [role="rowheader"]')!;
        const before = firstCell().getBoundingClientRect().left;
        const scrolls = region.scrollWidth > region.clientWidth + 1;
        region.scrollLeft = region.scrollWidth;
        const after = firstCell().getBoundingClientRect().left;
        const regionLeft = region.getBoundingClientRect().left;
        const cells = Array.from(p.querySelectorAll<HTMLElement>('#street-table [role="cell"]'));
        const tableWidth = p.querySelector<HTMLElement>('#street-table')!.getBoundingClientRect().width;
        return {
          scrolls,
          scrolledBy: region.scrollLeft,
          firstColumnStays: Math.abs(after - before) <= 1 && Math.abs(after - regionLeft) <= 1,
          firstColumnWidth: firstCell().getBoundingClientRect().width,
          smallestFont: Math.min(...cells.map((c) => parseFloat(getComputedStyle(c).fontSize))),
          // A cell's text on one line and not cut (a phone would otherwise squeeze 12 columns).
          squeezed: cells.filter((c) => c.scrollWidth > c.clientWidth + 1).length,
          fillsRegion: Math.abs(tableWidth - region.clientWidth) <= 2,
          pageOverflow: document.documentElement.scrollWidth > window.innerWidth + 1,
        };
      });
      expect(t.pageOverflow).toBe(false);
      expect(t.squeezed).toBe(0);
      expect(t.smallestFont).toBeGreaterThanOrEqual(12);
      if (name === 'phone') {
        // 12 columns in a scrolling region; the 社区 column stays put while the rest scroll under.
        expect(t).toMatchObject({ scrolls: true, firstColumnStays: true });
        expect(t.scrolledBy).toBeGreaterThan(100);
        expect(t.firstColumnWidth).toBeGreaterThanOrEqual(90);
      } else {
        // A plain table the width of its card.
        expect(t).toMatchObject({ scrolls: false, fillsRegion: true });
      }
      await checkA11y(page, `${name} street dashboard`);
      await screenshot(page, `dashboard-street-${name}`);
    } finally {
      await context.close();
    }
  });
});

it('in 关怀模式 on a phone: the charts’ data tables are open, nothing widens the page, axe-clean', async () => {
  const { context, page } = await login('demo-worker', PHONE);
  try {
    await page.goto(`${BASE()}/#/pages/me/index`);
    const sw = page.locator('#care-mode-switch');
    await sw.waitFor();
    if ((await sw.getAttribute('aria-checked')) !== 'true') await sw.click();
    await page.locator('#care-mode-switch[aria-checked="true"]').waitFor();
    await open(page, 'packages/worker/dashboard', '#dash-headline');
    await pickYear(page, 'dash-community');
    const care = await page.evaluate(() => {
      const p = window.currentTaroPage()!;
      const tables = Array.from(p.querySelectorAll('.chart [role="table"]'));
      return {
        careMode: !!p.querySelector('[role="main"].care-mode'),
        charts: p.querySelectorAll('.chart').length,
        tables: tables.length,
        monthsInTable: p.querySelectorAll('#chart-participation-data [role="row"]').length - 1,
        overflow: document.documentElement.scrollWidth > window.innerWidth + 1,
      };
    });
    expect(care).toMatchObject({ careMode: true, monthsInTable: 12, overflow: false });
    expect(care.tables).toBe(care.charts);
    expectDrawn('chart-participation', await ink(page, 'chart-participation'));
    await checkA11y(page, 'care-mode worker dashboard');
    await screenshot(page, 'dashboard-worker-care');
  } finally {
    await context.close();
  }
});
