/**
 * Group commit with the fsync off the event loop: a write is answered only after an fsync that
 * started after its commit has finished, and groups committed while an fsync runs share the next.
 */
import { Batcher, type BatchStore } from '../../tools/runtime/engine/batch';

function fakeStore() {
  const log: string[] = [];
  const pending: (() => void)[] = [];
  let commits = 0;
  const store: BatchStore = {
    begin: () => log.push('begin'),
    commit: () => log.push(`commit ${++commits}`),
    rollback: () => log.push('rollback'),
    sync: () =>
      new Promise<void>((resolve) => {
        log.push(`sync after commit ${commits}`);
        pending.push(resolve);
      }),
  };
  /** Finishes the oldest running fsync and lets its callbacks run. */
  const finishSync = async () => {
    pending.shift()?.();
    await new Promise((r) => setImmediate(r));
  };
  return { store, log, finishSync, running: () => pending.length };
}

it('answers a write only after an fsync that started after its commit', async () => {
  const { store, log, finishSync } = fakeStore();
  const batcher = new Batcher(store, { maxGroup: 256 });
  const answered: string[] = [];
  const a = batcher.write(() => 'a').then((v) => answered.push(v));
  batcher.flush(); // group 1 commits; its fsync starts
  expect(log).toEqual(['begin', 'commit 1', 'sync after commit 1']);
  const b = batcher.write(() => 'b').then((v) => answered.push(v));
  const c = batcher.write(() => 'c').then((v) => answered.push(v));
  batcher.flush(); // group 2 commits while group 1's fsync runs: it must wait for the next one
  await new Promise((r) => setImmediate(r));
  expect(answered).toEqual([]);
  await finishSync(); // group 1 durable; the fsync for group 2 starts now
  expect(answered).toEqual(['a']);
  expect(log.at(-1)).toBe('sync after commit 2');
  await finishSync();
  await Promise.all([a, b, c]);
  expect(answered).toEqual(['a', 'b', 'c']);
  expect(batcher.stats).toEqual({ groups: 2, writes: 3, syncs: 2 });
});

it('shares one queued fsync between every group committed during a running one', async () => {
  const { store, finishSync, running } = fakeStore();
  const batcher = new Batcher(store, { maxGroup: 256 });
  const first = batcher.write(() => 1);
  batcher.flush();
  const later = [2, 3, 4].map((n) => {
    const p = batcher.write(() => n);
    batcher.flush();
    return p;
  });
  expect(running()).toBe(1);
  await finishSync();
  expect(await first).toBe(1);
  expect(running()).toBe(1); // one fsync for groups 2–4
  await finishSync();
  expect(await Promise.all(later)).toEqual([2, 3, 4]);
  expect(batcher.stats.syncs).toBe(2);
});

it('fails the writes of a group whose fsync fails', async () => {
  const store: BatchStore = {
    begin() {},
    commit() {},
    rollback() {},
    sync: () => Promise.reject(new Error('EIO')),
  };
  const batcher = new Batcher(store, { maxGroup: 256 });
  const p = batcher.write(() => 1);
  batcher.flush();
  await expect(p).rejects.toThrow('EIO');
});

it('a file store fsyncs its WAL itself; an in-memory store has nothing to sync', async () => {
  const fs = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const { Store } = await import('../../tools/runtime/engine/store');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-sync-'));
  const file = new Store(path.join(dir, 'db.sqlite'));
  try {
    expect(file.needsSync).toBe(true);
    file.begin();
    file.apply([{ collection: 'things', id: 'a', data: '{"_id":"a"}' }]);
    file.commit();
    await expect(file.sync()).resolves.toBeUndefined();
    expect(fs.existsSync(path.join(dir, 'db.sqlite-wal'))).toBe(true);
  } finally {
    file.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const memory = new Store(':memory:');
  expect(memory.needsSync).toBe(false);
  memory.close();
});
