/**
 * 接诉即办 end to end in the browser against `npm start`: a resident reports a problem from 首页,
 * the community worker accepts, dispatches to themself, handles and resolves it, and the resident
 * follows every status change in 消息 and rates the result. Every visited page: screenshot + axe.
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

const problem = `小区西门外的路灯坏了好几天，晚上出入很不方便 ${Date.now() % 100000}`;
let detailUrl = '';

/** Tap a workflow action; fill its dialog when it has one; confirm when asked. */
async function act(name: string, text?: string) {
  await page.locator(`#action-${name}`).click();
  if (text !== undefined) {
    await page.locator('#action-text textarea, textarea#action-text').first().fill(text);
    await page.locator('#action-dialog-submit').click();
  }
}

test('a resident reports a problem from 首页 in a few taps', async () => {
  await openAs('demo-resident');
  await page.locator('#entry-grievance').click();
  await page.locator('[id^="field-category-"]').first().waitFor();
  await page.locator('#field-category-repairs').click();
  await page.locator('#field-text textarea, textarea#field-text').first().fill(problem);
  await visited(page, 'g01-new-grievance');
  await page.locator('#grievance-submit').click();
  await page.locator('#grievance-detail-page').waitFor();
  await page.locator('#grievance-stage').getByText('待受理').waitFor();
  detailUrl = page.url();
  await visited(page, 'g02-submitted');
});

test('the worker accepts, dispatches, handles and resolves it', async () => {
  await openAs('demo-worker');
  await page.goto(detailUrl);
  await page.locator('#grievance-detail-page').waitFor();
  await act('accept');
  await page.locator('#grievance-stage').getByText('已受理').waitFor();
  await page.locator('#action-dispatch').click();
  await page.locator('[id="dispatch-handler-worker:demo-worker"]').click();
  await page.locator('#action-dialog-submit').click();
  await page.locator('#grievance-stage').getByText('已派单').waitFor();
  await act('start');
  await page.locator('#grievance-stage').getByText('办理中').waitFor();
  await act('resolve', '已联系物业更换灯泡，路灯恢复照明');
  await page.getByText('确定办结', { exact: true }).click();
  await page.locator('#grievance-stage').getByText('已办结').waitFor();
  await visited(page, 'g03-resolved-by-worker');
});

test('the resident sees each change in 消息 and rates the result', async () => {
  await openAs('demo-resident');
  await page.goto(BASE() + '/#/pages/messages/index');
  await page.locator('#messages-page').waitFor();
  const list = page.locator('#message-list');
  for (const title of ['诉求已受理', '诉求已派单', '诉求已办结'])
    await list.getByText(title).first().waitFor();
  await visited(page, 'g04-messages');
  await page.goto(detailUrl);
  await page.locator('#grievance-timeline').getByText('已联系物业更换灯泡').waitFor();
  await act('rate');
  await page.locator('#rate-satisfied').click();
  await page.locator('#rate-submit').click();
  await page.locator('#grievance-stage').getByText('已评价').waitFor();
  await visited(page, 'g05-rated');
});
