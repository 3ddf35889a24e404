/** Shared pieces of the `branch` function: loading, access rules and views. */
import type {
  Branch,
  BranchHolder,
  BranchMember,
  BranchRole,
  BranchView,
  Meeting,
  MeetingSummary,
  AttendanceStatus,
  MemberView,
} from '../../types/branch';
import { MEETING_KIND_NAMES } from '../../types/branch';
import type { ActionName } from '../../types/api';
import { getById } from '../core/db';
import { forbidden, notFound } from '../core/errors';
import type { ActionDef } from '../core/function';
import { canManageCommunity, type Caller } from '../core/guard';

export type BranchActions<A extends ActionName<'branch'>> = { [K in A]: ActionDef<'branch', K> };

export async function loadBranch(id: string): Promise<Branch> {
  const b = await getById<Branch>('branches', id);
  if (!b) throw notFound('支部不存在');
  return b;
}

export async function loadMeeting(id: string): Promise<Meeting> {
  const m = await getById<Meeting>('branch_meetings', id);
  if (!m) throw notFound('会议不存在');
  return m;
}

/** The branch that holds `openid` now, if any. */
export async function holderOf(openid: string): Promise<BranchHolder | undefined> {
  const h = await getById<BranchHolder>('branch_holders', openid);
  return h?.active ? h : undefined;
}

export const isSecretary = (caller: Caller, b: Pick<Branch, 'secretary'>) => b.secretary === caller.openid;

export const manages = (caller: Caller, b: Pick<Branch, 'communityId'>) =>
  canManageCommunity(caller, b.communityId);

/** The secretary runs the roster and meetings; the community's workers may too. */
export function assertRunsBranch(caller: Caller, b: Branch): void {
  if (!isSecretary(caller, b) && !manages(caller, b)) throw forbidden('只有本支部书记或社区工作者可以操作');
}

/** Inside the branch (its roster) or a worker of its community; everyone else is refused. */
export function assertInside(caller: Caller, b: Branch, holder: BranchHolder | undefined): void {
  if (manages(caller, b) || isSecretary(caller, b)) return;
  if (holder?.branchId === b._id) return;
  throw forbidden('只有本支部党员和社区工作者可以查看');
}

export function roleIn(b: Branch, openid: string): BranchRole {
  return b.secretary === openid ? 'secretary' : b.committee.includes(openid) ? 'committee' : 'member';
}

export function branchView(
  b: Branch,
  secretaryName: string,
  myOpenid?: string,
  communityName?: string,
): BranchView {
  return {
    ...b,
    secretaryName,
    ...(communityName ? { communityName } : {}),
    ...(myOpenid && (b.secretary === myOpenid || b.committee.includes(myOpenid))
      ? { myRole: roleIn(b, myOpenid) }
      : {}),
  };
}

export function memberView(b: Branch, m: BranchMember): MemberView {
  return {
    openid: m.openid,
    name: m.name,
    role: roleIn(b, m.openid),
    ...(m.group ? { group: m.group } : {}),
    inService: m.inService,
    buildings: m.buildings ?? [],
  };
}

export function meetingSummary(m: Meeting, mine?: AttendanceStatus | 'absent' | 'expected'): MeetingSummary {
  return {
    _id: m._id,
    kind: m.kind,
    kindName: MEETING_KIND_NAMES[m.kind],
    title: m.title,
    place: m.place,
    startAt: m.startAt,
    endAt: m.endAt,
    status: m.status,
    hasMinutes: !!m.minutes,
    ...(mine ? { mine } : {}),
    ...(m.tally ? { tally: m.tally } : {}),
  };
}

/** The caller's standing at a meeting from their attendance doc (absent only once closed). */
export function standing(m: Meeting, openid: string, status?: AttendanceStatus): MeetingSummary['mine'] {
  if (!m.expected.includes(openid)) return status;
  if (status) return status === 'leaveRejected' && m.status === 'closed' ? 'absent' : status;
  return m.status === 'closed' ? 'absent' : 'expected';
}
