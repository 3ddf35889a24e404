/**
 * Integration harness: the real cloud-function modules on the embedded engine (in memory), with
 * a controllable clock and callers identified the way the local server identifies them.
 */
import { setHotSlots } from '../../cloudfunctions/core/db';
import { createLocalRuntime, type LocalRuntime } from '../../tools/runtime/local-runtime';
import { seed } from '../../tools/runtime/seed';
import type { ActionName, ApiError, FunctionName, RequestOf, ResponseOf } from '../../types/api';

export const HOUR = 3600_000;
export const DAY = 24 * HOUR;

export interface Harness {
  rt: LocalRuntime;
  clock: { now: number; advance(ms: number): void; set(ms: number): void };
  /** Call and expect success; throws with the error message otherwise. */
  call<F extends FunctionName, A extends ActionName<F>>(
    openid: string | undefined,
    fn: F,
    action: A,
    data: RequestOf<F, A>,
  ): Promise<ResponseOf<F, A>>;
  /** Call and expect failure; returns the error. */
  fail<F extends FunctionName, A extends ActionName<F>>(
    openid: string | undefined,
    fn: F,
    action: A,
    data: unknown,
  ): Promise<ApiError>;
  raw(openid: string | undefined, fn: FunctionName, event: unknown): ReturnType<LocalRuntime['call']>;
  /**
   * Runs `work` with every database request taking a simulated round trip (RACE_LATENCY_MS plus
   * jitter), so concurrent calls interleave request by request as on CloudBase. Race tests put
   * their concurrent part in here; setup stays fast.
   */
  interleaved<T>(work: () => Promise<T>): Promise<T>;
  close(): void;
}

/** Simulated database round trip for race tests: concurrent calls interleave as on CloudBase. */
export const RACE_LATENCY_MS = 5;

export async function createHarness(
  opts: { seed?: boolean; start?: number; latencyMs?: number } = {},
): Promise<Harness> {
  const clock = {
    now: opts.start ?? Date.UTC(2026, 10, 21, 2, 0, 0), // 2026-11-21 10:00 Asia/Shanghai
    advance(ms: number) {
      this.now += ms;
    },
    set(ms: number) {
      this.now = ms;
    },
  };
  const rt = createLocalRuntime({
    dataDir: ':memory:',
    now: () => clock.now,
    quiet: true,
    latencyMs: opts.latencyMs ?? 0,
  });
  if (opts.seed !== false) await seed(rt);
  return {
    rt,
    clock,
    async call(openid, fn, action, data) {
      const res = await rt.call(fn, { action, data }, openid);
      if (!res.ok) throw new Error(`${fn}.${action} failed: ${res.error.code} ${res.error.message}`);
      return res.data as never;
    },
    async fail(openid, fn, action, data) {
      const res = await rt.call(fn, { action, data }, openid);
      if (res.ok) throw new Error(`${fn}.${action} unexpectedly succeeded`);
      return res.error;
    },
    raw: (openid, fn, event) => rt.call(fn, event, openid),
    async interleaved(work) {
      // Round trips take time, and the calls act as many instances (no per-instance queue for
      // hot documents): the database's conflict detection alone must keep the invariants.
      rt.database.setLatencyMs(RACE_LATENCY_MS);
      const slots = setHotSlots(Number.POSITIVE_INFINITY);
      try {
        return await work();
      } finally {
        setHotSlots(slots);
        rt.database.setLatencyMs(opts.latencyMs ?? 0);
      }
    },
    close: () => rt.close(),
  };
}

/** A valid publish payload for the demo worker's community, starting `inDays` from the clock. */
export function activityInput(now: number, overrides: Record<string, unknown> = {}) {
  const startAt = now + 3 * DAY;
  return {
    communityId: 'community-xingfuli',
    type: 'volunteer' as const,
    title: '测试活动 · 楼道清洁',
    description: '清理楼道杂物',
    place: { name: '幸福里党群服务中心', lat: 28.1941, lng: 112.9823, siteId: 'site-xfl-center' },
    startAt,
    endAt: startAt + 2 * HOUR,
    signUpStartAt: now - HOUR,
    signUpEndAt: startAt - HOUR,
    capacity: 10,
    ...overrides,
  };
}
