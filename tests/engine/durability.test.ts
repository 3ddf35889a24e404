import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { openLocalDatabase } from '../../tools/runtime/engine';
import { START_AFTER_COMMITS } from '../../tools/runtime/engine/checkpointer';
import { openTemp } from './helpers';

const ROOT = join(__dirname, '..', '..');

/** Runs the writer, kills it with SIGKILL as soon as it has acknowledged everything, returns the acked ids. */
function writeThenKill(file: string, count: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--require', 'tsx/cjs', join(__dirname, 'fixtures', 'durable-writer.ts'), file, String(count)],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const acked: string[] = [];
    let buffer = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith('ACK ')) acked.push(line.slice(4));
        if (line === 'DONE') child.kill('SIGKILL');
      }
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(acked);
      else reject(new Error(`writer exited with ${code}: ${stderr}`));
    });
  });
}

describe('durability', () => {
  it('documents acknowledged before a SIGKILL are there after reopening (checkpoint worker running)', async () => {
    const temp = openTemp();
    temp.close(); // the child owns the file while it runs
    // Two group commits per document: past START_AFTER_COMMITS, so the checkpoint worker runs too.
    const count = START_AFTER_COMMITS;
    const acked = await writeThenKill(temp.file, count);
    expect(acked).toHaveLength(count);
    const reopened = openLocalDatabase({ file: temp.file });
    try {
      const { data } = await reopened.db.collection('durable').limit(1000).get();
      expect(new Set(data.map((d: { _id: string }) => d._id))).toEqual(new Set(acked));
      expect(data.find((d: { i: number }) => d.i === count - 1).at).toEqual(new Date(count - 1));
      expect((await reopened.db.collection('counter').doc('c').get()).data).toEqual([
        { _id: 'c', last: count - 1 },
      ]);
      expect(reopened.stats()).toEqual({ durable: count, counter: 1 });
    } finally {
      reopened.close();
      temp.cleanup();
    }
  }, 20_000);

  it('under interleaved concurrent transactions, a SIGKILL loses no acknowledged commit and none is half-applied', async () => {
    const temp = openTemp();
    temp.close();
    const acked = await new Promise<string[]>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        ['--require', 'tsx/cjs', join(__dirname, 'fixtures', 'interleaved-writer.ts'), temp.file],
        { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      const seen: string[] = [];
      let buffer = '';
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const lines = buffer.split('\n');
        buffer = lines.pop() ?? '';
        for (const line of lines) if (line.startsWith('ACK ')) seen.push(line.slice(4));
        // Kill in the middle of the load, while transactions are open and commits are queued.
        if (seen.length >= 300 && !child.killed) child.kill('SIGKILL');
      });
      child.on('exit', (code, signal) => {
        if (signal === 'SIGKILL') resolve([...seen]);
        else reject(new Error(`writer exited with ${code}: ${stderr}`));
      });
    });
    const reopened = openLocalDatabase({ file: temp.file });
    try {
      const { data } = await reopened.db.collection('transfers').limit(1000).get();
      const stored = new Set(data.map((d: { _id: string }) => d._id));
      for (const id of acked) expect(stored.has(id)).toBe(true);
      // Each transaction wrote both documents or neither.
      const pool = (await reopened.db.collection('acc').doc('pool').get()).data[0] as { balance: number };
      expect(pool.balance).toBe(stored.size);
    } finally {
      reopened.close();
      temp.cleanup();
    }
  }, 30_000);
});
