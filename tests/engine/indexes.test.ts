import type { CollectionReference } from '@cloudbase/database';
import * as ejson from '../../tools/runtime/engine/ejson';
import type { IndexSpec } from '../../cloudfunctions/core/indexes';
import { openTemp } from './helpers';

const INDEXES: IndexSpec[] = [
  {
    collection: 'signups',
    name: 'activity_openid',
    keys: [
      { field: 'activityId', direction: 1 },
      { field: 'openid', direction: 1 },
    ],
    unique: true,
  },
  { collection: 'signups', name: 'created', keys: [{ field: 'createdAt', direction: -1 }] },
  {
    collection: 'activities',
    name: 'community_start',
    keys: [
      { field: 'communityId', direction: 1 },
      { field: 'startAt', direction: 1 },
    ],
  },
];

const SIGNUPS = 100_000;

describe('indexes and query pushdown', () => {
  const local = openTemp({ indexes: INDEXES });
  const { db } = local;
  const _ = db.command;

  afterAll(() => local.cleanup());

  beforeAll(async () => {
    for (let start = 0; start < SIGNUPS; start += 5000) {
      const batch = Array.from({ length: 5000 }, (_v, k) => {
        const i = start + k;
        return {
          activityId: `a${i % 1000}`,
          openid: `u${i}`,
          createdAt: i,
          status: i % 3 === 0 ? 'waitlisted' : 'confirmed',
        };
      });
      await db.collection('signups').add(batch);
    }
    const activities = Array.from({ length: 10_000 }, (_v, i) => ({
      communityId: `c${i % 20}`,
      startAt: i,
      title: `t${i}`,
    }));
    await db.collection('activities').add(activities);
  }, 30_000);

  afterEach(() => jest.restoreAllMocks());

  it('creates SQLite expression indexes and uses them for equality, $in and numeric ranges', () => {
    expect(local.explain('signups', { activityId: 'a1', openid: 'u1' }).join()).toMatch(
      /USING INDEX ix_signups_activity_openid/,
    );
    expect(local.explain('signups', { activityId: { $in: ['a1', 'a2'] } }).join()).toMatch(
      /USING INDEX ix_signups_activity_openid/,
    );
    expect(local.explain('signups', { createdAt: { $gte: 10, $lt: 20 } }).join()).toMatch(
      /USING INDEX ix_signups_created/,
    );
    expect(local.explain('signups', { _id: 'x' }).join()).toMatch(/USING (INDEX|PRIMARY KEY|.*autoindex)/);
    expect(local.explain('signups', { status: 'confirmed' }).join()).toMatch(/^SCAN/);
  });

  it('a lookup by (activityId, openid) among 100k sign-ups decodes at most the matching row', async () => {
    const decode = jest.spyOn(ejson, 'decodeDoc');
    const started = performance.now();
    const { data } = await db.collection('signups').where({ activityId: 'a7', openid: 'u5007' }).get();
    const elapsed = performance.now() - started;
    expect(data).toEqual([expect.objectContaining({ activityId: 'a7', openid: 'u5007', createdAt: 5007 })]);
    expect(decode.mock.calls.length).toBeLessThanOrEqual(1); // fully pushed down: none
    expect(elapsed).toBeLessThan(50);
  });

  it('pushdown is only a prefilter: the full query still applies', async () => {
    const decode = jest.spyOn(ejson, 'decodeDoc');
    const { data } = await db
      .collection('signups')
      .where({ activityId: _.in(['a1', 'a2']), status: 'waitlisted', createdAt: _.lt(3000) })
      .orderBy('createdAt', 'asc')
      .get();
    expect(decode.mock.calls.length).toBeLessThanOrEqual(6); // 3 per activity below createdAt 3000
    expect(data.map((d: { openid: string }) => d.openid)).toEqual(['u1002', 'u2001']);
    expect(
      (await db.collection('signups').where({ activityId: 'a1', status: 'confirmed' }).count()).total,
    ).toBe(67);
  });

  it('lists a community among 10k activities quickly', async () => {
    const started = performance.now();
    const { data } = await db
      .collection('activities')
      .where({ communityId: 'c3', startAt: _.gte(5000) })
      .orderBy('startAt', 'asc')
      .limit(20)
      .get();
    expect(performance.now() - started).toBeLessThan(100);
    expect(data).toHaveLength(20);
    expect(data[0]).toMatchObject({ communityId: 'c3', startAt: 5003 });
  });

  it('unique indexes reject duplicates, also at transaction commit', async () => {
    await expect(db.collection('signups').add({ activityId: 'a1', openid: 'u1' })).rejects.toMatchObject({
      code: 'DATABASE_DUPLICATE_WRITE',
    });
    await expect(
      db.runTransaction(async (t: { collection(name: string): CollectionReference }) => {
        await t.collection('signups').add({ activityId: 'a1', openid: 'u1' });
      }),
    ).rejects.toMatchObject({ code: 'DATABASE_DUPLICATE_WRITE' });
    expect((await db.collection('signups').where({ activityId: 'a1', openid: 'u1' }).count()).total).toBe(1);
  });
});
