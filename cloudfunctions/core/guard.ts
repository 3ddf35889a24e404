/**
 * The single role guard. Every action declares the roles it needs; the dispatcher calls
 * `assertRoles` before the handler. Scoped checks (which community, which unit) use the helpers
 * below inside handlers, so the rule "a worker acts only for their own community" lives here once.
 */
import type { Role, RoleGrant, User } from '../../types/domain';
import { collection, getById, onUserDocumentWrite } from './db';
import { runtime } from './runtime';
import { forbidden, invalid } from './errors';
import { rolesPatch } from '../domain/roles';

export interface Caller {
  openid: string;
  user: User;
}

export type RoleRequirement = 'any' | Role[];

export const ROLE_NAMES: Record<Role, string> = {
  resident: '居民',
  volunteer: '志愿者',
  member: '党员',
  unitStaff: '驻区单位工作人员',
  worker: '社区工作者',
  admin: '街道管理员',
};

/**
 * Callers read in the last few seconds, per instance (per runtime: each local runtime or test
 * harness has its own). Every call needs its caller before anything else, and on CloudBase that
 * read is a round trip of its own; a user's repeated calls within CALLER_CACHE_MS reuse it. Writes
 * to a user document through core/db.ts forget it at once in this instance; another instance may
 * act on roles up to CALLER_CACHE_MS old (a revoked role lasts at most that long).
 */
export const CALLER_CACHE_MS = 10_000;
const callerCaches = new WeakMap<object, Map<string, { user: User; until: number }>>();
const MAX_CACHED_CALLERS = 5000;

function callerCache(): Map<string, { user: User; until: number }> {
  const key = runtime();
  let cache = callerCaches.get(key);
  if (!cache) callerCaches.set(key, (cache = new Map()));
  return cache;
}

/** Forget a cached caller (their user document is being written). */
export function forgetCaller(openid: string): void {
  callerCache().delete(openid);
}
onUserDocumentWrite(forgetCaller);

/**
 * Load the caller's user record (from the short per-instance cache when fresh), creating it as a
 * plain resident on first contact (as WeChat does for any new openid). `add` with an explicit
 * `_id` is idempotent under races: a concurrent first call that loses simply re-reads.
 */
export async function loadCaller(openid: string, now: number): Promise<Caller> {
  const cache = callerCache();
  // Real time, not the runtime's clock: tests and the demo move that clock by hours.
  const wall = Date.now();
  const cached = cache.get(openid);
  if (cached && cached.until > wall) return { openid, user: cached.user };
  const user = await readOrCreateUser(openid, now);
  if (cache.size >= MAX_CACHED_CALLERS) cache.clear();
  cache.set(openid, { user, until: wall + CALLER_CACHE_MS });
  return { openid, user };
}

async function readOrCreateUser(openid: string, now: number): Promise<User> {
  let user = await getById<User>('users', openid);
  if (!user) {
    const fresh: User = {
      _id: openid,
      openid,
      nickName: `居民${openid.slice(-4)}`,
      ...rolesPatch([{ role: 'resident' }]),
      createdAt: now,
      updatedAt: now,
    };
    try {
      const { _id, ...doc } = fresh;
      await collection('users').doc(_id).set(doc);
    } catch {
      // Another request created it first; fall through to the re-read.
    }
    user = (await getById<User>('users', openid)) ?? fresh;
  }
  return user;
}

export function hasRole(
  caller: Caller,
  role: Role,
  scope?: { communityId?: string; unitId?: string },
): boolean {
  return caller.user.roles.some(
    (g) =>
      g.role === role &&
      (scope?.communityId === undefined || g.communityId === scope.communityId) &&
      (scope?.unitId === undefined || g.unitId === scope.unitId),
  );
}

export function assertRoles(caller: Caller, required: RoleRequirement): void {
  if (required === 'any') return;
  if (!required.some((role) => hasRole(caller, role))) {
    throw forbidden(`需要${required.map((r) => ROLE_NAMES[r]).join('或')}身份`);
  }
}

/** Workers manage their own community; street admins manage every community. */
export function canManageCommunity(caller: Caller, communityId: string): boolean {
  return hasRole(caller, 'admin') || hasRole(caller, 'worker', { communityId });
}

export function assertManagesCommunity(caller: Caller, communityId: string): void {
  if (!canManageCommunity(caller, communityId)) throw forbidden('只能管理本社区的事务');
}

export function sameGrant(a: RoleGrant, b: RoleGrant): boolean {
  return a.role === b.role && a.communityId === b.communityId && a.unitId === b.unitId;
}

/** The community a worker means: the one asked for, else their own (or current); checked. */
export function managedCommunity(caller: Caller, requested?: string): string {
  const communityId =
    requested ??
    caller.user.roles.find((r) => r.role === 'worker')?.communityId ??
    caller.user.currentCommunityId;
  if (!communityId) throw invalid('请指定社区');
  assertManagesCommunity(caller, communityId);
  return communityId;
}
