/**
 * EJSON helpers. The query builder sends canonical EJSON strings; documents are stored as relaxed
 * EJSON so that plain numbers and strings stay plain JSON (which `json_extract` indexes can read)
 * while Dates, ObjectIds, etc. still round-trip.
 */
import { BSONRegExp, EJSON } from 'bson';

export type Doc = Record<string, unknown>;

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export function encodeDoc(doc: Doc): string {
  return EJSON.stringify(doc, { relaxed: true });
}

/** Most stored documents contain no EJSON wrappers: plain JSON.parse is several times faster. */
export function decodeDoc(text: string): Doc {
  return (text.includes('"$') ? EJSON.parse(text, { relaxed: true }) : JSON.parse(text)) as Doc;
}

/** JS RegExp supports a subset of MongoDB's regex options. */
function toRegExp(value: BSONRegExp): RegExp {
  const flags = [...value.options].filter((f) => 'imsu'.includes(f)).join('');
  return new RegExp(value.pattern, flags);
}

/**
 * Turns a value decoded from the query builder into what mingo understands: BSON regexes become JS
 * RegExps and `db.serverDate()` placeholders (`{ $tcb_server_date: { offset } }`) become Dates.
 */
export function revive(value: unknown, now: number): unknown {
  if (value instanceof BSONRegExp) return toRegExp(value);
  if (Array.isArray(value)) return value.map((item) => revive(item, now));
  if (!isPlainObject(value)) return value;
  const serverDate = value.$tcb_server_date;
  if (Object.keys(value).length === 1 && isPlainObject(serverDate)) {
    const offset = typeof serverDate.offset === 'number' ? serverDate.offset : 0;
    return new Date(now + offset);
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = revive(item, now);
  return out;
}

/** Parses one EJSON parameter from the query builder (string, or already an object) and revives it. */
export function decodeParam(param: unknown, now: number): unknown {
  if (param === undefined || param === null || param === '') return undefined;
  const parsed: unknown = typeof param === 'string' ? EJSON.parse(param, { relaxed: true }) : param;
  return revive(parsed, now);
}

/** Deep copy that keeps BSON types (structuredClone would drop their prototypes). */
export function cloneDoc(doc: Doc): Doc {
  return decodeDoc(encodeDoc(doc));
}
