/** Build-output sizes: the WeChat package (main vs subpackages), the H5 JavaScript, function cold starts. */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

export const MAIN_PACKAGE_BUDGET = 1024 * 1024; // main ≤ 1 MB

export interface WeappSizes {
  built: true;
  dir: string;
  totalBytes: number;
  mainBytes: number;
  mainFiles: number;
  budgetBytes: number;
  withinBudget: boolean;
  subpackages: { root: string; name?: string; bytes: number; files: number }[];
}

export interface H5Sizes {
  built: true;
  dir: string;
  jsFiles: number;
  jsBytes: number;
  jsGzipBytes: number;
  largest: { file: string; bytes: number; gzipBytes: number }[];
}

export interface NotBuilt {
  built: false;
  dir: string;
  reason: string;
}

interface FileEntry {
  rel: string; // posix-style path relative to the root
  bytes: number;
}

function walk(root: string): FileEntry[] {
  const out: FileEntry[] = [];
  const visit = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (entry.isFile()) {
        out.push({ rel: path.relative(root, full).split(path.sep).join('/'), bytes: fs.statSync(full).size });
      }
    }
  };
  visit(root);
  return out;
}

/** Runs an npm script with inherited output when `marker` is missing (and building is allowed). */
export function ensureBuilt(root: string, marker: string, script: string, allowBuild: boolean): void {
  if (fs.existsSync(marker) || !allowBuild) return;
  console.log(`\n> ${path.relative(root, marker)} missing: running npm run ${script}`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const res = spawnSync(npm, ['run', script], { cwd: root, stdio: 'inherit' });
  if (res.status !== 0)
    console.warn(`  npm run ${script} exited with ${res.status ?? res.signal ?? 'error'}`);
}

interface SubPackageDecl {
  root?: unknown;
  name?: unknown;
}

export function measureWeapp(dir: string): WeappSizes | NotBuilt {
  const appJson = path.join(dir, 'app.json');
  if (!fs.existsSync(appJson)) return { built: false, dir, reason: 'not built (no app.json)' };
  const app = JSON.parse(fs.readFileSync(appJson, 'utf8')) as {
    subPackages?: SubPackageDecl[];
    subpackages?: SubPackageDecl[];
  };
  const decls = [...(app.subPackages ?? []), ...(app.subpackages ?? [])];
  const subs = decls
    .filter((d): d is { root: string; name?: unknown } => typeof d.root === 'string' && d.root.length > 0)
    .map((d) => ({
      root: d.root.replace(/^\/+|\/+$/g, ''),
      name: typeof d.name === 'string' ? d.name : undefined,
      bytes: 0,
      files: 0,
    }));
  const files = walk(dir);
  let mainBytes = 0;
  let mainFiles = 0;
  let totalBytes = 0;
  for (const f of files) {
    totalBytes += f.bytes;
    const sub = subs.find((s) => f.rel === s.root || f.rel.startsWith(`${s.root}/`));
    if (sub) {
      sub.bytes += f.bytes;
      sub.files += 1;
    } else {
      mainBytes += f.bytes;
      mainFiles += 1;
    }
  }
  return {
    built: true,
    dir,
    totalBytes,
    mainBytes,
    mainFiles,
    budgetBytes: MAIN_PACKAGE_BUDGET,
    withinBudget: mainBytes <= MAIN_PACKAGE_BUDGET,
    subpackages: subs,
  };
}

export function measureH5(dir: string): H5Sizes | NotBuilt {
  if (!fs.existsSync(dir)) return { built: false, dir, reason: 'not built' };
  const js = walk(dir).filter((f) => f.rel.endsWith('.js'));
  if (js.length === 0) return { built: false, dir, reason: 'not built (no .js files)' };
  const measured = js.map((f) => ({
    file: f.rel,
    bytes: f.bytes,
    gzipBytes: zlib.gzipSync(fs.readFileSync(path.join(dir, f.rel))).length,
  }));
  return {
    built: true,
    dir,
    jsFiles: measured.length,
    jsBytes: measured.reduce((s, f) => s + f.bytes, 0),
    jsGzipBytes: measured.reduce((s, f) => s + f.gzipBytes, 0),
    largest: [...measured].sort((a, b) => b.bytes - a.bytes).slice(0, 5),
  };
}

export interface ColdStart {
  name: string;
  /** Median over the runs: `require` of the bundle in a fresh node. */
  requireMs: number;
  /** Median: require + the first `main` call answered. */
  firstResponseMs: number;
}

/**
 * Cold start of one bundle, the honest local stand-in for a new CloudBase instance: a fresh `node`
 * process requires index.js and calls `main` once with an unknown action and a faked WeChat
 * caller (WX_CONTEXT_KEYS / WX_OPENID, as the platform sets them). That call initialises the
 * production runtime (node-sdk, and wx-server-sdk lazily) and answers INVALID_INPUT before any
 * database request (the timer, which takes no action, answers once each of its steps' first
 * database request has failed — name lookups fail at once, there is no network), so no network
 * time is included;
 * node's own start-up (~40 ms) is not either.
 */
export function measureColdStart(dir: string, name: string, runs = 5): ColdStart {
  const script = `
    process.on('unhandledRejection', () => {});
    // No network here: name lookups fail at once (otherwise the resolver's retries, not the
    // function, decide how long the timer's failing first requests take).
    require('dns').lookup = (host, opts, cb) => {
      const callback = typeof opts === 'function' ? opts : cb;
      const error = Object.assign(new Error('getaddrinfo ENOTFOUND ' + host), { code: 'ENOTFOUND' });
      process.nextTick(() => callback(error));
    };
    const t0 = process.hrtime.bigint();
    const mod = require(${JSON.stringify(path.join(dir, 'index.js'))});
    const t1 = process.hrtime.bigint();
    const done = () => {
      const t2 = process.hrtime.bigint();
      process.stdout.write('\\nCOLD ' + JSON.stringify({ req: Number(t1 - t0) / 1e6, first: Number(t2 - t0) / 1e6 }));
      process.exit(0);
    };
    mod.main({ action: '__coldStart', data: {} }, {}).then(done, done);`;
  const samples: { req: number; first: number }[] = [];
  for (let i = 0; i < runs; i++) {
    const out = execFileSync(process.execPath, ['-e', script], {
      env: {
        ...process.env,
        NODE_ENV: 'production',
        WX_CONTEXT_KEYS: 'WX_OPENID,WX_APPID',
        WX_OPENID: 'cold-start-probe',
        WX_APPID: 'wx-probe',
      },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 30_000,
    });
    samples.push(JSON.parse(out.slice(out.lastIndexOf('COLD ') + 5)) as { req: number; first: number });
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  return {
    name,
    requireMs: Math.round(median(samples.map((s) => s.req)) * 10) / 10,
    firstResponseMs: Math.round(median(samples.map((s) => s.first)) * 10) / 10,
  };
}
