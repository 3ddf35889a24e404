/**
 * Stand-in for @tarojs/taro in component tests: navigation, toasts, storage and the lifecycle
 * hooks the pages use. Router params are set per test with setRouterParams.
 */
import { useEffect, useRef } from 'react';

type Fn = (...args: unknown[]) => unknown;
type Callback = () => void;

let routerParams: Record<string, string> = {};
let storage: Record<string, unknown> = {};
const didShow = new Set<Callback>();
const pullDown = new Set<Callback>();
const reachBottom = new Set<Callback>();

export function setRouterParams(params: Record<string, string>): void {
  routerParams = params;
}

/** Keeps the latest callback in a ref, so effects can call it without re-subscribing. */
function useLatest<T>(value: T) {
  const ref = useRef(value);
  useEffect(() => {
    ref.current = value;
  });
  return ref;
}

/** Runs `fn` once after mount, like Taro's page lifecycle hooks. */
function useOnMount(fn: Callback) {
  const latest = useLatest(fn);
  useEffect(() => {
    latest.current();
  }, [latest]);
}

/** Registers the latest `fn` in `set` while the component is mounted (fired by trigger*). */
function useRegisteredHook(set: Set<Callback>, fn: Callback) {
  const latest = useLatest(fn);
  useEffect(() => {
    const handler = () => latest.current();
    set.add(handler);
    return () => {
      set.delete(handler);
    };
  }, [set, latest]);
}

export const useRouter = () => ({ params: routerParams, path: '' });
export const useLoad = (fn: (params: Record<string, string>) => void) => useOnMount(() => fn(routerParams));
export const useLaunch = (fn: (options: Record<string, unknown>) => void) => useOnMount(() => fn({}));
export const useReady = (fn: Callback) => useOnMount(fn);
export const useDidShow = (fn: Callback) => useRegisteredHook(didShow, fn);
export const useDidHide = (_fn: Callback) => undefined;
export const usePullDownRefresh = (fn: Callback) => useRegisteredHook(pullDown, fn);
export const useReachBottom = (fn: Callback) => useRegisteredHook(reachBottom, fn);
export const usePageScroll = (_fn: (res: { scrollTop: number }) => void) => undefined;

export const triggerPullDownRefresh = () => pullDown.forEach((f) => f());
export const triggerReachBottom = () => reachBottom.forEach((f) => f());
export const triggerDidShow = () => didShow.forEach((f) => f());

export class Events {
  private handlers: Record<string, Fn[]> = {};
  on(name: string, fn: Fn) {
    (this.handlers[name] ||= []).push(fn);
    return this;
  }
  off(name?: string, fn?: Fn) {
    if (!name) this.handlers = {};
    else if (!fn) delete this.handlers[name];
    else this.handlers[name] = (this.handlers[name] || []).filter((h) => h !== fn);
    return this;
  }
  trigger(name: string, ...args: unknown[]) {
    (this.handlers[name] || []).forEach((h) => h(...args));
    return this;
  }
}

export const getCurrentInstance = () => ({ router: { params: routerParams, path: '' }, page: {} });

const resolved = () => jest.fn((..._args: unknown[]) => Promise.resolve({ errMsg: 'ok' }));

type Rect = { width: number; height: number; top: number; left: number };
interface SelectorQueryMock {
  select(selector: string): SelectorQueryMock;
  selectAll(selector: string): SelectorQueryMock;
  selectViewport(): SelectorQueryMock;
  boundingClientRect(cb?: (rect: Rect) => void): SelectorQueryMock;
  scrollOffset(): SelectorQueryMock;
  exec(cb?: (res: Rect[]) => void): void;
}

const Taro = {
  navigateTo: resolved(),
  redirectTo: resolved(),
  switchTab: resolved(),
  reLaunch: resolved(),
  navigateBack: resolved(),
  showToast: resolved(),
  hideToast: resolved(),
  showLoading: resolved(),
  hideLoading: resolved(),
  setClipboardData: resolved(),
  showModal: jest.fn((..._args: unknown[]) => Promise.resolve({ confirm: true, cancel: false })),
  stopPullDownRefresh: jest.fn(),
  setNavigationBarTitle: resolved(),
  setTabBarBadge: resolved(),
  removeTabBarBadge: resolved(),
  /** Answers per template id, like WeChat; tests override with mockImplementation(Once). */
  requestSubscribeMessage: jest.fn((opts: { tmplIds: string[] }) =>
    Promise.resolve({
      errMsg: 'requestSubscribeMessage:ok',
      ...Object.fromEntries(opts.tmplIds.map((id) => [id, 'accept'])),
    }),
  ),
  request: jest.fn(),
  getStorageSync: jest.fn((key: string) => storage[key] ?? ''),
  setStorageSync: jest.fn((key: string, value: unknown) => {
    storage[key] = value;
  }),
  removeStorageSync: jest.fn((key: string) => {
    delete storage[key];
  }),
  getCurrentPages: jest.fn(() => [] as { route?: string }[]),
  getSystemInfoSync: jest.fn(() => ({
    windowWidth: 375,
    windowHeight: 667,
    pixelRatio: 2,
    platform: 'devtools',
  })),
  getWindowInfo: jest.fn(() => ({ windowWidth: 375, windowHeight: 667, pixelRatio: 2 })),
  getEnv: jest.fn(() => 'WEB'),
  ENV_TYPE: { WEAPP: 'WEAPP', WEB: 'WEB', RN: 'RN' },
  pxTransform: (n: number) => `${n}px`,
  nextTick: (fn: Callback) => setTimeout(fn, 0),
  createSelectorQuery: jest.fn(() => {
    const q: SelectorQueryMock = {
      select: () => q,
      selectAll: () => q,
      selectViewport: () => q,
      boundingClientRect: (cb) => {
        cb?.({ width: 0, height: 0, top: 0, left: 0 });
        return q;
      },
      scrollOffset: () => q,
      exec: (cb) => cb?.([{ width: 0, height: 0, top: 0, left: 0 }]),
    };
    return q;
  }),
  cloud: { init: jest.fn(), callFunction: jest.fn() },
  Events,
  getCurrentInstance,
  pageScrollTo: resolved(),
  getSystemInfo: resolved(),
  useRouter,
  useLoad,
  useLaunch,
  useReady,
  useDidShow,
  useDidHide,
  usePullDownRefresh,
  useReachBottom,
  usePageScroll,
};

export function resetTaroMock(): void {
  routerParams = {};
  storage = {};
  didShow.clear();
  pullDown.clear();
  reachBottom.clear();
  for (const v of Object.values(Taro)) {
    if (typeof v === 'function' && 'mockClear' in v) (v as jest.Mock).mockClear();
  }
}

export const {
  navigateTo,
  redirectTo,
  switchTab,
  reLaunch,
  navigateBack,
  showToast,
  showModal,
  getSystemInfoSync,
  getEnv,
  ENV_TYPE,
  pxTransform,
  nextTick,
  createSelectorQuery,
  getCurrentPages,
  getStorageSync,
  setStorageSync,
  removeStorageSync,
  request,
  stopPullDownRefresh,
  cloud,
  setNavigationBarTitle,
  setTabBarBadge,
  removeTabBarBadge,
  requestSubscribeMessage,
} = Taro;

export default Taro;
