import {
  memberYearRecord,
  rankRecords,
  unitYearRecord,
  yearRange,
} from '../../cloudfunctions/domain/alliance-records';
import type {
  Activity,
  Grievance,
  MemberReport,
  Project,
  ProjectClaim,
  UnitRecord,
} from '../../types/domain';

// Shanghai midnight, 1 January 2026 = 2025-12-31 16:00 UTC.
const Y2026 = Date.UTC(2025, 11, 31, 16);
const DAY = 86400_000;
const NOW = Y2026 + 200 * DAY;

const act = (id: string, endAt: number, hours: number, status: Activity['status'] = 'published') => ({
  _id: id,
  title: `活动${id}`,
  endAt,
  hours,
  status,
});

describe('yearRange', () => {
  it('is the Asia/Shanghai calendar year', () => {
    expect(yearRange(2026)).toEqual({ from: Y2026, to: Date.UTC(2026, 11, 31, 16) });
  });
});

describe('memberYearRecord (hand-computed fixture)', () => {
  const activities = new Map(
    [
      act('a', Y2026 + 10 * DAY, 3), // counts: 3 h
      act('b', Y2026 + 20 * DAY, 2.5), // counts: 2.5 h
      act('c', Y2026 - 1, 4), // last year
      act('d', NOW + DAY, 2), // not ended yet
      act('e', Y2026 + 30 * DAY, 5, 'cancelled'), // cancelled
      act('f', Y2026 + 40 * DAY, 1), // sign-up cancelled
    ].map((a) => [a._id, a]),
  );
  const signUps = [
    { activityId: 'a', status: 'confirmed' as const },
    { activityId: 'b', status: 'confirmed' as const },
    { activityId: 'c', status: 'confirmed' as const },
    { activityId: 'd', status: 'confirmed' as const },
    { activityId: 'e', status: 'confirmed' as const },
    { activityId: 'f', status: 'cancelled' as const },
  ];
  const handler = { kind: 'member' as const, id: 'm1', name: '李' };
  const grievances: Pick<Grievance, '_id' | 'number' | 'stage' | 'resolvedAt' | 'handler'>[] = [
    { _id: 'g1', number: 'N1', stage: 'rated', resolvedAt: Y2026 + 5 * DAY, handler }, // counts
    { _id: 'g2', number: 'N2', stage: 'resolved', resolvedAt: Y2026 + 6 * DAY, handler }, // counts
    { _id: 'g3', number: 'N3', stage: 'inProgress', handler }, // not resolved
    { _id: 'g4', number: 'N4', stage: 'rated', resolvedAt: Y2026 - DAY, handler }, // last year
    {
      _id: 'g5',
      number: 'N5',
      stage: 'rated',
      resolvedAt: Y2026 + DAY,
      handler: { ...handler, id: 'other' },
    },
  ];
  const reports: MemberReport[] = [
    {
      _id: 'r1',
      openid: 'm1',
      communityId: 'c1',
      employerName: '医院',
      partyOrg: '党支部',
      status: 'withdrawn',
      posts: [
        { name: '楼道长', since: Y2026 - 100 * DAY, until: Y2026 + DAY }, // overlaps: counts
        { name: '文明劝导', since: Y2026 - 100 * DAY, until: Y2026 - DAY }, // ended last year
      ],
      createdAt: Y2026 - 100 * DAY,
      updatedAt: Y2026,
    },
    {
      _id: 'r2',
      openid: 'm1',
      communityId: 'c2',
      employerName: '医院',
      partyOrg: '党支部',
      status: 'confirmed',
      posts: [{ name: '政策宣讲', since: Y2026 + 2 * DAY }], // counts
      createdAt: Y2026 + DAY,
      updatedAt: Y2026 + DAY,
    },
  ];

  it('counts 2 activities (5.5 h), 2 grievances and 2 posts', () => {
    const rec = memberYearRecord({
      openid: 'm1',
      nickName: '李建国',
      year: 2026,
      now: NOW,
      targetHours: 50,
      signUps,
      activities,
      grievances,
      reports,
    });
    expect(rec.activities.map((a) => a.activityId)).toEqual(['a', 'b']);
    expect(rec.hours).toBe(5.5);
    expect(rec.progress).toBe(0.11);
    expect(rec.grievances.map((g) => g.number)).toEqual(['N1', 'N2']);
    expect(rec.posts.map((p) => p.name)).toEqual(['楼道长', '政策宣讲']);
    expect(rec.services).toBe(6);
    expect(rec.report).toMatchObject({ communityId: 'c2', status: 'confirmed' });
  });

  it('caps progress at 1', () => {
    const rec = memberYearRecord({
      openid: 'm1',
      nickName: '李',
      year: 2026,
      now: NOW,
      targetHours: 4,
      signUps,
      activities,
      grievances: [],
      reports: [],
    });
    expect(rec.progress).toBe(1);
    expect(rec.report).toBeUndefined();
  });
});

describe('unitYearRecord (hand-computed fixture)', () => {
  const claim = (
    projectId: string,
    status: ProjectClaim['status'],
    createdAt: number,
    reviewedAt?: number,
  ) => ({
    _id: `${projectId}_u1`,
    projectId,
    communityId: 'c1',
    unitId: 'u1',
    unitName: '医院',
    plan: '方案',
    status,
    claimedBy: 's',
    createdAt,
    ...(reviewedAt ? { reviewedAt } : {}),
  });
  const proj = (id: string, over: Partial<Project>) => ({
    _id: id,
    status: 'open' as const,
    ratingCount: 0,
    ratingSum: 0,
    ...over,
  });
  const report = (openid: string, confirmedAt?: number, withdrawnAt?: number): MemberReport => ({
    _id: `r-${openid}`,
    openid,
    communityId: 'c1',
    employerUnitId: 'u1',
    employerName: '医院',
    partyOrg: '党支部',
    status: withdrawnAt ? 'withdrawn' : confirmedAt ? 'confirmed' : 'pending',
    posts: [],
    createdAt: Y2026 - 10 * DAY,
    updatedAt: Y2026,
    ...(confirmedAt ? { confirmedAt } : {}),
    ...(withdrawnAt ? { withdrawnAt } : {}),
  });

  const input = {
    unit: { _id: 'u1', name: '区人民医院' },
    year: 2026,
    claims: [
      claim('p1', 'approved', Y2026 + DAY, Y2026 + 2 * DAY), // completed, rated 4.5
      claim('p2', 'approved', Y2026 + DAY, Y2026 + 2 * DAY), // completed, rated 3
      claim('p3', 'approved', Y2026 - 20 * DAY, Y2026 - 10 * DAY), // approved last year, completed this year, unrated
      claim('p4', 'declined', Y2026 + 3 * DAY, Y2026 + 4 * DAY),
      claim('p5', 'pending', Y2026 + 5 * DAY),
    ],
    projects: new Map(
      [
        proj('p1', { status: 'completed', completedAt: Y2026 + 50 * DAY, ratingCount: 2, ratingSum: 9 }),
        proj('p2', { status: 'completed', completedAt: Y2026 + 60 * DAY, ratingCount: 1, ratingSum: 3 }),
        proj('p3', { status: 'completed', completedAt: Y2026 + 5 * DAY }),
        proj('p4', { status: 'completed', completedAt: Y2026 + 70 * DAY, ratingCount: 1, ratingSum: 5 }),
        proj('p5', {}),
      ].map((p) => [p._id, p]),
    ),
    requests: [
      { status: 'accepted' as const, answeredAt: Y2026 + DAY },
      { status: 'accepted' as const, answeredAt: Y2026 - DAY },
      { status: 'declined' as const, answeredAt: Y2026 + DAY },
      { status: 'pending' as const },
    ],
    activities: [
      { status: 'published' as const, startAt: Y2026 + DAY, hostUnitIds: ['u1', 'u2'] },
      { status: 'cancelled' as const, startAt: Y2026 + DAY, hostUnitIds: ['u1'] },
      { status: 'published' as const, startAt: Y2026 - DAY, hostUnitIds: ['u1'] },
    ] satisfies Pick<Activity, 'status' | 'startAt' | 'hostUnitIds'>[],
    reports: [
      report('m1', Y2026 - 5 * DAY), // confirmed before the year, still active: counts
      report('m2', Y2026 + DAY, Y2026 + 3 * DAY), // confirmed and withdrawn within: counts
      report('m3', Y2026 - 9 * DAY, Y2026 - DAY), // withdrawn before the year
      report('m4'), // pending
    ],
    memberHours: new Map([
      ['m1', 10],
      ['m2', 2.5],
      ['m3', 100],
    ]),
  };

  it('matches the hand count and score', () => {
    const rec = unitYearRecord(input);
    expect(rec).toEqual({
      unitId: 'u1',
      unitName: '区人民医院',
      year: 2026,
      claims: 4, // p1, p2, p4, p5 made this year
      approvedClaims: 2, // p1, p2 (p3 was approved last year)
      completedProjects: 3, // p1, p2, p3
      avgRating: 3.8, // (4.5 + 3) / 2 = 3.75
      resourcesProvided: 1,
      activitiesCoHosted: 1,
      membersReported: 2, // m1, m2
      memberHours: 12.5,
      // 3×2 + 10×3 + 2×(4.5+3) + 4×1 + 3×1 + 2×2 + 0.5×12.5 = 6+30+15+4+3+4+6.25 = 68.25 → 68.3
      score: 68.3,
    });
  });

  it('ranks by score, then completed projects, then name; full ties share a rank', () => {
    const r = (unitName: string, score: number, completedProjects = 0) =>
      ({ unitId: unitName, unitName, score, completedProjects }) as UnitRecord;
    const ranked = rankRecords([r('乙', 10), r('甲', 10), r('丙', 20), r('丁', 10, 1), r('戊', 1)]);
    expect(ranked.map((x) => [x.unitName, x.rank])).toEqual([
      ['丙', 1],
      ['丁', 2],
      [ranked[2]!.unitName, 3],
      [ranked[3]!.unitName, 3],
      ['戊', 5],
    ]);
  });
});
