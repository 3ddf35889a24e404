import type { ActivityDetail, ActivitySummary } from '../../types/api';
import type { Activity, SignUp, SignUpStatus } from '../../types/domain';
import * as rules from '../domain/activity';

/**
 * A sign-up's status as every view shows it: once the activity is cancelled, a sign-up that still
 * holds or waits for a place is cancelled (the cancel job writes that to each sign-up shortly).
 */
export function effectiveStatus(a: Pick<Activity, 'status'>, status: SignUpStatus): SignUpStatus {
  return a.status === 'cancelled' &&
    (status === 'confirmed' || status === 'waitlisted' || status === 'pending')
    ? 'cancelled'
    : status;
}

export function toSummary(a: Activity, now: number, mine?: SignUp): ActivitySummary {
  return {
    _id: a._id,
    communityId: a.communityId,
    type: a.type,
    title: a.title,
    placeName: a.place.name,
    startAt: a.startAt,
    endAt: a.endAt,
    capacity: a.capacity,
    confirmedCount: a.confirmedCount,
    waitlistCount: a.waitlist.length,
    audience: a.audience,
    phase: rules.phaseOf(a, now),
    mySignUp: mine && effectiveStatus(a, mine.status),
  };
}

export function toDetail(
  a: Activity,
  extra: {
    now: number;
    mine?: SignUp;
    communityName: string;
    hostUnits: ActivityDetail['hostUnits'];
    canManage: boolean;
    signUpCheck: rules.Outcome;
  },
): ActivityDetail {
  const { waitlist, ...rest } = a;
  const mine = extra.mine && effectiveStatus(a, extra.mine.status);
  const position = mine === 'waitlisted' && extra.mine ? waitlist.indexOf(extra.mine.openid) + 1 : 0;
  // A pending application counts as signed up (it can be withdrawn); a rejected one cannot retry.
  const already = mine === 'confirmed' || mine === 'waitlisted' || mine === 'pending';
  const cancel = rules.canCancelSignUp(a, mine, extra.now);
  const signUp = already
    ? { ok: false, reason: '你已报名' }
    : mine === 'rejected'
      ? { ok: false, reason: '报名未通过审核' }
      : outcome(extra.signUpCheck);
  return {
    ...rest,
    phase: rules.phaseOf(a, extra.now),
    waitlistCount: waitlist.length,
    hostUnits: extra.hostUnits,
    communityName: extra.communityName,
    mySignUp: mine,
    myWaitlistPosition: position > 0 ? position : undefined,
    canSignUp: signUp,
    canCancel: already ? outcome(cancel) : { ok: false },
    canManage: extra.canManage,
  };
}

const outcome = (o: rules.Outcome) => (o.ok ? { ok: true } : { ok: false, reason: o.reason });
