/**
 * SQLite storage: one table per collection (`_id TEXT PRIMARY KEY, data TEXT` holding relaxed
 * EJSON), WAL journal with synchronous=NORMAL so every acknowledged (committed) write survives a
 * crash or kill of the process. Declared indexes become expression indexes on
 * `json_extract(data, '$.field')`, which `pushdown.ts` targets with the identical expression.
 */
import Database from 'better-sqlite3';
import type { IndexSpec } from '../../../cloudfunctions/core/indexes';
import { EngineError } from './errors';

export interface Row {
  _id: string;
  data: string;
}

/** A document write (`data` is the encoded document); `data === null` deletes. */
export interface Mutation {
  collection: string;
  id: string;
  data: string | null;
}

export type SqlValue = string | number;

/** Conditions ANDed into a WHERE clause; each must be implied by the query (a superset filter). */
export interface Prefilter {
  clauses: string[];
  params: SqlValue[];
}

const TABLE_PREFIX = 'c_';
const COLLECTION_NAME = /^[A-Za-z0-9_-]{1,128}$/;
const FIELD_PATH = /^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$/;

/** Unique-index and primary-key violations (checked by code, not class, to survive duplicate module copies). */
function isConstraintError(error: unknown): error is Error {
  const code = error instanceof Error ? (error as Error & { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT');
}

function tableName(collection: string): string {
  if (!COLLECTION_NAME.test(collection)) {
    throw new EngineError('INVALID_PARAM', `invalid collection name: ${collection}`);
  }
  return `"${TABLE_PREFIX}${collection}"`;
}

/** The SQL expression for a field; pushdown must use exactly this text for SQLite to use the index. */
export function fieldExpression(field: string): string {
  if (!FIELD_PATH.test(field)) throw new EngineError('INVALID_PARAM', `invalid index field: ${field}`);
  return `json_extract(data, '$.${field}')`;
}

interface Statements {
  get: Database.Statement<[string], Row>;
  upsert: Database.Statement<[string, string]>;
  remove: Database.Statement<[string]>;
}

export class Store {
  private readonly sqlite: Database.Database;
  private readonly statements = new Map<string, Statements>();
  private readonly indexedFields = new Map<string, Set<string>>();

  constructor(file: string, indexes: IndexSpec[] = []) {
    this.sqlite = new Database(file);
    this.sqlite.pragma('journal_mode = WAL');
    this.sqlite.pragma('synchronous = NORMAL');
    this.sqlite.pragma('busy_timeout = 5000');
    for (const spec of indexes) this.createIndex(spec);
  }

  close(): void {
    this.statements.clear();
    this.sqlite.close();
  }

  /** Fields with an index on `collection`: conditions on these may be pushed down to SQL. */
  indexed(collection: string): ReadonlySet<string> {
    return this.indexedFields.get(collection) ?? new Set();
  }

  getRaw(collection: string, id: string): string | null {
    return this.prepared(collection).get.get(id)?.data ?? null;
  }

  scan(collection: string, prefilter?: Prefilter | null): Row[] {
    this.prepared(collection);
    const where = prefilter?.clauses.length ? ` WHERE ${prefilter.clauses.join(' AND ')}` : '';
    const sql = `SELECT _id, data FROM ${tableName(collection)}${where}`;
    return this.sqlite.prepare<SqlValue[], Row>(sql).all(...(prefilter?.params ?? []));
  }

  /** `EXPLAIN QUERY PLAN` of the scan a prefilter produces (used by tests and diagnostics). */
  explain(collection: string, prefilter: Prefilter | null): string[] {
    this.prepared(collection);
    const where = prefilter?.clauses.length ? ` WHERE ${prefilter.clauses.join(' AND ')}` : '';
    const sql = `EXPLAIN QUERY PLAN SELECT _id, data FROM ${tableName(collection)}${where}`;
    const rows = this.sqlite.prepare<SqlValue[], { detail: string }>(sql).all(...(prefilter?.params ?? []));
    return rows.map((r) => r.detail);
  }

  countAll(collection: string): number {
    this.prepared(collection);
    const row = this.sqlite
      .prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM ${tableName(collection)}`)
      .get();
    return row?.n ?? 0;
  }

  /** Applies all mutations in one SQLite transaction: all or nothing. */
  apply(mutations: Mutation[]): void {
    if (mutations.length === 0) return;
    const run = this.sqlite.transaction((list: Mutation[]) => {
      for (const m of list) {
        const st = this.prepared(m.collection);
        if (m.data === null) st.remove.run(m.id);
        else st.upsert.run(m.id, m.data);
      }
    });
    try {
      run(mutations);
    } catch (error) {
      if (isConstraintError(error)) {
        throw new EngineError('DATABASE_DUPLICATE_WRITE', `E11000 duplicate key error: ${error.message}`);
      }
      throw error;
    }
  }

  collections(): string[] {
    const rows = this.sqlite
      .prepare<[], { name: string }>(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'c\\_%' ESCAPE '\\'",
      )
      .all();
    return rows.map((r) => r.name.slice(TABLE_PREFIX.length));
  }

  clear(): void {
    this.sqlite.transaction(() => {
      for (const name of this.collections()) this.sqlite.exec(`DELETE FROM ${tableName(name)}`);
    })();
  }

  private createIndex(spec: IndexSpec): void {
    this.prepared(spec.collection);
    const keys = spec.keys.map((k) => `${fieldExpression(k.field)}${k.direction === -1 ? ' DESC' : ''}`);
    const name = `"ix_${spec.collection}_${spec.name.replace(/"/g, '')}"`;
    const unique = spec.unique ? 'UNIQUE ' : '';
    this.sqlite.exec(
      `CREATE ${unique}INDEX IF NOT EXISTS ${name} ON ${tableName(spec.collection)} (${keys.join(', ')})`,
    );
    const fields = this.indexedFields.get(spec.collection) ?? new Set<string>();
    for (const k of spec.keys) fields.add(k.field);
    this.indexedFields.set(spec.collection, fields);
  }

  /** Creates the collection's table on first use and caches its statements. */
  private prepared(collection: string): Statements {
    let st = this.statements.get(collection);
    if (!st) {
      const table = tableName(collection);
      this.sqlite.exec(`CREATE TABLE IF NOT EXISTS ${table} (_id TEXT PRIMARY KEY, data TEXT NOT NULL)`);
      st = {
        get: this.sqlite.prepare<[string], Row>(`SELECT _id, data FROM ${table} WHERE _id = ?`),
        upsert: this.sqlite.prepare<[string, string]>(
          `INSERT INTO ${table} (_id, data) VALUES (?, ?) ON CONFLICT(_id) DO UPDATE SET data = excluded.data`,
        ),
        remove: this.sqlite.prepare<[string]>(`DELETE FROM ${table} WHERE _id = ?`),
      };
      this.statements.set(collection, st);
    }
    return st;
  }
}
