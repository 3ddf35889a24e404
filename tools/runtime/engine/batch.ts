/**
 * Group commit. Requests that write to disk (a commit, or a write outside a transaction) are
 * gathered for a moment and run together, in arrival order, inside one SQLite transaction, which
 * is committed and then made durable (one fsync of the WAL) before any of them is answered. So an
 * acknowledged write is on disk and concurrent writers share the cost of the fsync.
 *
 * Where the fsync runs depends on the disk. On a fast one (fsyncs within SLOW_FSYNC_MS on average)
 * it runs inline: cheaper than a trip through libuv's thread pool and back through the event loop
 * (measured on the development machine: about 15 % more sign-ups per second and a quarter lower
 * p99). On a slow one the fsyncs run on the thread pool, so the event loop keeps serving other
 * requests while the disk works, and groups committed during such an fsync share the next one.
 * Requests that do not write (reads, and a transaction's own reads and buffered writes) run on the
 * next turn without waiting for a group.
 *
 * Each operation is synchronous; a write that throws is undone alone (the store's writes nest as
 * savepoints) and answered with its error, the others still commit.
 */
export interface BatchStore {
  begin(): void;
  commit(): void;
  rollback(): void;
  /** Makes every commit so far durable (absent: commits are durable when `commit` returns). */
  sync?(): Promise<void>;
  /** The same on this thread; returns how long it took (ms). */
  syncNow?(): number;
}

/**
 * When inline fsyncs take longer than this on average (ms), the next ASYNC_GROUPS groups' fsyncs
 * go to the thread pool; then one inline fsync measures the disk again.
 */
export const SLOW_FSYNC_MS = 2;
export const ASYNC_GROUPS = 200;

interface Pending {
  run: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export interface BatcherOptions {
  /**
   * How long the first write of a group waits for others to join it (ms); 0 (the default): until
   * the end of the current event-loop turn (setImmediate), which keeps a transaction's hold on the
   * documents it wrote as short as possible. No longer wait is needed for groups to form: writes
   * committed while an fsync runs share the next one (a 1 ms window added a millisecond to every
   * sign-up and did not raise throughput).
   */
  windowMs: number;
  /** A group this large commits at once. */
  maxGroup: number;
}

export class Batcher {
  private queue: Pending[] = [];
  private scheduled = false;
  private timer: NodeJS.Timeout | undefined;
  /** Groups committed, writes in them and fsyncs (for diagnostics and the bench). */
  readonly stats = { groups: 0, writes: 0, syncs: 0, inlineSyncs: 0 };
  /** Groups left whose fsync goes to the thread pool (while inline fsyncs are slow). */
  private asyncGroupsLeft = 0;
  /** Moving average of the inline fsyncs' time (ms). */
  private fsyncMs = 0;
  /** The fsync running now, and the one queued to start after it (shared by all who wait). */
  private syncing: Promise<void> | undefined;
  private nextSync: Promise<void> | undefined;

  constructor(
    private readonly store: BatchStore,
    private readonly options: BatcherOptions = { windowMs: 0, maxGroup: 256 },
  ) {}

  /**
   * Runs a request that does not write to disk once the requests being sent right now have all
   * been sent (process.nextTick runs after the current chain of promise callbacks drains), never
   * in the caller's own step: like an answer from the network, requests sent together are answered
   * together and a request sent after another's answer is measurably later (request-meter), yet
   * without giving up the event-loop turn.
   */
  read<T>(run: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      process.nextTick(() => {
        try {
          resolve(run());
        } catch (error) {
          reject(error);
        }
      });
    });
  }

  /** Queues a request that writes; it is answered after its group is on disk. */
  write<T>(run: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ run, resolve: resolve as (value: unknown) => void, reject });
      if (this.queue.length >= this.options.maxGroup) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        if (this.options.windowMs > 0) this.timer = setTimeout(() => this.flush(), this.options.windowMs);
        else setImmediate(() => this.flush());
      }
    });
  }

  /** Commits everything queued so far (also used before closing). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.scheduled = false;
    const ops = this.queue;
    this.queue = [];
    if (ops.length === 0) return;
    this.stats.groups += 1;
    this.stats.writes += ops.length;
    const outcomes: { ok: boolean; value: unknown }[] = [];
    try {
      this.store.begin();
    } catch (error) {
      for (const op of ops) op.reject(error);
      return;
    }
    for (const op of ops) {
      try {
        outcomes.push({ ok: true, value: op.run() });
      } catch (error) {
        outcomes.push({ ok: false, value: error });
      }
    }
    try {
      this.store.commit();
    } catch (error) {
      try {
        this.store.rollback();
      } catch {
        // the failed commit already ended the transaction
      }
      for (const op of ops) op.reject(error);
      return;
    }
    const answer = () =>
      ops.forEach((op, i) => {
        const outcome = outcomes[i] as { ok: boolean; value: unknown };
        if (outcome.ok) op.resolve(outcome.value);
        else op.reject(outcome.value);
      });
    const fail = (error: unknown) => {
      for (const op of ops) op.reject(error);
    };
    if (!this.store.sync) return answer();
    if (this.store.syncNow && this.asyncGroupsLeft === 0) {
      let ms: number;
      try {
        ms = this.store.syncNow();
      } catch (error) {
        return fail(error);
      }
      this.stats.syncs += 1;
      this.stats.inlineSyncs += 1;
      // A moving average, so that one slow fsync (a checkpoint's, say) does not switch modes.
      this.fsyncMs = this.fsyncMs === 0 ? ms : this.fsyncMs * 0.9 + ms * 0.1;
      if (this.fsyncMs > SLOW_FSYNC_MS) this.asyncGroupsLeft = ASYNC_GROUPS;
      return answer();
    }
    if (this.asyncGroupsLeft > 0) this.asyncGroupsLeft -= 1;
    this.durable().then(answer, fail);
  }

  /**
   * Resolves once an fsync that started after this moment has finished. An fsync already running
   * may have started before the caller's commit, so the caller waits for the next one, which
   * starts when the running one ends and serves everyone who committed meanwhile.
   */
  private durable(): Promise<void> {
    if (!this.syncing) return this.startSync();
    this.nextSync ??= this.syncing
      .catch(() => {})
      .then(() => {
        this.nextSync = undefined;
        return this.startSync();
      });
    return this.nextSync;
  }

  private startSync(): Promise<void> {
    this.stats.syncs += 1;
    const running: Promise<void> = (this.store.sync as () => Promise<void>).call(this.store).finally(() => {
      if (this.syncing === running) this.syncing = undefined;
    });
    this.syncing = running;
    return running;
  }
}
