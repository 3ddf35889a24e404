/**
 * 阵地 booking messages (cloudfunctions/sites through the outbox): the site's managers hear of a
 * booking that awaits approval and of the booker's own cancellation; the booker hears when a
 * manager approves, turns it down or cancels it. Each message exactly once (message centre always,
 * WeChat only with quota, sent by the timer); refused actions send nothing. (The reminder before the
 * slot: site-booking-reminders.test.ts.)
 * The harness clock starts on 2026-11-21 (周六) 10:00 Asia/Shanghai.
 */
import { createHarness, type Harness } from '../helpers/harness';
import type { StoredMessage } from '../../cloudfunctions/core/notify/dispatcher';
import { withinLimits } from '../../cloudfunctions/domain/template-values';
import type { WeeklyHours } from '../../types/sites';
import { OTHER_WORKER, RESIDENT, UNIT, WORKER, XFL } from './volunteer-fixtures';
import { rolesPatch } from '../../cloudfunctions/domain/roles';

const ALL_DAY: WeeklyHours = Array.from({ length: 7 }, () => [{ open: '08:30', close: '20:00' }]);
const MONDAY = '2026-11-23';
const SECOND_WORKER = 'worker-xfl-2';

let h: Harness;
let siteId: string;

beforeEach(async () => {
  h = await createHarness();
  // A second worker of 幸福里: both managers get the approval request.
  await h.rt.runtime.db
    .collection('users')
    .doc(SECOND_WORKER)
    .set({
      openid: SECOND_WORKER,
      nickName: '王干事',
      ...rolesPatch([{ role: 'resident' }, { role: 'worker', communityId: XFL }]),
      createdAt: h.clock.now,
      updatedAt: h.clock.now,
    });
  const site = await h.call(WORKER, 'sites', 'saveSite', {
    communityId: XFL,
    fromSiteId: 'site-xfl-center',
    hours: ALL_DAY,
    capacity: 30,
    approval: true,
    maxHours: 3,
  });
  siteId = site._id;
});
afterEach(() => h.close());

async function messages(kind?: string): Promise<StoredMessage[]> {
  const { data } = await h.rt.runtime.db
    .collection('messages')
    .where(kind ? { kind } : {})
    .limit(1000)
    .get();
  return data as StoredMessage[];
}
const outboxCount = async () =>
  ((await h.rt.runtime.db.collection('outbox').count()) as { total: number }).total;

const book = (openid: string, start: string, end: string, extra: Record<string, unknown> = {}) =>
  h.call(openid, 'sites', 'book', {
    siteId,
    date: MONDAY,
    start,
    end,
    people: 8,
    purpose: '楼栋议事会',
    ...extra,
  });

/** Subscribe as the app does for a scene: every offered template accepted once. */
async function subscribe(openid: string, scene: 'siteBooking' | 'siteManage') {
  const { templates } = await h.call(openid, 'notify', 'templates', { scene });
  const results = Object.fromEntries(templates.map((t) => [t.templateId, 'accept' as const]));
  await h.call(openid, 'notify', 'subscribe', { scene, results });
  return templates.map((t) => t.kind);
}

describe('the scenes', () => {
  it('the booking page asks for bookingStatus and bookingReminder, the manager for bookingTask', async () => {
    expect(await subscribe(RESIDENT, 'siteBooking')).toEqual(['bookingStatus', 'bookingReminder']);
    expect(await subscribe(WORKER, 'siteManage')).toEqual(['bookingTask']);
  });
});

describe('a new booking that awaits approval', () => {
  it('tells every manager of the site once (message centre; WeChat with quota), not the booker', async () => {
    await subscribe(WORKER, 'siteManage');
    const b = await book(RESIDENT, '09:00', '10:30');
    expect(b.status).toBe('pending');
    const tasks = await messages('bookingTask');
    expect(tasks.map((m) => m.openid).sort()).toEqual([WORKER, SECOND_WORKER].sort());
    expect(tasks[0]).toMatchObject({
      title: '有新的阵地预约待审核',
      page: 'packages/sites/manage',
    });
    expect(tasks[0]!.body).toContain('幸福里党群服务中心');
    expect(tasks[0]!.body).toContain('11月23日 09:00–10:30');
    expect(tasks[0]!.body).toContain('楼栋议事会');
    expect(await messages('bookingStatus')).toEqual([]);

    // The timer sends the WeChat message to the worker who subscribed, once; the other has no quota.
    await h.rt.tick();
    await h.rt.tick();
    const sent = await h.rt.sink.records();
    expect(sent.map((r) => [r.touser, r.kind])).toEqual([[WORKER, 'bookingTask']]);
    expect(withinLimits(sent[0]!.data)).toBe(true);
    expect(sent[0]!.data.phrase3?.value).toBe('待审核');
  });

  it('a booking that needs no approval tells nobody; a manager booking their own room is not told', async () => {
    await book(WORKER, '09:00', '10:00');
    expect((await messages('bookingTask')).map((m) => m.openid)).toEqual([SECOND_WORKER]);
    await h.call(WORKER, 'sites', 'saveSite', {
      siteId,
      communityId: XFL,
      hours: ALL_DAY,
      capacity: 30,
      approval: false,
      maxHours: 3,
    });
    const before = await outboxCount();
    expect((await book(RESIDENT, '14:00', '15:00')).status).toBe('confirmed');
    expect(await outboxCount()).toBe(before);
  });

  it('a unit venue tells the unit’s staff, not the community’s workers', async () => {
    const venue = await h.call(UNIT, 'alliance', 'offerResource', {
      kind: 'venue',
      title: '医院报告厅',
      description: '可用于健康讲座',
      capacity: '可容纳 120 人',
      availability: '周末 9:00–17:00',
    });
    const site = await h.call(UNIT, 'sites', 'openVenue', {
      resourceId: venue._id,
      address: '健康路 1 号',
      lat: 28.19,
      lng: 112.98,
      hours: ALL_DAY,
      capacity: 120,
      facilities: [],
      approval: true,
      maxHours: 4,
    });
    await h.call(RESIDENT, 'sites', 'book', {
      siteId: site._id,
      date: MONDAY,
      start: '09:00',
      end: '10:00',
      people: 30,
      purpose: '健康讲座',
    });
    expect((await messages('bookingTask')).map((m) => m.openid)).toEqual([UNIT]);
  });

  it('a refused booking (taken slot, outside hours) writes no message', async () => {
    await book(RESIDENT, '09:00', '10:00');
    const before = await outboxCount();
    const all = (await messages()).length;
    expect(
      (
        await h.fail('someone-else', 'sites', 'book', {
          siteId,
          date: MONDAY,
          start: '09:30',
          end: '10:30',
          people: 2,
          purpose: '读书会',
        })
      ).code,
    ).toBe('CONFLICT');
    expect(
      (
        await h.fail('someone-else', 'sites', 'book', {
          siteId,
          date: MONDAY,
          start: '19:30',
          end: '20:30',
          people: 2,
          purpose: '读书会',
        })
      ).code,
    ).toBe('INVALID_INPUT');
    expect(await outboxCount()).toBe(before);
    expect(await messages()).toHaveLength(all);
  });
});

describe('the booker hears of the manager’s decision', () => {
  it('approved: one bookingStatus message; a second review is refused and sends nothing', async () => {
    await subscribe(RESIDENT, 'siteBooking');
    const b = await book(RESIDENT, '09:00', '10:00');
    await h.call(WORKER, 'sites', 'review', { bookingId: b._id, approve: true });
    expect((await h.fail(SECOND_WORKER, 'sites', 'review', { bookingId: b._id, approve: true })).code).toBe(
      'CONFLICT',
    );
    expect(
      (await h.fail(OTHER_WORKER, 'sites', 'review', { bookingId: b._id, approve: false, reason: '不行' }))
        .code,
    ).toBe('FORBIDDEN');
    const status = await messages('bookingStatus');
    expect(status).toHaveLength(1);
    expect(status[0]).toMatchObject({
      openid: RESIDENT,
      title: '阵地预约已通过',
      page: 'packages/sites/mine',
    });
    expect(status[0]!.body).toContain('11月23日 09:00–10:00');
    await h.rt.tick();
    await h.rt.tick();
    const sent = (await h.rt.sink.records()).filter((r) => r.kind === 'bookingStatus');
    expect(sent.map((r) => r.touser)).toEqual([RESIDENT]);
    expect(sent[0]!.data.phrase3?.value).toBe('已通过');
    // The resident's inbox shows it.
    const inbox = await h.call(RESIDENT, 'notify', 'list', {});
    expect(inbox.items.filter((m) => m.kind === 'bookingStatus')).toHaveLength(1);
  });

  it('turned down with the reason', async () => {
    const b = await book(RESIDENT, '11:00', '12:00');
    expect((await h.fail(WORKER, 'sites', 'review', { bookingId: b._id, approve: false })).code).toBe(
      'INVALID_INPUT',
    );
    expect(await messages('bookingStatus')).toEqual([]);
    await h.call(WORKER, 'sites', 'review', { bookingId: b._id, approve: false, reason: '当天有社区活动' });
    const [m, ...rest] = await messages('bookingStatus');
    expect(rest).toEqual([]);
    expect(m).toMatchObject({ openid: RESIDENT, title: '阵地预约未通过' });
    expect(m!.body).toContain('当天有社区活动');
  });

  it('cancelled by a manager: one message with the reason; the booker’s own cancellation none to the booker', async () => {
    const b = await book(RESIDENT, '15:00', '16:00');
    await h.call(WORKER, 'sites', 'review', { bookingId: b._id, approve: true });
    await h.call(WORKER, 'sites', 'cancel', { bookingId: b._id, reason: '场地临时维修' });
    expect((await h.fail(WORKER, 'sites', 'cancel', { bookingId: b._id, reason: '再取消一次' })).code).toBe(
      'CONFLICT',
    );
    const cancelled = (await messages('bookingStatus')).filter((m) => m.title === '阵地预约已取消');
    expect(cancelled).toHaveLength(1);
    expect(cancelled[0]!.body).toContain('场地临时维修');

    const own = await book(RESIDENT, '16:00', '17:00');
    const before = (await messages('bookingStatus')).length;
    await h.call(RESIDENT, 'sites', 'cancel', { bookingId: own._id });
    expect(await messages('bookingStatus')).toHaveLength(before);
  });
});

describe('the managers hear of the booker’s own cancellation', () => {
  const cancelledTasks = async () =>
    (await messages('bookingTask')).filter((m) => m.title === '阵地预约已被预约人取消');

  it('a pending booking cancelled by its booker: one bookingTask per manager, WeChat with quota', async () => {
    const b = await book(RESIDENT, '09:00', '10:30');
    await h.rt.tick(); // the approval request: nobody has quota yet
    await subscribe(WORKER, 'siteManage');
    await h.call(RESIDENT, 'sites', 'cancel', { bookingId: b._id });
    const tasks = await cancelledTasks();
    expect(tasks.map((m) => m.openid).sort()).toEqual([SECOND_WORKER, WORKER].sort());
    expect(tasks[0]).toMatchObject({ page: 'packages/sites/manage' });
    expect(tasks[0]!.body).toContain('幸福里党群服务中心');
    expect(tasks[0]!.body).toContain('11月23日 09:00–10:30');
    expect(tasks[0]!.body).toContain('楼栋议事会');
    expect(await messages('bookingStatus')).toEqual([]);
    // A second cancellation is refused and tells nobody again.
    expect((await h.fail(RESIDENT, 'sites', 'cancel', { bookingId: b._id })).code).toBe('CONFLICT');
    expect(await cancelledTasks()).toHaveLength(2);
    await h.rt.tick();
    await h.rt.tick();
    const sent = (await h.rt.sink.records()).filter((r) => r.kind === 'bookingTask');
    // Sent once, to the worker who subscribed after the approval request had gone without quota.
    expect(sent.map((r) => [r.touser, r.data.phrase3?.value])).toEqual([[WORKER, '已取消']]);
  });

  it('an approved booking cancelled by its booker tells the managers; one refused for lateness tells nobody', async () => {
    const b = await book(RESIDENT, '15:00', '16:00');
    await h.call(WORKER, 'sites', 'review', { bookingId: b._id, approve: true });
    await h.call(RESIDENT, 'sites', 'cancel', { bookingId: b._id });
    expect((await cancelledTasks()).map((m) => m.openid).sort()).toEqual([SECOND_WORKER, WORKER].sort());

    const late = await book(RESIDENT, '11:00', '12:00');
    await h.call(WORKER, 'sites', 'review', { bookingId: late._id, approve: true });
    h.clock.set(Date.UTC(2026, 10, 23, 2, 0)); // Monday 10:00, 1 h before its start
    const before = await outboxCount();
    expect((await h.fail(RESIDENT, 'sites', 'cancel', { bookingId: late._id })).code).toBe('CONFLICT');
    expect(await outboxCount()).toBe(before);
    expect(await cancelledTasks()).toHaveLength(2);
  });

  it('a manager cancelling their own booking is not told; the other manager is', async () => {
    const b = await book(WORKER, '17:00', '18:00');
    await h.call(WORKER, 'sites', 'cancel', { bookingId: b._id });
    expect((await cancelledTasks()).map((m) => m.openid)).toEqual([SECOND_WORKER]);
  });
});

describe('under concurrency (interleaved)', () => {
  it('10 people booking one slot: one booking, one message per manager; two managers deciding: one message', async () => {
    const people = Array.from({ length: 10 }, (_, i) => `racer-${i}`);
    const results = await h.interleaved(() =>
      Promise.all(
        people.map((p) =>
          h.raw(p, 'sites', {
            action: 'book',
            data: { siteId, date: MONDAY, start: '10:00', end: '11:00', people: 2, purpose: '读书会' },
          }),
        ),
      ),
    );
    const won = results.filter((r) => r.ok);
    expect(won).toHaveLength(1);
    expect((await messages('bookingTask')).map((m) => m.openid).sort()).toEqual(
      [SECOND_WORKER, WORKER].sort(),
    );
    const bookingId = (won[0] as { data: { _id: string } }).data._id;
    const decisions = await h.interleaved(() =>
      Promise.all([
        h.raw(WORKER, 'sites', { action: 'review', data: { bookingId, approve: true } }),
        h.raw(SECOND_WORKER, 'sites', {
          action: 'review',
          data: { bookingId, approve: false, reason: '当天有社区活动' },
        }),
      ]),
    );
    expect(decisions.filter((r) => r.ok)).toHaveLength(1);
    expect(await messages('bookingStatus')).toHaveLength(1);
  });
});
