import jwt from 'jsonwebtoken';
import type { AddressInfo } from 'node:net';
import { createServer, type LocalServer } from '../../tools/runtime/server';
import { activityInput } from '../helpers/harness';

// Strong secrets (32 random bytes, hex), as production requires.
const TEST_DATA_SECRET = '5f0c1e9a7b3d2468ace13579bdf02468a1b2c3d4e5f60718293a4b5c6d7e8f90';
const TEST_SESSION_SECRET = '0f1e2d3c4b5a69788796a5b4c3d2e1f00123456789abcdeffedcba9876543210';

let srv: LocalServer;
let base: string;

async function start(opts: Partial<Parameters<typeof createServer>[0]> = {}) {
  srv = await createServer({ dataDir: ':memory:', demo: true, quiet: true, ...opts });
  const server = await srv.listen(0);
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
afterEach(async () => srv?.close());
afterAll(() => {
  delete process.env.DATA_SECRET;
});

const post = (path: string, body: unknown, token?: string) =>
  fetch(base + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

async function login(openid: string): Promise<string> {
  const res = await post('/api/login', { code: `demo:${openid}` });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { data: { token: string } };
  return body.data.token;
}

describe('local server', () => {
  it('answers health and config', async () => {
    await start();
    expect(await (await fetch(base + '/healthz')).json()).toEqual({ ok: true });
    const config = (await (await fetch(base + '/api/config')).json()) as {
      data: { demo: boolean; demoUsers: unknown[] };
    };
    expect(config.data.demo).toBe(true);
    expect(config.data.demoUsers).toHaveLength(6);
  });

  it('logs in demo users and runs functions as the token holder', async () => {
    await start();
    const res = await post('/api/login', { code: 'demo:demo-worker' });
    const body = (await res.json()) as {
      ok: boolean;
      data: { token: string; user: { openid: string; roles: unknown[] } };
    };
    expect(body.data.user.openid).toBe('demo-worker');
    const me = await post('/api/call/user', { action: 'me', data: {} }, body.data.token);
    expect(((await me.json()) as { data: { user: { openid: string } } }).data.user.openid).toBe(
      'demo-worker',
    );
  });

  it('maps error codes to HTTP statuses', async () => {
    await start();
    const resident = await login('demo-resident');
    const worker = await login('demo-worker');
    const cases: [Response, number, string][] = [
      [await post('/api/call/activity', { action: 'list', data: {} }), 401, 'UNAUTHENTICATED'],
      [
        await post('/api/call/activity', { action: 'list', data: { bogus: 1 } }, resident),
        400,
        'INVALID_INPUT',
      ],
      [
        await post('/api/call/activity', { action: 'publish', data: activityInput(Date.now()) }, resident),
        403,
        'FORBIDDEN',
      ],
      [
        await post('/api/call/activity', { action: 'detail', data: { activityId: 'nope' } }, resident),
        404,
        'NOT_FOUND',
      ],
      [
        await post('/api/call/activity', { action: 'signUp', data: { activityId: 'act-ended-1' } }, resident),
        409,
        'CONFLICT',
      ],
      [await post('/api/call/nosuchfn', { action: 'x' }, resident), 404, 'NOT_FOUND'],
    ];
    for (const [res, status, code] of cases) {
      expect(res.status).toBe(status);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
    }
    const ok = await post(
      '/api/call/activity',
      { action: 'publish', data: activityInput(Date.now()) },
      worker,
    );
    expect(ok.status).toBe(200);
  });

  it('rejects malformed JSON (400) and bodies over 1 MB (413) with the error shape', async () => {
    await start();
    const token = await login('demo-resident');
    const bad = await post('/api/call/activity', '{"action": ', token);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      ok: false,
      error: { code: 'INVALID_INPUT', message: '请求体不是合法的 JSON' },
    });
    const huge = await post(
      '/api/call/activity',
      { action: 'list', data: { pad: 'x'.repeat(1_100_000) } },
      token,
    );
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as { error: { code: string } }).error.code).toBe('INVALID_INPUT');
  });

  it('refuses forged, foreign-signed and expired tokens', async () => {
    await start({ sessionSecret: 's'.repeat(32), tokenTtlSeconds: 1 });
    const forged = jwt.sign({ sub: 'demo-admin' }, 'another-secret');
    expect((await post('/api/call/user', { action: 'me' }, forged)).status).toBe(401);
    const expired = jwt.sign({ sub: 'demo-admin', exp: Math.floor(Date.now() / 1000) - 10 }, 's'.repeat(32));
    expect((await post('/api/call/user', { action: 'me' }, expired)).status).toBe(401);
  });

  it('outside demo mode refuses demo codes and exchanges real codes through code2session', async () => {
    // Secrets are required outside demo mode: the data key first, then the session secret.
    await expect(createServer({ dataDir: ':memory:', demo: false, quiet: true })).rejects.toThrow(
      'DATA_SECRET',
    );
    process.env.DATA_SECRET = TEST_DATA_SECRET;
    await expect(createServer({ dataDir: ':memory:', demo: false, quiet: true })).rejects.toThrow(
      'SESSION_SECRET',
    );
    const seen: string[] = [];
    await start({
      demo: false,
      sessionSecret: TEST_SESSION_SECRET,
      exchangeCode: async (code) => {
        seen.push(code);
        if (code !== 'good-code') throw new Error('invalid code');
        return 'wx-openid-123';
      },
    });
    expect((await post('/api/login', { code: 'demo:demo-admin' })).status).toBe(401);
    expect((await post('/api/login', { code: 'bad-code' })).status).toBe(401);
    const res = await post('/api/login', { code: 'good-code' });
    const body = (await res.json()) as { data: { user: { openid: string; roles: unknown[] } } };
    expect(body.data.user).toMatchObject({ openid: 'wx-openid-123', roles: [{ role: 'resident' }] });
    expect(seen).toEqual(['bad-code', 'good-code']);
    const config = (await (await fetch(base + '/api/config')).json()) as {
      data: { demo: boolean; demoUsers: unknown[] };
    };
    expect(config.data).toEqual({ demo: false, demoUsers: [] });
  });

  it('runs the timer on a schedule and shows what the sink sent at /api/dev/outbox (demo only)', async () => {
    await start({ schedulerIntervalMs: 100 });
    const worker = await login('demo-worker');
    const resident = await login('demo-resident');
    const call = async (token: string, fn: string, action: string, data: unknown) =>
      ((await (await post(`/api/call/${fn}`, { action, data }, token)).json()) as { data: never }).data;
    const now = Date.now();
    // Starts in 90 minutes: inside the 2-hour reminder window.
    const a = (await call(
      worker,
      'activity',
      'publish',
      activityInput(now, {
        startAt: now + 90 * 60_000,
        endAt: now + 150 * 60_000,
        signUpEndAt: now + 60 * 60_000,
      }),
    )) as { _id: string };
    const { templates } = (await call(resident, 'notify', 'templates', { scene: 'activitySignUp' })) as {
      templates: { templateId: string }[];
    };
    await call(resident, 'notify', 'subscribe', {
      scene: 'activitySignUp',
      results: Object.fromEntries(templates.map((t) => [t.templateId, 'accept'])),
    });
    await call(resident, 'activity', 'signUp', { activityId: a._id });
    let records: { kind: string; touser: string }[] = [];
    for (let i = 0; i < 150 && records.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const body = (await (await fetch(base + '/api/dev/outbox')).json()) as {
        data: { records: typeof records };
      };
      records = body.data.records;
    }
    expect(records).toEqual([expect.objectContaining({ kind: 'activityReminder', touser: 'demo-resident' })]);
    // The reminder is also in the message centre, once (the timer may have other news for the
    // demo resident too, e.g. a 回访 of a seeded grievance).
    const list = (await call(resident, 'notify', 'list', { pageSize: 50 })) as {
      items: { kind: string; read: boolean }[];
    };
    expect(list.items.filter((m) => m.kind === 'activityReminder')).toEqual([
      expect.objectContaining({ kind: 'activityReminder', read: false }),
    ]);
  }, 30_000);

  it('moves the demo clock for the functions and back (/api/dev/clock)', async () => {
    const fixed = Date.UTC(2026, 10, 21, 2, 0, 0);
    await start({ now: () => fixed });
    const worker = await login('demo-worker');
    const publish = (startAt: number) =>
      post(
        '/api/call/activity',
        {
          action: 'publish',
          data: activityInput(fixed, { startAt, endAt: startAt + 3600_000, signUpEndAt: startAt }),
        },
        worker,
      );
    const moved = await post('/api/dev/clock', { offsetMs: 2 * 3600_000 });
    expect(((await moved.json()) as { data: { now: number } }).data.now).toBe(fixed + 2 * 3600_000);
    // An hour after the real "now" is in the past for the functions once the clock moved 2 h.
    const refused = (await (await publish(fixed + 3600_000)).json()) as {
      ok: boolean;
      error?: { fields?: object };
    };
    expect(refused.ok).toBe(false);
    expect(refused.error?.fields).toHaveProperty('startAt');
    await post('/api/dev/clock', { offsetMs: 0 });
    expect(((await (await publish(fixed + 3600_000)).json()) as { ok: boolean }).ok).toBe(true);
    expect((await post('/api/dev/clock', { offsetMs: 'soon' })).status).toBe(400);
  });

  it('hides the dev outbox and clock outside demo mode', async () => {
    process.env.DATA_SECRET = TEST_DATA_SECRET;
    await start({ demo: false, sessionSecret: TEST_SESSION_SECRET, exchangeCode: async () => 'someone' });
    expect((await fetch(base + '/api/dev/outbox')).status).toBe(404);
    expect((await fetch(base + '/api/dev/clock')).status).toBe(404);
    expect((await post('/api/dev/clock', { offsetMs: 1000 })).status).toBe(404);
  });
});
