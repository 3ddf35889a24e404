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
import { audit } from '../core/audit';
import { byIds, cmd, collection, getAll, getById, newId, transaction, type TxDocs } from '../core/db';
import { AppError, conflict, forbidden, invalid, notFound } from '../core/errors';
import { assertManagesCommunity } from '../core/guard';
import { runtime } from '../core/runtime';
import { maskPhone } from '../domain/mask';
import {
  AREA_MESSAGE_DAILY_LIMIT,
  appointRefusal,
  areaId,
  areaMessageCounterId,
  areaMessageRefusal,
  attendanceId,
  dayOf,
  meetingsToRelease,
  memberDocId,
} from '../domain/branch';
import {
  assertInside,
  assertRunsBranch,
  branchView,
  holderOf,
  isSecretary,
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

/** The documents enrolling `openid` in `branchId` reads in its transaction (holder, roster entry). */
function enrolReads(t: TxDocs, branchId: string, openid: string) {
  return Promise.all(enrolReadsList(t, branchId, openid));
}

/**
 * Put `u` on the branch's roster inside `t`, given the holder and roster documents read in `t`
 * (the holder document is the one-branch invariant: both are written here).
 */
async function enrolWrite(
  t: TxDocs,
  b: Branch,
  u: User,
  [holder, existing]: [BranchHolder | undefined, BranchMember | undefined],
  now: number,
  extra: { group?: string; inService?: boolean } = {},
): Promise<{ member: BranchMember; added: boolean }> {
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

/** enrolReads as a list of promises, to join a caller's Promise.all. */
function enrolReadsList(t: TxDocs, branchId: string, openid: string) {
  return [
    t.get<BranchHolder>('branch_holders', openid),
    t.get<BranchMember>('branch_members', memberDocId(branchId, openid)),
  ] as const;
}

/** Reads and writes of enrolling `u` inside `t`. */
async function enrol(
  t: TxDocs,
  b: Branch,
  u: User,
  now: number,
  extra: { group?: string; inService?: boolean } = {},
): Promise<{ member: BranchMember; added: boolean }> {
  return enrolWrite(t, b, u, await enrolReads(t, b._id, u.openid), now, extra);
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

  /**
   * Appoint or replace the secretary (a worker of the community) and the committee (a worker, or
   * the branch's secretary). Everyone named must be on the roster: their roster documents are read
   * in the transaction that writes the branch, and removeMember writes the branch too, so an
   * appointment never lands on someone removed at the same moment.
   */
  appoint: {
    roles: ['member', 'worker', 'admin'],
    async handler({ caller, now }, { branchId, secretary, committee }) {
      if (!secretary && !committee) throw invalid('请选择书记或支部委员');
      const change = { ...(secretary ? { secretary } : {}), ...(committee ? { committee } : {}) };
      // The branch (for the right to appoint) and, when the secretary stays, their name are read
      // while the transaction starts.
      const pre = loadBranch(branchId).then(async (b) => {
        const refusal = appointRefusal(
          { worker: manages(caller, b), secretary: isSecretary(caller, b) },
          change,
          b.secretary,
        );
        if (refusal) throw forbidden(refusal);
        return { b, secretaryName: secretary ? '' : await nameOf(b.secretary) };
      });
      pre.catch(() => undefined); // awaited in the transaction; never an unhandled rejection
      const people = [...new Set([...(secretary ? [secretary] : []), ...(committee ?? [])])];
      const { next, secretaryName } = await transaction(async (t) => {
        const [{ secretaryName: kept }, cur, ...members] = await Promise.all([
          pre,
          t.get<Branch>('branches', branchId),
          ...people.map((o) => t.get<BranchMember>('branch_members', memberDocId(branchId, o))),
        ]);
        if (!cur) throw notFound('支部不存在');
        // The caller's standing again on the fresh branch (the secretary may have just changed).
        const again = appointRefusal(
          { worker: manages(caller, cur), secretary: cur.secretary === caller.openid },
          change,
          cur.secretary,
        );
        if (again) throw forbidden(again);
        if (members.some((m) => !m?.active)) throw invalid('书记和委员须是本支部党员，请先加入支部');
        const nextSecretary = secretary ?? cur.secretary;
        const nextCommittee = [...new Set(committee ?? cur.committee)].filter((o) => o !== nextSecretary);
        const patch = { secretary: nextSecretary, committee: nextCommittee, updatedAt: now };
        const names = new Map(members.map((m) => [m!.openid, m!.name]));
        await Promise.all([
          t.update('branches', branchId, patch),
          audit(t, {
            at: now,
            actor: caller.openid,
            action: 'branchAppointed',
            subject: branchId,
            communityId: cur.communityId,
            detail: [
              secretary && secretary !== cur.secretary ? `书记：${names.get(secretary) ?? secretary}` : '',
              committee ? `委员：${nextCommittee.map((o) => names.get(o) ?? o).join('、') || '无'}` : '',
            ]
              .filter(Boolean)
              .join('；'),
          }),
        ]);
        return {
          next: { ...cur, _id: branchId, ...patch } as Branch,
          secretaryName: secretary ? (names.get(secretary) ?? '') : kept,
        };
      });
      return branchView(next, secretaryName, caller.openid);
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

  /**
   * Put a verified member on the roster. The branch and the person are read while the
   * transaction starts; the one-branch rule is checked on the holder document read in the
   * transaction that writes it (two branches adding one member at once conflict, one wins).
   */
  addMember: {
    roles: ['member', 'worker', 'admin'],
    async handler({ caller, now }, { branchId, openid, group, inService }) {
      const pre = Promise.all([loadBranch(branchId), getById<User>('users', openid)]).then(([b, u]) => {
        assertRunsBranch(caller, b);
        if (!isMember(u)) throw invalid('只能加入已认证的党员', { openid: '该用户不是党员' });
        return { b, u: u! };
      });
      pre.catch(() => undefined); // awaited in the transaction; never an unhandled rejection
      const { b, member } = await transaction(async (t) => {
        const [{ b, u }, cur, holder, existing] = await Promise.all([
          pre,
          t.get<Branch>('branches', branchId),
          ...enrolReadsList(t, branchId, openid),
        ]);
        if (!cur) throw notFound('支部不存在');
        const [r] = await Promise.all([
          enrolWrite(t, b, u, [holder, existing], now, {
            ...(group !== undefined ? { group } : {}),
            ...(inService !== undefined ? { inService } : {}),
          }),
          // Only a member new to the roster adds one to the count.
          existing?.active && holder?.active
            ? Promise.resolve()
            : t.update('branches', branchId, { memberCount: cur.memberCount + 1, updatedAt: now }),
        ]);
        return { b, member: r.member };
      });
      return memberView(b, member);
    },
  },

  /**
   * Take a member off the roster (not the secretary). Meetings not yet started drop them from their
   * expected attendees in the same transaction (so they are not counted absent and get no more
   * reminders); meetings already started or closed keep the attendees fixed at creation. Their
   * 责任区 buildings become vacant; their attendance documents stay as they were.
   */
  removeMember: {
    roles: ['member', 'worker', 'admin'],
    async handler({ caller, now }, { branchId, openid }) {
      // The branch and its meetings not yet started are read while the transaction starts. Those
      // meetings cannot start or close meanwhile (closing needs the start to have passed), and the
      // member is pulled from `expected` by an update operator, so nothing read here goes stale.
      const pre = Promise.all([
        loadBranch(branchId),
        collection('branch_meetings')
          .where({ branchId, startAt: cmd().gt(now) })
          .orderBy('startAt', 'desc')
          .limit(100)
          .get(),
      ]).then(([b, { data }]) => {
        assertRunsBranch(caller, b);
        if (b.secretary === openid) throw conflict('不能移出书记，请先改任书记');
        return { b, release: meetingsToRelease(data as Meeting[], openid, now) };
      });
      pre.catch(() => undefined); // awaited in the transaction; never an unhandled rejection
      return transaction(async (t) => {
        const [{ b, release }, cur, m, holder] = await Promise.all([
          pre,
          t.get<Branch>('branches', branchId),
          t.get<BranchMember>('branch_members', memberDocId(branchId, openid)),
          t.get<BranchHolder>('branch_holders', openid),
        ]);
        if (!cur || !m?.active) return { removed: false, meetingsReleased: 0 };
        if (cur.secretary === openid) throw conflict('不能移出书记，请先改任书记');
        await Promise.all([
          t.update('branch_members', m._id, { active: false, removedAt: now, updatedAt: now }),
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
          ...release.map((x) =>
            t.update('branch_meetings', x._id, { expected: cmd().pull(openid), updatedAt: now }),
          ),
          audit(t, {
            at: now,
            actor: caller.openid,
            action: 'branchMemberRemoved',
            subject: openid,
            communityId: b.communityId,
            detail: `移出${b.name}：${m.name}${release.length ? `；不再计入 ${release.length} 次未召开会议的应到人员` : ''}`,
          }),
        ]);
        return { removed: true, meetingsReleased: release.length };
      });
    },
  },

  setArea: {
    roles: ['member', 'worker', 'admin'],
    async handler({ caller, now }, { branchId, openid, buildings, contact }) {
      // The branch (for the right to assign, and its community for the area ids) is read while
      // the transaction starts.
      const pre = loadBranch(branchId).then((b) => {
        assertRunsBranch(caller, b);
        return b;
      });
      pre.catch(() => undefined); // awaited in the transaction; never an unhandled rejection
      const wanted = [...new Set(buildings)];
      const { b, member } = await transaction(async (t) => {
        const b = await pre;
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
        return { b, member: next };
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

  /**
   * A resident's message to an area's member. At most AREA_MESSAGE_DAILY_LIMIT a day per sender:
   * the counter document (sender, Asia/Shanghai day) is written by the same transaction as the
   * message, so concurrent messages conflict on it and exactly the limit gets through.
   */
  messageAreaMember: {
    roles: 'any',
    async handler(ctx, { communityId, building, text }) {
      // The area and the content check run while the transaction starts.
      const pre = Promise.all([
        getById<AreaDoc>('branch_areas', areaId(communityId, building)),
        runtime().contentCheck.text(text, ctx.caller.openid),
      ]).then(([a, check]) => {
        if (!a?.openid) throw notFound('该楼栋暂无责任区党员');
        if (!check.ok) throw invalid(check.reason);
        return a;
      });
      pre.catch(() => undefined); // awaited in the transaction; never an unhandled rejection
      const counterId = areaMessageCounterId(ctx.caller.openid, ctx.now);
      const sent = await transaction(async (t) => {
        const [a, counter] = await Promise.all([pre, t.get<{ count: number }>('counters', counterId)]);
        const today = counter?.count ?? 0;
        const refusal = areaMessageRefusal(today);
        if (refusal) throw new AppError('RATE_LIMITED', refusal);
        await Promise.all([
          t.set('counters', counterId, {
            count: today + 1,
            openid: ctx.caller.openid,
            day: dayOf(ctx.now),
            kind: 'branchAreaMessage',
          }),
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
        ]);
        return today + 1;
      });
      return { sent: true, leftToday: Math.max(0, AREA_MESSAGE_DAILY_LIMIT - sent) };
    },
  },

  /** The branch's 民主评议 points rule (its secretary or a worker), audited. */
  setPointsRule: {
    roles: ['member', 'worker', 'admin'],
    async handler({ caller, now }, { branchId, ...rule }) {
      // The branch (for the right to change it) and its secretary's name, while the transaction starts.
      const pre = loadBranch(branchId).then(async (b) => {
        assertRunsBranch(caller, b);
        return { b, secretaryName: await nameOf(b.secretary) };
      });
      pre.catch(() => undefined); // awaited in the transaction; never an unhandled rejection
      const { b, secretaryName } = await transaction(async (t) => {
        const loaded = await pre;
        const { b } = loaded;
        await Promise.all([
          t.update('branches', branchId, { pointsRule: cmd().set(rule), updatedAt: now }),
          audit(t, {
            at: now,
            actor: caller.openid,
            action: 'branchPointsRuleSet',
            subject: branchId,
            communityId: b.communityId,
            detail: `积分规则：每次参会 ${rule.perAttendance} 分，每小时志愿服务 ${rule.perServiceHour} 分，每件微心愿 ${rule.perRequest} 分`,
          }),
        ]);
        return loaded;
      });
      return branchView({ ...b, pointsRule: rule }, secretaryName, caller.openid);
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
