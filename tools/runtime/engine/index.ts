/**
 * Embedded CloudBase database: the real query builder (`@cloudbase/database`'s `Db`) running
 * against durable local SQLite storage with MongoDB semantics (mingo), so handler code runs
 * unchanged locally.
 *
 *   request.ts       `Db.reqClass` replacement; dispatches each Db to its engine by a config key,
 *                    optionally after a simulated network round trip (`latencyMs`)
 *   batch.ts         group commit: the requests of one event-loop turn share one SQLite
 *                    transaction and one fsync, and are answered only after it
 *   engine.ts        CloudBase operations: find/count/insert/modify/remove/aggregate/transactions
 *   apply-update.ts  update operators: $set/$inc/$unset directly, the rest through mingo
 *   store.ts         SQLite tables + expression indexes (WAL, synchronous=FULL)
 *   pushdown.ts      queries → SQL: the whole read (filter, sort, page, count) when every condition
 *                    is exact on indexed fields, else an index prefilter that mingo re-checks
 *   transactions.ts  CloudBase/MongoDB transaction semantics: snapshot reads, buffered writes,
 *                    per-document write conflicts (first committer wins; the loser gets
 *                    DATABASE_TRANSACTION_CONFLICT, which runTransaction retries), no locks, and a
 *                    transaction open longer than 10 s is aborted
 *   ejson.ts         EJSON encoding, `db.serverDate()` and regex revival
 */
import { Db } from '@cloudbase/database';
import type { IndexSpec } from '../../../cloudfunctions/core/indexes';
import { decodeParam } from './ejson';
import { Batcher } from './batch';
import { Engine } from './engine';
import { buildPlan, buildPrefilter } from './pushdown';
import { ENGINE_KEY, registerEngine, unregisterEngine, type EngineBinding } from './request';
import { Store } from './store';
import { TransactionManager } from './transactions';

export type { IndexSpec };
export { EngineError } from './errors';

export interface LocalDatabaseOptions {
  /** SQLite file path, or ':memory:'. */
  file: string;
  indexes?: IndexSpec[];
  /** Clock for `db.serverDate()`. */
  now?: () => number;
  /** Abort transactions left open longer than this (default 10 s). */
  transactionTimeoutMs?: number;
  /**
   * Simulated network round trip per database request, in ms, plus up to half again as jitter
   * (default 0). With it on, the requests of concurrent calls interleave as they do on CloudBase.
   */
  latencyMs?: number;
  /** Observes every request (the runtime counts them per call): returns a callback for its answer. */
  onRequest?: EngineBinding['onRequest'];
}

export interface LocalDatabase {
  db: Db;
  close(): void;
  /** Wipe all data (tables and indexes stay). */
  clear(): void;
  /** Changes the simulated round trip (e.g. on for a race test, off for its setup). */
  setLatencyMs(ms: number): void;
  /** Documents per collection. */
  stats(): Record<string, number>;
  /**
   * SQLite's plan for the rows a query reads (diagnostics: shows whether an index is used): the
   * fully pushed-down read when the query (and sort) qualifies, else the prefilter scan.
   */
  explain(
    collection: string,
    query: Record<string, unknown>,
    order?: Record<string, 1 | -1>,
    page?: { limit?: number; offset?: number },
  ): string[];
}

export function openLocalDatabase(opts: LocalDatabaseOptions): LocalDatabase {
  const now = opts.now ?? Date.now;
  const store = new Store(opts.file, opts.indexes ?? []);
  const txns = new TransactionManager(opts.transactionTimeoutMs ?? 10_000);
  // An in-memory database has nothing to fsync: its groups are answered when they commit.
  const batcher = new Batcher(
    store.needsSync
      ? store
      : { begin: () => store.begin(), commit: () => store.commit(), rollback: () => store.rollback() },
  );
  const binding: EngineBinding = {
    engine: new Engine(store, txns, now),
    batcher,
    latencyMs: opts.latencyMs ?? 0,
    onRequest: opts.onRequest,
  };
  const key = registerEngine(binding);
  const db = new Db({ env: 'local', throwOnCode: true, [ENGINE_KEY]: key });
  let closed = false;
  return {
    db,
    close() {
      if (closed) return;
      closed = true;
      batcher.flush();
      unregisterEngine(key);
      txns.closeAll();
      store.close();
    },
    clear() {
      store.clear();
    },
    setLatencyMs(ms) {
      binding.latencyMs = ms;
    },
    stats() {
      const out: Record<string, number> = {};
      for (const name of store.collections()) out[name] = store.countAll(name);
      return out;
    },
    explain(collection, query, order, page) {
      const decoded = decodeParam(query, now());
      const indexed = store.indexed(collection);
      const plan = buildPlan(decoded, order, indexed, page);
      if (plan) return store.explain(collection, plan);
      const where = buildPrefilter(decoded, indexed) ?? { clauses: [], params: [] };
      return store.explain(collection, { where, orderBy: [] });
    },
  };
}
