/**
 * Key columns (store.ts): indexed fields live in columns of their own, computed by SQLite from the
 * text on insert, and left alone by writes that keep every key field (`keysUnchanged`). These
 * tests pin down that an index never goes stale: after updates that do and do not change keys,
 * in and out of transactions, after an upgrade from expression indexes, and when an index is
 * dropped and declared again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { CollectionReference } from '@cloudbase/database';
import type { IndexSpec } from '../../cloudfunctions/core/indexes';
import { openLocalDatabase } from '../../tools/runtime/engine';
import { Store } from '../../tools/runtime/engine/store';
import { openTemp } from './helpers';

const BY_KIND: IndexSpec[] = [
  {
    collection: 'things',
    name: 'kind_rank',
    keys: [
      { field: 'kind', direction: 1 },
      { field: 'meta.rank', direction: 1 },
    ],
  },
];

type Tx = { collection(name: string): CollectionReference };

/** Ids of the things a pushed-down query finds (the plan must use the index). */
async function ids(db: ReturnType<typeof openTemp>['db'], query: Record<string, unknown>): Promise<string[]> {
  const { data } = await db.collection('things').where(query).orderBy('_id', 'asc').get();
  return (data as { _id: string }[]).map((d) => d._id);
}

describe('key columns', () => {
  it('stay right through updates that keep and that change key fields, in and out of transactions', async () => {
    const local = openTemp({ indexes: BY_KIND });
    try {
      const { db } = local;
      const _ = db.command;
      expect(local.explain('things', { kind: 'a' }).join()).toMatch(/USING INDEX ix_things_kind_rank/);
      await db.collection('things').add([
        { _id: 't1', kind: 'a', meta: { rank: 1 }, n: 0 },
        { _id: 't2', kind: 'a', meta: { rank: 2 }, n: 0 },
        { _id: 't3', kind: 'b', meta: { rank: 1 }, n: 0 },
      ]);
      // Keys kept: only the text changes.
      await db
        .collection('things')
        .doc('t1')
        .update({ n: _.inc(1) });
      await db
        .collection('things')
        .where({ kind: 'a' })
        .update({ n: _.inc(1) });
      expect(await ids(db, { kind: 'a', 'meta.rank': 1 })).toEqual(['t1']);
      // A key changed outside a transaction, by a nested path and by replacing the document.
      await db.collection('things').doc('t1').update({ 'meta.rank': 5 });
      await db
        .collection('things')
        .doc('t3')
        .set({ kind: 'c', meta: { rank: 1 }, n: 9 });
      expect(await ids(db, { 'meta.rank': 5 })).toEqual(['t1']);
      expect(await ids(db, { kind: 'b' })).toEqual([]);
      expect(await ids(db, { kind: 'c' })).toEqual(['t3']);
      // In a transaction: a keys-kept write, then a key change to the same document.
      await db.runTransaction(async (t: Tx) => {
        await t
          .collection('things')
          .doc('t2')
          .update({ n: _.inc(1) });
        await t.collection('things').doc('t2').update({ kind: 'd' });
        await t
          .collection('things')
          .doc('t1')
          .update({ n: _.inc(1) });
      });
      expect(await ids(db, { kind: 'a' })).toEqual(['t1']);
      expect(await ids(db, { kind: 'd' })).toEqual(['t2']);
      // Removing a key field: it reads as null, like a missing field.
      await db.collection('things').doc('t2').update({ kind: _.remove() });
      expect(await ids(db, { kind: null })).toEqual(['t2']);
      const { data } = await db.collection('things').doc('t1').get();
      expect((data as { n: number }[])[0]?.n).toBe(3);
    } finally {
      local.cleanup();
    }
  });

  it('a keys-kept write replaces the text alone (the contract the engine relies on)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'keys-'));
    const store = new Store(join(dir, 'db.sqlite'), BY_KIND);
    try {
      store.apply([{ collection: 'things', id: 'x', data: JSON.stringify({ _id: 'x', kind: 'a' }) }]);
      const where = { clauses: ['"v:kind" = ?'], params: ['a'] };
      // Claimed unchanged although it is not: the key column keeps the old value.
      store.apply([
        { collection: 'things', id: 'x', data: JSON.stringify({ _id: 'x', kind: 'z' }), keysUnchanged: true },
      ]);
      expect(store.count('things', where)).toBe(1);
      store.apply([{ collection: 'things', id: 'x', data: JSON.stringify({ _id: 'x', kind: 'z' }) }]);
      expect(store.count('things', where)).toBe(0);
      // A keys-kept write of a document that is not there inserts it whole.
      store.apply([
        { collection: 'things', id: 'y', data: JSON.stringify({ _id: 'y', kind: 'a' }), keysUnchanged: true },
      ]);
      expect(store.count('things', where)).toBe(1);
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('are added and filled when a database made with expression indexes is opened', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keys-'));
    const file = join(dir, 'db.sqlite');
    try {
      const old = new Database(file);
      old.exec('CREATE TABLE "c_things" (_id TEXT PRIMARY KEY, data TEXT NOT NULL)');
      old.exec(`CREATE INDEX "ix_things_kind_rank" ON "c_things" (json_extract(data, '$.kind'))`);
      const insert = old.prepare('INSERT INTO "c_things" (_id, data) VALUES (?, ?)');
      for (let i = 0; i < 50; i++) {
        insert.run(
          `t${i}`,
          JSON.stringify({ _id: `t${i}`, kind: i % 2 ? 'odd' : 'even', meta: { rank: i } }),
        );
      }
      old.close();
      const local = openLocalDatabase({ file, indexes: BY_KIND });
      try {
        expect(local.explain('things', { kind: 'odd' }).join()).toMatch(/USING INDEX ix_things_kind_rank/);
        expect((await local.db.collection('things').where({ kind: 'odd' }).count()).total).toBe(25);
        const { data } = await local.db
          .collection('things')
          .where({ kind: 'even', 'meta.rank': local.db.command.gte(40) })
          .get();
        expect((data as { _id: string }[]).map((d) => d._id).sort()).toEqual([
          't40',
          't42',
          't44',
          't46',
          't48',
        ]);
      } finally {
        local.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('of an index no longer declared are dropped, and filled again when it comes back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keys-'));
    const file = join(dir, 'db.sqlite');
    try {
      let local = openLocalDatabase({ file, indexes: BY_KIND });
      await local.db.collection('things').add({ _id: 't1', kind: 'a', meta: { rank: 1 } });
      local.close();
      // Without the index, nothing would keep its columns current: they go.
      local = openLocalDatabase({ file, indexes: [] });
      await local.db.collection('things').doc('t1').update({ kind: 'b' });
      local.close();
      const columns = (f: string) => {
        const sqlite = new Database(f, { readonly: true });
        try {
          return sqlite.prepare<[], { name: string }>("SELECT name FROM pragma_table_info('c_things')").all();
        } finally {
          sqlite.close();
        }
      };
      expect(columns(file).map((c) => c.name)).toEqual(['_id', 'data']);
      local = openLocalDatabase({ file, indexes: BY_KIND });
      try {
        expect(local.explain('things', { kind: 'b' }).join()).toMatch(/USING INDEX/);
        expect((await local.db.collection('things').where({ kind: 'b' }).count()).total).toBe(1);
        expect((await local.db.collection('things').where({ kind: 'a' }).count()).total).toBe(0);
      } finally {
        local.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
