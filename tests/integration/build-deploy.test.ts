import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildFunctions, sendsMessages, STRIPPED_MODULES } from '../../tools/build-functions';
import { deployPlan, indexPayload, readRc } from '../../tools/deploy';
import { FUNCTION_NAMES } from '../../cloudfunctions/functions';
import { INDEXES } from '../../cloudfunctions/core/indexes';

describe('cloud function bundles', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'tx-fn-'));
  let built: Awaited<ReturnType<typeof buildFunctions>>;
  beforeAll(async () => {
    built = await buildFunctions(out);
  }, 60_000);
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  it('produces a self-contained deployable folder per function', () => {
    expect(built.map((b) => b.name).sort()).toEqual([...FUNCTION_NAMES].sort());
    for (const { name, dir } of built) {
      expect(fs.readdirSync(dir).sort()).toEqual(['config.json', 'index.js', 'package.json']);
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
      expect(pkg).toMatchObject({ name, main: 'index.js', dependencies: {} });
      const source = fs.readFileSync(path.join(dir, 'index.js'), 'utf8');
      expect(source).not.toMatch(/better-sqlite3|tools\/runtime/); // the local engine stays local
    }
  });

  it('leaves out what the functions never use; wx-server-sdk only where messages are sent', () => {
    for (const { name, dir, packages } of built) {
      expect(packages).toContain('@cloudbase/node-sdk');
      for (const stripped of STRIPPED_MODULES) expect(packages).not.toContain(stripped);
      const source = fs.readFileSync(path.join(dir, 'index.js'), 'utf8');
      // mime-db's table (exceljs names the xlsx type itself, so probe an entry only the table has)
      expect(source).not.toContain('application/1d-interleaved-parityfec');
      if (sendsMessages(name)) expect(packages).toContain('wx-server-sdk');
      else expect(packages).not.toContain('wx-server-sdk');
    }
    // Functions without openapi permission (user, among others) carry no wx-server-sdk.
    const without = built.filter((b) => !b.packages.includes('wx-server-sdk')).map((b) => b.name);
    expect(without).toContain('user');
    expect(without).toEqual(built.filter((b) => !sendsMessages(b.name)).map((b) => b.name));
  });

  it('runs the bundle standalone: validation errors come back before any cloud call', async () => {
    const activity = built.find((b) => b.name === 'activity');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(path.join(activity!.dir, 'index.js')) as { main: (e: unknown) => Promise<unknown> };
    expect(await mod.main({ action: 'noSuchAction', data: {} })).toEqual({
      ok: false,
      error: { code: 'INVALID_INPUT', message: '未知的操作：activity.noSuchAction' },
    });
    expect(await mod.main({ action: 'detail', data: { activityId: '' } })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
  });

  it('every bundle loads and answers with its stubs in place (user without wx-server-sdk)', async () => {
    for (const { name, dir } of built.filter((b) => b.name !== 'timer')) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(path.join(dir, 'index.js')) as { main: (e: unknown) => Promise<unknown> };
      expect(await mod.main({ action: 'noSuchAction', data: {} })).toEqual({
        ok: false,
        error: { code: 'INVALID_INPUT', message: `未知的操作：${name}.noSuchAction` },
      });
    }
  });
});

describe('deploy configuration', () => {
  it('cloudbaserc lists every function with runtime, timeout, memory and TZ', () => {
    const rc = readRc();
    expect(rc.functionRoot).toBe('./cloudfunctions/dist');
    for (const name of FUNCTION_NAMES) {
      const fn = rc.functions.find((f) => f.name === name);
      expect(fn).toMatchObject({ runtime: 'Nodejs18.15', envVariables: { TZ: 'Asia/Shanghai' } });
      expect(fn!.timeout).toBeGreaterThanOrEqual(3);
      expect(fn!.timeout).toBeLessThanOrEqual(60);
      expect(fn!.memorySize).toBeGreaterThan(0);
      expect(fs.existsSync(path.join(__dirname, '../../cloudfunctions', name, 'config.json'))).toBe(true);
    }
  });

  it('project.config.json points DevTools at the build outputs', () => {
    const cfg = JSON.parse(fs.readFileSync(path.join(__dirname, '../../project.config.json'), 'utf8'));
    expect(cfg).toMatchObject({
      miniprogramRoot: 'miniprogram/dist/',
      cloudfunctionRoot: 'cloudfunctions/dist/',
      compileType: 'miniprogram',
    });
  });

  it('plans a build, one CLI deploy per function and the declared indexes', () => {
    const plan = deployPlan('env-test');
    expect(plan[0]).toEqual({ kind: 'build' });
    const deploys = plan.filter((s) => s.kind === 'exec');
    expect(deploys.map((s) => (s.kind === 'exec' ? s.args.slice(3, 5) : []))).toEqual(
      FUNCTION_NAMES.map((n) => ['deploy', n]),
    );
    for (const s of deploys)
      if (s.kind === 'exec') expect(s.args).toEqual(expect.arrayContaining(['-e', 'env-test']));
    const payload = indexPayload();
    expect(payload.flatMap((c) => c.CreateIndexes)).toHaveLength(INDEXES.length);
    expect(
      payload.find((c) => c.collection === 'signups')?.CreateIndexes[0]?.MgoKeySchema.MgoIndexKeys,
    ).toEqual([
      { Name: 'activityId', Direction: '1' },
      { Name: 'createdAt', Direction: '1' },
      { Name: 'status', Direction: '1' },
    ]);
    expect(() => deployPlan('e', { ...readRc(), functions: [] })).toThrow('cloudbaserc.json 缺少云函数');
  });
});
