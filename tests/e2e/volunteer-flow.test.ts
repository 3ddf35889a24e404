/**
 * 服务实名制积分制 end to end, in the browser against `npm start`: a resident registers with their
 * real name, the worker approves, the resident signs up for the demo session starting within the
 * hour, checks in with the 6-digit code the worker's screen shows, checks out three hours later
 * (the demo server's clock is moved forward, then back), sees the hours and points, redeems an item
 * and the worker hands it over with the pickup code. Every visited page is screenshotted and checked
 * with axe-core.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { idCheckDigit } from '../../cloudfunctions/domain/volunteer';
import { BASE, launch, phoneAs, visited } from './browser';

let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await setClock(0);
  for (const c of contexts) await c.close();
  await browser?.close();
});

/** A page logged in as `openid` in its own browser context (their own phone). */
async function phoneOf(openid: string): Promise<Page> {
  const { context, page } = await phoneAs(browser, openid);
  contexts.push(context);
  return page;
}

async function setClock(offsetMs: number): Promise<void> {
  const res = await fetch(BASE() + '/api/dev/clock', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ offsetMs }),
  });
  if (!res.ok) throw new Error(`dev clock: ${res.status}`);
}

const input = (page: Page, id: string) =>
  page.locator(`#${id} input, input#${id}, #${id} textarea, textarea#${id}`).first();

/**
 * The code currently on the worker's check-in screen (reloaded: a new window after the clock
 * moved). Codes live 60 s; one with less than 15 s left is let go, so typing it cannot straddle
 * the change (a person would just read the next one).
 */
async function currentCode(worker: Page): Promise<string> {
  for (;;) {
    await worker.reload();
    const code = worker.locator('#checkin-code');
    await code.waitFor();
    const countdown = (await worker.locator('#checkin-countdown').textContent()) ?? '';
    const left = Number(/(\d+)\s*秒/.exec(countdown)?.[1] ?? 0);
    if (left < 15) {
      await worker.waitForTimeout((left + 1) * 1000);
      continue;
    }
    const text = (await code.textContent())?.replace(/\D/g, '') ?? '';
    expect(text).toMatch(/^\d{6}$/);
    return text;
  }
}

const first17 = '11010219850315123';
const ID_NUMBER = first17 + idCheckDigit(first17);

let resident: Page;
let worker: Page;
let activityId = '';

test('a resident registers as a volunteer with their real name', async () => {
  resident = await phoneOf('demo-resident');
  await resident.locator('#entry-volunteer').click();
  await resident.locator('#hub-unregistered').waitFor();
  await visited(resident, 'v01-hub-unregistered');
  await resident.locator('#hub-register-cta').click();
  await resident.locator('#reg-form').waitFor();
  await resident.locator('#reg-consent-text').getByText('社区').first().waitFor();
  await input(resident, 'reg-name').fill('王秀英');
  await input(resident, 'reg-id').fill(ID_NUMBER);
  await input(resident, 'reg-phone').fill('13912345678');
  await resident.locator('#reg-consent-check').click();
  await visited(resident, 'v02-register-form');
  await resident.locator('#reg-submit').click();
  await resident.locator('#reg-status-tag').getByText('待审核').waitFor();
  // Masked on screen: never the full number.
  await resident
    .locator('#reg-id-masked')
    .getByText(`${ID_NUMBER.slice(0, 4)}**********${ID_NUMBER.slice(14)}`)
    .waitFor();
  expect(await resident.content()).not.toContain(ID_NUMBER);
  await visited(resident, 'v03-register-pending');
});

test('the community worker approves the registration', async () => {
  worker = await phoneOf('demo-worker');
  await worker.goto(BASE() + '/#/packages/worker/volunteers');
  const card = worker.locator('#registration-demo-resident');
  await card.waitFor();
  await card.getByText('王秀英').waitFor();
  await visited(worker, 'v04-worker-review');
  await worker.locator('#approve-demo-resident').click();
  await worker.locator('#confirm-dialog-ok').click();
  await card.waitFor({ state: 'detached' });
});

test('the volunteer signs up for the session and checks in with the code on the worker screen', async () => {
  await resident.goto(BASE() + '/#/packages/volunteer/services');
  const listing = resident.locator('#service-list .card', { hasText: '社区图书角' }).first();
  await listing.waitFor();
  await visited(resident, 'v05-services');
  await listing.click();
  await resident.locator('#session-list').waitFor();
  await resident.locator('#session-list [id$="-apply"]').first().click();
  const checkInEntry = resident.locator('#session-list [id$="-checkin"]').first();
  await checkInEntry.waitFor();
  await visited(resident, 'v06-service-signed-up');
  await checkInEntry.click();
  await resident.locator('#checkin-actions').waitFor();
  activityId = decodeURIComponent(/[?&]id=([^&]+)/.exec(resident.url())?.[1] ?? '');
  expect(activityId).not.toBe('');

  await worker.goto(BASE() + `/#/packages/worker/checkin-code?id=${encodeURIComponent(activityId)}`);
  await worker.locator('#checkin-code').waitFor();
  await visited(worker, 'v07-worker-checkin-code');

  await input(resident, 'checkin-code').fill(await currentCode(worker));
  await resident.locator('#checkin-code-submit').click();
  await resident.locator('#checkin-in-at').waitFor();
  await visited(resident, 'v08-checked-in');
});

test('three hours later the volunteer checks out and sees recorded hours and points', async () => {
  await setClock(3 * 3600_000);
  const code = await currentCode(worker);
  await resident.reload();
  await resident.locator('#checkin-in-at').waitFor();
  await input(resident, 'checkin-code').fill(code);
  await resident.locator('#checkin-code-submit').click();
  await resident.locator('#confirm-dialog-ok').click();
  await resident.locator('#checkin-done').waitFor();
  // The session is 2 hours: 2 recorded hours, 2 points at the default 1 point per hour.
  await resident.locator('#checkin-hours').getByText('2', { exact: true }).waitFor();
  await resident.locator('#checkin-points').getByText('+2', { exact: true }).waitFor();
  await visited(resident, 'v09-checked-out');

  await resident.goto(BASE() + '/#/packages/volunteer/hours');
  await resident.locator('#hours-list').getByText('社区图书角').first().waitFor();
  await visited(resident, 'v10-hours');
  await resident.locator('#hours-tab-points').click();
  await resident.locator('#points-list').getByText('+2').first().waitFor();
  await visited(resident, 'v11-points');
});

test('the volunteer redeems an item and the worker hands it over with the pickup code', async () => {
  await resident.goto(BASE() + '/#/packages/volunteer/mall');
  const bag = resident.locator('#goods-list [id^="goods-"]', { hasText: '环保购物袋' }).first();
  await bag.waitFor();
  await resident
    .locator('#mall-balance-value')
    .filter({ hasText: /^\s*2\s*$/ })
    .waitFor();
  await visited(resident, 'v12-mall');
  await resident.locator('#goods-goods-xfl-bag-redeem').click();
  await resident.locator('#confirm-dialog-ok').click();
  const pickup = resident.locator('#redeem-pickup-code');
  await pickup.waitFor();
  const pickupCode = (await pickup.textContent())?.replace(/\D/g, '') ?? '';
  expect(pickupCode).toMatch(/^\d{8}$/);
  await visited(resident, 'v13-redeemed');
  await resident
    .locator('#mall-balance-value')
    .filter({ hasText: /^\s*0\s*$/ })
    .waitFor();

  await worker.goto(BASE() + '/#/packages/worker/pickup');
  await input(worker, 'pickup-code').fill(pickupCode);
  await worker.locator('#pickup-find').click();
  await worker.locator('#pickup-result').getByText('环保购物袋').waitFor();
  await visited(worker, 'v14-worker-pickup');
  await worker.locator('#pickup-confirm').click();
  await worker.locator('#confirm-dialog-ok').click();
  await worker.locator('#pickup-done').waitFor();

  await resident.goto(BASE() + '/#/packages/volunteer/redemptions');
  await resident.locator('#redemptions-empty').waitFor(); // nothing waiting for pickup any more
  await resident.locator('#redemption-tab-pickedUp').click();
  const picked = resident.locator('#redemption-list .card', { hasText: '环保购物袋' }).first();
  await picked.waitFor();
  await picked.getByText('已领取').first().waitFor();
  await visited(resident, 'v15-redemptions');
});
