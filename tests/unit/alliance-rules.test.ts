import {
  averageRating,
  canClaim,
  canRedeem,
  canReport,
  canTakePost,
  closePosts,
  INVITE_ALPHABET,
  inviteCode,
  normalizeCode,
  projectPhase,
  reviewClaim,
  settingsOf,
} from '../../cloudfunctions/domain/alliance';
import type { MemberReport, Project, ProjectClaim, UnitInvite } from '../../types/domain';

const T0 = Date.UTC(2026, 10, 21, 2);
const DAY = 86400_000;

const project = (over: Partial<Project> = {}): Project => ({
  _id: 'p1',
  communityId: 'c1',
  title: '楼道照明',
  goal: '换灯',
  tasks: ['换灯'],
  wanted: '',
  deadline: T0 + DAY,
  maxClaims: 2,
  needIds: [],
  status: 'open',
  activeClaims: 0,
  approvedClaims: 0,
  ratingCount: 0,
  ratingSum: 0,
  updates: [],
  createdBy: 'w',
  createdAt: T0,
  updatedAt: T0,
  ...over,
});
const claim = (status: ProjectClaim['status']): ProjectClaim => ({
  _id: 'p1_u1',
  projectId: 'p1',
  communityId: 'c1',
  unitId: 'u1',
  unitName: '单位',
  plan: '方案',
  status,
  claimedBy: 's',
  createdAt: T0,
});
const report = (over: Partial<MemberReport> = {}): MemberReport => ({
  _id: 'r1',
  openid: 'm',
  communityId: 'c1',
  employerName: '医院',
  partyOrg: '党支部',
  status: 'confirmed',
  posts: [],
  createdAt: T0,
  updatedAt: T0,
  ...over,
});

describe('invite codes', () => {
  it('are 8 unambiguous characters, case-insensitive', () => {
    const code = inviteCode(new Uint8Array([0, 1, 2, 30, 31, 200, 254, 255]));
    expect(code).toHaveLength(8);
    for (const ch of code) expect(INVITE_ALPHABET).toContain(ch);
    expect(INVITE_ALPHABET).not.toMatch(/[01OIL]/);
    expect(normalizeCode(' ab3k9mzq ')).toBe('AB3K9MZQ');
  });

  it('redeem once, before expiry', () => {
    const invite: UnitInvite = {
      _id: 'h',
      unitId: 'u',
      asAdmin: false,
      issuedBy: 'w',
      createdAt: T0,
      expiresAt: T0 + 7 * DAY,
    };
    expect(canRedeem(invite, T0 + 7 * DAY - 1)).toEqual({ ok: true });
    expect(canRedeem(invite, T0 + 7 * DAY)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('已过期'),
    });
    expect(canRedeem({ ...invite, usedBy: 'x' }, T0)).toMatchObject({
      reason: expect.stringContaining('已被使用'),
    });
    expect(canRedeem(undefined, T0)).toMatchObject({ reason: expect.stringContaining('无效') });
  });
});

describe('projects', () => {
  it('phases: claiming → full → closed at the deadline; completed wins', () => {
    expect(projectPhase(project(), T0)).toBe('claiming');
    expect(projectPhase(project({ activeClaims: 2 }), T0)).toBe('full');
    expect(projectPhase(project(), T0 + DAY)).toBe('closed');
    expect(projectPhase(project({ status: 'completed' }), T0 + 9 * DAY)).toBe('completed');
  });

  it('claims count pending and approved against the limit; one per unit', () => {
    expect(canClaim(project({ activeClaims: 1 }), undefined, T0)).toEqual({ ok: true });
    expect(canClaim(project({ activeClaims: 2 }), undefined, T0)).toMatchObject({
      reason: '认领名额已满（最多 2 个单位）',
    });
    expect(canClaim(project(), claim('pending'), T0)).toMatchObject({ reason: '本单位已认领该项目' });
    expect(canClaim(project(), claim('declined'), T0)).toMatchObject({ ok: false });
  });

  it('review: approve counts, decline frees a place, only once', () => {
    const p = project({ activeClaims: 2 });
    const ok = reviewClaim(p, claim('pending'), true, undefined, 'w', T0);
    expect(ok).toMatchObject({
      claim: { status: 'approved' },
      counts: { activeClaims: 2, approvedClaims: 1 },
    });
    const no = reviewClaim(p, claim('pending'), false, '预算不清', 'w', T0);
    expect(no).toMatchObject({
      claim: { status: 'declined', reason: '预算不清' },
      counts: { activeClaims: 1 },
    });
    expect(reviewClaim(p, claim('approved'), false, 'x', 'w', T0)).toEqual({ error: '该认领已审核通过' });
  });

  it('average rating to one decimal', () => {
    expect(averageRating(project())).toBeNull();
    expect(averageRating(project({ ratingCount: 3, ratingSum: 13 }))).toBe(4.3);
  });
});

describe('member reports and posts', () => {
  const names = () => '幸福里社区';
  it('one active report at a time', () => {
    expect(canReport(undefined, names)).toEqual({ ok: true });
    expect(canReport(report({ status: 'withdrawn' }), names)).toEqual({ ok: true });
    expect(canReport(report({ status: 'pending' }), names)).toMatchObject({ ok: false });
    expect(canReport(report(), names)).toMatchObject({ reason: expect.stringContaining('请先撤回原报到') });
  });

  it('posts: only confirmed reporters, only configured posts, at most 3 at once', () => {
    const s = settingsOf('c1');
    expect(s.yearlyTargetHours).toBe(50);
    expect(canTakePost(report({ status: 'pending' }), '楼道长', s)).toMatchObject({ ok: false });
    expect(canTakePost(report(), '楼道长', s)).toEqual({ ok: true });
    const three = report({
      posts: ['楼道长', '文明劝导', '政策宣讲'].map((name) => ({ name, since: T0 })),
    });
    expect(canTakePost(three, '法律咨询', s)).toMatchObject({ reason: '每人最多同时认领 3 个岗位' });
    const closed = closePosts(three.posts, T0 + 1, '楼道长');
    expect(closed.map((p) => p.until)).toEqual([T0 + 1, undefined, undefined]);
    expect(canTakePost({ ...three, posts: closed }, '法律咨询', s)).toEqual({ ok: true });
    expect(
      canTakePost(
        report(),
        '法律咨询',
        settingsOf('c1', { _id: 'c1', servicePosts: ['楼道长'], yearlyTargetHours: 30 }),
      ),
    ).toMatchObject({
      reason: '该社区没有这个服务岗位',
    });
  });
});
