/**
 * Group commit. Requests that write to disk (a commit, or a write outside a transaction) are
 * gathered for a moment and run together, in arrival order, inside one SQLite transaction, which
 * is committed and then made durable (`sync`: one fsync of the WAL, on the thread pool) before
 * any of them is answered. So an acknowledged write is on disk, concurrent writers share the cost
 * of the fsync, and the event loop keeps serving other requests while the disk works: groups
 * committed during an fsync share the next one. Requests that do not write (reads, and a
 * transaction's own reads and buffered writes) run on the next turn without waiting for a group.
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
}

interface Pending {
  run: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export interface BatcherOptions {
  /** A group this large commits at once. */
  maxGroup: number;
}

/** A promise of `run`'s result (or error), `run` being called when `schedule` calls it back. */
function deferred<T>(run: () => T, schedule: (answer: () => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    schedule(() => {
      try {
        resolve(run());
      } catch (error) {
        reject(error);
      }
    });
  });
}

export class Batcher {
  private queue: Pending[] = [];
  private scheduled = false;
  /** Groups committed, writes in them and fsyncs (for diagnostics and the bench). */
  readonly stats = { groups: 0, writes: 0, syncs: 0 };
  /** The fsync running now, and the one queued to start after it (shared by all who wait). */
  private syncing: Promise<void> | undefined;
  private nextSync: Promise<void> | undefined;
  /** Requests waiting for the queued group to commit (`afterWrites`). */
  private afterFlush: (() => void)[] = [];

  constructor(
    private readonly store: BatchStore,
    private readonly options: BatcherOptions = { maxGroup: 256 },
  ) {}

  /**
   * Runs a request that does not write to disk once the requests being sent right now have all
   * been sent (process.nextTick runs after the current chain of promise callbacks drains), never
   * in the caller's own step: like an answer from the network, requests sent together are answered
   * together and a request sent after another's answer is measurably later (request-meter), yet
   * without giving up the event-loop turn.
   */
  read<T>(run: () => T): Promise<T> {
    return deferred(run, (answer) => process.nextTick(answer));
  }

  /**
   * Runs a request that must see every write that arrived before it (the operation that takes a
   * transaction's snapshot) as soon as the queued group has committed (not waiting for its fsync:
   * committed data is what a snapshot reads), or as `read` does when no write is queued.
   */
  afterWrites<T>(run: () => T): Promise<T> {
    if (this.queue.length === 0) return this.read(run);
    return deferred(run, (answer) => this.afterFlush.push(answer));
  }

  /** Queues a request that writes; it is answered after its group is on disk. */
  write<T>(run: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ run, resolve: resolve as (value: unknown) => void, reject });
      if (this.queue.length >= this.options.maxGroup) this.flush();
      else if (!this.scheduled) {
        // The group is what arrives until the end of this event-loop turn: no longer wait is needed
        // for groups to form (writes committed while an fsync runs share the next one), and a
        // transaction's hold on the documents it wrote stays as short as possible.
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Commits everything queued so far (also used before closing). */
  flush(): void {
    this.scheduled = false;
    const ops = this.queue;
    this.queue = [];
    const after = this.afterFlush;
    this.afterFlush = [];
    try {
      this.commitGroup(ops);
    } finally {
      for (const run of after) run();
    }
  }

  private commitGroup(ops: Pending[]): void {
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
    if (!this.store.sync) answer();
    else
      this.durable().then(answer, (error: unknown) => {
        for (const op of ops) op.reject(error);
      });
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
