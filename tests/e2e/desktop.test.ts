/**
 * Desk workbench (issue 14 item 4) in the browser: the worker and admin pages at 1280×800 show
 * the side navigation and tables; at 375×812 the same pages read as on a phone (no navigation,
 * cards). Every page passes axe (no serious or critical violations) at both widths, and the
 * navigation's and tables' controls are at least 44 px tall.
 */
import type { Browser, Page } from 'playwright-core';
import { BASE, checkA11y, launch, screenshot, viewportAs } from './browser';

const DESK = { width: 1280, height: 800 };
const PHONE = { width: 375, height: 812 };

/**
 * Pages and, where the page lists things, the table it shows at desk width; `pick` is a control to
 * tap first (the admin's staff list opens on the first community, which has no workers yet).
 */
type DeskPage = { path: string; table?: string; pick?: string };
const WORKER_PAGES: DeskPage[] = [
  { path: 'packages/worker/workbench' },
  { path: 'packages/worker/grievances', table: 'grievance-table' },
  { path: 'packages/worker/volunteers?tab=pending', table: 'registration-table' },
  { path: 'packages/worker/participants?id=act-ended-1&tab=confirmed', table: 'participant-table' },
  { path: 'packages/worker/publish' },
  { path: 'packages/worker/notice?id=act-ended-1' },
  { path: 'packages/worker/no-shows?id=act-ended-1', table: 'noshow-table' },
  { path: 'packages/worker/no-shows?tab=year' },
];
const ADMIN_PAGES: DeskPage[] = [
  { path: 'packages/admin/index' },
  { path: 'packages/admin/staff', table: 'staff-table', pick: '#staff-community-community-xingfuli' },
];

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const login = (openid: string, viewport: { width: number; height: number }) =>
  viewportAs(browser, openid, viewport);

async function open(page: Page, path: string, pick?: string): Promise<void> {
  await page.goto(`${BASE()}/#/${path}`);
  await page.waitForURL((u) => u.hash.startsWith(`#/${path.split('?')[0]}`));
  await settled(page);
  if (pick) {
    await page.locator(pick).click();
    await settled(page);
  }
}

/** The page on screen has its main landmark and no skeleton left. */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const p = window.currentTaroPage();
      return !!p?.querySelector('[role="main"]') && !p.querySelector('.state-skeleton');
    },
    undefined,
    { timeout: 10_000 },
  );
  await page.waitForTimeout(400);
}

/** What the current page shows: navigation visible, a table visible, small controls in them. */
async function layout(page: Page, table?: string) {
  return page.evaluate((tableId) => {
    const p = window.currentTaroPage()!;
    const visible = (el: Element | null) =>
      !!el && getComputedStyle(el).display !== 'none' && (el as HTMLElement).getClientRects().length > 0;
    const nav = p.querySelector('#desk-nav');
    const controls = Array.from(
      p.querySelectorAll<HTMLElement>('#desk-nav [role="link"], .data-table-wrap button'),
    ).filter(visible);
    const small = controls
      .filter((el) => el.getBoundingClientRect().height < 44)
      .map((el) => `${el.id || el.textContent}`);
    return {
      nav: visible(nav),
      navLinks: nav ? nav.querySelectorAll('[role="link"]').length : 0,
      current: nav?.querySelector('[aria-current="page"]')?.textContent ?? null,
      table: tableId ? visible(p.querySelector(`#${tableId} table`)) : null,
      anyTable: !!p.querySelector('table.data-table'),
      small,
      overflowX: document.documentElement.scrollWidth > window.innerWidth + 1,
      // The page beside the navigation, not under it, and wider than a phone column.
      mainLeft: Math.round(p.querySelector('[role="main"]')!.getBoundingClientRect().left),
      mainWidth: Math.round(p.querySelector('[role="main"]')!.getBoundingClientRect().width),
      navRight: nav && visible(nav) ? Math.round(nav.getBoundingClientRect().right) : 0,
    };
  }, table);
}

describe.each([
  ['demo-worker', WORKER_PAGES],
  ['demo-admin', ADMIN_PAGES],
] as const)('%s', (openid, pages) => {
  it('at 1280×800: side navigation and tables, axe-clean, 44 px targets', async () => {
    const { context, page } = await login(openid, DESK);
    try {
      for (const { path, table, pick } of pages) {
        await open(page, path, pick);
        const l = await layout(page, table);
        expect({ path, nav: l.nav }).toEqual({ path, nav: true });
        expect(l.navLinks).toBeGreaterThanOrEqual(9);
        expect({ path, beside: l.mainLeft >= l.navRight }).toEqual({ path, beside: true });
        expect(l.mainWidth).toBeGreaterThanOrEqual(800);
        if (table) expect({ path, table: l.table }).toEqual({ path, table: true });
        expect({ path, small: l.small }).toEqual({ path, small: [] });
        await checkA11y(page, `desk ${path}`);
        await screenshot(page, `desk-${openid}-${path.replace(/[/?=&]/g, '_')}`);
      }
    } finally {
      await context.close();
    }
  });

  it('at 375×812: no side navigation, no tables, axe-clean', async () => {
    const { context, page } = await login(openid, PHONE);
    try {
      for (const { path, table, pick } of pages) {
        await open(page, path, pick);
        const l = await layout(page, table);
        expect({ path, nav: l.nav, anyTable: l.anyTable }).toEqual({ path, nav: false, anyTable: false });
        expect({ path, overflowX: l.overflowX }).toEqual({ path, overflowX: false });
        expect(l.mainLeft).toBe(0);
        await checkA11y(page, `phone ${path}`);
      }
    } finally {
      await context.close();
    }
  });
});

it('sorting a desk table by a column reorders it and says so (aria-sort)', async () => {
  const { context, page } = await login('demo-worker', DESK);
  try {
    await open(page, 'packages/worker/participants?id=act-ended-1&tab=confirmed');
    const sortButton = page.locator('#participant-table-sort-signedUp');
    await sortButton.click();
    expect(await page.locator('#participant-table th[aria-sort="ascending"]').count()).toBe(1);
    await sortButton.click();
    expect(await page.locator('#participant-table th[aria-sort="descending"]').count()).toBe(1);
  } finally {
    await context.close();
  }
});
