/**
 * Issue 10: transport errors, atomic seeding, no demo data in production, strong secrets, a taken
 * port, rate limits, security headers, a private database file, logout and token refresh.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import type { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';
import sharp from 'sharp';
import { createServer, type LocalServer } from '../../tools/runtime/server';
import { createLocalRuntime, databaseFile } from '../../tools/runtime/local-runtime';
import { bootstrapAdmin } from '../../tools/runtime/bootstrap-admin';
import { backupDataDir } from '../../tools/runtime/backup';
import { SEED_MARKER } from '../../tools/runtime/seed';
import * as seedVolunteer from '../../tools/runtime/seed-volunteer';

const STRONG = '5f0c1e9a7b3d2468ace13579bdf02468a1b2c3d4e5f60718293a4b5c6d7e8f90';
const STRONG_2 = 'Q2xlYXJseSByYW5kb20gYnl0ZXMgZm9yIHRoZSB0ZXN0IQ=='; // base64, 35 bytes
const root = path.resolve(__dirname, '../..');

let srv: LocalServer | undefined;
let base: string;
const dirs: string[] = [];
const tmpDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'tx-harden-'));
  dirs.push(d);
  return d;
};

async function start(opts: Partial<Parameters<typeof createServer>[0]> = {}) {
  srv = await createServer({ dataDir: ':memory:', demo: true, quiet: true, ...opts });
  const server = await srv.listen(0);
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return srv;
}
const savedEnv = { ...process.env };
afterEach(async () => {
  await srv?.close();
  srv = undefined;
  process.env = { ...savedEnv };
  jest.restoreAllMocks();
});
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const post = (p: string, body: unknown, token?: string, headers: Record<string, string> = {}) =>
  fetch(base + p, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
  });

interface Tokens {
  token: string;
  refreshToken: string;
  expiresIn: number;
}
async function login(openid: string): Promise<Tokens> {
  const res = await post('/api/login', { code: `demo:${openid}` });
  expect(res.status).toBe(200);
  return ((await res.json()) as { data: Tokens }).data;
}
const errorOf = async (res: Response) =>
  ((await res.json()) as { error: { code: string; message: string } }).error;

describe('transport errors are client errors (defect 2)', () => {
  const gzipped = zlib.gzipSync(JSON.stringify({ action: 'me', data: {} }));
  it.each([
    ['a latin1 JSON body', { 'content-type': 'application/json; charset=latin1' }, '{}', 415, /UTF-8/],
    ['an unknown Content-Encoding', { 'content-encoding': 'snappy' }, '{}', 415, /内容编码 snappy/],
    ['gzip header on bytes that are not gzip', { 'content-encoding': 'gzip' }, '{"a":1}', 400, /压缩/],
    ['deflate header on plain bytes', { 'content-encoding': 'deflate' }, 'xx', 400, /压缩/],
    ['a truncated br body', { 'content-encoding': 'br' }, 'xx', 400, /压缩/],
  ])('/api/call and /api/login answer %s with %#', async (_what, headers, body, status, message) => {
    await start();
    const { token } = await login('demo-resident');
    for (const res of [
      await post('/api/call/user', body, token, headers),
      await post('/api/login', body, undefined, headers),
    ]) {
      expect(res.status).toBe(status);
      const error = await errorOf(res);
      expect(error.code).toBe('INVALID_INPUT');
      expect(error.message).toMatch(message);
    }
    // Real gzip still works.
    const ok = await post('/api/call/user', gzipped, token, { 'content-encoding': 'gzip' });
    expect(ok.status).toBe(200);
  });

  it('/api/upload answers bad encodings 400/415, never 500', async () => {
    await start();
    const { token } = await login('demo-resident');
    const up = (headers: Record<string, string>, body: string) =>
      post('/api/upload', body, token, { 'content-type': 'application/octet-stream', ...headers });
    expect((await up({ 'content-encoding': 'gzip' }, 'not gzip at all')).status).toBe(400);
    expect((await up({ 'content-encoding': 'deflate' }, 'nope')).status).toBe(400);
    expect((await up({ 'content-encoding': 'snappy' }, 'x')).status).toBe(415);
    const res = await up({ 'content-encoding': 'gzip' }, 'not gzip at all');
    expect(await errorOf(res)).toEqual({ code: 'INVALID_INPUT', message: expect.stringMatching(/压缩/) });
  });
});

describe('seeding (defects 5, 6)', () => {
  const count = async (rt: ReturnType<typeof createLocalRuntime>, coll: string) =>
    ((await rt.runtime.db.collection(coll).count()) as { total: number }).total;
  const COLLECTIONS = ['users', 'activities', 'signups', 'grievances', 'units', 'goods', 'volunteers'];

  async function countsOf(dataDir: string) {
    const rt = createLocalRuntime({ dataDir, quiet: true });
    try {
      const out: Record<string, number> = {};
      for (const c of [...COLLECTIONS, SEED_MARKER.collection]) out[c] = await count(rt, c);
      return out;
    } finally {
      rt.close();
    }
  }

  it('a first start that dies while seeding is completed by the next start', async () => {
    const complete = tmpDir();
    await (await start({ dataDir: complete })).close();
    srv = undefined;
    const expected = await countsOf(complete);
    expect(expected.goods).toBeGreaterThan(0);
    expect(expected.volunteers).toBeGreaterThan(0);

    const dir = tmpDir();
    // The crash: the volunteer stage dies half-way, after the earlier stages wrote their data.
    jest.spyOn(seedVolunteer, 'seedDemoVolunteer').mockRejectedValueOnce(new Error('killed'));
    await expect(createServer({ dataDir: dir, demo: true, quiet: true })).rejects.toThrow('killed');
    jest.restoreAllMocks();
    // Nothing half-seeded was left where the server looks for its database.
    expect(fs.existsSync(databaseFile(dir))).toBe(false);
    await (await start({ dataDir: dir })).close();
    srv = undefined;
    expect(await countsOf(dir)).toEqual(expected);
    expect(fs.existsSync(path.join(dir, '.seeding'))).toBe(false);
  }, 60_000);

  it('a restart never seeds twice, and a database that has data is left alone', async () => {
    const dir = tmpDir();
    await (await start({ dataDir: dir })).close();
    srv = undefined;
    const first = await countsOf(dir);
    await (await start({ dataDir: dir })).close();
    srv = undefined;
    expect(await countsOf(dir)).toEqual(first);
  }, 60_000);

  it('production (demo off) starts empty; bootstrap-admin makes the first street admin, once', async () => {
    process.env.DATA_SECRET = STRONG;
    const dir = tmpDir();
    await start({
      dataDir: dir,
      demo: false,
      sessionSecret: STRONG_2,
      exchangeCode: async () => 'oWx_admin_1',
    });
    const rt = srv!.runtime;
    for (const c of ['users', 'communities', 'streets', 'activities', 'goods'])
      expect(await count(rt, c)).toBe(0);
    expect(await count(rt, SEED_MARKER.collection)).toBe(0);

    const r1 = await bootstrapAdmin(rt, { openid: 'oWx_admin_1', name: '刘主任', street: '东风街道' });
    expect(r1).toMatchObject({ granted: true, createdUser: true });
    const r2 = await bootstrapAdmin(rt, { openid: 'oWx_admin_1', street: '东风街道' });
    expect(r2).toMatchObject({ granted: false, streetId: r1.streetId });
    expect(await count(rt, 'streets')).toBe(1);
    expect(await count(rt, 'audit_log')).toBe(1);
    await expect(bootstrapAdmin(rt, { openid: 'bad id!' })).rejects.toThrow('openid');

    const res = await post('/api/login', { code: 'wx-code' });
    const body = (await res.json()) as { data: { user: { roles: { role: string }[] } } };
    expect(body.data.user.roles).toEqual(expect.arrayContaining([{ role: 'admin' }]));
  });

  it('the bootstrap command works from the shell', async () => {
    const dir = tmpDir();
    const run = (args: string[]) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(
          path.join(root, 'node_modules/.bin/tsx'),
          ['tools/runtime/bootstrap-admin.ts', ...args],
          {
            cwd: root,
            env: { ...process.env, DATA_DIR: dir },
          },
        );
        let out = '';
        child.stdout.on('data', (d) => (out += d));
        child.stderr.on('data', (d) => (out += d));
        child.on('exit', (code) => resolve({ code, out }));
      });
    expect(await run(['--openid', 'oWx_admin_2'])).toMatchObject({
      code: 0,
      out: expect.stringContaining('已设置街道管理员'),
    });
    expect(await run(['--openid', 'oWx_admin_2'])).toMatchObject({
      code: 0,
      out: expect.stringContaining('未做更改'),
    });
    expect((await run([])).code).toBe(1);
  }, 60_000);
});

describe('secrets (defect 7)', () => {
  const prod = (opts: Partial<Parameters<typeof createServer>[0]> = {}) =>
    createServer({ dataDir: ':memory:', demo: false, quiet: true, ...opts });

  it.each([['short'], ['abc'], ['x'.repeat(64)], ['a'.repeat(64)], ['0123456789abcdef'.repeat(3)]])(
    'refuses DATA_SECRET=%s and says how to make one',
    async (weak) => {
      process.env.DATA_SECRET = weak;
      await expect(prod({ sessionSecret: STRONG })).rejects.toThrow(
        /DATA_SECRET 太弱.*randomBytes\(32\).*openssl rand -hex 32/,
      );
    },
  );

  it('refuses a weak SESSION_SECRET and accepts 32 random bytes as hex or base64', async () => {
    process.env.DATA_SECRET = STRONG;
    await expect(prod({ sessionSecret: 'short' })).rejects.toThrow(
      /SESSION_SECRET 太弱.*openssl rand -hex 32/,
    );
    await expect(prod({ sessionSecret: 'x'.repeat(40) })).rejects.toThrow('SESSION_SECRET 太弱');
    await expect(prod({})).rejects.toThrow('SESSION_SECRET 未设置');
    await (await prod({ sessionSecret: STRONG_2 })).close();
    process.env.DATA_SECRET = STRONG_2;
    await (await prod({ sessionSecret: STRONG })).close();
  });

  it('DEMO_MODE under NODE_ENV=production needs real secrets (no built-in demo secret)', async () => {
    process.env.NODE_ENV = 'production';
    delete process.env.DATA_SECRET;
    const demo = (opts: Partial<Parameters<typeof createServer>[0]> = {}) =>
      createServer({ dataDir: ':memory:', demo: true, quiet: true, seed: false, ...opts });
    await expect(demo({ sessionSecret: STRONG })).rejects.toThrow(/DATA_SECRET 未设置.*NODE_ENV=production/);
    process.env.DATA_SECRET = 'weak';
    await expect(demo({ sessionSecret: STRONG })).rejects.toThrow('DATA_SECRET 太弱');
    process.env.DATA_SECRET = STRONG;
    await expect(demo({})).rejects.toThrow('SESSION_SECRET 未设置');
    await expect(demo({ sessionSecret: 'weak-session' })).rejects.toThrow('SESSION_SECRET 太弱');
    await (await demo({ sessionSecret: STRONG_2 })).close();
  });
});

describe('port in use (defect 8)', () => {
  async function runOnTakenPort(script: string[]) {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as AddressInfo).port;
    try {
      return await new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(script[0]!, script.slice(1), {
          cwd: root,
          env: {
            ...process.env,
            PORT: String(port),
            DATA_DIR: tmpDir(),
            NODE_ENV: 'test',
            DEMO_MODE: 'true',
          },
        });
        let out = '';
        child.stdout.on('data', (d) => (out += d));
        child.stderr.on('data', (d) => (out += d));
        child.on('exit', (code) => resolve({ code, out: out.replace(/\s+/g, ' ') }));
      });
    } finally {
      blocker.close();
    }
  }

  it('the server exits non-zero with a clear message', async () => {
    const r = await runOnTakenPort([path.join(root, 'node_modules/.bin/tsx'), 'tools/runtime/server.ts']);
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/端口 \d+ 已被占用/);
    expect(r.out).not.toMatch(/已启动/);
  }, 90_000);

  it('npm start (tools/start.mjs) says so before building anything', async () => {
    const r = await runOnTakenPort([process.execPath, 'tools/start.mjs']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/端口 \d+ 已被占用/);
    expect(r.out).not.toMatch(/正在构建/);
  }, 30_000);
});

describe('rate limits', () => {
  it('limits logins per address with RATE_LIMITED 429, Retry-After and a Chinese message', async () => {
    await start({ rateLimits: { login: { windowMs: 60_000, limit: 3 } } });
    for (let i = 0; i < 3; i++)
      expect((await post('/api/login', { code: 'demo:demo-resident' })).status).toBe(200);
    const res = await post('/api/login', { code: 'demo:demo-resident' });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await errorOf(res)).toEqual({
      code: 'RATE_LIMITED',
      message: expect.stringMatching(/操作太频繁，请 \d+ (秒|分钟)后再试/),
    });
  });

  it('limits sensitive actions per user: invite redemption, certificate checks, reveals', async () => {
    const actions = {
      'alliance.redeemInvite': { windowMs: 60_000, limit: 2 },
      'volunteer.verifyCertificate': { windowMs: 60_000, limit: 2 },
      'volunteer.revealIdentity': { windowMs: 60_000, limit: 2 },
      'volunteer.revealMine': { windowMs: 60_000, limit: 2 },
      'grievance.revealPhone': { windowMs: 60_000, limit: 2 },
    };
    await start({ rateLimits: { actions } });
    const a = (await login('demo-worker')).token;
    const b = (await login('demo-resident')).token;
    const data: Record<string, unknown> = {
      'alliance.redeemInvite': { code: 'ABCD2345' },
      'volunteer.verifyCertificate': { number: 'ZYFW-2026-000001', token: 'x'.repeat(16) },
      'volunteer.revealIdentity': { openid: 'demo-volunteer', purpose: '核实身份' },
      'volunteer.revealMine': {},
      'grievance.revealPhone': { grievanceId: 'nope' },
    };
    for (const key of Object.keys(actions)) {
      const [fn, action] = key.split('.') as [string, string];
      const callAs = (t: string) => post(`/api/call/${fn}`, { action, data: data[key] }, t);
      for (let i = 0; i < 2; i++) expect((await callAs(a)).status).not.toBe(429);
      const limited = await callAs(a);
      expect([key, limited.status]).toEqual([key, 429]);
      expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
      expect((await errorOf(limited)).code).toBe('RATE_LIMITED');
      // Another user is not affected; other actions neither.
      expect((await callAs(b)).status).not.toBe(429);
    }
    expect((await post('/api/call/user', { action: 'me', data: {} }, a)).status).toBe(200);
  });

  it('limits uploads per user, and a daily quota counts stored files', async () => {
    await start({ rateLimits: { upload: { windowMs: 60_000, limit: 5 }, uploadsPerDay: 2 } });
    const { token } = await login('demo-resident');
    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#c00' } })
      .png()
      .toBuffer();
    const up = () => post('/api/upload', png, token, { 'content-type': 'image/png' });
    expect((await up()).status).toBe(200);
    expect((await up()).status).toBe(200);
    const over = await up();
    expect(over.status).toBe(429);
    expect(over.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await errorOf(over)).toEqual({
      code: 'RATE_LIMITED',
      message: expect.stringContaining('24 小时内最多上传 2 张'),
    });
    // The burst limit (5 per minute) applies on top.
    await up();
    await up();
    expect((await up()).status).toBe(429);
  });
});

describe('security headers and private files', () => {
  it('sends CSP, frame-ancestors none, X-Frame-Options and Referrer-Policy on the app', async () => {
    const staticDir = tmpDir();
    fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
    await start({ staticDir });
    for (const p of ['/', '/api/config']) {
      const res = await fetch(base + p);
      expect(res.status).toBe(200);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe/);
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('creates the database owner-only (0600), journal files too, and tightens an existing one', async () => {
    const dir = tmpDir();
    await (await start({ dataDir: dir })).close();
    srv = undefined;
    fs.chmodSync(databaseFile(dir), 0o644);
    await start({ dataDir: dir });
    await login('demo-resident'); // a write, so the -wal file exists
    for (const suffix of ['', '-wal', '-shm']) {
      const file = databaseFile(dir) + suffix;
      if (fs.existsSync(file)) expect([suffix, fs.statSync(file).mode & 0o777]).toEqual([suffix, 0o600]);
    }
    expect(fs.statSync(path.join(dir, 'session-secret')).mode & 0o777).toBe(0o600);
  }, 60_000);

  it('backs up a running server data folder into a private, consistent copy', async () => {
    const dir = tmpDir();
    await start({ dataDir: dir });
    const dest = path.join(tmpDir(), 'backup');
    const r = await backupDataDir(dir, dest);
    expect(fs.statSync(r.database).mode & 0o777).toBe(0o600);
    const copy = createLocalRuntime({ dataDir: dest, quiet: true });
    try {
      const users = (await copy.runtime.db.collection('users').count()) as { total: number };
      expect(users.total).toBeGreaterThan(50);
    } finally {
      copy.close();
    }
    await expect(backupDataDir(dir, dest)).rejects.toThrow('不是空的');
  }, 60_000);
});

describe('sessions: short access tokens, refresh, logout', () => {
  it('issues a 2-hour access token and a 30-day refresh token', async () => {
    await start();
    const t = await login('demo-resident');
    expect(t.expiresIn).toBe(7200);
    const access = jwt.decode(t.token) as jwt.JwtPayload;
    const refresh = jwt.decode(t.refreshToken) as jwt.JwtPayload;
    expect(access.exp! - access.iat!).toBe(7200);
    expect(refresh.exp! - refresh.iat!).toBe(30 * 24 * 3600);
  });

  it('refreshes an expired access token; a refresh token is not an access token', async () => {
    await start({ tokenTtlSeconds: 1 });
    const t = await login('demo-resident');
    expect((await post('/api/call/user', { action: 'me', data: {} }, t.refreshToken)).status).toBe(401);
    await new Promise((r) => setTimeout(r, 2100));
    expect((await post('/api/call/user', { action: 'me', data: {} }, t.token)).status).toBe(401);
    const res = await post('/api/refresh', { refreshToken: t.refreshToken });
    expect(res.status).toBe(200);
    const next = ((await res.json()) as { data: Tokens }).data;
    expect((await post('/api/call/user', { action: 'me', data: {} }, next.token)).status).toBe(200);
    expect((await post('/api/refresh', { refreshToken: t.token })).status).toBe(401);
    expect((await post('/api/refresh', {})).status).toBe(401);
  }, 20_000);

  it('logout ends every session of the user (access and refresh), not other users', async () => {
    const dir = tmpDir();
    await start({ dataDir: dir });
    const phone = await login('demo-resident');
    const laptop = await login('demo-resident');
    const other = await login('demo-worker');
    expect((await post('/api/logout', {}, phone.token)).status).toBe(200);
    for (const t of [phone, laptop]) {
      expect((await post('/api/call/user', { action: 'me', data: {} }, t.token)).status).toBe(401);
      expect((await post('/api/refresh', { refreshToken: t.refreshToken })).status).toBe(401);
    }
    expect((await post('/api/call/user', { action: 'me', data: {} }, other.token)).status).toBe(200);
    // Logging in again works, and the revocation survives a restart.
    const again = await login('demo-resident');
    await srv!.close();
    srv = undefined;
    await start({ dataDir: dir });
    expect((await post('/api/call/user', { action: 'me', data: {} }, laptop.token)).status).toBe(401);
    // A restart with the same data keeps the demo session secret, so a current token still works.
    expect((await post('/api/call/user', { action: 'me', data: {} }, again.token)).status).toBe(200);
    // An expired access token can still log out with the refresh token.
    expect((await post('/api/logout', { refreshToken: again.refreshToken })).status).toBe(200);
    expect((await post('/api/call/user', { action: 'me', data: {} }, again.token)).status).toBe(401);
    expect((await post('/api/logout', {})).status).toBe(401);
  }, 60_000);
});
