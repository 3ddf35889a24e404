/**
 * Query pushdown: translates the top-level conditions of a MongoDB-style query that touch `_id` or
 * an indexed field into SQL, in two strengths.
 *
 * - `buildPrefilter`: every condition that translates, ANDed. It is implied by the query (a
 *   superset filter): the caller decodes those rows and mingo re-applies the full query.
 * - `buildPlan`: when EVERY condition translates exactly (and every sort field is `_id` or
 *   indexed), the whole read runs in SQLite: WHERE, ORDER BY (ties in natural order, like the
 *   mingo path), LIMIT/OFFSET or COUNT(*); only the returned rows are decoded.
 *
 * Exactness rests on the index contract (cloudfunctions/core/indexes.ts: indexed fields hold a
 * string, number or boolean, or are missing; this engine also copes with null) and on comparing the
 * type rank (`fieldRank`) together with the value (`fieldExpression`), which reproduces mingo's
 * semantics: equality and ranges only match values of the operand's type (`true` never equals 1,
 * `$gt: 5` never matches a string), `null` matches null and missing, and sorting orders
 * missing = null < numbers < strings < booleans.
 *
 * Translated exactly: equality (plain value or `$eq`) with a string, finite number, boolean or null;
 * `$in` of such values; `$gt/$gte/$lt/$lte` with a string, finite number or boolean; `$and` of
 * such queries; `_id` equality / `$in` with strings or numbers, `_id` ranges with a string. Everything else (`$ne`, `$nin`,
 * `$exists`, `$or`, regexes, Dates, sub-documents, non-indexed fields, ...) leaves the query on the
 * mingo path. On an array (multikey) field: equality and `$in` of non-null scalars, through the
 * index's element table (any element matches, as in MongoDB); sorting on it is not pushed down.
 */
import { isPlainObject } from './ejson';
import type { Order } from './engine';
import {
  fieldExpression,
  fieldRank,
  RANK,
  type IndexedFields,
  type Prefilter,
  type Select,
  type SqlValue,
} from './store';

type Scalar = string | number | boolean;

/** One translated condition; `exact` when it matches precisely what mingo matches. */
interface Clause {
  sql: string;
  params: SqlValue[];
  exact: boolean;
}

interface Translation {
  clauses: Clause[];
  /** Every condition of the query was translated. */
  complete: boolean;
}

function isScalar(value: unknown): value is Scalar {
  return (
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

function rankOf(value: Scalar): number {
  if (typeof value === 'string') return RANK.string;
  if (typeof value === 'number') return RANK.number;
  return RANK.boolean;
}

/** `json_extract` yields 1/0 for JSON booleans. */
function toSql(value: Scalar): SqlValue {
  return typeof value === 'boolean' ? (value ? 1 : 0) : value;
}

const RANGE_OPERATORS: Record<string, string> = { $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' };

const NEVER: Clause = { sql: '0', params: [], exact: true };

function placeholders(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}

/** Equality or `$in` on an indexed field: values grouped by type rank, groups ORed. */
function fieldIn(field: string, values: (Scalar | null)[]): Clause {
  if (values.length === 0) return NEVER;
  const rank = fieldRank(field);
  const expr = fieldExpression(field);
  const groups = new Map<number, SqlValue[]>();
  const parts: string[] = [];
  const params: SqlValue[] = [];
  let matchesNull = false;
  for (const v of values) {
    if (v === null) {
      matchesNull = true;
      continue;
    }
    const group = groups.get(rankOf(v)) ?? [];
    group.push(toSql(v));
    groups.set(rankOf(v), group);
  }
  // Missing and null both read as NULL and are both matched by a null condition.
  if (matchesNull) parts.push(`${rank} = ${RANK.nullish}`);
  for (const [r, group] of groups) {
    parts.push(
      group.length === 1
        ? `${rank} = ${r} AND ${expr} = ?`
        : `${rank} = ${r} AND ${expr} IN (${placeholders(group.length)})`,
    );
    params.push(...group);
  }
  const sql = parts.length === 1 ? parts[0]! : `(${parts.map((p) => `(${p})`).join(' OR ')})`;
  return { sql, params, exact: true };
}

/** `_id` equality or `$in`: the key column, checked against the document's own `_id` type. */
function idIn(values: unknown[]): Clause | null {
  if (values.length === 0) return NEVER;
  const strings: string[] = [];
  const numbers: string[] = [];
  for (const v of values) {
    if (typeof v === 'string') strings.push(v);
    else if (typeof v === 'number' && Number.isFinite(v)) numbers.push(String(v));
    else return null;
  }
  // The key is the id's text, so a numeric id 5 and a string id '5' share it; the type decides.
  const parts: string[] = [];
  if (strings.length > 0) {
    parts.push(`_id IN (${placeholders(strings.length)}) AND json_type(data, '$._id') = 'text'`);
  }
  if (numbers.length > 0) {
    parts.push(
      `_id IN (${placeholders(numbers.length)}) AND json_type(data, '$._id') IN ('integer', 'real')`,
    );
  }
  const sql = parts.length === 1 ? parts[0]! : `(${parts.map((p) => `(${p})`).join(' OR ')})`;
  return { sql, params: [...strings, ...numbers], exact: true };
}

/**
 * Equality or `$in` on an array (multikey) field: documents with an element (or a scalar value)
 * among the values, through the index's element table. Null is left to mingo (it also matches a
 * missing field).
 */
function arrayIn(elements: string, values: Scalar[]): Clause {
  if (values.length === 0) return NEVER;
  const groups = new Map<number, SqlValue[]>();
  for (const v of values) groups.set(rankOf(v), [...(groups.get(rankOf(v)) ?? []), toSql(v)]);
  const parts = [...groups].map(([r, group]) => `(rank = ${r} AND value IN (${placeholders(group.length)}))`);
  return {
    sql: `_id IN (SELECT id FROM ${elements} WHERE ${parts.join(' OR ')})`,
    params: [...groups.values()].flat(),
    exact: true,
  };
}

/** Translates a condition on an array field: only equality and `$in` of scalars. */
function translateArrayCondition(elements: string, condition: unknown, out: Clause[]): boolean {
  if (isScalar(condition)) {
    out.push(arrayIn(elements, [condition]));
    return true;
  }
  if (!isPlainObject(condition)) return false;
  const entries = Object.entries(condition);
  if (entries.length === 0) return false;
  let complete = true;
  for (const [op, operand] of entries) {
    if (op === '$eq' && isScalar(operand)) out.push(arrayIn(elements, [operand]));
    else if (op === '$in' && Array.isArray(operand) && operand.every(isScalar))
      out.push(arrayIn(elements, operand));
    else complete = false;
  }
  return complete;
}

function isEqualityOperand(value: unknown): value is Scalar | null {
  return value === null || isScalar(value);
}

/** Translates one field's condition; pushes what it can into `out`, returns whether all of it. */
function translateCondition(field: string, condition: unknown, isId: boolean, out: Clause[]): boolean {
  const equality = (value: Scalar | null): boolean => {
    if (!isId) {
      out.push(fieldIn(field, [value]));
      return true;
    }
    const clause = idIn([value]);
    if (clause) out.push(clause);
    return clause !== null;
  };
  if (isEqualityOperand(condition)) return equality(condition);
  // Only operator objects ({ $eq, $in, $gt, ... }); a plain sub-document means exact-match.
  if (!isPlainObject(condition)) return false;
  const entries = Object.entries(condition);
  if (entries.length === 0 || !entries.every(([k]) => k.startsWith('$'))) return false;
  let complete = true;
  for (const [op, operand] of entries) {
    if (op === '$eq' && isEqualityOperand(operand)) {
      complete = equality(operand) && complete;
    } else if (op === '$in' && Array.isArray(operand) && operand.every(isEqualityOperand)) {
      const clause = isId ? idIn(operand) : fieldIn(field, operand);
      if (clause) out.push(clause);
      else complete = false;
    } else if (op in RANGE_OPERATORS && isId && typeof operand === 'string') {
      // A string range on the key (keyset paging by _id): the key column, string ids only.
      out.push({
        sql: `_id ${RANGE_OPERATORS[op]} ? AND json_type(data, '$._id') = 'text'`,
        params: [operand],
        exact: true,
      });
    } else if (op in RANGE_OPERATORS && !isId && isScalar(operand)) {
      out.push({
        sql: `${fieldRank(field)} = ${rankOf(operand)} AND ${fieldExpression(field)} ${RANGE_OPERATORS[op]} ?`,
        params: [toSql(operand)],
        exact: true,
      });
    } else {
      complete = false;
    }
  }
  return complete;
}

function translate(query: unknown, indexed: IndexedFields, out: Clause[]): boolean {
  if (query === undefined || query === null) return true;
  if (!isPlainObject(query)) return false;
  let complete = true;
  for (const [key, condition] of Object.entries(query)) {
    if (key === '$and' && Array.isArray(condition) && condition.length > 0) {
      for (const part of condition) complete = translate(part, indexed, out) && complete;
    } else if (key === '_id') {
      complete = translateCondition(key, condition, true, out) && complete;
    } else if (!key.startsWith('$') && indexed.has(key)) {
      complete = translateCondition(key, condition, false, out) && complete;
    } else if (!key.startsWith('$') && indexed.arrays?.has(key)) {
      complete = translateArrayCondition(indexed.arrays.get(key)!, condition, out) && complete;
    } else {
      complete = false;
    }
  }
  return complete;
}

function analyze(query: unknown, indexed: IndexedFields): Translation {
  const clauses: Clause[] = [];
  const complete = translate(query, indexed, clauses);
  return { clauses, complete: complete && clauses.every((c) => c.exact) };
}

function toPrefilter(clauses: Clause[]): Prefilter {
  return { clauses: clauses.map((c) => c.sql), params: clauses.flatMap((c) => c.params) };
}

/** Returns null when nothing can be pushed down (the caller then scans the collection). */
export function buildPrefilter(query: unknown, indexed: IndexedFields): Prefilter | null {
  const { clauses } = analyze(query, indexed);
  return clauses.length > 0 ? toPrefilter(clauses) : null;
}

/** The exact SQL WHERE of a query, or null when some condition cannot be expressed exactly. */
export function buildWhere(query: unknown, indexed: IndexedFields): Prefilter | null {
  const { clauses, complete } = analyze(query, indexed);
  return complete ? toPrefilter(clauses) : null;
}

/**
 * ORDER BY terms for a sort, or null if a key is not indexed. Ties stay in natural order (rowid:
 * insertion order), as they do in the mingo path, whose sort is stable over rows read in rowid
 * order; so pages are stable and equal keys list first-come first.
 */
export function buildOrderBy(order: Order | undefined, indexed: ReadonlySet<string>): string[] | null {
  const terms: string[] = [];
  for (const [field, direction] of Object.entries(order ?? {})) {
    const dir = direction === -1 ? 'DESC' : 'ASC';
    if (field === '_id') {
      terms.push(`_id ${dir}`);
      return terms; // unique: later keys never matter
    }
    if (!indexed.has(field)) return null;
    terms.push(`${fieldRank(field)} ${dir}`, `${fieldExpression(field)} ${dir}`);
  }
  terms.push('rowid ASC');
  return terms;
}

/** The fully pushed-down read of a query, or null when it has to go through mingo. */
export function buildPlan(
  query: unknown,
  order: Order | undefined,
  indexed: IndexedFields,
  window: { limit?: number; offset?: number } = {},
): Select | null {
  const where = buildWhere(query, indexed);
  if (!where) return null;
  const orderBy = buildOrderBy(order, indexed);
  if (!orderBy) return null;
  return { where, orderBy, ...window };
}
