/**
 * The local server — the embedded default. Serves the H5 app and the cloud functions over HTTP:
 *   GET  /healthz                → {"ok":true}
 *   GET  /api/config             → { ok, data: { demo, demoUsers } }
 *   POST /api/login {code}       → { ok, data: { token, refreshToken, expiresIn, user } }
 *   POST /api/refresh {refreshToken} → { ok, data: { token, refreshToken, expiresIn } }
 *   POST /api/logout [{refreshToken}] → ends every session of the user (token version + 1)
 *   POST /api/call/<fn> {action, data} with Authorization: Bearer <token> → the function's result
 *   POST /api/upload <raw image bytes, ≤ 5 MB> with Authorization → { ok, data: { fileId, url } }
 *   GET  /files/<id>             → the display copy (≤ 1080 px, metadata such as GPS removed);
 *                                  originals stay on disk and are never served
 *   GET  /exports/<key>?e=&s=    → a generated document (report export) at its signed, expiring link
 * The caller's identity comes only from the signed session token: an access token (2 h) carrying
 * the user's token version, renewed with a refresh token (30 days); logout bumps the version in
 * `session_versions`, which ends every token of that user. Login, uploads (plus a daily quota per
 * user) and sensitive actions are rate-limited (RATE_LIMITED 429 with Retry-After); helmet sets
 * the security headers (CSP, frame-ancestors 'none', Referrer-Policy).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import jwt from 'jsonwebtoken';
import { HTTP_STATUS, type ApiError, type ErrorCode, type FunctionName, type Result } from '../../types/api';
import { FUNCTIONS } from '../../cloudfunctions/functions';
import {
  assertStrongSecret,
  dataCipher,
  requiresRealSecrets,
  SECRET_HOWTO,
} from '../../cloudfunctions/core/crypto';
import { createLocalRuntime, type LocalRuntime } from './local-runtime';
import { MAX_UPLOAD_BYTES, MSG_TOO_LARGE, UploadRejected } from './file-storage';
import { DEMO_USERS, seedDataDirIfNew, seedIfEmpty } from './seed';
import { staticFiles } from './static-files';

export interface ServerOptions {
  dataDir: string | ':memory:';
  demo: boolean;
  /**
   * Secret for session tokens: required (≥ 32 random bytes) when not in demo mode and under
   * NODE_ENV=production; a demo elsewhere keeps a random one in `<dataDir>/session-secret`.
   */
  sessionSecret?: string;
  /** Access token lifetime; default 2 hours. */
  tokenTtlSeconds?: number;
  /** Refresh token lifetime; default 30 days. */
  refreshTtlSeconds?: number;
  /** Overrides of DEFAULT_RATE_LIMITS (tests use small ones). */
  rateLimits?: Partial<RateLimits>;
  /** Express `trust proxy` (env TRUST_PROXY), so rate limits see client addresses behind a proxy. */
  trustProxy?: boolean | number | string;
  /** Folder with the H5 build to serve at `/`. */
  staticDir?: string;
  /** Exchanges a wx.login code for an openid (WeChat code2session); injectable for tests. */
  exchangeCode?: (code: string) => Promise<string>;
  now?: () => number;
  quiet?: boolean;
  /** Seed the demo data into an empty database (demo mode only; default true). */
  seed?: boolean;
  /**
   * Run the timer function every this many ms (reminders, outbox sweep), as CloudBase's timer
   * trigger does in production. 0 or absent: no scheduler (tests tick by hand).
   */
  schedulerIntervalMs?: number;
}

export interface LocalServer {
  app: express.Express;
  runtime: LocalRuntime;
  listen(port: number, host?: string): Promise<http.Server>;
  close(): Promise<void>;
}

const DEMO_OPENID = /^[A-Za-z0-9_-]{1,64}$/;

export interface Limit {
  windowMs: number;
  limit: number;
}

export interface RateLimits {
  /** Per client address. */
  login: Limit;
  /** Per user. */
  upload: Limit;
  /** Per user, over the last 24 hours (counted from the stored files). */
  uploadsPerDay: number;
  /** Per user, keyed `<fn>.<action>`. */
  actions: Record<string, Limit>;
}

const MINUTE = 60_000;

/**
 * Limits for the self-hosted server. On CloudBase the functions run without this server, so the
 * per-action limits apply to the self-hosted deployment only.
 */
export const DEFAULT_RATE_LIMITS: RateLimits = {
  login: { windowMs: 10 * MINUTE, limit: 60 },
  upload: { windowMs: MINUTE, limit: 30 },
  uploadsPerDay: 100,
  actions: {
    'alliance.redeemInvite': { windowMs: 10 * MINUTE, limit: 10 },
    'volunteer.verifyCertificate': { windowMs: MINUTE, limit: 30 },
    'volunteer.revealIdentity': { windowMs: 10 * MINUTE, limit: 30 },
    'volunteer.revealMine': { windowMs: 10 * MINUTE, limit: 10 },
    'grievance.revealPhone': { windowMs: 10 * MINUTE, limit: 30 },
  },
};

/**
 * Content-Security-Policy for the H5 app: scripts and styles from this origin (styles also inline:
 * Taro and NutUI set them at run time), images from here, data: (QR codes) and blob: (chosen
 * photos, which are also read back with fetch), Tencent's location picker that Taro H5 frames for
 * chooseLocation, and no framing of the app itself.
 */
export const CONTENT_SECURITY_POLICY = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    baseUri: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:', 'blob:'],
    fontSrc: ["'self'", 'data:'],
    connectSrc: ["'self'", 'blob:'],
    mediaSrc: ["'self'", 'blob:'],
    frameSrc: ['https://apis.map.qq.com'],
    objectSrc: ["'none'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
};

const fail = (code: ErrorCode, message: string): Result<never> => ({ ok: false, error: { code, message } });

function send(res: Response, result: Result<unknown>): void {
  res.status(result.ok ? 200 : HTTP_STATUS[result.error.code]).json(result);
}

/**
 * Errors from reading a request body (body-parser, raw-body, zlib): the client's fault, answered
 * 4xx with a clear message. Undefined for anything else (a real server error).
 */
export function transportError(
  err: unknown,
  tooLarge: string,
): { status: number; body: Result<never> } | undefined {
  const e = (err ?? {}) as {
    type?: string;
    status?: number;
    statusCode?: number;
    code?: string;
    charset?: string;
    encoding?: string;
  };
  const reply = (status: number, message: string) => ({ status, body: fail('INVALID_INPUT', message) });
  switch (e.type) {
    case 'entity.too.large':
      return reply(413, tooLarge);
    case 'entity.parse.failed':
      return reply(400, '请求体不是合法的 JSON');
    case 'charset.unsupported':
      return reply(415, `不支持的字符集 ${e.charset ?? ''}，请使用 UTF-8`.replace(' ，', '，'));
    case 'encoding.unsupported':
      return reply(415, `不支持的内容编码 ${e.encoding ?? ''}，请使用 gzip、deflate、br 或不压缩`);
    case 'request.aborted':
      return reply(400, '请求未发送完整，请重试');
    case 'request.size.invalid':
      return reply(400, '请求内容长度与声明的不符');
  }
  if (typeof e.code === 'string' && e.code.startsWith('Z_')) {
    return reply(400, '请求内容的压缩数据无效（与 Content-Encoding 不符）');
  }
  const status = e.status ?? e.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return reply(
      status === 413 ? 413 : status === 415 ? 415 : 400,
      status === 413 ? tooLarge : '请求格式不正确',
    );
  }
  return undefined;
}

const waitText = (seconds: number) => (seconds < 60 ? `${seconds} 秒` : `${Math.ceil(seconds / 60)} 分钟`);

/** A rate limiter answering RATE_LIMITED 429 with Retry-After and a Chinese message. */
function limiter(limit: Limit, key?: (req: Request, res: Response) => string): RequestHandler {
  return rateLimit({
    windowMs: limit.windowMs,
    limit: limit.limit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    ...(key ? { keyGenerator: key } : {}),
    handler(req, res) {
      const reset = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const ms = reset ? reset.getTime() - Date.now() : limit.windowMs;
      const seconds = Math.max(1, Math.ceil(ms / 1000));
      res.set('Retry-After', String(seconds));
      send(res, fail('RATE_LIMITED', `操作太频繁，请 ${waitText(seconds)}后再试`));
    },
  });
}

export async function createServer(options: ServerOptions): Promise<LocalServer> {
  // Fail at start, not at the first grievance, when personal data could not be encrypted.
  dataCipher(process.env, { demo: options.demo });
  const secret = sessionSecretFor(options);
  // Demo mode only: a clock offset the browser tests move forward (check-out hours later) and back.
  let clockOffsetMs = 0;
  const baseNow = options.now ?? (() => Date.now());
  const now = () => baseNow() + clockOffsetMs;
  // Demo data only in demo mode: a production database starts empty (see bootstrap-admin.ts).
  const seedDemo = options.demo && options.seed !== false;
  if (seedDemo && options.dataDir !== ':memory:') {
    await seedDataDirIfNew(options.dataDir, (scratchDir) =>
      createLocalRuntime({ dataDir: scratchDir, now, quiet: true, demo: true }),
    );
  }
  const runtime = createLocalRuntime({
    dataDir: options.dataDir,
    now,
    quiet: options.quiet,
    demo: options.demo,
  });
  if (seedDemo) await seedIfEmpty(runtime);
  const exchangeCode = options.exchangeCode ?? code2session;
  const sessions = createSessions(
    runtime,
    secret,
    options.tokenTtlSeconds ?? 2 * 3600,
    options.refreshTtlSeconds ?? 30 * 24 * 3600,
  );
  const limits: RateLimits = { ...DEFAULT_RATE_LIMITS, ...options.rateLimits };
  const byUser = (_req: Request, res: Response) => String(res.locals.openid);
  const actionLimiters = new Map(
    Object.entries(limits.actions).map(([key, limit]) => [key, limiter(limit, byUser)]),
  );

  /** Sets res.locals.openid from a valid access token, or answers 401. */
  const authenticate: RequestHandler = async (req, res, next) => {
    const openid = await sessions.verify(bearer(req.headers.authorization), 'access');
    if (!openid) return send(res, fail('UNAUTHENTICATED', '登录已过期，请重新登录'));
    res.locals.openid = openid;
    next();
  };

  const app = express();
  app.disable('x-powered-by');
  if (options.trustProxy !== undefined) app.set('trust proxy', options.trustProxy);
  const scriptHashes = inlineScriptHashes(options.staticDir);
  app.use(
    helmet({
      contentSecurityPolicy: {
        ...CONTENT_SECURITY_POLICY,
        directives: {
          ...CONTENT_SECURITY_POLICY.directives,
          // Taro's H5 page has one small inline script (root font size): allowed by its hash only.
          scriptSrc: ["'self'", () => scriptHashes().join(' ')],
        },
      },
      frameguard: { action: 'deny' },
      referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
      // The app is plain HTTP on 127.0.0.1 by default; HSTS belongs to the HTTPS proxy in front.
      strictTransportSecurity: false,
    }),
  );
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });

  // Image uploads: before the /api router, whose JSON parser stops at 1 MB. The token is checked
  // before the body is read; the bytes decide the format (Content-Type and filenames are ignored).
  app.post(
    '/api/upload',
    authenticate,
    limiter(limits.upload, byUser),
    async (_req: Request, res: Response, next: NextFunction) => {
      const db = runtime.runtime.db;
      const since = runtime.runtime.now() - 24 * 3600_000;
      const { total } = (await db
        .collection('files')
        .where({ owner: res.locals.openid as string, createdAt: db.command.gte(since) })
        .count()) as { total: number };
      if (total >= limits.uploadsPerDay) {
        res.set('Retry-After', String(3600));
        return send(
          res,
          fail('RATE_LIMITED', `24 小时内最多上传 ${limits.uploadsPerDay} 张图片，请稍后再试`),
        );
      }
      next();
    },
    express.raw({ type: () => true, limit: MAX_UPLOAD_BYTES }),
    async (req: Request, res: Response) => {
      const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      if (bytes.length === 0) return send(res, fail('INVALID_INPUT', '请选择要上传的图片'));
      try {
        send(res, { ok: true, data: await runtime.files.save(bytes, res.locals.openid as string) });
      } catch (err) {
        if (!(err instanceof UploadRejected)) throw err;
        res.status(err.status).json(fail('INVALID_INPUT', err.message));
      }
    },
    (err: unknown, _req: Request, res: Response, _next: NextFunction) => {
      const client = transportError(err, MSG_TOO_LARGE);
      if (client) return void res.status(client.status).json(client.body);
      runtime.runtime.log('error', 'upload failed', { error: String(err) });
      res.status(500).json(fail('INTERNAL', '系统繁忙，请稍后重试'));
    },
  );

  // Uploaded images. Ids are 128-bit random and never reused, so the bytes behind a URL never
  // change: cache for a year. Like a CloudBase temporary URL, the URL itself is the credential.
  app.get('/files/:id', async (req, res, next) => {
    try {
      const image = await runtime.files.read(req.params.id);
      if (!image) return send(res, fail('NOT_FOUND', '图片不存在'));
      res.set({
        'Content-Type': image.contentType,
        'Cache-Control': 'public, max-age=31536000, immutable',
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': "default-src 'none'",
      });
      res.send(image.bytes);
    } catch (err) {
      next(err);
    }
  });

  // Generated documents (report exports): the signed, expiring link is the credential, as a
  // CloudBase temporary URL is. Never cached; downloaded as an attachment under its Chinese name.
  app.get('/exports/:key', async (req, res, next) => {
    try {
      const q = (v: unknown) => (typeof v === 'string' ? v : undefined);
      const doc = await runtime.files.readDocument(req.params.key, q(req.query.e), q(req.query.s));
      if (!doc) return send(res, fail('NOT_FOUND', '文件不存在或链接已过期'));
      res.set({
        'Content-Type': doc.contentType,
        'Content-Disposition': `attachment; filename="export.xlsx"; filename*=UTF-8''${encodeURIComponent(doc.name)}`,
        'Cache-Control': 'private, no-store',
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': "default-src 'none'",
      });
      res.send(doc.bytes);
    } catch (err) {
      next(err);
    }
  });

  const api = express.Router();
  api.use(express.json({ limit: '1mb', strict: true, type: () => true }));

  api.get('/config', (_req, res) => {
    send(res, { ok: true, data: { demo: options.demo, demoUsers: options.demo ? DEMO_USERS : [] } });
  });

  api.post('/login', limiter(limits.login), async (req, res) => {
    const code = typeof req.body?.code === 'string' ? (req.body.code as string) : '';
    if (!code) return send(res, fail('INVALID_INPUT', '缺少登录凭证 code'));
    let openid: string;
    if (code.startsWith('demo:')) {
      if (!options.demo) return send(res, fail('UNAUTHENTICATED', '演示登录未开启'));
      openid = code.slice(5);
      if (!DEMO_OPENID.test(openid)) return send(res, fail('INVALID_INPUT', '演示账号格式不正确'));
    } else {
      try {
        openid = await exchangeCode(code);
      } catch (err) {
        return send(res, fail('UNAUTHENTICATED', `微信登录失败：${(err as Error).message}`));
      }
    }
    // Creates the user on first login, exactly as the first cloud call in WeChat does.
    const me = await runtime.call('user', { action: 'me', data: {} }, openid);
    if (!me.ok) return send(res, me);
    const tokens = await sessions.issue(openid);
    send(res, { ok: true, data: { ...tokens, user: (me.data as { user: unknown }).user } });
  });

  // A new access token (and refresh token) for a refresh token of the user's current version.
  api.post('/refresh', limiter(limits.login), async (req, res) => {
    const token = (req.body as { refreshToken?: unknown } | undefined)?.refreshToken;
    const openid = await sessions.verify(typeof token === 'string' ? token : undefined, 'refresh');
    if (!openid) return send(res, fail('UNAUTHENTICATED', '登录已过期，请重新登录'));
    send(res, { ok: true, data: await sessions.issue(openid) });
  });

  // Ends every session of the user: the access token in Authorization or the refresh token in
  // the body (so an expired access token can still log out).
  api.post('/logout', async (req, res) => {
    const refresh = (req.body as { refreshToken?: unknown } | undefined)?.refreshToken;
    const openid =
      (await sessions.verify(bearer(req.headers.authorization), 'access')) ??
      (await sessions.verify(typeof refresh === 'string' ? refresh : undefined, 'refresh'));
    if (!openid) return send(res, fail('UNAUTHENTICATED', '登录已过期，请重新登录'));
    await sessions.revoke(openid);
    send(res, { ok: true, data: {} });
  });

  // Demo mode only: what the local message sink "sent" to WeChat.
  api.get('/dev/outbox', async (_req, res) => {
    if (!options.demo) return send(res, fail('NOT_FOUND', '接口不存在'));
    send(res, { ok: true, data: { records: await runtime.sink.records(200) } });
  });

  // Demo mode only: move the server's clock (e.g. to the end of a service session) and back.
  api.get('/dev/clock', (_req, res) => {
    if (!options.demo) return send(res, fail('NOT_FOUND', '接口不存在'));
    send(res, { ok: true, data: { now: runtime.runtime.now(), offsetMs: clockOffsetMs } });
  });
  api.post('/dev/clock', (req, res) => {
    if (!options.demo) return send(res, fail('NOT_FOUND', '接口不存在'));
    const offset = (req.body as { offsetMs?: unknown } | undefined)?.offsetMs;
    if (
      typeof offset !== 'number' ||
      !Number.isSafeInteger(offset) ||
      Math.abs(offset) > 30 * 24 * 3600_000
    ) {
      return send(res, fail('INVALID_INPUT', 'offsetMs 须为 30 天以内的整数毫秒'));
    }
    clockOffsetMs = offset;
    send(res, { ok: true, data: { now: runtime.runtime.now(), offsetMs: clockOffsetMs } });
  });

  api.post(
    '/call/:fn',
    (req, res, next) => {
      if (Object.prototype.hasOwnProperty.call(FUNCTIONS, String(req.params.fn))) return next();
      send(res, fail('NOT_FOUND', `云函数不存在：${req.params.fn}`));
    },
    authenticate,
    (req, res, next) => {
      const action = (req.body as { action?: unknown } | undefined)?.action;
      const limit = actionLimiters.get(`${req.params.fn}.${String(action)}`);
      return limit ? limit(req, res, next) : next();
    },
    async (req, res) => {
      const fn = req.params.fn as FunctionName;
      const body = req.body as { action?: unknown; data?: unknown } | undefined;
      const event = { action: body?.action, data: body?.data };
      send(res, await runtime.call(fn, event, res.locals.openid as string));
    },
  );

  api.use((_req, res) => send(res, fail('NOT_FOUND', '接口不存在')));
  api.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const client = transportError(err, '请求内容过大（上限 1 MB）');
    if (client) return void res.status(client.status).json(client.body);
    runtime.runtime.log('error', 'request failed', { error: String(err) });
    res.status(500).json(fail('INTERNAL', '系统繁忙，请稍后重试'));
  });
  app.use('/api', api);

  if (options.staticDir && fs.existsSync(options.staticDir)) {
    // Precompressed br/gzip, immutable hashed files, index.html revalidated (static-files.ts).
    app.use(staticFiles(options.staticDir));
  }

  const scheduler = startScheduler(runtime, options.schedulerIntervalMs ?? 0);
  let server: http.Server | undefined;
  return {
    app,
    runtime,
    listen(port, host = '127.0.0.1') {
      // Express 5 hands a listen error (EADDRINUSE, EACCES) to this callback: reject with it.
      return new Promise((resolve, reject) => {
        const s = app.listen(port, host, (err?: Error) => {
          if (err) return reject(err);
          server = s;
          resolve(s);
        });
      });
    },
    async close() {
      scheduler.stop();
      if (server) await new Promise<void>((r) => server?.close(() => r()));
      await scheduler.idle();
      runtime.close();
    },
  };
}

/** The local stand-in for CloudBase's timer trigger: one run at a time, never overlapping. */
function startScheduler(runtime: LocalRuntime, intervalMs: number) {
  let running: Promise<unknown> = Promise.resolve();
  let busy = false;
  const timer =
    intervalMs > 0
      ? setInterval(() => {
          if (busy) return;
          busy = true;
          running = runtime
            .tick()
            .catch((err: Error) =>
              runtime.runtime.log('error', 'scheduled timer failed', { error: err.message }),
            )
            .finally(() => {
              busy = false;
            });
        }, intervalMs)
      : undefined;
  timer?.unref();
  return {
    stop: () => timer && clearInterval(timer),
    idle: () => running,
  };
}

const bearer = (header: string | undefined) => (header?.startsWith('Bearer ') ? header.slice(7) : undefined);

/**
 * Session tokens. Each carries the user's token version from `session_versions` (0 until the first
 * logout); bumping it ends every token issued before. The versions are cached: this server is the
 * only writer.
 */
function createSessions(runtime: LocalRuntime, secret: string, accessTtl: number, refreshTtl: number) {
  const versions = new Map<string, number>();
  const docOf = (openid: string) => runtime.runtime.db.collection('session_versions').doc(openid);
  async function version(openid: string): Promise<number> {
    let v = versions.get(openid);
    if (v === undefined) {
      const { data } = (await docOf(openid).get()) as { data: { version?: number }[] };
      v = data[0]?.version ?? 0;
      versions.set(openid, v);
    }
    return v;
  }
  const sign = (openid: string, ver: number, typ: 'access' | 'refresh', ttl: number) =>
    jwt.sign({ sub: openid, ver, typ }, secret, { expiresIn: ttl, algorithm: 'HS256' });
  return {
    async issue(openid: string) {
      const ver = await version(openid);
      return {
        token: sign(openid, ver, 'access', accessTtl),
        refreshToken: sign(openid, ver, 'refresh', refreshTtl),
        expiresIn: accessTtl,
      };
    },
    async verify(token: string | undefined, typ: 'access' | 'refresh'): Promise<string | undefined> {
      if (!token) return undefined;
      let payload: jwt.JwtPayload;
      try {
        payload = jwt.verify(token, secret, { algorithms: ['HS256'] }) as jwt.JwtPayload;
      } catch {
        return undefined;
      }
      if (typeof payload.sub !== 'string' || payload.typ !== typ) return undefined;
      return payload.ver === (await version(payload.sub)) ? payload.sub : undefined;
    },
    async revoke(openid: string): Promise<void> {
      const next = (await version(openid)) + 1;
      versions.set(openid, next);
      await docOf(openid).set({ version: next, updatedAt: runtime.runtime.now() });
    },
  };
}

/**
 * The session secret: SESSION_SECRET, required and ≥ 32 random bytes outside demo mode and under
 * NODE_ENV=production; a demo elsewhere keeps a random one beside its data.
 */
function sessionSecretFor(options: ServerOptions): string {
  const configured = options.sessionSecret?.trim();
  if (!requiresRealSecrets(process.env, options.demo)) return configured || demoSecret(options.dataDir);
  if (!configured) {
    throw new Error(
      `SESSION_SECRET 未设置：${options.demo ? 'NODE_ENV=production 时即使开启演示模式' : '非演示模式'}也必须配置会话密钥。${SECRET_HOWTO}`,
    );
  }
  assertStrongSecret('SESSION_SECRET', configured);
  return configured;
}

/**
 * CSP hashes ('sha256-…') of the inline scripts in the H5 build's index.html, re-read when the
 * file changes (a rebuild while the server runs).
 */
function inlineScriptHashes(staticDir: string | undefined): () => string[] {
  const index = staticDir ? path.join(staticDir, 'index.html') : undefined;
  let seen = -1;
  let hashes: string[] = [];
  return () => {
    const mtime = index && fs.existsSync(index) ? fs.statSync(index).mtimeMs : 0;
    if (mtime !== seen) {
      seen = mtime;
      const html = mtime ? fs.readFileSync(index as string, 'utf8') : '';
      hashes = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi)]
        .map((m) => m[1] ?? '')
        .filter((code) => code.trim() !== '')
        .map((code) => `'sha256-${crypto.createHash('sha256').update(code, 'utf8').digest('base64')}'`);
    }
    return hashes;
  };
}

/** In demo mode a random secret is kept beside the data so sessions survive restarts. */
function demoSecret(dataDir: string): string {
  if (dataDir === ':memory:') return crypto.randomBytes(32).toString('hex');
  const file = path.join(dataDir, 'session-secret');
  fs.mkdirSync(dataDir, { recursive: true });
  if (!fs.existsSync(file)) fs.writeFileSync(file, crypto.randomBytes(32).toString('hex'), { mode: 0o600 });
  return fs.readFileSync(file, 'utf8').trim();
}

/** WeChat code2session: exchanges a wx.login code for the user's openid. */
async function code2session(code: string): Promise<string> {
  const appid = process.env.WX_APPID;
  const appSecret = process.env.WX_SECRET;
  if (!appid || !appSecret) throw new Error('未配置 WX_APPID / WX_SECRET');
  const url = new URL('https://api.weixin.qq.com/sns/jscode2session');
  url.search = new URLSearchParams({
    appid,
    secret: appSecret,
    js_code: code,
    grant_type: 'authorization_code',
  }).toString();
  const res = await fetch(url);
  const body = (await res.json()) as { openid?: string; errcode?: number; errmsg?: string };
  if (!body.openid) throw new Error(body.errmsg ?? `errcode ${body.errcode}`);
  return body.openid;
}

export type { ApiError };

/** What to print when the server cannot listen (port taken, no permission). */
export function listenErrorMessage(err: NodeJS.ErrnoException, port: number, host: string): string {
  if (err.code === 'EADDRINUSE') {
    return `端口 ${port} 已被占用（${host}:${port}），同心圆本地服务未启动。请关闭占用该端口的程序，或换一个端口：PORT=${port + 1} npm start`;
  }
  if (err.code === 'EACCES') return `没有权限监听端口 ${port}，请换一个大于 1024 的端口：PORT=3000 npm start`;
  return `无法监听 ${host}:${port}：${err.message}`;
}

// Run directly: `tsx tools/runtime/server.ts`
if (require.main === module) {
  const root = path.resolve(__dirname, '../..');
  const demo = process.env.DEMO_MODE
    ? process.env.DEMO_MODE === 'true'
    : process.env.NODE_ENV !== 'production';
  const port = Number(process.env.PORT ?? 3000);
  const host = process.env.HOST ?? '127.0.0.1';
  const trustProxy = process.env.TRUST_PROXY;
  createServer({
    dataDir: process.env.DATA_DIR ?? path.join(root, 'data'),
    demo,
    sessionSecret: process.env.SESSION_SECRET,
    staticDir: path.join(root, 'miniprogram/dist-h5'),
    schedulerIntervalMs: Number(process.env.SCHEDULER_INTERVAL_MS ?? 60_000),
    ...(trustProxy
      ? {
          trustProxy: /^\d+$/.test(trustProxy)
            ? Number(trustProxy)
            : trustProxy === 'true'
              ? true
              : trustProxy,
        }
      : {}),
  })
    .then(async (srv) => {
      try {
        await srv.listen(port, host);
      } catch (err) {
        console.error(listenErrorMessage(err as NodeJS.ErrnoException, port, host));
        await srv.close();
        process.exit(1);
      }
      console.log(`同心圆本地服务已启动：http://${host}:${port}${demo ? '（演示模式）' : ''}`);
      const stop = () => srv.close().then(() => process.exit(0));
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    })
    .catch((err: Error) => {
      console.error(err.message);
      process.exit(1);
    });
}
