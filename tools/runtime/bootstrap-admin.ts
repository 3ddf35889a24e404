/**
 * `npm run bootstrap-admin -- --openid <openid> [--name <昵称>] [--street <街道名>]`
 *
 * Production starts with an empty database (no demo data). This makes the first street admin:
 * the user (created if they never logged in) gets the admin role, and an `audit_log` entry records
 * it. With --street, the street is created when there is none of that name. Idempotent: running
 * it again changes nothing. The admin then logs in with WeChat and sets up the rest in the app.
 * Uses DATA_DIR like the server; safe to run while the server runs (SQLite WAL).
 */
import path from 'node:path';
import crypto from 'node:crypto';
import type { LocalRuntime } from './local-runtime';
import { createLocalRuntime } from './local-runtime';
import type { RoleGrant, Street, User } from '../../types/domain';
import { rolesPatch } from '../../cloudfunctions/domain/roles';

/** WeChat openids (28 characters) and demo ids alike. */
const OPENID = /^[A-Za-z0-9_-]{1,64}$/;

export interface BootstrapResult {
  openid: string;
  /** False when the user already was an admin (nothing written). */
  granted: boolean;
  createdUser: boolean;
  streetId?: string;
}

async function first<T>(query: Promise<unknown>): Promise<T | undefined> {
  const { data } = (await query) as { data: T[] };
  return data[0];
}

export async function bootstrapAdmin(
  rt: LocalRuntime,
  input: { openid: string; name?: string; street?: string },
): Promise<BootstrapResult> {
  const { openid } = input;
  if (!OPENID.test(openid)) throw new Error(`openid 格式不正确：${openid}`);
  const db = rt.runtime.db;
  const now = rt.runtime.now();
  let streetId: string | undefined;
  if (input.street) {
    const name = input.street.trim();
    const existing = await first<Street>(db.collection('streets').where({ name }).limit(1).get());
    streetId = existing?._id;
    if (!streetId) {
      streetId = `street-${crypto.randomBytes(6).toString('hex')}`;
      await db.collection('streets').doc(streetId).set({ name });
    }
  }
  const user = await first<User>(db.collection('users').doc(openid).get());
  if (user?.roles.some((r) => r.role === 'admin')) {
    return { openid, granted: false, createdUser: false, streetId };
  }
  const roles: RoleGrant[] = user
    ? [...user.roles, { role: 'admin' }]
    : [{ role: 'resident' }, { role: 'admin' }];
  if (user) {
    await db
      .collection('users')
      .doc(openid)
      .update({ ...rolesPatch(roles), updatedAt: now });
  } else {
    await db
      .collection('users')
      .doc(openid)
      .set({
        openid,
        nickName: input.name?.trim() || '街道管理员',
        ...rolesPatch(roles),
        createdAt: now,
        updatedAt: now,
      });
  }
  await db.collection('audit_log').add({
    at: now,
    actor: 'bootstrap-admin',
    action: 'adminGranted',
    subject: openid,
    detail: '命令行 bootstrap-admin 设置首位街道管理员',
  });
  return { openid, granted: true, createdUser: !user, streetId };
}

function parseArgs(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z]+)(?:=(.*))?$/.exec(argv[i]!);
    if (!m) throw new Error(`无法识别的参数：${argv[i]}`);
    out[m[1]!] = m[2] ?? argv[++i] ?? '';
  }
  return out;
}

if (require.main === module) {
  const usage = '用法：npm run bootstrap-admin -- --openid <openid> [--name <昵称>] [--street <街道名>]';
  (async () => {
    const args = parseArgs(process.argv.slice(2));
    if (!args.openid) throw new Error(usage);
    const dataDir = process.env.DATA_DIR ?? path.resolve(__dirname, '../../data');
    const rt = createLocalRuntime({ dataDir, quiet: true, demo: false });
    try {
      const r = await bootstrapAdmin(rt, { openid: args.openid, name: args.name, street: args.street });
      console.log(
        r.granted
          ? `已设置街道管理员：${r.openid}${r.createdUser ? '（新用户）' : ''}${r.streetId ? `，街道 ${r.streetId}` : ''}`
          : `${r.openid} 已是街道管理员，未做更改`,
      );
    } finally {
      rt.close();
    }
  })().catch((err: Error) => {
    console.error(err.message);
    process.exit(1);
  });
}
