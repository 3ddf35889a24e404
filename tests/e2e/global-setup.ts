/**
 * Starts the app exactly as a newcomer does — `npm start` — on a free port with a fresh data
 * folder, and waits for /healthz. The URL is handed to the tests through an environment variable.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export default async function globalSetup(): Promise<void> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tx-e2e-data-'));
  const root = path.resolve(__dirname, '../..');
  const log = fs.openSync(path.join(dataDir, 'server.log'), 'a');
  const child = spawn('npm', ['start'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir },
    stdio: ['ignore', log, log],
    detached: true,
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      const res = await fetch(`${base}/healthz`);
      if (res.ok) break;
    } catch {
      // not up yet
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(
        `npm start did not come up:\n${fs.readFileSync(path.join(dataDir, 'server.log'), 'utf8')}`,
      );
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  process.env.E2E_BASE_URL = base;
  process.env.E2E_SERVER_PID = String(child.pid);
  process.env.E2E_DATA_DIR = dataDir;
}
