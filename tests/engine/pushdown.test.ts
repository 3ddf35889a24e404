/**
 * Full query pushdown (filter, sort, page and count in SQLite) must be indistinguishable from the
 * exact mingo path. A differential test runs random queries through the real query builder against
 * an engine with indexes and against a reference engine whose reads all go through mingo, then
 * checks that a typical list query really runs in SQLite and that transactions stay exact.
 */
import type { CollectionReference, Db } from '@cloudbase/database';
import { INDEXES as APP_INDEXES, type IndexSpec } from '../../cloudfunctions/core/indexes';
import * as ejson from '../../tools/runtime/engine/ejson';
import * as pushdown from '../../tools/runtime/engine/pushdown';
import { Store } from '../../tools/runtime/engine/store';
import { openTemp } from './helpers';

type Doc = Record<string, unknown>;
type Cmd = Db['command'];
/** A query-builder command (`_.gt(1)` etc.); typed loosely because the builder's types are. */
type Command = ReturnType<Cmd['eq']>;

/** Deterministic PRNG (mulberry32) so a failure can be replayed. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MISSING = Symbol('missing');
const NUMBERS = [-5, -1, 0, 1, 1.5, 2, 3, 10, 100, 0.5, 7];
// No characters outside the BMP: mingo compares strings by UTF-16 code units, SQLite by UTF-8
// bytes, which differ only between supplementary characters and U+E000..U+FFFF.
const STRINGS = ['', 'a', 'ab', 'b', 'B', '1', 'true', 'null', '中', '中文', 'z', 'Ä'];
const BOOLEANS = [true, false];
const INDEXED = ['a', 'b', 'c'] as const;

const TEST_INDEXES: IndexSpec[] = [
  {
    collection: 'items',
    name: 'a_b',
    keys: [
      { field: 'a', direction: 1 },
      { field: 'b', direction: 1 },
    ],
  },
  { collection: 'items', name: 'c', keys: [{ field: 'c', direction: -1 }] },
  {
    collection: 'items',
    name: 'b_c',
    keys: [
      { field: 'b', direction: 1 },
      { field: 'c', direction: 1 },
    ],
  },
];

function makeGen(random: () => number) {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const value = (): unknown => {
    const r = random();
    if (r < 0.12) return MISSING;
    if (r < 0.2) return null;
    if (r < 0.55) return pick(NUMBERS);
    if (r < 0.88) return pick(STRINGS);
    return pick(BOOLEANS);
  };
  /** A comparison operand: like a field value, never missing, rarely null. */
  const operand = (): unknown => {
    const v = value();
    return v === MISSING ? pick(NUMBERS) : v;
  };
  return { pick, value, operand };
}

function makeDocs(n: number, random: () => number): Doc[] {
  const { value, pick } = makeGen(random);
  return Array.from({ length: n }, (_v, i) => {
    const doc: Doc = { _id: `${Math.floor(random() * 0xffffff).toString(16)}-${i}` };
    for (const field of [...INDEXED, 'd']) {
      const v = value();
      if (v !== MISSING) doc[field] = v;
    }
    // A few documents share their sort keys exactly, to exercise the tiebreaker.
    if (random() < 0.05) Object.assign(doc, { a: 1, b: 'a', c: 2 });
    doc.n = i;
    doc.tag = pick(['x', 'y']);
    return doc;
  });
}

interface RandomQuery {
  description: string;
  where: Doc;
  order: [string, 'asc' | 'desc'][];
  skip: number;
  limit?: number;
}

function makeQuery(random: () => number, _: Cmd, ids: string[]): RandomQuery {
  const { pick, operand } = makeGen(random);
  const conditions = new Map<string, Command[]>();
  const described: string[] = [];
  const plainEq = new Map<string, unknown>();
  const add = (field: string, command: Command, text: string): void => {
    conditions.set(field, [...(conditions.get(field) ?? []), command]);
    described.push(`${field} ${text}`);
  };
  const nConditions = Math.floor(random() * 4);
  for (let i = 0; i < nConditions; i++) {
    const r = random();
    const field = random() < 0.08 ? 'd' : pick(INDEXED); // d: never pushed down
    if (r < 0.3) {
      const v = operand();
      add(field, _.eq(v), `= ${JSON.stringify(v)}`);
      plainEq.set(field, v);
    } else if (r < 0.5) {
      const vs = Array.from({ length: Math.floor(random() * 4) }, operand);
      add(field, _.in(vs), `in ${JSON.stringify(vs)}`);
    } else if (r < 0.9) {
      const op = pick(['gt', 'gte', 'lt', 'lte'] as const);
      const v = operand();
      if (v === null) continue;
      add(field, _[op](v), `${op} ${JSON.stringify(v)}`);
    } else if (r < 0.95) {
      const v = operand();
      add(field, _.neq(v), `neq ${JSON.stringify(v)}`); // not pushed down
    } else {
      const some = [pick(ids), pick(ids), 'nope'];
      add('_id', _.in(some), `_id in ${JSON.stringify(some)}`);
    }
  }
  const where: Doc = {};
  for (const [field, commands] of conditions) {
    // A lone equality sometimes as a plain value, as handlers write it.
    if (commands.length === 1 && plainEq.has(field) && random() < 0.5) where[field] = plainEq.get(field);
    else where[field] = commands.length === 1 ? commands[0] : _.and(commands);
  }
  const order: [string, 'asc' | 'desc'][] = [];
  const nOrder = Math.floor(random() * 3.5);
  const sortable = ['a', 'b', 'c', 'a', 'b', 'c', '_id', 'n', 'd'];
  for (let i = 0; i < nOrder; i++) {
    const field = pick(sortable);
    if (!order.some(([f]) => f === field)) order.push([field, random() < 0.5 ? 'asc' : 'desc']);
  }
  const skip = pick([0, 0, 0, 3, 17, 150, 5000]);
  const limit = pick([undefined, 1, 5, 20, 20, 100, 1000]);
  return {
    description: `where ${described.join(', ') || '{}'} order ${JSON.stringify(order)} skip ${skip} limit ${limit}`,
    where,
    order,
    skip,
    limit,
  };
}

function run(db: Db, q: RandomQuery): { get: Promise<{ data: Doc[] }>; count: Promise<{ total: number }> } {
  const base = db.collection('items').where(q.where);
  let query = base;
  for (const [field, dir] of q.order) query = query.orderBy(field, dir);
  if (q.skip > 0) query = query.skip(q.skip);
  if (q.limit !== undefined) query = query.limit(q.limit);
  return {
    get: query.get() as Promise<{ data: Doc[] }>,
    count: base.count() as Promise<{ total: number }>,
  };
}

const originalPlan = pushdown.buildPlan;
const originalWhere = pushdown.buildWhere;
let pushdownDisabled = false;

/** Spies on pushdown; while `withoutPushdown` runs, every read takes the prefilter + mingo path. */
function spyPushdown(): jest.SpyInstance<ReturnType<typeof originalPlan>, Parameters<typeof originalPlan>> {
  jest
    .spyOn(pushdown, 'buildWhere')
    .mockImplementation((...args) => (pushdownDisabled ? null : originalWhere(...args)));
  return jest
    .spyOn(pushdown, 'buildPlan')
    .mockImplementation((...args) => (pushdownDisabled ? null : originalPlan(...args)));
}

async function withoutPushdown<T>(fn: () => Promise<T>): Promise<T> {
  pushdownDisabled = true;
  try {
    return await fn();
  } finally {
    pushdownDisabled = false;
  }
}

describe('full pushdown is equivalent to the mingo path (differential)', () => {
  const indexed = openTemp({ indexes: TEST_INDEXES });
  const reference = openTemp();
  const random = rng(Number(process.env.PUSHDOWN_SEED ?? 20240611));
  const docs = makeDocs(1500, random);
  const ids = docs.map((d) => String(d._id));

  beforeAll(async () => {
    for (const local of [indexed, reference]) {
      for (let i = 0; i < docs.length; i += 500)
        await local.db.collection('items').add(docs.slice(i, i + 500));
    }
  }, 30_000);

  afterAll(() => {
    indexed.cleanup();
    reference.cleanup();
  });

  afterEach(() => jest.restoreAllMocks());

  it('500 random queries return the same documents in the same order, and the same counts', async () => {
    const plans = spyPushdown();
    const selects = jest.spyOn(Store.prototype, 'select');
    let pushedDown = 0;
    for (let i = 0; i < 500; i++) {
      const q = makeQuery(random, indexed.db.command, ids);
      const expected = await withoutPushdown(async () => {
        const r = run(reference.db, q);
        return { data: (await r.get).data, total: (await r.count).total };
      });
      plans.mockClear();
      const r = run(indexed.db, q);
      const actual = { data: (await r.get).data, total: (await r.count).total };
      if (plans.mock.results.some((res) => res.value !== null)) pushedDown += 1;
      // On mismatch, print the query so it can be replayed.
      if (JSON.stringify(actual) !== JSON.stringify(expected)) {
        const summary = (r: typeof actual): unknown => ({ ids: r.data.map((d) => d._id), total: r.total });
        throw new Error(
          `query #${i} differs: ${q.description}\n` +
            `pushdown:  ${JSON.stringify(summary(actual))}\nreference: ${JSON.stringify(summary(expected))}`,
        );
      }
    }
    // Most random queries qualify; the rest (d, $ne, n) exercise the fallback on the indexed engine.
    expect(pushedDown).toBeGreaterThan(200);
    expect(pushedDown).toBeLessThan(500);
    expect(selects).toHaveBeenCalled();
  }, 120_000);

  it('keyset pages by _id (string ranges on the key) match the mingo path and run in SQLite', async () => {
    const _ = indexed.db.command;
    const sorted = [...ids].sort();
    const plans = spyPushdown();
    for (const cursor of [sorted[0]!, sorted[700]!, sorted[sorted.length - 1]!, '', 'zzzz']) {
      for (const cond of [_.gt(cursor), _.gte(cursor), _.lt(cursor), _.and(_.gt(''), _.lte(cursor))]) {
        const page = (local: typeof indexed) =>
          local.db.collection('items').where({ _id: cond }).orderBy('_id', 'asc').limit(50).get() as Promise<{
            data: Doc[];
          }>;
        const expected = await withoutPushdown(() => page(reference));
        plans.mockClear();
        const actual = await page(indexed);
        expect(actual.data.map((d) => d._id)).toEqual(expected.data.map((d) => d._id));
        expect(plans.mock.results.some((res) => res.value !== null)).toBe(true);
      }
    }
  });

  it('orders types like MongoDB: missing = null < numbers < strings < booleans, ties in insertion order', async () => {
    const local = openTemp({ indexes: TEST_INDEXES });
    try {
      await local.db
        .collection('items')
        .add([
          { _id: 'k1', a: true },
          { _id: 'k2', a: 'x' },
          { _id: 'k3', a: 2 },
          { _id: 'k4', a: null },
          { _id: 'k5' },
          { _id: 'k0', a: 2 },
          { _id: 'k6', a: 1 },
          { _id: 'k7', a: false },
        ]);
      const ids = async (order: 'asc' | 'desc'): Promise<string[]> =>
        ((await local.db.collection('items').orderBy('a', order).get()).data as Doc[]).map((d) =>
          String(d._id),
        );
      expect(await ids('asc')).toEqual(['k4', 'k5', 'k6', 'k3', 'k0', 'k2', 'k7', 'k1']);
      expect(await ids('desc')).toEqual(['k1', 'k7', 'k2', 'k3', 'k0', 'k6', 'k4', 'k5']);
      const _ = local.db.command;
      const match = async (where: Doc): Promise<string[]> =>
        ((await local.db.collection('items').where(where).orderBy('_id', 'asc').get()).data as Doc[]).map(
          (d) => String(d._id),
        );
      expect(await match({ a: true })).toEqual(['k1']); // not the number 1
      expect(await match({ a: 1 })).toEqual(['k6']); // not true
      expect(await match({ a: null })).toEqual(['k4', 'k5']); // null and missing
      expect(await match({ a: _.gte(1) })).toEqual(['k0', 'k3', 'k6']); // numbers only
      expect(await match({ a: _.lt('zz') })).toEqual(['k2']); // strings only
      expect(await match({ a: _.in([false, 'x', null]) })).toEqual(['k2', 'k4', 'k5', 'k7']);
      expect(
        (
          await local.db
            .collection('items')
            .where({ a: _.gt(false) })
            .count()
        ).total,
      ).toBe(1);
    } finally {
      local.cleanup();
    }
  });
});

describe('a typical list query runs entirely in SQLite', () => {
  const local = openTemp({ indexes: APP_INDEXES });
  const { db } = local;
  const _ = db.command;
  const now = 1_000;

  beforeAll(async () => {
    const activities = Array.from({ length: 5000 }, (_v, i) => ({
      communityId: `c${i % 2}`,
      status: i % 10 === 0 ? 'cancelled' : 'published',
      type: ['volunteer', 'meeting', 'partyDay'][i % 3],
      startAt: i,
      endAt: i + 3,
      title: `activity ${i}`,
    }));
    for (let i = 0; i < activities.length; i += 1000)
      await db.collection('activities').add(activities.slice(i, i + 1000));
  }, 30_000);

  afterAll(() => local.cleanup());
  afterEach(() => jest.restoreAllMocks());

  it('pages and counts without decoding documents, using one index for filter and order', async () => {
    const decode = jest.spyOn(ejson, 'decodeDoc');
    const select = jest.spyOn(Store.prototype, 'select');
    const where = { communityId: 'c1', status: 'published', endAt: _.gt(now) };
    const query = db.collection('activities').where(where);
    const [{ total }, { data }] = await Promise.all([
      query.count() as Promise<{ total: number }>,
      query.orderBy('startAt', 'asc').skip(40).limit(20).get() as Promise<{ data: Doc[] }>,
    ]);
    expect(decode).not.toHaveBeenCalled();
    expect(select).toHaveBeenCalledTimes(1);
    expect(select.mock.calls[0]?.[1]).toMatchObject({ limit: 20, offset: 40 });
    // c1 = odd startAt (never cancelled: those are multiples of 10); endAt > 1000 ⇔ startAt ≥ 998.
    expect(total).toBe(2001);
    expect(data.map((d) => d.startAt)).toEqual(Array.from({ length: 20 }, (_v, k) => 999 + 2 * (40 + k)));
    const plan = local.explain(
      'activities',
      { communityId: 'c1', status: 'published', endAt: { $gt: now } },
      { startAt: 1 },
      { limit: 20, offset: 40 },
    );
    // The page is picked from the index alone, in index order (at most a tiebreak within equal
    // startAt is sorted); only the page's rows are then read (and re-sorted) by rowid.
    const scan = plan.findIndex((line) =>
      /USING COVERING INDEX ix_activities_community_status_start/.test(line),
    );
    expect(scan).toBeGreaterThan(0);
    expect(plan[scan + 1] ?? '').not.toMatch(/^USE TEMP B-TREE FOR ORDER BY/);
    expect(plan[0]).toMatch(/USING INTEGER PRIMARY KEY \(rowid=\?\)/);
  });

  it('descending deep pages', async () => {
    const page = (
      await db
        .collection('activities')
        .where({ communityId: 'c0' })
        .orderBy('startAt', 'desc')
        .skip(2000)
        .limit(20)
        .get()
    ).data as Doc[];
    const total = (await db.collection('activities').where({ communityId: 'c0' }).count()).total as number;
    expect(total).toBe(2500);
    expect(page.map((d) => d.startAt)).toEqual(Array.from({ length: 20 }, (_v, k) => 2 * (499 - k)));
  });
});

describe('pushdown inside transactions', () => {
  const local = openTemp({ indexes: TEST_INDEXES });
  const { db } = local;
  const _ = db.command;

  beforeEach(async () => {
    local.clear();
    await db
      .collection('items')
      .add(
        Array.from({ length: 30 }, (_v, i) => ({ _id: `i${String(i).padStart(2, '0')}`, a: i % 3, b: i })),
      );
  });

  afterAll(() => local.cleanup());
  afterEach(() => jest.restoreAllMocks());

  it('sees the transaction’s own buffered writes (falls back to the exact path)', async () => {
    const t = await db.startTransaction();
    const items = (): CollectionReference => t.collection('items');
    await items().add({ _id: 'new', a: 0, b: -1 });
    await items().doc('i03').update({ a: 2 });
    await items().doc('i06').remove();
    const plans = spyPushdown();
    const { data } = await items().where({ a: 0 }).orderBy('b', 'asc').limit(4).get();
    expect((data as Doc[]).map((d) => d._id)).toEqual(['new', 'i00', 'i09', 'i12']);
    expect(plans).not.toHaveBeenCalled();
    // Outside the transaction nothing changed yet, and the read is pushed down.
    const outside = await db.collection('items').where({ a: 0 }).orderBy('b', 'asc').limit(3).get();
    expect((outside.data as Doc[]).map((d) => d._id)).toEqual(['i00', 'i03', 'i06']);
    expect(plans.mock.results[plans.mock.results.length - 1]?.value).not.toBeNull();
    await t.commit();
  });

  it('does not validate what a transaction only read (snapshot isolation, as MongoDB)', async () => {
    const t = await db.startTransaction();
    const plans = spyPushdown();
    const { data } = await t.collection('items').where({ a: 1 }).orderBy('b', 'asc').limit(2).get();
    expect((data as Doc[]).map((d) => d._id)).toEqual(['i01', 'i04']);
    expect(plans.mock.results[0]?.value).not.toBeNull(); // no buffered writes yet: pushed down
    await db
      .collection('items')
      .doc('i28')
      .update({ b: _.inc(1) }); // matched, but only read by the transaction
    await t.collection('log').add({ _id: 'read-only-dep', note: 'x' });
    await t.commit();
    expect((await db.collection('log').doc('read-only-dep').get()).data).toHaveLength(1);
  });
});
