/**
 * The one data-access module. Handlers reach the database only through these helpers, which wrap
 * the CloudBase database API of whatever runtime is installed (CloudBase in production, the
 * embedded engine locally). Keep it small: it is a seam, not an ORM.
 */
import { randomUUID } from 'node:crypto';
import { conflict, notFound } from './errors';
import { runtime } from './runtime';
import type { Database } from './db-types';

export type { Database };

export const db = (): Database => runtime().db;
export const cmd = () => runtime().db.command;
export const collection = (name: CollectionName) => runtime().db.collection(name);

/** Every collection the app uses; indexes are declared per collection in ./indexes. */
export type CollectionName =
  | 'users'
  | 'streets'
  | 'communities'
  | 'units'
  | 'sites'
  | 'activities'
  | 'signups'
  // worker notices to participants, per-person yearly no-show counts (activity/notices.ts)
  | 'notices'
  | 'no_show_counts'
  | 'outbox'
  | 'jobs'
  | 'messages'
  | 'subscriptions'
  | 'dev_sink'
  | 'grievances'
  | 'grievance_stats'
  // dashboards: sharded counters per community × month, active-volunteer markers (report/dashboard)
  | 'dashboard_stats'
  | 'dashboard_marks'
  | 'counters'
  // Party organisation life (cloudfunctions/branch)
  | 'branches'
  | 'branch_members'
  | 'branch_holders'
  | 'branch_meetings'
  | 'branch_attendance'
  | 'branch_periods'
  | 'branch_member_years'
  | 'branch_areas'
  | 'member_directory'
  | 'files'
  // regional alliance
  | 'unit_invites'
  | 'needs'
  | 'resources'
  | 'resource_requests'
  | 'projects'
  | 'project_claims'
  | 'project_ratings'
  | 'member_reports'
  | 'report_heads'
  | 'alliance_settings'
  | 'activity_proposals'
  // volunteer service and points
  | 'volunteers'
  | 'volunteer_ids'
  | 'volunteer_settings'
  | 'service_accounts'
  | 'service_hours'
  | 'hour_totals'
  | 'points_ledger'
  | 'audit_log'
  | 'makeup_requests'
  | 'corrections'
  | 'services'
  | 'certificates'
  | 'goods'
  | 'redemptions'
  // reports (Excel exports)
  | 'exports'
  | 'export_chunks'
  // public board (cloudfunctions/board) and 阵地 booking (cloudfunctions/sites)
  | 'board_notices'
  | 'booking_sites'
  | 'site_bookings'
  | 'site_slots'
  // service requests (微心愿) and ratings
  | 'service_requests'
  | 'service_settings'
  | 'activity_ratings';

/** `doc(id).get()` returns `{ data: [doc] }` on CloudBase; unwrap it (undefined when missing). */
export async function getById<T>(name: CollectionName, id: string): Promise<T | undefined> {
  try {
    const res = await collection(name).doc(id).get();
    const data = (res as { data?: unknown }).data;
    const doc = Array.isArray(data) ? data[0] : data;
    return (doc ?? undefined) as T | undefined;
  } catch (err) {
    // CloudBase throws for a missing document in some SDK versions; treat it as absent.
    if (isNotExist(err)) return undefined;
    throw err;
  }
}

function isNotExist(err: unknown): boolean {
  const code = (err as { code?: string } | undefined)?.code ?? '';
  return /DOCUMENT_NOT_EXIST|not\s*exist/i.test(code + String((err as Error)?.message ?? ''));
}

/** How long a transaction keeps retrying conflicts before the caller is told to try again
 *  (well inside the 10 s function timeout). */
const TRANSACTION_RETRY_MS = 6000;

/**
 * Run `fn` in a database transaction; an error thrown inside rolls everything back. Inside, use
 * only the single-document operations of `t`: CloudBase forbids `where` writes in transactions.
 *
 * Transactions are optimistic (snapshot reads; the second of two transactions writing one
 * document fails at commit). A conflict runs `fn` again after a short random backoff, so that
 * callers crowding one document (a popular activity, one goods item) take turns instead of
 * colliding again at once; after TRANSACTION_RETRY_MS the caller gets CONFLICT (409).
 * An invariant must live in a document the transaction writes: documents only read are not
 * checked at commit.
 */
export async function transaction<T>(fn: (t: TxDocs) => Promise<T>, opts: { hot?: string } = {}): Promise<T> {
  // `times = 0`: the query builder's own immediate retries are replaced by the loop below.
  const run = db().runTransaction as (cb: (t: unknown) => Promise<T>, times: number) => Promise<T>;
  const deadline = Date.now() + TRANSACTION_RETRY_MS;
  for (let attempt = 1; ; attempt++) {
    const release = opts.hot === undefined ? () => {} : await takeHotSlot(opts.hot);
    const started = Date.now();
    try {
      const usersWritten = new Set<string>();
      const result = await run.call(
        db(),
        async (t) => {
          try {
            return await fn(txDocs(t, usersWritten));
          } finally {
            // After the query builder has sent the commit (it does so within these microtasks).
            process.nextTick(release);
          }
        },
        0,
      );
      // Forget written users once the commit is visible (not before: a call reading a user while
      // the transaction is open would cache the old roles again).
      for (const openid of usersWritten) onUserWrite(openid);
      return result;
    } catch (err) {
      release();
      if (!isTransactionConflict(err)) throw err;
      if (Date.now() >= deadline) throw busy();
      // Full jitter over a window that grows with each loss, scaled by how long an attempt takes
      // (about a millisecond locally, tens of milliseconds on CloudBase), at most 100 ms.
      const attemptMs = Math.max(1, Date.now() - started);
      const window = Math.min(100, attemptMs * attempt);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * window));
    }
  }
}

/**
 * Transactions of one instance that write the same hot document (`hot`: e.g. the activity every
 * sign-up updates) run one at a time; the others queue in arrival order. Calls of one instance
 * crowding one document would otherwise mostly abort each other and retry (each loser costing a
 * whole transaction: with two at a time a third of the attempts were lost and the slowest waited
 * seconds). Across instances the database's conflict detection still decides.
 *
 * The slot passes on once the holder's work is done and its commit is on its way, not when the
 * commit is answered: the next transaction's snapshot is taken by its first read (as MongoDB
 * does), which reaches the database after that commit, so it sees the commit and does not
 * conflict, while the wait for the disk (fsync) overlaps with its work. A commit that loses a
 * conflict anyway retries from the back of the line.
 *
 * `setHotSlots` lets a test play many instances at once (no queue), so that race tests exercise
 * that conflict detection rather than this queue.
 */
let hotSlots = 1;
const hotQueues = new Map<string, { active: number; waiting: (() => void)[] }>();

/** How many transactions per hot key one instance runs at once (returns the previous value). */
export function setHotSlots(slots: number): number {
  const previous = hotSlots;
  hotSlots = Math.max(1, slots);
  return previous;
}

async function takeHotSlot(key: string): Promise<() => void> {
  let q = hotQueues.get(key);
  if (!q) hotQueues.set(key, (q = { active: 0, waiting: [] }));
  if (q.active >= hotSlots) await new Promise<void>((resolve) => q!.waiting.push(resolve));
  else q.active += 1;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const next = q!.waiting.shift();
    if (next)
      next(); // the slot passes straight to the next in line
    else if (--q!.active === 0) hotQueues.delete(key);
  };
}

/** What a caller sees when a transaction keeps losing to concurrent ones. */
export const busy = () => conflict('当前操作的人较多，请稍后重试');

/** A write conflict between concurrent transactions (CloudBase's code; MongoDB's WriteConflict). */
export function isTransactionConflict(err: unknown): boolean {
  const { code, message } = (err ?? {}) as { code?: unknown; message?: unknown };
  return (
    code === 'DATABASE_TRANSACTION_CONFLICT' ||
    (typeof message === 'string' && /WriteConflict|transaction conflict/i.test(message))
  );
}

/** Typed single-document helpers over a transaction. */
export interface TxDocs {
  get<T>(name: CollectionName, id: string): Promise<T | undefined>;
  set(name: CollectionName, id: string, doc: Record<string, unknown>): Promise<void>;
  update(name: CollectionName, id: string, patch: Record<string, unknown>): Promise<void>;
}

/**
 * Called once a user document has been written, so the guard's per-instance caller cache forgets it
 * (set by guard.ts; kept as a hook so that this module does not import the guard).
 */
let onUserWrite: (openid: string) => void = () => {};
export function onUserDocumentWrite(hook: (openid: string) => void): void {
  onUserWrite = hook;
}

/** Writes a user document outside a transaction (and forgets the cached caller). */
export async function updateUser(openid: string, patch: Record<string, unknown>): Promise<void> {
  await collection('users').doc(openid).update(patch);
  onUserWrite(openid);
}

function txDocs(t: unknown, usersWritten: Set<string>): TxDocs {
  // The transaction object mirrors the database API for single documents.
  const tx = t as unknown as {
    collection(n: string): {
      doc(id: string): {
        get(): Promise<{ data: unknown }>;
        set(d: unknown): Promise<unknown>;
        update(d: unknown): Promise<unknown>;
      };
    };
  };
  return {
    async get<T>(name: CollectionName, id: string) {
      try {
        const res = await tx.collection(name).doc(id).get();
        const data = res.data;
        const doc = Array.isArray(data) ? data[0] : data;
        return (doc ?? undefined) as T | undefined;
      } catch (err) {
        if (isNotExist(err)) return undefined;
        throw err;
      }
    },
    async set(name, id, doc) {
      const { _id: _ignored, ...rest } = doc;
      if (name === 'users') usersWritten.add(id);
      await tx.collection(name).doc(id).set(rest);
    },
    async update(name, id, patch) {
      if (name === 'users') usersWritten.add(id);
      await tx.collection(name).doc(id).update(patch);
    },
  };
}

/** Fetch documents by `_id` (at most one page's worth: callers pass a page of ids), keyed by id. */
export async function byIds<T extends { _id: string }>(
  name: CollectionName,
  ids: string[],
): Promise<Map<string, T>> {
  if (ids.length === 0) return new Map();
  const { data } = await collection(name)
    .where({ _id: cmd().in(ids) })
    .limit(ids.length)
    .get();
  return new Map((data as T[]).map((d) => [d._id, d]));
}

/** Read every page of a query (CloudBase caps `limit` at 1000 per request). */
export async function getAll<T>(
  query: { skip(n: number): { limit(n: number): { get(): Promise<{ data: unknown[] }> } } },
  pageSize = 1000,
): Promise<T[]> {
  const out: T[] = [];
  for (let skip = 0; ; skip += pageSize) {
    const { data } = await query.skip(skip).limit(pageSize).get();
    out.push(...(data as T[]));
    if (data.length < pageSize) return out;
  }
}

/** A new document id (32 hex characters) for documents whose id carries no meaning. */
export const newId = () => randomUUID().replace(/-/g, '');

/** Strip `_id` for a `set` (the id is the document key). */
export function body<T extends { _id: string }>(doc: T): Record<string, unknown> {
  const { _id: _ignored, ...rest } = doc;
  return rest as Record<string, unknown>;
}

/** A document that must exist: NOT_FOUND with the given Chinese message otherwise. */
export async function loadDoc<T>(name: CollectionName, id: string, missing: string): Promise<T> {
  const doc = await getById<T>(name, id);
  if (!doc) throw notFound(missing);
  return doc;
}
