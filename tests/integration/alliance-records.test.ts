/**
 * A unit's annual record counts its co-hosted activities of the year with an indexed count (not
 * by loading every activity the unit ever hosted): cancelled ones, other years and other units'
 * activities do not count.
 */
import { createHarness, HOUR, type Harness } from '../helpers/harness';
import { RESIDENT, WORKER, XFL } from './volunteer-fixtures';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

it('unitRecord counts this year’s co-hosted activities that were not cancelled', async () => {
  const record = () => h.call(WORKER, 'alliance', 'unitRecord', { unitId: 'unit-hospital' });
  const before = (await record()).activitiesCoHosted;
  const now = h.clock.now;
  const lastYear = Date.UTC(2025, 5, 1);
  const docs = [
    { _id: 'rec-a', hostUnitIds: ['unit-hospital'], startAt: now - 48 * HOUR, status: 'published' },
    {
      _id: 'rec-b',
      hostUnitIds: ['unit-school', 'unit-hospital'],
      startAt: now + 48 * HOUR,
      status: 'published',
    },
    { _id: 'rec-c', hostUnitIds: ['unit-hospital'], startAt: now - 24 * HOUR, status: 'cancelled' },
    { _id: 'rec-d', hostUnitIds: ['unit-hospital'], startAt: lastYear, status: 'published' },
    { _id: 'rec-e', hostUnitIds: ['unit-school'], startAt: now, status: 'published' },
  ].map((d) => ({ ...d, communityId: XFL, title: d._id, endAt: d.startAt + 2 * HOUR, hours: 2 }));
  await h.rt.runtime.db.collection('activities').add(docs);
  const after = await record();
  expect(after.activitiesCoHosted - before).toBe(2);
  const ranked = await h.call(WORKER, 'alliance', 'rankUnits', { communityId: XFL });
  expect(ranked.items.find((r) => r.unitId === 'unit-hospital')?.activitiesCoHosted).toBe(
    after.activitiesCoHosted,
  );
});

it('listProjects by phase pages in the database and agrees with each project’s phase', async () => {
  const publish = (title: string, deadline: number, maxClaims = 1) =>
    h.call(WORKER, 'alliance', 'publishProject', {
      communityId: XFL,
      title,
      goal: '规模测试项目',
      tasks: ['任务'],
      wanted: '志愿者',
      deadline,
      maxClaims,
    } as never);
  const full = await publish('满员项目', h.clock.now + 10 * 24 * HOUR);
  await h.call('demo-unit', 'alliance', 'claimProject', {
    projectId: full._id,
    plan: '我院派两名电工完成。',
  });
  await publish('认领中项目', h.clock.now + 10 * 24 * HOUR, 3);
  await publish('即将截止项目', h.clock.now + HOUR, 3);
  h.clock.advance(2 * HOUR); // the last one is now closed
  const everything = await h.call(RESIDENT, 'alliance', 'listProjects', {
    communityId: XFL,
    pageSize: 50,
  });
  for (const phase of ['claiming', 'full', 'closed', 'completed'] as const) {
    const expected = everything.items.filter((p) => p.phase === phase).map((p) => p._id);
    // Page by one to check the cursors too.
    const got: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await h.call(RESIDENT, 'alliance', 'listProjects', {
        communityId: XFL,
        phase,
        pageSize: 1,
        ...(cursor ? { cursor } : {}),
      });
      expect(page.total).toBe(expected.length);
      got.push(...page.items.map((p) => p._id));
      cursor = page.nextCursor;
    } while (cursor);
    expect({ phase, got }).toEqual({ phase, got: expected });
  }
  expect(everything.items.map((p) => p.title)).toEqual(
    expect.arrayContaining(['满员项目', '认领中项目', '即将截止项目']),
  );
  expect(everything.items.find((p) => p._id === full._id)?.phase).toBe('full');
});
