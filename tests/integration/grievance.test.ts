import { createHarness, DAY, HOUR, type Harness } from '../helpers/harness';
import type { Grievance } from '../../types/domain';
import type { GrievanceDetail } from '../../types/api';

const RESIDENT = 'demo-resident';
const MEMBER = 'demo-member';
const WORKER = 'demo-worker'; // worker of community-xingfuli
const ADMIN = 'demo-admin';
const UNIT = 'demo-unit'; // staff of unit-hospital

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

const TEXT = '小区三号楼楼道堆满纸箱杂物，已经很久没人清理，存在消防隐患';

function submit(by = RESIDENT, over: Record<string, unknown> = {}) {
  return h.call(by, 'grievance', 'submit', {
    communityId: 'community-xingfuli',
    category: 'sanitation',
    text: TEXT,
    phone: '13812345678',
    ...over,
  } as never);
}

async function stored(id: string): Promise<Grievance> {
  const { data } = await h.rt.runtime.db.collection('grievances').doc(id).get();
  return (data as Grievance[])[0] as Grievance;
}

const step = (by: string, action: string, data: Record<string, unknown>) =>
  h.call(by, 'grievance', action as 'accept', data as never) as Promise<GrievanceDetail>;

describe('submitting', () => {
  it('stores the phone encrypted, shows it masked, and only the owner and staff can reveal it', async () => {
    const g = await submit();
    expect(g).toMatchObject({
      stage: 'submitted',
      viewer: 'owner',
      phoneMasked: '138****5678',
      categoryName: '环境卫生',
    });
    expect(g.number).toMatch(/^20261121-0001$/);
    expect(JSON.stringify(await stored(g._id))).not.toContain('13812345678');
    expect(await h.call(RESIDENT, 'grievance', 'revealPhone', { grievanceId: g._id })).toEqual({
      phone: '13812345678',
    });
    expect((await h.fail(MEMBER, 'grievance', 'detail', { grievanceId: g._id })).code).toBe('FORBIDDEN');
    expect((await h.fail(MEMBER, 'grievance', 'revealPhone', { grievanceId: g._id })).code).toBe('FORBIDDEN');
    expect(await h.call(WORKER, 'grievance', 'revealPhone', { grievanceId: g._id })).toEqual({
      phone: '13812345678',
    });
    // A public one is readable by others, anonymised: no phone, photos or location.
    const open = await submit(RESIDENT, {
      isPublic: true,
      location: { name: '三号楼', lat: 28.19, lng: 112.98 },
    });
    const seen = await h.call(MEMBER, 'grievance', 'detail', { grievanceId: open._id });
    expect(seen.viewer).toBe('public');
    expect(seen.phoneMasked).toBeUndefined();
    expect(seen.location).toBeUndefined();
    expect(seen.can).toEqual({});
  });

  it('validates input, refuses filtered words and forged photos, changing nothing', async () => {
    expect(
      (
        await h.fail(RESIDENT, 'grievance', 'submit', {
          communityId: 'community-xingfuli',
          category: 'sanitation',
          text: '太短了',
        })
      ).fields,
    ).toMatchObject({
      text: '请至少写 10 个字，说清楚问题',
    });
    const words = await h.fail(RESIDENT, 'grievance', 'submit', {
      communityId: 'community-xingfuli',
      category: 'sanitation',
      text: '楼下有人发小广告：办 证 刻章，电话联系，请社区管一管',
    });
    expect(words.code).toBe('INVALID_INPUT');
    expect(words.message).toContain('不适宜发布');
    const forged = await h.fail(RESIDENT, 'grievance', 'submit', {
      communityId: 'community-xingfuli',
      category: 'sanitation',
      text: TEXT,
      photos: ['local:0123456789abcdef0123456789abcdef'],
    });
    expect(forged.code).toBe('INVALID_INPUT');
    expect(
      (
        await h.fail(RESIDENT, 'grievance', 'submit', {
          communityId: 'community-xingfuli',
          category: 'nope',
          text: TEXT,
        })
      ).code,
    ).toBe('INVALID_INPUT');
    const { total } = (await h.rt.runtime.db.collection('grievances').count()) as { total: number };
    expect(total).toBe(0);
  });

  it('allows 5 submissions per person per Shanghai day', async () => {
    for (let i = 0; i < 5; i++) await submit();
    const sixth = await h.fail(RESIDENT, 'grievance', 'submit', {
      communityId: 'community-xingfuli',
      category: 'sanitation',
      text: TEXT,
    });
    expect(sixth).toEqual({ code: 'RATE_LIMITED', message: '每人每天最多反映 5 条诉求，请明天再提交' });
    expect((await submit(MEMBER)).stage).toBe('submitted'); // others are not affected
    h.clock.set(Date.UTC(2026, 10, 21, 16, 0)); // 00:00 the next day in Shanghai
    expect((await submit()).number).toBe('20261122-0001');
  });
});

describe('the workflow', () => {
  it('goes submit → accept → dispatch to a unit → start → progress → resolve → rate, with a timeline', async () => {
    const g = await submit();
    const queue = await h.call(WORKER, 'grievance', 'queue', {});
    expect(queue.items.map((i) => i._id)).toEqual([g._id]);
    h.clock.advance(10 * 60_000);
    expect((await step(WORKER, 'accept', { grievanceId: g._id })).stage).toBe('accepted');
    h.clock.advance(10 * 60_000);
    const { handlers } = await h.call(WORKER, 'grievance', 'handlers', {});
    expect(handlers).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'unit', id: 'unit-hospital' })]),
    );
    const dispatched = await step(WORKER, 'dispatch', {
      grievanceId: g._id,
      handler: { kind: 'unit', id: 'unit-hospital' },
    });
    expect(dispatched).toMatchObject({ stage: 'dispatched', handlerName: '区人民医院' });
    // The unit's staff see it; staff of another unit do not.
    expect((await h.call(UNIT, 'grievance', 'handlerQueue', {})).items.map((i) => i._id)).toEqual([g._id]);
    await h.call(ADMIN, 'user', 'grantRole', { openid: MEMBER, role: 'unitStaff', unitId: 'unit-tech' });
    expect((await h.call(MEMBER, 'grievance', 'handlerQueue', {})).items).toEqual([]);
    expect((await h.fail(MEMBER, 'grievance', 'start', { grievanceId: g._id })).code).toBe('FORBIDDEN');
    const asUnit = await h.call(UNIT, 'grievance', 'detail', { grievanceId: g._id });
    expect(asUnit.viewer).toBe('handler');
    expect(asUnit.can).toMatchObject({ start: true, resolve: true });
    await step(UNIT, 'start', { grievanceId: g._id });
    await step(UNIT, 'progress', { grievanceId: g._id, note: '已联系物业安排清运' });
    h.clock.advance(HOUR);
    const resolved = await step(UNIT, 'resolve', { grievanceId: g._id, result: '杂物已全部清运，楼道畅通' });
    expect(resolved.stage).toBe('resolved');
    const owner = await h.call(RESIDENT, 'grievance', 'detail', { grievanceId: g._id });
    expect(owner.can).toEqual({ rate: true });
    const rated = await step(RESIDENT, 'rate', {
      grievanceId: g._id,
      satisfaction: 'satisfied',
      comment: '处理很及时',
    });
    expect(rated.stage).toBe('rated');
    expect(rated.timeline.map((e) => e.action)).toEqual([
      'submit',
      'accept',
      'dispatch',
      'start',
      'progress',
      'resolve',
      'rate',
    ]);
    expect(rated.timeline.map((e) => e.actorRole)).toEqual([
      'resident',
      'worker',
      'worker',
      'handler',
      'handler',
      'handler',
      'resident',
    ]);
    expect(JSON.stringify(rated.timeline)).not.toContain(UNIT); // roles, not staff identities
    // The resident heard about each step that matters to them.
    const messages = await h.call(RESIDENT, 'notify', 'list', {});
    expect(messages.items.map((m) => m.title)).toEqual(['诉求已办结', '诉求已派单', '诉求已受理']);
    expect((await h.call(UNIT, 'notify', 'list', {})).items[0]?.title).toBe('有新的诉求待办');
  });

  it('rejects illegal transitions with clear errors and never rewrites the timeline', async () => {
    const g = await submit();
    expect((await h.fail(RESIDENT, 'grievance', 'accept', { grievanceId: g._id })).code).toBe('FORBIDDEN');
    await step(WORKER, 'accept', { grievanceId: g._id });
    const twice = await h.fail(WORKER, 'grievance', 'accept', { grievanceId: g._id });
    expect(twice.code).toBe('CONFLICT');
    expect(twice.message).toContain('已受理');
    expect(
      (await h.fail(RESIDENT, 'grievance', 'rate', { grievanceId: g._id, satisfaction: 'satisfied' })).code,
    ).toBe('CONFLICT');
    expect(
      (await h.fail(WORKER, 'grievance', 'resolve', { grievanceId: g._id, result: '直接办结' })).code,
    ).toBe('FORBIDDEN');
    const timeline = (await stored(g._id)).timeline;
    expect(timeline.map((e) => e.action)).toEqual(['submit', 'accept']);
  });

  it('returns with a reason; the resident is told', async () => {
    const g = await submit();
    const back = await step(WORKER, 'returnGrievance', {
      grievanceId: g._id,
      reason: '不属于社区职责范围，请拨打 12345',
    });
    expect(back.stage).toBe('returned');
    expect(back.timeline.at(-1)?.note).toContain('12345');
    expect((await h.call(RESIDENT, 'notify', 'list', {})).items[0]?.body).toContain('退回');
  });

  it('asks for more information and takes the answer from the owner only', async () => {
    const g = await submit();
    await step(WORKER, 'accept', { grievanceId: g._id });
    await step(WORKER, 'dispatch', { grievanceId: g._id, handler: { kind: 'worker', id: WORKER } });
    const asked = await step(WORKER, 'askInfo', { grievanceId: g._id, question: '请说明具体是几单元' });
    expect(asked.awaitingInfo).toBe(true);
    expect(
      (await h.fail(MEMBER, 'grievance', 'supplyInfo', { grievanceId: g._id, text: '二单元' })).code,
    ).toBe('FORBIDDEN');
    const supplied = await step(RESIDENT, 'supplyInfo', { grievanceId: g._id, text: '二单元三楼到五楼' });
    expect(supplied.awaitingInfo).toBe(false);
    // The resident sees the handler's role, not the worker's name or openid; staff see the person.
    expect(supplied.handler).toEqual({ kind: 'worker', id: '', name: '社区工作者' });
    expect((await h.call(RESIDENT, 'grievance', 'mine', {})).items[0]?.handlerName).toBe('社区工作者');
    expect((await h.call(WORKER, 'grievance', 'detail', { grievanceId: g._id })).handler).toMatchObject({
      id: WORKER,
      name: '陈书记',
    });
  });

  it('reopens once with priority after 不满意, then escalates to the street', async () => {
    const g = await submit();
    const finish = async () => {
      await step(WORKER, 'dispatch', { grievanceId: g._id, handler: { kind: 'worker', id: WORKER } });
      await step(WORKER, 'resolve', { grievanceId: g._id, result: '已处理' });
    };
    await step(WORKER, 'accept', { grievanceId: g._id });
    await finish();
    const reopened = await step(RESIDENT, 'rate', {
      grievanceId: g._id,
      satisfaction: 'dissatisfied',
      comment: '还是没清理干净',
    });
    expect(reopened).toMatchObject({ stage: 'reopened', priority: true, reopenCount: 1 });
    await finish();
    const escalated = await step(RESIDENT, 'rate', { grievanceId: g._id, satisfaction: 'dissatisfied' });
    expect(escalated.stage).toBe('escalated');
    const byWorker = await h.fail(WORKER, 'grievance', 'dispatch', {
      grievanceId: g._id,
      handler: { kind: 'worker', id: WORKER },
    });
    expect(byWorker).toEqual({ code: 'CONFLICT', message: '诉求已上报街道，只有管理员可以重新派单' });
    expect(
      (await step(ADMIN, 'dispatch', { grievanceId: g._id, handler: { kind: 'unit', id: 'unit-hospital' } }))
        .stage,
    ).toBe('dispatched');
  });
});

describe('deadlines', () => {
  it('applies category limits, approves extensions requested in time, and reminds overdue handlers once', async () => {
    const g = await submit(RESIDENT, { category: 'safety' }); // urgent: respond 2 h, resolve 24 h
    expect(g.respondBy).toBe(h.clock.now + 2 * HOUR);
    h.clock.advance(3 * HOUR);
    const late = await h.call(WORKER, 'grievance', 'queue', { overdueOnly: true });
    expect(late.items.map((i) => [i._id, i.overdue])).toEqual([[g._id, true]]);
    const accepted = await step(WORKER, 'accept', { grievanceId: g._id });
    expect(accepted.resolveBy).toBe(h.clock.now + 24 * HOUR);
    await step(WORKER, 'dispatch', { grievanceId: g._id, handler: { kind: 'unit', id: 'unit-hospital' } });
    await step(UNIT, 'requestExtension', {
      grievanceId: g._id,
      hours: 48,
      reason: '需要更换消防设施，等待配件',
    });
    const approved = await step(WORKER, 'decideExtension', { grievanceId: g._id, approve: true });
    expect(approved.resolveBy).toBe((accepted.resolveBy ?? 0) + 48 * HOUR);
    h.clock.set((approved.resolveBy ?? 0) + HOUR);
    expect(
      (
        await h.fail(UNIT, 'grievance', 'requestExtension', {
          grievanceId: g._id,
          hours: 2,
          reason: '再延期',
        })
      ).message,
    ).toContain('超过');
    await h.rt.tick();
    await h.rt.tick();
    const timeline = (await stored(g._id)).timeline.filter((e) => e.action === 'remindOverdue');
    expect(timeline).toHaveLength(1);
    const unitMessages = (await h.call(UNIT, 'notify', 'list', {})).items.map((m) => m.title);
    expect(unitMessages.filter((t) => t === '诉求已超期')).toHaveLength(1);
  });
});

describe('statistics', () => {
  it('reports rates for the community and period, for managers only', async () => {
    const a = await submit();
    const b = await submit(MEMBER, { category: 'repairs' });
    await submit(RESIDENT, { category: 'repairs' });
    h.clock.advance(HOUR);
    await step(WORKER, 'accept', { grievanceId: a._id });
    await step(WORKER, 'dispatch', { grievanceId: a._id, handler: { kind: 'worker', id: WORKER } });
    await step(WORKER, 'resolve', { grievanceId: a._id, result: '已清理' });
    await step(RESIDENT, 'rate', { grievanceId: a._id, satisfaction: 'basic' });
    h.clock.advance(2 * DAY);
    await step(WORKER, 'accept', { grievanceId: b._id }); // late: general respond limit is 24 h
    const stats = await h.call(WORKER, 'grievance', 'stats', {
      from: h.clock.now - 7 * DAY,
      to: h.clock.now + DAY,
    });
    expect(stats).toMatchObject({
      received: 3,
      accepted: 2,
      respondedInTime: 1,
      resolved: 1,
      rated: 1,
      satisfied: 1,
    });
    expect(stats.responseRate).toBeCloseTo(1 / 3, 3);
    expect(stats.satisfactionRate).toBe(1);
    expect(stats.avgHoursToAccept).toBeCloseTo((1 + 49) / 2, 1);
    expect(stats.byCategory.map((c) => [c.name, c.received]).sort()).toEqual([
      ['环境卫生', 1],
      ['设施报修', 2],
    ]);
    expect((await h.fail(RESIDENT, 'grievance', 'stats', { from: 1, to: h.clock.now })).code).toBe(
      'FORBIDDEN',
    );
  });
});
