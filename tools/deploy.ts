/**
 * `npm run deploy`: build the function bundles, deploy them to CloudBase with the official CLI and
 * create the declared database indexes. Requires `tcb login` (or TCB secrets) and TCB_ENV_ID; it
 * cannot run without network. `npm run deploy -- --dry-run` prints the plan and touches nothing;
 * the plan itself is tested.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { INDEXES, type IndexSpec } from '../cloudfunctions/core/indexes';
import { FUNCTION_NAMES } from '../cloudfunctions/functions';
import { buildFunctions } from './build-functions';

const ROOT = path.resolve(__dirname, '..');
const CLI = '@cloudbase/cli@2.12';
const MANAGER = '@cloudbase/manager-node@5';

export interface CloudbaseRc {
  envId: string;
  functionRoot: string;
  functions: {
    name: string;
    runtime: string;
    timeout: number;
    memorySize: number;
    envVariables: Record<string, string>;
  }[];
}

/** CloudBase's UpdateCollection payload for one collection's indexes. */
export interface CollectionIndexes {
  collection: string;
  CreateIndexes: {
    IndexName: string;
    MgoKeySchema: { MgoIsUnique: boolean; MgoIndexKeys: { Name: string; Direction: '1' | '-1' }[] };
  }[];
}

export type Step =
  | { kind: 'build' }
  | { kind: 'exec'; command: string; args: string[]; description: string }
  | { kind: 'indexes'; envId: string; payload: CollectionIndexes[] };

export function readRc(file = path.join(ROOT, 'cloudbaserc.json')): CloudbaseRc {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as CloudbaseRc;
}

export function indexPayload(indexes: IndexSpec[] = INDEXES): CollectionIndexes[] {
  const byCollection = new Map<string, CollectionIndexes>();
  for (const ix of indexes) {
    const entry = byCollection.get(ix.collection) ?? { collection: ix.collection, CreateIndexes: [] };
    entry.CreateIndexes.push({
      IndexName: ix.name,
      MgoKeySchema: {
        MgoIsUnique: ix.unique ?? false,
        MgoIndexKeys: ix.keys.map((k) => ({ Name: k.field, Direction: k.direction === 1 ? '1' : '-1' })),
      },
    });
    byCollection.set(ix.collection, entry);
  }
  return [...byCollection.values()];
}

export function deployPlan(envId: string, rc: CloudbaseRc = readRc()): Step[] {
  const missing = FUNCTION_NAMES.filter((n) => !rc.functions.some((f) => f.name === n));
  if (missing.length) throw new Error(`cloudbaserc.json 缺少云函数：${missing.join(', ')}`);
  return [
    { kind: 'build' },
    ...FUNCTION_NAMES.map((name): Step => ({
      kind: 'exec',
      command: 'npx',
      args: ['--yes', CLI, 'fn', 'deploy', name, '--force', '-e', envId],
      description: `部署云函数 ${name}`,
    })),
    { kind: 'indexes', envId, payload: indexPayload() },
  ];
}

function describe(step: Step): string {
  if (step.kind === 'build') return '构建云函数包 (npm run build:functions)';
  if (step.kind === 'exec') return `${step.description}: ${step.command} ${step.args.join(' ')}`;
  return `创建数据库索引: ${step.payload.map((c) => `${c.collection}(${c.CreateIndexes.length})`).join(', ')}`;
}

async function run(step: Step): Promise<void> {
  if (step.kind === 'build') {
    await buildFunctions();
    return;
  }
  if (step.kind === 'exec') {
    const res = spawnSync(step.command, step.args, { cwd: ROOT, stdio: 'inherit' });
    if (res.status !== 0) throw new Error(`失败：${describe(step)}`);
    return;
  }
  // Index creation goes through the management API (needs TENCENTCLOUD_SECRETID/SECRETKEY).
  const script = `
    const CloudBase = require('@cloudbase/manager-node');
    const app = new CloudBase({ envId: process.env.TCB_ENV_ID, secretId: process.env.TENCENTCLOUD_SECRETID, secretKey: process.env.TENCENTCLOUD_SECRETKEY });
    (async () => {
      for (const c of JSON.parse(process.env.INDEX_PAYLOAD)) {
        await app.database.createCollectionIfNotExists(c.collection);
        await app.database.updateCollection(c.collection, { CreateIndexes: c.CreateIndexes });
        console.log('索引已更新：' + c.collection);
      }
    })().catch((e) => { console.error(e.message); process.exit(1); });`;
  const res = spawnSync('npx', ['--yes', '-p', MANAGER, 'node', '-e', script], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, TCB_ENV_ID: step.envId, INDEX_PAYLOAD: JSON.stringify(step.payload) },
  });
  if (res.status !== 0) throw new Error(`失败：${describe(step)}`);
}

if (require.main === module) {
  const dryRun = process.argv.includes('--dry-run');
  const envId = process.env.TCB_ENV_ID ?? (dryRun ? '<TCB_ENV_ID>' : '');
  if (!envId) {
    console.error('请先设置 TCB_ENV_ID（云开发环境 ID），并用 `npx @cloudbase/cli login` 登录。');
    process.exit(1);
  }
  const plan = deployPlan(envId);
  (async () => {
    for (const [i, step] of plan.entries()) {
      console.log(`[${i + 1}/${plan.length}] ${describe(step)}`);
      if (!dryRun) await run(step);
    }
    console.log(dryRun ? '（演练模式，未执行任何操作）' : '部署完成');
  })().catch((err: Error) => {
    console.error(err.message);
    process.exit(1);
  });
}
