/**
 * Attendance under real interleaving (h.interleaved): a check-in is a conditional update (set
 * once, only on a confirmed sign-up), and check-outs of different sessions by one volunteer both
 * land in the one account and ranking rows their transactions write (no lost increment), while a
 * worker's grant and a points redemption touch the same account at the same time.
 */
import { createHarness, HOUR, type Harness } from '../helpers/harness';
import type { HourEntry, PointsEntry, ServiceAccount, SignUp } from '../../types/domain';
import type { CheckInProof } from '../../types/volunteer';
import { all, serviceInput, VOLUNTEER, WORKER, XFL } from './volunteer-fixtures';
import type { HourTotal } from '../../cloudfunctions/volunteer/ledgers';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

async function session(startOffset: number) {
  const d = await h.call(
    WORKER,
    'volunteer',
    'publishService',
    serviceInput(h, { startAt: h.clock.now + startOffset, endAt: h.clock.now + startOffset + 2 * HOUR }),
  );
  const s = d.sessions[0]!;
  await h.call(VOLUNTEER, 'activity', 'signUp', { activityId: s.activityId });
  return { id: s.activityId, startAt: s.startAt, endAt: s.endAt };
}

async function qr(activityId: string): Promise<CheckInProof> {
  const c = await h.call(WORKER, 'volunteer', 'checkInCode', { activityId });
  return { method: 'qr', payload: c.qr };
}

it('concurrent check-ins set the check-in once', async () => {
  const s = await session(2 * HOUR);
  h.clock.set(s.startAt - 30 * 60_000);
  const proof = await qr(s.id);
  const results = await h.interleaved(() =>
    Promise.all(
      [1, 2, 3].map(() =>
        h.raw(VOLUNTEER, 'volunteer', { action: 'checkIn', data: { activityId: s.id, proof } }),
      ),
    ),
  );
  expect(results.every((r) => r.ok)).toBe(true);
  const [stored] = await all<SignUp>(h, 'signups', { activityId: s.id, openid: VOLUNTEER });
  expect(stored!.checkInAt).toBe(h.clock.now);
  for (const r of results) expect(r).toMatchObject({ ok: true, data: { checkInAt: h.clock.now } });
});

it('check-outs of three sessions at once all count in the account and the ranking rows', async () => {
  const sessions = [
    await session(2 * HOUR),
    await session(2 * HOUR + 10 * 60_000),
    await session(2 * HOUR + 20 * 60_000),
  ];
  h.clock.set(sessions[0]!.startAt);
  for (const s of sessions)
    await h.call(VOLUNTEER, 'volunteer', 'checkIn', { activityId: s.id, proof: await qr(s.id) });
  h.clock.set(sessions[2]!.endAt);
  const proofs = await Promise.all(sessions.map((s) => qr(s.id)));
  const results = await h.interleaved(() =>
    Promise.all(
      sessions.map((s, i) =>
        h.raw(VOLUNTEER, 'volunteer', { action: 'checkOut', data: { activityId: s.id, proof: proofs[i] } }),
      ),
    ),
  );
  expect(results.every((r) => r.ok)).toBe(true);
  const hours = await all<HourEntry>(h, 'service_hours', { openid: VOLUNTEER });
  const points = await all<PointsEntry>(h, 'points_ledger', { openid: VOLUNTEER });
  const [account] = await all<ServiceAccount>(h, 'service_accounts', { _id: VOLUNTEER });
  const sumHours = hours.reduce((n, e) => n + e.hours, 0);
  expect(hours.filter((e) => e.activityId && sessions.some((s) => s.id === e.activityId))).toHaveLength(3);
  expect(account!.recordedHours + account!.grantedHours).toBeCloseTo(sumHours, 6);
  expect(account!.pointsBalance).toBe(points.reduce((n, p) => n + p.points, 0));
  const rows = await all<HourTotal>(h, 'hour_totals', { openid: VOLUNTEER, communityId: XFL });
  for (const row of rows) {
    const inPeriod = hours.filter(
      (e) => e.communityId === XFL && (e.month === row.period || e.year === row.period),
    );
    expect({ period: row.period, hours: row.hours }).toEqual({
      period: row.period,
      hours: Math.round(inPeriod.reduce((n, e) => n + e.hours, 0) * 100) / 100,
    });
  }
});

it('concurrent grants never exceed the session’s duration in total', async () => {
  const s = await session(2 * HOUR); // 2 h session: at most 2 h granted
  const grant = (n: number) =>
    h.raw(WORKER, 'volunteer', {
      action: 'grantHours',
      data: { activityId: s.id, openid: VOLUNTEER, hours: 1.5, reason: `协助现场组织 ${n}` },
    });
  const results = await h.interleaved(() => Promise.all([1, 2, 3].map(grant)));
  expect(results.filter((r) => r.ok)).toHaveLength(1);
  const granted = await all<HourEntry>(h, 'service_hours', { openid: VOLUNTEER, kind: 'granted' });
  expect(granted.map((e) => e.hours)).toEqual([1.5]);
  const [stored] = await all<SignUp>(h, 'signups', { activityId: s.id, openid: VOLUNTEER });
  expect(stored!.grantedHours).toBe(1.5);
  const [account] = await all<ServiceAccount>(h, 'service_accounts', { _id: VOLUNTEER });
  expect(account!.grantedHours).toBe(1.5);
});
