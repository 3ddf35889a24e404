/**
 * Array (multikey) indexes: equality and `$in` on an array field find the same documents, in the
 * same order, as the unindexed (mingo) path — any element matches, a scalar value matches itself —
 * through the element table, kept right by inserts, updates, removes and transactions.
 */
import type { CollectionReference } from '@cloudbase/database';
import type { IndexSpec } from '../../cloudfunctions/core/indexes';
import { openTemp } from './helpers';

const ARRAY_INDEX: IndexSpec[] = [
  { collection: 'requests', name: 'takers', keys: [{ field: 'takerKeys', direction: 1, array: true }] },
];

const DOCS = [
  { _id: 'a', takerKeys: ['u1', 'unit:x'], n: 1 },
  { _id: 'b', takerKeys: ['u2'], n: 2 },
  { _id: 'c', takerKeys: 'u1', n: 3 }, // a scalar matches itself
  { _id: 'd', n: 4 }, // missing
  { _id: 'e', takerKeys: [], n: 5 },
  { _id: 'f', takerKeys: [1, true, 'u1', ['u2']], n: 6 }, // mixed types, nested array
  { _id: 'g', takerKeys: ['u1', 'u1'], n: 7 }, // duplicate element
  { _id: 'h', takerKeys: [null, 'u3'], n: 8 },
];

const QUERIES: Record<string, unknown>[] = [
  { takerKeys: 'u1' },
  { takerKeys: 'u2' },
  { takerKeys: 1 },
  { takerKeys: true },
  { takerKeys: 'nobody' },
  { n: 6, takerKeys: 'u1' },
];

describe('array indexes', () => {
  const indexed = openTemp({ indexes: ARRAY_INDEX });
  const plain = openTemp();
  afterAll(() => {
    indexed.cleanup();
    plain.cleanup();
  });

  beforeAll(async () => {
    for (const local of [indexed, plain]) await local.db.collection('requests').add(DOCS);
  });

  const ids = async (local: typeof indexed, where: Record<string, unknown>) =>
    ((await local.db.collection('requests').where(where).get()) as { data: { _id: string }[] }).data.map(
      (d) => d._id,
    );

  it('matches exactly what the unindexed path matches', async () => {
    const _ = indexed.db.command;
    const queries = [
      ...QUERIES,
      { takerKeys: _.in(['unit:x', 'u3']) },
      { takerKeys: _.in(['u2', 1]) },
      { takerKeys: _.eq('u2') },
    ];
    for (const q of queries) expect([q, await ids(indexed, q)]).toEqual([q, await ids(plain, q)]);
    expect(await ids(indexed, { takerKeys: 'u1' })).toEqual(['a', 'c', 'f', 'g']);
  });

  it('reads through the element table, not a scan', () => {
    const plan = indexed.explain('requests', { takerKeys: { $in: ['u1', 'u2'] } }).join(' ');
    expect(plan).toMatch(/mk_requests_takers/);
    expect(plan).not.toMatch(/SCAN c_requests/);
  });

  it('stays right through updates, removes and transactions', async () => {
    const _ = indexed.db.command;
    for (const local of [indexed, plain]) {
      const requests = local.db.collection('requests');
      await requests.doc('b').update({ takerKeys: _.push('u1') });
      await requests.doc('a').update({ takerKeys: ['unit:y'] });
      await requests.doc('g').remove();
      await local.db.runTransaction(async (t: { collection(name: string): CollectionReference }) => {
        await t
          .collection('requests')
          .doc('d')
          .update({ takerKeys: ['u9', 'u1'] });
        await t.collection('requests').add({ _id: 'i', takerKeys: ['u1'], n: 9 });
      });
    }
    for (const q of [...QUERIES, { takerKeys: 'unit:x' }, { takerKeys: 'unit:y' }, { takerKeys: 'u9' }])
      expect([q, await ids(indexed, q)]).toEqual([q, await ids(plain, q)]);
    expect(await ids(indexed, { takerKeys: 'u1' })).toEqual(['b', 'c', 'd', 'f', 'i']);
  });

  it('is built over existing documents when declared later, and dropped when no longer declared', async () => {
    const later = openTemp();
    await later.db.collection('requests').add(DOCS);
    const file = later.file;
    later.close();
    const { openLocalDatabase } = await import('../../tools/runtime/engine');
    const reopened = openLocalDatabase({ file, indexes: ARRAY_INDEX });
    try {
      expect(reopened.explain('requests', { takerKeys: 'u1' }).join(' ')).toMatch(/mk_requests_takers/);
      const found = (await reopened.db.collection('requests').where({ takerKeys: 'u1' }).get()) as {
        data: { _id: string }[];
      };
      expect(found.data.map((d) => d._id)).toEqual(['a', 'c', 'f', 'g']);
    } finally {
      reopened.close();
    }
    // Another index declared on the collection: the array index's table and triggers go.
    const other = openLocalDatabase({
      file,
      indexes: [{ collection: 'requests', name: 'n', keys: [{ field: 'n', direction: 1 }] }],
    });
    try {
      await other.db.collection('requests').add({ _id: 'z', takerKeys: ['u1'], n: 10 });
      expect(other.explain('requests', { takerKeys: 'u1' }).join(' ')).not.toMatch(/mk_requests/);
    } finally {
      other.close();
      later.cleanup();
    }
  });
});
