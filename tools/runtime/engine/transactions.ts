/**
 * Transaction bookkeeping. Transactions run one at a time: `start` waits for a FIFO async mutex, so
 * two transactions never interleave and are trivially serializable. Their writes are buffered in
 * an overlay (invisible to everyone else) and applied in one synchronous SQLite transaction at
 * commit. Non-transactional operations never wait for the mutex (so a handler that mixes them with
 * its own transaction cannot deadlock); instead every document a transaction reads is remembered
 * with its stored text, and commit fails with DATABASE_TRANSACTION_CONFLICT (which makes
 * `runTransaction` retry) if a non-transactional write changed one of them meanwhile.
 * A transaction that stays open longer than `timeoutMs` is aborted so it cannot block the engine.
 */
import { randomBytes } from 'node:crypto';
import { EngineError } from './errors';

class Mutex {
  private locked = false;
  private readonly waiters: (() => void)[] = [];

  async acquire(): Promise<void> {
    if (!this.locked) {
      this.locked = true;
      return;
    }
    await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  /** Hands the lock straight to the next waiter, keeping FIFO order. */
  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.locked = false;
  }
}

export interface Transaction {
  readonly id: string;
  /** Buffered writes per collection: encoded document, or null for a delete. */
  readonly writes: Map<string, Map<string, string | null>>;
  /** Stored text (null = absent) of every committed document the transaction depended on. */
  readonly reads: Map<string, Map<string, string | null>>;
}

interface Entry {
  txn: Transaction;
  timer: NodeJS.Timeout;
}

export class TransactionManager {
  private readonly mutex = new Mutex();
  private readonly open = new Map<string, Entry>();
  private closed = false;

  constructor(private readonly timeoutMs: number) {}

  async start(): Promise<string> {
    await this.mutex.acquire();
    if (this.closed) {
      this.mutex.release();
      throw new EngineError('DATABASE_REQUEST_FAILED', 'database is closed');
    }
    const txn: Transaction = { id: randomBytes(16).toString('hex'), writes: new Map(), reads: new Map() };
    const timer = setTimeout(() => this.finish(txn.id), this.timeoutMs);
    timer.unref();
    this.open.set(txn.id, { txn, timer });
    return txn.id;
  }

  get(id: string): Transaction {
    const entry = this.open.get(id);
    if (!entry) {
      throw new EngineError(
        'DATABASE_TRANSACTION_FAIL',
        `transaction ${id} is not open (committed, aborted or timed out)`,
      );
    }
    return entry.txn;
  }

  /** Ends the transaction (commit or abort) and lets the next one start. Idempotent. */
  finish(id: string): void {
    const entry = this.open.get(id);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.open.delete(id);
    this.mutex.release();
  }

  closeAll(): void {
    this.closed = true;
    for (const id of [...this.open.keys()]) this.finish(id);
  }
}

/** Records the committed state a transaction observed, keeping the first observation. */
export function recordRead(txn: Transaction, collection: string, id: string, raw: string | null): void {
  let reads = txn.reads.get(collection);
  if (!reads) txn.reads.set(collection, (reads = new Map()));
  if (!reads.has(id)) reads.set(id, raw);
}

export function bufferWrite(txn: Transaction, collection: string, id: string, data: string | null): void {
  let writes = txn.writes.get(collection);
  if (!writes) txn.writes.set(collection, (writes = new Map()));
  writes.set(id, data);
}
