/**
 * Alliance edits under real interleaving (h.interleaved): a unit's community list is changed in a
 * transaction by what each caller adds or drops, so a worker saving the unit's form never undoes
 * the admin's concurrent change (a read-modify-write outside a transaction lost it).
 */
import { createHarness, type Harness } from '../helpers/harness';
import type { AllianceUnit } from '../../types/domain';
import { ADMIN, HP, WORKER, XFL } from './volunteer-fixtures';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

it('a worker saving the unit while the admin adds or drops a community keeps both changes', async () => {
  const u = await h.call(WORKER, 'alliance', 'registerUnit', {
    name: '区供电公司',
    type: '企事业',
    address: '电力路 1 号',
    partyOrg: '区供电公司党委',
    contact: '0734-8000000',
    communityIds: [XFL],
  });
  let withHp = false;
  // The worker's save starts a little later each round, so that its read and write fall on
  // either side of the admin's write in some round.
  for (let round = 1; round <= 6; round++) {
    const seen = (await h.call(WORKER, 'alliance', 'listUnits', { communityId: XFL })).units.find(
      (x) => x._id === u._id,
    )!;
    withHp = !withHp;
    const contact = `0734-800000${round}`;
    const [admin, worker] = await h.interleaved(() =>
      Promise.all([
        h.raw(ADMIN, 'alliance', {
          action: 'updateUnit',
          data: { unitId: u._id, patch: { communityIds: withHp ? [XFL, HP] : [XFL] } },
        }),
        // The worker's form sends back the list it showed, with a new contact.
        new Promise((resolve) => setTimeout(resolve, (round - 1) * 3)).then(() =>
          h.raw(WORKER, 'alliance', {
            action: 'updateUnit',
            data: { unitId: u._id, patch: { contact, communityIds: seen.communityIds } },
          }),
        ),
      ]),
    );
    expect(admin.ok).toBe(true);
    expect(worker.ok).toBe(true);
    const { data } = await h.rt.runtime.db.collection('units').doc(u._id).get();
    const stored = (data as AllianceUnit[])[0]!;
    expect({ round, communityIds: [...stored.communityIds].sort(), contact: stored.contact }).toEqual({
      round,
      communityIds: withHp ? [HP, XFL].sort() : [XFL],
      contact,
    });
  }
});

it('concurrent requests for one resource by one community: exactly one is pending; answering frees it', async () => {
  const venue = await h.call('demo-unit', 'alliance', 'offerResource', {
    kind: 'venue',
    title: '医院报告厅',
    description: '可用于健康讲座',
    capacity: '可容纳 120 人',
    availability: '周末 9:00–17:00',
  });
  const ask = (note: string) =>
    h.raw(WORKER, 'alliance', {
      action: 'requestResource',
      data: { resourceId: venue._id, communityId: XFL, note },
    });
  const results = await h.interleaved(() => Promise.all([1, 2, 3, 4, 5].map((n) => ask(`第 ${n} 次申请`))));
  expect(results.filter((r) => r.ok)).toHaveLength(1);
  for (const r of results.filter((x) => !x.ok)) {
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: '本社区对该资源已有待答复的申请' },
    });
  }
  const pending = async () =>
    (
      (await h.rt.runtime.db
        .collection('resource_requests')
        .where({ resourceId: venue._id, status: 'pending' })
        .get()) as { data: { _id: string }[] }
    ).data;
  const [first] = await pending();
  expect(first).toBeDefined();
  await h.call('demo-unit', 'alliance', 'answerResourceRequest', { requestId: first!._id, accept: false });
  const again = await ask('再次申请');
  expect(again.ok).toBe(true);
  expect(await pending()).toHaveLength(1);
});
