import { createHarness, type Harness } from '../helpers/harness';
import { appendHours } from '../../cloudfunctions/volunteer/ledgers';
import { transaction } from '../../cloudfunctions/core/db';
import type { HourEntry } from '../../types/domain';
import {
  addUser,
  all,
  approvedVolunteer,
  count,
  HP,
  ID_A,
  ID_B,
  ID_C,
  MEMBER,
  RESIDENT,
  serviceInput,
  UNIT,
  VOLUNTEER,
  WORKER,
  XFL,
} from './volunteer-fixtures';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

/** Sign `who` up to a fresh 2 h session and check them in and out (2 h recorded). */
async function serve(who: string, hours = 2) {
  const d = await h.call(WORKER, 'volunteer', 'publishService', serviceInput(h, { hoursPerSession: hours }));
  const s = d.sessions[0]!;
  await h.call(who, 'activity', 'signUp', { activityId: s.activityId });
  const back = h.clock.now;
  h.clock.set(s.startAt);
  const c1 = await h.call(WORKER, 'volunteer', 'checkInCode', { activityId: s.activityId });
  await h.call(who, 'volunteer', 'checkIn', {
    activityId: s.activityId,
    proof: { method: 'code', code: c1.code },
  });
  h.clock.set(s.endAt);
  const c2 = await h.call(WORKER, 'volunteer', 'checkInCode', { activityId: s.activityId });
  await h.call(who, 'volunteer', 'checkOut', {
    activityId: s.activityId,
    proof: { method: 'code', code: c2.code },
  });
  h.clock.set(back);
  return s.activityId;
}

/** Hours straight into the ledger (as check-outs would), for ranking set-ups. */
async function ledgerHours(openid: string, hours: number, communityId = XFL) {
  await transaction((t) =>
    appendHours(t, {
      _id: `test_${openid}_${hours}_${communityId}`,
      openid,
      communityId,
      activityId: 'act-test',
      activityTitle: '测试服务',
      kind: 'recorded',
      hours,
      by: openid,
      at: h.clock.now,
    }),
  );
}

describe('profile, hours and rankings', () => {
  it('profile totals, stars and period hours come from the ledgers', async () => {
    const empty = await h.call(RESIDENT, 'volunteer', 'profile', {});
    expect(empty).toMatchObject({
      registration: null,
      recordedHours: 0,
      totalHours: 0,
      pointsBalance: 0,
      monthHours: 0,
    });
    expect(empty.star).toEqual({ stars: 0, nextAt: 100, progress: 0 });
    await approvedVolunteer(h, VOLUNTEER, ID_A);
    await serve(VOLUNTEER);
    const a2 = await serve(VOLUNTEER, 1.5);
    await h.call(WORKER, 'volunteer', 'grantHours', {
      activityId: a2,
      openid: VOLUNTEER,
      hours: 1,
      reason: '带教新志愿者',
    });
    const p = await h.call(VOLUNTEER, 'volunteer', 'profile', {});
    expect(p).toMatchObject({
      recordedHours: 3.5,
      grantedHours: 1,
      totalHours: 4.5,
      pointsBalance: 3, // floor(2) + floor(1.5)
      monthHours: 4.5,
      yearHours: 4.5,
    });
    expect(p.registration?.status).toBe('approved');
    expect(p.star.stars).toBe(0);
    expect(p.star.progress).toBeCloseTo(0.035, 6);

    const hours = await h.call(VOLUNTEER, 'volunteer', 'myHours', {});
    expect(hours.total).toBe(3);
    expect(hours.items[0]).not.toHaveProperty('by');
    const granted = await h.call(VOLUNTEER, 'volunteer', 'myHours', { kind: 'granted' });
    expect(granted.items.map((e) => [e.hours, e.reason])).toEqual([[1, '带教新志愿者']]);
    const page = await h.call(VOLUNTEER, 'volunteer', 'myHours', { pageSize: 2 });
    expect([page.items.length, page.nextCursor]).toEqual([2, '2']);
    expect((await h.call(RESIDENT, 'volunteer', 'myHours', {})).total).toBe(0);
    // Next month, the month's hours start again; the year's do not.
    h.clock.set(Date.UTC(2026, 11, 2, 2));
    expect(await h.call(VOLUNTEER, 'volunteer', 'profile', {})).toMatchObject({
      monthHours: 0,
      yearHours: 4.5,
    });
  });

  it('rankings: top volunteers of the community and period, opted-out hidden, my rank', async () => {
    await approvedVolunteer(h, VOLUNTEER, ID_A);
    await approvedVolunteer(h, RESIDENT, ID_B, '王秀英');
    await approvedVolunteer(h, MEMBER, ID_C, '李建国');
    await ledgerHours(VOLUNTEER, 5);
    await ledgerHours(RESIDENT, 8);
    await ledgerHours(MEMBER, 5);
    await ledgerHours('someone-else', 20, HP);
    const r = await h.call(VOLUNTEER, 'volunteer', 'rankings', {});
    expect(r).toMatchObject({ communityId: XFL, period: 'month', periodKey: '2026-11' });
    expect(r.items.map((i) => [i.rank, i.hours])).toEqual([
      [1, 8],
      [2, 5],
      [2, 5],
    ]);
    expect(
      r.items
        .slice(1)
        .map((i) => i.openid)
        .sort(),
    ).toEqual([MEMBER, VOLUNTEER].sort());
    expect(r.items[0]).toMatchObject({ rank: 1, openid: RESIDENT, nickName: '王阿姨', hours: 8 });
    expect(r.items.slice(1).map((i) => i.rank)).toEqual([2, 2]);
    expect(r.me).toEqual({ rank: 2, hours: 5, optedOut: false });
    expect((await h.call(VOLUNTEER, 'volunteer', 'rankings', { period: 'year' })).periodKey).toBe('2026');

    const out = await h.call(RESIDENT, 'volunteer', 'setRankingOptOut', { optOut: true });
    expect(out.rankingOptOut).toBe(true);
    const after = await h.call(VOLUNTEER, 'volunteer', 'rankings', {});
    expect(after.items.map((i) => i.openid)).not.toContain(RESIDENT);
    expect(after.items.map((i) => i.rank)).toEqual([1, 1]);
    expect(after.me).toEqual({ rank: 1, hours: 5, optedOut: false });
    expect((await h.call(RESIDENT, 'volunteer', 'rankings', {})).me).toEqual({ hours: 8, optedOut: true });
    expect(
      (await h.call(UNIT, 'volunteer', 'rankings', { communityId: HP })).items.map((i) => i.hours),
    ).toEqual([20]);
    expect((await h.fail(UNIT, 'volunteer', 'setRankingOptOut', { optOut: true })).code).toBe('NOT_FOUND');
  });

  it('an opted-out volunteer’s later hours stay out of the ranking (the flag rides on each row)', async () => {
    await approvedVolunteer(h, VOLUNTEER, ID_A);
    await approvedVolunteer(h, RESIDENT, ID_B, '王秀英');
    await h.call(RESIDENT, 'volunteer', 'setRankingOptOut', { optOut: true });
    await ledgerHours(RESIDENT, 9); // the first rows of the period are written after opting out
    await ledgerHours(VOLUNTEER, 3);
    const r = await h.call(VOLUNTEER, 'volunteer', 'rankings', {});
    expect(r.items.map((i) => i.openid)).toEqual([VOLUNTEER]);
    expect(r.me).toEqual({ rank: 1, hours: 3, optedOut: false });
    await h.call(RESIDENT, 'volunteer', 'setRankingOptOut', { optOut: false });
    const back = await h.call(VOLUNTEER, 'volunteer', 'rankings', { period: 'year' });
    expect(back.items.map((i) => [i.openid, i.rank])).toEqual([
      [RESIDENT, 1],
      [VOLUNTEER, 2],
    ]);
    expect(back.me).toEqual({ rank: 2, hours: 3, optedOut: false });
  });

  it('my rank is counted past the top list, without opted-out volunteers', async () => {
    for (let i = 0; i < 55; i++) {
      await addUser(h, `v-${i}`, [{ role: 'volunteer', communityId: XFL }]);
      await ledgerHours(`v-${i}`, 100 - i);
    }
    await approvedVolunteer(h, VOLUNTEER, ID_A);
    await ledgerHours(VOLUNTEER, 10);
    const r = await h.call(VOLUNTEER, 'volunteer', 'rankings', {});
    expect(r.items).toHaveLength(50);
    expect(r.me).toEqual({ rank: 56, hours: 10, optedOut: false });
  });
});

describe('certificates', () => {
  it('issues numbered certificates with masked identity and verifies them by number + token only', async () => {
    expect((await h.fail(RESIDENT, 'volunteer', 'issueCertificate', {})).code).toBe('FORBIDDEN');
    await h.call(VOLUNTEER, 'volunteer', 'register', {
      communityId: XFL,
      name: '张晓明',
      idNumber: ID_A,
      phone: '13812345678',
      consent: true,
    } as never);
    expect((await h.fail(VOLUNTEER, 'volunteer', 'issueCertificate', {})).code).toBe('FORBIDDEN'); // pending
    await h.call(WORKER, 'volunteer', 'reviewRegistration', { openid: VOLUNTEER, approve: true });
    expect((await h.fail(VOLUNTEER, 'volunteer', 'issueCertificate', {})).code).toBe('CONFLICT'); // no hours
    await serve(VOLUNTEER);
    const c1 = await h.call(VOLUNTEER, 'volunteer', 'issueCertificate', {});
    expect(c1).toMatchObject({
      number: 'ZYFW-2026-000001',
      issuer: '幸福里社区',
      nameMasked: '张*明',
      idMasked: '4301**********003X',
      recordedHours: 2,
      grantedHours: 0,
      services: [{ title: '敬老助餐 · 送餐员', hours: 2 }],
    });
    expect(c1.services[0]!.date).toMatch(/^2026-11-2\d$/);
    expect(c1).not.toHaveProperty('token');
    expect(c1).not.toHaveProperty('openid');
    const token = new URLSearchParams(c1.verifyPath.split('?')[1]).get('t')!;
    expect(c1.verifyPath).toBe(`packages/volunteer/verify?no=${c1.number}&t=${token}`);
    // Without a 扫普通链接二维码 rule the QR carries the in-app path; with one, the rule's URL.
    expect(c1.qrContent).toBe(c1.verifyPath);
    process.env.CERT_VERIFY_URL = 'https://tongxin.example.cn/v';
    try {
      const [mine] = (await h.call(VOLUNTEER, 'volunteer', 'myCertificates', {})).items;
      expect(mine!.qrContent).toBe(`https://tongxin.example.cn/v?no=${c1.number}&t=${token}`);
    } finally {
      delete process.env.CERT_VERIFY_URL;
    }

    const c2 = await h.call(VOLUNTEER, 'volunteer', 'issueCertificate', {});
    expect(c2.number).toBe('ZYFW-2026-000002');
    expect(
      (await h.call(VOLUNTEER, 'volunteer', 'myCertificates', {})).items.map((c) => c.number).sort(),
    ).toEqual([c1.number, c2.number]);
    expect((await h.call(RESIDENT, 'volunteer', 'myCertificates', {})).items).toEqual([]);

    const ok = await h.call(RESIDENT, 'volunteer', 'verifyCertificate', { number: c1.number, token });
    expect(ok.valid).toBe(true);
    expect(ok.certificate).toMatchObject({ number: c1.number, nameMasked: '张*明', recordedHours: 2 });
    expect(Object.keys(ok.certificate!).sort()).toEqual(
      [
        'communityId',
        'grantedHours',
        'idMasked',
        'issuedAt',
        'issuer',
        'nameMasked',
        'number',
        'recordedHours',
        'services',
      ].sort(),
    );
    expect(
      await h.call(RESIDENT, 'volunteer', 'verifyCertificate', { number: c1.number, token: 'x'.repeat(22) }),
    ).toEqual({
      valid: false,
    });
    expect(
      await h.call(RESIDENT, 'volunteer', 'verifyCertificate', { number: 'ZYFW-2026-999999', token }),
    ).toEqual({
      valid: false,
    });
    expect((await h.fail(RESIDENT, 'volunteer', 'verifyCertificate', { number: 'abc', token })).code).toBe(
      'INVALID_INPUT',
    );
    // Next year the numbering starts again.
    h.clock.set(Date.UTC(2027, 0, 5, 2));
    expect((await h.call(VOLUNTEER, 'volunteer', 'issueCertificate', {})).number).toBe('ZYFW-2027-000001');
  });

  it('parallel certificate requests get distinct numbers', async () => {
    await approvedVolunteer(h, VOLUNTEER, ID_A);
    await serve(VOLUNTEER);
    const res = await h.interleaved(() =>
      Promise.all(
        [1, 2, 3, 4].map(() => h.rt.call('volunteer', { action: 'issueCertificate', data: {} }, VOLUNTEER)),
      ),
    );
    const numbers = res.map((r) => (r.ok ? (r.data as { number: string }).number : 'failed'));
    expect(new Set(numbers).size).toBe(4);
    expect(await count(h, 'certificates')).toBe(4);
  });
});

describe('ledger sums', () => {
  it('the accounts equal the ledger sums after check-outs and grants', async () => {
    await approvedVolunteer(h, VOLUNTEER, ID_A);
    await serve(VOLUNTEER);
    const a = await serve(VOLUNTEER, 1);
    await h.call(WORKER, 'volunteer', 'grantHours', {
      activityId: a,
      openid: VOLUNTEER,
      hours: 2,
      reason: '额外服务时间',
    });
    const hours = await all<HourEntry>(h, 'service_hours', { openid: VOLUNTEER });
    const account = (
      await all<{ recordedHours: number; grantedHours: number; pointsBalance: number }>(h, 'service_accounts')
    )[0]!;
    expect(account.recordedHours).toBe(
      hours.filter((e) => e.kind === 'recorded').reduce((n, e) => n + e.hours, 0),
    );
    expect(account.grantedHours).toBe(2);
    const points = await all<{ points: number }>(h, 'points_ledger', { openid: VOLUNTEER });
    expect(account.pointsBalance).toBe(points.reduce((n, p) => n + p.points, 0));
    const totals = await all<{ period: string; hours: number }>(h, 'hour_totals', { openid: VOLUNTEER });
    expect(totals.find((t) => t.period === '2026-11')!.hours).toBe(5);
  });
});
