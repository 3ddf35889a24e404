/**
 * Runs the compiled weapp build inside miniprogram-simulate: stand-ins for the WeChat globals
 * (App, getApp, getCurrentPages, Page, wx), then runtime.js + app.js, then one page as a component.
 */
import fs from 'node:fs';
import path from 'node:path';
import type * as Simulate from 'miniprogram-simulate';

/**
 * The compiled app: miniprogram/dist, or a copy of it named by WEAPP_DIST (so a run is not disturbed
 * by a rebuild going on in the same tree).
 */
export const DIST = process.env.WEAPP_DIST
  ? path.resolve(process.env.WEAPP_DIST)
  : path.resolve(__dirname, '../../miniprogram/dist');

/** The success/fail/complete callbacks every async wx API accepts. */
interface AsyncOptions {
  success?: (res: unknown) => void;
  fail?: (err: unknown) => void;
  complete?: (res: unknown) => void;
}
/** The parts of App/Page options (and of the page component instance) the harness touches. */
type Options = Record<string, unknown>;
interface AppOptions {
  onLaunch?: (this: AppOptions, options: { path: string; query: Record<string, string> }) => void;
  onShow?: (this: AppOptions, options: { path: string; query: Record<string, string> }) => void;
}
type PageMethod = (this: PageInstance, ...args: unknown[]) => unknown;
interface PageInstance {
  route?: string;
  __route__?: string;
  options?: Record<string, string>;
}
interface SelectorQueryMock {
  in(): SelectorQueryMock;
  select(): SelectorQueryMock;
  selectAll(): SelectorQueryMock;
  selectViewport(): SelectorQueryMock;
  boundingClientRect(): SelectorQueryMock;
  scrollOffset(): SelectorQueryMock;
  fields(): SelectorQueryMock;
  exec(cb?: (res: { width: number; height: number; top: number; left: number }[]) => void): unknown;
}
/** The WeChat globals the compiled app reads, on top of what the jsdom environment provides. */
type WeappGlobal = typeof globalThis & {
  wx: Record<string, unknown>;
  App: (options: AppOptions) => void;
  getApp: () => AppOptions | null;
  getCurrentPages: () => PageInstance[];
  Page: (options: Options) => void;
  /** Defined by miniprogram-simulate; Page is mapped onto it. */
  Component: (options: {
    data: Options;
    methods: Record<string, PageMethod>;
    lifetimes: Record<string, (this: PageInstance) => void>;
  }) => void;
};
export interface CloudCall {
  name: string;
  data: { action: string; data?: unknown };
}
export type CloudHandler = (call: CloudCall) => unknown;

export interface LoadOptions {
  /**
   * Answers calls to the `notify` function (templates prefetch, unread badge, …). By default they
   * get harmless empty answers, so tests about other functions need not know about them.
   */
  notify?: CloudHandler;
  /** What wx.requestSubscribeMessage answers (default: accept every template id). */
  subscribeAnswer?: (tmplIds: string[]) => Record<string, unknown>;
}

/** Empty but valid answers for every notify action. */
export function defaultNotify({ data }: CloudCall): unknown {
  switch (data.action) {
    case 'templates':
      return { ok: true, data: { templates: [] } };
    case 'subscribe':
      return { ok: true, data: { quotas: [] } };
    case 'list':
      return { ok: true, data: { items: [], total: 0, unread: 0 } };
    case 'unreadCount':
    case 'markRead':
      return { ok: true, data: { unread: 0 } };
    case 'preferences':
    case 'setPreference':
      return { ok: true, data: { items: [] } };
    default:
      return { ok: false, error: { code: 'INVALID_INPUT', message: `unknown action ${data.action}` } };
  }
}

export function assertBuilt(): void {
  if (!fs.existsSync(path.join(DIST, 'app.js'))) {
    throw new Error('miniprogram/dist is missing: run `npm run build:weapp` first');
  }
}

/** Loads a page of the compiled app with `query` as its options and attaches it. */
export function loadPage(
  route: string,
  query: Record<string, string>,
  onCloud: CloudHandler,
  options: LoadOptions = {},
) {
  // Loaded per call (after jest.resetModules) so each page gets a fresh simulator.
  const simulate = jest.requireActual<typeof Simulate>('miniprogram-simulate');
  const g = global as WeappGlobal;
  const calls: CloudCall[] = [];
  let pending = 0;
  let appInstance: AppOptions | null = null;
  const pages: PageInstance[] = [];
  const storage: Record<string, unknown> = {};

  const ok = (extra: Record<string, unknown> = {}) => ({ errMsg: 'ok', ...extra });
  const asyncApi = (fn: (opts: AsyncOptions) => unknown = () => ok()) =>
    jest.fn((opts: AsyncOptions = {}) => {
      const res = fn(opts);
      opts.success?.(res);
      opts.complete?.(res);
      return Promise.resolve(res);
    });

  g.wx = {
    cloud: {
      init: jest.fn(),
      callFunction: jest.fn((opts: CloudCall & AsyncOptions) => {
        calls.push({ name: opts.name, data: opts.data });
        pending += 1;
        const done = () => {
          pending -= 1;
        };
        return new Promise((resolve, reject) => {
          setTimeout(() => {
            const handler = opts.name === 'notify' ? (options.notify ?? defaultNotify) : onCloud;
            // Handlers may answer synchronously (canned data) or with a promise (the real runtime).
            Promise.resolve()
              .then(() => handler({ name: opts.name, data: opts.data }))
              .then(
                (answer) => {
                  done();
                  const result = { errMsg: 'cloud.callFunction:ok', result: answer };
                  opts.success?.(result);
                  opts.complete?.(result);
                  resolve(result);
                },
                (err: unknown) => {
                  done();
                  opts.fail?.(err);
                  opts.complete?.(err);
                  reject(err);
                },
              );
          }, 5);
        });
      }),
    },
    showToast: asyncApi(),
    hideToast: asyncApi(),
    showLoading: asyncApi(),
    hideLoading: asyncApi(),
    showModal: asyncApi(() => ok({ confirm: true, cancel: false })),
    navigateTo: asyncApi(),
    redirectTo: asyncApi(),
    switchTab: asyncApi(),
    reLaunch: asyncApi(),
    navigateBack: asyncApi(),
    stopPullDownRefresh: asyncApi(),
    setNavigationBarTitle: asyncApi(),
    setTabBarBadge: asyncApi(),
    removeTabBarBadge: asyncApi(),
    requestSubscribeMessage: asyncApi((opts) => {
      const ids = (opts as AsyncOptions & { tmplIds?: string[] }).tmplIds ?? [];
      const answers = options.subscribeAnswer
        ? options.subscribeAnswer(ids)
        : Object.fromEntries(ids.map((id) => [id, 'accept']));
      return ok({ errMsg: 'requestSubscribeMessage:ok', ...answers });
    }),
    getStorageSync: jest.fn((k: string) => storage[k] ?? ''),
    setStorageSync: jest.fn((k: string, v: unknown) => {
      storage[k] = v;
    }),
    removeStorageSync: jest.fn((k: string) => {
      delete storage[k];
    }),
    getSystemInfoSync: jest.fn(() => ({
      windowWidth: 375,
      windowHeight: 667,
      pixelRatio: 2,
      platform: 'devtools',
      SDKVersion: '3.3.4',
      fontSizeSetting: 16,
    })),
    getWindowInfo: jest.fn(() => ({ windowWidth: 375, windowHeight: 667, pixelRatio: 2 })),
    getAppBaseInfo: jest.fn(() => ({ SDKVersion: '3.3.4' })),
    getDeviceInfo: jest.fn(() => ({ platform: 'devtools' })),
    getMenuButtonBoundingClientRect: jest.fn(() => ({ top: 24, height: 32, right: 360, width: 88 })),
    createSelectorQuery: jest.fn(() => {
      const q: SelectorQueryMock = {
        in: () => q,
        select: () => q,
        selectAll: () => q,
        selectViewport: () => q,
        boundingClientRect: () => q,
        scrollOffset: () => q,
        fields: () => q,
        exec: (cb) => cb?.([{ width: 0, height: 0, top: 0, left: 0 }]),
      };
      return q;
    }),
    nextTick: (fn: () => void) => setTimeout(fn, 0),
    canIUse: () => true,
  };

  g.App = (options) => {
    appInstance = options;
    options.onLaunch?.call(options, { path: route, query });
    options.onShow?.call(options, { path: route, query });
  };
  g.getApp = () => appInstance;
  g.getCurrentPages = () => pages;
  g.Page = (options) => {
    const methods: Record<string, PageMethod> = {};
    for (const [k, v] of Object.entries(options)) if (typeof v === 'function') methods[k] = v as PageMethod;
    g.Component({
      data: (options.data as Options | undefined) || {},
      methods,
      lifetimes: {
        attached(this: PageInstance) {
          this.route = route;
          this.__route__ = route;
          this.options = query;
          pages.push(this);
          // Taro reads the query from this.options; no second argument to onLoad.
          methods.onLoad?.call(this, { ...query });
          methods.onShow?.call(this);
        },
        ready(this: PageInstance) {
          methods.onReady?.call(this);
        },
        detached(this: PageInstance) {
          methods.onUnload?.call(this);
        },
      },
    });
  };

  // The compiled app registers itself through the globals above when it is evaluated.
  jest.requireActual(path.join(DIST, 'runtime.js'));
  jest.requireActual(path.join(DIST, 'app.js'));

  const id = simulate.load(path.join(DIST, route), { rootPath: DIST });
  const comp = simulate.render(id);
  const parent = document.createElement('parent-wrapper');
  comp.attach(parent);
  /** True when no cloud call of the page is in flight. */
  const settled = () => pending === 0;
  return { comp, calls, wx: g.wx, simulate, settled };
}

/** Polls until `fn` returns a truthy value (or throws after `timeout`). */
export async function until<T>(fn: () => T, timeout = 5000, label = 'condition'): Promise<NonNullable<T>> {
  const start = Date.now();
  let last: unknown;
  for (;;) {
    try {
      const v = fn();
      if (v) return v as NonNullable<T>;
    } catch (err) {
      last = err;
    }
    if (Date.now() - start > timeout)
      throw new Error(`timed out waiting for ${label}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

type PageComponent = ReturnType<typeof loadPage>['comp'];
/** A rendered node of the simulator's DOM (j-component keeps the exparser element on it). */
type SimNode = Element & { __wxElement?: unknown };

/** The page's rendered root (present once the page is attached). */
function root(comp: PageComponent): Element {
  if (!comp.dom) throw new Error('the page is not rendered');
  return comp.dom;
}

const squash = (s: string | null | undefined): string =>
  String(s ?? '')
    .replace(/\s+/g, ' ')
    .trim();

/** The page's visible text, whitespace collapsed. */
export function pageText(comp: PageComponent): string {
  return squash(root(comp).textContent);
}

/**
 * The innermost rendered element whose text is `text` (exactly, after collapsing whitespace), or
 * failing that contains it; the `nth` such element in document order (negative: from the end).
 */
export function findByText(comp: PageComponent, text: string, nth = 0): SimNode | undefined {
  const all = Array.from(root(comp).querySelectorAll('*')) as SimNode[];
  const innermost = (pred: (el: Element) => boolean) =>
    all.filter((el) => pred(el) && !Array.from(el.children).some((c) => pred(c)));
  const exact = innermost((el) => squash(el.textContent) === text);
  const hits = exact.length ? exact : innermost((el) => squash(el.textContent).includes(text));
  return hits[nth < 0 ? hits.length + nth : nth];
}

/** Wraps a DOM node of the page as a j-component element (for dispatchEvent). */
function wrap(comp: PageComponent, el: SimNode): PageComponent {
  // The render result and the elements querySelector returns share j-component's Component class,
  // whose constructor takes the exparser node.
  let proto = Object.getPrototypeOf(comp) as { constructor: new (node: unknown) => PageComponent };
  while (Object.getPrototypeOf(proto) && Object.getPrototypeOf(proto) !== Object.prototype) {
    proto = Object.getPrototypeOf(proto) as typeof proto;
  }
  return new proto.constructor(el.__wxElement);
}

/** Taps the element showing `text` as a user would: the tap bubbles to whatever handles it. */
export function tapText(comp: PageComponent, text: string, nth = 0): void {
  const el = findByText(comp, text, nth);
  if (!el) throw new Error(`nothing shows "${text}"`);
  wrap(comp, el).dispatchEvent('tap');
}

/** The page's text fields (input and textarea) in document order. */
export function fields(comp: PageComponent): SimNode[] {
  return Array.from(root(comp).querySelectorAll('wx-input, wx-textarea')) as SimNode[];
}

/** Types `value` into the `nth` text field of the page (an `input` event, as WeChat sends). */
export function typeInto(comp: PageComponent, nth: number, value: string): void {
  const el = fields(comp)[nth];
  if (!el) throw new Error(`no text field #${nth} (the page has ${fields(comp).length})`);
  const field = wrap(comp, el);
  field.dispatchEvent('input', { detail: { value, cursor: value.length } });
  field.dispatchEvent('blur', { detail: { value } });
}

/** Chooses entry `index` of the `nth` picker of the page (a `change` event, as WeChat sends). */
export function pick(comp: PageComponent, nth: number, index: number): void {
  const pickers = Array.from(root(comp).querySelectorAll('wx-picker')) as SimNode[];
  const el = pickers[nth];
  if (!el) throw new Error(`no picker #${nth} (the page has ${pickers.length})`);
  wrap(comp, el).dispatchEvent('change', { detail: { value: index } });
}

/** Taps the choice (components/Form Choices) labelled `text` and waits until it shows as chosen. */
export async function choose(comp: PageComponent, text: string, nth = 0): Promise<void> {
  tapText(comp, text, nth);
  await until(
    () => {
      const el = findByText(comp, text, nth);
      const choice = el?.closest('[class*="choice"]');
      return choice ? String(choice.getAttribute('class')).includes('choice--active') : false;
    },
    5000,
    `choice "${text}" chosen`,
  );
}
