/**
 * 阵地 booking end to end in the browser against `npm start`: the worker opens a room of the
 * 党群服务中心 for booking with approval (through the API: the demo data has no bookable site
 * yet), a resident books a slot on the 阵地详情 page, the worker approves it under 预约管理, and the
 * resident sees it confirmed with the check-in code under 我的预约. Every visited page: screenshot + axe.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { BASE, launch, phoneAs, visited } from './browser';

let browser: Browser;
let context: BrowserContext | undefined;
let page: Page;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => browser?.close());

async function openAs(openid: string) {
  await context?.close();
  ({ context, page } = await phoneAs(browser, openid));
}

async function api(openid: string, fn: string, action: string, data: unknown) {
  const login = await fetch(`${BASE()}/api/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ code: `demo:${openid}` }),
  }).then((r) => r.json() as Promise<{ data: { token: string } }>);
  const res = await fetch(`${BASE()}/api/call/${fn}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${login.data.token}` },
    body: JSON.stringify({ action, data }),
  }).then((r) => r.json() as Promise<{ ok: boolean; data: { _id: string }; error?: { message: string } }>);
  if (!res.ok) throw new Error(`${fn}.${action}: ${res.error?.message}`);
  return res.data;
}

const field = (id: string) => page.locator(`#${id} input, input#${id}`).first();
let siteId = '';

test('the worker opens the 党群服务中心 for booking (with approval)', async () => {
  const site = await api('demo-worker', 'sites', 'saveSite', {
    communityId: 'community-xingfuli',
    fromSiteId: 'site-xfl-center',
    hours: Array.from({ length: 7 }, () => [{ open: '08:30', close: '20:00' }]),
    capacity: 40,
    facilities: ['多功能厅', '投影'],
    approval: true,
    maxHours: 3,
  });
  siteId = site._id;
  expect(siteId).toBeTruthy();
});

test('a resident finds it from 首页 and books a slot for tomorrow', async () => {
  await openAs('demo-resident');
  await page.locator('#entry-sites').click();
  await page.locator(`#site-${siteId}`).click();
  await page.locator('#site-hours').waitFor();
  await visited(page, 's01-site-detail');
  // Tomorrow: the second day of the picker; 10:00–11:00.
  const days = page.locator('#site-days [id^="site-day-"]');
  await days.nth(1).click();
  await page.locator('#slot-1000').waitFor();
  await page.waitForTimeout(300);
  await page.locator('#slot-1000').click();
  await page.locator('#slot-1030').click();
  await page.locator('#site-chosen').getByText('10:00–11:00').waitFor();
  await field('site-people-input').fill('12');
  await field('site-purpose-input').fill('楼栋议事会');
  await page.locator('#site-book').click();
  await page.locator('#confirm-dialog-ok').click();
  await page.locator('#my-bookings-page').waitFor();
  await page.locator('[id$="-status"]', { hasText: '待审核' }).first().waitFor();
  await visited(page, 's02-my-bookings-pending');
});

test('the worker approves it under 预约管理', async () => {
  await openAs('demo-worker');
  await page.goto(BASE() + '/#/packages/sites/manage');
  const approve = page.locator('[id$="-approve"]').first();
  await approve.waitFor();
  await visited(page, 's03-manage');
  await approve.click();
  await page.locator('#confirm-dialog-ok').click();
  await approve.waitFor({ state: 'detached' });
});

test('the resident sees it confirmed with the check-in code', async () => {
  await openAs('demo-resident');
  await page.goto(BASE() + '/#/packages/sites/mine');
  await page.locator('[id$="-status"]', { hasText: '已预约' }).first().waitFor();
  const code = await page.locator('.sites-code').first().innerText();
  expect(code).toMatch(/^\d{6}$/);
  await visited(page, 's04-my-bookings-confirmed');
});

test('公示栏: the worker publishes a notice; the resident reads it from 首页 → 公示栏', async () => {
  await openAs('demo-worker');
  await page.goto(BASE() + '/#/packages/board/index');
  await page.locator('#board-write').click();
  await field('board-notice-title-input').fill('阵地开放预约');
  await page
    .locator('#board-notice-body-input textarea, textarea#board-notice-body-input')
    .first()
    .fill('党群服务中心多功能厅即日起可在「服务阵地」预约。');
  await page.locator('#board-notice-submit').click();
  await page.locator('#confirm-dialog-ok').click();
  await page.locator('[id^="notice-"]', { hasText: '阵地开放预约' }).waitFor();

  await openAs('demo-resident');
  await page.locator('#entry-board').click();
  await page.locator('#board-response-rate').waitFor();
  await visited(page, 's05-board');
  await page.locator('[id^="notice-"]', { hasText: '阵地开放预约' }).click();
  await page.locator('#notice-body').getByText('服务阵地').waitFor();
  await visited(page, 's06-notice');
});
