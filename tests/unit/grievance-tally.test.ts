import {
  applyAction,
  DEFAULT_CATEGORIES,
  DEFAULT_POLICY,
  isOverdue,
  newGrievance,
} from '../../cloudfunctions/domain/grievance';
import { computeRates } from '../../cloudfunctions/domain/grievance-stats';
import {
  applyChange,
  bucketsFor,
  emptyTally,
  grievanceWrites,
  queueKey,
  ratesOf,
  statsPeriods,
  storedDoc,
  TALLY_FIELDS,
  tallyChanges,
  timeKey,
  type StatsBucket,
} from '../../cloudfunctions/domain/grievance-tally';
import type { Grievance } from '../../types/domain';

const H = 3600_000;
const DAY = 24 * H;
const shanghai = (y: number, m: number, d: number) => Date.UTC(y, m, d) - 8 * H;
const T0 = shanghai(2026, 10, 30) + 10 * H;

const make = (id: string, key: string, at: number) =>
  newGrievance(
    {
      _id: id,
      number: id,
      communityId: 'c1',
      openid: `r-${id}`,
      category: DEFAULT_CATEGORIES.find((c) => c.key === key)!,
      text: 't'.repeat(10),
      photos: [],
      isPublic: false,
    },
    at,
  );

const worker = { role: 'worker' as const, openid: 'w' };
const handlerActor = { role: 'handler' as const, openid: 'w' };
const resident = { role: 'resident' as const, openid: 'r' };
const next = (
  g: Grievance,
  action: Parameters<typeof applyAction>[1],
  input: object,
  actor: object,
  at: number,
) => {
  const { patch, entry } = applyAction(g, action, input, actor as never, at);
  return { ...g, ...patch, timeline: [...g.timeline, entry] };
};

describe('statsPeriods', () => {
  it('reads whole months as months and the edges as days, widened to whole Shanghai days', () => {
    expect(statsPeriods(shanghai(2026, 10, 1), shanghai(2026, 11, 1))?.periods).toEqual(['202611']);
    const span = statsPeriods(shanghai(2026, 9, 30) + 5 * H, shanghai(2026, 11, 2) + H);
    expect(span).toEqual({
      from: shanghai(2026, 9, 30),
      to: shanghai(2026, 11, 3),
      periods: ['20261030', '20261031', '202611', '20261201', '20261202'],
    });
    expect(statsPeriods(shanghai(2026, 0, 1), shanghai(2027, 0, 1))?.periods).toHaveLength(12);
    expect(statsPeriods(shanghai(2010, 0, 1), shanghai(2027, 0, 1))).toBeUndefined();
  });
});

describe('queueKey', () => {
  it('orders by the deadline that applies now and is below timeKey(now) exactly when overdue', () => {
    const g = make('a', 'sanitation', T0);
    for (const now of [T0, g.respondBy - 1, g.respondBy, g.respondBy + 1]) {
      expect(queueKey(g) < timeKey(now)).toBe(isOverdue(g, now));
    }
    const closed = next(g, 'return', { note: '不受理' }, worker, T0 + H);
    expect(queueKey(closed) > queueKey(g)).toBe(true);
    expect(storedDoc(g)).toMatchObject({ queueKey: queueKey(g) });
    expect(storedDoc(g)).not.toHaveProperty('_id');
  });
});

describe('tallyChanges', () => {
  it('keeps the buckets equal to computeRates through every transition, including a handler change', () => {
    const buckets = new Map<string, StatsBucket>();
    const list = new Map<string, Grievance>();
    const write = (before: Grievance | undefined, after: Grievance) => {
      for (const c of tallyChanges(before, after)) buckets.set(c.id, applyChange(buckets.get(c.id), c));
      list.set(after._id, after);
    };
    const hospital = { kind: 'unit' as const, id: 'u1', name: '医院' };
    const self = { kind: 'worker' as const, id: 'w', name: '陈书记' };
    let a = make('a', 'sanitation', T0);
    write(undefined, a);
    let b = make('b', 'safety', T0 + 2 * DAY); // next month
    write(undefined, b);
    const go = (
      g: Grievance,
      action: Parameters<typeof applyAction>[1],
      input: object,
      actor: object,
      at: number,
    ) => {
      const after = next(g, action, input, actor, at);
      write(g, after);
      return after;
    };
    a = go(a, 'accept', {}, worker, T0 + H);
    a = go(a, 'dispatch', { handler: hospital }, worker, T0 + 2 * H);
    a = go(a, 'dispatch', { handler: self }, worker, T0 + 3 * H);
    a = go(a, 'resolve', { note: '已处理' }, handlerActor, T0 + 5 * H);
    a = go(a, 'rate', { satisfaction: 'dissatisfied' }, resident, T0 + 6 * H);
    a = go(a, 'dispatch', { handler: hospital }, worker, T0 + 7 * H);
    b = go(b, 'accept', {}, worker, T0 + 2 * DAY + 5 * H); // late (urgent: 2 h)
    const all = [...list.values()];
    const sum = (prefix: string) =>
      [...buckets.values()]
        .filter((x) => x.period.length === prefix.length && x.dim.startsWith('c:'))
        .reduce((acc, x) => {
          for (const k of TALLY_FIELDS) acc[k] += x[k];
          return acc;
        }, emptyTally());
    expect(ratesOf(sum('YYYYMM'), 0)).toEqual(computeRates(all, T0, DEFAULT_POLICY));
    expect(ratesOf(sum('YYYYMMDD'), 0)).toEqual(computeRates(all, T0, DEFAULT_POLICY));
    // The handler buckets follow the current handler: the hospital has a, the worker has none left.
    const handlerRows = [...buckets.values()].filter((x) => x.dim.startsWith('h:') && x.period.length === 6);
    expect(handlerRows.find((x) => x.dim === 'h:unit:u1')).toMatchObject({
      received: 1,
      rated: 1,
      name: '医院',
    });
    expect(handlerRows.find((x) => x.dim === 'h:worker:w')).toMatchObject({ received: 0, rated: 0 });
    // Written in bulk, the same grievances give the same buckets (less the emptied ones).
    const bulk = new Map(bucketsFor(all).map((x) => [x._id, x]));
    for (const [id, x] of buckets) if (x.received > 0) expect(bulk.get(id)).toEqual(x);
  });

  it('changes nothing for an action that moves no figure', () => {
    const a = make('a', 'sanitation', T0);
    const accepted = next(a, 'accept', {}, worker, T0 + H);
    const asked = next(
      next(accepted, 'dispatch', { handler: { kind: 'worker', id: 'w', name: 'w' } }, worker, T0 + 2 * H),
      'start',
      {},
      handlerActor,
      T0 + 3 * H,
    );
    expect(
      tallyChanges(asked, next(asked, 'progress', { note: '进展顺利' }, handlerActor, T0 + 4 * H)),
    ).toEqual([]);
  });
});

describe('grievanceWrites', () => {
  it('writes the grievances, their buckets and one daily counter per person and day', () => {
    const list = [make('a', 'sanitation', T0), make('b', 'repairs', T0 + H), make('c', 'repairs', T0 + DAY)];
    list[1] = { ...list[1]!, openid: 'r-a' };
    const writes = grievanceWrites(list);
    expect(writes.filter((w) => w.collection === 'grievances')).toHaveLength(3);
    const counters = writes.filter((w) => w.collection === 'counters');
    expect(counters.find((w) => w._id === 'grievance-submits:r-a:20261130')?.doc).toMatchObject({ count: 2 });
    expect(counters).toHaveLength(2);
    const month = writes.find((w) => w._id === 'c1:202611:c:repairs');
    expect(month?.doc).toMatchObject({ received: 1 });
  });
});
