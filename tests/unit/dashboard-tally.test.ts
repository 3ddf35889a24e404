import {
  bucketWrite,
  dashboardWrites,
  DASHBOARD_SHARDS,
  hoursBySource,
  hoursDelta,
  monthKey,
  periodBounds,
  periodMonths,
  pointsDelta,
  shardOf,
  signUpCountersOf,
  sumByMonth,
  withSignUps,
} from '../../cloudfunctions/domain/dashboard-tally';

describe('dashboard tally rules', () => {
  it('months are Asia/Shanghai', () => {
    expect(monthKey(Date.UTC(2026, 9, 31, 16, 30))).toBe('202611'); // 00:30 on 1 Nov in Shanghai
    expect(monthKey(Date.UTC(2026, 9, 31, 15, 59))).toBe('202610');
  });
  it("confirmed sign-ups are the activities' own counts, by month of start and type", () => {
    const nov = Date.UTC(2026, 10, 10);
    const dec = Date.UTC(2026, 10, 30, 16, 30); // 00:30 on 1 Dec in Shanghai
    const c = signUpCountersOf([
      { type: 'meeting', startAt: nov, confirmedCount: 3 },
      { type: 'meeting', startAt: nov, confirmedCount: 2 },
      { type: 'volunteer', startAt: nov, confirmedCount: 0 },
      { type: 'volunteer', startAt: dec, confirmedCount: 4 },
    ]);
    expect(Object.fromEntries(c)).toEqual({ '202611': { su_meeting: 5 }, '202612': { su_volunteer: 4 } });
    // Counter buckets may still hold old su_ fields: only the activities' counts are used.
    const merged = withSignUps(
      new Map<string, Record<string, number>>([
        ['202611', { su_meeting: 99, at_meeting: 4 }],
        ['202610', { su_party: 7, hr_recorded: 100 }],
      ]),
      c,
    );
    expect(Object.fromEntries(merged)).toEqual({
      '202611': { su_meeting: 5, at_meeting: 4 },
      '202610': { hr_recorded: 100 },
      '202612': { su_volunteer: 4 },
    });
  });
  it('points by category: a cancelled redemption is a refund', () => {
    expect(pointsDelta({ kind: 'earned', points: 4 })).toEqual({ pi_earned: 4 });
    expect(pointsDelta({ kind: 'redeemed', points: -30 })).toEqual({ po_redeemed: 30 });
    expect(pointsDelta({ kind: 'adjusted', points: 30, ref: { type: 'redemption', id: 'r' } })).toEqual({
      pi_refund: 30,
    });
  });
  it('shards are stable and spread', () => {
    const shards = new Set(Array.from({ length: 2000 }, (_, i) => shardOf(`u-${i}`)));
    expect(shards.size).toBe(DASHBOARD_SHARDS);
    expect(shardOf('abc')).toBe(shardOf('abc'));
  });
  it('an existing bucket is incremented, a new one set whole; zero changes write nothing', () => {
    expect(bucketWrite('c:1:202611:3', {}, { su_meeting: 1, at_meeting: 0 })).toEqual({
      kind: 'inc',
      id: 'c:1:202611:3',
      fields: { su_meeting: 1 },
    });
    expect(bucketWrite('c:1:202611:3', undefined, { su_meeting: 1 })).toEqual({
      kind: 'set',
      id: 'c:1:202611:3',
      doc: { communityId: 'c:1', month: '202611', shard: 3, su_meeting: 1 },
    });
    expect(bucketWrite('x:202611:0', {}, { su_meeting: 0 })).toBeUndefined();
  });
  it('periods: months and bounds', () => {
    expect(periodMonths('quarter', 2026, 4)).toEqual(['202610', '202611', '202612']);
    expect(periodMonths('year', 2026, 1)).toHaveLength(12);
    const b = periodBounds('month', 2026, 11);
    expect(b.from).toBe(Date.UTC(2026, 9, 31, 16));
    expect(b.to).toBe(Date.UTC(2026, 10, 30, 16));
  });
  it('bulk writes equal the sums, active volunteers counted once per month', () => {
    const at = Date.UTC(2026, 10, 10);
    const w = dashboardWrites({
      signUps: [
        { communityId: 'c', openid: 'a', type: 'meeting', startAt: at, status: 'confirmed', checkInAt: at },
        { communityId: 'c', openid: 'b', type: 'meeting', startAt: at, status: 'waitlisted' },
      ],
      hours: [
        { communityId: 'c', openid: 'a', kind: 'recorded', category: 'meeting', hours: 1.25, at },
        { communityId: 'c', openid: 'a', kind: 'granted', category: 'granted', hours: 0.5, at },
        { communityId: 'c', openid: 'b', kind: 'recorded', hours: 2, at },
      ],
    });
    const sums = sumByMonth(w.filter((x) => x.collection === 'dashboard_stats').map((x) => x.doc)).get(
      '202611',
    )!;
    expect(sums).toEqual({
      at_meeting: 1,
      hr_recorded: 325,
      hr_granted: 50,
      hc_meeting: 125,
      hc_granted: 50,
      hc_other: 200,
      av: 2,
    });
    expect(w.filter((x) => x.collection === 'dashboard_marks')).toHaveLength(2);
  });
  it('hours by source: the category of the entry, `other` without one, adding up to the total', () => {
    expect(hoursDelta('recorded', 2.5, 'partyDay')).toEqual({ hr_recorded: 250, hc_partyDay: 250 });
    expect(hoursDelta('recorded', 1, 'service')).toEqual({ hr_recorded: 100, hc_service: 100 });
    expect(hoursDelta('granted', 0.75, 'granted')).toEqual({ hr_granted: 75, hc_granted: 75 });
    // An entry without a category is never guessed into a source.
    expect(hoursDelta('recorded', 1.5)).toEqual({ hr_recorded: 150, hc_other: 150 });
    expect(
      hoursBySource({
        hr_recorded: 600,
        hr_granted: 75,
        hc_volunteer: 200,
        hc_service: 100,
        hc_granted: 75,
        hc_other: 50,
      }),
    ).toEqual({
      volunteer: 200,
      partyDay: 0,
      alliance: 0,
      meeting: 0,
      service: 100,
      granted: 75,
      // hc_other (50) and 250 hours of counters written before hc_ fields existed.
      other: 300,
    });
    expect(hoursBySource({})).toEqual({
      volunteer: 0,
      partyDay: 0,
      alliance: 0,
      meeting: 0,
      service: 0,
      granted: 0,
      other: 0,
    });
  });
});
