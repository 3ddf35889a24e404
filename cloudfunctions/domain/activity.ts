/**
 * Activity rules: phases, sign-up eligibility, cancellation policy, capacity and waitlist.
 * Pure functions, no I/O; handlers call them inside their transactions.
 */
import type {
  Activity,
  ActivityPhase,
  Audience,
  CancelPolicy,
  RoleGrant,
  SignUpStatus,
} from '../../types/domain';

export type Outcome = { ok: true } | { ok: false; reason: string };
const ok: Outcome = { ok: true };
const no = (reason: string): Outcome => ({ ok: false, reason });

type Timing = Pick<Activity, 'startAt' | 'endAt' | 'signUpStartAt' | 'signUpEndAt'>;

export function phaseOf(
  a: Pick<Activity, 'status' | 'capacity' | 'confirmedCount'> & Timing,
  now: number,
): ActivityPhase {
  if (a.status === 'cancelled') return 'cancelled';
  if (now >= a.endAt) return 'ended';
  if (now >= a.startAt) return 'ongoing';
  if (now < a.signUpStartAt) return 'notOpen';
  if (now >= a.signUpEndAt) return 'closed';
  if (isFull(a)) return 'full';
  return 'open';
}

export function isFull(a: Pick<Activity, 'capacity' | 'confirmedCount'>): boolean {
  return a.capacity > 0 && a.confirmedCount >= a.capacity;
}

export function placesLeft(a: Pick<Activity, 'capacity' | 'confirmedCount'>): number | null {
  return a.capacity === 0 ? null : Math.max(0, a.capacity - a.confirmedCount);
}

/** Time fields must make sense together; returns Chinese messages keyed by field. */
export function validateTiming(
  t: Timing,
  now: number,
  { isNew }: { isNew: boolean },
): Record<string, string> {
  const errors: Record<string, string> = {};
  if (t.endAt <= t.startAt) errors.endAt = '结束时间须晚于开始时间';
  if (t.signUpEndAt <= t.signUpStartAt) errors.signUpEndAt = '报名截止时间须晚于报名开始时间';
  if (t.signUpEndAt > t.startAt) errors.signUpEndAt = '报名须在活动开始前截止';
  if (isNew && t.startAt <= now) errors.startAt = '开始时间须晚于现在';
  if (t.endAt - t.startAt > 7 * 24 * 3600_000) errors.endAt = '单次活动最长 7 天';
  return errors;
}

const AUDIENCE_REASON: Record<Exclude<Audience, 'all'>, string> = {
  members: '本活动仅限党员报名',
  volunteers: '本活动仅限注册志愿者报名',
};

/** Membership and volunteer registration are recognised across the street's communities. */
export function meetsAudience(audience: Audience, roles: RoleGrant[]): Outcome {
  if (audience === 'all') return ok;
  const role = audience === 'members' ? 'member' : 'volunteer';
  return roles.some((g) => g.role === role) ? ok : no(AUDIENCE_REASON[audience]);
}

/** Whether a new sign-up may be taken now (capacity is decided separately: full → waitlist). */
export function canSignUp(a: Activity, roles: RoleGrant[], now: number): Outcome {
  if (a.status === 'cancelled') return no('活动已取消');
  if (now < a.signUpStartAt) return no('报名尚未开始');
  if (now >= a.signUpEndAt || now >= a.startAt) return no('报名已截止');
  return meetsAudience(a.audience, roles);
}

const CANCEL_DEADLINE: Record<Exclude<CancelPolicy, 'none'>, (a: Activity) => number> = {
  untilSignUpCloses: (a) => a.signUpEndAt,
  untilStart: (a) => a.startAt,
};

export function canCancelSignUp(a: Activity, status: SignUpStatus | undefined, now: number): Outcome {
  if (status !== 'confirmed' && status !== 'waitlisted' && status !== 'pending')
    return no('你没有报名本活动');
  // Leaving the waitlist (or withdrawing an application still under review) never hurts anyone;
  // allow it until the activity starts.
  if (status === 'waitlisted' || status === 'pending') return now < a.startAt ? ok : no('活动已开始');
  if (a.cancelPolicy === 'none') return no('本活动报名后不可取消');
  return now < CANCEL_DEADLINE[a.cancelPolicy](a) ? ok : no('已过取消截止时间');
}

/** Where a new sign-up lands first: sessions with review hold applications as pending. */
export function initialSignUpStatus(
  a: Pick<Activity, 'capacity' | 'confirmedCount' | 'signUpReview'>,
): 'pending' | 'confirmed' | 'waitlisted' {
  return a.signUpReview ? 'pending' : placeSignUp(a);
}

/** Whether a worker may decide on an application now. */
export function canReviewSignUp(a: Activity, status: SignUpStatus | undefined, now: number): Outcome {
  if (!status) return no('没有找到该报名');
  if (status !== 'pending') return no('该报名已处理');
  if (a.status === 'cancelled') return no('活动已取消');
  if (now >= a.startAt) return no('活动已开始，不能再审核报名');
  return ok;
}

/** Where a new sign-up lands, given the activity's current counts. */
export function placeSignUp(a: Pick<Activity, 'capacity' | 'confirmedCount'>): 'confirmed' | 'waitlisted' {
  return isFull(a) ? 'waitlisted' : 'confirmed';
}

/**
 * After a confirmed participant leaves (or capacity grows), who moves from the waitlist to
 * confirmed, in sign-up order.
 */
export function promotions(a: Pick<Activity, 'capacity' | 'confirmedCount' | 'waitlist'>): string[] {
  const free = a.capacity === 0 ? a.waitlist.length : Math.max(0, a.capacity - a.confirmedCount);
  return a.waitlist.slice(0, free);
}

/** Fields a worker may no longer change once sign-ups exist (would break promises made). */
export function updateConflicts(a: Activity, patch: Partial<Activity>, now: number): string | undefined {
  if (a.status === 'cancelled') return '活动已取消，不能修改';
  if (now >= a.startAt) return '活动已开始，不能修改';
  if (patch.capacity !== undefined && patch.capacity !== 0 && patch.capacity < a.confirmedCount) {
    return `已有 ${a.confirmedCount} 人报名，名额不能少于已报名人数`;
  }
  return undefined;
}
