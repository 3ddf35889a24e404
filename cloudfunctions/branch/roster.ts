/**
 * Branches and rosters: workers create branches and appoint the secretary and committee; the
 * secretary adds and removes members. A member belongs to one branch: every roster change writes
 * the member's holder document (`branch_holders`, `_id` = openid) in its transaction, so two
 * branches adding one member at once conflict and only one wins. 在职党员 keep their own branch and
 * report to the community separately (alliance.reportToCommunity). Also 党员责任区 (areas).
 */
import type {
  Branch,
  BranchHolder,
  BranchMember,
  AreaView,
  MeetingSummary,
  AttendanceDoc,
  Meeting,
} from '../../types/branch';
import type { Community, User } from '../../types/domain';
import { byIds, cmd, collection, getAll, getById, newId, transaction, type TxDocs } from '../core/db';
import { conflict, forbidden, invalid, notFound } from '../core/errors';
import { assertManagesCommunity } from '../core/guard';
import { runtime } from '../core/runtime';
import { maskPhone } from '../domain/mask';
import { areaId, attendanceId, memberDocId } from '../domain/branch';
import {
  assertInside,
  assertRunsBranch,
  branchView,
  holderOf,
  loadBranch,
  manages,
  meetingSummary,
  memberView,
  standing,
  type BranchActions,
} from './common';

export interface AreaDoc {
  _id: string;
  communityId: string;
  building: string;
  /** '' when nobody answers for it now. */
  openid: string;
  memberName: string;
  branchId: string;
  branchName: string;
  contactMasked?: string;
  updatedAt: number;
}

const isMember = (u: User | undefined) => !!u && u.roles.some((r) => r.role === 'member');

/** Put `u` on the branch's roster inside `t` (the holder document is the one-branch invariant). */
async function enrol(
  t: TxDocs,
  b: Branch,
  u: User,
  now: number,
  extra: { group?: string; inService?: boolean } = {},
): Promise<{ member: BranchMember; added: boolean }> {
  const [holder, existing] = await Promise.all([
    t.get<BranchHolder>('branch_holders', u.openid),
    t.get<BranchMember>('branch_members', memberDocId(b._id, u.openid)),
  ]);
  if (holder?.active && holder.branchId !== b._id) throw conflict('该党员已在其他支部，请先由原支部转出');
  const member: BranchMember = {
    _id: memberDocId(b._id, u.openid),
    branchId: b._id,
    communityId: b.communityId,
    openid: u.openid,
    name: u.nickName,
    ...((extra.group ?? existing?.group) ? { group: extra.group ?? existing?.group } : {}),
    inService: extra.inService ?? existing?.inService ?? false,
    buildings: existing?.active ? (existing.buildings ?? []) : [],
    ...(existing?.active && existing.contactMasked ? { contactMasked: existing.contactMasked } : {}),
    active: true,
    joinedAt: existing?.active ? existing.joinedAt : now,
    updatedAt: now,
  };
  const { _id, ...doc } = member;
  await Promise.all([
    t.set('branch_members', _id, doc),
    t.set('branch_holders', u.openid, { branchId: b._id, active: true, updatedAt: now }),
  ]);
  return { member, added: !(existing?.active && holder?.active) };
}

async function activeRoster(branchId: string): Promise<BranchMember[]> {
  return getAll<BranchMember>(collection('branch_members').where({ branchId, active: true }));
}

async function nameOf(openid: string): Promise<string> {
  return (await getById<User>('users', openid))?.nickName ?? '';
}

export const rosterActions: BranchActions<
  | 'createBranch'
  | 'appoint'
  | 'listBranches'
  | 'myBranch'
  | 'members'
  | 'addMember'
  | 'removeMember'
  | 'setArea'
  | 'areas'
  | 'areaMember'
  | 'messageAreaMember'
  | 'setPointsRule'
> = {
  createBranch: {
    roles: ['worker', 'admin'],
    async handler({ caller, now }, input) {
      assertManagesCommunity(caller, input.communityId);
      const [community, secretary] = await Promise.all([
        getById<Community>('communities', input.communityId),
        getById<User>('users', input.secretary),
      ]);
      if (!community) throw notFound('社区不存在');
      if (!isMember(secretary)) throw invalid('书记须是已认证的党员', { secretary: '请选择党员' });
      const b: Branch = {
        _id: newId(),
        communityId: input.communityId,
        ...(input.unitId ? { unitId: input.unitId } : {}),
        name: input.name,
        secretary: input.secretary,
        committee: [],
        memberCount: 1,
        remindedFor: '',
        createdAt: now,
        updatedAt: now,
      };
      await transaction(async (t) => {
        const { _id, ...doc } = b;
        await Promise.all([t.set('branches', _id, doc), enrol(t, b, secretary!, now)]);
      });
      return branchView(b, secretary!.nickName, caller.openid, community.name);
    },
  },

  appoint: {
    roles: ['worker', 'admin'],
    async handler({ caller, now }, { branchId, secretary, committee }) {
      const b = await loadBranch(branchId);
      if (!manages(caller, b)) throw forbidden('只能管理本社区的支部');
      const people = [...new Set([...(secretary ? [secretary] : []), ...(committee ?? [])])];
      const members = await byIds<BranchMember>(
        'branch_members',
        people.map((o) => memberDocId(branchId, o)),
      );
      for (const o of people)
        if (!members.get(memberDocId(branchId, o))?.active)
          throw invalid('书记和委员须是本支部党员，请先加入支部');
      const next = await transaction(async (t) => {
        const cur = await t.get<Branch>('branches', branchId);
        if (!cur) throw notFound('支部不存在');
        const patch = {
          ...(secretary ? { secretary } : {}),
          ...(committee ? { committee: [...new Set(committee)] } : {}),
          updatedAt: now,
        };
        await t.update('branches', branchId, patch);
        return { ...cur, _id: branchId, ...patch } as Branch;
      });
      return branchView(next, await nameOf(next.secretary), caller.openid);
    },
  },

  listBranches: {
    roles: ['worker', 'admin'],
    async handler({ caller }, { communityId }) {
      assertManagesCommunity(caller, communityId);
      const branches = await getAll<Branch>(collection('branches').where({ communityId }));
      const users = await byIds<User>('users', [...new Set(branches.map((b) => b.secretary))]);
      return branches.map((b) => branchView(b, users.get(b.secretary)?.nickName ?? '', caller.openid));
    },
  },

  myBranch: {
    roles: 'any',
    async handler({ caller }) {
      const holder = await holderOf(caller.openid);
      if (!holder) return { branch: null, meetings: [] };
      const [b, { data }] = await Promise.all([
        loadBranch(holder.branchId),
        collection('branch_meetings')
          .where({ branchId: holder.branchId })
          .orderBy('startAt', 'desc')
          .limit(30)
          .get(),
      ]);
      const meetings = data as Meeting[];
      const [att, sec] = await Promise.all([
        byIds<AttendanceDoc>(
          'branch_attendance',
          meetings.map((m) => attendanceId(m._id, caller.openid)),
        ),
        getById<User>('users', b.secretary),
      ]);
      const items: MeetingSummary[] = meetings.map((m) =>
        meetingSummary(m, standing(m, caller.openid, att.get(attendanceId(m._id, caller.openid))?.status)),
      );
      return { branch: branchView(b, sec?.nickName ?? '', caller.openid), meetings: items };
    },
  },

  members: {
    roles: 'any',
    async handler({ caller }, { branchId }) {
      const [b, holder, roster] = await Promise.all([
        loadBranch(branchId),
        holderOf(caller.openid),
        activeRoster(branchId),
      ]);
      assertInside(caller, b, holder);
      return roster.map((m) => memberView(b, m)).sort((x, y) => x.name.localeCompare(y.name, 'zh'));
    },
  },

  addMember: {
    roles: ['member', 'worker', 'admin'],
    async handler({ caller, now }, { branchId, openid, group, inService }) {
      const [b, u] = await Promise.all([loadBranch(branchId), getById<User>('users', openid)]);
      assertRunsBranch(caller, b);
      if (!isMember(u)) throw invalid('只能加入已认证的党员', { openid: '该用户不是党员' });
      const member = await transaction(async (t) => {
        const cur = await t.get<Branch>('branches', branchId);
        if (!cur) throw notFound('支部不存在');
        const r = await enrol(t, b, u!, now, {
          ...(group !== undefined ? { group } : {}),
          ...(inService !== undefined ? { inService } : {}),
        });
        if (r.added)
          await t.update('branches', branchId, { memberCount: cur.memberCount + 1, updatedAt: now });
        return r.member;
      });
      return memberView(b, member);
    },
  },

  removeMember: {
    roles: ['member', 'worker', 'admin'],
    async handler({ caller, now }, { branchId, openid }) {
      const b = await loadBranch(branchId);
      assertRunsBranch(caller, b);
      if (b.secretary === openid) throw conflict('不能移出书记，请先改任书记');
      return transaction(async (t) => {
        const [cur, m, holder] = await Promise.all([
          t.get<Branch>('branches', branchId),
          t.get<BranchMember>('branch_members', memberDocId(branchId, openid)),
          t.get<BranchHolder>('branch_holders', openid),
        ]);
        if (!cur || !m?.active) return { removed: false };
        await Promise.all([
          t.update('branch_members', m._id, { active: false, updatedAt: now }),
          holder?.branchId === branchId
            ? t.set('branch_holders', openid, { branchId, active: false, updatedAt: now })
            : Promise.resolve(),
          t.update('branches', branchId, {
            memberCount: Math.max(0, cur.memberCount - 1),
            committee: cur.committee.filter((o) => o !== openid),
            updatedAt: now,
          }),
          ...(m.buildings ?? []).map((bd) =>
            t.set('branch_areas', areaId(b.communityId, bd), vacant(b, bd, now)),
          ),
        ]);
        return { removed: true };
      });
    },
  },

  setArea: {
    roles: ['member', 'worker', 'admin'],
    async handler({ caller, now }, { branchId, openid, buildings, contact }) {
      const b = await loadBranch(branchId);
      assertRunsBranch(caller, b);
      const wanted = [...new Set(buildings)];
      const member = await transaction(async (t) => {
        const [m, ...areas] = await Promise.all([
          t.get<BranchMember>('branch_members', memberDocId(branchId, openid)),
          ...wanted.map((bd) => t.get<AreaDoc>('branch_areas', areaId(b.communityId, bd))),
        ]);
        if (!m?.active) throw notFound('该党员不在本支部');
        const taken = areas.find((a) => a?.openid && a.openid !== openid);
        if (taken) throw conflict(`${taken.building}已由${taken.memberName}负责`);
        const next: BranchMember = {
          ...m,
          buildings: wanted,
          ...(contact ? { contactMasked: maskPhone(contact) } : {}),
          updatedAt: now,
        };
        const released = (m.buildings ?? []).filter((bd) => !wanted.includes(bd));
        await Promise.all([
          t.update('branch_members', m._id, {
            buildings: wanted,
            ...(contact ? { contactMasked: next.contactMasked } : {}),
            updatedAt: now,
          }),
          ...released.map((bd) => t.set('branch_areas', areaId(b.communityId, bd), vacant(b, bd, now))),
          ...wanted.map((bd) => {
            const doc: Omit<AreaDoc, '_id'> = {
              communityId: b.communityId,
              building: bd,
              openid,
              memberName: m.name,
              branchId,
              branchName: b.name,
              ...(next.contactMasked ? { contactMasked: next.contactMasked } : {}),
              updatedAt: now,
            };
            return t.set(
              'branch_areas',
              areaId(b.communityId, bd),
              doc as unknown as Record<string, unknown>,
            );
          }),
        ]);
        return next;
      });
      return memberView(b, member);
    },
  },

  areas: {
    roles: 'any',
    async handler(_ctx, { communityId }) {
      const docs = await getAll<AreaDoc>(
        collection('branch_areas').where({ communityId, openid: cmd().neq('') }),
      );
      return groupAreas(docs);
    },
  },

  areaMember: {
    roles: 'any',
    async handler(_ctx, { communityId, building }) {
      const a = await getById<AreaDoc>('branch_areas', areaId(communityId, building));
      return a?.openid ? areaView([a]) : null;
    },
  },

  messageAreaMember: {
    roles: 'any',
    async handler(ctx, { communityId, building, text }) {
      const [a, check] = await Promise.all([
        getById<AreaDoc>('branch_areas', areaId(communityId, building)),
        runtime().contentCheck.text(text, ctx.caller.openid),
      ]);
      if (!a?.openid) throw notFound('该楼栋暂无责任区党员');
      if (!check.ok) throw invalid(check.reason);
      await transaction((t) =>
        ctx.emit(t, {
          kind: 'branchNotice',
          payload: {
            branchId: a.branchId,
            subject: '居民留言',
            title: `${building}居民${ctx.caller.user.nickName}`,
            text,
            at: ctx.now,
            page: 'packages/branch/index',
          },
          recipients: { openids: [a.openid] },
        }),
      );
      return { sent: true };
    },
  },

  setPointsRule: {
    roles: ['member', 'worker', 'admin'],
    async handler({ caller, now }, { branchId, ...rule }) {
      const b = await loadBranch(branchId);
      assertRunsBranch(caller, b);
      await collection('branches').doc(branchId).update({ pointsRule: rule, updatedAt: now });
      return branchView({ ...b, pointsRule: rule }, await nameOf(b.secretary), caller.openid);
    },
  },
};

function vacant(b: Branch, building: string, now: number): Record<string, unknown> {
  return {
    communityId: b.communityId,
    building,
    openid: '',
    memberName: '',
    branchId: '',
    branchName: '',
    updatedAt: now,
  };
}

function areaView(docs: AreaDoc[]): AreaView {
  const a = docs[0]!;
  return {
    buildings: docs.map((d) => d.building),
    memberOpenid: a.openid,
    memberName: a.memberName,
    branchName: a.branchName,
    ...(a.contactMasked ? { contactMasked: a.contactMasked } : {}),
  };
}

/** One entry per member with the buildings they answer for. */
export function groupAreas(docs: AreaDoc[]): AreaView[] {
  const by = new Map<string, AreaDoc[]>();
  for (const d of docs) by.set(d.openid, [...(by.get(d.openid) ?? []), d]);
  return [...by.values()].map((ds) =>
    areaView(ds.sort((x, y) => x.building.localeCompare(y.building, 'zh'))),
  );
}

/** For the grievance dispatch page: who answers for a building (worker view). */
export async function areaMemberFor(communityId: string, building: string): Promise<AreaDoc | undefined> {
  const a = await getById<AreaDoc>('branch_areas', areaId(communityId, building));
  return a?.openid ? a : undefined;
}
