/**
 * Who the caller is for one grievance, and which role they act in for an action. One place for
 * "a resident sees only their own", "a unit sees only what was dispatched to it" and "workers
 * manage their own community".
 */
import type { Grievance, GrievanceHandler } from '../../types/domain';
import type { GrievanceDetail } from '../../types/api';
import { canManageCommunity, hasRole, type Caller } from '../core/guard';
import type { ActorRole } from '../../types/domain';
import { TRANSITIONS } from '../domain/grievance';

export type Viewer = GrievanceDetail['viewer'];

export function isHandler(caller: Caller, handler: GrievanceHandler | undefined): boolean {
  if (!handler) return false;
  if (handler.kind === 'unit') return hasRole(caller, 'unitStaff', { unitId: handler.id });
  return handler.id === caller.openid;
}

/** Every capacity in which the caller relates to the grievance (a worker may also be its handler). */
export function rolesFor(caller: Caller, g: Grievance): ActorRole[] {
  const roles: ActorRole[] = [];
  if (g.openid === caller.openid) roles.push('resident');
  if (hasRole(caller, 'worker', { communityId: g.communityId })) roles.push('worker');
  if (hasRole(caller, 'admin')) roles.push('admin');
  if (isHandler(caller, g.handler)) roles.push('handler');
  return roles;
}

export function viewerOf(caller: Caller, g: Grievance): Viewer | undefined {
  if (g.openid === caller.openid) return 'owner';
  if (canManageCommunity(caller, g.communityId)) return 'manager';
  if (isHandler(caller, g.handler)) return 'handler';
  return g.isPublic ? 'public' : undefined;
}

type ActionKey = keyof typeof TRANSITIONS;

/** The role the caller takes `action` in, if any of theirs is allowed to. */
export function actorRoleFor(caller: Caller, g: Grievance, action: ActionKey): ActorRole | undefined {
  const allowed = TRANSITIONS[action].by;
  return rolesFor(caller, g).find((r) => allowed.includes(r));
}
