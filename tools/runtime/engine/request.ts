/**
 * The request class the query builder talks to (`Db.reqClass`). `Db.reqClass` is a static shared by
 * every `Db`, so one class serves all local databases: each `Db` carries its engine's key in its
 * config, and `send` dispatches on it. Configs without a key go to whatever request class was
 * installed before (e.g. the HTTP one), so local and remote `Db`s can coexist in one process.
 * Response shapes mirror what collection.ts / query.ts / document.ts / aggregate.ts /
 * transaction/index.ts of @cloudbase/database 1.4.3 read from CloudBase.
 */
import { Db } from '@cloudbase/database';
import { EJSON } from 'bson';
import type { Batcher } from './batch';
import type { AggregateStage, Engine, FindOptions, Order } from './engine';
import { isPlainObject } from './ejson';
import { EngineError } from './errors';

export const ENGINE_KEY = '__localEngine';

type Params = Record<string, unknown>;
type Response = Record<string, unknown>;

interface RequestLike {
  send(action: string, params?: Params, opts?: unknown): Promise<unknown>;
}
type RequestClass = new (config: unknown) => RequestLike;

/** What a request runs against: the engine, its group-commit queue and the simulated network. */
export interface EngineBinding {
  engine: Engine;
  batcher: Batcher;
  /** Simulated round trip per request in ms (0: answered in the same turn, as before). */
  latencyMs: number;
  /** Called as each request starts; the returned function when it has been answered. */
  onRequest?: (action: string, params: Params) => (() => void) | void;
}

const engines = new Map<string, EngineBinding>();
let fallback: RequestClass | undefined;
let requestSeq = 0;
let engineSeq = 0;

function str(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '')
    throw new EngineError('INVALID_PARAM', `${name} is required`);
  return value;
}

function optionalStr(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function asStages(value: unknown): AggregateStage[] {
  if (!Array.isArray(value)) throw new EngineError('INVALID_PARAM', 'stages must be an array');
  return value.map((s: unknown) => {
    if (!isPlainObject(s) || typeof s.stageKey !== 'string' || typeof s.stageValue !== 'string') {
      throw new EngineError('INVALID_PARAM', 'invalid aggregate stage');
    }
    return { stageKey: s.stageKey, stageValue: s.stageValue };
  });
}

function asOrder(value: unknown): Order | undefined {
  if (!isPlainObject(value)) return undefined;
  const order: Order = {};
  for (const [field, dir] of Object.entries(value)) order[field] = dir === -1 ? -1 : 1;
  return order;
}

/** The request's collection name (a function, not a closure per request: requests are the hot path). */
function collectionOf(p: Params): string {
  return str(p.collectionName, 'collectionName');
}

function dispatch(engine: Engine, action: string, p: Params): Response {
  const txnId = optionalStr(p.transactionId);
  switch (action) {
    case 'database.getDocument': {
      const projection = engine.decode(p.projection);
      const options: FindOptions = {
        order: asOrder(engine.decode(p.order)),
        offset: num(p.offset),
        limit: num(p.limit),
        projection: isPlainObject(projection) ? projection : undefined,
      };
      const list = engine.find(collectionOf(p), engine.decode(p.query), options, txnId);
      return { data: { list, offset: options.offset ?? 0, limit: options.limit ?? 100 } };
    }
    case 'database.calculateDocument':
      return { data: { total: engine.count(collectionOf(p), engine.decode(p.query)) } };
    case 'database.insertDocument': {
      const docs = Array.isArray(p.data) ? p.data.map((d: unknown) => engine.decode(d)) : [];
      return { data: { insertedIds: engine.insert(collectionOf(p), docs, txnId) } };
    }
    case 'database.modifyDocument': {
      const flags = { multi: p.multi === true, merge: p.merge !== false, upsert: p.upsert === true };
      const res = engine.modify(collectionOf(p), engine.decode(p.query), engine.decode(p.data), flags, txnId);
      return { data: { updated: res.updated, upsert_id: res.upsertId } };
    }
    case 'database.removeDocument':
      return {
        data: { deleted: engine.remove(collectionOf(p), engine.decode(p.query), p.multi === true, txnId) },
      };
    case 'database.aggregateDocuments':
      return { data: { list: engine.aggregate(collectionOf(p), asStages(p.stages)) } };
    case 'database.addCollection':
      engine.count(collectionOf(p), undefined); // creates the table
      return {};
    case 'database.startTransaction':
      return { transactionId: engine.startTransaction() };
    case 'database.commitTransaction':
      engine.commit(str(p.transactionId, 'transactionId'));
      return {};
    case 'database.abortTransaction':
      engine.abort(str(p.transactionId, 'transactionId'));
      return {};
    // Legacy per-document transaction actions (src/transaction.ts of the query builder).
    case 'database.getInTransaction': {
      const query = { _id: p._id };
      const [doc] = engine.find(collectionOf(p), query, { limit: 1 }, str(txnId, 'transactionId'));
      return { data: doc ?? 'null' };
    }
    case 'database.updateDocInTransaction': {
      const flags = { multi: false, merge: p.upsert !== true, upsert: p.upsert === true };
      const res = engine.modify(
        collectionOf(p),
        { _id: p._id },
        engine.decode(p.data),
        flags,
        str(txnId, 'transactionId'),
      );
      return {
        updated: EJSON.stringify(res.updated),
        upserted: res.upsertId ? JSON.stringify([{ _id: res.upsertId }]) : undefined,
      };
    }
    case 'database.deleteDocInTransaction': {
      const deleted = engine.remove(collectionOf(p), { _id: p._id }, false, str(txnId, 'transactionId'));
      return { deleted: EJSON.stringify(deleted) };
    }
    default:
      throw new EngineError('DATABASE_REQUEST_FAILED', `unsupported action ${action}`);
  }
}

export class LocalRequest implements RequestLike {
  private readonly key: string | undefined;

  constructor(private readonly config: unknown) {
    this.key = isPlainObject(config) ? optionalStr(config[ENGINE_KEY]) : undefined;
  }

  async send(action: string, params: Params = {}, opts?: unknown): Promise<unknown> {
    if (this.key === undefined) {
      if (!fallback)
        throw new EngineError('DATABASE_REQUEST_FAILED', 'this Db is not bound to a local engine');
      return new fallback(this.config).send(action, params, opts);
    }
    const binding = engines.get(this.key);
    const requestId = `local-${++requestSeq}`;
    if (!binding) throw new EngineError('DATABASE_REQUEST_FAILED', 'local database is closed');
    const done = binding.onRequest?.(action, params);
    try {
      // The request travels to the database, runs in the next group commit, and travels back.
      const travel = networkDelay(binding.latencyMs);
      if (travel > 0) await sleep(travel / 2);
      const run = dispatch.bind(undefined, binding.engine, action, params) as () => Response;
      const txnId = optionalStr(params.transactionId);
      const response = await (writesToDisk(action, params)
        ? binding.batcher.write(run)
        : txnId !== undefined && binding.engine.awaitsSnapshot(txnId)
          ? // A transaction's first operation takes its snapshot: after the commits that arrived first.
            binding.batcher.afterWrites(run)
          : binding.batcher.read(run));
      if (travel > 0) await sleep(travel / 2);
      response.requestId = requestId; // a fresh object per request
      return response;
    } catch (error) {
      // Errors thrown like node-sdk's (a `code` the handler and runTransaction can inspect).
      const wrapped =
        error instanceof EngineError
          ? error
          : new EngineError(
              'DATABASE_REQUEST_FAILED',
              error instanceof Error ? error.message : String(error),
            );
      wrapped.requestId = requestId;
      throw wrapped;
    } finally {
      done?.();
    }
  }
}

/**
 * Requests that change committed data: a commit, or a write outside a transaction. A
 * transaction's own writes are only buffered until its commit.
 */
function writesToDisk(action: string, params: Params): boolean {
  if (action === 'database.commitTransaction') return true;
  if (optionalStr(params.transactionId)) return false;
  return (
    action === 'database.insertDocument' ||
    action === 'database.modifyDocument' ||
    action === 'database.removeDocument' ||
    action === 'database.addCollection'
  );
}

/** A round trip: the configured latency plus up to half of it again as jitter. */
function networkDelay(latencyMs: number): number {
  return latencyMs > 0 ? latencyMs * (1 + Math.random() / 2) : 0;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

let installed = false;

/**
 * Makes `Db.reqClass` the local dispatcher for good. node-sdk's `app.database()` assigns its HTTP
 * class to `Db.reqClass` on every call, which would silently send local Dbs to the cloud; the
 * setter turns such assignments into the fallback used by Dbs without an engine key.
 */
function install(): void {
  if (installed) return;
  installed = true;
  fallback = Db.reqClass as RequestClass | undefined;
  Object.defineProperty(Db, 'reqClass', {
    configurable: true,
    enumerable: true,
    get: () => LocalRequest,
    set: (cls: RequestClass | undefined) => {
      if (cls !== LocalRequest) fallback = cls;
    },
  });
}

export function registerEngine(binding: EngineBinding): string {
  install();
  const key = `engine-${++engineSeq}-${process.pid}`;
  engines.set(key, binding);
  return key;
}

export function unregisterEngine(key: string): void {
  engines.delete(key);
}
