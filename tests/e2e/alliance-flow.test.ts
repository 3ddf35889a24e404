/**
 * 共治项目 end to end in the browser against `npm start`: a worker publishes a project, the staff
 * of a 驻区单位 claim it, the worker approves, the unit posts progress, the worker completes and
 * rates it, and the unit's record counts it. Every visited page: screenshot + axe.
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

const field = (id: string) =>
  page.locator(`#${id} input, input#${id}, #${id} textarea, textarea#${id}`).first();
const title = `楼道适老化改造 ${Date.now() % 100000}`;
const RECORD = '/#/packages/alliance/unit-record?id=unit-hospital';
let projectUrl = '';
let completedBefore = 0;

async function completedProjects(): Promise<number> {
  await page.goto(BASE() + RECORD);
  const figure = page.locator('#record-completed');
  await figure.waitFor();
  return Number((await figure.innerText()).match(/\d+/)?.[0] ?? NaN);
}

/** Fill the action dialog's text and submit it. */
async function dialog(text: string) {
  await field('action-text').fill(text);
  await page.locator('#action-dialog-submit').click();
}

test('a worker publishes a co-governance project', async () => {
  await openAs('demo-worker');
  completedBefore = await completedProjects();
  expect(Number.isFinite(completedBefore)).toBe(true);
  await page.goto(BASE() + '/#/packages/worker/alliance');
  await page.locator('#alliance-hub').waitFor();
  await page.locator('#hub-project').click();
  await field('project-title').fill(title);
  await field('project-goal').fill('为 3 栋老楼加装楼道扶手和夜间感应灯');
  await field('project-task-0').fill('勘察楼道并出方案');
  await field('project-wanted').fill('施工力量与材料');
  await field('project-max-claims').fill('2');
  await visited(page, 'a01-publish-project');
  await page.locator('#project-submit').click();
  await page.locator('#project-page').waitFor();
  await page.locator('#project-title').getByText(title).waitFor();
  projectUrl = page.url();
  await visited(page, 'a02-project');
});

test('the unit claims it and the worker approves', async () => {
  await openAs('demo-unit');
  await page.goto(projectUrl);
  await page.locator('#claim-project').click();
  await dialog('派出后勤科 3 人，两周内完成扶手安装');
  await page.locator('[id^="claim-"]', { hasText: '区人民医院' }).first().waitFor();
  await visited(page, 'a03-claimed');

  await openAs('demo-worker');
  await page.goto(projectUrl);
  await page.locator('[id^="approve-"]').first().click();
  await page.locator('#confirm-dialog-ok').click();
  await page.locator('[id^="approve-"]').first().waitFor({ state: 'detached' });
});

test('the unit posts progress; the worker completes and rates; the unit record counts it', async () => {
  await openAs('demo-unit');
  await page.goto(projectUrl);
  await page.locator('#post-progress').click();
  await dialog('已完成 1 号楼扶手安装');
  await page.locator('#progress-list').getByText('已完成 1 号楼扶手安装').waitFor();

  await openAs('demo-worker');
  await page.goto(projectUrl);
  await page.locator('#complete-project').click();
  await dialog('三栋楼改造全部完成，居民反映良好');
  await page.locator('#confirm-dialog-ok').click();
  await page.locator('#rate-project').click();
  await page.locator('#rate-star-5').click();
  await page.locator('#rate-submit').click();
  await page.locator('#project-rating').waitFor();
  await visited(page, 'a04-completed-rated');
  expect(await completedProjects()).toBe(completedBefore + 1);
  await visited(page, 'a05-unit-record');
});
