/**
 * Update operators. The common shapes — `$set`, `$inc` and `$unset` of plain fields and nested
 * object paths — are applied directly; anything else (array positions, `$push`, `$pull`,
 * `$addToSet`, type errors to report, ...) goes to mingo, which implements MongoDB's semantics.
 */
import { update as mingoUpdate } from 'mingo';
import { isPlainObject, type Doc } from './ejson';

type AnyObject = Record<string, unknown>;

const DIRECT = new Set(['$set', '$inc', '$unset']);
/** Path segments that need mingo: array indexes, positional operators, empty segments. */
const PLAIN_SEGMENT = /^[^$.\d][^.]*$/;

/** The parent object of `path` in `doc` (created when `create`), or undefined if not a plain path. */
function parentOf(doc: Doc, segments: string[], create: boolean): Doc | undefined {
  let node: Doc = doc;
  for (let i = 0; i < segments.length - 1; i++) {
    const key = segments[i] as string;
    const child = node[key];
    if (child === undefined && create) node = node[key] = {};
    else if (isPlainObject(child)) node = child;
    else return undefined;
  }
  return node;
}

/** Tries the direct path; false (with `doc` untouched) when mingo must do it. */
function applyDirect(doc: Doc, update: Doc): boolean {
  const steps: (() => void)[] = [];
  const paths: string[] = [];
  for (const [op, fields] of Object.entries(update)) {
    if (!DIRECT.has(op) || !isPlainObject(fields)) return false;
    for (const [path, value] of Object.entries(fields)) {
      // Overlapping paths are an error in MongoDB: leave reporting it to mingo.
      if (paths.some((p) => p === path || p.startsWith(`${path}.`) || path.startsWith(`${p}.`))) return false;
      paths.push(path);
      const segments = path.split('.');
      if (!segments.every((s) => PLAIN_SEGMENT.test(s)) || path === '_id') return false;
      const last = segments[segments.length - 1] as string;
      const existing = parentOf(doc, segments, false);
      if (op === '$unset') {
        steps.push(() => {
          if (existing) delete existing[last];
        });
        continue;
      }
      // Creating a missing parent is fine; a parent that is a scalar or an array is mingo's case.
      if (!existing && segments.length > 1 && !canCreate(doc, segments)) return false;
      if (op === '$inc') {
        const current = existing?.[last];
        if (typeof value !== 'number' || (current !== undefined && typeof current !== 'number')) return false;
        steps.push(() => {
          const parent = parentOf(doc, segments, true) as Doc;
          parent[last] = ((parent[last] as number | undefined) ?? 0) + value;
        });
      } else {
        steps.push(() => {
          (parentOf(doc, segments, true) as Doc)[last] = value;
        });
      }
    }
  }
  for (const step of steps) step();
  return true;
}

/** True when every missing ancestor of the path can be created (no scalar or array in the way). */
function canCreate(doc: Doc, segments: string[]): boolean {
  let node: unknown = doc;
  for (let i = 0; i < segments.length - 1; i++) {
    if (node === undefined) return true;
    if (!isPlainObject(node)) return false;
    node = node[segments[i] as string];
  }
  return node === undefined || isPlainObject(node);
}

/** Applies a MongoDB update document (operators only) to `doc`, in place. */
export function applyUpdate(doc: Doc, update: Doc): void {
  if (applyDirect(doc, update)) return;
  mingoUpdate(doc as AnyObject, update as AnyObject);
}
