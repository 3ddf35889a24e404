/**
 * The embedded runtime: the same cloud-function modules, on the local engine. Only the adapters
 * differ from production: database (SQLite through the CloudBase query builder), identity (the
 * server's session, passed in the call context), file storage (local files behind the server's
 * upload endpoint), content check (a word filter), clock and log.
 */
import fs from 'node:fs';
import path from 'node:path';
import { installRuntime, type Runtime } from '../../cloudfunctions/core/runtime';
import { INDEXES } from '../../cloudfunctions/core/indexes';
import { FUNCTIONS, SYSTEM_FUNCTIONS } from '../../cloudfunctions/functions';
import { templateIdFor } from '../../cloudfunctions/core/notify/templates';
import type { TimerReport } from '../../cloudfunctions/core/function';
import type { FunctionName, Result } from '../../types/api';
import { NOTIFY_KINDS, type NotifyKind } from '../../types/domain';
import { openLocalDatabase, type LocalDatabase } from './engine';
import { createLocalSink, type LocalSink } from './message-sink';
import { createLocalFileStorage, type LocalFileStorage } from './file-storage';
import { createContentFilter, type ContentFilter } from './content-filter';
import { countRequest, meter, type RequestCount } from './request-meter';

export interface LocalContext {
  /** Set by the local server from the verified session token; never from the request body. */
  localSession?: { openid: string };
}

export interface LocalRuntimeOptions {
  /** Folder for the database file; ':memory:' for tests. */
  dataDir: string | ':memory:';
  now?: () => number;
  quiet?: boolean;
  /** Demo mode (demo logins, dev outbox); `runtime.demo`. Default true. */
  demo?: boolean;
  /**
   * Simulated round trip per database request in ms (CloudBase: typically 5–30). Default: the
   * `ENGINE_LATENCY_MS` environment variable, else 0. Race tests turn it on so that the requests
   * of concurrent calls interleave as they do on CloudBase.
   */
  latencyMs?: number;
}

export interface LocalRuntime {
  runtime: Runtime;
  database: LocalDatabase;
  /** Where subscription messages go locally (inspect it, or script WeChat errors). */
  sink: LocalSink;
  /** Uploaded images (the server's upload endpoint stores through it); also `runtime.storage`. */
  files: LocalFileStorage;
  /** The word filter standing in for WeChat content security; also `runtime.contentCheck`. */
  contentFilter: ContentFilter;
  /** Run the timer function once, as its CloudBase trigger would. */
  tick(): Promise<TimerReport>;
  /** Call a cloud function as `openid` (undefined = not logged in). */
  call(fn: FunctionName, event: unknown, openid: string | undefined): Promise<Result<unknown>>;
  /** Call, and count the database requests the call made (and their sequential depth). */
  metered(
    fn: FunctionName,
    event: unknown,
    openid: string | undefined,
  ): Promise<{ result: Result<unknown> } & RequestCount>;
  close(): void;
}

export function databaseFile(dataDir: string): string {
  return path.join(dataDir, 'tongxin.sqlite');
}

/**
 * The database holds personal data: its file and the SQLite journal files (-wal, -shm) are created
 * owner-only (umask 077 while opening) and tightened to 0600 when they already existed.
 */
function openPrivately<T>(file: string, open: () => T): T {
  if (file === ':memory:') return open();
  const previous = process.umask(0o077);
  let opened: T;
  try {
    opened = open();
  } finally {
    process.umask(previous);
  }
  for (const suffix of ['', '-wal', '-shm']) {
    if (fs.existsSync(file + suffix)) fs.chmodSync(file + suffix, 0o600);
  }
  return opened;
}

export function createLocalRuntime(options: LocalRuntimeOptions): LocalRuntime {
  const file = options.dataDir === ':memory:' ? ':memory:' : databaseFile(options.dataDir);
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const now = options.now ?? (() => Date.now());
  const latencyMs = options.latencyMs ?? Number(process.env.ENGINE_LATENCY_MS ?? 0);
  if (!Number.isFinite(latencyMs) || latencyMs < 0) throw new Error('ENGINE_LATENCY_MS 必须是非负数（毫秒）');
  const database = openPrivately(file, () =>
    openLocalDatabase({ file, indexes: INDEXES, now, latencyMs, onRequest: countRequest }),
  );
  // Template ids come from the same env variables as in production, with local stand-ins.
  const templateId = (kind: NotifyKind) => templateIdFor(kind, process.env, (k) => `local-${k}`);
  const kindOf = (id: string) => NOTIFY_KINDS.find((k) => templateId(k) === id) ?? NOTIFY_KINDS[0];
  const sink = createLocalSink(database.db, now, kindOf);
  const files = createLocalFileStorage({ db: database.db, dataDir: options.dataDir, now });
  const contentFilter = createContentFilter();
  const runtime: Runtime = {
    db: database.db,
    identity: {
      callerOpenid: (context) => (context as LocalContext | undefined)?.localSession?.openid,
    },
    messenger: sink,
    storage: files,
    contentCheck: contentFilter,
    demo: options.demo ?? true,
    templateId,
    now,
    log(level, message, extra) {
      if (options.quiet && level !== 'error') return;
      console[level](`[${level}] ${message}`, extra ? JSON.stringify(extra) : '');
    },
  };
  installRuntime(runtime);
  const call = (fn: FunctionName, event: unknown, openid: string | undefined) => {
    const main = FUNCTIONS[fn];
    const context: LocalContext = openid ? { localSession: { openid } } : {};
    return main(event, context);
  };
  return {
    runtime,
    database,
    sink,
    files,
    contentFilter,
    tick: () => SYSTEM_FUNCTIONS.timer({}, {}),
    call,
    metered: (fn, event, openid) => meter(() => call(fn, event, openid)),
    close: () => database.close(),
  };
}
