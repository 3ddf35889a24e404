/**
 * Group commit. Requests that arrive in the same event-loop turn run together, in arrival order,
 * inside one SQLite transaction, which is committed (with synchronous=FULL, one fsync for all of
 * them) before any of them is answered. So an acknowledged write is on disk, and so is everything
 * an acknowledged read saw, while concurrent callers share the cost of the fsync.
 *
 * Each operation is synchronous; one that throws is undone alone (the store's writes nest as
 * savepoints) and answered with its error, the others still commit.
 */
export interface BatchStore {
  begin(): void;
  commit(): void;
  rollback(): void;
}

interface Pending {
  run: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export class Batcher {
  private queue: Pending[] = [];
  private scheduled = false;
  /** Batches flushed and operations run (for diagnostics and the bench). */
  readonly stats = { batches: 0, operations: 0 };

  constructor(private readonly store: BatchStore) {}

  submit<T>(run: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ run, resolve: resolve as (value: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Runs everything queued so far (also used before closing). */
  flush(): void {
    this.scheduled = false;
    const ops = this.queue;
    this.queue = [];
    if (ops.length === 0) return;
    this.stats.batches += 1;
    this.stats.operations += ops.length;
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
    ops.forEach((op, i) => {
      const outcome = outcomes[i] as { ok: boolean; value: unknown };
      if (outcome.ok) op.resolve(outcome.value);
      else op.reject(outcome.value);
    });
  }
}
