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
  return isPlainJson(doc) ? JSON.stringify(doc) : EJSON.stringify(doc, { relaxed: true });
}

/**
 * True when relaxed EJSON of `value` is its plain JSON: only plain objects, arrays, strings,
 * booleans, null and finite numbers other than -0 (which EJSON wraps), and no undefined. Most
 * documents are like that, and JSON.stringify is several times faster than the bson library.
 */
function isPlainJson(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0);
    case 'object': {
      if (value === null) return true;
      if (Array.isArray(value)) {
        for (const item of value) if (!isPlainJson(item)) return false;
        return true;
      }
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return false;
      for (const key in value) if (!isPlainJson((value as Record<string, unknown>)[key])) return false;
      return true;
    }
    default:
      return false;
  }
}

/** Most stored documents contain no EJSON wrappers: plain JSON.parse is several times faster. */
export function decodeDoc(text: string): Doc {
  return (text.includes('"$') ? parseEjson(text, 0) : JSON.parse(text)) as Doc;
}

/** Thrown by the fast reviver for an EJSON type it leaves to the bson library. */
const UNHANDLED = Symbol('unhandled EJSON type');

/**
 * EJSON.parse (relaxed) plus `revive`, for the types this app sends — numbers, dates, regexes and
 * `db.serverDate()` — with JSON.parse and a reviver, which is several times faster than the bson
 * library; any other EJSON type (ObjectId, Decimal128, Binary, ...) falls back to the library.
 */
function parseEjson(text: string, now: number): unknown {
  if (!text.includes('"$')) return JSON.parse(text) as unknown;
  // Numbers are the only EJSON most requests carry ({"$numberInt":"5"} in the query builder's
  // canonical form): written back as plain JSON numbers, the text often needs no reviver at all.
  // (A `{"` cannot occur inside a JSON string, whose quotes are escaped, so only wrappers match.)
  const plain = text.includes('"$number') ? text.replace(NUMBER_WRAPPER, '$1') : text;
  if (!EJSON_KEY.test(plain)) return JSON.parse(plain) as unknown;
  try {
    reviverNow = now;
    return JSON.parse(text, reviveEjson) as unknown;
  } catch (error) {
    if (error !== UNHANDLED) throw error;
    return revive(EJSON.parse(text, { relaxed: true }), now);
  }
}

/** The clock `reviveEjson` gives `db.serverDate()` (set just before each parse: parsing is synchronous). */
let reviverNow = 0;

/** JSON.parse reviver for EJSON wrappers (one module-level function: no closure per parse). */
function reviveEjson(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const obj = value as Record<string, unknown>;
  let only: string | undefined;
  for (const key in obj) {
    if (only !== undefined) return value; // two or more keys: not an EJSON wrapper
    only = key;
  }
  if (only === undefined || only.charCodeAt(0) !== 36 /* $ */) return value;
  const inner = obj[only];
  switch (only) {
    case '$numberInt':
    case '$numberDouble':
    case '$numberLong':
      if (typeof inner !== 'string') throw UNHANDLED;
      return Number(inner);
    case '$date':
      if (typeof inner !== 'number' && typeof inner !== 'string') throw UNHANDLED;
      return new Date(inner);
    case '$regularExpression': {
      const re = inner as { pattern?: unknown; options?: unknown };
      if (typeof re?.pattern !== 'string' || typeof re.options !== 'string') throw UNHANDLED;
      return toRegExp(new BSONRegExp(re.pattern, re.options));
    }
    case '$tcb_server_date': {
      const offset = (inner as { offset?: unknown } | null)?.offset;
      return new Date(reviverNow + (typeof offset === 'number' ? offset : 0));
    }
    default:
      // Query and update operators ($gt, $inc, ...) are plain keys; other EJSON types are not.
      if (EJSON_TYPES.has(only)) throw UNHANDLED;
      return value;
  }
}

const NUMBER_WRAPPER = /\{"\$number(?:Int|Long|Double)":"(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)"\}/g;

/** Any key the reviver handles, or leaves to the library (`$regex` is also a query operator). */
const EJSON_KEY =
  /"\$(?:numberInt|numberLong|numberDouble|date|regularExpression|tcb_server_date|oid|binary|uuid|numberDecimal|timestamp|symbol|code|minKey|maxKey|dbPointer|undefined|regex)"/;

const EJSON_TYPES = new Set([
  '$oid',
  '$binary',
  '$uuid',
  '$numberDecimal',
  '$timestamp',
  '$symbol',
  '$code',
  '$minKey',
  '$maxKey',
  '$dbPointer',
  '$undefined',
  '$regex',
]);

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
  if (typeof param === 'string') return parseEjson(param, now);
  return revive(param, now);
}

/** Deep copy that keeps BSON types (structuredClone would drop their prototypes). */
export function cloneDoc(doc: Doc): Doc {
  return decodeDoc(encodeDoc(doc));
}
