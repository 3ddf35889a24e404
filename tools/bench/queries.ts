/** Read-path latency on the large data set: list / mine / detail / participants. */
import type { FunctionName } from '../../types/api';
import type { LocalRuntime } from '../runtime/local-runtime';
import type { Dataset } from './dataset';
import { summarize, timed, type LatencySummary } from './stats';

export interface QueryCase {
  name: string;
  fn: FunctionName;
  action: string;
  data: Record<string, unknown>;
  openid: string;
}

export interface QueryResult extends LatencySummary {
  name: string;
  /** Items on the page and the total the handler reported. */
  items: number;
  total?: number;
}

interface PageLike {
  items?: unknown[];
  total?: number;
  nextCursor?: string;
}

async function callOnce(rt: LocalRuntime, c: QueryCase): Promise<PageLike> {
  const res = await rt.call(c.fn, { action: c.action, data: c.data }, c.openid);
  if (!res.ok) throw new Error(`${c.name}: ${res.error.code} ${res.error.message}`);
  return res.data as PageLike;
}

export async function buildCases(rt: LocalRuntime, ds: Dataset): Promise<QueryCase[]> {
  const reader = ds.busyUser;
  // Find a cursor deep into the full list (80 % of the way).
  const all = await callOnce(rt, {
    name: 'probe',
    fn: 'activity',
    action: 'list',
    data: { when: 'all' },
    openid: reader,
  });
  const deep = String(Math.floor((all.total ?? 0) * 0.8));
  return [
    { name: 'list upcoming, page 1', fn: 'activity', action: 'list', data: {}, openid: reader },
    {
      name: `list all, deep page (cursor ${deep})`,
      fn: 'activity',
      action: 'list',
      data: { when: 'all', cursor: deep },
      openid: reader,
    },
    {
      name: 'list type=volunteer, page 1',
      fn: 'activity',
      action: 'list',
      data: { type: 'volunteer' },
      openid: reader,
    },
    {
      name: "list when='ended', page 1",
      fn: 'activity',
      action: 'list',
      data: { when: 'ended' },
      openid: reader,
    },
    { name: 'mine (all)', fn: 'activity', action: 'mine', data: {}, openid: reader },
    { name: 'mine (upcoming)', fn: 'activity', action: 'mine', data: { when: 'upcoming' }, openid: reader },
    {
      name: 'detail',
      fn: 'activity',
      action: 'detail',
      data: { activityId: ds.hotActivityId },
      openid: reader,
    },
    {
      name: 'participants, page 1',
      fn: 'activity',
      action: 'participants',
      data: { activityId: ds.hotActivityId },
      openid: 'demo-worker',
    },
    {
      name: 'participants waitlisted',
      fn: 'activity',
      action: 'participants',
      data: { activityId: ds.hotActivityId, status: 'waitlisted' },
      openid: 'demo-worker',
    },
  ];
}

export async function benchQueries(
  rt: LocalRuntime,
  cases: QueryCase[],
  runs = 30,
  warmUps = 3,
): Promise<QueryResult[]> {
  const results: QueryResult[] = [];
  for (const c of cases) {
    let last: PageLike = {};
    for (let i = 0; i < warmUps; i++) last = await callOnce(rt, c);
    const sample: number[] = [];
    for (let i = 0; i < runs; i++) {
      const { value, ms } = await timed(() => callOnce(rt, c));
      last = value;
      sample.push(ms);
    }
    results.push({
      name: c.name,
      ...summarize(sample),
      items: last.items?.length ?? 1,
      ...(last.total !== undefined ? { total: last.total } : {}),
    });
  }
  return results;
}

/** SQLite plans for the `where` clauses the list/mine/participants handlers build. */
export function queryPlans(rt: LocalRuntime, ds: Dataset): { name: string; plan: string[] }[] {
  const now = rt.runtime.now();
  const xfl = 'community-xingfuli';
  const plans: [string, string, Record<string, unknown>][] = [
    ['list upcoming', 'activities', { communityId: xfl, status: 'published', endAt: { $gt: now } }],
    ['list all', 'activities', { communityId: xfl }],
    ['list ended', 'activities', { communityId: xfl, endAt: { $lte: now } }],
    ['mine', 'signups', { openid: ds.busyUser }],
    ['participants', 'signups', { activityId: ds.hotActivityId }],
  ];
  return plans.map(([name, coll, q]) => ({ name, plan: rt.database.explain(coll, q) }));
}
