/**
 * H5 home-page load in Chromium, as a phone would see it: the local server started as `npm start`
 * does (demo mode, a fresh temp data folder, the built miniprogram/dist-h5), a 375×812 viewport
 * with 4× CPU throttling (CDP Emulation.setCPUThrottlingRate), a signed-in demo resident and an
 * empty cache on every run. Per run, measured in the page (one clock):
 *   - JavaScript on the wire: transfer sizes of the scripts whose responses ended before the home
 *     page's activity list was visible (Resource Timing, same origin);
 *   - first contentful paint;
 *   - the activity list visible: the first `#home-recent .activity-card` in the DOM.
 * Goals (issue 13): JS ≤ 200 KB, FCP ≤ 1 s, list ≤ 1.2 s. Medians over the runs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { round } from './stats';

export const H5_LOAD_GOALS = { jsBytes: 200 * 1024, fcpMs: 1000, listMs: 1200 };

export interface H5LoadRun {
  jsTransferBytes: number;
  jsDecodedBytes: number;
  jsFiles: number;
  fcpMs: number;
  listMs: number;
  encodings: string[];
}

export interface H5LoadResult {
  ran: true;
  runs: H5LoadRun[];
  jsTransferBytes: number;
  jsDecodedBytes: number;
  jsFiles: number;
  fcpMs: number;
  listMs: number;
  files: { file: string; transferBytes: number; decodedBytes: number; encoding: string }[];
  withinGoals: boolean;
}

export type H5LoadSkipped = { ran: false; reason: string };

function chromiumPath(): string | undefined {
  return [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
    (p): p is string => !!p && fs.existsSync(p),
  );
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitHealthy(base: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      if ((await fetch(base + '/healthz')).ok) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('server did not become healthy in 60 s');
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

export async function benchH5Load(
  root: string,
  tmp: string,
  runs = 5,
): Promise<H5LoadResult | H5LoadSkipped> {
  const staticDir = path.join(root, 'miniprogram', 'dist-h5');
  if (!fs.existsSync(path.join(staticDir, 'index.html'))) return { ran: false, reason: 'no H5 build' };
  const browserPath = chromiumPath();
  if (!browserPath) return { ran: false, reason: 'no Chromium (apt-get install -y chromium)' };

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const dataDir = fs.mkdtempSync(path.join(tmp, 'h5-load-'));
  // As `npm start` runs it (tools/start.mjs): tsx tools/runtime/server.ts, demo mode.
  const server = spawn(
    path.join(root, 'node_modules/.bin/tsx'),
    [path.join(root, 'tools/runtime/server.ts')],
    {
      cwd: root,
      env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, NODE_ENV: '', DEMO_MODE: 'true' },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const browser = await chromium.launch({
    executablePath: browserPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--no-first-run',
    ],
  });
  try {
    await waitHealthy(base, server);
    const login = (await (
      await fetch(base + '/api/login', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ code: 'demo:demo-resident' }),
      })
    ).json()) as { data: { token: string; refreshToken: string } };

    const results: H5LoadRun[] = [];
    let files: H5LoadResult['files'] = [];
    // One warm-up run (server-side caches, Chromium's own start-up), then the measured ones.
    for (let i = 0; i <= runs; i++) {
      const context = await browser.newContext({
        viewport: { width: 375, height: 812 },
        deviceScaleFactor: 2,
        locale: 'zh-CN',
      });
      // A string, not a function: tsx's transform would add helpers (__name) the page lacks.
      await context.addInitScript(`
        // Taro H5 storage format: {"data": value}.
        localStorage.setItem('txy:token', JSON.stringify({ data: ${JSON.stringify(login.data.token)} }));
        localStorage.setItem('txy:refresh', JSON.stringify({ data: ${JSON.stringify(login.data.refreshToken)} }));
        (function () {
          var observer = new MutationObserver(function () {
            if (window.__listAt === undefined && document.querySelector('#home-recent .activity-card')) {
              window.__listAt = performance.now();
              observer.disconnect();
            }
          });
          observer.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['class'] });
        })();
      `);
      const page = await context.newPage();
      const encodings = new Map<string, string>();
      page.on('response', (r) => {
        if (r.request().resourceType() === 'script') {
          encodings.set(r.url(), r.headers()['content-encoding'] ?? 'identity');
        }
      });
      const cdp = await context.newCDPSession(page);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
      await page.goto(base + '/');
      await page
        .waitForFunction(() => (window as unknown as { __listAt?: number }).__listAt !== undefined, null, {
          timeout: 30_000,
          polling: 100,
        })
        .catch(async (err: Error) => {
          const url = page.url();
          const text = await page
            .locator('body')
            .innerText()
            .catch(() => '');
          throw new Error(`home activity list not visible at ${url}: ${text.slice(0, 300)} (${err.message})`);
        });
      const m = await page.evaluate(() => {
        const listAt = (window as unknown as { __listAt: number }).__listAt;
        const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN;
        const scripts = (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
          .filter((e) => e.initiatorType === 'script' || /\.js(\?|$)/.test(e.name))
          .filter((e) => e.responseEnd <= listAt)
          .map((e) => ({ file: e.name, transferBytes: e.transferSize, decodedBytes: e.decodedBodySize }));
        // The entry point's script tags are "other"/"script" depending on the parser; include by URL.
        return { listAt, fcp, scripts };
      });
      await context.close();
      if (i === 0) continue;
      results.push({
        jsTransferBytes: m.scripts.reduce((n, s) => n + s.transferBytes, 0),
        jsDecodedBytes: m.scripts.reduce((n, s) => n + s.decodedBytes, 0),
        jsFiles: m.scripts.length,
        fcpMs: round(m.fcp, 0),
        listMs: round(m.listAt, 0),
        encodings: [...new Set(m.scripts.map((s) => encodings.get(s.file) ?? '?'))],
      });
      if (i === 1) {
        files = m.scripts.map((s) => ({
          file: new URL(s.file).pathname,
          transferBytes: s.transferBytes,
          decodedBytes: s.decodedBytes,
          encoding: encodings.get(s.file) ?? '?',
        }));
      }
    }
    const summary = {
      jsTransferBytes: median(results.map((r) => r.jsTransferBytes)),
      jsDecodedBytes: median(results.map((r) => r.jsDecodedBytes)),
      jsFiles: median(results.map((r) => r.jsFiles)),
      fcpMs: median(results.map((r) => r.fcpMs)),
      listMs: median(results.map((r) => r.listMs)),
    };
    return {
      ran: true,
      runs: results,
      ...summary,
      files,
      withinGoals:
        summary.jsTransferBytes <= H5_LOAD_GOALS.jsBytes &&
        summary.fcpMs <= H5_LOAD_GOALS.fcpMs &&
        summary.listMs <= H5_LOAD_GOALS.listMs,
    };
  } finally {
    await browser.close();
    server.kill('SIGTERM');
    await new Promise((r) => (server.exitCode !== null ? r(null) : server.once('exit', r)));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** `tsx tools/bench/h5-load.ts`: this section alone. */
if (require.main === module) {
  const root = path.resolve(__dirname, '../..');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tongxin-h5load-'));
  benchH5Load(root, tmp)
    .then((r) => console.log(JSON.stringify(r, null, 2)))
    .finally(() => fs.rmSync(tmp, { recursive: true, force: true }));
}

/** The bench section: prints the figures and returns them for BENCH_JSON. */
export async function printH5Load(
  root: string,
  tmp: string,
  runs: number,
): Promise<H5LoadResult | H5LoadSkipped> {
  console.log('\n== H5 home-page load (Chromium 375×812, 4× CPU throttling, cold cache, demo resident) ==');
  const r = await benchH5Load(root, tmp, runs);
  if (!r.ran) {
    console.log(`  skipped: ${r.reason}`);
    return r;
  }
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  for (const f of r.files)
    console.log(
      `  ${f.file.padEnd(28)} ${kb(f.transferBytes).padStart(9)} on the wire (${f.encoding}), ${kb(f.decodedBytes)} raw`,
    );
  const ok = (v: boolean) => (v ? 'OK' : 'OVER');
  console.log(
    `  median of ${r.runs.length}: JS ${kb(r.jsTransferBytes)} on the wire in ${r.jsFiles} files (${kb(r.jsDecodedBytes)} raw; goal ≤ 200 KB: ${ok(r.jsTransferBytes <= H5_LOAD_GOALS.jsBytes)}), ` +
      `first contentful paint ${r.fcpMs} ms (≤ 1000: ${ok(r.fcpMs <= H5_LOAD_GOALS.fcpMs)}), ` +
      `activity list ${r.listMs} ms (≤ 1200: ${ok(r.listMs <= H5_LOAD_GOALS.listMs)}); list per run ${r.runs.map((x) => x.listMs).join(' / ')} ms`,
  );
  return r;
}
