/**
 * Satisfaction (issue 15 item 2): 回访 of resolved, unrated grievances (24 h, 3 days, then closed
 * as 未评价 — counted apart, never satisfied), and residents' one rating of an activity they
 * attended, within 7 days.
 */
import { createHarness, DAY, HOUR, type Harness } from '../helpers/harness';
import type { Grievance } from '../../types/domain';

const RESIDENT = 'demo-resident';
const WORKER = 'demo-worker';
const XFL = 'community-xingfuli';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

async function stored(id: string): Promise<Grievance> {
  const { data } = await h.rt.runtime.db.collection('grievances').doc(id).get();
  return (data as Grievance[])[0] as Grievance;
}

async function resolvedGrievance(): Promise<string> {
  const g = await h.call(RESIDENT, 'grievance', 'submit', {
    communityId: XFL,
    category: 'sanitation',
    text: '小区三号楼楼道堆满纸箱杂物，已经很久没人清理，存在消防隐患',
  } as never);
  await h.call(WORKER, 'grievance', 'accept', { grievanceId: g._id });
  await h.call(WORKER, 'grievance', 'dispatch', {
    grievanceId: g._id,
    handler: { kind: 'worker', id: WORKER },
  });
  await h.call(WORKER, 'grievance', 'resolve', {
    grievanceId: g._id,
    result: '杂物已全部清运，楼道畅通',
    photos: [],
  });
  return g._id;
}

const followUps = (g: Grievance) =>
  g.timeline.filter((e) => e.action === 'followUp' || e.action === 'closeUnrated');

describe('回访 of unrated grievances', () => {
  it('messages after 24 h and 3 days, then closes as 未评价: counted apart, never satisfied', async () => {
    const id = await resolvedGrievance();
    const start = h.clock.now;
    h.clock.set(start + 23 * HOUR);
    await h.rt.tick();
    expect(followUps(await stored(id))).toHaveLength(0);
    h.clock.set(start + 25 * HOUR);
    await h.rt.tick();
    await h.rt.tick(); // a second run sends nothing again
    expect(followUps(await stored(id)).map((e) => e.action)).toEqual(['followUp']);
    h.clock.set(start + 3 * DAY + HOUR);
    await h.rt.tick();
    expect(followUps(await stored(id)).map((e) => e.action)).toEqual(['followUp', 'followUp']);
    const inbox = await h.call(RESIDENT, 'notify', 'list', {});
    expect(inbox.items.filter((m) => m.body.includes('回访'))).toHaveLength(2);
    h.clock.set(start + 7 * DAY + HOUR);
    await h.rt.tick();
    const closed = await stored(id);
    expect(followUps(closed).map((e) => e.action)).toEqual(['followUp', 'followUp', 'closeUnrated']);
    expect(closed.unratedAt).toBeDefined();
    expect(closed.rating).toBeUndefined();
    // Rating after the close is refused and changes nothing.
    expect(
      (await h.fail(RESIDENT, 'grievance', 'rate', { grievanceId: id, satisfaction: 'satisfied' })).message,
    ).toMatch('未评价结案');
    const stats = await h.call(WORKER, 'grievance', 'stats', {
      communityId: XFL,
      from: start - DAY,
      to: h.clock.now,
    });
    expect(stats).toMatchObject({ unrated: 1, rated: 0, satisfied: 0 });
    await h.rt.tick();
    expect(followUps(await stored(id))).toHaveLength(3);
  });

  it('a grievance rated before the 回访 gets none', async () => {
    const id = await resolvedGrievance();
    await h.call(RESIDENT, 'grievance', 'rate', { grievanceId: id, satisfaction: 'satisfied' });
    h.clock.advance(8 * DAY);
    await h.rt.tick();
    expect(followUps(await stored(id))).toHaveLength(0);
  });
});

describe('rating an activity', () => {
  async function attended(activityId: string, openid: string, checkedIn: boolean) {
    const db = h.rt.runtime.db;
    await db
      .collection('activities')
      .doc(activityId)
      .set({
        communityId: XFL,
        title: '社区义诊',
        type: 'volunteer',
        status: 'published',
        startAt: h.clock.now - 3 * HOUR,
        endAt: h.clock.now - HOUR,
        hostUnitIds: [],
      });
    await db
      .collection('signups')
      .doc(`${activityId}_${openid}`)
      .set({
        activityId,
        openid,
        status: 'confirmed',
        ...(checkedIn ? { checkInAt: h.clock.now - 3 * HOUR } : {}),
      });
  }

  it('once, by a checked-in participant, within 7 days of the end', async () => {
    await attended('act-rate', RESIDENT, true);
    const r = await h.call(RESIDENT, 'service', 'rateActivity', {
      activityId: 'act-rate',
      rating: { stars: 4, tags: ['热情'] },
    });
    expect(r).toMatchObject({ _id: `act-rate_${RESIDENT}`, stars: 4 });
    expect(
      (await h.fail(RESIDENT, 'service', 'rateActivity', { activityId: 'act-rate', rating: { stars: 1 } }))
        .message,
    ).toMatch('已经评价过了');
    const { data } = await h.rt.runtime.db.collection('activity_ratings').doc(`act-rate_${RESIDENT}`).get();
    expect((data as { stars: number }[])[0]!.stars).toBe(4);

    await attended('act-absent', 'someone-else', false);
    expect(
      (
        await h.fail('someone-else', 'service', 'rateActivity', {
          activityId: 'act-absent',
          rating: { stars: 5 },
        })
      ).code,
    ).toBe('FORBIDDEN');
    await attended('act-late', RESIDENT, true);
    h.clock.advance(8 * DAY);
    expect(
      (await h.fail(RESIDENT, 'service', 'rateActivity', { activityId: 'act-late', rating: { stars: 5 } }))
        .message,
    ).toMatch('7 天内');
    expect(
      (await h.fail(RESIDENT, 'service', 'rateActivity', { activityId: 'nope', rating: { stars: 5 } })).code,
    ).toBe('NOT_FOUND');
  });

  it('rating twice at the same time: exactly one', async () => {
    await attended('act-race', RESIDENT, true);
    const results = await h.interleaved(() =>
      Promise.all(
        [1, 2, 3].map((stars) =>
          h.raw(RESIDENT, 'service', {
            action: 'rateActivity',
            data: { activityId: 'act-race', rating: { stars } },
          }),
        ),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });
});
