import { applyFollowUp, followUpDue, nextFollowUp } from '../../cloudfunctions/domain/grievance-followup';
import { canTransition } from '../../cloudfunctions/domain/grievance';
import { storedDoc, tallyOf, timeKey } from '../../cloudfunctions/domain/grievance-tally';
import { computeRates } from '../../cloudfunctions/domain/grievance-stats';
import type { Grievance } from '../../types/domain';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const T = Date.UTC(2026, 10, 21, 2);

const resolved = (over: Partial<Grievance> = {}): Grievance =>
  ({
    _id: 'g1',
    number: '20261121-0001',
    communityId: 'c',
    openid: 'r',
    category: 'sanitation',
    urgency: 'general',
    text: 'x',
    photos: [],
    isPublic: false,
    stage: 'resolved',
    priority: false,
    reopenCount: 0,
    awaitingInfo: false,
    respondBy: T,
    resolveBy: T + 7 * DAY,
    acceptedAt: T - DAY,
    resolvedAt: T,
    timeline: [],
    createdAt: T - 2 * DAY,
    updatedAt: T,
    ...over,
  }) as Grievance;

const run = (g: Grievance, now: number) => {
  const step = followUpDue(g, now);
  if (!step) return g;
  const { patch, entry } = applyFollowUp(g, step, now);
  return { ...g, ...patch, timeline: [...g.timeline, entry] };
};

it('first after 24 h, second after 3 days, closes as 未评价 after 7 days; then no more steps', () => {
  let g = resolved();
  expect(nextFollowUp(g)).toEqual({ step: 'first', at: T + DAY });
  expect(storedDoc(g).followUpKey).toBe(timeKey(T + DAY));
  expect(followUpDue(g, T + DAY - 1)).toBeUndefined();
  g = run(g, T + DAY);
  expect(g.followUpsSent).toBe(1);
  expect(followUpDue(g, T + 2 * DAY)).toBeUndefined();
  g = run(g, T + 3 * DAY);
  g = run(g, T + 7 * DAY);
  expect(g).toMatchObject({ followUpsSent: 2, unratedAt: T + 7 * DAY, closedAt: T + 7 * DAY });
  expect(g.timeline.map((e) => e.action)).toEqual(['followUp', 'followUp', 'closeUnrated']);
  expect(nextFollowUp(g)).toBeUndefined();
  expect(storedDoc(g).followUpKey).toBeUndefined();
  expect(canTransition(g, 'rate', 'resident').ok).toBe(false);
  // Counted apart: unrated, closed, never rated or satisfied.
  expect(tallyOf(g)).toMatchObject({ unrated: 1, rated: 0, satisfied: 0, closed: 1 });
  expect(computeRates([g], T + 8 * DAY)).toMatchObject({
    unrated: 1,
    rated: 0,
    satisfied: 0,
    satisfactionRate: 0,
  });
});

it('none for rated, open or returned grievances', () => {
  expect(nextFollowUp(resolved({ rating: { satisfaction: 'satisfied', at: T } }))).toBeUndefined();
  expect(nextFollowUp(resolved({ stage: 'inProgress' }))).toBeUndefined();
  expect(nextFollowUp(resolved({ stage: 'returned' }))).toBeUndefined();
});
