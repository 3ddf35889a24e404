/**
 * Regional-alliance rules: invite codes, project phases and claims, ratings, member reports and
 * service posts. Pure functions, no I/O; the alliance function calls them inside its transactions.
 */
import type {
  AllianceSettings,
  MemberReport,
  Project,
  ProjectClaim,
  ProjectPhase,
  UnitInvite,
} from '../../types/domain';

export type Outcome = { ok: true } | { ok: false; reason: string };
const ok: Outcome = { ok: true };
const no = (reason: string): Outcome => ({ ok: false, reason });

// ---------- invites ----------

export const INVITE_TTL_MS = 7 * 24 * 3600_000;
export const INVITE_LENGTH = 8;
/** No 0/O, 1/I/L: codes are read aloud and typed by hand. */
export const INVITE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/** A code from random bytes (one byte per character; the tiny modulo bias is irrelevant here). */
export function inviteCode(bytes: Uint8Array): string {
  if (bytes.length < INVITE_LENGTH) throw new Error('inviteCode needs 8 random bytes');
  let out = '';
  for (let i = 0; i < INVITE_LENGTH; i++) out += INVITE_ALPHABET[bytes[i]! % INVITE_ALPHABET.length];
  return out;
}

/** What people type: case and surrounding spaces do not matter. */
export const normalizeCode = (code: string) => code.trim().toUpperCase();

export function canRedeem(invite: UnitInvite | undefined, now: number): Outcome {
  if (!invite) return no('邀请码无效，请核对后重新输入');
  if (invite.usedBy) return no('邀请码已被使用，请向社区或单位管理员索取新的邀请码');
  if (now >= invite.expiresAt) return no('邀请码已过期（有效期 7 天），请索取新的邀请码');
  return ok;
}

// ---------- projects ----------

type PhaseFields = Pick<Project, 'status' | 'deadline' | 'activeClaims' | 'maxClaims'>;

export function projectPhase(p: PhaseFields, now: number): ProjectPhase {
  if (p.status === 'completed') return 'completed';
  if (now >= p.deadline) return 'closed';
  if (p.activeClaims >= p.maxClaims) return 'full';
  return 'claiming';
}

/**
 * A unit may claim an open project before its deadline while places remain. The limit counts
 * claims that are not declined (pending + approved), so a decline frees a place. A unit claims
 * a project once (a declined unit does not claim again).
 */
export function canClaim(p: PhaseFields, existing: ProjectClaim | undefined, now: number): Outcome {
  if (existing)
    return no(existing.status === 'declined' ? '本单位的认领未通过，不能再次认领' : '本单位已认领该项目');
  const phase = projectPhase(p, now);
  if (phase === 'completed') return no('项目已完成');
  if (phase === 'closed') return no('项目已过认领截止时间');
  if (phase === 'full') return no(`认领名额已满（最多 ${p.maxClaims} 个单位）`);
  return ok;
}

export interface ReviewPatch {
  claim: Pick<ProjectClaim, 'status' | 'reviewedAt' | 'reviewedBy'> & { reason?: string };
  counts: Pick<Project, 'activeClaims' | 'approvedClaims'>;
}

export function reviewClaim(
  p: Pick<Project, 'status' | 'activeClaims' | 'approvedClaims'>,
  claim: ProjectClaim,
  approve: boolean,
  reason: string | undefined,
  by: string,
  now: number,
): ReviewPatch | { error: string } {
  if (p.status === 'completed') return { error: '项目已完成，不能再审核认领' };
  if (claim.status !== 'pending')
    return { error: claim.status === 'approved' ? '该认领已审核通过' : '该认领已被退回' };
  return {
    claim: {
      status: approve ? 'approved' : 'declined',
      reviewedAt: now,
      reviewedBy: by,
      ...(reason ? { reason } : {}),
    },
    counts: approve
      ? { activeClaims: p.activeClaims, approvedClaims: p.approvedClaims + 1 }
      : { activeClaims: p.activeClaims - 1, approvedClaims: p.approvedClaims },
  };
}

export function canComplete(p: Pick<Project, 'status' | 'approvedClaims'>): Outcome {
  if (p.status === 'completed') return no('项目已完成');
  if (p.approvedClaims < 1) return no('还没有审核通过的认领单位，不能完成项目');
  return ok;
}

export function canRate(p: Pick<Project, 'status'>, alreadyRated: boolean): Outcome {
  if (p.status !== 'completed') return no('项目完成后才能评价');
  if (alreadyRated) return no('你已评价过该项目');
  return ok;
}

/** Average stars, one decimal; null before any rating. */
export function averageRating(p: Pick<Project, 'ratingCount' | 'ratingSum'>): number | null {
  return p.ratingCount ? Math.round((p.ratingSum / p.ratingCount) * 10) / 10 : null;
}

// ---------- member reports and service posts ----------

export const DEFAULT_SERVICE_POSTS = ['楼道长', '文明劝导', '政策宣讲', '法律咨询', '关爱帮扶', '环境督导'];
export const DEFAULT_TARGET_HOURS = 50;
/** A member holds at most this many posts at once. */
export const MAX_POSTS = 3;

export function settingsOf(communityId: string, stored?: AllianceSettings): AllianceSettings {
  return {
    _id: communityId,
    servicePosts: stored?.servicePosts ?? DEFAULT_SERVICE_POSTS,
    yearlyTargetHours: stored?.yearlyTargetHours ?? DEFAULT_TARGET_HOURS,
  };
}

export const isActiveReport = (r: Pick<MemberReport, 'status'> | undefined) =>
  r?.status === 'pending' || r?.status === 'confirmed';

/** One active report at a time: a pending or confirmed one must be withdrawn first. */
export function canReport(active: MemberReport | undefined, communityName: (id: string) => string): Outcome {
  if (!active || !isActiveReport(active)) return ok;
  const where = communityName(active.communityId);
  return no(
    active.status === 'pending'
      ? `你到${where}的报到正在审核中，请先撤回再重新报到`
      : `你已在${where}报到，如需转到其他社区，请先撤回原报到`,
  );
}

export function canReview(r: MemberReport): Outcome {
  if (r.status !== 'pending') return no(r.status === 'withdrawn' ? '报到已被本人撤回' : '该报到已审核');
  return ok;
}

export function canWithdraw(r: MemberReport): Outcome {
  return isActiveReport(r) ? ok : no('只能撤回审核中或已确认的报到');
}

export const heldPosts = (r: Pick<MemberReport, 'posts'>) => r.posts.filter((p) => p.until === undefined);

export function canTakePost(r: MemberReport | undefined, post: string, settings: AllianceSettings): Outcome {
  if (!r || r.status !== 'confirmed') return no('报到经社区确认后才能认领服务岗位');
  if (!settings.servicePosts.includes(post)) return no('该社区没有这个服务岗位');
  const held = heldPosts(r);
  if (held.some((p) => p.name === post)) return no('你已在这个岗位上');
  if (held.length >= MAX_POSTS) return no(`每人最多同时认领 ${MAX_POSTS} 个岗位`);
  return ok;
}

/** Closes every open post, e.g. when a report is withdrawn. */
export function closePosts(posts: MemberReport['posts'], now: number, name?: string): MemberReport['posts'] {
  return posts.map((p) =>
    p.until === undefined && (name === undefined || p.name === name) ? { ...p, until: now } : p,
  );
}

// ---------- activity proposals ----------

/** A proposal is reviewed once: an approved or declined one stays so. */
export function canReviewProposal(p: { status: 'pending' | 'approved' | 'declined' }): Outcome {
  if (p.status === 'approved') return no('该提议已通过，活动已发布');
  if (p.status === 'declined') return no('该提议已婉拒，不能再审核');
  return ok;
}
