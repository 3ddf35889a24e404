import {
  applyAction,
  canTransition,
  DAILY_SUBMISSION_LIMIT,
  decideExtensionAction,
  DEFAULT_CATEGORIES,
  DEFAULT_POLICY,
  dueAt,
  grievanceNumber,
  GrievanceRuleError,
  isOverdue,
  needsOverdueReminder,
  newGrievance,
  shanghaiDayStart,
  stageName,
  TRANSITIONS,
  type ActionInput,
  type Actor,
} from '../../cloudfunctions/domain/grievance';
import type { Grievance, GrievanceHandler, GrievanceStage, TimelineAction } from '../../types/domain';

const H = 3600_000;
// 2026-11-21 10:00 in Shanghai.
const T0 = Date.UTC(2026, 10, 21, 2);

const cat = (key: string) => DEFAULT_CATEGORIES.find((c) => c.key === key)!;
const resident: Actor = { role: 'resident', openid: 'r1' };
const worker: Actor = { role: 'worker', openid: 'w1' };
const admin: Actor = { role: 'admin', openid: 'a1' };
const handlerActor: Actor = { role: 'handler', openid: 'h1' };
const system: Actor = { role: 'system' };
const H1: GrievanceHandler = { kind: 'grid', id: 'h1', name: '网格员张' };
const H2: GrievanceHandler = { kind: 'unit', id: 'u2', name: '区供电公司' };

function fresh(category = 'sanitation', now = T0): Grievance {
  return newGrievance(
    {
      _id: 'g1',
      number: grievanceNumber(now, 1),
      communityId: 'c1',
      openid: 'r1',
      category: cat(category),
      text: '楼道垃圾三天没人清理了',
      photos: ['p1'],
      isPublic: false,
    },
    now,
  );
}

/** Apply and merge, as a handler would (patch + appended entry). */
function act(g: Grievance, action: TimelineAction, actor: Actor, now: number, input: ActionInput = {}) {
  const { patch, entry } = applyAction(g, action, input, actor, now);
  return { ...g, ...patch, timeline: [...g.timeline, entry] };
}

type Step = [TimelineAction, Actor, ActionInput?];
const PATHS: Record<GrievanceStage, Step[]> = {
  submitted: [],
  accepted: [['accept', worker]],
  dispatched: [
    ['accept', worker],
    ['dispatch', worker, { handler: H1 }],
  ],
  inProgress: [
    ['accept', worker],
    ['dispatch', worker, { handler: H1 }],
    ['start', handlerActor],
  ],
  resolved: [
    ['accept', worker],
    ['dispatch', worker, { handler: H1 }],
    ['start', handlerActor],
    ['resolve', handlerActor, { note: '已清理' }],
  ],
  rated: [
    ['accept', worker],
    ['dispatch', worker, { handler: H1 }],
    ['resolve', handlerActor, { note: '已清理' }],
    ['rate', resident, { satisfaction: 'satisfied' }],
  ],
  returned: [['return', worker, { note: '不属于本社区' }]],
  reopened: [
    ['accept', worker],
    ['dispatch', worker, { handler: H1 }],
    ['resolve', handlerActor, { note: '已清理' }],
    ['rate', resident, { satisfaction: 'dissatisfied' }],
  ],
  escalated: [
    ['accept', worker],
    ['dispatch', worker, { handler: H1 }],
    ['resolve', handlerActor, { note: '已清理' }],
    ['rate', resident, { satisfaction: 'dissatisfied' }],
    ['dispatch', worker, { handler: H1 }],
    ['resolve', handlerActor, { note: '再次清理' }],
    ['rate', resident, { satisfaction: 'dissatisfied' }],
  ],
};

/** A grievance brought to `stage` by legal steps one hour apart. */
function at(stage: GrievanceStage, category = 'sanitation'): Grievance {
  return PATHS[stage].reduce(
    (g, [a, actor, input], i) => act(g, a, actor, T0 + (i + 1) * H, input),
    fresh(category),
  );
}

const STAGES = Object.keys(PATHS) as GrievanceStage[];

describe('newGrievance', () => {
  it('starts submitted with the respond deadline and one submit entry', () => {
    const g = fresh('safety');
    expect(g).toMatchObject({
      stage: 'submitted',
      category: 'safety',
      urgency: 'urgent',
      priority: false,
      reopenCount: 0,
      awaitingInfo: false,
      respondBy: T0 + 2 * H,
      createdAt: T0,
      updatedAt: T0,
    });
    expect(g.resolveBy).toBeUndefined();
    expect(g.timeline).toEqual([
      {
        action: 'submit',
        at: T0,
        actorRole: 'resident',
        actorOpenid: 'r1',
        stageAfter: 'submitted',
        photos: ['p1'],
      },
    ]);
    expect('location' in g).toBe(false);
    expect('phoneEncrypted' in g).toBe(false);
  });

  it('uses the given policy', () => {
    const policy = { ...DEFAULT_POLICY, general: { respondHours: 4, resolveHours: 48 } };
    const g = newGrievance(
      {
        _id: 'g',
        number: 'n',
        communityId: 'c',
        openid: 'r',
        category: cat('other'),
        text: 't',
        photos: [],
        isPublic: true,
        phoneEncrypted: 'v1.x',
      },
      T0,
      policy,
    );
    expect(g.respondBy).toBe(T0 + 4 * H);
    expect(g.phoneEncrypted).toBe('v1.x');
    expect(g.timeline[0].photos).toBeUndefined();
  });

  it('has the agreed defaults', () => {
    expect(DAILY_SUBMISSION_LIMIT).toBe(5);
    expect(DEFAULT_CATEGORIES.map((c) => [c.key, c.name, c.urgency])).toEqual([
      ['sanitation', '环境卫生', 'general'],
      ['property', '物业管理', 'general'],
      ['neighbours', '邻里纠纷', 'complex'],
      ['repairs', '设施报修', 'general'],
      ['safety', '安全隐患', 'urgent'],
      ['other', '其他', 'general'],
    ]);
  });
});

describe('legal transitions', () => {
  it('walks the main flow, one entry per action', () => {
    let g = fresh();
    g = act(g, 'accept', worker, T0 + H);
    expect(g).toMatchObject({ stage: 'accepted', acceptedAt: T0 + H, resolveBy: T0 + H + 7 * 24 * H });
    g = act(g, 'dispatch', worker, T0 + 2 * H, { handler: H1 });
    expect(g).toMatchObject({ stage: 'dispatched', handler: H1 });
    g = act(g, 'start', handlerActor, T0 + 3 * H);
    expect(g.stage).toBe('inProgress');
    g = act(g, 'progress', handlerActor, T0 + 4 * H, { note: '已联系物业', photos: ['p2'] });
    expect(g.stage).toBe('inProgress');
    g = act(g, 'resolve', handlerActor, T0 + 5 * H, { note: '已清理干净' });
    expect(g).toMatchObject({ stage: 'resolved', resolvedAt: T0 + 5 * H });
    g = act(g, 'rate', resident, T0 + 6 * H, { satisfaction: 'basic', comment: '还行' });
    expect(g).toMatchObject({
      stage: 'rated',
      closedAt: T0 + 6 * H,
      rating: { satisfaction: 'basic', comment: '还行', at: T0 + 6 * H },
      updatedAt: T0 + 6 * H,
    });
    expect(g.timeline.map((e) => [e.action, e.actorRole, e.stageAfter])).toEqual([
      ['submit', 'resident', 'submitted'],
      ['accept', 'worker', 'accepted'],
      ['dispatch', 'worker', 'dispatched'],
      ['start', 'handler', 'inProgress'],
      ['progress', 'handler', 'inProgress'],
      ['resolve', 'handler', 'resolved'],
      ['rate', 'resident', 'rated'],
    ]);
    expect(g.timeline[4]).toEqual({
      action: 'progress',
      at: T0 + 4 * H,
      actorRole: 'handler',
      actorOpenid: 'h1',
      stageAfter: 'inProgress',
      note: '已联系物业',
      photos: ['p2'],
    });
  });

  it('returns from submitted with a reason (final)', () => {
    const { patch, entry } = applyAction(fresh(), 'return', { note: '  不属于本社区  ' }, admin, T0 + H);
    expect(patch).toEqual({ stage: 'returned', updatedAt: T0 + H });
    expect(entry).toMatchObject({ action: 'return', stageAfter: 'returned', note: '不属于本社区' });
    expect(() => applyAction(fresh(), 'return', { note: ' ' }, worker, T0)).toThrow('请填写退回原因');
    expect(dueAt(at('returned'))).toBeUndefined();
  });

  it('progress from dispatched moves to inProgress; resolve from dispatched is an implicit start', () => {
    expect(
      applyAction(at('dispatched'), 'progress', { note: '已到现场' }, handlerActor, T0 + 9 * H).patch.stage,
    ).toBe('inProgress');
    const { patch, entry } = applyAction(
      at('dispatched'),
      'resolve',
      { note: '修好了' },
      handlerActor,
      T0 + 9 * H,
    );
    expect(patch).toMatchObject({ stage: 'resolved', resolvedAt: T0 + 9 * H });
    expect(entry.stageAfter).toBe('resolved');
  });

  it('re-dispatches from dispatched or inProgress to another handler only', () => {
    for (const stage of ['dispatched', 'inProgress'] as const) {
      const { patch } = applyAction(at(stage), 'dispatch', { handler: H2 }, admin, T0 + 9 * H);
      expect(patch).toMatchObject({ stage: 'dispatched', handler: H2 });
      expect(() => applyAction(at(stage), 'dispatch', { handler: H1 }, worker, T0 + 9 * H)).toThrow(
        GrievanceRuleError,
      );
    }
    expect(() => applyAction(at('accepted'), 'dispatch', {}, worker, T0)).toThrow('请选择承办人');
  });

  it('asks for and receives more information without changing stage', () => {
    for (const asker of [handlerActor, worker]) {
      let g = at('inProgress');
      g = act(g, 'askInfo', asker, T0 + 9 * H, { note: '请说明具体楼号' });
      expect(g).toMatchObject({ stage: 'inProgress', awaitingInfo: true });
      expect(() => act(g, 'askInfo', asker, T0 + 9 * H, { note: '再问' })).toThrow('已在等待群众补充信息');
      g = act(g, 'supplyInfo', resident, T0 + 10 * H, { note: '3 号楼 2 单元', photos: ['p9'] });
      expect(g.awaitingInfo).toBe(false);
      expect(g.timeline.at(-1)).toMatchObject({
        action: 'supplyInfo',
        stageAfter: 'inProgress',
        photos: ['p9'],
      });
    }
    expect(() => act(at('dispatched'), 'supplyInfo', resident, T0, { note: 'x' })).toThrow(
      '承办人没有要求补充信息',
    );
    expect(() => act(at('dispatched'), 'askInfo', handlerActor, T0, {})).toThrow('请写明需要补充的内容');
    const asked = act(at('dispatched'), 'askInfo', handlerActor, T0 + 9 * H, { note: '哪栋楼？' });
    expect(() => act(asked, 'supplyInfo', resident, T0 + 10 * H, {})).toThrow('请补充说明');
  });

  it('reopens once with priority and a new resolve limit, then escalates', () => {
    const resolved = at('resolved');
    const r1 = applyAction(
      resolved,
      'rate',
      { satisfaction: 'dissatisfied', comment: '没扫干净' },
      resident,
      T0 + 10 * H,
    );
    expect(r1.patch).toMatchObject({
      stage: 'reopened',
      reopenCount: 1,
      priority: true,
      resolveBy: T0 + 10 * H + 7 * 24 * H,
      rating: { satisfaction: 'dissatisfied', comment: '没扫干净', at: T0 + 10 * H },
    });
    expect(r1.patch.closedAt).toBeUndefined();
    expect(r1.entry).toMatchObject({ action: 'reopen', actorRole: 'resident', stageAfter: 'reopened' });
    expect(r1.entry.note).toContain('不满意');
    expect(r1.entry.note).toContain('没扫干净');

    let g: Grievance = { ...resolved, ...r1.patch, timeline: [...resolved.timeline, r1.entry] };
    expect(dueAt(g)).toBe(T0 + 10 * H + 7 * 24 * H);
    g = act(g, 'dispatch', worker, T0 + 11 * H, { handler: H2 });
    expect(g).toMatchObject({ stage: 'dispatched', handler: H2, priority: true });
    g = act(g, 'start', handlerActor, T0 + 12 * H);
    g = act(g, 'resolve', handlerActor, T0 + 13 * H, { note: '重新清理' });
    expect(g.resolvedAt).toBe(T0 + 13 * H);
    const r2 = applyAction(g, 'rate', { satisfaction: 'dissatisfied' }, resident, T0 + 14 * H);
    expect(r2.patch).toMatchObject({ stage: 'escalated', priority: true, respondBy: T0 + 14 * H + 24 * H });
    expect(r2.entry).toMatchObject({ action: 'escalate', stageAfter: 'escalated' });
    expect(r2.entry.note).toContain('不满意');
  });

  it('a satisfied rating after a reopen closes it', () => {
    let g = at('reopened');
    g = act(g, 'dispatch', worker, T0 + 20 * H, { handler: H1 });
    g = act(g, 'resolve', handlerActor, T0 + 21 * H, { note: '好了' });
    g = act(g, 'rate', resident, T0 + 22 * H, { satisfaction: 'satisfied' });
    expect(g).toMatchObject({ stage: 'rated', closedAt: T0 + 22 * H, reopenCount: 1 });
  });

  it('only an admin dispatches an escalated grievance, with a fresh resolve limit', () => {
    const g = at('escalated');
    expect(() => applyAction(g, 'dispatch', { handler: H2 }, worker, T0 + 30 * H)).toThrow('只有管理员');
    const { patch } = applyAction(g, 'dispatch', { handler: H2 }, admin, T0 + 30 * H);
    expect(patch).toMatchObject({ stage: 'dispatched', handler: H2, resolveBy: T0 + 30 * H + 7 * 24 * H });
  });

  it('rate requires a satisfaction', () => {
    expect(() => applyAction(at('resolved'), 'rate', {}, resident, T0 + 9 * H)).toThrow('请选择满意程度');
  });
});

describe('illegal transitions', () => {
  const actions = (Object.keys(TRANSITIONS) as (keyof typeof TRANSITIONS)[]).filter(
    (a) => TRANSITIONS[a].from.length > 0,
  );
  const cases: [GrievanceStage, TimelineAction][] = [];
  for (const stage of STAGES) {
    for (const action of actions) if (!TRANSITIONS[action].from.includes(stage)) cases.push([stage, action]);
  }

  it('covers many combinations', () => {
    expect(cases.length).toBeGreaterThan(60);
  });

  it.each(cases)('from %s, %s is refused naming the stage', (stage, action) => {
    const role = TRANSITIONS[action as keyof typeof TRANSITIONS].by[0];
    const g = at(stage);
    const input: ActionInput = { note: '说明', handler: H2, hours: 24, satisfaction: 'satisfied' };
    const verdict = canTransition(g, action, role);
    expect(verdict).toEqual({ ok: false, reason: expect.stringContaining(`「${stageName(stage)}」`) });
    expect(() => applyAction(g, action, input, { role, openid: 'x' }, T0 + 100 * H)).toThrow(
      GrievanceRuleError,
    );
    expect(() => applyAction(g, action, input, { role, openid: 'x' }, T0 + 100 * H)).toThrow(
      `当前状态为「${stageName(stage)}」`,
    );
  });

  it('gives the example message', () => {
    expect(canTransition(at('resolved'), 'accept', 'worker')).toEqual({
      ok: false,
      reason: '当前状态为「已办结」，不能受理',
    });
  });

  it.each<[GrievanceStage, TimelineAction, Actor]>([
    ['submitted', 'accept', resident],
    ['submitted', 'accept', handlerActor],
    ['submitted', 'return', resident],
    ['accepted', 'dispatch', handlerActor],
    ['dispatched', 'start', worker],
    ['dispatched', 'resolve', worker],
    ['dispatched', 'progress', resident],
    ['inProgress', 'askInfo', resident],
    ['inProgress', 'requestExtension', worker],
    ['resolved', 'rate', worker],
    ['resolved', 'rate', handlerActor],
  ])('from %s, %s by the wrong role is refused', (stage, action, actor) => {
    expect(() =>
      applyAction(
        at(stage),
        action,
        { note: 'x', handler: H2, hours: 1, satisfaction: 'satisfied' },
        actor,
        T0 + 9 * H,
      ),
    ).toThrow(/^只有.+可以/);
  });

  it('reopen, escalate and submit are never taken directly', () => {
    for (const action of ['reopen', 'escalate', 'submit'] as const) {
      for (const stage of STAGES) {
        expect(() => applyAction(at(stage), action, {}, admin, T0 + 50 * H)).toThrow(GrievanceRuleError);
      }
    }
  });
});

describe('deadlines', () => {
  it.each([
    ['safety', 2, 24],
    ['sanitation', 24, 7 * 24],
    ['neighbours', 24, 15 * 24],
  ])('%s: respond %ih, resolve %ih from acceptance', (category, respond, resolve) => {
    const g = fresh(category);
    expect(g.respondBy).toBe(T0 + respond * H);
    expect(dueAt(g)).toBe(T0 + respond * H);
    const accepted = act(g, 'accept', worker, T0 + 30 * 60_000);
    expect(accepted.resolveBy).toBe(T0 + 30 * 60_000 + resolve * H);
    expect(dueAt(accepted)).toBe(accepted.resolveBy);
  });

  it('applies a custom policy', () => {
    const policy = { ...DEFAULT_POLICY, urgent: { respondHours: 1, resolveHours: 12 } };
    const { patch } = applyAction(fresh('safety'), 'accept', {}, worker, T0, policy);
    expect(patch.resolveBy).toBe(T0 + 12 * H);
  });

  it('dueAt follows the stage', () => {
    const expected: Record<GrievanceStage, 'respondBy' | 'resolveBy' | null> = {
      submitted: 'respondBy',
      accepted: 'resolveBy',
      dispatched: 'resolveBy',
      inProgress: 'resolveBy',
      resolved: null,
      rated: null,
      returned: null,
      reopened: 'resolveBy',
      escalated: 'respondBy',
    };
    for (const stage of STAGES) {
      const g = at(stage);
      const field = expected[stage];
      expect([stage, dueAt(g)]).toEqual([stage, field ? g[field] : undefined]);
    }
  });

  it('isOverdue only after the current deadline', () => {
    const g = fresh('safety');
    expect(isOverdue(g, T0 + 2 * H)).toBe(false);
    expect(isOverdue(g, T0 + 2 * H + 1)).toBe(true);
    const accepted = act(g, 'accept', worker, T0 + 3 * H); // accepted late; now the 24h limit runs
    expect(isOverdue(accepted, T0 + 4 * H)).toBe(false);
    expect(isOverdue(accepted, T0 + 27 * H + 1)).toBe(true);
    expect(isOverdue(at('resolved'), T0 + 1000 * H)).toBe(false);
    expect(isOverdue(at('rated'), T0 + 1000 * H)).toBe(false);
  });

  it('remindOverdue only when overdue, by the system, without a stage change', () => {
    const g = fresh('safety');
    expect(() => applyAction(g, 'remindOverdue', {}, system, T0 + H)).toThrow('尚未超时');
    expect(() => applyAction(g, 'remindOverdue', {}, worker, T0 + 3 * H)).toThrow('系统');
    const { patch, entry } = applyAction(g, 'remindOverdue', {}, system, T0 + 3 * H);
    expect(patch).toEqual({ overdueRemindedAt: T0 + 3 * H, updatedAt: T0 + 3 * H });
    expect(entry).toEqual({
      action: 'remindOverdue',
      at: T0 + 3 * H,
      actorRole: 'system',
      stageAfter: 'submitted',
      note: '已超过受理时限',
    });
    expect(() => applyAction(at('resolved'), 'remindOverdue', {}, system, T0 + 1000 * H)).toThrow(
      GrievanceRuleError,
    );
  });

  it('needsOverdueReminder reminds once per deadline', () => {
    const g = fresh('safety');
    expect(needsOverdueReminder(g, T0 + H)).toBe(false);
    expect(needsOverdueReminder(g, T0 + 3 * H)).toBe(true);
    const reminded = { ...g, overdueRemindedAt: T0 + 3 * H };
    expect(needsOverdueReminder(reminded, T0 + 5 * H)).toBe(false);
    const accepted = act(reminded, 'accept', worker, T0 + 6 * H);
    expect(needsOverdueReminder(accepted, T0 + 31 * H)).toBe(true);
  });
});

describe('extensions', () => {
  const dispatched = () => at('dispatched'); // accepted at T0+1h: resolveBy = T0 + 1h + 168h
  const resolveBy = T0 + H + 168 * H;

  it('is requested before the deadline and approval extends resolveBy', () => {
    let g = dispatched();
    expect(g.resolveBy).toBe(resolveBy);
    g = act(g, 'requestExtension', handlerActor, resolveBy - 1, { hours: 48, note: '需等待配件' });
    expect(g.extension).toEqual({
      hours: 48,
      reason: '需等待配件',
      requestedAt: resolveBy - 1,
      status: 'pending',
    });
    expect(g.timeline.at(-1)).toMatchObject({
      action: 'requestExtension',
      note: '申请延期 48 小时：需等待配件',
    });
    expect(() => act(g, 'requestExtension', handlerActor, resolveBy - 1, { hours: 1, note: '再延' })).toThrow(
      '已有延期申请等待审批',
    );
    // Approval may come after the original deadline: the request was in time.
    g = act(g, 'approveExtension', worker, resolveBy + H, { approve: true });
    expect(g.extension).toMatchObject({ status: 'approved', decidedAt: resolveBy + H });
    expect(g.resolveBy).toBe(resolveBy + 48 * H);
    expect(isOverdue(g, resolveBy + 2 * H)).toBe(false);
    expect(() => act(g, 'approveExtension', worker, resolveBy + 2 * H)).toThrow('没有待审批的延期申请');
    // A new request is possible once the previous one is decided.
    g = act(g, 'requestExtension', handlerActor, resolveBy + 3 * H, { hours: 24, note: '仍需等待' });
    g = act(g, 'rejectExtension', admin, resolveBy + 4 * H);
    expect(g.extension).toMatchObject({ status: 'rejected', hours: 24 });
    expect(g.resolveBy).toBe(resolveBy + 48 * H);
  });

  it('is refused at or after the deadline', () => {
    const g = dispatched();
    for (const now of [resolveBy, resolveBy + H]) {
      expect(() =>
        applyAction(g, 'requestExtension', { hours: 24, note: '来不及' }, handlerActor, now),
      ).toThrow('已超过办理时限，不能申请延期');
      expect(canTransition(g, 'requestExtension', 'handler', now)).toEqual({
        ok: false,
        reason: '已超过办理时限，不能申请延期',
      });
    }
    expect(canTransition(g, 'requestExtension', 'handler')).toEqual({ ok: true });
  });

  it('needs hours and a reason; only the worker or admin decides', () => {
    const g = dispatched();
    expect(() => act(g, 'requestExtension', handlerActor, T0 + 5 * H, { note: '原因' })).toThrow(
      '请填写延期时长',
    );
    expect(() => act(g, 'requestExtension', handlerActor, T0 + 5 * H, { hours: 0, note: '原因' })).toThrow(
      '请填写延期时长',
    );
    expect(() => act(g, 'requestExtension', handlerActor, T0 + 5 * H, { hours: 5 })).toThrow(
      '请填写延期原因',
    );
    const pending = act(g, 'requestExtension', handlerActor, T0 + 5 * H, { hours: 5, note: '原因' });
    expect(() => act(pending, 'approveExtension', handlerActor, T0 + 6 * H)).toThrow(/^只有/);
    expect(() => act(pending, 'rejectExtension', resident, T0 + 6 * H)).toThrow(/^只有/);
  });

  it('a pending request lapses when the grievance is resolved', () => {
    let g = act(dispatched(), 'requestExtension', handlerActor, T0 + 5 * H, { hours: 5, note: '原因' });
    g = act(g, 'resolve', handlerActor, T0 + 6 * H, { note: '办好了' });
    expect(g.extension).toMatchObject({ status: 'rejected', decidedAt: T0 + 6 * H });
  });

  it('decideExtension maps to approve / reject', () => {
    expect(decideExtensionAction(true)).toBe('approveExtension');
    expect(decideExtensionAction(false)).toBe('rejectExtension');
  });
});

describe('numbers and days', () => {
  it('numbers by the Shanghai date', () => {
    expect(grievanceNumber(T0, 7)).toBe('20261121-0007');
    // 2026-11-21 16:30 UTC is already 11-22 00:30 in Shanghai.
    expect(grievanceNumber(Date.UTC(2026, 10, 21, 16, 30), 1)).toBe('20261122-0001');
    expect(grievanceNumber(Date.UTC(2026, 10, 21, 15, 59, 59), 12345)).toBe('20261121-12345');
  });

  it('finds the start of the Shanghai day across UTC midnight', () => {
    const dayStart = Date.UTC(2026, 10, 20, 16); // 2026-11-21 00:00 Shanghai
    expect(shanghaiDayStart(T0)).toBe(dayStart);
    expect(shanghaiDayStart(dayStart)).toBe(dayStart);
    expect(shanghaiDayStart(dayStart - 1)).toBe(dayStart - 24 * H);
    // 2026-11-22 01:00 UTC (09:00 Shanghai) and 2026-11-21 23:00 UTC (07:00 on the 22nd).
    expect(shanghaiDayStart(Date.UTC(2026, 10, 22, 1))).toBe(dayStart + 24 * H);
    expect(shanghaiDayStart(Date.UTC(2026, 10, 21, 23))).toBe(dayStart + 24 * H);
  });

  it('names every stage', () => {
    expect(STAGES.map(stageName)).toEqual([
      '待受理',
      '已受理',
      '已派单',
      '办理中',
      '已办结',
      '已评价',
      '已退回',
      '重办',
      '已上报街道',
    ]);
  });
});
