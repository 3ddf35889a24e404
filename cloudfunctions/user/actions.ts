import type { MeView } from '../../types/api';
import type { Community, RoleGrant, ServiceSite, Unit, User } from '../../types/domain';
import { userSchemas } from '../../types/schemas';
import { collection, getAll, getById, updateUser } from '../core/db';
import { forbidden, invalid, notFound } from '../core/errors';
import { defineActions, type ActionContext } from '../core/function';
import { hasRole, type Caller } from '../core/guard';
import { adminActions, changeRoles, toUserView } from './admin';

export const schemas = userSchemas;

export { toUserView };

const allCommunities = () => getAll<Community>(collection('communities').orderBy('_id', 'asc'));

async function saveUser(user: User, patch: Partial<User>, now: number): Promise<User> {
  const next = { ...user, ...patch, updatedAt: now };
  await updateUser(user._id, { ...patch, updatedAt: now });
  return next;
}

/**
 * Who may grant what: the street admin grants any role; a worker grants volunteer/member in
 * their own community (after reviewing the person) and unitStaff for units allied with it.
 */
async function assertMayGrant(caller: Caller, grant: RoleGrant): Promise<void> {
  if (hasRole(caller, 'admin')) return;
  if (grant.role === 'worker') throw forbidden('只有街道管理员可以任命社区工作者');
  if (grant.role === 'unitStaff') {
    const unit = await getById<Unit>('units', grant.unitId ?? '');
    if (!unit) throw notFound('驻区单位不存在');
    const allied = unit.communityIds.some((c) => hasRole(caller, 'worker', { communityId: c }));
    if (!allied) throw forbidden('只能为本社区的联盟单位添加工作人员');
    return;
  }
  if (!hasRole(caller, 'worker', { communityId: grant.communityId })) {
    throw forbidden('只能为本社区的居民设置身份');
  }
}

async function normaliseGrant(input: {
  role: RoleGrant['role'];
  communityId?: string;
  unitId?: string;
}): Promise<RoleGrant> {
  if (input.role === 'unitStaff') {
    if (!input.unitId) throw invalid('请指定驻区单位', { unitId: '请指定驻区单位' });
    return { role: 'unitStaff', unitId: input.unitId };
  }
  if (!input.communityId) throw invalid('请指定社区', { communityId: '请指定社区' });
  if (!(await getById<Community>('communities', input.communityId))) throw notFound('社区不存在');
  return { role: input.role, communityId: input.communityId };
}

export const actions = defineActions('user', {
  me: {
    roles: 'any',
    async handler({ caller }): Promise<MeView> {
      return { user: toUserView(caller.user), communities: await allCommunities() };
    },
  },
  updateProfile: {
    roles: 'any',
    async handler({ caller, now }, data) {
      return toUserView(await saveUser(caller.user, data, now));
    },
  },
  switchCommunity: {
    roles: 'any',
    async handler({ caller, now }, { communityId }) {
      if (!(await getById<Community>('communities', communityId))) throw notFound('社区不存在');
      return toUserView(await saveUser(caller.user, { currentCommunityId: communityId }, now));
    },
  },
  communities: {
    roles: 'any',
    async handler() {
      const [communities, units, sites] = await Promise.all([
        allCommunities(),
        getAll<Unit>(collection('units').orderBy('_id', 'asc')),
        getAll<ServiceSite>(collection('sites').orderBy('_id', 'asc')),
      ]);
      return { communities, units, sites };
    },
  },
  // Role changes: a read-modify-write of `roles` in one transaction with its audit entry.
  grantRole: {
    roles: ['worker', 'admin'],
    async handler(ctx: ActionContext, data) {
      const grant = await normaliseGrant(data);
      await assertMayGrant(ctx.caller, grant);
      return toUserView(await changeRoles(ctx, data.openid, grant, 'grant'));
    },
  },
  revokeRole: {
    roles: ['worker', 'admin'],
    async handler(ctx, data) {
      const grant = await normaliseGrant(data);
      await assertMayGrant(ctx.caller, grant);
      return toUserView(await changeRoles(ctx, data.openid, grant, 'revoke'));
    },
  },
  ...adminActions,
});
