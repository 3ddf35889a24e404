/**
 * The embedded engine against raw better-sqlite3 (issue 11), measured side by side in one run,
 * alternating, over several rounds:
 *
 * - raw: the sign-up transaction shape written directly against better-sqlite3 with
 *   synchronous=FULL — read the activity, conditional update, insert the sign-up — one SQLite
 *   transaction (and one fsync) per sign-up. The ceiling for that shape on this disk.
 * - handlers: the real `activity.signUp` through the cloud-function entry, the query builder and
 *   the engine (file database, synchronous=FULL with group commit), 50 concurrent callers.
 * - handlers with ENGINE_LATENCY_MS=5: every database request takes a simulated round trip, so
 *   throughput can only grow with concurrency (a global lock would cap it near 200/s). Measured at
 *   10 and 50 concurrent callers over 50 activities (little contention per activity: this shows
 *   whether calls overlap), and on the hot shape above (10 activities) for comparison.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { createLocalRuntime } from '../runtime/local-runtime';
import { benchSignUps, type SignUpBenchOptions, type SignUpBenchResult } from './signup';
import { percentile, round } from './stats';

export interface RawResult {
  signUps: number;
  perSecond: number;
  cpuMsPerSignUp: number;
}

/** The sign-up transaction written by hand against better-sqlite3 (synchronous=FULL). */
export function benchRawSignUps(file: string, signUps: number, activities = 10): RawResult {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE IF NOT EXISTS activities (_id TEXT PRIMARY KEY, data TEXT NOT NULL)');
  db.exec('CREATE TABLE IF NOT EXISTS signups (_id TEXT PRIMARY KEY, data TEXT NOT NULL)');
  const insertActivity = db.prepare('INSERT OR REPLACE INTO activities (_id, data) VALUES (?, ?)');
  for (let i = 0; i < activities; i++) {
    insertActivity.run(
      `a${i}`,
      JSON.stringify({ _id: `a${i}`, capacity: 1000, confirmedCount: 0, waitlist: [] }),
    );
  }
  const get = db.prepare<[string], { data: string }>('SELECT data FROM activities WHERE _id = ?');
  const update = db.prepare('UPDATE activities SET data = ? WHERE _id = ?');
  const insert = db.prepare('INSERT INTO signups (_id, data) VALUES (?, ?)');
  const signUp = db.transaction((activityId: string, openid: string) => {
    const activity = JSON.parse((get.get(activityId) as { data: string }).data) as {
      capacity: number;
      confirmedCount: number;
      waitlist: string[];
    };
    const confirmed = activity.confirmedCount < activity.capacity;
    if (confirmed) activity.confirmedCount += 1;
    else activity.waitlist.push(openid);
    update.run(JSON.stringify(activity), activityId);
    insert.run(
      `${activityId}_${openid}`,
      JSON.stringify({
        activityId,
        openid,
        status: confirmed ? 'confirmed' : 'waitlisted',
        createdAt: Date.now(),
      }),
    );
  });
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let n = 0; n < signUps; n++) signUp(`a${n % activities}`, `raw-${n}`);
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  db.close();
  return {
    signUps,
    perSecond: round(signUps / seconds, 0),
    cpuMsPerSignUp: round((used.user + used.system) / 1000 / signUps, 3),
  };
}

export interface HandlerRound extends SignUpBenchResult {
  cpuMsPerSignUp: number;
}

async function handlerRound(
  dir: string,
  options: SignUpBenchOptions,
  latencyMs: number,
): Promise<HandlerRound> {
  const rt = createLocalRuntime({ dataDir: dir, quiet: true, latencyMs: 0 });
  try {
    let cpuMs = 0;
    const r = await benchSignUps(rt, { ...options, latencyMs }, (ms) => (cpuMs = ms));
    return { ...r, cpuMsPerSignUp: round(cpuMs / options.signUps, 3) };
  } finally {
    rt.close();
  }
}

export interface EngineBenchResult {
  rounds: number;
  raw: { perSecond: number[]; median: number; cpuMsPerSignUp: number };
  handlers: {
    perSecond: number[];
    median: number;
    p99Ms: number[];
    medianP99Ms: number;
    /** Slowest sign-up per round (disk hiccups show here). */
    maxMs: number[];
    cpuMsPerSignUp: number;
    /** Share of each round the event loop was busy (1 = CPU-bound). */
    eventLoopBusy: number[];
    consistent: boolean;
  };
  ratio: number;
  latency5: { perSecond: number[]; median: number; medianP99Ms: number; consistent: boolean };
  /** Latency 5 ms, 50 activities: sign-ups/s at 10 and at 50 concurrent callers. */
  scaling: { concurrency: number; perSecond: number; p99Ms: number }[];
}

const median = (xs: number[]) => round(percentile(xs, 50), 2);

export async function benchEngine(
  tmp: string,
  options: SignUpBenchOptions,
  rounds = 3,
  log: (line: string) => void = console.log,
): Promise<EngineBenchResult> {
  const raw: RawResult[] = [];
  const handlers: HandlerRound[] = [];
  const latency5: HandlerRound[] = [];
  for (let round_ = 0; round_ < rounds; round_++) {
    const dir = (name: string) => {
      const d = path.join(tmp, `engine-${name}-${round_}`);
      fs.rmSync(d, { recursive: true, force: true });
      fs.mkdirSync(d, { recursive: true });
      return d;
    };
    // Alternate the order so neither side always runs on a warmer machine.
    const order = round_ % 2 === 0 ? ['raw', 'handlers'] : ['handlers', 'raw'];
    for (const which of order) {
      if (which === 'raw') {
        const r = benchRawSignUps(path.join(dir('raw'), 'raw.sqlite'), options.signUps);
        raw.push(r);
        log(`  round ${round_ + 1} raw better-sqlite3: ${r.perSecond}/s, ${r.cpuMsPerSignUp} CPU ms each`);
      } else {
        const h = await handlerRound(dir('handlers'), options, 0);
        handlers.push(h);
        log(
          `  round ${round_ + 1} handlers: ${h.perSecond}/s, p50 ${h.latency.p50Ms} ms, p99 ${h.latency.p99Ms} ms, ` +
            `max ${h.latency.maxMs} ms, ${h.cpuMsPerSignUp} CPU ms each, event loop busy ${Math.round(h.eventLoopBusy * 100)} %` +
            `${h.consistent ? '' : ' — INCONSISTENT'}`,
        );
      }
    }
    const slow = await handlerRound(
      dir('latency'),
      { ...options, signUps: Math.min(options.signUps, 2000) },
      5,
    );
    latency5.push(slow);
    log(
      `  round ${round_ + 1} handlers, ENGINE_LATENCY_MS=5: ${slow.perSecond}/s, p50 ${slow.latency.p50Ms} ms, ` +
        `p99 ${slow.latency.p99Ms} ms${slow.consistent ? '' : ' — INCONSISTENT'}`,
    );
  }
  const spread = { ...options, signUps: Math.min(options.signUps, 2000), capacities: Array(50).fill(1000) };
  const scaling: EngineBenchResult['scaling'] = [];
  for (const concurrency of [10, 50]) {
    const d = path.join(tmp, `engine-scaling-${concurrency}`);
    fs.mkdirSync(d, { recursive: true });
    const r = await handlerRound(d, { ...spread, concurrency }, 5);
    scaling.push({ concurrency, perSecond: r.perSecond, p99Ms: r.latency.p99Ms });
    log(
      `  latency 5 ms, 50 activities, ${concurrency} concurrent: ${r.perSecond}/s, p99 ${r.latency.p99Ms} ms`,
    );
  }
  const rawMedian = median(raw.map((r) => r.perSecond));
  const handlerMedian = median(handlers.map((r) => r.perSecond));
  return {
    rounds,
    raw: {
      perSecond: raw.map((r) => r.perSecond),
      median: rawMedian,
      cpuMsPerSignUp: median(raw.map((r) => r.cpuMsPerSignUp)),
    },
    handlers: {
      perSecond: handlers.map((r) => r.perSecond),
      median: handlerMedian,
      p99Ms: handlers.map((r) => r.latency.p99Ms),
      medianP99Ms: median(handlers.map((r) => r.latency.p99Ms)),
      maxMs: handlers.map((r) => r.latency.maxMs),
      cpuMsPerSignUp: median(handlers.map((r) => r.cpuMsPerSignUp)),
      eventLoopBusy: handlers.map((r) => r.eventLoopBusy),
      consistent: handlers.every((r) => r.consistent),
    },
    ratio: round(handlerMedian / rawMedian, 3),
    latency5: {
      perSecond: latency5.map((r) => r.perSecond),
      median: median(latency5.map((r) => r.perSecond)),
      medianP99Ms: median(latency5.map((r) => r.latency.p99Ms)),
      consistent: latency5.every((r) => r.consistent),
    },
    scaling,
  };
}

/**
 * Runs `benchEngine` in a fresh Node process (this file run as a script, below) and relays its
 * lines: the engine is measured as the local server runs it, alone in its process, not after the
 * bench's other sections have filled this one's heap (which made sign-ups ~15 % slower).
 */
export function benchEngineInChild(
  options: SignUpBenchOptions,
  rounds: number,
  log: (line: string) => void = console.log,
): Promise<EngineBenchResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', __filename, JSON.stringify({ options, rounds })],
      {
        cwd: path.resolve(__dirname, '..', '..'),
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let buffer = '';
    let result: EngineBenchResult | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith(RESULT_PREFIX))
          result = JSON.parse(line.slice(RESULT_PREFIX.length)) as EngineBenchResult;
        else log(line);
      }
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0 && result) resolve(result);
      else reject(new Error(`engine bench process exited with ${code}`));
    });
  });
}

const RESULT_PREFIX = 'ENGINE_RESULT ';

if (require.main === module) {
  const { options, rounds } = JSON.parse(process.argv[2] ?? '{}') as {
    options: SignUpBenchOptions;
    rounds: number;
  };
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tongxin-engine-bench-'));
  benchEngine(tmp, options, rounds)
    .then((result) => {
      console.log(`${RESULT_PREFIX}${JSON.stringify(result)}`);
    })
    .finally(() => fs.rmSync(tmp, { recursive: true, force: true }))
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
