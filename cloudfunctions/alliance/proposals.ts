/**
 * Alliance activities: unit staff propose an activity for an allied community (optionally in one
 * of their unit's venues); a worker of that community approves it — the activity is published
 * through the activity function's own rules, the unit among its hosts — or declines with a reason.
 */
import type { ActivityProposal, Community, ProposalView, Resource, ServiceSite } from '../../types/domain';
import { activitySchemas } from '../../types/schemas';
import { assertTiming, prepareActivity, storeActivity } from '../activity/publish';
import { collection, getAll, transaction } from '../core/db';
import { conflict, forbidden, invalid, notFound } from '../core/errors';
import { canManageCommunity } from '../core/guard';
import { queryPage } from '../core/paging';
import * as rules from '../domain/alliance';
import { requireStaffUnit, unitOrCommunityScope } from './access';
import {
  assertCleanText,
  body,
  loadCommunity,
  loadDoc,
  loadUnit,
  manyByIds,
  newId,
  type AllianceActions,
} from './common';

async function proposalViews(items: ActivityProposal[]): Promise<ProposalView[]> {
  const communities = await manyByIds<Community>(
    'communities',
    items.map((p) => p.communityId),
  );
  return items.map(({ proposedBy: _p, reviewedBy: _r, ...p }) => ({
    ...p,
    communityName: communities.get(p.communityId)?.name ?? '',
  }));
}

const proposalView = async (p: ActivityProposal) => (await proposalViews([p]))[0] as ProposalView;

/** Where the activity is on the map: the community's first service site (else unknown, 0/0). */
async function communityLocation(communityId: string): Promise<{ lat: number; lng: number }> {
  const sites = await getAll<ServiceSite>(collection('sites').where({ communityId }));
  const site = sites.sort((a, b) => a._id.localeCompare(b._id))[0];
  return site ? { lat: site.lat, lng: site.lng } : { lat: 0, lng: 0 };
}

export const proposalActions: AllianceActions<'proposeActivity' | 'reviewProposal' | 'listProposals'> = {
  proposeActivity: {
    roles: ['unitStaff'],
    async handler({ caller, now }, data) {
      const unit = await loadUnit(requireStaffUnit(caller));
      await loadCommunity(data.communityId);
      if (!unit.communityIds.includes(data.communityId)) throw forbidden('只能向本单位的共建社区提议活动');
      let venueTitle: string | undefined;
      if (data.venueResourceId) {
        const r = await loadDoc<Resource>('resources', data.venueResourceId, '场地不存在');
        if (r.unitId !== unit._id) throw forbidden('只能使用本单位提供的场地');
        if (r.kind !== 'venue') throw invalid('请选择场地类资源', { venueResourceId: '请选择场地类资源' });
        if (r.status !== 'active') throw conflict('该场地已撤下');
        venueTitle = r.title;
      }
      // The timing the activity will be published with: sign-up open from approval to the start.
      assertTiming({ ...data, signUpStartAt: now, signUpEndAt: data.startAt }, now, true);
      await assertCleanText(`${data.title} ${data.description}`, caller.openid, 'description');
      const proposal: ActivityProposal = {
        _id: newId(),
        communityId: data.communityId,
        unitId: unit._id,
        unitName: unit.name,
        type: data.type,
        title: data.title,
        description: data.description,
        placeName: data.placeName,
        ...(data.venueResourceId ? { venueResourceId: data.venueResourceId, venueTitle } : {}),
        startAt: data.startAt,
        endAt: data.endAt,
        capacity: data.capacity,
        status: 'pending',
        proposedBy: caller.openid,
        createdAt: now,
      };
      await collection('activity_proposals').doc(proposal._id).set(body(proposal));
      return proposalView(proposal);
    },
  },

  reviewProposal: {
    roles: ['worker', 'admin'],
    async handler(ctx, { proposalId, approve, reason }) {
      const { caller, now } = ctx;
      const before = await loadDoc<ActivityProposal>('activity_proposals', proposalId, '活动提议不存在');
      if (!canManageCommunity(caller, before.communityId)) throw forbidden('只能审核本社区的活动提议');
      const first = rules.canReviewProposal(before);
      if (!first.ok) throw conflict(first.reason);

      // Approval publishes through the activity function's rules (checked before the
      // transaction; the document is stored inside it, with the proposal's new status).
      let activity: Awaited<ReturnType<typeof prepareActivity>> | undefined;
      if (approve) {
        if (before.startAt <= now) throw conflict('提议的开始时间已过，请单位重新提议');
        const unit = await loadUnit(before.unitId);
        const venue = before.venueResourceId
          ? await loadDoc<Resource>('resources', before.venueResourceId, '场地不存在').catch(() => undefined)
          : undefined;
        activity = await prepareActivity(
          ctx,
          activitySchemas.publish.parse({
            communityId: before.communityId,
            type: before.type,
            title: before.title,
            description: before.description,
            place: {
              name: before.placeName,
              ...(venue ? { address: `${unit.name} · ${venue.title}` } : {}),
              ...(await communityLocation(before.communityId)),
            },
            hostUnitIds: [before.unitId],
            startAt: before.startAt,
            endAt: before.endAt,
            signUpStartAt: now,
            signUpEndAt: before.startAt,
            capacity: before.capacity,
          }),
        );
      }

      const after = await transaction(async (t) => {
        const p = await t.get<ActivityProposal>('activity_proposals', proposalId);
        if (!p) throw notFound('活动提议不存在');
        const allowed = rules.canReviewProposal(p);
        if (!allowed.ok) throw conflict(allowed.reason);
        const patch: Partial<ActivityProposal> = {
          status: approve ? 'approved' : 'declined',
          reviewedAt: now,
          reviewedBy: caller.openid,
          ...(reason ? { reason } : {}),
        };
        if (activity) {
          const stored = await storeActivity(activity, { t, id: newId() });
          patch.activityId = stored._id;
        }
        await t.update('activity_proposals', proposalId, patch);
        return { ...p, ...patch };
      });
      return proposalView(after);
    },
  },

  listProposals: {
    roles: 'any',
    async handler({ caller }, { communityId, unitId, status, ...page }) {
      const where: Record<string, unknown> = unitOrCommunityScope(
        caller,
        { communityId, unitId },
        '只能查看本单位的活动提议',
      );
      if (status) where.status = status;
      return queryPage<ActivityProposal, ProposalView>(
        collection('activity_proposals').where(where),
        { field: 'createdAt', order: 'desc' },
        page,
        proposalViews,
      );
    },
  },
};
