import sharp from 'sharp';
import { createHarness, DAY, HOUR, type Harness } from '../helpers/harness';
import type { ServiceDetail, ServiceRequest } from '../../types/service';
import type { ServiceAccount } from '../../types/volunteer';
import { rolesPatch } from '../../cloudfunctions/domain/roles';

const RESIDENT = 'demo-resident';
const VOLUNTEER = 'demo-volunteer'; // volunteer of community-xingfuli
const MEMBER = 'demo-member'; // member of community-xingfuli
const WORKER = 'demo-worker';
const XFL = 'community-xingfuli';
const TEXT = '家里老人腿脚不便，想请人帮忙去超市买米和油送上楼';
const PLACE = { area: '幸福里小区 3 栋', address: '幸福里 3 栋 2 单元 501 室', lat: 28.19, lng: 112.98 };

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

const post = (over: Record<string, unknown> = {}, by = RESIDENT) =>
  h.call(by, 'service', 'submit', {
    communityId: XFL,
    category: 'errands',
    text: TEXT,
    startAt: h.clock.now + DAY,
    durationHours: 2,
    place: PLACE,
    phone: '13812345678',
    ...over,
  } as never) as Promise<ServiceDetail>;

async function stored(id: string): Promise<ServiceRequest> {
  const { data } = await h.rt.runtime.db.collection('service_requests').doc(id).get();
  return (data as ServiceRequest[])[0] as ServiceRequest;
}
const account = async (openid: string) =>
  ((await h.rt.runtime.db.collection('service_accounts').doc(openid).get()).data as ServiceAccount[])[0];
async function volunteerAccount(openid: string, communityId = XFL) {
  await h.rt.runtime.db
    .collection('users')
    .doc(openid)
    .set({
      openid,
      nickName: `志愿者${openid.slice(-2)}`,
      ...rolesPatch([{ role: 'resident' }, { role: 'volunteer', communityId }]),
      createdAt: h.clock.now,
      updatedAt: h.clock.now,
    });
}

describe('the whole flow', () => {
  it('post → approve → take → done → confirm and rate; hours once in the ledgers; a timeline of every step', async () => {
    const r = await post();
    expect(r).toMatchObject({
      stage: 'pending',
      viewer: 'owner',
      phoneMasked: '138****5678',
      address: PLACE.address,
    });
    expect(JSON.stringify(await stored(r._id))).not.toContain('13812345678');
    // Not published yet: a volunteer cannot see it.
    expect((await h.fail(VOLUNTEER, 'service', 'detail', { requestId: r._id })).code).toBe('FORBIDDEN');
    await h.call(WORKER, 'service', 'approve', { requestId: r._id });
    // The hall shows the area and the distance, never the address or the phone.
    const hall = await h.call(VOLUNTEER, 'service', 'nearby', {
      communityId: XFL,
      from: { lat: 28.1905, lng: 112.98 },
    });
    expect(hall.items.map((i) => i._id)).toEqual([r._id]);
    expect(hall.items[0]).toMatchObject({ area: PLACE.area, distanceM: 100 });
    const seen = await h.call(VOLUNTEER, 'service', 'detail', { requestId: r._id });
    expect(seen.viewer).toBe('public');
    expect(JSON.stringify(seen)).not.toContain('501 室'); // the exact address (a random id may hold the digits)
    expect(seen.phoneMasked).toBeUndefined();
    expect(seen.can.take).toBe(true);
    const before = (await account(VOLUNTEER))?.recordedHours ?? 0;
    const taken = await h.call(VOLUNTEER, 'service', 'take', { requestId: r._id });
    expect(taken).toMatchObject({
      stage: 'taken',
      viewer: 'taker',
      address: PLACE.address,
      phoneMasked: '138****5678',
    });
    h.clock.advance(DAY + HOUR);
    await h.call(VOLUNTEER, 'service', 'complete', { requestId: r._id, note: '米和油已送到家', hours: 3 });
    const done = await h.call(RESIDENT, 'service', 'confirm', {
      requestId: r._id,
      rating: { stars: 5, tags: ['准时', '热情'], comment: '谢谢小张' },
    });
    expect(done).toMatchObject({ stage: 'rated', rating: { stars: 5 } });
    expect(done.takers[0]).toMatchObject({ hoursRecorded: 2 }); // capped at the planned 2 h
    expect(done.timeline.map((e) => e.action)).toEqual(['submit', 'approve', 'take', 'complete', 'confirm']);
    expect((await account(VOLUNTEER))!.recordedHours).toBe(before + 2);
    // Rating again, confirming again: refused, nothing changes.
    expect(
      (await h.fail(RESIDENT, 'service', 'rate', { requestId: r._id, rating: { stars: 1 } })).message,
    ).toMatch('已经评价过了');
    expect((await h.fail(RESIDENT, 'service', 'confirm', { requestId: r._id })).code).toBe('CONFLICT');
    // A worker recording hours again for the same volunteer is refused.
    expect(
      (await h.fail(WORKER, 'service', 'recordHours', { requestId: r._id, takerId: VOLUNTEER, hours: 2 }))
        .code,
    ).toBe('CONFLICT');
    expect((await account(VOLUNTEER))!.recordedHours).toBe(before + 2);
    const entries = await h.rt.runtime.db
      .collection('service_hours')
      .where({ openid: VOLUNTEER, activityId: `service:${r._id}` })
      .get();
    expect(entries.data).toHaveLength(1);
    // The public board counts it: posted, met and rated once, with its stars.
    const board = await h.call(RESIDENT, 'board', 'view', { communityId: XFL });
    expect(board.service).toEqual({ available: true, posted: 1, met: 1, rated: 1, avgRating: 5 });
    // A message at each step reached the requester.
    const inbox = await h.call(RESIDENT, 'notify', 'list', {});
    expect(inbox.items.filter((m) => m.kind === 'serviceStatus').length).toBeGreaterThanOrEqual(3);
  });

  it('trusted categories publish at once; a member taker counts in the yearly counter', async () => {
    await h.call(WORKER, 'service', 'settings', { communityId: XFL, trustedCategories: ['errands'] });
    const r = await post();
    expect(r.stage).toBe('open');
    await h.call(MEMBER, 'service', 'take', { requestId: r._id });
    await h.call(MEMBER, 'service', 'complete', { requestId: r._id, note: '已帮忙办好', hours: 1 });
    await h.call(RESIDENT, 'service', 'confirm', { requestId: r._id });
    const { data } = await h.rt.runtime.db.collection('counters').doc(`svc-member-${MEMBER}-2026`).get();
    expect((data as { count: number }[])[0]).toMatchObject({ count: 1 });
    const record = await h.call(MEMBER, 'alliance', 'memberRecord', {});
    expect(record.serviceRequests).toBe(1);
    // A unit's staff take for their unit: the unit's record counts it.
    const u = await post();
    await h.call('demo-unit', 'service', 'take', { requestId: u._id, asUnit: true });
    await h.call('demo-unit', 'service', 'complete', {
      requestId: u._id,
      note: '医院志愿队已上门',
      hours: 1,
    });
    await h.call(RESIDENT, 'service', 'confirm', { requestId: u._id });
    const unitRecord = await h.call('demo-unit', 'alliance', 'unitRecord', { unitId: 'unit-hospital' });
    expect(unitRecord.serviceRequests).toBe(1);
  });

  it('closes as 已完成(未确认) after 3 days through the timer; reminds an overdue review once', async () => {
    const r = await post();
    h.clock.advance(25 * HOUR);
    await h.rt.tick();
    expect((await stored(r._id)).timeline.map((e) => e.action)).toEqual(['submit', 'remindOverdue']);
    await h.rt.tick();
    expect((await stored(r._id)).timeline).toHaveLength(2);
    await h.call(WORKER, 'service', 'approve', { requestId: r._id });
    await h.call(VOLUNTEER, 'service', 'take', { requestId: r._id });
    await h.call(VOLUNTEER, 'service', 'complete', { requestId: r._id, note: '已完成服务', hours: 1 });
    h.clock.advance(3 * DAY + HOUR);
    await h.rt.tick();
    expect((await stored(r._id)).stage).toBe('unconfirmed');
  });
});

describe('bad input changes nothing', () => {
  it('oversized text, photos not owned, foreign ids, taking your own request', async () => {
    expect(
      (
        await h.fail(RESIDENT, 'service', 'submit', {
          communityId: XFL,
          category: 'errands',
          text: '长'.repeat(501),
          startAt: h.clock.now + DAY,
          place: PLACE,
        })
      ).code,
    ).toBe('INVALID_INPUT');
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#c00' } })
      .png()
      .toBuffer();
    const { fileId } = await h.rt.files.save(png, VOLUNTEER);
    expect(
      (
        await h.fail(RESIDENT, 'service', 'submit', {
          communityId: XFL,
          category: 'errands',
          text: TEXT,
          photos: [fileId],
          startAt: h.clock.now + DAY,
          place: PLACE,
        })
      ).message,
    ).toMatch('图片无效');
    expect(
      (
        await h.fail(RESIDENT, 'service', 'submit', {
          communityId: 'nope',
          category: 'errands',
          text: TEXT,
          startAt: h.clock.now + DAY,
          place: PLACE,
        })
      ).code,
    ).toBe('NOT_FOUND');
    const { total } = (await h.rt.runtime.db.collection('service_requests').count()) as { total: number };
    expect(total).toBe(0);
    expect((await h.fail(VOLUNTEER, 'service', 'take', { requestId: 'nope' })).code).toBe('NOT_FOUND');
    await h.call(WORKER, 'service', 'settings', { communityId: XFL, trustedCategories: ['errands'] });
    const own = await post({}, VOLUNTEER);
    expect((await h.fail(VOLUNTEER, 'service', 'take', { requestId: own._id })).message).toMatch(
      '不能接自己发布的需求',
    );
    expect((await h.fail(RESIDENT, 'service', 'take', { requestId: own._id })).code).toBe('FORBIDDEN');
    expect((await stored(own._id)).taken).toBe(0);
  });
});

describe('photos on 点单 and 完成', () => {
  const png = (background: string) =>
    sharp({ create: { width: 8, height: 8, channels: 3, background } })
      .png()
      .toBuffer();
  const upload = async (openid: string, n: number) =>
    Promise.all(
      Array.from(
        { length: n },
        async (_, i) => (await h.rt.files.save(await png(`#${i}${i}0000`), openid)).fileId,
      ),
    );

  it('up to 9 of the poster’s own photos; the taker’s own on done; shown to the right people', async () => {
    await h.call(WORKER, 'service', 'settings', { communityId: XFL, trustedCategories: ['errands'] });
    const mine = await upload(RESIDENT, 10);
    // Ten photos: refused by the schema, nothing written.
    const ten = await h.fail(RESIDENT, 'service', 'submit', {
      communityId: XFL,
      category: 'errands',
      text: TEXT,
      photos: mine,
      startAt: h.clock.now + DAY,
      place: PLACE,
    });
    expect(ten).toMatchObject({ code: 'INVALID_INPUT', message: '最多上传 9 张图片' });
    expect(((await h.rt.runtime.db.collection('service_requests').count()) as { total: number }).total).toBe(
      0,
    );

    const r = await post({ photos: mine.slice(0, 9) });
    expect((await stored(r._id)).photos).toEqual(mine.slice(0, 9));
    expect(r.photoUrls).toHaveLength(9);
    await h.call(VOLUNTEER, 'service', 'take', { requestId: r._id });

    // The taker's done photos must be the taker's own uploads: the resident's are refused.
    const before = await stored(r._id);
    const foreign = await h.fail(VOLUNTEER, 'service', 'complete', {
      requestId: r._id,
      note: '已送到家',
      hours: 1,
      photos: [mine[0]!],
    });
    expect(foreign).toMatchObject({ code: 'INVALID_INPUT', message: '图片无效或不是你上传的，请重新上传' });
    const tenDone = await h.fail(VOLUNTEER, 'service', 'complete', {
      requestId: r._id,
      note: '已送到家',
      hours: 1,
      photos: await upload(VOLUNTEER, 10),
    });
    expect(tenDone.code).toBe('INVALID_INPUT');
    expect(await stored(r._id)).toEqual(before);

    const done = await upload(VOLUNTEER, 2);
    const completed = await h.call(VOLUNTEER, 'service', 'complete', {
      requestId: r._id,
      note: '已送到家',
      hours: 1,
      photos: done,
    });
    expect(completed.result?.photoUrls).toHaveLength(2);
    expect((await stored(r._id)).result?.photos).toEqual(done);
    // The poster sees the result photos; someone else sees neither the result nor its photos.
    const seen = await h.call(RESIDENT, 'service', 'detail', { requestId: r._id });
    expect(seen.result?.photoUrls).toEqual(completed.result?.photoUrls);
    const other = await h.call(MEMBER, 'service', 'detail', { requestId: r._id });
    expect(other.result).toBeUndefined();
    expect(other.photoUrls).toHaveLength(9);
  });
});

describe('races (interleaved)', () => {
  it('one taker per request; N takers at most; double confirm records hours once', async () => {
    await h.call(WORKER, 'service', 'settings', { communityId: XFL, trustedCategories: ['errands'] });
    const vols = Array.from({ length: 6 }, (_, i) => `race-vol-${i}`);
    await Promise.all(vols.map((v) => volunteerAccount(v)));
    const one = await post();
    const three = await post({ slots: 3 });
    const [a, b] = await h.interleaved(() =>
      Promise.all([
        Promise.all(vols.map((v) => h.raw(v, 'service', { action: 'take', data: { requestId: one._id } }))),
        Promise.all(vols.map((v) => h.raw(v, 'service', { action: 'take', data: { requestId: three._id } }))),
      ]),
    );
    expect(a.filter((x) => x.ok)).toHaveLength(1);
    expect(b.filter((x) => x.ok)).toHaveLength(3);
    expect(await stored(one._id)).toMatchObject({ taken: 1, stage: 'taken' });
    expect((await stored(three._id)).takers).toHaveLength(3);
    const takerId = (await stored(one._id)).takers[0]!.id;
    await h.call(takerId, 'service', 'complete', { requestId: one._id, note: '已完成服务', hours: 1 });
    const confirms = await h.interleaved(() =>
      Promise.all(
        [1, 2, 3].map(() => h.raw(RESIDENT, 'service', { action: 'confirm', data: { requestId: one._id } })),
      ),
    );
    expect(confirms.filter((x) => x.ok)).toHaveLength(1);
    expect((await account(takerId))!.recordedHours).toBe(1);
  });
});

describe('budgets', () => {
  it('post, take, done, confirm and the hall within 4 sequential database requests', async () => {
    await h.call(WORKER, 'service', 'settings', { communityId: XFL, trustedCategories: ['errands'] });
    const depth = async (openid: string, action: string, data: unknown) => {
      await h.call(openid, 'user', 'me', {});
      const m = await h.rt.metered('service', { action, data }, openid);
      expect((m.result as { ok: boolean }).ok).toBe(true);
      return { action, depth: m.depth, result: (m.result as { data: ServiceDetail }).data };
    };
    await post(); // warm-up
    const p = await depth(RESIDENT, 'submit', {
      communityId: XFL,
      category: 'errands',
      text: TEXT,
      startAt: h.clock.now + DAY,
      place: PLACE,
    });
    const id = p.result._id;
    const rows = [
      p,
      await depth(VOLUNTEER, 'nearby', { communityId: XFL, from: { lat: 28.19, lng: 112.98 } }),
      await depth(VOLUNTEER, 'take', { requestId: id }),
      await depth(VOLUNTEER, 'complete', { requestId: id, note: '已完成服务', hours: 1 }),
      await depth(RESIDENT, 'confirm', { requestId: id, rating: { stars: 4 } }),
    ];
    expect(rows.map((r) => [r.action, Math.min(r.depth, 4)])).toEqual(rows.map((r) => [r.action, r.depth]));
  });
});
