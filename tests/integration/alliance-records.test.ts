/**
 * A unit's annual record counts its co-hosted activities of the year with an indexed count (not
 * by loading every activity the unit ever hosted): cancelled ones, other years and other units'
 * activities do not count.
 */
import { createHarness, HOUR, type Harness } from '../helpers/harness';
import { WORKER, XFL } from './volunteer-fixtures';

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
