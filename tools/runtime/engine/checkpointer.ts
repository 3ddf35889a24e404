/**
 * WAL checkpoints off the event loop. SQLite's automatic checkpoint runs inside the COMMIT that
 * crosses its threshold (1,000 pages): it copies the WAL into the database file and fsyncs it on
 * the thread that committed, stalling every request for a millisecond or two, several times a
 * second under load (without any checkpoint, sign-ups ran ~8 % faster; the worker wins back about
 * half of that, the rest being its own copying on the second core). Once a database is busy, a
 * worker thread with its own connection runs PASSIVE checkpoints instead (they never block the
 * writer), and the writer's automatic threshold is raised to 20,000 pages (80 MB of WAL).
 *
 * The WAL starts over from its beginning only when a write begins after a checkpoint has copied
 * all of it, which under steady load the worker rarely manages (writes land while it copies): then
 * the writer's own checkpoint at the raised threshold finishes the little the worker has not
 * copied yet, and the WAL restarts. When load pauses, the worker catches up and the next write
 * restarts it.
 *
 * The worker starts only after `START_AFTER_COMMITS` group commits, so short-lived databases
 * (tests, tools) never pay for a thread.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** Group commits before the worker starts. */
export const START_AFTER_COMMITS = 256;
/** Group commits between checkpoint requests. */
export const EVERY_COMMITS = 32;
/** How long closing waits for the worker to close its connection (it may be in a checkpoint). */
const CLOSE_WAIT_MS = 5000;
/** SQLite's default automatic checkpoint threshold (pages). */
const DEFAULT_PAGES = 1000;
/** The writer's own automatic checkpoint once the worker runs: only if the worker falls behind. */
const SAFETY_NET_PAGES = 20_000;

/** The worker: one connection, a PASSIVE checkpoint per request (plain JS, run with `eval`). */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('synchronous = NORMAL');
parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close();
    // Tell the writer, which waits for this: the file is ours no more.
    const closed = new Int32Array(workerData.closed);
    Atomics.store(closed, 0, 1);
    Atomics.notify(closed, 0);
    parentPort.close();
    return;
  }
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // busy or closing: the next request (or the writer's safety net) catches up
  }
});
`;

export class Checkpointer {
  private commits = 0;
  private worker: Worker | undefined;
  private closed = false;
  /** Set to 1 by the worker once its connection is closed (`close` waits for it). */
  private readonly workerClosed = new Int32Array(new SharedArrayBuffer(4));

  /** `setAutoCheckpoint` sets the writer's own threshold (pages): raised while the worker runs. */
  constructor(
    private readonly file: string,
    private readonly setAutoCheckpoint: (pages: number) => void,
  ) {}

  /** Called after each group commit. */
  committed(): void {
    if (this.closed) return;
    this.commits += 1;
    if (!this.worker) {
      if (this.commits >= START_AFTER_COMMITS) this.start();
      return;
    }
    if (this.commits % EVERY_COMMITS === 0) this.worker.postMessage('checkpoint');
  }

  private start(): void {
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      // The driver as this module resolves it (an eval'd worker resolves from the working directory).
      workerData: {
        file: this.file,
        driver: createRequire(__filename).resolve('better-sqlite3'),
        closed: this.workerClosed.buffer,
      },
    });
    this.worker.unref();
    // A worker that cannot run (e.g. no threads) leaves checkpoints to SQLite, as before.
    this.worker.on('error', () => {
      this.worker = undefined;
      this.closed = true;
      this.setAutoCheckpoint(DEFAULT_PAGES);
    });
    this.setAutoCheckpoint(SAFETY_NET_PAGES);
  }

  /**
   * Closes the worker's connection and waits (up to CLOSE_WAIT_MS) until it has: once the store is
   * closed, nothing may touch its files any more (a caller may delete the folder at once), and the
   * writer's own close then checkpoints the rest.
   */
  close(): void {
    this.closed = true;
    const worker = this.worker;
    this.worker = undefined;
    if (!worker) return;
    worker.postMessage('close');
    Atomics.wait(this.workerClosed, 0, 0, CLOSE_WAIT_MS);
  }
}
