/**
 * The worker's workbench (today's to-dos as indexed counts) and the street admin's management of
 * communities, service sites and workers. Every role change is a read-modify-write of the user's
 * `roles` inside one transaction, with its audit entry, so concurrent grants and revokes on one
 * person never overwrite each other.
 */
import type { UserView } from '../../types/api';
import type { StaffMember, UserAdminContract, WorkbenchCounts } from '../../types/admin';
import type { Activity, Community, RoleGrant, ServiceSite, Street, User } from '../../types/domain';
import { audit } from '../core/audit';
import { readRegistration, writeDirectory } from '../branch/directory';
import { timeKey } from '../domain/grievance-tally';
import { roleKey, rolesPatch } from '../domain/roles';
import {
  collection,
  cmd,
  db,
  getById,
  newId,
  transaction,
  type CollectionName,
  type TxDocs,
} from '../core/db';
import { conflict, forbidden, invalid, notFound } from '../core/errors';
import type { ActionContext, ActionTable } from '../core/function';
import { canManageCommunity, managedCommunity, sameGrant } from '../core/guard';
import { SHANGHAI_OFFSET_MS as SHANGHAI_OFFSET } from '../domain/shanghai';

const DAY = 24 * 3600_000;

/** The end of the Asia/Shanghai calendar day containing `now` (no daylight saving there). */
export function shanghaiDayEnd(now: number): number {
  return Math.floor((now + SHANGHAI_OFFSET) / DAY) * DAY + DAY - SHANGHAI_OFFSET;
}

async function count(name: CollectionName, where: Record<string, unknown>): Promise<number> {
  return ((await collection(name).where(where).count()) as { total: number }).total;
}

export function toUserView(user: User): UserView {
  return {
    openid: user.openid,
    nickName: user.nickName,
    avatarUrl: user.avatarUrl,
    roles: user.roles,
    currentCommunityId: user.currentCommunityId,
  };
}

/**
 * Apply `change` to the user's roles inside a transaction (fresh read, write only when something
 * changed) and audit it there. NOT_FOUND when the user does not exist.
 */
export async function changeRoles(
  ctx: Pick<ActionContext, 'caller' | 'now'>,
  openid: string,
  grant: RoleGrant,
  op: 'grant' | 'revoke',
): Promise<User> {
  const directoryOf = grant.role === 'member' ? grant.communityId : undefined;
  return transaction(async (t: TxDocs) => {
    const registration = directoryOf ? readRegistration(t, openid) : Promise.resolve(undefined);
    registration.catch(() => undefined); // awaited below when needed
    const user = await t.get<User>('users', openid);
    if (!user) throw notFound('用户不存在');
    const has = user.roles.some((g) => sameGrant(g, grant));
    if ((op === 'grant') === has) return user;
    const roles = op === 'grant' ? [...user.roles, grant] : user.roles.filter((g) => !sameGrant(g, grant));
    const patch: Partial<User> = { ...rolesPatch(roles), updatedAt: ctx.now };
    // A new worker browses the community they serve.
    if (op === 'grant' && grant.communityId && !user.currentCommunityId)
      patch.currentCommunityId = grant.communityId;
    // 党员名录 (branch roster search): the community's member role, written with the roles.
    await Promise.all([
      t.update('users', openid, patch as Record<string, unknown>),
      directoryOf ? writeDirectory(t, user, await registration, directoryOf, op === 'grant', ctx.now) : null,
    ]);
    await audit(t, {
      at: ctx.now,
      actor: ctx.caller.openid,
      action: op === 'grant' ? 'roleGranted' : 'roleRevoked',
      subject: openid,
      ...(grant.communityId ? { communityId: grant.communityId } : {}),
      detail: `${op === 'grant' ? '授予' : '撤销'}身份 ${grant.role}${grant.communityId ? ` · 社区 ${grant.communityId}` : ''}${grant.unitId ? ` · 单位 ${grant.unitId}` : ''}`,
    });
    return { ...user, ...patch };
  });
}

async function loadCommunity(id: string): Promise<Community> {
  const c = await getById<Community>('communities', id);
  if (!c) throw notFound('社区不存在');
  return c;
}

const STAFF_LIMIT = 500;
const SEARCH_LIMIT = 20;

export const adminActions: Pick<ActionTable<'user'>, keyof UserAdminContract> = {
  /**
   * Counts of what waits for the community's workers. Sequential requests: the caller (read by
   * the dispatcher), then every count at once.
   */
  workbench: {
    roles: ['worker', 'admin'],
    async handler({ caller, now }, { communityId }) {
      const id = managedCommunity(caller, communityId);
      const _ = cmd();
      const pending = { communityId: id, status: 'pending' };
      const [
        registrations,
        signUps,
        claims,
        reports,
        proposals,
        grievancesNew,
        grievancesDueToday,
        grievancesOverdue,
        makeups,
        corrections,
        first,
      ] = await Promise.all([
        count('volunteers', pending),
        count('signups', pending),
        count('project_claims', pending),
        count('member_reports', pending),
        count('activity_proposals', pending),
        count('grievances', { communityId: id, stage: 'submitted' }),
        // The deadline that applies now leads each grievance's queueKey (see grievance-tally).
        count('grievances', {
          communityId: id,
          queueKey: _.gte(timeKey(now)).and(_.lt(timeKey(shanghaiDayEnd(now)))),
        }),
        count('grievances', { communityId: id, queueKey: _.lt(timeKey(now)) }),
        count('makeup_requests', pending),
        count('corrections', pending),
        collection('signups').where(pending).orderBy('createdAt', 'asc').limit(1).get(),
      ]);
      const counts: WorkbenchCounts = {
        registrations,
        signUps,
        claims,
        reports,
        proposals,
        grievancesNew,
        grievancesDueToday,
        grievancesOverdue,
        makeups,
        corrections,
      };
      const oldest = (first as { data: { activityId?: string }[] }).data[0];
      return {
        communityId: id,
        counts,
        ...(oldest?.activityId ? { firstPendingActivityId: oldest.activityId } : {}),
        at: now,
      };
    },
  },

  /** Applications waiting on one activity, for its managers (activity detail's 活动管理). */
  pendingSignUps: {
    roles: ['worker', 'admin'],
    async handler({ caller }, { activityId }) {
      const [activity, pending] = await Promise.all([
        getById<Activity>('activities', activityId),
        count('signups', { activityId, status: 'pending' }),
      ]);
      if (!activity) throw notFound('活动不存在');
      if (!canManageCommunity(caller, activity.communityId)) throw forbidden('只能查看本社区活动的报名');
      return { pending };
    },
  },

  saveCommunity: {
    roles: ['admin'],
    async handler(ctx, { communityId, name, address }) {
      const _ = cmd();
      const [existing, sameName, street] = await Promise.all([
        communityId ? loadCommunity(communityId) : Promise.resolve(undefined),
        collection('communities')
          .where({ name, ...(communityId ? { _id: _.neq(communityId) } : {}) })
          .limit(1)
          .get(),
        communityId ? Promise.resolve(undefined) : collection('streets').orderBy('_id', 'asc').limit(1).get(),
      ]);
      if ((sameName as { data: unknown[] }).data.length > 0) throw conflict(`已有名为「${name}」的社区`);
      const streetId =
        existing?.streetId ??
        ((street as { data: Street[] } | undefined)?.data[0]?._id as string | undefined);
      if (!streetId) throw invalid('还没有街道，请先初始化街道管理员');
      const id = communityId ?? `community-${newId().slice(0, 12)}`;
      const doc: Community = { _id: id, streetId, name, address };
      await transaction(async (t) => {
        if (communityId) await t.update('communities', id, { name, address });
        else await t.set('communities', id, { streetId, name, address });
        await audit(t, {
          at: ctx.now,
          actor: ctx.caller.openid,
          action: 'communitySaved',
          subject: id,
          communityId: id,
          detail: existing
            ? `修改社区：${existing.name} → ${name}；地址 ${existing.address} → ${address}`
            : `新建社区：${name}（${address}）`,
        });
      });
      return doc;
    },
  },

  saveSite: {
    roles: ['admin'],
    async handler(ctx, { siteId, ...fields }) {
      const [, existing] = await Promise.all([
        loadCommunity(fields.communityId),
        siteId ? getById<ServiceSite>('sites', siteId) : Promise.resolve(undefined),
      ]);
      if (siteId && !existing) throw notFound('服务阵地不存在');
      const id = siteId ?? `site-${newId().slice(0, 12)}`;
      const site: ServiceSite = { _id: id, ...fields };
      await transaction(async (t) => {
        const { _id, ...body } = site;
        await t.set('sites', _id, body as unknown as Record<string, unknown>);
        await audit(t, {
          at: ctx.now,
          actor: ctx.caller.openid,
          action: 'siteSaved',
          subject: id,
          communityId: fields.communityId,
          detail: `${existing ? '修改' : '新增'}服务阵地：${fields.name}（${fields.address}）`,
        });
      });
      return site;
    },
  },

  /** Workers of the street (or of one community). Staff are few: one bounded query. */
  listStaff: {
    roles: ['admin'],
    async handler(_ctx, { communityId }) {
      const { data } = await collection('users')
        .where({ roleKeys: roleKey('worker', communityId ? { communityId } : {}) })
        .orderBy('_id', 'asc')
        .limit(STAFF_LIMIT)
        .get();
      const items: StaffMember[] = (data as User[]).map((u) => ({
        openid: u.openid,
        nickName: u.nickName,
        ...(u.avatarUrl ? { avatarUrl: u.avatarUrl } : {}),
        communityIds: u.roles.filter((g) => g.role === 'worker' && g.communityId).map((g) => g.communityId!),
      }));
      return { items };
    },
  },

  /** A person to appoint: exact openid, or nickname containing the text (at most 20). */
  findUsers: {
    roles: ['admin'],
    async handler(_ctx, { query }) {
      const escaped = query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const [byOpenid, byName] = await Promise.all([
        getById<User>('users', query),
        collection('users')
          .where({ nickName: db().RegExp({ regexp: escaped, options: 'i' }) })
          .limit(SEARCH_LIMIT)
          .get(),
      ]);
      const seen = new Set<string>();
      const items: UserView[] = [];
      for (const u of [...(byOpenid ? [byOpenid] : []), ...((byName as { data: User[] }).data ?? [])]) {
        if (seen.has(u.openid)) continue;
        seen.add(u.openid);
        items.push(toUserView(u));
      }
      return { items: items.slice(0, SEARCH_LIMIT) };
    },
  },

  appointWorker: {
    roles: ['admin'],
    async handler(ctx, { openid, communityId }) {
      await loadCommunity(communityId);
      return toUserView(await changeRoles(ctx, openid, { role: 'worker', communityId }, 'grant'));
    },
  },

  removeWorker: {
    roles: ['admin'],
    async handler(ctx, { openid, communityId }) {
      return toUserView(await changeRoles(ctx, openid, { role: 'worker', communityId }, 'revoke'));
    },
  },
};
