import { computeRates, computeStats } from '../../cloudfunctions/domain/grievance-stats';
import { DEFAULT_CATEGORIES, DEFAULT_POLICY } from '../../cloudfunctions/domain/grievance';
import type { Grievance, GrievanceHandler } from '../../types/domain';

const H = 3600_000;
/** Period start: 2026-11-01 00:00 Shanghai; the period is 30 days. Offsets below are hours from F. */
const F = Date.UTC(2026, 9, 31, 16);
const TO = F + 720 * H;
const NOW = F + 400 * H;
const at = (hours: number) => F + hours * H;

const H1: GrievanceHandler = { kind: 'grid', id: 'h1', name: '网格员张' };
const H2: GrievanceHandler = { kind: 'unit', id: 'u2', name: '区供电公司' };
const URGENCY = Object.fromEntries(DEFAULT_CATEGORIES.map((c) => [c.key, c.urgency]));

function g(id: string, category: string, createdHours: number, over: Partial<Grievance>): Grievance {
  const urgency = URGENCY[category];
  return {
    _id: id,
    number: id,
    communityId: 'c1',
    openid: 'r1',
    category,
    urgency,
    text: 't',
    photos: [],
    isPublic: false,
    stage: 'submitted',
    priority: false,
    reopenCount: 0,
    awaitingInfo: false,
    respondBy: at(createdHours + DEFAULT_POLICY[urgency].respondHours),
    timeline: [],
    createdAt: at(createdHours),
    updatedAt: at(createdHours),
    ...over,
  };
}

// Limits: general respond 24h / resolve 168h, urgent 2h / 24h, complex 24h / 360h. NOW = F + 400h.
const FIXTURE: Grievance[] = [
  // g1 sanitation (general): accepted after 2h (in time), resolved, 满意, closed after 60h.
  g('g1', 'sanitation', 0, {
    stage: 'rated',
    acceptedAt: at(2),
    resolveBy: at(170),
    handler: H1,
    resolvedAt: at(50),
    rating: { satisfaction: 'satisfied', at: at(60) },
    closedAt: at(60),
  }),
  // g2 safety (urgent): accepted after 3h (late, limit 2h), resolved, 基本满意, closed after 30h.
  g('g2', 'safety', 10, {
    stage: 'rated',
    acceptedAt: at(13),
    resolveBy: at(37),
    handler: H1,
    resolvedAt: at(30),
    rating: { satisfaction: 'basic', at: at(40) },
    closedAt: at(40),
  }),
  // g3 neighbours (complex): accepted after 10h, in progress, resolveBy 30+360 = 390 < 400 → overdue.
  g('g3', 'neighbours', 20, { stage: 'inProgress', acceptedAt: at(30), resolveBy: at(390), handler: H2 }),
  // g4 sanitation: never accepted, respondBy 124 < 400 → overdue.
  g('g4', 'sanitation', 100, {}),
  // g5 repairs (general): accepted after 1h, resolved, 不满意 → reopened, resolveBy 230+168 = 398 → overdue.
  g('g5', 'repairs', 200, {
    stage: 'reopened',
    acceptedAt: at(201),
    handler: H2,
    resolvedAt: at(220),
    rating: { satisfaction: 'dissatisfied', at: at(230) },
    reopenCount: 1,
    priority: true,
    resolveBy: at(398),
  }),
  // g6 other: returned; no deadline.
  g('g6', 'other', 300, { stage: 'returned' }),
  // g7 safety: submitted at 390, respondBy 392 → overdue.
  g('g7', 'safety', 390, {}),
  // g8 sanitation: accepted after 1h, resolveBy 396+168 → in time.
  g('g8', 'sanitation', 395, { stage: 'accepted', acceptedAt: at(396), resolveBy: at(564) }),
  // Outside [F, TO): ignored.
  g('before', 'sanitation', -1, { handler: H1 }),
  g('atEnd', 'sanitation', 720, { handler: H1 }),
];

describe('computeStats', () => {
  const stats = computeStats(FIXTURE, DEFAULT_CATEGORIES, { from: F, to: TO }, NOW, DEFAULT_POLICY, {
    'unit:u2': '区供电公司（改名）',
  });

  it('computes the overall figures', () => {
    expect(stats).toMatchObject({
      from: F,
      to: TO,
      received: 8,
      accepted: 5, // g1 g2 g3 g5 g8
      respondedInTime: 4, // all accepted but g2 (3h > 2h)
      responseRate: 0.5, // 4 / 8
      resolved: 3, // g1 g2 g5
      resolutionRate: 0.375, // 3 / 8
      rated: 3, // g1 g2 g5
      satisfied: 2, // g1 g2
      satisfactionRate: 0.6667, // 2 / 3
      unrated: 0,
      avgHoursToAccept: 3.4, // (2 + 3 + 10 + 1 + 1) / 5
      avgHoursToClose: 45, // (60 + 30) / 2
      overdue: 4, // g3 g4 g5 g7
    });
  });

  it('breaks down by category, in category order, leaving out empty ones', () => {
    expect(stats.byCategory).toEqual([
      // g1 g4 g8: accepted g1 g8 (2h, 1h) both in time; resolved/rated/satisfied g1; overdue g4.
      {
        category: 'sanitation',
        name: '环境卫生',
        received: 3,
        accepted: 2,
        respondedInTime: 2,
        responseRate: 0.6667, // 2 / 3
        resolved: 1,
        resolutionRate: 0.3333, // 1 / 3
        rated: 1,
        satisfied: 1,
        satisfactionRate: 1,
        unrated: 0,
        avgHoursToAccept: 1.5, // (2 + 1) / 2
        avgHoursToClose: 60,
        overdue: 1,
      },
      // 物业管理 has none.
      {
        category: 'neighbours',
        name: '邻里纠纷',
        received: 1,
        accepted: 1,
        respondedInTime: 1,
        responseRate: 1,
        resolved: 0,
        resolutionRate: 0,
        rated: 0,
        satisfied: 0,
        satisfactionRate: 0,
        unrated: 0,
        avgHoursToAccept: 10,
        avgHoursToClose: null,
        overdue: 1,
      },
      {
        category: 'repairs',
        name: '设施报修',
        received: 1,
        accepted: 1,
        respondedInTime: 1,
        responseRate: 1,
        resolved: 1,
        resolutionRate: 1,
        rated: 1,
        satisfied: 0,
        satisfactionRate: 0,
        unrated: 0,
        avgHoursToAccept: 1,
        avgHoursToClose: null,
        overdue: 1,
      },
      // g2 g7: g2 accepted late; g7 overdue.
      {
        category: 'safety',
        name: '安全隐患',
        received: 2,
        accepted: 1,
        respondedInTime: 0,
        responseRate: 0,
        resolved: 1,
        resolutionRate: 0.5,
        rated: 1,
        satisfied: 1,
        satisfactionRate: 1,
        unrated: 0,
        avgHoursToAccept: 3,
        avgHoursToClose: 30,
        overdue: 1,
      },
      {
        category: 'other',
        name: '其他',
        received: 1,
        accepted: 0,
        respondedInTime: 0,
        responseRate: 0,
        resolved: 0,
        resolutionRate: 0,
        rated: 0,
        satisfied: 0,
        satisfactionRate: 0,
        unrated: 0,
        avgHoursToAccept: null,
        avgHoursToClose: null,
        overdue: 0,
      },
    ]);
  });

  it('breaks down by handler', () => {
    expect(stats.byHandler).toEqual([
      // g1 g2: accept 2h (in time) and 3h (late); both resolved and satisfied; closed 60h and 30h.
      {
        handler: 'grid:h1',
        name: '网格员张',
        kind: 'grid',
        received: 2,
        accepted: 2,
        respondedInTime: 1,
        responseRate: 0.5,
        resolved: 2,
        resolutionRate: 1,
        rated: 2,
        satisfied: 2,
        satisfactionRate: 1,
        unrated: 0,
        avgHoursToAccept: 2.5, // (2 + 3) / 2
        avgHoursToClose: 45, // (60 + 30) / 2
        overdue: 0,
      },
      // g3 g5: accept 10h and 1h; g5 resolved but 不满意; both overdue. Name from handlerNames.
      {
        handler: 'unit:u2',
        name: '区供电公司（改名）',
        kind: 'unit',
        received: 2,
        accepted: 2,
        respondedInTime: 2,
        responseRate: 1,
        resolved: 1,
        resolutionRate: 0.5,
        rated: 1,
        satisfied: 0,
        satisfactionRate: 0,
        unrated: 0,
        avgHoursToAccept: 5.5, // (10 + 1) / 2
        avgHoursToClose: null,
        overdue: 2,
      },
    ]);
  });

  it('gives zero rates and null averages for an empty period', () => {
    expect(computeStats([], DEFAULT_CATEGORIES, { from: F, to: TO }, NOW)).toEqual({
      from: F,
      to: TO,
      received: 0,
      accepted: 0,
      respondedInTime: 0,
      responseRate: 0,
      resolved: 0,
      resolutionRate: 0,
      rated: 0,
      satisfied: 0,
      satisfactionRate: 0,
      unrated: 0,
      avgHoursToAccept: null,
      avgHoursToClose: null,
      overdue: 0,
      byCategory: [],
      byHandler: [],
    });
  });

  it('keeps grievances of unknown categories, named by key', () => {
    const s = computeStats(
      [g('x', 'sanitation', 1, { category: 'legacy' })],
      DEFAULT_CATEGORIES,
      { from: F, to: TO },
      NOW,
    );
    expect(s.byCategory.map((c) => [c.category, c.name, c.received])).toEqual([['legacy', 'legacy', 1]]);
  });

  it('rounds averages to 2 decimals', () => {
    // (1/3 h + 1 h) / 2 = 0.6666… → 0.67
    const r = computeRates(
      [g('a', 'sanitation', 0, { acceptedAt: at(1 / 3) }), g('b', 'sanitation', 0, { acceptedAt: at(1) })],
      NOW,
    );
    expect(r.avgHoursToAccept).toBe(0.67);
  });
});
