/**
 * Query pushdown: derives a SQL prefilter from the top-level conditions of a MongoDB-style query
 * that touch `_id` or an indexed field. The prefilter only has to be *implied* by the query (it may
 * let extra rows through); mingo always re-applies the full query for exact semantics. Indexed
 * fields are scalar by contract (see cloudfunctions/core/indexes.ts), so equality on the extracted
 * JSON value is equivalent to MongoDB equality for them.
 */
import { isPlainObject } from './ejson';
import { fieldExpression, type Prefilter, type SqlValue } from './store';

type Scalar = string | number | boolean;

function isScalar(value: unknown): value is Scalar {
  return (
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

/** `json_extract` yields 1/0 for JSON booleans. */
function toSql(value: Scalar): SqlValue {
  return typeof value === 'boolean' ? (value ? 1 : 0) : value;
}

const RANGE_OPERATORS: Record<string, string> = { $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' };

function addCondition(out: Prefilter, column: string, condition: unknown, isId: boolean): void {
  const bind = (v: Scalar): SqlValue => (isId ? String(v) : toSql(v));
  if (isScalar(condition)) {
    out.clauses.push(`${column} = ?`);
    out.params.push(bind(condition));
    return;
  }
  // Only operator objects ({ $eq, $in, $gt, ... }); a plain sub-document means exact-match.
  if (!isPlainObject(condition)) return;
  const entries = Object.entries(condition);
  if (entries.length === 0 || !entries.every(([k]) => k.startsWith('$'))) return;
  for (const [op, operand] of entries) {
    if (op === '$eq' && isScalar(operand)) {
      out.clauses.push(`${column} = ?`);
      out.params.push(bind(operand));
    } else if (op === '$in' && Array.isArray(operand) && operand.every(isScalar)) {
      if (operand.length === 0) {
        out.clauses.push('0');
      } else {
        out.clauses.push(`${column} IN (${operand.map(() => '?').join(', ')})`);
        out.params.push(...operand.map(bind));
      }
    } else if (op in RANGE_OPERATORS && !isId && typeof operand === 'number' && Number.isFinite(operand)) {
      // SQLite orders numbers before text, as MongoDB's type bracketing does; superset either way.
      out.clauses.push(`${column} ${RANGE_OPERATORS[op]} ?`);
      out.params.push(operand);
    }
  }
}

function collect(query: unknown, indexed: ReadonlySet<string>, out: Prefilter): void {
  if (!isPlainObject(query)) return;
  for (const [key, condition] of Object.entries(query)) {
    if (key === '$and' && Array.isArray(condition)) {
      for (const part of condition) collect(part, indexed, out);
    } else if (key === '_id') {
      addCondition(out, '_id', condition, true);
    } else if (indexed.has(key)) {
      addCondition(out, fieldExpression(key), condition, false);
    }
  }
}

/** Returns null when nothing can be pushed down (the caller then scans the collection). */
export function buildPrefilter(query: unknown, indexed: ReadonlySet<string>): Prefilter | null {
  const out: Prefilter = { clauses: [], params: [] };
  collect(query, indexed, out);
  return out.clauses.length > 0 ? out : null;
}
