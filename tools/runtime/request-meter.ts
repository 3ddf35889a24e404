/**
 * Counts the database requests of one call, and how many of them had to wait for another (the
 * sequential depth: on CloudBase every request is a network round trip, so the depth is what the
 * caller waits for). A request's depth is one more than the deepest request of the same call that
 * had been answered before it started; requests sent together share a depth.
 *
 * The call is followed through its async work with AsyncLocalStorage, so background work started
 * elsewhere (the timer, other calls) is not counted.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface RequestCount {
  /** Every database request the call made. */
  requests: number;
  /** The longest chain of requests that waited for each other. */
  depth: number;
  /** The actions in order of sending, e.g. `database.getDocument users`. */
  log: string[];
}

interface Meter extends RequestCount {
  answeredDepth: number;
}

const current = new AsyncLocalStorage<Meter>();

/** The engine's `onRequest` hook: counts the request for the call it belongs to, if metered. */
export function countRequest(action: string, params: Record<string, unknown>): (() => void) | void {
  const meter = current.getStore();
  if (!meter) return;
  const depth = meter.answeredDepth + 1;
  meter.requests += 1;
  meter.depth = Math.max(meter.depth, depth);
  const collection = typeof params.collectionName === 'string' ? ` ${params.collectionName}` : '';
  meter.log.push(`${action.replace(/^database\./, '')}${collection}`);
  return () => {
    meter.answeredDepth = Math.max(meter.answeredDepth, depth);
  };
}

/** Runs `work` and counts the database requests it makes. */
export async function meter<T>(work: () => Promise<T>): Promise<{ result: T } & RequestCount> {
  const m: Meter = { requests: 0, depth: 0, log: [], answeredDepth: 0 };
  const result = await current.run(m, work);
  return { result, requests: m.requests, depth: m.depth, log: m.log };
}
