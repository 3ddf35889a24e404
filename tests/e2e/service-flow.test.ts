/**
 * 微心愿 end to end in the browser against `npm start`: a resident posts a request from 首页, the
 * worker approves it, a volunteer takes it and marks it done (note and a photo), the resident
 * confirms and rates it,
 * and the volunteer's hours show it. Every visited page: screenshot + axe.
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

/** Tap a step's button, then confirm in the dialog. */
async function step(id: string) {
  await page.locator(`#${id}`).click();
  await page.locator('#confirm-dialog-ok').click();
}

/** A 16×16 red PNG (the server checks the bytes are an image). */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAIAAACQkWg2AAAACXBIWXMAAAPoAAAD6AG1e1JrAAAAGUlEQVR4nGM4w8BAEmIY1cAwGkpnhmvSAABBZ8wB9mZDQwAAAABJRU5ErkJggg==',
  'base64',
);

const stage = (name: string) => page.locator('#service-stage').getByText(name, { exact: true }).waitFor();
const wish = `家里老人腿脚不便，想请人帮忙去超市买米和油送上楼 ${Date.now() % 100000}`;
let detailUrl = '';

test('a resident posts a request from 首页', async () => {
  await openAs('demo-resident');
  await page.locator('#entry-service').click();
  await page.locator('#service-mine-page').waitFor();
  await visited(page, 's01-my-requests');
  await page.locator('#service-new').click();
  await page.locator('#service-category-errands').click();
  await page.locator('#service-text textarea, textarea#service-text').first().fill(wish);
  await page.locator('#service-area input, input#service-area').first().fill('幸福里小区 3 栋');
  await page.locator('#service-address input, input#service-address').first().fill('3 栋 2 单元 501 室');
  await visited(page, 's02-new-request');
  await step('service-submit');
  await page.locator('#service-detail-page').waitFor();
  await stage('待审核');
  detailUrl = page.url();
  await visited(page, 's03-posted');
});

test('the worker approves it', async () => {
  await openAs('demo-worker');
  await page.goto(detailUrl);
  await page.locator('#service-detail-page').waitFor();
  // The worker sees the exact address.
  await page.getByText('3 栋 2 单元 501 室').first().waitFor();
  await step('service-approve');
  await stage('待接单');
});

test('a volunteer finds it in 需求大厅, takes it and marks it done', async () => {
  await openAs('demo-volunteer');
  await page.goto(BASE() + '/#/packages/service/hall');
  await page.locator('#service-hall-page').waitFor();
  await page.locator('#service-hall-list').getByText(wish.slice(0, 20)).first().waitFor();
  await visited(page, 's04-hall');
  await page.goto(detailUrl);
  await page.locator('#service-detail-page').waitFor();
  // Before taking it: the area only.
  expect(await page.getByText('3 栋 2 单元 501 室').count()).toBe(0);
  await step('service-take');
  await stage('已接单');
  await page.getByText('3 栋 2 单元 501 室').first().waitFor();
  // The done form: a note, the hours (planned by default) and a photo through the photo editor.
  await page.locator('#service-complete').click();
  await page
    .locator('#action-text textarea, textarea#action-text')
    .first()
    .fill('米和油已送到家，老人很满意');
  const chooser = page.waitForEvent('filechooser');
  await page.locator('#service-done-photos-add').click();
  await (await chooser).setFiles({ name: 'done.png', mimeType: 'image/png', buffer: PNG });
  await page.locator('#service-done-photos-remove-0').waitFor();
  await page.locator('#action-dialog-submit').click();
  await stage('已完成(待确认)');
  await page.locator('#service-result-photos').waitFor();
  await visited(page, 's05-done');
});

test('the resident confirms and rates; the volunteer’s hours show it', async () => {
  await openAs('demo-resident');
  await page.goto(detailUrl);
  await page.locator('#service-confirm').waitFor();
  await page.locator('#service-stars-5').click();
  await page.locator('[id="service-tags-准时"]').click();
  await visited(page, 's06-confirm');
  await step('service-confirm');
  await stage('已评价');

  await openAs('demo-volunteer');
  await page.goto(BASE() + '/#/packages/volunteer/hours');
  await page.locator('#hours-list').getByText('微心愿：代买跑腿').first().waitFor();
  await visited(page, 's07-volunteer-hours');
});
