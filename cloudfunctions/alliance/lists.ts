/** 需求清单 and 资源清单: community needs, unit resources, and workers' requests for them. */
import type { Grievance, Need, Resource, ResourceRequest } from '../../types/domain';
import { collection, getById, transaction } from '../core/db';
import { conflict, forbidden, notFound } from '../core/errors';
import { assertManagesCommunity } from '../core/guard';
import { queryPage } from '../core/paging';
import { assertStaffOf, requireStaffUnit, unitOrCommunityScope } from './access';
import {
  assertCleanText,
  body,
  loadCommunity,
  loadDoc,
  loadUnit,
  newId,
  type AllianceActions,
} from './common';

/** Holder of the one pending request a community may have on a resource (null when none). */
const pendingHolderId = (resourceId: string, communityId: string) =>
  `resource-pending-${resourceId}-${communityId}`;
interface PendingHolder {
  requestId: string | null;
}

export const listActions: AllianceActions<
  | 'publishNeed'
  | 'listNeeds'
  | 'offerResource'
  | 'withdrawResource'
  | 'listResources'
  | 'requestResource'
  | 'answerResourceRequest'
  | 'resourceRequests'
> = {
  publishNeed: {
    roles: ['worker', 'admin'],
    async handler({ caller, now }, data) {
      await loadCommunity(data.communityId);
      assertManagesCommunity(caller, data.communityId);
      if (data.grievanceId) {
        const g = await getById<Grievance>('grievances', data.grievanceId);
        if (!g || g.communityId !== data.communityId) throw notFound('诉求不存在或不属于本社区');
      }
      const need: Need = {
        _id: newId(),
        communityId: data.communityId,
        title: data.title,
        description: data.description,
        category: data.category,
        source: data.grievanceId ? 'grievance' : 'worker',
        ...(data.grievanceId ? { grievanceId: data.grievanceId } : {}),
        status: 'open',
        createdBy: caller.openid,
        createdAt: now,
      };
      await collection('needs').doc(need._id).set(body(need));
      return need;
    },
  },

  listNeeds: {
    roles: 'any',
    async handler(_ctx, { communityId, status, ...page }) {
      const where: Record<string, unknown> = { communityId };
      if (status) where.status = status;
      return queryPage<Need, Need>(
        collection('needs').where(where),
        { field: 'createdAt', order: 'desc' },
        page,
        (docs) => docs,
      );
    },
  },

  offerResource: {
    roles: ['unitStaff'],
    async handler({ caller, now }, data) {
      const unit = await loadUnit(requireStaffUnit(caller));
      await assertCleanText(`${data.title} ${data.description}`, caller.openid, 'description');
      const resource: Resource = {
        _id: newId(),
        unitId: unit._id,
        unitName: unit.name,
        communityIds: unit.communityIds,
        ...data,
        status: 'active',
        createdBy: caller.openid,
        createdAt: now,
      };
      await collection('resources').doc(resource._id).set(body(resource));
      return resource;
    },
  },

  withdrawResource: {
    roles: ['unitStaff'],
    async handler({ caller }, { resourceId }) {
      const r = await loadDoc<Resource>('resources', resourceId, '资源不存在');
      assertStaffOf(caller, r.unitId, '只能撤下本单位的资源');
      await collection('resources').doc(resourceId).update({ status: 'withdrawn' });
      return { ...r, status: 'withdrawn' as const };
    },
  },

  listResources: {
    roles: 'any',
    async handler(_ctx, { communityId, unitId, kind, ...page }) {
      const where: Record<string, unknown> = { status: 'active' };
      if (communityId) where.communityIds = communityId;
      if (unitId) where.unitId = unitId;
      if (kind) where.kind = kind;
      return queryPage<Resource, Resource>(
        collection('resources').where(where),
        { field: 'createdAt', order: 'desc' },
        page,
        (docs) => docs,
      );
    },
  },

  requestResource: {
    roles: ['worker', 'admin'],
    async handler({ caller, now }, { resourceId, communityId, note }) {
      assertManagesCommunity(caller, communityId);
      // Read while the transaction starts; the one-pending-request rule lives in a holder
      // document the transaction writes (the count catches requests made before holders existed).
      const before = Promise.all([
        loadDoc<Resource>('resources', resourceId, '资源不存在'),
        loadCommunity(communityId),
        collection('resource_requests')
          .where({ resourceId, communityId, status: 'pending' })
          .count() as Promise<{
          total: number;
        }>,
      ]);
      before.catch(() => {}); // awaited inside the transaction
      const holder = pendingHolderId(resourceId, communityId);
      return transaction(async (t) => {
        const [[r, , { total }], held] = await Promise.all([
          before,
          t.get<PendingHolder>('counters', holder),
        ]);
        if (r.status !== 'active') throw conflict('该资源已撤下');
        if (!r.communityIds.includes(communityId)) throw forbidden('该单位不是本社区的共建单位');
        if (held?.requestId || total > 0) throw conflict('本社区对该资源已有待答复的申请');
        const request: ResourceRequest = {
          _id: newId(),
          resourceId,
          resourceTitle: r.title,
          kind: r.kind,
          unitId: r.unitId,
          unitName: r.unitName,
          communityId,
          requestedBy: caller.openid,
          note,
          status: 'pending',
          createdAt: now,
        };
        await Promise.all([
          t.set('resource_requests', request._id, body(request)),
          t.set('counters', holder, { requestId: request._id, updatedAt: now }),
        ]);
        return request;
      });
    },
  },

  answerResourceRequest: {
    roles: ['unitStaff'],
    async handler({ caller, now }, { requestId, accept, note }) {
      const before = await loadDoc<ResourceRequest>('resource_requests', requestId, '资源申请不存在');
      assertStaffOf(caller, before.unitId, '只能答复本单位资源的申请');
      return transaction(async (t) => {
        const r = await t.get<ResourceRequest>('resource_requests', requestId);
        if (!r) throw notFound('资源申请不存在');
        if (r.status !== 'pending') throw conflict('该申请已答复');
        const holder = pendingHolderId(r.resourceId, r.communityId);
        const held = await t.get<PendingHolder>('counters', holder);
        if (held?.requestId === r._id)
          await t.update('counters', holder, { requestId: null, updatedAt: now });
        const patch = {
          status: accept ? ('accepted' as const) : ('declined' as const),
          answeredBy: caller.openid,
          answeredAt: now,
          ...(note ? { answerNote: note } : {}),
        };
        await t.update('resource_requests', requestId, patch);
        return { ...r, ...patch };
      });
    },
  },

  resourceRequests: {
    roles: 'any',
    async handler({ caller }, { communityId, unitId, status, ...page }) {
      const where: Record<string, unknown> = unitOrCommunityScope(
        caller,
        { communityId, unitId },
        '只能查看本单位收到的申请',
      );
      if (status) where.status = status;
      return queryPage<ResourceRequest, ResourceRequest>(
        collection('resource_requests').where(where),
        { field: 'createdAt', order: 'desc' },
        page,
        (docs) => docs,
      );
    },
  },
};
