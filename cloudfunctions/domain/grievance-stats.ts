/**
 * Grievance figures for a period (响应率, 解决率, 满意率, average times, overdue), overall, per
 * category and per handler. Pure: the handler loads the grievances created in the period.
 */
import type { DeadlinePolicy, Grievance, GrievanceCategory } from '../../types/domain';
import type { GrievanceRates, GrievanceStats } from '../../types/api';
import { DEFAULT_POLICY, isOverdue } from './grievance';

const HOUR = 3600_000;

const rate = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part / whole) * 1e4) / 1e4);

function average(values: number[]): number | null {
  if (values.length === 0) return null;
  return Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 100) / 100;
}

/** The figures for one group of grievances (all created in the period). */
export function computeRates(
  list: Grievance[],
  now: number,
  policy: DeadlinePolicy = DEFAULT_POLICY,
): GrievanceRates {
  let accepted = 0;
  let respondedInTime = 0;
  let resolved = 0;
  let rated = 0;
  let satisfied = 0;
  let unrated = 0;
  let overdue = 0;
  const toAccept: number[] = [];
  const toClose: number[] = [];
  for (const g of list) {
    if (g.acceptedAt !== undefined) {
      accepted += 1;
      toAccept.push((g.acceptedAt - g.createdAt) / HOUR);
      if (g.acceptedAt <= g.createdAt + policy[g.urgency].respondHours * HOUR) respondedInTime += 1;
    }
    if (g.resolvedAt !== undefined) resolved += 1;
    if (g.rating) {
      rated += 1;
      if (g.rating.satisfaction !== 'dissatisfied') satisfied += 1;
    }
    if (g.unratedAt !== undefined && !g.rating) unrated += 1;
    if (g.closedAt !== undefined) toClose.push((g.closedAt - g.createdAt) / HOUR);
    if (isOverdue(g, now)) overdue += 1;
  }
  const received = list.length;
  return {
    received,
    accepted,
    respondedInTime,
    responseRate: rate(respondedInTime, received),
    resolved,
    resolutionRate: rate(resolved, received),
    rated,
    satisfied,
    satisfactionRate: rate(satisfied, rated),
    unrated,
    avgHoursToAccept: average(toAccept),
    avgHoursToClose: average(toClose),
    overdue,
  };
}

function groupBy<K extends string>(
  list: Grievance[],
  key: (g: Grievance) => K | undefined,
): Map<K, Grievance[]> {
  const groups = new Map<K, Grievance[]>();
  for (const g of list) {
    const k = key(g);
    if (k === undefined) continue;
    const group = groups.get(k);
    if (group) group.push(g);
    else groups.set(k, [g]);
  }
  return groups;
}

/**
 * Figures for grievances created in [from, to). byCategory follows the order of `categories`
 * (categories without grievances are left out; unknown category keys come last, named by key).
 * byHandler groups by the grievance's current handler (`kind:id`), most received first; the
 * name comes from `handlerNames` (by `kind:id` or id) when given, else from the grievance.
 */
export function computeStats(
  grievances: Grievance[],
  categories: GrievanceCategory[],
  period: { from: number; to: number },
  now: number,
  policy: DeadlinePolicy = DEFAULT_POLICY,
  handlerNames?: Record<string, string>,
): GrievanceStats {
  const inPeriod = grievances.filter((g) => g.createdAt >= period.from && g.createdAt < period.to);

  const byCat = groupBy(inPeriod, (g) => g.category);
  const known = new Set(categories.map((c) => c.key));
  const byCategory: GrievanceStats['byCategory'] = [];
  for (const c of categories) {
    const list = byCat.get(c.key);
    if (list) byCategory.push({ category: c.key, name: c.name, ...computeRates(list, now, policy) });
  }
  for (const [key, list] of byCat) {
    if (!known.has(key)) byCategory.push({ category: key, name: key, ...computeRates(list, now, policy) });
  }

  const byHand = groupBy(inPeriod, (g) => (g.handler ? `${g.handler.kind}:${g.handler.id}` : undefined));
  const byHandler: GrievanceStats['byHandler'] = [];
  for (const [key, list] of byHand) {
    // The latest grievance carries the freshest name.
    const h = list.reduce((a, b) => (b.createdAt > a.createdAt ? b : a)).handler!;
    const name = handlerNames?.[key] ?? handlerNames?.[h.id] ?? h.name;
    byHandler.push({ handler: key, name, kind: h.kind, ...computeRates(list, now, policy) });
  }
  byHandler.sort((a, b) => b.received - a.received || a.handler.localeCompare(b.handler));

  return { from: period.from, to: period.to, ...computeRates(inPeriod, now, policy), byCategory, byHandler };
}
