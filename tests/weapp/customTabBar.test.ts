/**
 * The weapp custom tab bar (miniprogram/src/custom-tab-bar, app.json `tabBar.custom`), compiled,
 * in miniprogram-simulate: five tabs with NutUI icons, the selected one marked, a tap switches
 * with wx.switchTab, each tab page marks its own tab when it shows, the 消息 tab carries the unread
 * badge, and in 关怀模式 (here: WeChat's font size set above standard) the bar is larger.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { LocalRuntime } from '../../tools/runtime/local-runtime';
import { DEMO, demoRuntime, realCloud } from './cloud';
import { assertBuilt, DIST, loadPage, until, type CloudCall, type CloudHandler } from './harness';

// Loading the compiled app into the simulator takes a few seconds on a busy machine.
jest.setTimeout(60_000);

type Loaded = ReturnType<typeof loadPage>;
type Comp = Loaded['comp'];

const TABS = [
  { id: 'tab-home', text: '首页', route: 'pages/index/index' },
  { id: 'tab-calendar', text: '活动', route: 'pages/activity/list' },
  { id: 'tab-comment', text: '诉求', route: 'pages/grievance/index' },
  { id: 'tab-message', text: '消息', route: 'pages/messages/index' },
  { id: 'tab-user', text: '我的', route: 'pages/me/index' },
];

const noCloud: CloudHandler = () => ({ ok: false, error: { code: 'NOT_FOUND', message: 'unexpected call' } });

const squash = (s: string | null | undefined) =>
  String(s ?? '')
    .replace(/\s+/g, ' ')
    .trim();

/** An element's classes (miniprogram-simulate prefixes a component's classes with its tag: main--x). */
function classes(el: Element | null | undefined): string[] {
  return String(el?.getAttribute('class') ?? '')
    .split(/\s+/)
    .map((c) => c.replace(/^[a-z0-9]+--(?=tab-bar)/, ''));
}
function byClass(bar: Comp, name: string): Element[] {
  if (!bar.dom) throw new Error('the tab bar is not rendered');
  return Array.from(bar.dom.querySelectorAll('*')).filter((el) => classes(el).includes(name));
}
const items = (bar: Comp) => byClass(bar, 'tab-bar__item');
const within = (el: Element, name: string) =>
  Array.from(el.querySelectorAll('*')).find((c) => classes(c).includes(name));
const label = (el: Element) => squash(within(el, 'tab-bar__label')?.textContent);
/** The texts of the tabs marked selected. */
function selected(bar: Comp): string[] {
  return items(bar)
    .filter((el) => classes(el).includes('tab-bar__item--on'))
    .map(label);
}
function tap(bar: Comp, id: string): void {
  const el = bar.querySelector(`#${id}`);
  if (!el) throw new Error(`#${id} not rendered`);
  el.dispatchEvent('tap');
}
const isCare = (bar: Comp) => classes(byClass(bar, 'tab-bar')[0]).includes('tab-bar--care');
/** The inline width of each tab's NutUI icon (size in px). */
function iconWidths(bar: Comp): string[] {
  return items(bar).map((el) => {
    const glyph = within(el, 'tab-bar__glyph');
    return /width:\s*([\d.]+px)/.exec(String(glyph?.getAttribute('style')))?.[1] ?? '';
  });
}

/**
 * Loads the compiled custom tab bar (a component of the main package) into the simulator that
 * `page` set up, so it shares the app's modules (the selected tab, 关怀模式, the unread count).
 */
function loadBar(page: Loaded): Comp {
  const id = page.simulate.load(path.join(DIST, 'custom-tab-bar/index'), { rootPath: DIST });
  const bar = page.simulate.render(id);
  bar.attach(document.createElement('parent-wrapper'));
  return bar;
}

/** WeChat's font size above standard (设置 → 字体大小): the app starts in 关怀模式. */
function withLargeWeChatFont(): () => void {
  const g = global as unknown as { wx?: Record<string, unknown> };
  let current = g.wx;
  Object.defineProperty(g, 'wx', {
    configurable: true,
    get: () => current,
    set: (v: Record<string, unknown>) => {
      current = { ...v, getAppBaseInfo: () => ({ SDKVersion: '3.3.4', fontSizeScaleFactor: 1.4 }) };
    },
  });
  return () => {
    Object.defineProperty(g, 'wx', { configurable: true, writable: true, value: current });
  };
}

/** A declaration's rpx value in the compiled stylesheet, for the rule with exactly `selector`. */
function rpx(css: string, selector: string, prop: string): number {
  const esc = selector.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
  const rule = new RegExp(`(?:^|})${esc}\\{([^}]*)\\}`).exec(css);
  if (!rule) throw new Error(`no rule ${selector} in custom-tab-bar/index.wxss`);
  const m = new RegExp(`(?:^|;)${prop}:([\\d.]+)rpx`).exec(rule[1]!);
  if (!m) throw new Error(`no ${prop} in rpx for ${selector}`);
  return Number(m[1]);
}

beforeAll(() => assertBuilt());
beforeEach(() => jest.resetModules());

test('app.json turns on the custom tab bar and still lists the five tab pages; it is a component', () => {
  const app = JSON.parse(fs.readFileSync(path.join(DIST, 'app.json'), 'utf8')) as {
    tabBar: { custom?: boolean; list: { pagePath: string; text: string }[] };
  };
  expect(app.tabBar.custom).toBe(true);
  expect(app.tabBar.list.map((t) => [t.pagePath, t.text])).toEqual(TABS.map((t) => [t.route, t.text]));
  const json = JSON.parse(fs.readFileSync(path.join(DIST, 'custom-tab-bar/index.json'), 'utf8')) as {
    component?: boolean;
  };
  expect(json.component).toBe(true);
});

test('renders five tabs with icons, marks 首页, and a tap marks the tab and calls switchTab', async () => {
  const page = loadPage('custom-tab-bar/index', {}, noCloud);
  const bar = page.comp;
  await until(() => items(bar).length === 5, 10_000, 'five tabs');
  expect(items(bar).map(label)).toEqual(TABS.map((t) => t.text));
  // Each tab has a NutUI icon (an SVG drawn through a mask), standard size.
  for (const el of items(bar)) {
    const style = String(within(el, 'tab-bar__glyph')?.getAttribute('style'));
    expect(style).toContain('data:image/svg+xml;base64');
  }
  expect(iconWidths(bar)).toEqual(Array(5).fill('24px'));
  expect(isCare(bar)).toBe(false);
  expect(selected(bar)).toEqual(['首页']);

  const switchTab = page.wx.switchTab as jest.Mock;
  tap(bar, 'tab-message');
  await until(() => selected(bar)[0] === '消息', 5000, '消息 marked');
  expect(selected(bar)).toEqual(['消息']);
  expect(switchTab).toHaveBeenCalledTimes(1);
  expect(switchTab.mock.calls[0]![0]).toMatchObject({ url: '/pages/messages/index' });

  // Tapping the tab already selected does not switch again.
  tap(bar, 'tab-message');
  await new Promise((r) => setTimeout(r, 50));
  expect(switchTab).toHaveBeenCalledTimes(1);

  tap(bar, 'tab-user');
  await until(() => selected(bar)[0] === '我的', 5000, '我的 marked');
  expect(switchTab.mock.calls[1]![0]).toMatchObject({ url: '/pages/me/index' });
  bar.detach();
});

test('关怀模式 (WeChat font size above standard): larger icons and labels, taller items', async () => {
  const restore = withLargeWeChatFont();
  try {
    const page = loadPage('custom-tab-bar/index', {}, noCloud);
    const bar = page.comp;
    await until(() => items(bar).length === 5, 10_000, 'five tabs');
    expect(isCare(bar)).toBe(true);
    expect(iconWidths(bar)).toEqual(Array(5).fill('30px'));
    bar.detach();
  } finally {
    restore();
  }
  // What the care class does, in the compiled stylesheet: every item at least 44 × 44 CSS px
  // (88 rpx), taller with larger labels in 关怀模式.
  const css = fs.readFileSync(path.join(DIST, 'custom-tab-bar/index.wxss'), 'utf8');
  const height = rpx(css, '.tab-bar__item', 'min-height');
  const careHeight = rpx(css, '.tab-bar--care .tab-bar__item', 'min-height');
  expect(height).toBeGreaterThanOrEqual(88);
  expect(rpx(css, '.tab-bar__item', 'min-width')).toBeGreaterThanOrEqual(88);
  expect(careHeight).toBeGreaterThan(height);
  expect(careHeight).toBeGreaterThanOrEqual(120);
  const label = rpx(css, '.tab-bar__label', 'font-size');
  expect(rpx(css, '.tab-bar--care .tab-bar__label', 'font-size')).toBeGreaterThanOrEqual(label * 1.25);
});

describe('the tab pages mark their own tab', () => {
  let rt: LocalRuntime;
  beforeAll(async () => {
    rt = await demoRuntime();
  });
  afterAll(() => rt?.close());

  test.each(TABS.map((t) => [t.text, t]))(
    '%s: its page marks its tab when it shows, and again when it shows after another tab',
    async (_text, tab) => {
      const cloud = realCloud(rt, DEMO.resident);
      // 3 unread messages (each tab page refreshes the count when it shows).
      const notify: CloudHandler = (call: CloudCall) =>
        call.data.action === 'unreadCount' ? { ok: true, data: { unread: 3 } } : cloud(call);
      const page = loadPage(tab.route, {}, cloud, { notify });
      // WeChat attaches the page's own tab bar instance.
      const bar = loadBar(page);
      try {
        await until(() => selected(bar)[0] === tab.text, 10_000, `${tab.text} marked by ${tab.route}`);
        expect(selected(bar)).toEqual([tab.text]);
        // Another tab is tapped (marked at once); coming back, WeChat shows the page again.
        const other = TABS.find((t) => t !== tab)!;
        tap(bar, other.id);
        await until(() => selected(bar)[0] === other.text, 5000, `${other.text} marked on tap`);
        const instance = (page.comp as unknown as { instance: { onShow(): void } }).instance;
        instance.onShow();
        await until(() => selected(bar)[0] === tab.text, 10_000, `${tab.text} marked again on show`);
        const badge = () => {
          const el = items(bar).find((e) => label(e) === '消息');
          return el ? squash(within(el, 'tab-bar__badge')?.textContent) : '';
        };
        // (消息 itself takes the count from its own list: the demo resident's real messages.)
        if (tab.text !== '消息') await until(() => badge() === '3', 10_000, 'the unread badge on 消息');
        await until(() => page.settled(), 10_000, 'the cloud calls to settle');
      } finally {
        bar.detach();
        page.comp.detach();
      }
    },
  );
});
