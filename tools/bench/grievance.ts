/**
 * Grievances at scale: N grievances in one community (幸福里) over the past year, in every stage
 * (built with the domain rules, so they are what the handlers would have written), bulk-inserted
 * through the engine together with their statistics counters and daily counters
 * (`grievanceWrites`). Then, through the real `grievance` function as the community's worker:
 * the queue's first page, a deep page (keyset cursor 80 % into the queue), the overdue filter,
 * statistics for this month and this year — and a check that the year's figures equal a direct
 * computation (`computeStats`) over the same grievances.
 */
import { performance } from 'node:perf_hooks';
import {
  applyAction,
  DEFAULT_CATEGORIES,
  newGrievance,
  type ActionInput,
  type Actor,
} from '../../cloudfunctions/domain/grievance';
import { computeStats } from '../../cloudfunctions/domain/grievance-stats';
import { grievanceWrites } from '../../cloudfunctions/domain/grievance-tally';
import type { Grievance, GrievanceHandler, TimelineAction } from '../../types/domain';
import type { GrievanceStats, Page, GrievanceSummary } from '../../types/api';
import type { LocalRuntime } from '../runtime/local-runtime';
import { summarize, type LatencySummary } from './stats';

const H = 3600_000;
const DAY = 24 * H;
const COMMUNITY = 'community-xingfuli';
const WORKER = 'demo-worker';

export interface GrievanceBenchResult {
  grievances: number;
  loadSeconds: number;
  runs: number;
  queries: (LatencySummary & { name: string; items: number; total?: number })[];
  /** The year's statistics equal computeStats over the same grievances. */
  consistent: boolean;
}

/** A deterministic pseudo-random generator (the same data every run). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function makeGrievances(n: number, now: number): Grievance[] {
  const random = rng(12);
  const worker: Actor = { role: 'worker', openid: WORKER };
  const handlers: GrievanceHandler[] = [
    { kind: 'worker', id: WORKER, name: '陈书记' },
    { kind: 'unit', id: 'unit-hospital', name: '区人民医院' },
    { kind: 'unit', id: 'unit-tech', name: '科技公司' },
    { kind: 'member', id: 'demo-member', name: '李建国' },
  ];
  const out: Grievance[] = [];
  for (let i = 0; i < n; i++) {
    const createdAt = now - Math.floor(random() * 365 * DAY) - H;
    const category = DEFAULT_CATEGORIES[i % DEFAULT_CATEGORIES.length]!;
    let g = newGrievance(
      {
        _id: `bench-g-${i}`,
        number: `bench-${i}`,
        communityId: COMMUNITY,
        openid: `bench-r-${i % 5000}`,
        category,
        text: `第 ${i} 条诉求：楼道堆放杂物，影响通行，请社区协调处理`,
        photos: [],
        isPublic: false,
      },
      createdAt,
    );
    let at = createdAt;
    const step = (action: TimelineAction, input: ActionInput, actor: Actor) => {
      at = Math.min(now, at + Math.floor(random() * 30 * H) + 60_000);
      const { patch, entry } = applyAction(g, action, input, actor, at);
      g = { ...g, ...patch, timeline: [...g.timeline, entry] };
    };
    const depth = random();
    const handler = handlers[i % handlers.length]!;
    const handlerActor: Actor = { role: 'handler', openid: handler.id };
    const resident: Actor = { role: 'resident', openid: g.openid };
    try {
      if (depth < 0.05) {
        out.push(g); // waiting to be accepted
        continue;
      }
      if (depth < 0.08) {
        step('return', { note: '不属于受理范围' }, worker);
        out.push(g);
        continue;
      }
      step('accept', {}, worker);
      if (depth > 0.12) step('dispatch', { handler }, worker);
      if (depth > 0.2) step('start', {}, handlerActor);
      if (depth > 0.3) step('resolve', { note: '已处理' }, handlerActor);
      if (depth > 0.4) {
        step('rate', { satisfaction: depth > 0.95 ? 'dissatisfied' : 'satisfied' }, resident);
      }
    } catch {
      // A step past `now` or not allowed: keep the grievance as it stands.
    }
    out.push(g);
  }
  return out;
}

async function insertAll(rt: LocalRuntime, list: Grievance[]): Promise<void> {
  const byCollection = new Map<string, Record<string, unknown>[]>();
  for (const w of grievanceWrites(list)) {
    const docs = byCollection.get(w.collection) ?? [];
    docs.push({ _id: w._id, ...w.doc });
    byCollection.set(w.collection, docs);
  }
  for (const [name, docs] of byCollection) {
    const coll = rt.runtime.db.collection(name);
    for (let i = 0; i < docs.length; i += 1000) await coll.add(docs.slice(i, i + 1000));
  }
}

export async function benchGrievances(
  rt: LocalRuntime,
  n: number,
  runs: number,
): Promise<GrievanceBenchResult> {
  const now = rt.runtime.now();
  const list = makeGrievances(n, now);
  const t0 = performance.now();
  await insertAll(rt, list);
  const loadSeconds = Math.round((performance.now() - t0) / 10) / 100;

  const call = async <T>(action: string, data: Record<string, unknown>): Promise<T> => {
    const res = await rt.call('grievance', { action, data }, WORKER);
    if (!res.ok) throw new Error(`grievance.${action}: ${res.error.code} ${res.error.message}`);
    return res.data as T;
  };
  // A deep cursor: walk the queue with large pages to 80 % of it.
  let deepCursor: string | undefined;
  for (let seen = 0; seen < n * 0.8;) {
    const page = await call<Page<GrievanceSummary>>('queue', {
      pageSize: 50,
      ...(deepCursor ? { cursor: deepCursor } : {}),
    });
    seen += page.items.length;
    deepCursor = page.nextCursor;
    if (!deepCursor) break;
  }
  const d = new Date(now + 8 * H);
  const monthFrom = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) - 8 * H;
  const yearFrom = now - 365 * DAY - DAY;
  const cases: { name: string; action: string; data: Record<string, unknown> }[] = [
    { name: 'queue first page', action: 'queue', data: { pageSize: 20 } },
    {
      name: 'queue deep page (80 %)',
      action: 'queue',
      data: { pageSize: 20, ...(deepCursor ? { cursor: deepCursor } : {}) },
    },
    { name: 'queue overdue only', action: 'queue', data: { pageSize: 20, overdueOnly: true } },
    {
      name: 'queue stage+category',
      action: 'queue',
      data: { pageSize: 20, stage: 'inProgress', category: 'repairs' },
    },
    { name: 'stats this month', action: 'stats', data: { from: monthFrom, to: now + DAY } },
    { name: 'stats past year', action: 'stats', data: { from: yearFrom, to: now + DAY } },
  ];
  const queries: GrievanceBenchResult['queries'] = [];
  for (const c of cases) {
    for (let i = 0; i < 3; i++) await call(c.action, c.data);
    const sample: number[] = [];
    let last: unknown;
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      last = await call(c.action, c.data);
      sample.push(performance.now() - start);
    }
    const page = last as Partial<Page<unknown>> & Partial<GrievanceStats>;
    queries.push({
      name: c.name,
      ...summarize(sample),
      items: page.items?.length ?? page.byCategory?.length ?? 0,
      total: page.total ?? page.received,
    });
  }
  const year = await call<GrievanceStats>('stats', { from: yearFrom, to: now + DAY });
  const direct = computeStats(list, DEFAULT_CATEGORIES, { from: year.from, to: year.to }, now);
  const strip = (s: GrievanceStats) => ({ ...s, byHandler: s.byHandler.map(({ name: _n, ...r }) => r) });
  const consistent = JSON.stringify(strip(year)) === JSON.stringify(strip(direct));
  return { grievances: n, loadSeconds, runs, queries, consistent };
}
