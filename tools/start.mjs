#!/usr/bin/env node
// `npm start`: build the H5 app when it is missing or older than its sources, then run the local
// server (demo mode unless NODE_ENV=production) on http://127.0.0.1:${PORT:-3000}.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const h5Index = path.join(root, 'miniprogram/dist-h5/index.html');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

// A taken port is reported before the build, not after it; the server checks again when it listens.
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';
const listenError = await new Promise((resolve) => {
  const probe = net.createServer();
  probe.once('error', resolve);
  probe.listen(port, host, () => probe.close(() => resolve(null)));
});
if (listenError) {
  console.error(
    listenError.code === 'EADDRINUSE'
      ? `端口 ${port} 已被占用（${host}:${port}），同心圆本地服务未启动。请关闭占用该端口的程序，或换一个端口：PORT=${port + 1} npm start`
      : `无法监听 ${host}:${port}：${listenError.message}`,
  );
  process.exit(1);
}

const sources = [
  path.join(root, 'miniprogram/src'),
  path.join(root, 'miniprogram/config'),
  path.join(root, 'types'),
];
const built = fs.existsSync(h5Index) ? fs.statSync(h5Index).mtimeMs : 0;
if (!built || sources.some((dir) => fs.existsSync(dir) && newestMtime(dir) > built)) {
  console.log('正在构建 H5 应用（首次约 30 秒）…');
  // Always a production build: NODE_ENV=development would make Taro add dev-server tooling.
  const res = spawnSync('npm', ['run', 'build:h5'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (res.status !== 0) process.exit(res.status ?? 1);
}

const tsx = path.join(root, 'node_modules/.bin/tsx');
const server = spawn(tsx, [path.join(root, 'tools/runtime/server.ts')], { cwd: root, stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.kill(sig));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
