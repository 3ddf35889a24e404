/**
 * SQLite storage: one table per collection (`_id TEXT PRIMARY KEY, data TEXT` holding relaxed
 * EJSON), WAL journal. Durability is synchronous=FULL's, with the fsync moved off the event loop:
 * SQLite runs with synchronous=NORMAL (a commit writes its WAL frames but does not fsync them;
 * checkpoints still fsync the WAL first and the database after), and `sync()` fdatasyncs the WAL file
 * on libuv's thread pool. batch.ts answers a group of writes only after a `sync()` that started
 * after their commit has finished — so every acknowledged write survives a kill of the process
 * and a power loss, while the process goes on serving other requests during the fsync (a WAL is
 * written in order, so one fsync covers every commit before it).
 *
 * Declared indexes are indexes on key columns. Each key field has two columns of its own, kept
 * with the document: its type rank (`"r:<field>"`, from `rankExpression`: missing = null < number
 * < string < boolean, mingo's sort order) and its value (`"v:<field>"`, `json_extract`), so one
 * index answers typed equality, typed ranges and MongoDB-ordered sorts exactly (index entries end
 * with the rowid, the tiebreaker of equal sort keys); `pushdown.ts` names the same columns. SQLite
 * computes them from the text on insert, and a write that leaves every key field as it was
 * (`keysUnchanged`, e.g. a sign-up bumping an activity's count) replaces the text alone, so
 * SQLite maintains none of the collection's indexes for it. (Expression indexes on the text were
 * all re-evaluated on every update: a third of a sign-up's SQLite time.)
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { IndexSpec } from '../../../cloudfunctions/core/indexes';
import { Checkpointer } from './checkpointer';
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
  /** The stored text this write replaces, when the caller already read it (null = absent). */
  previous?: string | null;
  /** Set when the document exists and no key (indexed) field changes: only the text is written. */
  keysUnchanged?: boolean;
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

/**
 * Unique-index and primary-key violations, checked by code, not class: better-sqlite3's native
 * addon keeps the SqliteError class of the first module copy that loaded it, so under duplicate
 * module copies (e.g. Jest's per-file registries) its errors are not even `instanceof Error` here.
 */
function isConstraintError(error: unknown): error is { code: string; message: string } {
  if (typeof error !== 'object' || error === null) return false;
  const { code } = error as { code?: unknown };
  return typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT');
}

function whereSql(where: Prefilter): string {
  return where.clauses.length > 0 ? ` WHERE ${where.clauses.join(' AND ')}` : '';
}

function tableName(collection: string): string {
  if (!COLLECTION_NAME.test(collection)) {
    throw new EngineError('INVALID_PARAM', `invalid collection name: ${collection}`);
  }
  return `"${TABLE_PREFIX}${collection}"`;
}

function checkField(field: string): void {
  if (!FIELD_PATH.test(field)) throw new EngineError('INVALID_PARAM', `invalid index field: ${field}`);
}

/**
 * The key column holding a field's SQL value (JSON booleans read as 1/0, missing and null both as
 * NULL): `valueExpression` of the document. Only indexed fields have one.
 */
export function fieldExpression(field: string): string {
  checkField(field);
  return `"v:${field}"`;
}

/** The key column holding a field's type rank (`rankExpression` of the document). */
export function fieldRank(field: string): string {
  checkField(field);
  return `"r:${field}"`;
}

/** The SQL value of a field of the JSON text `doc`. */
function valueExpression(field: string, doc: string): string {
  checkField(field);
  return `json_extract(${doc}, '$.${field}')`;
}

/**
 * Type ranks of `fieldRank`, in mingo's (MongoDB's) sort order of types. Missing and null share a
 * rank: they sort as equals, and an equality with null matches both.
 */
export const RANK = { nullish: 1, number: 3, string: 4, object: 6, array: 7, boolean: 9 } as const;

/** The SQL type rank of a field of `doc`; with its value it orders and compares values like mingo. */
function rankExpression(field: string, doc: string): string {
  checkField(field);
  const t = `json_type(${doc}, '$.${field}')`;
  return (
    `(CASE ${t} WHEN 'integer' THEN ${RANK.number} WHEN 'real' THEN ${RANK.number}` +
    ` WHEN 'text' THEN ${RANK.string} WHEN 'true' THEN ${RANK.boolean} WHEN 'false' THEN ${RANK.boolean}` +
    ` WHEN 'object' THEN ${RANK.object} WHEN 'array' THEN ${RANK.array} ELSE ${RANK.nullish} END)`
  );
}

/**
 * Indexed fields of a collection; `arrays` maps each array (multikey) field to its element table
 * (`rank`, `value`, `id`: one row per scalar element, ranks as `fieldRank`).
 */
export type IndexedFields = ReadonlySet<string> & { arrays?: ReadonlyMap<string, string> };

/** The element table of an array index (quoted). */
export function arrayIndexTable(collection: string, name: string): string {
  tableName(collection); // validates the name
  return `"mk_${collection}_${name.replace(/"/g, '')}"`;
}

/** The rank of a `json_each` row's value, as `fieldRank` ranks a field (scalars only). */
const ELEMENT_RANK = `(CASE type WHEN 'integer' THEN ${RANK.number} WHEN 'real' THEN ${RANK.number} WHEN 'text' THEN ${RANK.string} ELSE ${RANK.boolean} END)`;
const ELEMENT_TYPES = "('integer', 'real', 'text', 'true', 'false')";

/** A complete read: exact WHERE, ORDER BY terms, and a page window. */
export interface Select {
  where: Prefilter;
  orderBy: string[];
  limit?: number;
  offset?: number;
}

const STATEMENT_CACHE_SIZE = 256;

interface Statements {
  /** The stored text of one document (plucked: no row object per read). */
  get: Database.Statement<[string], string>;
  /** Inserts or replaces a document, its key columns computed from the text. */
  upsert: Database.Statement<[{ id: string; data: string }]>;
  /** Replaces the text alone (no key field changed): no index of the collection is touched. */
  setData: Database.Statement<[string, string]>;
  remove: Database.Statement<[string]>;
}

export class Store {
  private readonly sqlite: Database.Database;
  private readonly statements = new Map<string, Statements>();
  private readonly indexedFields = new Map<string, IndexedFields>();
  private readonly cache = new Map<string, Database.Statement<SqlValue[]>>();
  /** Writes all or none (a savepoint inside a group commit); built once, not per call. */
  private readonly writeAll: (list: Mutation[]) => void;

  /** The WAL file `sync()` flushes; undefined for an in-memory database (nothing to flush). */
  private readonly walFile: string | undefined;
  private walHandle: fs.promises.FileHandle | undefined;
  private readonly checkpointer: Checkpointer | undefined;
  private closed = false;

  constructor(file: string, indexes: IndexSpec[] = []) {
    this.sqlite = new Database(file);
    this.sqlite.pragma('journal_mode = WAL');
    this.walFile = this.sqlite.memory ? undefined : `${this.sqlite.name}-wal`;
    // NORMAL + `sync()` after each group = FULL's guarantee without blocking the event loop.
    this.sqlite.pragma(this.walFile ? 'synchronous = NORMAL' : 'synchronous = FULL');
    if (this.walFile) {
      this.checkpointer = new Checkpointer(this.sqlite.name, (pages) =>
        this.sqlite.pragma(`wal_autocheckpoint = ${pages}`),
      );
    }
    this.sqlite.pragma('busy_timeout = 5000');
    this.writeAll = this.sqlite.transaction((list: Mutation[]) => {
      for (const m of list) this.write(m);
    });
    for (const spec of indexes) this.createIndex(spec);
    this.dropStaleIndexes(indexes);
    this.dropStaleKeyColumns();
  }

  /** Group commit (batch.ts): everything until `commit` is one SQLite transaction. */
  begin(): void {
    this.sqlite.exec('BEGIN');
  }

  commit(): void {
    this.sqlite.exec('COMMIT');
    this.checkpointer?.committed();
  }

  rollback(): void {
    if (this.sqlite.inTransaction) this.sqlite.exec('ROLLBACK');
  }

  /** Whether `sync()` has work to do (a file database). */
  get needsSync(): boolean {
    return this.walFile !== undefined;
  }

  /**
   * Makes every commit so far durable: fdatasyncs the WAL on the thread pool (any descriptor of the
   * file flushes its pages; one is kept open), and the directory once so the WAL's own entry is on
   * disk. A missing WAL means the database was closed, which checkpointed and synced everything.
   */
  async sync(): Promise<void> {
    if (!this.walFile || this.closed) return;
    if (this.walHandle === undefined) {
      try {
        this.walHandle = await fs.promises.open(this.walFile, 'r');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw error;
      }
      const dir = await fs.promises.open(path.dirname(this.walFile), 'r');
      try {
        await dir.sync();
      } finally {
        await dir.close();
      }
    }
    try {
      // fdatasync, as SQLite itself uses: the data and the size, without a journal commit for
      // the modification time on every group.
      await this.walHandle.datasync();
    } catch (error) {
      if (!this.closed) throw error; // closed meanwhile: closing synced everything
    }
  }

  close(): void {
    this.closed = true;
    this.checkpointer?.close();
    // Closing checkpoints the WAL into the database with fsyncs; the descriptor is then stale.
    void this.walHandle?.close().catch(() => {});
    this.walHandle = undefined;
    this.statements.clear();
    this.cache.clear();
    this.sqlite.close();
  }

  /**
   * Fields with an index on `collection`: conditions on these may be pushed down to SQL. Array
   * (multikey) fields are listed apart, in `arrays`, with their element tables.
   */
  indexed(collection: string): IndexedFields {
    return this.indexedFields.get(collection) ?? new Set();
  }

  private fieldsOf(collection: string): IndexedFields & Set<string> {
    let fields = this.indexedFields.get(collection) as (IndexedFields & Set<string>) | undefined;
    if (!fields) this.indexedFields.set(collection, (fields = new Set<string>()));
    return fields;
  }

  getRaw(collection: string, id: string): string | null {
    return this.prepared(collection).get.get(id) ?? null;
  }

  /** Rows passing the prefilter, in natural (insertion, i.e. rowid) order. */
  scan(collection: string, prefilter?: Prefilter | null): Row[] {
    return this.select(collection, { where: prefilter ?? { clauses: [], params: [] }, orderBy: [] });
  }

  /** Runs a fully pushed-down read; an empty `orderBy` means natural (rowid) order. */
  select(collection: string, query: Select): Row[] {
    const [sql, params] = this.selectSql(collection, query);
    return this.statement(sql).all(...params) as Row[];
  }

  /** `SELECT COUNT(*)` of the rows an exact WHERE matches. */
  count(collection: string, where: Prefilter): number {
    const sql = `SELECT COUNT(*) AS n FROM ${this.table(collection)}${whereSql(where)}`;
    const row = this.statement(sql).get(...where.params) as { n: number } | undefined;
    return row?.n ?? 0;
  }

  /** `EXPLAIN QUERY PLAN` of a read (used by tests and diagnostics). */
  explain(collection: string, query: Select): string[] {
    const [sql, params] = this.selectSql(collection, query);
    const rows = this.sqlite
      .prepare<SqlValue[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
      .all(...params);
    return rows.map((r) => r.detail);
  }

  countAll(collection: string): number {
    const row = this.statement(`SELECT COUNT(*) AS n FROM ${this.table(collection)}`).get() as
      { n: number } | undefined;
    return row?.n ?? 0;
  }

  /** Applies all mutations in one SQLite transaction: all or nothing. */
  apply(mutations: Mutation[]): void {
    if (mutations.length === 0) return;
    try {
      // One mutation is one statement (two only when the first wrote nothing): atomic without
      // the savepoint a group of them needs.
      if (mutations.length === 1) this.write(mutations[0]!);
      else this.writeAll(mutations);
    } catch (error) {
      if (isConstraintError(error)) {
        throw new EngineError('DATABASE_DUPLICATE_WRITE', `E11000 duplicate key error: ${error.message}`);
      }
      throw error;
    }
  }

  private write(m: Mutation): void {
    const st = this.prepared(m.collection);
    if (m.data === null) st.remove.run(m.id);
    else if (!m.keysUnchanged || st.setData.run(m.data, m.id).changes === 0)
      st.upsert.run({ id: m.id, data: m.data });
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

  private selectSql(collection: string, query: Select): [string, SqlValue[]] {
    const table = this.table(collection);
    const where = whereSql(query.where);
    const orderBy = ` ORDER BY ${query.orderBy.length > 0 ? query.orderBy.join(', ') : 'rowid'}`;
    if (query.limit === undefined && (query.offset ?? 0) === 0) {
      return [`SELECT _id, data FROM ${table}${where}${orderBy}`, query.where.params];
    }
    // Late row lookup: the page is chosen from the index alone (rowids), then only its rows are
    // read; otherwise every row SQLite sorts or skips past would be fetched from the table.
    const page = `SELECT rowid FROM ${table}${where}${orderBy} LIMIT ? OFFSET ?`;
    return [
      `SELECT _id, data FROM ${table} WHERE rowid IN (${page})${orderBy}`,
      [...query.where.params, query.limit ?? -1, query.offset ?? 0],
    ];
  }

  private table(collection: string): string {
    this.prepared(collection);
    return tableName(collection);
  }

  /** Prepared statements by SQL text (pushdown produces a small set of shapes). */
  private statement(sql: string): Database.Statement<SqlValue[]> {
    let st = this.cache.get(sql);
    if (!st) {
      if (this.cache.size >= STATEMENT_CACHE_SIZE) this.cache.clear();
      st = this.sqlite.prepare<SqlValue[]>(sql);
      this.cache.set(sql, st);
    }
    return st;
  }

  private indexName(spec: IndexSpec): string {
    return `ix_${spec.collection}_${spec.name.replace(/"/g, '')}`;
  }

  private createIndex(spec: IndexSpec): void {
    if (spec.keys.some((k) => k.array)) {
      this.createArrayIndex(spec);
      return;
    }
    const table = this.table(spec.collection);
    this.ensureKeyColumns(
      spec.collection,
      spec.keys.map((k) => k.field),
    );
    const columns: string[] = [];
    for (const k of spec.keys) {
      const dir = k.direction === -1 ? ' DESC' : '';
      columns.push(`${fieldRank(k.field)}${dir}`, `${fieldExpression(k.field)}${dir}`);
    }
    const name = this.indexName(spec);
    const unique = spec.unique ? 'UNIQUE ' : '';
    const sql = `CREATE ${unique}INDEX "${name}" ON ${table} (${columns.join(', ')})`;
    const existing = this.sqlite
      .prepare<[string], { sql: string | null }>(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?",
      )
      .get(name);
    if (existing?.sql !== sql) {
      // Created by an older engine with other expressions (or keys changed): rebuild it.
      if (existing) this.sqlite.exec(`DROP INDEX "${name}"`);
      this.sqlite.exec(sql);
    }
  }

  /**
   * Adds the key columns of `fields` that the table lacks, filled from the documents, and has the
   * collection's statements prepared again with them.
   */
  private ensureKeyColumns(collection: string, fields: string[]): void {
    const table = this.table(collection);
    const known = this.fieldsOf(collection);
    const fresh = [...new Set(fields)].filter((f) => !known.has(f));
    if (fresh.length === 0) return;
    const columns = this.columnsOf(collection);
    const missing = fresh.filter((f) => !columns.has(`v:${f}`));
    if (missing.length > 0) {
      this.sqlite.transaction(() => {
        for (const f of missing) {
          this.sqlite.exec(`ALTER TABLE ${table} ADD COLUMN ${fieldRank(f)}`);
          this.sqlite.exec(`ALTER TABLE ${table} ADD COLUMN ${fieldExpression(f)}`);
        }
        const sets = missing.map(
          (f) =>
            `${fieldRank(f)} = ${rankExpression(f, 'data')}, ${fieldExpression(f)} = ${valueExpression(f, 'data')}`,
        );
        this.sqlite.exec(`UPDATE ${table} SET ${sets.join(', ')}`);
      })();
    }
    for (const f of fresh) known.add(f);
    this.statements.delete(collection);
  }

  private columnsOf(collection: string): Set<string> {
    const rows = this.sqlite
      .prepare<[string], { name: string }>('SELECT name FROM pragma_table_info(?)')
      .all(`${TABLE_PREFIX}${collection}`);
    return new Set(rows.map((r) => r.name));
  }

  /**
   * Drops key columns of fields no longer indexed: nothing keeps them current, and a stale column
   * must not be taken for a filled one if the field is indexed again.
   */
  private dropStaleKeyColumns(): void {
    for (const collection of this.collections()) {
      const known = this.indexed(collection);
      const stale = [...this.columnsOf(collection)].filter(
        (c) => (c.startsWith('r:') || c.startsWith('v:')) && !known.has(c.slice(2)),
      );
      if (stale.length === 0) continue;
      // Indexes on them are undeclared too (e.g. the collection declares no index any more).
      const indexes = this.sqlite
        .prepare<[string], { name: string; sql: string | null }>(
          "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?",
        )
        .all(`${TABLE_PREFIX}${collection}`);
      for (const { name, sql } of indexes) {
        if (stale.some((c) => sql?.includes(`"${c}"`))) this.sqlite.exec(`DROP INDEX "${name}"`);
      }
      for (const c of stale) this.sqlite.exec(`ALTER TABLE ${tableName(collection)} DROP COLUMN "${c}"`);
      this.statements.delete(collection);
    }
  }

  /**
   * A multikey index: an element table (rank, value, document id) kept by triggers on the
   * collection's table — one row per distinct scalar element of the array (or the value itself
   * when the field holds a scalar), so equality and `$in` find documents through the element
   * table's primary key. Rebuilt from the documents when first created.
   */
  private createArrayIndex(spec: IndexSpec): void {
    const [key, ...rest] = spec.keys;
    if (!key || rest.length > 0 || spec.unique)
      throw new EngineError('INVALID_PARAM', `array index ${spec.name} must have one key and not be unique`);
    checkField(key.field);
    const table = this.table(spec.collection);
    const elements = arrayIndexTable(spec.collection, spec.name);
    const path = `'$.${key.field}'`;
    const rows = (doc: string) =>
      `SELECT ${ELEMENT_RANK}, value, ${doc}._id FROM json_each(${doc}.data, ${path}) WHERE type IN ${ELEMENT_TYPES}`;
    const triggers = ['ins', 'upd', 'del'].map((t) => `${elements.slice(0, -1)}_${t}"`);
    const fresh = !this.sqlite
      .prepare<[string], { name: string }>(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name = ?",
      )
      .get(triggers[0]!.slice(1, -1));
    if (fresh) {
      this.sqlite.transaction(() => {
        this.sqlite.exec(
          `CREATE TABLE IF NOT EXISTS ${elements} (rank INTEGER NOT NULL, value NOT NULL, id TEXT NOT NULL,` +
            ` PRIMARY KEY (rank, value, id)) WITHOUT ROWID`,
        );
        this.sqlite.exec(`CREATE INDEX IF NOT EXISTS ${elements.slice(0, -1)}_id" ON ${elements} (id)`);
        this.sqlite.exec(`DELETE FROM ${elements}`);
        this.sqlite.exec(
          `INSERT OR IGNORE INTO ${elements} ${rows('t').replace('FROM json_each', `FROM ${table} AS t, json_each`)}`,
        );
        this.sqlite.exec(
          `CREATE TRIGGER ${triggers[0]} AFTER INSERT ON ${table} BEGIN` +
            ` INSERT OR IGNORE INTO ${elements} ${rows('NEW')}; END`,
        );
        this.sqlite.exec(
          `CREATE TRIGGER ${triggers[1]} AFTER UPDATE OF data ON ${table} BEGIN` +
            ` DELETE FROM ${elements} WHERE id = OLD._id;` +
            ` INSERT OR IGNORE INTO ${elements} ${rows('NEW')}; END`,
        );
        this.sqlite.exec(
          `CREATE TRIGGER ${triggers[2]} AFTER DELETE ON ${table} BEGIN` +
            ` DELETE FROM ${elements} WHERE id = OLD._id; END`,
        );
      })();
    }
    const fields = this.fieldsOf(spec.collection);
    const arrays = new Map(fields.arrays ?? []);
    arrays.set(key.field, elements);
    fields.arrays = arrays;
  }

  /** Drops engine indexes (and array-index tables) no longer declared on collections that declare indexes. */
  private dropStaleIndexes(indexes: IndexSpec[]): void {
    const declared = new Set(indexes.map((spec) => this.indexName(spec)));
    const declaredArrays = new Set(
      indexes.filter((s) => s.keys.some((k) => k.array)).map((s) => arrayIndexTable(s.collection, s.name)),
    );
    for (const collection of new Set(indexes.map((spec) => spec.collection))) {
      const rows = this.sqlite
        .prepare<[string], { name: string; type: string }>(
          "SELECT name, type FROM sqlite_master WHERE type IN ('index', 'trigger') AND tbl_name = ?",
        )
        .all(`${TABLE_PREFIX}${collection}`);
      for (const { name, type } of rows) {
        if (type === 'index' && name.startsWith(`ix_${collection}_`) && !declared.has(name))
          this.sqlite.exec(`DROP INDEX "${name}"`);
        const owner = `"${name.replace(/_(ins|upd|del)$/, '')}"`;
        if (type === 'trigger' && name.startsWith(`mk_${collection}_`) && !declaredArrays.has(owner)) {
          this.sqlite.exec(`DROP TRIGGER "${name}"`);
          this.sqlite.exec(`DROP TABLE IF EXISTS ${owner}`);
        }
      }
    }
  }

  /** Creates the collection's table on first use and caches its statements. */
  private prepared(collection: string): Statements {
    let st = this.statements.get(collection);
    if (!st) {
      const table = tableName(collection);
      this.sqlite.exec(`CREATE TABLE IF NOT EXISTS ${table} (_id TEXT PRIMARY KEY, data TEXT NOT NULL)`);
      const keys = [...this.indexed(collection)].flatMap((f) => [
        [fieldRank(f), rankExpression(f, '@data')],
        [fieldExpression(f), valueExpression(f, '@data')],
      ]);
      const names = ['_id', 'data', ...keys.map(([column]) => column)].join(', ');
      const values = ['@id', '@data', ...keys.map(([, value]) => value)].join(', ');
      const updates = ['data', ...keys.map(([column]) => column)].map((c) => `${c} = excluded.${c}`);
      st = {
        get: this.sqlite.prepare<[string], string>(`SELECT data FROM ${table} WHERE _id = ?`).pluck(),
        upsert: this.sqlite.prepare<[{ id: string; data: string }]>(
          `INSERT INTO ${table} (${names}) VALUES (${values}) ON CONFLICT(_id) DO UPDATE SET ${updates.join(', ')}`,
        ),
        setData: this.sqlite.prepare<[string, string]>(`UPDATE ${table} SET data = ? WHERE _id = ?`),
        remove: this.sqlite.prepare<[string]>(`DELETE FROM ${table} WHERE _id = ?`),
      };
      this.statements.set(collection, st);
    }
    return st;
  }
}
