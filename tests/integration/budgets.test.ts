/**
 * Round-trip budgets (issue 12): each key volunteer, points, alliance and grievance action makes at most
 * ACTION_BUDGET sequential database requests (counted by the runtime's request meter, after a
 * warm-up call so the caller is cached). The same measurement prints the bench table.
 */
import { ACTION_BUDGET, measureBudgets, type BudgetRow } from '../../tools/bench/budgets';
import { createHarness, type Harness } from '../helpers/harness';

let h: Harness;
let rows: BudgetRow[];
beforeAll(async () => {
  h = await createHarness();
  rows = await measureBudgets(h.rt, h.clock);
});
afterAll(() => h.close());

const MINE = [
  'volunteer.checkIn',
  'volunteer.checkOut',
  'volunteer.issueCertificate',
  'volunteer.listServices',
  'volunteer.serviceDetail',
  'volunteer.profile',
  'volunteer.myHours',
  'volunteer.rankings',
  'volunteer.attendance (worker)',
  'points.summary',
  'points.ledger',
  'points.listGoods',
  'points.redeem',
  'points.cancelRedemption',
  'points.myRedemptions',
  'points.redemptions (worker)',
  'alliance.claimProject',
  'alliance.projectDetail',
  'alliance.reviewClaim',
  'alliance.listProjects',
  'grievance.submit',
  'grievance.mine',
  'grievance.detail',
  'grievance.queue (worker)',
  'grievance.accept (worker)',
  'grievance.dispatch (worker)',
  'grievance.stats (worker)',
];

it.each(MINE)('%s: at most 4 sequential database requests', (action) => {
  const row = rows.find((r) => r.action === action);
  expect(row).toBeDefined();
  expect(row!.error).toBeUndefined();
  expect({ action, depth: row!.depth, log: row!.depth > ACTION_BUDGET ? row!.log : [] }).toEqual({
    action,
    depth: Math.min(row!.depth, ACTION_BUDGET),
    log: [],
  });
});

it('the writing actions do their work (the meter saw their transaction)', () => {
  const log = (a: string) => rows.find((r) => r.action === a)!.log.join(' | ');
  expect(log('volunteer.checkOut')).toMatch(/commitTransaction/);
  expect(log('volunteer.checkOut')).toMatch(/points_ledger/);
  expect(log('points.redeem')).toMatch(/modifyDocument redemptions.*commitTransaction|commitTransaction/);
  expect(log('alliance.claimProject')).toMatch(/modifyDocument project_claims/);
  expect(log('volunteer.checkIn')).toMatch(/modifyDocument signups/);
});
