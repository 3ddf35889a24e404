/**
 * The real cloud functions for the compiled pages: the in-process runtime (in memory) with the
 * full demo data, as the local server seeds it. Pages' `wx.cloud.callFunction({ name, data })`
 * goes to `rt.call(name, data, openid)` as the current role.
 */
import timers from 'node:timers';
import { createLocalRuntime, type LocalRuntime } from '../../tools/runtime/local-runtime';
import { seedIfEmpty } from '../../tools/runtime/seed';
import type { FunctionName } from '../../types/api';
import type { CloudHandler } from './harness';

// The engine runs in this (jsdom) realm and needs Node's setImmediate and timeouts it can unref().
// The page keeps jsdom's timers (cleared when the test file ends); their handles get unref/ref.
const jsdomSetTimeout = globalThis.setTimeout;
Object.assign(globalThis, {
  setImmediate: timers.setImmediate,
  clearImmediate: timers.clearImmediate,
  // A number (for clearTimeout) that has unref().
  setTimeout: (...args: Parameters<typeof setTimeout>) =>
    Object.assign(new Number(jsdomSetTimeout(...args)), {
      unref() {
        return this;
      },
      ref() {
        return this;
      },
    }),
});

export const DEMO = {
  resident: 'demo-resident',
  member: 'demo-member',
  volunteer: 'demo-volunteer',
  unit: 'demo-unit',
  worker: 'demo-worker',
  admin: 'demo-admin',
} as const;
export type Role = keyof typeof DEMO;

export async function demoRuntime(): Promise<LocalRuntime> {
  const rt = createLocalRuntime({ dataDir: ':memory:', quiet: true, latencyMs: 0 });
  await seedIfEmpty(rt);
  return rt;
}

/** Answers a page's cloud calls with the real functions, as `openid`. */
export function realCloud(rt: LocalRuntime, openid: string): CloudHandler {
  return ({ name, data }) => rt.call(name as FunctionName, data, openid);
}
