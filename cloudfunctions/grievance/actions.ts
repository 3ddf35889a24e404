import { randomUUID } from 'node:crypto';
import type { GrievanceActionName, GrievanceDetail, GrievanceSummary, HandlerOption } from '../../types/api';
import type { Grievance, GrievanceHandler, TimelineAction, Unit, User } from '../../types/domain';
import { grievanceSchemas } from '../../types/schemas';
import { dataCipher } from '../core/crypto';
import { cmd, collection, getAll, getById, transaction, type TxDocs } from '../core/db';
import { AppError, conflict, forbidden, invalid, notFound } from '../core/errors';
import { defineActions, type ActionContext } from '../core/function';
import { managedCommunity, type Caller } from '../core/guard';
import type { EmitInput } from '../core/notify/outbox';
import { pageWindow, toPage } from '../core/paging';
import { runtime } from '../core/runtime';
import {
  applyAction,
  canTransition,
  DAILY_SUBMISSION_LIMIT,
  DEFAULT_CATEGORIES,
  DEFAULT_POLICY,
  dueAt,
  GrievanceRuleError,
  grievanceNumber,
  isOverdue,
  newGrievance,
  shanghaiDayStart,
  stageName,
  type TRANSITIONS,
  type ActionInput,
} from '../domain/grievance';
import { computeStats } from '../domain/grievance-stats';
import { maskPhone } from '../domain/mask';
import { actorRoleFor, viewerOf, type Viewer } from './access';
import { categoryName, communityConfig, type CommunityConfig } from './config';

export const schemas = grievanceSchemas;

const OPEN_STAGES = [
  'submitted',
  'accepted',
  'dispatched',
  'inProgress',
  'resolved',
  'reopened',
  'escalated',
] as const;
const CLOSED_STAGES = ['rated', 'returned'] as const;

async function loadGrievance(id: string): Promise<Grievance> {
  const g = await getById<Grievance>('grievances', id);
  if (!g) throw notFound('诉求不存在');
  return g;
}

const HANDLER_ROLE: Record<GrievanceHandler['kind'], string> = {
  worker: '社区工作者',
  grid: '网格员',
  member: '党员',
  unit: '驻区单位',
};

/**
 * Residents see who handles their case by role (units by name), never staff names or openids,
 * unless the community has chosen to show names (`showStaffNames`).
 */
function visibleHandler(h: GrievanceHandler, viewer: Viewer, cfg: CommunityConfig): GrievanceHandler {
  if (viewer === 'manager' || viewer === 'handler' || h.kind === 'unit' || cfg.community.showStaffNames)
    return h;
  return { kind: h.kind, id: '', name: HANDLER_ROLE[h.kind] };
}

function toSummary(g: Grievance, cfg: CommunityConfig, now: number, viewer: Viewer): GrievanceSummary {
  const due = dueAt(g);
  return {
    _id: g._id,
    number: g.number,
    communityId: g.communityId,
    category: g.category,
    categoryName: categoryName(cfg, g.category),
    preview: g.text.slice(0, 60),
    stage: g.stage,
    priority: g.priority,
    awaitingInfo: g.awaitingInfo,
    overdue: isOverdue(g, now),
    ...(due !== undefined ? { dueAt: due } : {}),
    ...(g.handler ? { handlerName: visibleHandler(g.handler, viewer, cfg).name } : {}),
    createdAt: g.createdAt,
  };
}

/** The detail action names the app shows, and the rule each one stands for. */
const UI_ACTIONS: Record<GrievanceActionName, keyof typeof TRANSITIONS> = {
  supplyInfo: 'supplyInfo',
  rate: 'rate',
  accept: 'accept',
  returnGrievance: 'return',
  dispatch: 'dispatch',
  start: 'start',
  askInfo: 'askInfo',
  progress: 'progress',
  resolve: 'resolve',
  requestExtension: 'requestExtension',
  decideExtension: 'approveExtension',
};

async function toDetail(g: Grievance, caller: Caller, viewer: Viewer, now: number): Promise<GrievanceDetail> {
  const cfg = await communityConfig(g.communityId);
  const isPublic = viewer === 'public';
  const storage = runtime().storage;
  const can: GrievanceDetail['can'] = {};
  for (const [name, action] of Object.entries(UI_ACTIONS) as [
    GrievanceActionName,
    keyof typeof TRANSITIONS,
  ][]) {
    const role = actorRoleFor(caller, g, action);
    if (role && canTransition(g, action, role, now).ok) can[name] = true;
  }
  const timeline = await Promise.all(
    g.timeline.map(async ({ actorOpenid: _who, photos, ...entry }) => ({
      ...entry,
      ...(isPublic ? { note: undefined } : {}),
      ...(photos?.length && !isPublic ? { photoUrls: await storage.urls(photos) } : {}),
    })),
  );
  let phoneMasked: string | undefined;
  if (g.phoneEncrypted && !isPublic)
    phoneMasked = maskPhone(dataCipher(process.env, { demo: runtime().demo }).decrypt(g.phoneEncrypted));
  return {
    ...toSummary(g, cfg, now, viewer),
    text: g.text,
    photoUrls: isPublic ? [] : await storage.urls(g.photos),
    ...(g.location && !isPublic ? { location: g.location } : {}),
    ...(phoneMasked ? { phoneMasked } : {}),
    isPublic: g.isPublic,
    ...(g.handler ? { handler: visibleHandler(g.handler, viewer, cfg) } : {}),
    respondBy: g.respondBy,
    ...(g.resolveBy !== undefined ? { resolveBy: g.resolveBy } : {}),
    ...(g.extension ? { extension: g.extension } : {}),
    ...(g.rating ? { rating: g.rating } : {}),
    reopenCount: g.reopenCount,
    timeline: timeline.map((e) =>
      Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined)),
    ) as GrievanceDetail['timeline'],
    viewer,
    can,
  };
}

function viewOrForbid(caller: Caller, g: Grievance): Viewer {
  const viewer = viewerOf(caller, g);
  if (!viewer) throw forbidden('只能查看自己反映的或由你办理的诉求');
  return viewer;
}

/** What the submitter hears about each change (message centre, and WeChat when subscribed). */
const STATUS_SUMMARY: Partial<Record<TimelineAction, string>> = {
  accept: '已受理，正在安排办理',
  return: '未被受理，请查看退回原因',
  dispatch: '已派单给承办人办理',
  askInfo: '需要你补充信息',
  resolve: '已办结，请评价办理结果',
  reopen: '已重新办理（重办）',
  escalate: '已上报街道处理',
  approveExtension: '办理时限已延长',
};

async function staffOf(handler: GrievanceHandler): Promise<string[]> {
  if (handler.kind !== 'unit') return [handler.id];
  const staff = await getAll<User>(
    collection('users').where({ roles: cmd().elemMatch({ role: 'unitStaff', unitId: handler.id }) }),
  );
  return staff.map((u) => u.openid);
}

/**
 * Apply one workflow action in a transaction: the rule check, the patch and the timeline entry
 * (appended, never rewritten), and the notifications it causes, all in the same write.
 */
async function act(
  ctx: ActionContext,
  grievanceId: string,
  action: keyof typeof TRANSITIONS,
  input: ActionInput,
): Promise<GrievanceDetail> {
  const { caller, now } = ctx;
  const before = await loadGrievance(grievanceId);
  const role = actorRoleFor(caller, before, action);
  if (!role) {
    if (!viewerOf(caller, before)) throw forbidden('只能处理自己反映的或由你办理的诉求');
    throw forbidden(`你不能对这条诉求执行「${actionLabel(action)}」`);
  }
  const cfg = await communityConfig(before.communityId);
  const newHandlerStaff = input.handler ? await staffOf(input.handler) : [];
  const after = await transaction(async (t) => {
    const g = await t.get<Grievance>('grievances', grievanceId);
    if (!g) throw notFound('诉求不存在');
    let applied;
    try {
      applied = applyAction(g, action, input, { role, openid: caller.openid }, now, cfg.policy);
    } catch (err) {
      if (err instanceof GrievanceRuleError) throw conflict(err.message);
      throw err;
    }
    const next: Grievance = { ...g, ...applied.patch, timeline: [...g.timeline, applied.entry] };
    const { _id, ...doc } = next;
    await t.set('grievances', _id, doc as unknown as Record<string, unknown>);
    for (const event of eventsFor(next, applied.entry.action, cfg, newHandlerStaff)) await ctx.emit(t, event);
    return next;
  });
  return toDetail(after, caller, viewerOf(caller, after) ?? 'public', now);
}

function eventsFor(
  g: Grievance,
  action: TimelineAction,
  cfg: CommunityConfig,
  handlerStaff: string[],
): EmitInput[] {
  const payload = {
    grievanceId: g._id,
    number: g.number,
    categoryName: categoryName(cfg, g.category),
    stageName: stageName(g.stage),
    summary: STATUS_SUMMARY[action] ?? '',
    ...(dueAt(g) !== undefined ? { dueAt: dueAt(g) } : {}),
  };
  const events: EmitInput[] = [];
  if (STATUS_SUMMARY[action])
    events.push({ kind: 'grievanceStatus', payload, recipients: { openids: [g.openid] } });
  if (action === 'dispatch' && handlerStaff.length) {
    events.push({
      kind: 'grievanceTask',
      payload: { ...payload, summary: '已派给你办理' },
      recipients: { openids: handlerStaff },
    });
  }
  return events;
}

function actionLabel(action: keyof typeof TRANSITIONS): string {
  const labels: Partial<Record<keyof typeof TRANSITIONS, string>> = {
    accept: '受理',
    return: '退回',
    dispatch: '派单',
    start: '开始办理',
    askInfo: '请居民补充',
    supplyInfo: '补充信息',
    progress: '更新进展',
    resolve: '办结',
    requestExtension: '申请延期',
    approveExtension: '审批延期',
    rejectExtension: '审批延期',
    rate: '评价',
  };
  return labels[action] ?? action;
}

async function assertFilesOwned(photos: string[], openid: string): Promise<void> {
  const storage = runtime().storage;
  for (const id of photos) {
    if (!(await storage.ownedBy(id, openid)))
      throw invalid('图片无效或不是你上传的，请重新上传', { photos: '图片无效' });
  }
}

async function assertCleanText(text: string, openid: string): Promise<void> {
  const verdict = await runtime().contentCheck.text(text, openid);
  if (!verdict.ok) throw invalid(verdict.reason, { text: verdict.reason });
}

/** Sort for work queues: overdue first, then 重办 priority, then the nearest deadline. */
function queueOrder(now: number) {
  return (a: Grievance, b: Grievance) => {
    const ao = isOverdue(a, now) ? 0 : 1;
    const bo = isOverdue(b, now) ? 0 : 1;
    if (ao !== bo) return ao - bo;
    if (a.priority !== b.priority) return a.priority ? -1 : 1;
    return (
      (dueAt(a) ?? Number.MAX_SAFE_INTEGER) - (dueAt(b) ?? Number.MAX_SAFE_INTEGER) ||
      a.createdAt - b.createdAt
    );
  };
}

async function pageOfSorted(
  list: Grievance[],
  input: { pageSize: number; cursor?: string },
  now: number,
  viewer: Viewer,
): Promise<ReturnType<typeof toPage<GrievanceSummary>>> {
  const win = pageWindow(input);
  const slice = list.slice(win.skip, win.skip + win.limit);
  const configs = new Map<string, CommunityConfig>();
  const items: GrievanceSummary[] = [];
  for (const g of slice) {
    if (!configs.has(g.communityId)) configs.set(g.communityId, await communityConfig(g.communityId));
    items.push(toSummary(g, configs.get(g.communityId) as CommunityConfig, now, viewer));
  }
  return toPage(items, list.length, win);
}

export const actions = defineActions('grievance', {
  categories: {
    roles: 'any',
    async handler({ caller }, { communityId }) {
      const id = communityId ?? caller.user.currentCommunityId;
      if (!id) return { categories: DEFAULT_CATEGORIES, policy: DEFAULT_POLICY };
      const cfg = await communityConfig(id);
      return { categories: cfg.categories, policy: cfg.policy };
    },
  },

  submit: {
    roles: 'any',
    async handler(ctx, data) {
      const { caller, now } = ctx;
      const cfg = await communityConfig(data.communityId);
      const category = cfg.categories.find((c) => c.key === data.category);
      if (!category) throw invalid('请选择诉求类别', { category: '请选择诉求类别' });
      const { total: today } = (await collection('grievances')
        .where({ openid: caller.openid, createdAt: cmd().gte(shanghaiDayStart(now)) })
        .count()) as { total: number };
      if (today >= DAILY_SUBMISSION_LIMIT) {
        throw new AppError('RATE_LIMITED', `每人每天最多反映 ${DAILY_SUBMISSION_LIMIT} 条诉求，请明天再提交`);
      }
      await assertFilesOwned(data.photos, caller.openid);
      await assertCleanText(data.text, caller.openid);
      const cipher = dataCipher(process.env, { demo: runtime().demo });
      const g = await transaction(async (t) => {
        const number = await nextNumber(t, now);
        const created = newGrievance(
          {
            _id: randomUUID().replace(/-/g, ''),
            number,
            communityId: data.communityId,
            openid: caller.openid,
            category,
            text: data.text,
            photos: data.photos,
            ...(data.location ? { location: data.location } : {}),
            ...(data.phone ? { phoneEncrypted: cipher.encrypt(data.phone) } : {}),
            isPublic: data.isPublic,
          },
          now,
          cfg.policy,
        );
        const { _id, ...doc } = created;
        await t.set('grievances', _id, doc as unknown as Record<string, unknown>);
        return created;
      });
      await runtime().contentCheck.images(data.photos, caller.openid);
      return toDetail(g, caller, 'owner', now);
    },
  },

  mine: {
    roles: 'any',
    async handler({ caller, now }, input) {
      const where: Record<string, unknown> = { openid: caller.openid };
      if (input.stage === 'open') where.stage = cmd().in([...OPEN_STAGES]);
      if (input.stage === 'closed') where.stage = cmd().in([...CLOSED_STAGES]);
      const list = await getAll<Grievance>(collection('grievances').where(where));
      list.sort((a, b) => b.createdAt - a.createdAt);
      return pageOfSorted(list, input, now, 'owner');
    },
  },

  detail: {
    roles: 'any',
    async handler({ caller, now }, { grievanceId }) {
      const g = await loadGrievance(grievanceId);
      return toDetail(g, caller, viewOrForbid(caller, g), now);
    },
  },

  revealPhone: {
    roles: 'any',
    async handler({ caller }, { grievanceId }) {
      const g = await loadGrievance(grievanceId);
      const viewer = viewOrForbid(caller, g);
      if (viewer === 'public') throw forbidden('不能查看他人的联系电话');
      if (!g.phoneEncrypted) return { phone: null };
      runtime().log('info', 'grievance phone revealed', { grievanceId, viewer });
      return { phone: dataCipher(process.env, { demo: runtime().demo }).decrypt(g.phoneEncrypted) };
    },
  },

  supplyInfo: {
    roles: 'any',
    async handler(ctx, { grievanceId, text, photos }) {
      await assertFilesOwned(photos, ctx.caller.openid);
      await assertCleanText(text, ctx.caller.openid);
      return act(ctx, grievanceId, 'supplyInfo', { note: text, photos });
    },
  },

  rate: {
    roles: 'any',
    async handler(ctx, { grievanceId, satisfaction, comment }) {
      if (comment) await assertCleanText(comment, ctx.caller.openid);
      return act(ctx, grievanceId, 'rate', { satisfaction, ...(comment ? { comment } : {}) });
    },
  },

  queue: {
    roles: ['worker', 'admin'],
    async handler({ caller, now }, input) {
      const communityId = managedCommunity(caller, input.communityId);
      const where: Record<string, unknown> = { communityId };
      if (input.stage) where.stage = input.stage;
      if (input.category) where.category = input.category;
      let list = await getAll<Grievance>(collection('grievances').where(where));
      if (input.overdueOnly) list = list.filter((g) => isOverdue(g, now));
      list.sort(queueOrder(now));
      return pageOfSorted(list, input, now, 'manager');
    },
  },

  handlerQueue: {
    roles: 'any',
    async handler({ caller, now }, input) {
      const unitIds = caller.user.roles
        .filter((r) => r.role === 'unitStaff' && r.unitId)
        .map((r) => r.unitId as string);
      const list = (
        await getAll<Grievance>(
          collection('grievances').where({ 'handler.id': cmd().in([caller.openid, ...unitIds]) }),
        )
      ).filter((g) =>
        g.handler?.kind === 'unit' ? unitIds.includes(g.handler.id) : g.handler?.id === caller.openid,
      );
      list.sort(queueOrder(now));
      return pageOfSorted(list, input, now, 'handler');
    },
  },

  accept: { roles: 'any', handler: (ctx, { grievanceId }) => act(ctx, grievanceId, 'accept', {}) },
  returnGrievance: {
    roles: 'any',
    handler: (ctx, { grievanceId, reason }) => act(ctx, grievanceId, 'return', { note: reason }),
  },
  dispatch: {
    roles: 'any',
    async handler(ctx, { grievanceId, handler }) {
      const g = await loadGrievance(grievanceId);
      const option = (await handlerOptions(g.communityId)).find(
        (o) => o.kind === handler.kind && o.id === handler.id,
      );
      if (!option) throw notFound('承办人不存在或不属于本社区');
      return act(ctx, grievanceId, 'dispatch', {
        handler: { kind: option.kind, id: option.id, name: option.name },
      });
    },
  },
  start: { roles: 'any', handler: (ctx, { grievanceId }) => act(ctx, grievanceId, 'start', {}) },
  askInfo: {
    roles: 'any',
    handler: (ctx, { grievanceId, question }) => act(ctx, grievanceId, 'askInfo', { note: question }),
  },
  progress: {
    roles: 'any',
    async handler(ctx, { grievanceId, note, photos }) {
      await assertFilesOwned(photos, ctx.caller.openid);
      return act(ctx, grievanceId, 'progress', { note, photos });
    },
  },
  resolve: {
    roles: 'any',
    async handler(ctx, { grievanceId, result, photos }) {
      await assertFilesOwned(photos, ctx.caller.openid);
      return act(ctx, grievanceId, 'resolve', { note: result, photos });
    },
  },
  requestExtension: {
    roles: 'any',
    handler: (ctx, { grievanceId, hours, reason }) =>
      act(ctx, grievanceId, 'requestExtension', { hours, note: reason }),
  },
  decideExtension: {
    roles: 'any',
    handler: (ctx, { grievanceId, approve }) =>
      act(ctx, grievanceId, approve ? 'approveExtension' : 'rejectExtension', { approve }),
  },

  stats: {
    roles: ['worker', 'admin'],
    async handler({ caller, now }, { communityId, from, to }) {
      if (to <= from) throw invalid('统计结束时间须晚于开始时间');
      const id = managedCommunity(caller, communityId);
      const cfg = await communityConfig(id);
      const list = await getAll<Grievance>(
        collection('grievances').where({ communityId: id, createdAt: cmd().gte(from).and(cmd().lt(to)) }),
      );
      return computeStats(list, cfg.categories, { from, to }, now, cfg.policy);
    },
  },

  handlers: {
    roles: ['worker', 'admin'],
    async handler({ caller }, { communityId }) {
      return { handlers: await handlerOptions(managedCommunity(caller, communityId)) };
    },
  },
});

/** Who a grievance can be dispatched to: the community's workers, allied units, its Party members. */
async function handlerOptions(communityId: string): Promise<HandlerOption[]> {
  const _ = cmd();
  const [workers, members, units] = await Promise.all([
    getAll<User>(collection('users').where({ roles: _.elemMatch({ role: 'worker', communityId }) })),
    getAll<User>(collection('users').where({ roles: _.elemMatch({ role: 'member', communityId }) })),
    getAll<Unit>(collection('units').where({ communityIds: communityId })),
  ]);
  return [
    ...workers.map((u) => ({
      kind: 'worker' as const,
      id: u.openid,
      name: u.nickName,
      description: '社区工作者',
    })),
    ...units.map((u) => ({
      kind: 'unit' as const,
      id: u._id,
      name: u.name,
      description: `驻区单位 · ${u.type}`,
    })),
    ...members
      .filter((m) => !workers.some((w) => w.openid === m.openid))
      .map((u) => ({ kind: 'member' as const, id: u.openid, name: u.nickName, description: '党员' })),
  ];
}

/** The day's running number, from a counter document (atomic inside the submit transaction). */
async function nextNumber(t: TxDocs, now: number): Promise<string> {
  const day = grievanceNumber(now, 0).slice(0, 8);
  const counter = await t.get<{ seq: number }>('counters', `grievance-${day}`);
  const seq = (counter?.seq ?? 0) + 1;
  await t.set('counters', `grievance-${day}`, { seq });
  return grievanceNumber(now, seq);
}
