/**
 * Role keys: a user's role grants flattened to strings, stored beside `roles` as `roleKeys` so that
 * "who holds role R (in community C / unit U)" is an equality on an array (multikey) index
 * (`users.role_keys`, core/indexes.ts) instead of an `elemMatch` over every user.
 *
 * Per grant: the bare role (`worker`), and one key per scope it carries (`worker:c:<communityId>`,
 * `unitStaff:u:<unitId>`). The `c:`/`u:` infix keeps community and unit ids apart, so a key matches
 * exactly the grants `elemMatch({ role, communityId })` or `elemMatch({ role, unitId })` matches.
 *
 * `roleKeys` is derived and never written on its own: every write of `roles` goes through
 * `rolesPatch`, which writes both. Users written before the field existed get it from the
 * `roleKeysBackfill` job (user/role-keys.ts).
 */
import type { Role, RoleGrant } from '../../types/domain';

/** The key of a role, optionally scoped to one community or one unit. */
export function roleKey(role: Role, scope: { communityId?: string; unitId?: string } = {}): string {
  if (scope.communityId !== undefined && scope.unitId !== undefined)
    throw new Error('roleKey: a community or a unit, not both');
  if (scope.communityId !== undefined) return `${role}:c:${scope.communityId}`;
  if (scope.unitId !== undefined) return `${role}:u:${scope.unitId}`;
  return role;
}

const isId = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/** Every key of a user's grants, without duplicates, sorted (a canonical form: equal sets are equal arrays). */
export function roleKeysOf(roles: readonly RoleGrant[] | undefined | null): string[] {
  const keys = new Set<string>();
  for (const g of roles ?? []) {
    if (!g || typeof g.role !== 'string') continue;
    keys.add(roleKey(g.role));
    if (isId(g.communityId)) keys.add(roleKey(g.role, { communityId: g.communityId }));
    if (isId(g.unitId)) keys.add(roleKey(g.role, { unitId: g.unitId }));
  }
  return [...keys].sort();
}

/** The one way to write a user's roles: the grants and their keys together. */
export function rolesPatch(roles: RoleGrant[]): { roles: RoleGrant[]; roleKeys: string[] } {
  return { roles, roleKeys: roleKeysOf(roles) };
}

/** Whether a stored user's `roleKeys` is missing or out of step with its `roles`. */
export function roleKeysStale(user: { roles?: RoleGrant[]; roleKeys?: unknown }): boolean {
  const want = roleKeysOf(user.roles);
  const have = user.roleKeys;
  return !Array.isArray(have) || have.length !== want.length || have.some((k, i) => k !== want[i]);
}
