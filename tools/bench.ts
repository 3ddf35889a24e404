/**
 * `npm run bench`: the figures the README quotes.
 *
 *   1. WeChat package size (miniprogram/dist): main package vs subpackages, budget main ≤ 1 MB
 *   2. H5 JavaScript size (miniprogram/dist-h5), raw and gzip
 *   3. Sign-up throughput through the real handlers on the embedded engine (file database) against
 *      raw better-sqlite3, alternating rounds; and with ENGINE_LATENCY_MS=5 (bench/engine.ts)
 *   4. Read latency (list / mine / detail / participants) with 10,000 activities, 100,000 sign-ups
 *   5. Cloud-function bundle sizes and cold starts
 *   6. Notifications: dispatcher throughput through the local sink, event → message-centre entry
 *
 * Flags: --no-build (measure whatever build output exists; never run Taro builds),
 *        --quick (smaller workloads, for checking the script itself).
 * The last line is `BENCH_JSON {...}` with every figure.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildFunctions } from './build-functions';
import { DEFAULT_DATASET, loadDataset, type DatasetSpec } from './bench/dataset';
import { benchQueries, buildCases, queryPlans } from './bench/queries';
import { benchNotify } from './bench/notify';
import { benchJobs } from './bench/jobs';
import { benchExport } from './bench/export';
import { DEFAULT_SIGNUP_OPTIONS, type SignUpBenchOptions } from './bench/signup';
import { benchEngineInChild } from './bench/engine';
import { benchGrievances } from './bench/grievance';
import { benchVolunteer } from './bench/volunteer';
import { printBudgets } from './bench/budgets';
import { printScale } from './bench/scale';
import { printDashboard } from './bench/dashboard';
import { ensureBuilt, measureColdStart, measureH5, measureWeapp } from './bench/sizes';
import { printH5Load } from './bench/h5-load';
import { formatBytes, kb, printTable, round } from './bench/stats';
import { createLocalRuntime } from './runtime/local-runtime';
import { seed } from './runtime/seed';

const ROOT = path.resolve(__dirname, '..');
const WEAPP_DIR = path.join(ROOT, 'miniprogram', 'dist');
const H5_DIR = path.join(ROOT, 'miniprogram', 'dist-h5');

const args = new Set(process.argv.slice(2));
const allowBuild = !args.has('--no-build');
const quick = args.has('--quick');

function heading(title: string): void {
  console.log(`\n== ${title} ==`);
}

function seconds(ms: number): number {
  return round(ms / 1000, 2);
}

async function main(): Promise<void> {
  const started = performance.now();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tongxin-bench-'));
  const out: Record<string, unknown> = {
    env: {
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      cpus: os.cpus().length,
      quick,
    },
  };
  let failed = false;
  try {
    // 1. WeChat package ------------------------------------------------------------------------
    ensureBuilt(ROOT, path.join(WEAPP_DIR, 'app.json'), 'build:weapp', allowBuild);
    heading('WeChat mini-program package (miniprogram/dist)');
    const weapp = measureWeapp(WEAPP_DIR);
    if (!weapp.built) {
      console.log(`  ${weapp.reason}${allowBuild ? '' : ' — run npm run build:weapp (skipped: --no-build)'}`);
    } else {
      printTable(
        ['package', 'files', 'size'],
        [
          ['main', weapp.mainFiles, formatBytes(weapp.mainBytes)],
          ...weapp.subpackages.map((s) => [`sub ${s.root}`, s.files, formatBytes(s.bytes)]),
          [
            'total',
            weapp.mainFiles + weapp.subpackages.reduce((n, s) => n + s.files, 0),
            formatBytes(weapp.totalBytes),
          ],
        ],
      );
      console.log(
        `  budget main ≤ ${formatBytes(weapp.budgetBytes)}: ${weapp.withinBudget ? 'OK' : 'OVER'} ` +
          `(${((weapp.mainBytes / weapp.budgetBytes) * 100).toFixed(0)} % used)`,
      );
    }
    out.weapp = weapp.built
      ? {
          built: true,
          mainBytes: weapp.mainBytes,
          totalBytes: weapp.totalBytes,
          budgetBytes: weapp.budgetBytes,
          withinBudget: weapp.withinBudget,
          subpackages: weapp.subpackages.map((s) => ({ root: s.root, bytes: s.bytes })),
        }
      : { built: false };

    // 2. H5 -------------------------------------------------------------------------------------
    ensureBuilt(ROOT, H5_DIR, 'build:h5', allowBuild);
    heading('H5 JavaScript (miniprogram/dist-h5)');
    const h5 = measureH5(H5_DIR);
    if (!h5.built) {
      console.log(`  ${h5.reason}${allowBuild ? '' : ' — run npm run build:h5 (skipped: --no-build)'}`);
      out.h5 = { built: false };
    } else {
      console.log(
        `  ${h5.jsFiles} .js files: ${formatBytes(h5.jsBytes)} raw, ${formatBytes(h5.jsGzipBytes)} gzip`,
      );
      printTable(
        ['largest', 'raw', 'gzip'],
        h5.largest.map((f) => [f.file, kb(f.bytes), kb(f.gzipBytes)]),
      );
      out.h5 = { built: true, jsFiles: h5.jsFiles, jsBytes: h5.jsBytes, jsGzipBytes: h5.jsGzipBytes };
    }
    out.h5Load = await printH5Load(ROOT, tmp, quick ? 2 : 5); // home-page load in Chromium (bench/h5-load.ts)

    // 5 (cheap, so early). Cloud-function bundles -----------------------------------------------
    heading('Cloud-function bundles (esbuild, minified)');
    const bundles = await buildFunctions(path.join(tmp, 'functions'));
    const colds = bundles.map((b) => measureColdStart(b.dir, b.name, quick ? 3 : 5));
    printTable(
      ['function', 'index.js', 'require ms', 'first response ms'],
      bundles.map((b, i) => [b.name, kb(b.bytes), colds[i]!.requireMs, colds[i]!.firstResponseMs]),
    );
    const slowest = Math.max(...colds.map((c) => c.firstResponseMs));
    console.log(
      `  cold start = fresh node: require + first main() answered (no network; median of runs); ` +
        `goal ≤ 200 ms: ${slowest <= 200 ? 'OK' : 'OVER'} (slowest ${slowest} ms)`,
    );
    out.functions = bundles.map((b, i) => ({
      name: b.name,
      bytes: b.bytes,
      kb: round(b.bytes / 1024, 1),
      requireMs: colds[i]!.requireMs,
      firstResponseMs: colds[i]!.firstResponseMs,
    }));

    // 3. Sign-up throughput ---------------------------------------------------------------------
    const signUpOptions: SignUpBenchOptions = quick
      ? { ...DEFAULT_SIGNUP_OPTIONS, signUps: 1000, capacities: [...Array<number>(8).fill(100), 80, 80] }
      : DEFAULT_SIGNUP_OPTIONS;
    heading(
      `Sign-up throughput (${signUpOptions.signUps} sign-ups, ${signUpOptions.concurrency} concurrent callers, ` +
        `${signUpOptions.capacities.length} activities, file database)`,
    );
    {
      const rounds = quick ? 1 : 5;
      console.log(
        `  ${rounds} round(s), alternating raw better-sqlite3 (synchronous=FULL, one transaction per sign-up) ` +
          `and the handlers; then the handlers with ENGINE_LATENCY_MS=5`,
      );
      const e = await benchEngineInChild(signUpOptions, rounds);
      printTable(
        ['', 'sign-ups/s (median)', 'per round', 'p99 ms (median)', 'CPU ms / sign-up'],
        [
          ['raw better-sqlite3', e.raw.median, e.raw.perSecond.join(' / '), '–', e.raw.cpuMsPerSignUp],
          [
            'handlers',
            e.handlers.median,
            e.handlers.perSecond.join(' / '),
            e.handlers.medianP99Ms,
            e.handlers.cpuMsPerSignUp,
          ],
          [
            'handlers, latency 5 ms',
            e.latency5.median,
            e.latency5.perSecond.join(' / '),
            e.latency5.medianP99Ms,
            '–',
          ],
        ],
      );
      console.log(
        `  handlers / raw = ${Math.round(e.ratio * 100)} % (goal ≥ 40 %: ${e.ratio >= 0.4 ? 'OK' : 'UNDER'}); ` +
          `p99 goal ≤ 15 ms: ${e.handlers.medianP99Ms <= 15 ? 'OK' : 'OVER'}; ` +
          `with latency 5 ms a global lock would cap ~200/s: ` +
          e.scaling.map((x) => `${x.perSecond}/s at ${x.concurrency} callers`).join(', ') +
          ` (50 activities), ${e.latency5.median}/s on the 10-activity shape`,
      );
      console.log(
        `  handlers p99 per round: ${e.handlers.p99Ms.join(' / ')} ms; slowest sign-up per round: ` +
          `${e.handlers.maxMs.join(' / ')} ms (${signUpOptions.signUps} sign-ups per round after a warm-up)`,
      );
      console.log(
        `  stored state consistent: ${e.handlers.consistent && e.latency5.consistent ? 'yes' : 'NO'}`,
      );
      if (!e.handlers.consistent || !e.latency5.consistent) failed = true;
      out.signUp = e;
    }

    // 3b. Volunteer service: check-in, check-out (hours + points), redemptions --------------------
    {
      const volunteers = quick ? 200 : 1000;
      heading(
        `Volunteer service (${volunteers} volunteers, 50 concurrent: check-in by code, check-out 3 h later, ` +
          `then all redeem an item stocked for half of them; file database)`,
      );
      const clock = { now: Date.now() };
      const rt = createLocalRuntime({
        dataDir: path.join(tmp, 'volunteer'),
        now: () => clock.now,
        quiet: true,
      });
      try {
        const r = await benchVolunteer(rt, clock, volunteers);
        printTable(
          ['step', 'calls/s', 'p50 ms', 'p99 ms', 'max ms'],
          [
            [
              'check-in',
              r.checkIn.perSecond,
              r.checkIn.latency.p50Ms,
              r.checkIn.latency.p99Ms,
              r.checkIn.latency.maxMs,
            ],
            [
              'check-out',
              r.checkOut.perSecond,
              r.checkOut.latency.p50Ms,
              r.checkOut.latency.p99Ms,
              r.checkOut.latency.maxMs,
            ],
            [
              'redeem',
              r.redeem.perSecond,
              r.redeem.latency.p50Ms,
              r.redeem.latency.p99Ms,
              r.redeem.latency.maxMs,
            ],
          ],
        );
        console.log(
          `  redeemed ${r.redeem.redeemed} of stock ${r.redeem.stock}, refused ${r.redeem.refused}; ` +
            `totals equal ledger sums, stock 0: ${r.consistent ? 'yes' : 'NO'}${r.firstError ? ` (first error: ${r.firstError})` : ''}`,
        );
        if (!r.consistent) failed = true;
        out.volunteer = r;
      } finally {
        rt.close();
      }
    }

    // 6. Notifications ------------------------------------------------------------------------
    {
      const recipients = quick ? 300 : 2000;
      heading(
        `Notifications (one event to ${recipients} subscribed participants; local sink; file database)`,
      );
      const rt = createLocalRuntime({ dataDir: path.join(tmp, 'notify'), quiet: true });
      try {
        const r = await benchNotify(rt, recipients, quick ? 10 : 50);
        printTable(
          ['messages', 'sent to sink', 'seconds', 'messages/s', 'event→entry p50 ms', 'p99 ms'],
          [
            [
              r.recipients,
              r.sinkRecords,
              r.dispatchSeconds,
              r.messagesPerSecond,
              r.eventToEntry.p50Ms,
              r.eventToEntry.p99Ms,
            ],
          ],
        );
        console.log(
          '  (fan-out + claim + send + settle per message, by the cancelling call (first batch) then timer runs (jobs + sweep); latency = promotion call + reading the entry back)',
        );
        if (r.sinkRecords !== r.recipients) failed = true;
        out.notify = r;
      } finally {
        rt.close();
      }
    }

    // 6b. Background jobs: cancelling a large activity ----------------------------------------
    {
      const n = quick ? 300 : 2000;
      heading(`Cancelling an activity with ${n} participants (answer, then timer runs; file database)`);
      const rt = createLocalRuntime({ dataDir: path.join(tmp, 'jobs'), quiet: true });
      try {
        const r = await benchJobs(rt, n);
        printTable(
          ['answer ms', 'all cancelled + entries ms', 'timer runs', 'all WeChat sent ms', 'timer runs'],
          [[r.answerMs, r.allCancelledMs, r.cancelTicks, r.allSentMs, r.sendTicks]],
        );
        console.log(
          `  goal answer ≤ 2000 ms: ${r.answerMs <= 2000 ? 'OK' : 'OVER'}; cancelled ${r.cancelled}, entries ${r.entries}, sent ${r.sent} of ${n}`,
        );
        if (r.answerMs > 2000 || r.cancelled !== n || r.entries !== n || r.sent !== n) failed = true;
        out.jobs = r;
      } finally {
        rt.close();
      }
    }

    // 6c. Excel export (issue 14): 10,000 participants, built by the report job's timer batches --
    {
      const n = 10_000;
      heading(
        `Excel export of ${n} participants (startExport, then timer runs until the file is stored; file database)`,
      );
      const rt = createLocalRuntime({ dataDir: path.join(tmp, 'export'), quiet: true });
      try {
        const r = await benchExport(rt, n);
        printTable(
          ['rows', 'build ms', 'timer runs', 'file'],
          [[r.rows, r.buildMs, r.timerRuns, formatBytes(r.bytes)]],
        );
        console.log(`  goal ${n} rows ≤ 3000 ms: ${r.buildMs <= 3000 ? 'OK' : 'OVER'}`);
        if (r.rows !== n || r.bytes === 0) failed = true;
        out.export = { ...r, goalMs: 3000 };
      } finally {
        rt.close();
      }
    }

    // 4b. Grievances at scale: queue pages and statistics over 100,000 grievances ------------
    {
      const n = quick ? 10_000 : 100_000;
      heading(`Grievances (${n} in one community, counters kept per month/day; file database)`);
      const now = Date.now();
      const rt = createLocalRuntime({ dataDir: path.join(tmp, 'grievance'), now: () => now, quiet: true });
      try {
        await seed(rt);
        const r = await benchGrievances(rt, n, quick ? 10 : 30);
        console.log(`  bulk load: ${r.grievances} grievances with counters in ${r.loadSeconds} s`);
        printTable(
          ['query', 'p50 ms', 'p99 ms', 'max ms', 'items', 'total'],
          r.queries.map((q) => [q.name, q.p50Ms, q.p99Ms, q.maxMs, q.items, q.total ?? '']),
        );
        const worst = Math.max(...r.queries.map((q) => q.p99Ms));
        console.log(
          `  goal p99 ≤ 50 ms: ${worst <= 50 ? 'OK' : 'OVER'} (worst ${worst} ms); ` +
            `year statistics equal a direct computation: ${r.consistent ? 'yes' : 'NO'}`,
        );
        if (!r.consistent) failed = true;
        out.grievance = r;
      } finally {
        rt.close();
      }
    }

    // 4c. Volunteer, points and alliance reads at scale; round-trip budgets (issue 12) -------
    {
      heading(
        `Volunteer and points at scale (${quick ? '10,000' : '100,000'} sign-ups, hour and points entries in one community; file database)`,
      );
      const now = Date.now();
      const rt = createLocalRuntime({ dataDir: path.join(tmp, 'scale'), now: () => now, quiet: true });
      try {
        await seed(rt);
        out.scale = await printScale(rt, now, quick, printTable);
      } finally {
        rt.close();
      }
      heading('Round-trip budgets (database requests per call; sequential depth ≤ 4)');
      const clock = { now: Date.now() };
      const brt = createLocalRuntime({ dataDir: ':memory:', now: () => clock.now, quiet: true });
      try {
        await seed(brt);
        out.budgets = await printBudgets(brt, clock, printTable);
      } finally {
        brt.close();
      }
    }

    // 4d. Dashboards (issue 14): 100,000 sign-ups and 100,000 grievances in one community ----
    {
      heading(
        `Dashboards (${quick ? '10,000' : '100,000'} sign-ups and grievances in one community, counters; file database)`,
      );
      const now = Date.now();
      const rt = createLocalRuntime({ dataDir: path.join(tmp, 'dashboard'), now: () => now, quiet: true });
      try {
        await seed(rt);
        const r = await printDashboard(rt, now, quick, printTable);
        if (!r.consistent) failed = true;
        out.dashboard = { ...r, goalP99Ms: 50 };
      } finally {
        rt.close();
      }
    }

    // 4. Read latency on a large data set ---------------------------------------------------
    const spec: DatasetSpec = quick
      ? { activities: 2000, users: 1000, hotSignUps: 500, hotCapacity: 300, signUps: 20_000 }
      : DEFAULT_DATASET;
    heading(`Read latency (${spec.activities} activities, ${spec.signUps} sign-ups, ${spec.users} users)`);
    {
      const now = Date.now();
      const rt = createLocalRuntime({ dataDir: path.join(tmp, 'read'), now: () => now, quiet: true });
      try {
        await seed(rt);
        const t0 = performance.now();
        const ds = await loadDataset(rt, spec);
        const loadMs = performance.now() - t0;
        console.log(
          `  bulk load: ${ds.activities} activities + ${ds.signUps} sign-ups + ${ds.users} users in ${seconds(loadMs)} s` +
            ` (${Math.round(((ds.activities + ds.signUps + ds.users) / loadMs) * 1000)} docs/s)`,
        );
        const runs = quick ? 10 : 30;
        const cases = await buildCases(rt, ds);
        const results = await benchQueries(rt, cases, runs);
        printTable(
          ['query', 'p50 ms', 'p99 ms', 'max ms', 'items', 'total'],
          results.map((q) => [q.name, q.p50Ms, q.p99Ms, q.maxMs, q.items, q.total ?? '']),
        );
        console.log(
          `  (${runs} runs each after 3 warm-ups; reader ${ds.busyUser} has ${ds.busyUserSignUps} sign-ups)`,
        );
        const plans = queryPlans(rt, ds);
        console.log('  SQLite plans of the handlers’ where clauses:');
        for (const p of plans) console.log(`    ${p.name.padEnd(14)} ${p.plan.join(' | ')}`);
        out.read = {
          activities: ds.activities,
          signUps: ds.signUps,
          users: ds.users,
          loadSeconds: seconds(loadMs),
          runs,
          queries: results,
        };
      } finally {
        rt.close();
      }
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  out.totalSeconds = seconds(performance.now() - started);
  heading(`Done in ${out.totalSeconds as number} s`);
  console.log(`BENCH_JSON ${JSON.stringify(out)}`);
  if (failed) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
