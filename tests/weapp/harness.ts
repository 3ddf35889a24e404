/**
 * Runs the compiled weapp build inside miniprogram-simulate: stand-ins for the WeChat globals
 * (App, getApp, getCurrentPages, Page, wx), then runtime.js + app.js, then one page as a component.
 */
import fs from 'node:fs'
import path from 'node:path'

export const DIST = path.resolve(__dirname, '../../miniprogram/dist')

type AnyFn = (...args: any[]) => any
export interface CloudCall {
  name: string
  data: { action: string; data?: unknown }
}
export type CloudHandler = (call: CloudCall) => unknown

export function assertBuilt(): void {
  if (!fs.existsSync(path.join(DIST, 'app.js'))) {
    throw new Error('miniprogram/dist is missing: run `npm run build:weapp` first')
  }
}

/** Loads a page of the compiled app with `query` as its options and attaches it. */
export function loadPage(route: string, query: Record<string, string>, onCloud: CloudHandler) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const simulate = require('miniprogram-simulate')
  const g = global as any
  const calls: CloudCall[] = []
  let appInstance: any = null
  const pages: any[] = []
  const storage: Record<string, unknown> = {}

  const ok = (extra: Record<string, unknown> = {}) => ({ errMsg: 'ok', ...extra })
  const asyncApi = (fn: AnyFn = () => ok()) =>
    jest.fn((opts: any = {}) => {
      const res = fn(opts)
      opts.success?.(res)
      opts.complete?.(res)
      return Promise.resolve(res)
    })

  g.wx = {
    cloud: {
      init: jest.fn(),
      callFunction: jest.fn((opts: CloudCall & { success?: AnyFn; fail?: AnyFn; complete?: AnyFn }) => {
        calls.push({ name: opts.name, data: opts.data })
        return new Promise((resolve, reject) => {
          setTimeout(() => {
            try {
              const result = { errMsg: 'cloud.callFunction:ok', result: onCloud({ name: opts.name, data: opts.data }) }
              opts.success?.(result)
              opts.complete?.(result)
              resolve(result)
            } catch (err) {
              opts.fail?.(err)
              opts.complete?.(err)
              reject(err)
            }
          }, 5)
        })
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
    getStorageSync: jest.fn((k: string) => storage[k] ?? ''),
    setStorageSync: jest.fn((k: string, v: unknown) => {
      storage[k] = v
    }),
    removeStorageSync: jest.fn((k: string) => {
      delete storage[k]
    }),
    getSystemInfoSync: jest.fn(() => ({ windowWidth: 375, windowHeight: 667, pixelRatio: 2, platform: 'devtools', SDKVersion: '3.3.4', fontSizeSetting: 16 })),
    getWindowInfo: jest.fn(() => ({ windowWidth: 375, windowHeight: 667, pixelRatio: 2 })),
    getAppBaseInfo: jest.fn(() => ({ SDKVersion: '3.3.4' })),
    getDeviceInfo: jest.fn(() => ({ platform: 'devtools' })),
    getMenuButtonBoundingClientRect: jest.fn(() => ({ top: 24, height: 32, right: 360, width: 88 })),
    createSelectorQuery: jest.fn(() => {
      const q: any = {
        in: () => q,
        select: () => q,
        selectAll: () => q,
        selectViewport: () => q,
        boundingClientRect: () => q,
        scrollOffset: () => q,
        fields: () => q,
        exec: (cb?: AnyFn) => cb?.([{ width: 0, height: 0, top: 0, left: 0 }]),
      }
      return q
    }),
    nextTick: (fn: AnyFn) => setTimeout(fn, 0),
    canIUse: () => true,
  }

  g.App = (options: any) => {
    appInstance = options
    options.onLaunch?.call(options, { path: route, query })
    options.onShow?.call(options, { path: route, query })
  }
  g.getApp = () => appInstance
  g.getCurrentPages = () => pages
  g.Page = (options: any) => {
    const methods: Record<string, AnyFn> = {}
    for (const [k, v] of Object.entries(options)) if (typeof v === 'function') methods[k] = v as AnyFn
    g.Component({
      data: options.data || {},
      methods,
      lifetimes: {
        attached(this: any) {
          this.route = route
          this.__route__ = route
          this.options = query
          pages.push(this)
          // Taro reads the query from this.options; no second argument to onLoad.
          methods.onLoad?.call(this, { ...query })
          methods.onShow?.call(this)
        },
        ready(this: any) {
          methods.onReady?.call(this)
        },
        detached(this: any) {
          methods.onUnload?.call(this)
        },
      },
    })
  }

  require(path.join(DIST, 'runtime.js'))
  require(path.join(DIST, 'app.js'))

  const id = simulate.load(path.join(DIST, route), { rootPath: DIST })
  const comp = simulate.render(id)
  const parent = document.createElement('parent-wrapper')
  comp.attach(parent)
  return { comp, calls, wx: g.wx, simulate }
}

/** Polls until `fn` returns a truthy value (or throws after `timeout`). */
export async function until<T>(fn: () => T, timeout = 5000, label = 'condition'): Promise<NonNullable<T>> {
  const start = Date.now()
  let last: unknown
  for (;;) {
    try {
      const v = fn()
      if (v) return v as NonNullable<T>
    } catch (err) {
      last = err
    }
    if (Date.now() - start > timeout) throw new Error(`timed out waiting for ${label}${last ? `: ${String(last)}` : ''}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}
