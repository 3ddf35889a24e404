/**
 * Who may act for a unit, a community or a member's record. One place for "staff act only for
 * their own unit", "workers manage units allied with their community" and "a member's record is
 * read by the member, their community's workers and their employer unit's staff".
 */
import type { AllianceUnit, MemberReport } from '../../types/domain';
import { canManageCommunity, hasRole, managedCommunity, type Caller } from '../core/guard';
import { forbidden } from '../core/errors';

/** The unit the caller is staff of (a user is bound to one unit). */
export function staffUnitId(caller: Caller): string | undefined {
  return caller.user.roles.find((r) => r.role === 'unitStaff' && r.unitId)?.unitId;
}

export function requireStaffUnit(caller: Caller): string {
  const unitId = staffUnitId(caller);
  if (!unitId) throw forbidden('需要驻区单位工作人员身份');
  return unitId;
}

export const isStaffOf = (caller: Caller, unitId: string) => hasRole(caller, 'unitStaff', { unitId });

export function assertStaffOf(caller: Caller, unitId: string, what = '只能代表本单位操作'): void {
  if (!isStaffOf(caller, unitId)) throw forbidden(what);
}

export const isUnitAdmin = (caller: Caller, unit: AllianceUnit) =>
  isStaffOf(caller, unit._id) && unit.adminOpenids.includes(caller.openid);

/** Street admins, and workers of a community the unit is allied with. */
export function canManageUnit(caller: Caller, unit: Pick<AllianceUnit, 'communityIds'>): boolean {
  return (
    hasRole(caller, 'admin') || unit.communityIds.some((c) => hasRole(caller, 'worker', { communityId: c }))
  );
}

/** Workers and admins may issue any invite; a unit admin may invite colleagues (not admins). */
export function assertCanInvite(caller: Caller, unit: AllianceUnit, asAdmin: boolean): void {
  if (canManageUnit(caller, unit)) return;
  if (isUnitAdmin(caller, unit)) {
    if (asAdmin) throw forbidden('单位管理员邀请码须由社区工作者签发');
    return;
  }
  throw forbidden('只有共建社区的工作者或本单位管理员可以签发邀请码');
}

export function assertCanManageStaff(caller: Caller, unit: AllianceUnit): void {
  if (!canManageUnit(caller, unit) && !isUnitAdmin(caller, unit))
    throw forbidden('只有本单位管理员或共建社区的工作者可以管理工作人员');
}

/** The member, workers of a community they reported to, and staff of an employer unit named. */
export function canReadMemberRecord(caller: Caller, openid: string, reports: MemberReport[]): boolean {
  if (caller.openid === openid || hasRole(caller, 'admin')) return true;
  return reports.some(
    (r) =>
      (r.status !== 'rejected' && canManageCommunity(caller, r.communityId)) ||
      (r.confirmedAt !== undefined && !!r.employerUnitId && isStaffOf(caller, r.employerUnitId)),
  );
}

export function canReadUnitRecord(caller: Caller, unit: AllianceUnit): boolean {
  return isStaffOf(caller, unit._id) || canManageUnit(caller, unit);
}

export { managedCommunity };

/**
 * Where a list of unit-related requests is read from: one unit (its staff, or the street admin),
 * the caller's own unit (staff asking without a filter), or a community its workers manage.
 */
export function unitOrCommunityScope(
  caller: Caller,
  filter: { communityId?: string; unitId?: string },
  notYourUnit: string,
): { unitId: string } | { communityId: string } {
  if (filter.unitId) {
    if (!isStaffOf(caller, filter.unitId) && !hasRole(caller, 'admin')) throw forbidden(notYourUnit);
    return { unitId: filter.unitId };
  }
  if (!filter.communityId && !hasRole(caller, 'worker') && !hasRole(caller, 'admin')) {
    return { unitId: requireStaffUnit(caller) };
  }
  return { communityId: managedCommunity(caller, filter.communityId) };
}
