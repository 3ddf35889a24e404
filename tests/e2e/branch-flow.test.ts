/**
 * Party organisation life end to end in the browser against `npm start` (demo data: 幸福里社区第一
 * 党支部, secretary 李建国 = demo-member, 陈书记 = demo-worker on the roster): the secretary finds
 * demo-unit (赵医生) in the 党员名录 and adds them to the roster and creates a 主题党日 for tomorrow → members get the notice → demo-unit
 * asks leave and the secretary approves → at the meeting (the demo clock moved to the start) the
 * secretary and 陈书记 check in with the code → minutes → closing counts 2 present, 1 leave, 0
 * absent → the worker's 组织生活 shows this month's 主题党日 done → 陈书记's record shows it.
 * Every visited page is screenshotted and checked with axe-core.
 */
import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { BASE, launch, newPhoneContext, visited } from './browser';

dayjs.extend(utc);
dayjs.extend(timezone);

let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await setClock(0).catch(() => undefined);
  for (const c of contexts) await c.close();
  await browser?.close();
});

async function phoneOf(openid: string): Promise<Page> {
  const context = await newPhoneContext(browser);
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error('page error:', err.message));
  await page.goto(BASE() + '/');
  await page.locator(`#login-${openid}`).click();
  await page.locator('#home-page').waitFor();
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

const title = `主题党日测试 ${Date.now() % 100000}`;
/** The meeting starts tomorrow 09:00 Asia/Shanghai (the create page's default date and time). */
const startAt = dayjs().tz('Asia/Shanghai').add(1, 'day').format('YYYY-MM-DD');
const startMs = dayjs.tz(`${startAt} 09:00`, 'Asia/Shanghai').valueOf();

let secretary: Page;
let meetingId = '';

test('the secretary adds a member and creates a 主题党日 with the six-step agenda', async () => {
  secretary = await phoneOf('demo-member');
  await secretary.goto(BASE() + '/#/pages/me/index');
  await secretary.locator('#entry-branch').click();
  await secretary.locator('#branch-page').waitFor();
  await secretary.locator('#branch-head').getByText('幸福里社区第一党支部').waitFor();
  await visited(secretary, 'b01-my-branch');
  await secretary.locator('#branch-secretary').click();
  await secretary.locator('#secretary-page').waitFor();
  await visited(secretary, 'b02-secretary');
  await secretary.locator('#secretary-roster').click();
  await secretary.locator('#roster-page').waitFor();
  // 党员名录: found by the first character of the name, shown masked (赵*生), added from the result
  await input(secretary, 'roster-search-q').fill('赵');
  await secretary.locator('#roster-search-submit').click();
  await secretary.locator('#roster-search-hit-demo-unit').getByText('赵*生').waitFor();
  await secretary.locator('#roster-search-pick-demo-unit').click();
  await secretary.locator('#roster-demo-unit').waitFor();
  await visited(secretary, 'b03-roster');
  await secretary.goBack();
  await secretary.locator('#secretary-create').click();
  await secretary.locator('#create-meeting-page').waitFor();
  await secretary.locator('#meeting-kind-themeDay').click();
  await input(secretary, 'meeting-title').fill(title);
  await input(secretary, 'meeting-place').fill('幸福里党群服务中心');
  await visited(secretary, 'b04-create-meeting');
  await secretary.locator('#meeting-submit').click();
  await secretary.locator('#manage-page').waitFor();
  await secretary.locator('#manage-roll').getByText('考勤（应到 3 人）').waitFor();
  meetingId = /id=([0-9a-f]{32})/.exec(secretary.url())?.[1] ?? '';
  expect(meetingId).toMatch(/^[0-9a-f]{32}$/);
});

let absentee: Page;

test('members get the notice; one asks leave and the secretary approves it', async () => {
  absentee = await phoneOf('demo-unit');
  await absentee.goto(BASE() + '/#/pages/messages/index');
  await absentee.getByText(`主题党日：${title}`).first().waitFor();
  await visited(absentee, 'b05-notice');
  await absentee.goto(BASE() + `/#/packages/branch/meeting?id=${meetingId}`);
  await absentee.locator('#meeting-page').waitFor();
  await absentee.getByText('收缴党费').first().waitFor();
  await absentee.locator('#meeting-leave-open').click();
  await input(absentee, 'meeting-leave-reason').fill('单位值班，无法参加');
  await visited(absentee, 'b06-ask-leave');
  await absentee.locator('#meeting-leave-submit').click();
  await absentee.locator('#meeting-mine').getByText('请假待批').waitFor();

  await secretary.reload();
  await secretary.locator('#leave-demo-unit').getByText('单位值班，无法参加').waitFor();
  await visited(secretary, 'b07-approve-leave');
  await secretary.locator('#leave-approve-demo-unit').click();
  await secretary.locator('#roll-demo-unit').getByText('已请假').waitFor();
});

test('at the meeting two members check in with the code, minutes are written, the meeting is closed', async () => {
  await setClock(startMs + 5 * 60_000 - Date.now());
  await secretary.reload();
  await secretary.locator('#manage-code-show').click();
  const code = ((await secretary.locator('#manage-code-value').textContent()) ?? '').replace(/\D/g, '');
  expect(code).toMatch(/^\d{6}$/);
  await visited(secretary, 'b08-code');

  const member = await phoneOf('demo-worker');
  for (const p of [member, secretary]) {
    await p.goto(BASE() + `/#/packages/branch/meeting?id=${meetingId}`);
    await p.locator('#meeting-page').waitFor();
    await input(p, 'meeting-code').fill(code);
    await p.locator('#meeting-checkin-submit').click();
    await p.locator('#meeting-mine').getByText('已签到').waitFor();
  }
  await visited(member, 'b09-checked-in');

  await secretary.goto(BASE() + `/#/packages/branch/manage?id=${meetingId}`);
  await secretary.locator('#roll-demo-worker').getByText('已签到').waitFor();
  await input(secretary, 'minutes-text').fill(
    '学习党章第三章，收缴党费，开展楼道清洁志愿服务，民情恳谈收集意见 3 条。',
  );
  await input(secretary, 'minutes-resolutions').fill('下月开展敬老助餐');
  await secretary.locator('#minutes-save').click();
  await secretary.getByText('记录已保存').first().waitFor();
  await secretary.locator('#manage-close').click();
  await secretary.locator('#confirm-dialog-ok').click();
  await secretary.getByText('应到 3 · 实到 2 · 请假 1 · 缺席 0').first().waitFor();
  await visited(secretary, 'b10-closed');

  await absentee.goto(BASE() + `/#/packages/branch/meeting?id=${meetingId}`);
  await absentee.locator('#meeting-minutes').getByText('下月开展敬老助餐').waitFor();
});

test('the worker sees the month’s 主题党日 done; the member’s record shows the meeting', async () => {
  const worker = await phoneOf('demo-worker');
  await worker.goto(BASE() + '/#/packages/worker/workbench');
  await worker.locator('#tool-branch').click();
  await worker.locator('#compliance-page').waitFor();
  await worker.locator('[id^="compliance-"][id$="-themeDay"]').first().getByText('已完成').waitFor();
  await visited(worker, 'b11-compliance');
  await worker.goto(BASE() + '/#/packages/branch/record');
  await worker.locator('#record-present').getByText('1').waitFor();
  await visited(worker, 'b12-record');
  await setClock(0);
});
