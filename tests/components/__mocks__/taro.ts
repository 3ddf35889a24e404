/**
 * Stand-in for @tarojs/taro in component tests: navigation, toasts, storage and the lifecycle
 * hooks the pages use. Router params are set per test with setRouterParams.
 */
import { useEffect } from 'react'

type Fn = (...args: any[]) => any

let routerParams: Record<string, string> = {}
let storage: Record<string, unknown> = {}
const didShow = new Set<Fn>()
const pullDown = new Set<Fn>()
const reachBottom = new Set<Fn>()

export function setRouterParams(params: Record<string, string>): void {
  routerParams = params
}

function registerHook(set: Set<Fn>, fn: Fn) {
  // eslint-disable-next-line react-hooks/rules-of-hooks
  useEffect(() => {
    set.add(fn)
    return () => {
      set.delete(fn)
    }
  })
}

export const useRouter = () => ({ params: routerParams, path: '' })
export const useLoad = (fn: Fn) => useEffect(() => void fn(routerParams), [])
export const useLaunch = (fn: Fn) => useEffect(() => void fn({}), [])
export const useReady = (fn: Fn) => useEffect(() => void fn(), [])
export const useDidShow = (fn: Fn) => registerHook(didShow, fn)
export const useDidHide = (_fn: Fn) => undefined
export const usePullDownRefresh = (fn: Fn) => registerHook(pullDown, fn)
export const useReachBottom = (fn: Fn) => registerHook(reachBottom, fn)
export const usePageScroll = (_fn: Fn) => undefined

export const triggerPullDownRefresh = () => pullDown.forEach((f) => f())
export const triggerReachBottom = () => reachBottom.forEach((f) => f())
export const triggerDidShow = () => didShow.forEach((f) => f())

export class Events {
  private handlers: Record<string, Fn[]> = {}
  on(name: string, fn: Fn) {
    ;(this.handlers[name] ||= []).push(fn)
    return this
  }
  off(name?: string, fn?: Fn) {
    if (!name) this.handlers = {}
    else if (!fn) delete this.handlers[name]
    else this.handlers[name] = (this.handlers[name] || []).filter((h) => h !== fn)
    return this
  }
  trigger(name: string, ...args: unknown[]) {
    ;(this.handlers[name] || []).forEach((h) => h(...args))
    return this
  }
}

export const getCurrentInstance = () => ({ router: { params: routerParams, path: '' }, page: {} })

const resolved = () => jest.fn((..._args: any[]) => Promise.resolve({ errMsg: 'ok' }))

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
  showModal: jest.fn((..._args: any[]) => Promise.resolve({ confirm: true, cancel: false })),
  stopPullDownRefresh: jest.fn(),
  setNavigationBarTitle: resolved(),
  request: jest.fn(),
  getStorageSync: jest.fn((key: string) => storage[key] ?? ''),
  setStorageSync: jest.fn((key: string, value: unknown) => {
    storage[key] = value
  }),
  removeStorageSync: jest.fn((key: string) => {
    delete storage[key]
  }),
  getCurrentPages: jest.fn(() => [] as { route?: string }[]),
  getSystemInfoSync: jest.fn(() => ({ windowWidth: 375, windowHeight: 667, pixelRatio: 2, platform: 'devtools' })),
  getWindowInfo: jest.fn(() => ({ windowWidth: 375, windowHeight: 667, pixelRatio: 2 })),
  getEnv: jest.fn(() => 'WEB'),
  ENV_TYPE: { WEAPP: 'WEAPP', WEB: 'WEB', RN: 'RN' },
  pxTransform: (n: number) => `${n}px`,
  nextTick: (fn: Fn) => setTimeout(fn, 0),
  createSelectorQuery: jest.fn(() => {
    const q: any = {
      select: () => q,
      selectAll: () => q,
      selectViewport: () => q,
      boundingClientRect: (cb?: Fn) => {
        cb?.({ width: 0, height: 0, top: 0, left: 0 })
        return q
      },
      scrollOffset: () => q,
      exec: (cb?: Fn) => cb?.([{ width: 0, height: 0, top: 0, left: 0 }]),
    }
    return q
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
}

export function resetTaroMock(): void {
  routerParams = {}
  storage = {}
  didShow.clear()
  pullDown.clear()
  reachBottom.clear()
  for (const v of Object.values(Taro)) {
    if (typeof v === 'function' && 'mockClear' in v) (v as jest.Mock).mockClear()
  }
}

export const { navigateTo, redirectTo, switchTab, reLaunch, navigateBack, showToast, showModal, getSystemInfoSync, getEnv, ENV_TYPE, pxTransform, nextTick, createSelectorQuery, getCurrentPages, getStorageSync, setStorageSync, removeStorageSync, request, stopPullDownRefresh, cloud, setNavigationBarTitle } = Taro

export default Taro
