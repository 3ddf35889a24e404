/**
 * The checkpoint worker (checkpointer.ts): once a database is busy, WAL checkpoints run on a worker
 * thread, and the writer's own threshold is raised to a safety net.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Checkpointer, EVERY_COMMITS, START_AFTER_COMMITS } from '../../tools/runtime/engine/checkpointer';

it('copies the WAL into the database file on a worker thread, the writer checkpointing nothing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ckpt-'));
  const file = join(dir, 'db.sqlite');
  const writer = new Database(file);
  const thresholds: number[] = [];
  const checkpointer = new Checkpointer(file, (pages) => thresholds.push(pages));
  try {
    writer.pragma('journal_mode = WAL');
    writer.pragma('wal_autocheckpoint = 0'); // only the worker may checkpoint in this test
    writer.exec('CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)');
    const insert = writer.prepare('INSERT INTO t (v) VALUES (?)');
    for (let i = 0; i < 300; i++) insert.run('x'.repeat(2000));
    const before = statSync(file).size;
    for (let i = 0; i < START_AFTER_COMMITS - 1; i++) checkpointer.committed();
    expect(thresholds).toEqual([]); // a short-lived database never starts a thread
    checkpointer.committed();
    expect(thresholds).toEqual([20_000]);
    for (let i = 0; i < EVERY_COMMITS; i++) checkpointer.committed();
    const deadline = Date.now() + 5000;
    while (statSync(file).size <= before + 300 * 2000 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(statSync(file).size).toBeGreaterThan(before + 300 * 2000);
    expect(writer.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 300 });
  } finally {
    checkpointer.close();
    writer.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

it('once closed, leaves the files alone: the folder can be deleted at once and stays deleted', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ckpt-'));
  const file = join(dir, 'db.sqlite');
  const writer = new Database(file);
  writer.pragma('journal_mode = WAL');
  writer.exec('CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)');
  writer.prepare('INSERT INTO t (v) VALUES (?)').run('x');
  const checkpointer = new Checkpointer(file, () => {});
  for (let i = 0; i < START_AFTER_COMMITS + EVERY_COMMITS; i++) checkpointer.committed();
  checkpointer.close(); // waits for the worker's connection to close
  writer.close();
  rmSync(dir, { recursive: true, force: true });
  await new Promise((r) => setTimeout(r, 300));
  expect(existsSync(dir)).toBe(false);
});
