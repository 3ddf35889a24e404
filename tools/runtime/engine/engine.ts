/**
 * The document engine: CloudBase operations (find / count / insert / modify / remove / aggregate /
 * transactions) over the SQLite store, with MongoDB semantics from mingo.
 *
 * Reads take one of two paths (pushdown.ts):
 * - full pushdown: when every condition and sort key can be expressed exactly in SQL on indexed
 *   fields, SQLite filters, sorts, pages and counts, and only the returned rows are decoded;
 * - exact path: an index prefilter narrows the rows, which are decoded and matched, sorted and
 *   paged by mingo.
 * Both return natural (insertion, i.e. rowid) order without a sort, and keep ties in that order.
 * Reads and writes by `_id` alone (every `doc(id)` operation) skip both: one primary-key lookup.
 * Inside a transaction, `doc(id)` reads see the transaction's snapshot with its own buffered writes
 * on top; other queries in a transaction (CloudBase allows none) see the committed state plus its
 * writes, and a collection with buffered writes always takes the exact path (see transactions.ts
 * for the concurrency design). Every operation is synchronous; batch.ts runs them in group commits.
 */
import { aggregate as mingoAggregate, Query } from 'mingo';
import { applyUpdate } from './apply-update';
import { decodeDoc, decodeParam, encodeDoc, isPlainObject, type Doc } from './ejson';
import { EngineError } from './errors';
import { newId } from './ids';
import { buildPlan, buildPrefilter, buildWhere } from './pushdown';
import type { Mutation, Row, Store } from './store';
import {
  bufferWrite,
  docKey as versionKey,
  type CommittedWrite,
  type Transaction,
  type TransactionManager,
} from './transactions';

/** mingo's document type (its `mingo/types` subpath is not resolvable under moduleResolution node). */
type AnyObject = Record<string, unknown>;

export type Order = Record<string, 1 | -1>;

export interface FindOptions {
  order?: Order;
  offset?: number;
  limit?: number;
  projection?: Doc;
}

export interface ModifyFlags {
  multi: boolean;
  merge: boolean;
  upsert: boolean;
}

export interface AggregateStage {
  stageKey: string;
  stageValue: string;
}

/** A document as seen by one operation (decoded for it alone: it may be changed in place). */
interface Candidate {
  id: string;
  raw: string;
  doc: Doc;
}

function isQueryEmpty(query: unknown): boolean {
  return !isPlainObject(query) || Object.keys(query).length === 0;
}

function hasOperators(update: Doc): boolean {
  return Object.keys(update).some((k) => k.startsWith('$'));
}

function docKey(id: unknown): string {
  if (typeof id === 'string' || typeof id === 'number') return String(id);
  throw new EngineError('INVALID_PARAM', '_id must be a string or a number');
}

/** The `_id` a query pins down exactly, if any (e.g. every `doc(id)` operation). */
function pinnedId(query: unknown): string | undefined {
  if (!isPlainObject(query)) return undefined;
  const id = query._id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
}

/** True when the query is nothing but `{ _id: <id> }`: the document alone decides the match. */
function onlyPinned(query: unknown): boolean {
  return isPlainObject(query) && Object.keys(query).length === 1 && pinnedId(query) !== undefined;
}

/** Upsert seed: the query's top-level equality conditions, as MongoDB does. */
function seedFromQuery(query: unknown): Doc {
  const seed: Doc = {};
  if (!isPlainObject(query)) return seed;
  for (const [key, value] of Object.entries(query)) {
    if (key.startsWith('$') || key.includes('.')) continue;
    if (isPlainObject(value) && Object.keys(value).some((k) => k.startsWith('$'))) {
      if ('$eq' in value) seed[key] = value.$eq;
    } else if (!(value instanceof RegExp)) {
      seed[key] = value;
    }
  }
  return seed;
}

/** Applies a find's projection to stored texts (none: the texts as they are). */
function project(raws: string[], projection: Doc | undefined): string[] {
  if (!projection) return raws;
  return new Query({})
    .find(
      raws.map((raw) => decodeDoc(raw) as AnyObject),
      projection,
    )
    .all()
    .map((doc) => encodeDoc(doc as Doc));
}

function withoutId(doc: Doc): Doc {
  const copy = { ...doc };
  delete copy._id;
  return copy;
}

/** A document's values at the key paths (what its key columns are computed from). */
function keyValues(doc: Doc, paths: string[][]): unknown[] {
  return paths.map((parts) => {
    let value: unknown = doc;
    for (const part of parts) {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
      value = (value as Record<string, unknown>)[part];
    }
    return value;
  });
}

/**
 * Whether two sets of key values are certainly the same (then so are the key columns). Objects,
 * arrays and Dates count as changed: indexed fields hold scalars, and this is only an optimisation.
 */
function sameKeys(before: unknown[], after: unknown[]): boolean {
  return before.every((value, i) => {
    const other = after[i];
    if ((value !== null && typeof value === 'object') || (other !== null && typeof other === 'object')) {
      return false;
    }
    return Object.is(value, other);
  });
}

export class Engine {
  private readonly keyPathCache = new WeakMap<object, string[][]>();

  constructor(
    readonly store: Store,
    private readonly txns: TransactionManager,
    private readonly now: () => number,
  ) {}

  decode(param: unknown): unknown {
    return decodeParam(param, this.now());
  }

  find(collection: string, query: unknown, options: FindOptions, txnId?: string): string[] {
    const txn = this.txn(txnId);
    const limit = Math.min(options.limit && options.limit > 0 ? options.limit : 100, 1000);
    const offset = options.offset && options.offset > 0 ? options.offset : 0;
    const projection =
      options.projection && Object.keys(options.projection).length > 0 ? options.projection : undefined;
    if (onlyPinned(query)) {
      const raw = this.readById(collection, pinnedId(query) as string, txn);
      return project(raw === null || offset > 0 ? [] : [raw], projection);
    }
    const pushed = this.findPushedDown(collection, query, options.order, limit, offset, txn);
    if (pushed)
      return project(
        pushed.map((r) => r.data),
        projection,
      );
    const matched = this.match(collection, query, txn);
    const rawOf = new Map<unknown, string>(matched.map((c) => [c.doc, c.raw]));
    let cursor = new Query({}).find(
      matched.map((c) => c.doc as AnyObject),
      projection,
    );
    // mingo sorts stably over rows in natural order: ties keep insertion order, as in SQL.
    if (options.order && Object.keys(options.order).length > 0) cursor = cursor.sort(options.order);
    if (offset > 0) cursor = cursor.skip(offset);
    cursor = cursor.limit(limit);
    // Reuse the stored text when mingo hands back the original object (no projection).
    return cursor.all().map((doc) => rawOf.get(doc) ?? encodeDoc(doc as Doc));
  }

  count(collection: string, query: unknown): number {
    if (isQueryEmpty(query)) return this.store.countAll(collection);
    if (onlyPinned(query)) return this.store.getRaw(collection, pinnedId(query) as string) === null ? 0 : 1;
    const where = buildWhere(query, this.store.indexed(collection));
    if (where) return this.store.count(collection, where);
    return this.match(collection, query).length;
  }

  insert(collection: string, docs: unknown[], txnId?: string): string[] {
    const txn = this.txn(txnId);
    const mutations: Mutation[] = [];
    const ids: string[] = [];
    const pending = new Set<string>();
    for (const value of docs) {
      if (!isPlainObject(value)) throw new EngineError('INVALID_PARAM', 'document must be an object');
      const id = value._id === undefined ? newId() : value._id;
      const key = docKey(id);
      if (pending.has(key) || this.readById(collection, key, txn) !== null) {
        throw new EngineError(
          'DATABASE_DUPLICATE_WRITE',
          `E11000 duplicate key error: _id ${key} in ${collection}`,
        );
      }
      pending.add(key);
      mutations.push({
        collection,
        id: key,
        data: encodeDoc({ _id: id, ...withoutId(value) }),
        previous: null,
      });
      ids.push(key);
    }
    this.write(mutations, txn);
    return ids;
  }

  modify(
    collection: string,
    query: unknown,
    data: unknown,
    flags: ModifyFlags,
    txnId?: string,
  ): { updated: number; upsertId?: string } {
    if (!isPlainObject(data)) throw new EngineError('INVALID_PARAM', 'update data must be an object');
    const txn = this.txn(txnId);
    const operatorUpdate = flags.merge || hasOperators(data);
    const update: Doc = hasOperators(data) || !operatorUpdate ? data : { $set: data };
    const matched = this.match(collection, query, txn);
    const mutations: Mutation[] = [];
    const keys = this.keyPaths(collection);
    for (const target of flags.multi ? matched : matched.slice(0, 1)) {
      const keysBefore = keyValues(target.doc, keys);
      let next: Doc;
      if (operatorUpdate) {
        // `match` decoded this document for this operation alone, so it may be changed in place.
        next = target.doc;
        applyUpdate(next, update);
      } else {
        next = { _id: target.doc._id, ...withoutId(update) };
      }
      const raw = encodeDoc(next);
      // Like MongoDB's nModified, a write that changes nothing does not count as updated.
      if (raw !== target.raw) {
        const keysUnchanged = sameKeys(keysBefore, keyValues(next, keys));
        mutations.push({ collection, id: target.id, data: raw, previous: target.raw, keysUnchanged });
      }
    }
    let upsertId: string | undefined;
    if (matched.length === 0 && flags.upsert) {
      const seed = seedFromQuery(query);
      const id = seed._id ?? newId();
      let doc: Doc;
      if (operatorUpdate) {
        doc = { ...seed, _id: id };
        applyUpdate(doc, update);
      } else {
        doc = { _id: id, ...withoutId(update) };
      }
      upsertId = docKey(id);
      const previous = this.readById(collection, upsertId, txn);
      mutations.push({ collection, id: upsertId, data: encodeDoc(doc), previous });
    }
    this.write(mutations, txn);
    return { updated: mutations.length - (upsertId === undefined ? 0 : 1), upsertId };
  }

  remove(collection: string, query: unknown, multi: boolean, txnId?: string): number {
    const txn = this.txn(txnId);
    const matched = this.match(collection, query, txn);
    const targets = multi ? matched : matched.slice(0, 1);
    this.write(
      targets.map((c) => ({ collection, id: c.id, data: null, previous: c.raw })),
      txn,
    );
    return targets.length;
  }

  aggregate(collection: string, stages: AggregateStage[]): string[] {
    const pipeline = stages.map((s) => ({ [s.stageKey]: this.decode(s.stageValue) }) as AnyObject);
    const first = pipeline[0];
    const firstMatch = first && '$match' in first ? first.$match : undefined;
    const load = (name: string, query?: unknown): AnyObject[] =>
      this.store
        .scan(name, buildPrefilter(query, this.store.indexed(name)))
        .map((r) => decodeDoc(r.data) as AnyObject);
    const loaded = new Map<string, AnyObject[]>();
    const collectionResolver = (name: string): AnyObject[] => {
      let docs = loaded.get(name);
      if (!docs) loaded.set(name, (docs = load(name)));
      return docs;
    };
    const result = mingoAggregate(load(collection, firstMatch), pipeline, { collectionResolver });
    return result.map((doc) => encodeDoc(doc as Doc));
  }

  startTransaction(): string {
    return this.txns.start();
  }

  /** True when the transaction's next operation takes its snapshot (see transactions.ts). */
  awaitsSnapshot(txnId: string): boolean {
    return this.txns.awaitsSnapshot(txnId);
  }

  /**
   * Applies the transaction's writes atomically if none of the documents it writes was committed
   * by anyone since its snapshot (else DATABASE_TRANSACTION_CONFLICT, and nothing is applied).
   */
  commit(txnId: string): void {
    const txn = this.txns.get(txnId);
    try {
      this.txns.validate(txn);
      const mutations: Mutation[] = [];
      for (const [collection, writes] of txn.writes) {
        for (const [id, data] of writes) {
          // `validate` just checked that nothing was committed to it since the snapshot, so the
          // text the transaction read is still the committed one (no second read at commit).
          const key = versionKey(collection, id);
          const previous = txn.reads.get(key);
          if (previous === undefined) {
            mutations.push({ collection, id, data });
            continue;
          }
          // Every buffered write of it left its key fields as the committed document has them.
          const keysUnchanged = previous !== null && data !== null && !txn.keysChanged.has(key);
          mutations.push({ collection, id, data, previous, keysUnchanged });
        }
      }
      this.txns.finish(txnId);
      this.applyCommitted(mutations);
    } finally {
      this.txns.finish(txnId);
    }
  }

  abort(txnId: string): void {
    this.txns.finish(txnId);
  }

  private txn(txnId: string | undefined): Transaction | undefined {
    return txnId ? this.txns.get(txnId) : undefined;
  }

  private write(mutations: Mutation[], txn: Transaction | undefined): void {
    if (!txn) {
      this.applyCommitted(mutations);
      return;
    }
    for (const m of mutations) this.txns.claimWrite(txn, m.collection, m.id);
    for (const m of mutations) bufferWrite(txn, m.collection, m.id, m.data, m.keysUnchanged === true);
  }

  /**
   * Writes to the store as one commit, and tells the transaction manager, which keeps the replaced
   * versions while snapshots that may still read them are open.
   */
  private applyCommitted(mutations: Mutation[]): void {
    if (mutations.length === 0) return;
    let replaced: CommittedWrite[] = [];
    if (this.txns.snapshotsOpen) {
      replaced = mutations.map((m) => ({
        collection: m.collection,
        id: m.id,
        previous: m.previous !== undefined ? m.previous : this.store.getRaw(m.collection, m.id),
      }));
    }
    this.store.apply(mutations);
    this.txns.committed(replaced);
  }

  /** The key (indexed) fields of a collection, as paths. */
  private keyPaths(collection: string): string[][] {
    const indexed = this.store.indexed(collection);
    let paths = this.keyPathCache.get(indexed);
    if (!paths) this.keyPathCache.set(indexed, (paths = [...indexed].map((f) => f.split('.'))));
    return paths;
  }

  /** One document by `_id`: the transaction's own write, else its snapshot, else the store. */
  private readById(collection: string, id: string, txn: Transaction | undefined): string | null {
    if (!txn) return this.store.getRaw(collection, id);
    const buffered = txn.writes.get(collection);
    if (buffered?.has(id)) return buffered.get(id) ?? null;
    return this.txns.snapshotRead(txn, collection, id, this.store);
  }

  /**
   * The page of a find run entirely in SQLite, or null when the query needs the exact path
   * (something is not expressible in SQL, or the transaction has buffered writes here).
   */
  private findPushedDown(
    collection: string,
    query: unknown,
    order: Order | undefined,
    limit: number,
    offset: number,
    txn: Transaction | undefined,
  ): Row[] | null {
    if (txn?.writes.get(collection)?.size) return null;
    const plan = buildPlan(query, order, this.store.indexed(collection));
    if (!plan) return null;
    return this.store.select(collection, { ...plan, limit, offset });
  }

  /** Committed rows narrowed by the prefilter, overlaid with the transaction's buffered writes. */
  private candidates(collection: string, query: unknown, txn: Transaction | undefined): Candidate[] {
    const pinned = pinnedId(query);
    if (pinned !== undefined) {
      // `doc(id)` operations: one primary-key read (the snapshot's, inside a transaction).
      const raw = this.readById(collection, pinned, txn);
      return raw === null ? [] : [{ id: pinned, raw, doc: decodeDoc(raw) }];
    }
    const rows = this.store.scan(collection, buildPrefilter(query, this.store.indexed(collection)));
    const buffered = txn?.writes.get(collection);
    const out: Candidate[] = [];
    const seen = new Set<string>();
    for (const row of rows) {
      if (buffered?.has(row._id)) {
        // A buffered update keeps the document's place (commit keeps its rowid).
        const raw = buffered.get(row._id);
        seen.add(row._id);
        if (raw != null) out.push({ id: row._id, raw, doc: decodeDoc(raw) });
        continue;
      }
      out.push({ id: row._id, raw: row.data, doc: decodeDoc(row.data) });
    }
    for (const [id, raw] of buffered ?? []) {
      if (raw !== null && !seen.has(id)) out.push({ id, raw, doc: decodeDoc(raw) });
    }
    return out;
  }

  private match(collection: string, query: unknown, txn?: Transaction): Candidate[] {
    const candidates = this.candidates(collection, query, txn);
    if (isQueryEmpty(query) || onlyPinned(query)) return candidates;
    const compiled = new Query(query as AnyObject);
    return candidates.filter((c) => compiled.test(c.doc as AnyObject));
  }
}
