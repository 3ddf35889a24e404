/**
 * Background jobs: the one mechanism for per-participant work that must not run inside a user's
 * call (a serverless instance may be frozen as soon as `main` returns, and a call must stay well
 * inside the function timeout whatever the number of participants).
 *
 * - A job is a document in `jobs`, created with `enqueue` INSIDE the transaction that causes it, so
 *   it exists if and only if its cause committed.
 * - Its kind's `batch` handles up to `limit` items after `cursor` and returns the next cursor. A
 *   batch must be idempotent: after a crash the same batch runs again from the saved cursor.
 * - The timer runs due jobs batch by batch (`runJobs`) within a time budget well inside the 10 s
 *   timeout. A runner holds a lease (owner + expiry, runtime clock) taken in a transaction; a
 *   second runner skips a leased job; a runner that died leaves a lease that simply expires.
 *   The cursor is saved (in a transaction that checks the lease is still ours) after each batch.
 * - A failing batch releases the lease and retries later with backoff; after MAX_JOB_ATTEMPTS
 *   failures in a row the job is marked `failed` (and logged).
 * - The causing call may run ONE small batch itself (`runFirstBatch`, awaited), so that a small
 *   activity gets its effect at once; the job is created already leased to that call.
 */
import type { Job } from '../../types/domain';
import { collection, newId, transaction, type TxDocs } from './db';
import { runtime } from './runtime';

/** Items per timer batch, and per batch run inside the causing call. */
export const JOB_BATCH = 100;
export const IN_CALL_BATCH = 20;
/** A runner's lease on a job (runtime clock): far longer than one batch. */
export const JOB_LEASE_MS = 60_000;
/** Wall time one timer run spends on jobs (the function timeout is 10 s). */
export const JOB_TIME_BUDGET_MS = 4_000;
export const MAX_JOB_ATTEMPTS = 8;
/** Delay before retrying after the 1st, 2nd, … failure in a row. */
export const JOB_BACKOFF_MS = [30_000, 60_000, 300_000, 900_000, 1_800_000, 3_600_000];

export interface BatchContext {
  now: number;
  limit: number;
  jobId: string;
}

export interface BatchResult {
  /** Where the next batch starts; null when the job is complete. */
  next: string | null;
  processed: number;
}

export interface JobDef<P> {
  kind: string;
  /** Handle up to `ctx.limit` items after `cursor`. Must be idempotent. */
  batch(payload: P, cursor: string | null, ctx: BatchContext): Promise<BatchResult>;
  /** Runs once more after the last batch, before the job is marked done. Must be idempotent. */
  finish?(payload: P, ctx: BatchContext): Promise<void>;
}

const registry = new Map<string, JobDef<never>>();

/** Declare a kind of job (at module level, in the module that enqueues it). */
export function defineJob<P>(def: JobDef<P>): JobDef<P> {
  if (registry.has(def.kind) && registry.get(def.kind) !== (def as unknown as JobDef<never>)) {
    throw new Error(`job kind ${def.kind} defined twice`);
  }
  registry.set(def.kind, def as unknown as JobDef<never>);
  return def;
}

export const jobKinds = () => [...registry.keys()];

/** A new job's document (pending, due now); `cursor` when it starts after work already done. */
export function jobDoc<P>(
  def: JobDef<P>,
  payload: P,
  now: number,
  opts: { leaseTo?: string; cursor?: string } = {},
): Record<string, unknown> {
  const job: Omit<Job<P>, '_id'> = {
    kind: def.kind,
    payload,
    cursor: opts.cursor ?? null,
    status: 'pending',
    attempts: 0,
    lease: opts.leaseTo ? { owner: opts.leaseTo, until: now + JOB_LEASE_MS } : null,
    runAfter: now,
    processed: 0,
    batches: 0,
    createdAt: now,
    updatedAt: now,
  };
  return job as unknown as Record<string, unknown>;
}

/**
 * Create a job in the caller's transaction. With `leaseTo`, the job starts leased to that runner
 * (the causing call, which runs its first batch right after committing).
 */
export async function enqueue<P>(
  t: TxDocs,
  def: JobDef<P>,
  payload: P,
  now: number,
  opts: { leaseTo?: string; id?: string } = {},
): Promise<string> {
  const id = opts.id ?? newId();
  await t.set('jobs', id, jobDoc(def, payload, now, opts));
  return id;
}

/** A runner's identity (one per timer run or call). */
export const newRunner = () => `run_${newId()}`;

/** Take the lease on a due job, or undefined when it is done, not due or leased by another. */
async function claim(jobId: string, owner: string, now: number): Promise<Job | undefined> {
  return transaction(async (t) => {
    const job = await t.get<Job>('jobs', jobId);
    if (!job || job.status !== 'pending' || job.runAfter > now) return undefined;
    if (job.lease && job.lease.owner !== owner && job.lease.until > now) return undefined;
    const lease = { owner, until: now + JOB_LEASE_MS };
    await t.update('jobs', jobId, { lease, updatedAt: now });
    return { ...job, lease };
  });
}

type Step = 'more' | 'done' | 'lost' | 'failed';

/**
 * Run one batch of a job whose lease `owner` holds, and save its cursor (giving the lease back
 * with it when `release`).
 */
async function step(
  job: Job,
  owner: string,
  now: number,
  limit: number,
  release = false,
): Promise<{ step: Step; job: Job }> {
  const def = registry.get(job.kind) as JobDef<unknown> | undefined;
  const ctx: BatchContext = { now, limit, jobId: job._id };
  let result: BatchResult;
  try {
    if (!def) throw new Error(`unknown job kind ${job.kind}`);
    result = await def.batch(job.payload, job.cursor, ctx);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    runtime().log('error', `job ${job.kind} batch failed`, { jobId: job._id, error: message });
    const failed = await transaction(async (t) => {
      const cur = await t.get<Job>('jobs', job._id);
      if (!cur || cur.lease?.owner !== owner) return false;
      const attempts = cur.attempts + 1;
      const delay = JOB_BACKOFF_MS[Math.min(attempts, JOB_BACKOFF_MS.length) - 1] ?? 3_600_000;
      await t.update('jobs', job._id, {
        attempts,
        lastError: message.slice(0, 500),
        lease: null,
        runAfter: now + delay,
        updatedAt: now,
        ...(attempts >= MAX_JOB_ATTEMPTS ? { status: 'failed' } : {}),
      });
      return true;
    });
    return { step: failed ? 'failed' : 'lost', job };
  }
  // `finish` is idempotent, so it goes together with saving the last cursor (if that save loses
  // the lease, the job was complete anyway and its next runner finishes it again).
  const [saved] = await Promise.all([
    save(job, owner, now, result, release),
    result.next === null
      ? def?.finish?.(job.payload, ctx).catch((err: unknown) =>
          runtime().log('error', `job ${job.kind} finish failed`, {
            jobId: job._id,
            error: err instanceof Error ? err.message : String(err),
          }),
        )
      : undefined,
  ]);
  return saved;
}

function save(
  job: Job,
  owner: string,
  now: number,
  result: BatchResult,
  release: boolean,
): Promise<{ step: Step; job: Job }> {
  return transaction(async (t) => {
    const cur = await t.get<Job>('jobs', job._id);
    // The lease expired and another runner took over: its cursor wins (our batch was idempotent).
    if (!cur || cur.status !== 'pending' || cur.lease?.owner !== owner) return { step: 'lost' as Step, job };
    const done = result.next === null;
    const patch = {
      cursor: result.next,
      processed: cur.processed + result.processed,
      batches: cur.batches + 1,
      attempts: 0,
      updatedAt: now,
      lease: done || release ? null : { owner, until: now + JOB_LEASE_MS },
      ...(done ? { status: 'done' as const, doneAt: now } : {}),
    };
    await t.update('jobs', job._id, patch);
    return { step: (done ? 'done' : 'more') as Step, job: { ...cur, ...patch } as Job };
  });
}

/** Give the lease back so the next runner need not wait for it to expire. */
async function release(jobId: string, owner: string, now: number): Promise<void> {
  await transaction(async (t) => {
    const cur = await t.get<Job>('jobs', jobId);
    if (cur?.status === 'pending' && cur.lease?.owner === owner) {
      await t.update('jobs', jobId, { lease: null, updatedAt: now });
    }
  });
}

/**
 * The causing call's one small batch, awaited before it answers (the job was enqueued leased to
 * `owner`). Whatever is left is the timer's. Never throws: the change is committed either way.
 */
export async function runFirstBatch(jobId: string, owner: string, now: number): Promise<Step | 'error'> {
  try {
    const job = await collection('jobs').doc(jobId).get();
    const data = (job as { data?: unknown }).data;
    const doc = (Array.isArray(data) ? data[0] : data) as Job | undefined;
    if (!doc || doc.lease?.owner !== owner) return 'lost';
    const { step: s } = await step({ ...doc, _id: jobId }, owner, now, IN_CALL_BATCH, true);
    return s;
  } catch (err) {
    runtime().log('warn', 'first batch of a job failed; the timer will run it', {
      jobId,
      error: err instanceof Error ? err.message : String(err),
    });
    return 'error';
  }
}

export interface JobsReport {
  jobs: number;
  batches: number;
  done: number;
  failed: number;
  /** Jobs skipped because another runner holds them. */
  busy: number;
}

/**
 * Timer: run due jobs, oldest first, batch by batch, until they are done or the time budget is
 * spent (then the lease is released and the next run continues from the saved cursor).
 */
export async function runJobs(
  now: number,
  opts: { budgetMs?: number; limit?: number } = {},
): Promise<JobsReport> {
  const budget = opts.budgetMs ?? JOB_TIME_BUDGET_MS;
  const limit = opts.limit ?? JOB_BATCH;
  const started = Date.now();
  const owner = newRunner();
  const report: JobsReport = { jobs: 0, batches: 0, done: 0, failed: 0, busy: 0 };
  const _ = runtime().db.command;
  const { data } = await collection('jobs')
    .where({ status: 'pending', runAfter: _.lte(now) })
    .orderBy('runAfter', 'asc')
    .limit(20)
    .get();
  for (const listed of data as Job[]) {
    if (Date.now() - started >= budget) break;
    const claimed = await claim(listed._id, owner, now);
    if (!claimed) {
      report.busy += 1;
      continue;
    }
    report.jobs += 1;
    let job = claimed;
    for (;;) {
      const r = await step(job, owner, now, limit);
      if (r.step !== 'lost') report.batches += 1;
      if (r.step === 'done') report.done += 1;
      if (r.step === 'failed') report.failed += 1;
      if (r.step !== 'more') break;
      job = r.job;
      if (Date.now() - started >= budget) {
        await release(job._id, owner, now);
        break;
      }
    }
  }
  return report;
}

/** Run `fn` over `items` with at most `concurrency` at a time; results in input order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= items.length) return;
      out[i] = await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return out;
}

/** Split into chunks of `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
