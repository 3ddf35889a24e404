/**
 * Usability across the app, in the browser against `npm start`: for every demo role, in normal and
 * 关怀模式 (care mode), each main page that role can open is visited and checked for
 * - tap targets: every visible interactive element is at least 44×44 CSS px;
 * - inputs: every input and textarea takes focus when tapped 4 px inside each corner of its box;
 * - axe-core: no serious or critical violations.
 * The detail pages that need a specific item (volunteer service, 签到, certificate and its
 * verification; the worker's 签到码 and 签到记录; unit and member records) are opened with real
 * items of the demo data, found through the API, for each role that can open them.
 * One browser for the whole file; one login per role and set of pages (care mode is switched on in
 * 我的, as a user does).
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { BASE, checkA11y, launch, phoneAs } from './browser';

let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => browser?.close());

type Api = (fn: string, action: string, data?: Record<string, unknown>) => Promise<unknown>;
/** A page path, or a function that finds one from the demo data (null: nothing to open). */
type Target = string | ((api: Api) => Promise<string | null>);

const TABS = [
  'pages/index/index',
  'pages/activity/list',
  'pages/grievance/index',
  'pages/messages/index',
  'pages/me/index',
];

const firstActivity: Target = async (api) => {
  const page = (await api('activity', 'list', { when: 'upcoming', pageSize: 5 })) as {
    items: { _id: string }[];
  };
  return page.items[0] ? `pages/activity/detail?id=${page.items[0]._id}` : null;
};
const firstProject: Target = async (api) => {
  const page = (await api('alliance', 'listProjects', {})) as { items: { _id: string }[] };
  return page.items[0] ? `packages/alliance/project?id=${page.items[0]._id}` : null;
};
const firstGrievance: Target = async (api) => {
  const page = (await api('grievance', 'mine', {})) as { items: { _id: string }[] };
  return page.items[0] ? `packages/grievance/detail?id=${page.items[0]._id}` : null;
};
const workerActivity =
  (path: string): Target =>
  async (api) => {
    const page = (await api('activity', 'list', { when: 'upcoming', pageSize: 5 })) as {
      items: { _id: string }[];
    };
    return page.items[0] ? `${path}?id=${page.items[0]._id}` : null;
  };

/** The main pages each role opens (tabs for all; the rest from 首页 and 我的 for that role). */
const ROLE_PAGES: Record<string, Target[]> = {
  'demo-resident': [
    ...TABS,
    firstActivity,
    'pages/activity/mine',
    'packages/grievance/new',
    firstGrievance,
    'packages/volunteer/index',
    'packages/volunteer/register',
    'packages/alliance/index',
    firstProject,
    'packages/settings/notify',
  ],
  'demo-member': [
    'pages/index/index',
    'pages/me/index',
    'packages/alliance/report',
    'packages/volunteer/services',
    'packages/alliance/join',
  ],
  'demo-volunteer': [
    'pages/index/index',
    'pages/me/index',
    'packages/volunteer/index',
    'packages/volunteer/mall',
    'packages/volunteer/hours',
    'packages/volunteer/redemptions',
    'packages/volunteer/rankings',
    'packages/volunteer/my-data',
  ],
  'demo-unit': ['pages/index/index', 'pages/me/index', 'packages/alliance/my-unit', firstProject],
  'demo-worker': [
    'pages/index/index',
    'pages/me/index',
    'packages/worker/workbench',
    'packages/worker/publish',
    workerActivity('packages/worker/participants'),
    'packages/worker/grievances',
    'packages/worker/handling',
    'packages/worker/grievance-stats',
    'packages/worker/alliance',
    'packages/worker/volunteers',
    'packages/worker/service-publish',
    'packages/worker/goods',
    'packages/worker/pickup',
  ],
  'demo-admin': [
    'pages/index/index',
    'pages/me/index',
    'pages/activity/list',
    'packages/worker/grievances',
    'packages/admin/index',
    'packages/admin/community',
    'packages/admin/staff',
  ],
};

/**
 * Detail pages that need a specific item, opened with real items of the demo data looked up through
 * the API (as the pages that link to them do), for the roles that can open them.
 */
const apiCache = new Map<string, Promise<Api>>();
/** Server calls as another demo user (the verify page needs the volunteer's certificate). */
function apiAs(openid: string): Promise<Api> {
  let cached = apiCache.get(openid);
  if (!cached) {
    cached = (async () => {
      const res = await fetch(`${BASE()}/api/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ code: `demo:${openid}` }),
      });
      const body = (await res.json()) as { ok: boolean; data?: { token: string } };
      if (!body.ok || !body.data) throw new Error(`login as ${openid} failed (${res.status})`);
      const token = body.data.token;
      const api: Api = async (fn, action, data = {}) => {
        const r = await fetch(`${BASE()}/api/call/${fn}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
          body: JSON.stringify({ action, data }),
        });
        const b = (await r.json()) as { ok: boolean; data?: unknown; error?: { message: string } };
        if (!b.ok) throw new Error(`${fn}.${action} as ${openid}: ${b.error?.message}`);
        return b.data;
      };
      return api;
    })();
    apiCache.set(openid, cached);
  }
  return cached;
}

/** The 社区图书角 listing (its session starts within the hour: check-in is open). */
async function bookCorner(api: Api): Promise<{ serviceId: string; activityId: string; mine?: string }> {
  const list = (await api('volunteer', 'listServices', { pageSize: 50 })) as {
    items: { _id: string; title: string }[];
  };
  const service = list.items.find((s) => s.title === '社区图书角');
  if (!service) throw new Error('demo data: no 社区图书角 listing');
  const detail = (await api('volunteer', 'serviceDetail', { serviceId: service._id })) as {
    sessions: { activityId: string; mySignUp?: string }[];
  };
  const session = detail.sessions[0];
  if (!session) throw new Error('demo data: 社区图书角 has no session');
  return { serviceId: service._id, activityId: session.activityId, mine: session.mySignUp };
}
const enc = encodeURIComponent;

const serviceDetail: Target = async (api) =>
  `packages/volunteer/service?id=${enc((await bookCorner(api)).serviceId)}`;
/** 张晓雨 takes a place in the session (as she would before checking in), then opens 签到. */
const volunteerCheckin: Target = async (api) => {
  const { activityId, mine } = await bookCorner(api);
  if (mine !== 'confirmed') await api('activity', 'signUp', { activityId });
  return `packages/volunteer/checkin?id=${enc(activityId)}`;
};
/** The verify link of 张晓雨's certificate (issued first when she has none yet). */
const certificateVerify: Target = async () => {
  const volunteer = await apiAs('demo-volunteer');
  const mine = async () =>
    ((await volunteer('volunteer', 'myCertificates', {})) as { items: { verifyPath: string }[] }).items;
  let items = await mine();
  if (!items.length) {
    await volunteer('volunteer', 'issueCertificate', {});
    items = await mine();
  }
  if (!items[0]) throw new Error('demo data: 张晓雨 has no certificate');
  return items[0].verifyPath.replace(/^\//, '');
};
const workerSession =
  (path: string): Target =>
  async (api) =>
    `${path}?id=${enc((await bookCorner(api)).activityId)}`;
/** The caller's own unit (unit staff), else the first unit of their community (workers, admin). */
const unitRecord: Target = async (api) => {
  const me = (await api('user', 'me', {})) as {
    user: { currentCommunityId?: string; roles: { role: string; unitId?: string }[] };
    communities: { _id: string }[];
  };
  let unitId = me.user.roles.find((r) => r.role === 'unitStaff' && r.unitId)?.unitId;
  if (!unitId) {
    const communityId = me.user.currentCommunityId ?? me.communities[0]?._id;
    const { units } = (await api('alliance', 'listUnits', { communityId })) as { units: { _id: string }[] };
    unitId = units[0]?._id;
  }
  if (!unitId) throw new Error('demo data: no unit to open');
  return `packages/alliance/unit-record?id=${enc(unitId)}`;
};
/** A member of the caller's unit (unit staff) or one reported to the community (workers, admin). */
const memberRecord: Target = async (api) => {
  const me = (await api('user', 'me', {})) as { user: { roles: { role: string; unitId?: string }[] } };
  const unitId = me.user.roles.find((r) => r.role === 'unitStaff' && r.unitId)?.unitId;
  let openid: string | undefined;
  if (unitId) {
    const { items } = (await api('alliance', 'unitMembers', { unitId })) as { items: { openid: string }[] };
    openid = items[0]?.openid;
  } else {
    const { items } = (await api('alliance', 'listReports', {})) as {
      items: { openid: string; status: string }[];
    };
    openid = items.find((r) => r.status !== 'rejected')?.openid;
  }
  if (!openid) throw new Error('demo data: no reported member to open');
  return `packages/alliance/member-record?openid=${enc(openid)}`;
};

/** The detail pages each role opens (volunteer, worker and alliance records). */
const DETAIL_PAGES: Record<string, Target[]> = {
  'demo-resident': [serviceDetail, certificateVerify],
  // Their own record (报到 → 我的年度记录 opens it without an openid).
  'demo-member': ['packages/alliance/member-record', serviceDetail],
  'demo-volunteer': [
    serviceDetail,
    volunteerCheckin,
    // certificateVerify first: the certificate page then lists the issued certificate with its QR.
    certificateVerify,
    'packages/volunteer/certificate',
  ],
  'demo-unit': [unitRecord, memberRecord],
  'demo-worker': [
    workerSession('packages/worker/checkin-code'),
    workerSession('packages/worker/attendance'),
    unitRecord,
    memberRecord,
  ],
  'demo-admin': [unitRecord, memberRecord],
};

async function login(openid: string): Promise<{ context: BrowserContext; page: Page; api: Api }> {
  const { context, page } = await phoneAs(browser, openid);
  const api: Api = (fn, action, data = {}) =>
    page.evaluate(
      async ({ fn, action, data }) => {
        const raw = localStorage.getItem('txy:token') || '';
        const token = (JSON.parse(raw) as { data: string }).data;
        const res = await fetch(`/api/call/${fn}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
          body: JSON.stringify({ action, data }),
        });
        const body = (await res.json()) as { ok: boolean; data?: unknown; error?: { message: string } };
        if (!body.ok) throw new Error(`${fn}.${action}: ${body.error?.message}`);
        return body.data;
      },
      { fn, action, data },
    );
  return { context, page, api };
}

/** Interactive elements smaller than 44×44 on the current page (descriptions, for the message). */
async function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const roots: HTMLElement[] = [window.currentTaroPage() ?? document.body];
    for (const bar of ['.taro-tabbar__tabbar', '#taro-navigation-bar']) {
      const el = document.querySelector<HTMLElement>(bar);
      if (el && getComputedStyle(el).display !== 'none') roots.push(el);
    }
    const selector = [
      'button',
      'a[href]',
      'input:not([type=hidden])',
      'textarea',
      '[role=button]',
      '[role=link]',
      '[role=switch]',
      '[role=tab]',
      '[role=checkbox]',
      '[role=radio]',
      '[role=menuitem]',
      '.taro-tabbar__tabbar-item',
    ].join(',');
    const out: string[] = [];
    for (const root of roots) {
      for (const el of Array.from(root.querySelectorAll<HTMLElement>(selector))) {
        const style = getComputedStyle(el);
        if (style.visibility === 'hidden' || style.display === 'none') continue;
        const r = el.getBoundingClientRect();
        if (r.width === 0 && r.height === 0) continue; // not rendered
        if (el.closest('[aria-hidden="true"]')) continue;
        // Inputs count by the box that is drawn around them (Taro wraps them in a custom element).
        const box = el.matches('input,textarea')
          ? ((el.closest('taro-input-core,taro-textarea-core') as HTMLElement | null) ?? el)
          : el;
        const b = box.getBoundingClientRect();
        if (Math.round(b.width) < 44 || Math.round(b.height) < 44) {
          const name = (el.getAttribute('aria-label') || el.textContent || '').trim().slice(0, 20);
          out.push(
            `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${String(el.className).split(' ')[0]} "${name}" ${Math.round(b.width)}×${Math.round(b.height)}`,
          );
        }
      }
    }
    return out;
  });
}

/** Inputs and textareas that do not focus when tapped 4 px inside a corner of their box. */
async function deadCorners(page: Page): Promise<string[]> {
  const count = await page.evaluate(() => {
    const current = window.currentTaroPage();
    document.querySelectorAll('[data-usability]').forEach((el) => el.removeAttribute('data-usability'));
    const fields = Array.from((current ?? document).querySelectorAll<HTMLElement>('input,textarea')).filter(
      (el) =>
        (el as HTMLInputElement).type !== 'hidden' &&
        !(el as HTMLInputElement).disabled &&
        el.getBoundingClientRect().width > 0 &&
        !el.closest('[aria-hidden="true"]'),
    );
    fields.forEach((el, i) => el.setAttribute('data-usability', String(i)));
    return fields.length;
  });
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const field = page.locator(`[data-usability="${i}"]`);
    await field.evaluate((el) => {
      const box = el.closest('taro-input-core,taro-textarea-core') ?? el;
      box.scrollIntoView({ block: 'center' });
    });
    const box = await field.evaluate((el) => {
      const r = (el.closest('taro-input-core,taro-textarea-core') ?? el).getBoundingClientRect();
      return { x: r.x, y: r.y, w: r.width, h: r.height };
    });
    const corners = [
      [box.x + 4, box.y + 4],
      [box.x + box.w - 4, box.y + 4],
      [box.x + 4, box.y + box.h - 4],
      [box.x + box.w - 4, box.y + box.h - 4],
    ];
    for (const [x, y] of corners) {
      await field.evaluate((el) => (el as HTMLInputElement).blur());
      await page.mouse.click(x, y);
      const focused = await field.evaluate((el) => document.activeElement === el);
      if (!focused) {
        const id = await field.evaluate((el) => el.id || el.closest('[id]')?.id || el.tagName);
        out.push(
          `${id} at (${Math.round(x - box.x)}, ${Math.round(y - box.y)}) of ${Math.round(box.w)}×${Math.round(box.h)}`,
        );
        break;
      }
    }
    await field.evaluate((el) => (el as HTMLInputElement).blur());
  }
  return out;
}

/**
 * With the root font size at 1.5× (how the H5 app scales with a larger screen or text setting):
 * elements whose text no longer fits their box, and a page wider than the screen.
 */
async function clippedAtLargeRoot(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const html = document.documentElement;
    const before = html.style.fontSize;
    html.style.fontSize = `${parseFloat(getComputedStyle(html).fontSize) * 1.5}px`;
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const out: string[] = [];
    const current = window.currentTaroPage();
    if (current) {
      if (current.scrollWidth > current.clientWidth + 1) {
        // Name the innermost element that sticks out.
        const wide = Array.from(current.querySelectorAll<HTMLElement>('*')).filter(
          (el) =>
            el.getBoundingClientRect().right > window.innerWidth + 1 &&
            el.children.length === 0 &&
            !el.closest('.segments--scroll'),
        );
        const el = wide[0];
        out.push(
          `page ${current.scrollWidth} wide in ${current.clientWidth}` +
            (el
              ? ` (${el.tagName.toLowerCase()}.${String(el.className).split(' ')[0]} "${(el.textContent || '').trim().slice(0, 12)}")`
              : ''),
        );
      }
      const boxes = current.querySelectorAll<HTMLElement>(
        '.segment, .nut-button, .nut-cell-title, .nut-cell-description, .choice, .home__entry-text, .state-text, .section-title',
      );
      for (const el of Array.from(boxes)) {
        if (el.closest('.segments--scroll') || el.getClientRects().length === 0) continue;
        const r = el.getBoundingClientRect();
        const outside = r.right > window.innerWidth + 1 || r.left < -1;
        if (el.scrollWidth > el.clientWidth + 1 || outside) {
          out.push(
            `"${(el.textContent || '').trim().slice(0, 12)}" clipped (${el.scrollWidth} in ${el.clientWidth})`,
          );
        }
      }
    }
    html.style.fontSize = before;
    return out;
  });
}

async function open(page: Page, path: string): Promise<void> {
  await page.goto(`${BASE()}/#/${path}`);
  await page.waitForURL((u) => u.hash.startsWith(`#/${path.split('?')[0]}`));
  // The page is on screen with its main landmark, its data loaded (no skeleton) and the toast gone.
  await page.waitForFunction(
    () => {
      const p = window.currentTaroPage();
      return (
        !!p?.querySelector('[role="main"]') &&
        !p.querySelector('.state-skeleton') &&
        Array.from(document.querySelectorAll<HTMLElement>('.taro__toast')).every(
          (el) => getComputedStyle(el).display === 'none',
        )
      );
    },
    undefined,
    { timeout: 10_000 },
  );
  await page.waitForTimeout(400); // page-switch animation
}

async function setCareMode(page: Page, on: boolean): Promise<void> {
  await open(page, 'pages/me/index');
  const sw = page.locator('#care-mode-switch');
  if ((await sw.getAttribute('aria-checked')) !== String(on)) await sw.click();
  await page.locator(`#care-mode-switch[aria-checked="${on}"]`).waitFor();
  await page
    .locator(on ? '.care-mode' : '#me-page:not(.care-mode)')
    .first()
    .waitFor();
}

/**
 * Logs in as `openid` and checks each target page, in normal and then 关怀模式. `required`: a
 * target that finds nothing to open is a problem (the detail pages), not a page to skip.
 */
async function checkPages(openid: string, targets: Target[], required = false): Promise<string[]> {
  const { context, page, api } = await login(openid);
  const problems: string[] = [];
  try {
    const paths: string[] = [];
    for (const t of targets) {
      const path = typeof t === 'string' ? t : await t(api);
      if (path) paths.push(path);
      else if (required) problems.push(`${openid}: nothing to open for ${String(t)}`);
    }
    for (const care of [false, true]) {
      await setCareMode(page, care);
      for (const path of paths) {
        const where = `${openid} ${care ? '关怀' : '标准'} ${path}`;
        await open(page, path);
        if (required) {
          // The item itself is on screen, not an error in its place (not found, not allowed).
          const failed = await page.evaluate(() =>
            (
              window.currentTaroPage()?.querySelector('.state-icon--error')?.parentElement?.textContent ?? ''
            ).trim(),
          );
          if (failed) problems.push(`${where}: shows an error instead of the item: ${failed}`);
        }
        if (care) {
          const marked = await page.evaluate(
            () => !!window.currentTaroPage()?.querySelector('[role="main"].care-mode'),
          );
          if (!marked) problems.push(`${where}: page not in care mode`);
          for (const c of await clippedAtLargeRoot(page)) problems.push(`${where}: at 1.5× root ${c}`);
        }
        for (const s of await smallTargets(page)) problems.push(`${where}: small target ${s}`);
        for (const s of await deadCorners(page)) problems.push(`${where}: input not focusable at ${s}`);
        try {
          await checkA11y(page, where);
        } catch (err) {
          problems.push((err as Error).message);
        }
      }
    }
    await setCareMode(page, false);
  } finally {
    await context.close();
  }
  return problems;
}

/** USABILITY_ROLES=demo-worker,… narrows the run while working on one role's pages. */
const only = process.env.USABILITY_ROLES?.split(',');
for (const [openid, targets] of Object.entries(ROLE_PAGES)) {
  if (only && !only.includes(openid)) continue;
  test(`${openid}: targets ≥ 44 px, inputs tappable across their box, no serious axe issues, normal and 关怀模式`, async () => {
    expect(await checkPages(openid, targets)).toEqual([]);
  });
}
for (const [openid, targets] of Object.entries(DETAIL_PAGES)) {
  if (only && !only.includes(openid)) continue;
  test(`${openid}: detail pages with a real item — targets, inputs, axe, normal and 关怀模式`, async () => {
    expect(await checkPages(openid, targets, true)).toEqual([]);
  });
}

test('H5: a subpage opened directly offers 回到首页, one reached by navigating offers 返回, and the favicon loads', async () => {
  const { context, page } = await login('demo-resident');
  try {
    const icon = await page.request.get(`${BASE()}/favicon.svg`);
    expect(icon.status()).toBe(200);
    expect(icon.headers()['content-type']).toContain('svg');
    expect(await page.locator('link[rel="icon"]').getAttribute('href')).toBe('/favicon.svg');

    // Opened directly (a shared link, a reload): no page to go back to, so home.
    await page.goto(`${BASE()}/#/packages/volunteer/rankings`);
    await page.reload();
    const home = page.getByRole('button', { name: '回到首页' });
    await home.waitFor();
    await expect(page.getByRole('button', { name: '返回上一页' }).isVisible()).resolves.toBe(false);
    await home.click();
    await page.locator('#home-page').waitFor();

    // Reached from 首页: back returns there.
    await page.locator('#entry-volunteer').click();
    const back = page.getByRole('button', { name: '返回上一页' });
    await back.waitFor();
    const box = await back.boundingBox();
    expect(box && box.width >= 44 && box.height >= 44).toBe(true);
    await back.click();
    await page.waitForURL((u) => !u.hash.includes('packages/volunteer'));
    await page.locator('#home-page').waitFor();
  } finally {
    await context.close();
  }
});

test('认领 dialog: the plan box is tappable at its corners and a long plan keeps its start in sight', async () => {
  const worker = await login('demo-worker');
  let projectId = '';
  try {
    const me = (await worker.api('user', 'me', {})) as {
      user: { currentCommunityId?: string };
      communities: { _id: string }[];
    };
    const communityId = me.user.currentCommunityId ?? me.communities[0]._id;
    const project = (await worker.api('alliance', 'publishProject', {
      communityId,
      title: `适老改造 ${Date.now() % 100000}`,
      goal: '为老楼加装扶手和夜间感应灯',
      tasks: ['勘察并出方案'],
      wanted: '施工力量',
      deadline: Date.now() + 30 * 24 * 3600_000,
      maxClaims: 2,
    })) as { _id: string };
    projectId = project._id;
  } finally {
    await worker.context.close();
  }

  const { context, page } = await login('demo-unit');
  try {
    await open(page, `packages/alliance/project?id=${projectId}`);
    await page.locator('#claim-project').click();
    const box = page.locator('#action-text textarea, textarea#action-text').first();
    await box.waitFor();
    expect(await deadCorners(page)).toEqual([]);
    const plan =
      '派出后勤科三人，先用一周勘察三栋楼的楼道并出方案，再用两周安装扶手和感应灯，完工后请居民代表验收，之后每月回访一次。';
    await box.click();
    await page.keyboard.type(plan);
    const state = await box.evaluate((el: HTMLTextAreaElement) => ({
      value: el.value,
      scrollTop: el.scrollTop,
      fits: el.scrollHeight <= el.clientHeight + 1,
      fontSize: parseFloat(getComputedStyle(el).fontSize),
      fontFamily: getComputedStyle(el).fontFamily,
    }));
    expect(state.value).toBe(plan);
    expect(state.scrollTop).toBe(0); // the start of the plan is still in the box
    expect(state.fits).toBe(true);
    expect(state.fontSize).toBeGreaterThanOrEqual(16);
    expect(state.fontFamily).not.toMatch(/^monospace/);
    await checkA11y(page, '认领 dialog');
  } finally {
    await context.close();
  }
});
