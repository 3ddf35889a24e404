/**
 * The local server — the embedded default. Serves the H5 app and the cloud functions over HTTP:
 *   GET  /healthz                → {"ok":true}
 *   GET  /api/config             → { ok, data: { demo, demoUsers } }
 *   POST /api/login {code}       → { ok, data: { token, user } }
 *   POST /api/call/<fn> {action, data} with Authorization: Bearer <token> → the function's result
 *   POST /api/upload <raw image bytes, ≤ 5 MB> with Authorization → { ok, data: { fileId, url } }
 *   GET  /files/<id>             → the display copy (≤ 1080 px, metadata such as GPS removed);
 *                                  originals stay on disk and are never served
 * The caller's identity comes only from the signed session token.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import jwt from 'jsonwebtoken';
import { HTTP_STATUS, type ApiError, type ErrorCode, type FunctionName, type Result } from '../../types/api';
import { FUNCTIONS } from '../../cloudfunctions/functions';
import { dataCipher } from '../../cloudfunctions/core/crypto';
import { createLocalRuntime, type LocalRuntime } from './local-runtime';
import { MAX_UPLOAD_BYTES, MSG_TOO_LARGE, UploadRejected } from './file-storage';
import { DEMO_USERS, seedIfEmpty } from './seed';

export interface ServerOptions {
  dataDir: string | ':memory:';
  demo: boolean;
  /** Secret for session tokens; required when not in demo mode. */
  sessionSecret?: string;
  tokenTtlSeconds?: number;
  /** Folder with the H5 build to serve at `/`. */
  staticDir?: string;
  /** Exchanges a wx.login code for an openid (WeChat code2session); injectable for tests. */
  exchangeCode?: (code: string) => Promise<string>;
  now?: () => number;
  quiet?: boolean;
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

const fail = (code: ErrorCode, message: string): Result<never> => ({ ok: false, error: { code, message } });

function send(res: Response, result: Result<unknown>): void {
  res.status(result.ok ? 200 : HTTP_STATUS[result.error.code]).json(result);
}

export async function createServer(options: ServerOptions): Promise<LocalServer> {
  // Fail at start, not at the first grievance, when personal data could not be encrypted.
  dataCipher(process.env, { demo: options.demo });
  const secret = options.sessionSecret ?? (options.demo ? demoSecret(options.dataDir) : undefined);
  if (!secret) throw new Error('SESSION_SECRET 未设置：非演示模式必须配置会话密钥');
  // Demo mode only: a clock offset the browser tests move forward (check-out hours later) and back.
  let clockOffsetMs = 0;
  const baseNow = options.now ?? (() => Date.now());
  const runtime = createLocalRuntime({
    dataDir: options.dataDir,
    now: () => baseNow() + clockOffsetMs,
    quiet: options.quiet,
    demo: options.demo,
  });
  if (options.seed !== false) await seedIfEmpty(runtime);
  const exchangeCode = options.exchangeCode ?? code2session;
  const ttl = options.tokenTtlSeconds ?? 7 * 24 * 3600;

  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });

  // Image uploads: before the /api router, whose JSON parser stops at 1 MB. The token is checked
  // before the body is read; the bytes decide the format (Content-Type and filenames are ignored).
  app.post(
    '/api/upload',
    (req: Request, res: Response, next: NextFunction) => {
      const openid = verifyToken(req.headers.authorization, secret);
      if (!openid) return send(res, fail('UNAUTHENTICATED', '登录已过期，请重新登录'));
      res.locals.openid = openid;
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
    (err: { type?: string }, _req: Request, res: Response, _next: NextFunction) => {
      if (err.type === 'entity.too.large') {
        res.status(413).json(fail('INVALID_INPUT', MSG_TOO_LARGE));
      } else if (err.type === 'encoding.unsupported') {
        res.status(415).json(fail('INVALID_INPUT', '不支持的内容编码'));
      } else {
        runtime.runtime.log('error', 'upload failed', { error: String(err) });
        res.status(500).json(fail('INTERNAL', '系统繁忙，请稍后重试'));
      }
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

  const api = express.Router();
  api.use(express.json({ limit: '1mb', strict: true, type: () => true }));

  api.get('/config', (_req, res) => {
    send(res, { ok: true, data: { demo: options.demo, demoUsers: options.demo ? DEMO_USERS : [] } });
  });

  api.post('/login', async (req, res) => {
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
    const token = jwt.sign({ sub: openid }, secret, { expiresIn: ttl, algorithm: 'HS256' });
    send(res, { ok: true, data: { token, user: (me.data as { user: unknown }).user } });
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

  api.post('/call/:fn', async (req, res) => {
    const fn = req.params.fn as FunctionName;
    if (!Object.prototype.hasOwnProperty.call(FUNCTIONS, fn)) {
      return send(res, fail('NOT_FOUND', `云函数不存在：${req.params.fn}`));
    }
    const openid = verifyToken(req.headers.authorization, secret);
    if (!openid) return send(res, fail('UNAUTHENTICATED', '登录已过期，请重新登录'));
    const body = req.body as { action?: unknown; data?: unknown } | undefined;
    const event = { action: body?.action, data: body?.data };
    send(res, await runtime.call(fn, event, openid));
  });

  api.use((_req, res) => send(res, fail('NOT_FOUND', '接口不存在')));
  api.use((err: { type?: string; status?: number }, _req: Request, res: Response, _next: NextFunction) => {
    if (err.type === 'entity.too.large') {
      res.status(413).json(fail('INVALID_INPUT', '请求内容过大（上限 1 MB）'));
    } else if (err.type === 'entity.parse.failed') {
      res.status(400).json(fail('INVALID_INPUT', '请求体不是合法的 JSON'));
    } else {
      runtime.runtime.log('error', 'request failed', { error: String(err) });
      res.status(500).json(fail('INTERNAL', '系统繁忙，请稍后重试'));
    }
  });
  app.use('/api', api);

  if (options.staticDir && fs.existsSync(options.staticDir)) {
    app.use(express.static(options.staticDir, { index: 'index.html', maxAge: '1h' }));
  }

  const scheduler = startScheduler(runtime, options.schedulerIntervalMs ?? 0);
  let server: http.Server | undefined;
  return {
    app,
    runtime,
    listen(port, host = '127.0.0.1') {
      return new Promise((resolve) => {
        server = app.listen(port, host, () => resolve(server as http.Server));
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

function verifyToken(header: string | undefined, secret: string): string | undefined {
  const token = header?.startsWith('Bearer ') ? header.slice(7) : undefined;
  if (!token) return undefined;
  try {
    const payload = jwt.verify(token, secret, { algorithms: ['HS256'] }) as jwt.JwtPayload;
    return typeof payload.sub === 'string' ? payload.sub : undefined;
  } catch {
    return undefined;
  }
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

// Run directly: `tsx tools/runtime/server.ts`
if (require.main === module) {
  const root = path.resolve(__dirname, '../..');
  const demo = process.env.DEMO_MODE
    ? process.env.DEMO_MODE === 'true'
    : process.env.NODE_ENV !== 'production';
  const port = Number(process.env.PORT ?? 3000);
  createServer({
    dataDir: process.env.DATA_DIR ?? path.join(root, 'data'),
    demo,
    sessionSecret: process.env.SESSION_SECRET,
    staticDir: path.join(root, 'miniprogram/dist-h5'),
    schedulerIntervalMs: Number(process.env.SCHEDULER_INTERVAL_MS ?? 60_000),
  })
    .then(async (srv) => {
      await srv.listen(port, process.env.HOST ?? '127.0.0.1');
      console.log(`同心圆本地服务已启动：http://127.0.0.1:${port}${demo ? '（演示模式）' : ''}`);
      const stop = () => srv.close().then(() => process.exit(0));
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    })
    .catch((err: Error) => {
      console.error(err.message);
      process.exit(1);
    });
}
