/**
 * Round-trip budgets (issue 12): for each key user action, the database requests one call makes
 * and their sequential depth (what the caller waits for on CloudBase, where every request is a
 * network round trip), counted through the runtime's request meter. Each caller makes one call
 * first, so the per-instance caller cache is warm as it is for a user's repeated calls.
 *
 * Used by `npm run bench` (the table) and tests/integration/budgets.test.ts (the assertions).
 */
import { idCheckDigit } from '../../cloudfunctions/domain/volunteer';
import type { LocalRuntime } from '../runtime/local-runtime';
import { rolesPatch } from '../../cloudfunctions/domain/roles';

export interface BudgetRow {
  /** `function.action` plus what the case is, e.g. `volunteer.checkOut`. */
  action: string;
  requests: number;
  depth: number;
  budget: number;
  ok: boolean;
  /** The call's own answer was an error (the case is broken, not the budget). */
  error?: string;
  log: string[];
}

const H = 3600_000;
const D = 24 * H;
const XFL = 'community-xingfuli';
const WORKER = 'demo-worker';
const UNIT = 'demo-unit';
const RESIDENT = 'demo-resident';
const VOL = 'budget-volunteer';

/** The sequential database requests a user action may need. */
export const ACTION_BUDGET = 4;

type Fn = Parameters<LocalRuntime['call']>[0];

/**
 * Measures every key action on `rt` (seeded with the demo data; `clock` is the runtime's clock).
 * Only the counted calls are metered; the set-up goes through the ordinary handlers.
 */
export async function measureBudgets(rt: LocalRuntime, clock: { now: number }): Promise<BudgetRow[]> {
  const call = async (openid: string, fn: Fn, action: string, data: unknown) => {
    const res = await rt.call(fn, { action, data }, openid);
    if (!res.ok) throw new Error(`${fn}.${action}: ${res.error.code} ${res.error.message}`);
    return res.data as Record<string, unknown> & { _id: string };
  };
  const rows: BudgetRow[] = [];
  const measure = async (
    label: string,
    openid: string,
    fn: Fn,
    action: string,
    data: unknown,
    budget = ACTION_BUDGET,
  ) => {
    // Warm the caller cache as a user's previous call would.
    await rt.call('user', { action: 'me', data: {} }, openid);
    const m = await rt.metered(fn, { action, data }, openid);
    const res = m.result as { ok: boolean; error?: { code: string; message: string } };
    rows.push({
      action: label,
      requests: m.requests,
      depth: m.depth,
      budget,
      ok: res.ok && m.depth <= budget,
      ...(res.ok ? {} : { error: `${res.error?.code} ${res.error?.message}` }),
      log: m.log,
    });
    return m.result as { ok: boolean; data: Record<string, unknown> & { _id: string } };
  };

  // A volunteer (a plain resident with the volunteer role) and a code check-in session.
  const db = rt.runtime.db;
  await db
    .collection('users')
    .doc(VOL)
    .set({
      openid: VOL,
      nickName: '预算志愿者',
      ...rolesPatch([{ role: 'resident' }]),
      currentCommunityId: XFL,
      createdAt: clock.now,
      updatedAt: clock.now,
    });
  const first17 = '43010219900101123';
  await call(VOL, 'volunteer', 'register', {
    communityId: XFL,
    name: '预算志愿者',
    idNumber: first17 + idCheckDigit(first17),
    phone: '13800138001',
    skills: [],
    preferences: [],
    consent: true,
  });
  await call(WORKER, 'volunteer', 'reviewRegistration', { openid: VOL, approve: true });
  const start = clock.now + 30 * 60_000;
  const service = await call(WORKER, 'volunteer', 'publishService', {
    communityId: XFL,
    category: '文明宣传',
    title: '预算服务',
    post: '志愿者',
    place: { name: '党群服务中心', lat: 28.1941, lng: 112.9823 },
    hoursPerSession: 2,
    placesPerSession: 10,
    checkInMethod: 'code',
    startAt: start,
    endAt: start + 2 * H,
  });
  const activityId = (service.sessions as { activityId: string }[])[0]!.activityId;
  await call(VOL, 'activity', 'signUp', { activityId });
  const code = async () => (await call(WORKER, 'volunteer', 'checkInCode', { activityId })).code as string;

  await measure('volunteer.checkIn', VOL, 'volunteer', 'checkIn', {
    activityId,
    proof: { method: 'code', code: await code() },
  });
  const saved = clock.now;
  clock.now = start + 2 * H;
  await measure('volunteer.checkOut', VOL, 'volunteer', 'checkOut', {
    activityId,
    proof: { method: 'code', code: await code() },
  });
  await measure('volunteer.issueCertificate', VOL, 'volunteer', 'issueCertificate', {});
  await measure('volunteer.profile', VOL, 'volunteer', 'profile', {});
  await measure('volunteer.listServices', VOL, 'volunteer', 'listServices', {
    communityId: XFL,
    pageSize: 20,
  });
  await measure('volunteer.serviceDetail', VOL, 'volunteer', 'serviceDetail', { serviceId: service._id });
  await measure('volunteer.myHours', VOL, 'volunteer', 'myHours', { pageSize: 20 });
  await measure('volunteer.rankings', VOL, 'volunteer', 'rankings', { period: 'month', communityId: XFL });
  await measure('volunteer.attendance (worker)', WORKER, 'volunteer', 'attendance', {
    activityId,
    pageSize: 20,
  });
  clock.now = saved;

  // Points: a goods item the volunteer can afford (check-out earned 2 points).
  const goods = await call(WORKER, 'points', 'saveGoods', {
    communityId: XFL,
    name: '预算商品',
    price: 1,
    stock: 5,
  });
  await measure('points.summary', VOL, 'points', 'summary', {});
  await measure('points.ledger', VOL, 'points', 'ledger', { pageSize: 20 });
  await measure('points.listGoods', VOL, 'points', 'listGoods', { communityId: XFL, pageSize: 20 });
  await measure('points.redeem', VOL, 'points', 'redeem', { goodsId: goods._id });
  const redeemed = await measure('points.redeem (second)', VOL, 'points', 'redeem', { goodsId: goods._id });
  await measure('points.cancelRedemption', VOL, 'points', 'cancelRedemption', {
    redemptionId: redeemed.data._id,
  });
  await measure('points.myRedemptions', VOL, 'points', 'myRedemptions', { pageSize: 20 });
  await measure('points.redemptions (worker)', WORKER, 'points', 'redemptions', {
    communityId: XFL,
    pageSize: 20,
  });

  // Alliance: a project the demo unit (allied with xingfuli) claims.
  const project = await call(WORKER, 'alliance', 'publishProject', {
    communityId: XFL,
    title: '楼道照明改造',
    goal: '为老楼更换楼道感应灯',
    tasks: ['勘察线路'],
    wanted: '电工志愿者 2 人',
    deadline: clock.now + 14 * D,
    maxClaims: 2,
  });
  await measure('alliance.claimProject', UNIT, 'alliance', 'claimProject', {
    projectId: project._id,
    plan: '我院后勤科派 2 名电工，两周内完成。',
  });
  await measure('alliance.projectDetail', RESIDENT, 'alliance', 'projectDetail', { projectId: project._id });
  await measure('alliance.reviewClaim', WORKER, 'alliance', 'reviewClaim', {
    projectId: project._id,
    unitId: 'unit-hospital',
    approve: true,
  });
  await measure('alliance.listProjects', RESIDENT, 'alliance', 'listProjects', {
    communityId: XFL,
    pageSize: 20,
  });

  // Other helpers' actions, measured only.
  const activity = await call(WORKER, 'activity', 'publish', {
    communityId: XFL,
    type: 'volunteer',
    title: '预算活动',
    description: '楼道清洁',
    place: { name: '幸福里党群服务中心', lat: 28.1941, lng: 112.9823, siteId: 'site-xfl-center' },
    startAt: clock.now + 3 * D,
    endAt: clock.now + 3 * D + 2 * H,
    signUpStartAt: clock.now - H,
    signUpEndAt: clock.now + 3 * D - H,
    capacity: 1,
  });
  await measure('activity.signUp', RESIDENT, 'activity', 'signUp', { activityId: activity._id });
  await call('demo-member', 'activity', 'signUp', { activityId: activity._id }); // waitlisted
  await measure('activity.cancelSignUp (promotes)', RESIDENT, 'activity', 'cancelSignUp', {
    activityId: activity._id,
  });
  const submitted = await measure('grievance.submit', RESIDENT, 'grievance', 'submit', {
    communityId: XFL,
    category: 'sanitation',
    text: '小区东门路灯坏了两周，晚上出入很不方便，请尽快修理。',
  });
  const grievanceId = submitted.data?._id;
  await measure('grievance.mine', RESIDENT, 'grievance', 'mine', { pageSize: 20 });
  await measure('grievance.detail', RESIDENT, 'grievance', 'detail', { grievanceId });
  await measure('grievance.queue (worker)', WORKER, 'grievance', 'queue', { pageSize: 20 });
  await measure('grievance.accept (worker)', WORKER, 'grievance', 'accept', { grievanceId });
  await measure('grievance.dispatch (worker)', WORKER, 'grievance', 'dispatch', {
    grievanceId,
    handler: { kind: 'worker', id: WORKER },
  });
  await measure('grievance.stats (worker)', WORKER, 'grievance', 'stats', {
    from: clock.now - 30 * D,
    to: clock.now,
  });
  return rows;
}

/** The bench section: the budget table for every key action, on a fresh seeded runtime. */
export async function printBudgets(
  rt: LocalRuntime,
  clock: { now: number },
  printTable: (headers: string[], rows: (string | number)[][]) => void,
): Promise<{ rows: Omit<BudgetRow, 'log'>[]; over: string[] }> {
  const rows = await measureBudgets(rt, clock);
  printTable(
    ['action', 'requests', 'sequential depth', 'budget', ''],
    rows.map((r) => [
      r.action,
      r.requests,
      r.depth,
      r.budget,
      r.error ? `ERROR ${r.error}` : r.ok ? 'OK' : 'OVER',
    ]),
  );
  console.log('  (one call each after a warm-up call of the same user, so the caller is cached)');
  return {
    rows: rows.map(({ log: _l, ...r }) => r),
    over: rows.filter((r) => !r.ok).map((r) => r.action),
  };
}
