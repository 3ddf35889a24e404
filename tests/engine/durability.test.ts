import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { openLocalDatabase } from '../../tools/runtime/engine';
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
  it('documents acknowledged before a SIGKILL are there after reopening', async () => {
    const temp = openTemp();
    temp.close(); // the child owns the file while it runs
    const acked = await writeThenKill(temp.file, 50);
    expect(acked).toHaveLength(50);
    const reopened = openLocalDatabase({ file: temp.file });
    try {
      const { data } = await reopened.db.collection('durable').limit(1000).get();
      expect(new Set(data.map((d: { _id: string }) => d._id))).toEqual(new Set(acked));
      expect(data.find((d: { i: number }) => d.i === 49).at).toEqual(new Date(49));
      expect((await reopened.db.collection('counter').doc('c').get()).data).toEqual([{ _id: 'c', last: 49 }]);
      expect(reopened.stats()).toEqual({ durable: 50, counter: 1 });
    } finally {
      reopened.close();
      temp.cleanup();
    }
  }, 20_000);
});
