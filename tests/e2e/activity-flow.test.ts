/**
 * The first real capability end to end, in the browser against `npm start`: a worker publishes an
 * activity, a resident signs up for it and finds it under 我的活动. Every visited page is
 * screenshotted and checked with axe-core (no serious or critical violations).
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

/** Each user gets a fresh browser context (empty storage), as on their own phone. */
async function openAs(openid?: string) {
  await context?.close();
  ({ context, page } = await phoneAs(browser, openid));
}

const title = `楼道清洁测试 ${Date.now() % 100000}`;

test('login screen offers the demo users', async () => {
  await openAs();
  for (const id of ['demo-resident', 'demo-worker', 'demo-admin']) {
    await page.locator(`#login-${id}`).waitFor();
  }
  await visited(page, '01-login');
});

test('a worker publishes an activity from the workbench', async () => {
  await openAs('demo-worker');
  await visited(page, '02-home-worker');
  await page.goto(BASE() + '/#/pages/me/index');
  await page.locator('#me-page').waitFor();
  await page.locator('#me-roles').getByText('社区工作者').waitFor();
  await visited(page, '03-me-worker');
  await page.locator('#entry-workbench').click();
  await page.locator('#workbench-page').waitFor();
  await page.locator('#tool-publish').click();
  await page.locator('#publish-page').waitFor();
  await page.locator('#field-type-volunteer').click();
  await page.locator('#field-title input, input#field-title').first().fill(title);
  await page
    .locator('#field-description textarea, textarea#field-description')
    .first()
    .fill('清理楼道堆放杂物，消除消防隐患');
  // The place is picked from the community's service sites with the native-style picker.
  await page.locator('#field-place .form-picker').click();
  await page.locator('.weui-picker__action', { hasText: '确定' }).locator('visible=true').click();
  await page.locator('#field-place .form-picker').getByText('党群服务中心').waitFor();
  await page.locator('#field-capacity input, input#field-capacity').first().fill('2');
  await visited(page, '04-publish-form');
  await page.locator('#publish-submit').click();
  await page.locator('#activity-detail-page').waitFor();
  await page.locator('#detail-title').getByText(title).waitFor();
  await page.locator('#manage-panel').waitFor();
  await visited(page, '05-detail-worker');
});

test('a resident finds it, signs up and sees it in 我的活动', async () => {
  await openAs('demo-resident');
  await page.goto(BASE() + '/#/pages/activity/list');
  await page.locator('#activity-list-page').waitFor();
  const card = page.locator('#activity-list [id^="activity-"]', { hasText: title }).first();
  await card.waitFor();
  await visited(page, '06-activity-list');
  await card.click();
  await page.locator('#activity-detail-page').waitFor();
  const button = page.locator('#signup-btn');
  await button.getByText('立即报名').waitFor();
  await visited(page, '07-detail-resident');
  await button.click();
  await button.getByText('取消报名').waitFor();
  await page.locator('#signup-result').waitFor();
  await visited(page, '08-signed-up');
  await page.goto(BASE() + '/#/pages/activity/mine');
  await page.locator('#my-activities-page').waitFor();
  await page.locator('#my-activity-list').getByText(title).waitFor();
  await visited(page, '09-my-activities');
});

test('the worker cancels it and the resident sees why in 消息', async () => {
  await openAs('demo-worker');
  await page.goto(BASE() + '/#/pages/activity/list');
  const card = page.locator('#activity-list [id^="activity-"]', { hasText: title }).first();
  await card.click();
  await page.locator('#manage-panel').waitFor();
  await page.locator('#manage-cancel').click();
  await page
    .locator('#cancel-reason textarea, textarea#cancel-reason')
    .first()
    .fill('场地临时维修，改期另行通知');
  await visited(page, '10-cancel-dialog');
  await page.getByText('确定取消活动').click();
  await page.locator('#detail-phase').getByText('已取消').waitFor();

  await openAs('demo-resident');
  await page.goto(BASE() + '/#/pages/messages/index');
  await page.locator('#messages-page').waitFor();
  const message = page.locator('#message-list [id^="message-"]', { hasText: '活动已取消' }).first();
  await message.waitFor();
  await message.getByText('场地临时维修').waitFor();
  await visited(page, '11-messages');
  await message.click();
  await page.locator('#activity-detail-page').waitFor();
  await page.locator('#detail-title').getByText(title).waitFor();
});
