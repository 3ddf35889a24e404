import * as rules from '../../cloudfunctions/domain/activity';
import type { Activity } from '../../types/domain';

const H = 3600_000;
const NOW = Date.UTC(2026, 10, 21, 2);

function activity(over: Partial<Activity> = {}): Activity {
  return {
    _id: 'a1',
    communityId: 'c1',
    hostUnitIds: [],
    type: 'volunteer',
    title: 't',
    description: '',
    place: { name: 'p', lat: 0, lng: 0 },
    startAt: NOW + 48 * H,
    endAt: NOW + 50 * H,
    signUpStartAt: NOW - H,
    signUpEndAt: NOW + 47 * H,
    capacity: 2,
    audience: 'all',
    cancelPolicy: 'untilStart',
    checkInMethod: 'qr',
    hours: 2,
    points: 2,
    status: 'published',
    confirmedCount: 0,
    waitlist: [],
    createdBy: 'w',
    createdAt: NOW,
    updatedAt: NOW,
    ...over,
  };
}

describe('phaseOf', () => {
  const a = activity();
  it.each([
    ['notOpen', NOW - 2 * H, {}],
    ['open', NOW, {}],
    ['full', NOW, { confirmedCount: 2 }],
    ['closed', NOW + 47.5 * H, {}],
    ['ongoing', NOW + 49 * H, {}],
    ['ended', NOW + 50 * H, {}],
    ['cancelled', NOW, { status: 'cancelled' as const }],
  ])('is %s', (phase, now, over) => {
    expect(rules.phaseOf({ ...a, ...over }, now)).toBe(phase);
  });

  it('never reports full for unlimited capacity', () => {
    expect(rules.phaseOf(activity({ capacity: 0, confirmedCount: 5000 }), NOW)).toBe('open');
  });
});

describe('canSignUp', () => {
  it('refuses before the window, after it and when cancelled, with Chinese reasons', () => {
    expect(rules.canSignUp(activity(), [], NOW - 2 * H)).toEqual({ ok: false, reason: '报名尚未开始' });
    expect(rules.canSignUp(activity(), [], NOW + 47 * H)).toEqual({ ok: false, reason: '报名已截止' });
    expect(rules.canSignUp(activity({ status: 'cancelled' }), [], NOW)).toEqual({
      ok: false,
      reason: '活动已取消',
    });
    expect(rules.canSignUp(activity(), [], NOW)).toEqual({ ok: true });
  });

  it('enforces audience', () => {
    const members = activity({ audience: 'members' });
    expect(rules.canSignUp(members, [{ role: 'resident' }], NOW)).toEqual({
      ok: false,
      reason: '本活动仅限党员报名',
    });
    expect(rules.canSignUp(members, [{ role: 'member', communityId: 'c1' }], NOW).ok).toBe(true);
    const volunteers = activity({ audience: 'volunteers' });
    expect(rules.canSignUp(volunteers, [{ role: 'member', communityId: 'c1' }], NOW).ok).toBe(false);
    expect(rules.canSignUp(volunteers, [{ role: 'volunteer', communityId: 'c1' }], NOW).ok).toBe(true);
  });
});

describe('canCancelSignUp', () => {
  it('follows the cancel policy', () => {
    expect(rules.canCancelSignUp(activity({ cancelPolicy: 'none' }), 'confirmed', NOW).ok).toBe(false);
    const untilClose = activity({ cancelPolicy: 'untilSignUpCloses' });
    expect(rules.canCancelSignUp(untilClose, 'confirmed', NOW).ok).toBe(true);
    expect(rules.canCancelSignUp(untilClose, 'confirmed', NOW + 47 * H)).toEqual({
      ok: false,
      reason: '已过取消截止时间',
    });
    const untilStart = activity({ cancelPolicy: 'untilStart' });
    expect(rules.canCancelSignUp(untilStart, 'confirmed', NOW + 47.5 * H).ok).toBe(true);
    expect(rules.canCancelSignUp(untilStart, 'confirmed', NOW + 48 * H).ok).toBe(false);
  });

  it('lets waitlisted people leave even under a no-cancel policy, and refuses non-participants', () => {
    expect(rules.canCancelSignUp(activity({ cancelPolicy: 'none' }), 'waitlisted', NOW).ok).toBe(true);
    expect(rules.canCancelSignUp(activity(), undefined, NOW)).toEqual({
      ok: false,
      reason: '你没有报名本活动',
    });
    expect(rules.canCancelSignUp(activity(), 'cancelled', NOW).ok).toBe(false);
  });
});

describe('capacity and waitlist', () => {
  it('places into confirmed until full, then waitlist', () => {
    expect(rules.placeSignUp({ capacity: 2, confirmedCount: 1 })).toBe('confirmed');
    expect(rules.placeSignUp({ capacity: 2, confirmedCount: 2 })).toBe('waitlisted');
    expect(rules.placeSignUp({ capacity: 0, confirmedCount: 999 })).toBe('confirmed');
  });

  it('promotes in sign-up order only as many as there are free places', () => {
    expect(rules.promotions({ capacity: 3, confirmedCount: 1, waitlist: ['a', 'b', 'c'] })).toEqual([
      'a',
      'b',
    ]);
    expect(rules.promotions({ capacity: 3, confirmedCount: 3, waitlist: ['a'] })).toEqual([]);
    expect(rules.promotions({ capacity: 0, confirmedCount: 3, waitlist: ['a', 'b'] })).toEqual(['a', 'b']);
  });

  it('reports places left (null = unlimited)', () => {
    expect(rules.placesLeft({ capacity: 5, confirmedCount: 2 })).toBe(3);
    expect(rules.placesLeft({ capacity: 0, confirmedCount: 2 })).toBeNull();
  });
});

describe('validateTiming and updateConflicts', () => {
  it('flags inconsistent times per field', () => {
    const t = { startAt: NOW + 10 * H, endAt: NOW + 9 * H, signUpStartAt: NOW, signUpEndAt: NOW + 11 * H };
    const errors = rules.validateTiming(t, NOW, { isNew: true });
    expect(errors.endAt).toBe('结束时间须晚于开始时间');
    expect(errors.signUpEndAt).toBe('报名须在活动开始前截止');
    expect(
      rules.validateTiming(
        { ...t, startAt: NOW - H, endAt: NOW, signUpEndAt: NOW - 2 * H, signUpStartAt: NOW - 3 * H },
        NOW,
        { isNew: true },
      ).startAt,
    ).toBe('开始时间须晚于现在');
  });

  it('refuses shrinking capacity below confirmed and edits after start', () => {
    const a = activity({ confirmedCount: 2, capacity: 5 });
    expect(rules.updateConflicts(a, { capacity: 1 }, NOW)).toBe('已有 2 人报名，名额不能少于已报名人数');
    expect(rules.updateConflicts(a, { capacity: 2 }, NOW)).toBeUndefined();
    expect(rules.updateConflicts(a, { title: 'x' }, NOW + 48 * H)).toBe('活动已开始，不能修改');
  });
});

describe('sign-up review', () => {
  it('sessions with review hold new sign-ups as pending; others place them', () => {
    expect(rules.initialSignUpStatus(activity({ signUpReview: true }))).toBe('pending');
    expect(rules.initialSignUpStatus(activity({ signUpReview: true, confirmedCount: 2 }))).toBe('pending');
    expect(rules.initialSignUpStatus(activity())).toBe('confirmed');
    expect(rules.initialSignUpStatus(activity({ confirmedCount: 2 }))).toBe('waitlisted');
  });

  it('only pending applications of a running, not yet started activity can be reviewed', () => {
    expect(rules.canReviewSignUp(activity(), 'pending', NOW)).toEqual({ ok: true });
    expect(rules.canReviewSignUp(activity(), 'confirmed', NOW)).toEqual({
      ok: false,
      reason: '该报名已处理',
    });
    expect(rules.canReviewSignUp(activity(), undefined, NOW).ok).toBe(false);
    expect(rules.canReviewSignUp(activity({ status: 'cancelled' }), 'pending', NOW).ok).toBe(false);
    expect(rules.canReviewSignUp(activity(), 'pending', NOW + 48 * H).ok).toBe(false);
  });

  it('a pending applicant may withdraw until the start, whatever the cancel policy', () => {
    expect(rules.canCancelSignUp(activity({ cancelPolicy: 'none' }), 'pending', NOW).ok).toBe(true);
    expect(rules.canCancelSignUp(activity(), 'pending', NOW + 48 * H).ok).toBe(false);
    expect(rules.canCancelSignUp(activity(), 'rejected', NOW).ok).toBe(false);
  });
});
