/**
 * Transactions with CloudBase's (MongoDB's) semantics: snapshot isolation with optimistic,
 * per-document write-conflict detection. Nothing is locked, so transactions of concurrent calls
 * interleave freely, request by request, as they do on CloudBase.
 *
 * - Every commit (transactional or not) takes the next commit sequence number.
 * - A transaction's snapshot is the committed state at its first operation (`startSeq`), as in
 *   MongoDB, which establishes a transaction's snapshot with its first read, not at
 *   startTransaction; the request layer runs that operation after every commit that has reached
 *   the database before it (batch.ts `afterWrites`). Its reads of a document changed since then
 *   are answered from the version history kept for open snapshots.
 * - Its writes are buffered (invisible to everyone else) and applied at commit in one SQLite
 *   transaction, but only if no document it writes was committed by anyone after `startSeq`.
 *   As in MongoDB, the first writer wins: a write to a document that another open transaction
 *   has already written, or that is newer than the snapshot, fails at once. All of these answer
 *   DATABASE_TRANSACTION_CONFLICT, which `runTransaction` retries.
 * - Documents it only read are not validated (as in MongoDB): an invariant must be guarded by a
 *   write to the document that holds it (a counter, the activity, a holder document).
 * - A transaction open longer than `timeoutMs` is aborted.
 */
import { newId } from './ids';
import { CONFLICT, EngineError } from './errors';

export interface Transaction {
  readonly id: string;
  /** The commit sequence number its snapshot reflects (NO_SNAPSHOT until its first operation). */
  startSeq: number;
  /** Buffered writes per collection: encoded document, or null for a delete. */
  readonly writes: Map<string, Map<string, string | null>>;
  /** Snapshot reads, by document key: each document is read from the store once. */
  readonly reads: Map<string, string | null>;
  /** Documents (by key) a buffered write created or changed a key (indexed) field of. */
  readonly keysChanged: Set<string>;
}

interface Entry {
  txn: Transaction;
  timer: NodeJS.Timeout;
  /** Documents this transaction has written (and so holds against other transactions). */
  held: string[];
}

/** A committed write as the version history needs it: the text it replaced. */
export interface CommittedWrite {
  collection: string;
  id: string;
  previous: string | null;
}

export const docKey = (collection: string, id: string): string => `${collection}\u0000${id}`;

/** `startSeq` of a transaction that has not read or written yet. */
const NO_SNAPSHOT = -1;

/** How many commits between prunes of the version history while transactions stay open. */
const PRUNE_EVERY = 256;

export class TransactionManager {
  private readonly open = new Map<string, Entry>();
  private seq = 0;
  /** Sequence number of the last commit that wrote each document (only while snapshots are open). */
  private readonly lastWrite = new Map<string, number>();
  /** Earlier versions of documents written while snapshots were open: [commit seq, text before it]. */
  private readonly history = new Map<string, [number, string | null][]>();
  private commitsSincePrune = 0;
  /** The open transaction that wrote each document first (MongoDB's write lock, held to the end). */
  private readonly writers = new Map<string, string>();
  private closed = false;

  constructor(private readonly timeoutMs: number) {}

  start(): string {
    if (this.closed) throw new EngineError('DATABASE_REQUEST_FAILED', 'database is closed');
    const txn: Transaction = {
      id: newId(),
      startSeq: NO_SNAPSHOT,
      writes: new Map(),
      reads: new Map(),
      keysChanged: new Set(),
    };
    const timer = setTimeout(() => this.finish(txn.id), this.timeoutMs);
    timer.unref();
    this.open.set(txn.id, { txn, timer, held: [] });
    return txn.id;
  }

  /** The open transaction, its snapshot taken now if this is its first operation. */
  get(id: string): Transaction {
    const entry = this.open.get(id);
    if (!entry) {
      throw new EngineError(
        'DATABASE_TRANSACTION_FAIL',
        `transaction ${id} is not open (committed, aborted or timed out)`,
      );
    }
    if (entry.txn.startSeq === NO_SNAPSHOT) entry.txn.startSeq = this.seq;
    return entry.txn;
  }

  /** Whether the transaction's next operation would take its snapshot (false if it is not open). */
  awaitsSnapshot(id: string): boolean {
    return this.open.get(id)?.txn.startSeq === NO_SNAPSHOT;
  }

  /** Ends the transaction (commit or abort). Idempotent. */
  finish(id: string): void {
    const entry = this.open.get(id);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.open.delete(id);
    for (const key of entry.held) this.writers.delete(key);
    if (this.open.size === 0) {
      this.lastWrite.clear();
      this.history.clear();
    }
  }

  closeAll(): void {
    this.closed = true;
    for (const id of [...this.open.keys()]) this.finish(id);
  }

  /**
   * The document as the transaction's snapshot has it. `store.getRaw` reads the committed text
   * (the store itself is passed, not a closure: reads are the hot path); the answer is remembered
   * so later reads in the transaction cost nothing.
   */
  snapshotRead(
    txn: Transaction,
    collection: string,
    id: string,
    store: { getRaw(collection: string, id: string): string | null },
  ): string | null {
    const key = docKey(collection, id);
    if (txn.reads.has(key)) return txn.reads.get(key) ?? null;
    let raw: string | null;
    if ((this.lastWrite.get(key) ?? 0) > txn.startSeq) {
      // Changed since the snapshot: the oldest version written after it holds the snapshot's text.
      const versions = this.history.get(key) ?? [];
      const first = versions.find(([seq]) => seq > txn.startSeq);
      raw = first ? first[1] : store.getRaw(collection, id);
    } else {
      raw = store.getRaw(collection, id);
    }
    txn.reads.set(key, raw);
    return raw;
  }

  /**
   * Claims a document the transaction is about to write: fails at once when another open
   * transaction wrote it first, or when it is newer than the snapshot.
   */
  claimWrite(txn: Transaction, collection: string, id: string): void {
    const key = docKey(collection, id);
    const holder = this.writers.get(key);
    if (holder !== undefined && holder !== txn.id) {
      throw new EngineError(CONFLICT, `document ${collection}/${id} is being written by another transaction`);
    }
    this.assertUnchanged(txn, key, collection, id);
    if (holder === undefined) {
      this.writers.set(key, txn.id);
      this.open.get(txn.id)?.held.push(key);
    }
  }

  /** At commit: every document the transaction writes must be unchanged since its start. */
  validate(txn: Transaction): void {
    for (const [collection, writes] of txn.writes) {
      for (const id of writes.keys()) this.assertUnchanged(txn, docKey(collection, id), collection, id);
    }
  }

  /** A plain write (no transaction) committed it after the snapshot: the transaction lost. */
  private assertUnchanged(txn: Transaction, key: string, collection: string, id: string): void {
    if ((this.lastWrite.get(key) ?? 0) > txn.startSeq) {
      throw new EngineError(CONFLICT, `document ${collection}/${id} changed during the transaction`);
    }
  }

  /**
   * Records a commit (of a transaction or of a plain write) before it is applied. Nothing is kept
   * when no snapshot is open: no transaction can conflict with it or need the old version.
   */
  committed(writes: CommittedWrite[]): void {
    this.seq += 1;
    if (this.open.size === 0 || writes.length === 0) return;
    for (const w of writes) {
      const key = docKey(w.collection, w.id);
      let versions = this.history.get(key);
      if (!versions) this.history.set(key, (versions = []));
      versions.push([this.seq, w.previous]);
      this.lastWrite.set(key, this.seq);
    }
    if (++this.commitsSincePrune >= PRUNE_EVERY) this.prune();
  }

  /** True when a snapshot is open (only then does a commit need the text it replaces). */
  get snapshotsOpen(): boolean {
    return this.open.size > 0;
  }

  /** Drops versions that no open snapshot can see any more. */
  private prune(): void {
    this.commitsSincePrune = 0;
    let oldest = Infinity;
    for (const { txn } of this.open.values()) {
      if (txn.startSeq !== NO_SNAPSHOT) oldest = Math.min(oldest, txn.startSeq);
    }
    for (const [key, seq] of this.lastWrite) {
      if (seq <= oldest) {
        this.lastWrite.delete(key);
        this.history.delete(key);
      }
    }
    for (const [key, versions] of this.history) {
      // Versions at or before the oldest snapshot are never read again; keep the rest.
      const keep = versions.filter(([seq]) => seq > oldest);
      if (keep.length === 0) this.history.delete(key);
      else if (keep.length !== versions.length) this.history.set(key, keep);
    }
  }
}

export function bufferWrite(
  txn: Transaction,
  collection: string,
  id: string,
  data: string | null,
  keysUnchanged: boolean,
): void {
  let writes = txn.writes.get(collection);
  if (!writes) txn.writes.set(collection, (writes = new Map()));
  writes.set(id, data);
  if (!keysUnchanged) txn.keysChanged.add(docKey(collection, id));
}
