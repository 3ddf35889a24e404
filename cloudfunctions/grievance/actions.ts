import { randomUUID } from 'node:crypto';
import type { GrievanceActionName, GrievanceDetail, GrievanceSummary, HandlerOption } from '../../types/api';
import type { Grievance, GrievanceHandler, TimelineAction, Unit, User } from '../../types/domain';
import { grievanceSchemas } from '../../types/schemas';
import { dataCipher } from '../core/crypto';
import { audit } from '../core/audit';
import { allInOrder, assertCleanText, assertFilesOwned } from '../core/checks';
import { cmd, collection, getAll, getById, transaction, type TxDocs } from '../core/db';
import { AppError, conflict, forbidden, invalid, notFound } from '../core/errors';
import { defineActions, type ActionContext } from '../core/function';
import { managedCommunity, type Caller } from '../core/guard';
import type { EmitInput } from '../core/notify/outbox';
import { queryPage } from '../core/paging';
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
  stageName,
  type TRANSITIONS,
  type ActionInput,
} from '../domain/grievance';
import {
  addTally,
  applyChange,
  bucketId,
  dailyCounterId,
  emptyTally,
  handlerKey,
  ratesOf,
  shanghaiPeriods,
  statsPeriods,
  storedDoc,
  tallyChanges,
  timeKey,
  type StatsBucket,
  type StoredGrievance,
  type Tally,
} from '../domain/grievance-tally';
import { maskPhone } from '../domain/mask';
import { roleKey } from '../domain/roles';
import { actorRoleFor, viewerOf, type Viewer } from './access';
import { categoryName, communityConfig, type CommunityConfig } from './config';
import { decodeQueueCursor, encodeQueueCursor, QUEUE_CURSOR_MESSAGE } from '../../types/grievance-cursor';

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

async function toDetail(
  g: Grievance,
  caller: Caller,
  viewer: Viewer,
  now: number,
  config?: CommunityConfig,
): Promise<GrievanceDetail> {
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
  // The community and every photo URL in one round.
  const [cfg, photoUrls, timeline] = await Promise.all([
    config ?? communityConfig(g.communityId),
    isPublic ? Promise.resolve([]) : storage.urls(g.photos),
    Promise.all(
      g.timeline.map(async ({ actorOpenid: _who, photos, ...entry }) => ({
        ...entry,
        ...(isPublic ? { note: undefined } : {}),
        ...(photos?.length && !isPublic ? { photoUrls: await storage.urls(photos) } : {}),
      })),
    ),
  ]);
  let phoneMasked: string | undefined;
  if (g.phoneEncrypted && !isPublic)
    phoneMasked = maskPhone(dataCipher(process.env, { demo: runtime().demo }).decrypt(g.phoneEncrypted));
  return {
    ...toSummary(g, cfg, now, viewer),
    text: g.text,
    photoUrls,
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
    collection('users').where({ roleKeys: roleKey('unitStaff', { unitId: handler.id }) }),
  );
  return staff.map((u) => u.openid);
}

/** The counter buckets a grievance counts in (month and day × category and handler). */
function bucketIdsOf(g: Grievance): string[] {
  const { day, month } = shanghaiPeriods(g.createdAt);
  const dims = [`c:${g.category}`, ...(g.handler ? [`h:${handlerKey(g.handler)}`] : [])];
  return [month, day].flatMap((period) => dims.map((dim) => bucketId(g.communityId, period, dim)));
}

/**
 * Write a grievance and move its tally between the statistics counters, in the caller's
 * transaction. `read` holds the buckets already read in this transaction (by id, undefined when
 * missing); any other bucket the change needs is read here.
 */
export async function writeGrievance(
  t: TxDocs,
  before: Grievance | undefined,
  after: Grievance,
  policy: CommunityConfig['policy'],
  read: Map<string, StatsBucket | undefined>,
): Promise<void> {
  const changes = tallyChanges(before, after, policy);
  const missing = changes.filter((c) => !read.has(c.id));
  const extra = await Promise.all(missing.map((c) => t.get<StatsBucket>('grievance_stats', c.id)));
  missing.forEach((c, i) => read.set(c.id, extra[i]));
  await Promise.all([
    t.set('grievances', after._id, storedDoc(after)),
    ...changes.map((c) => {
      const { _id, ...bucket } = applyChange(read.get(c.id), c);
      return t.set('grievance_stats', _id, bucket as unknown as Record<string, unknown>);
    }),
  ]);
}

/** Read the grievance and its counter buckets in one round of the transaction. */
async function readForWrite(
  t: TxDocs,
  grievanceId: string,
  bucketIds: string[],
): Promise<{ g: Grievance | undefined; read: Map<string, StatsBucket | undefined> }> {
  const ids = [...new Set(bucketIds)];
  const [g, ...buckets] = await Promise.all([
    t.get<Grievance>('grievances', grievanceId),
    ...ids.map((id) => t.get<StatsBucket>('grievance_stats', id)),
  ]);
  return { g, read: new Map(ids.map((id, i) => [id, buckets[i]])) };
}

/**
 * Apply one workflow action in a transaction: the rule check, the patch and the timeline entry
 * (appended, never rewritten), the statistics counters and the notifications it causes, all in the
 * same write. `prepare` runs alongside the community read and may complete the input (dispatch
 * checks the handler there); `alongside` is any other check to await in that round.
 * Sequential requests: the grievance (while the transaction starts); the grievance again in the
 * transaction with its counters, the community, staff and preparation; the writes; the commit.
 */
async function act(
  ctx: ActionContext,
  grievanceId: string,
  action: keyof typeof TRANSITIONS,
  input: ActionInput,
  prepare?: (g: Grievance) => Promise<ActionInput>,
  alongside?: Promise<void>,
): Promise<GrievanceDetail> {
  const { caller, now } = ctx;
  alongside?.catch(() => undefined); // awaited below; never an unhandled rejection
  const roleFor = (g: Grievance) => {
    const role = actorRoleFor(caller, g, action);
    if (role) return role;
    if (!viewerOf(caller, g)) throw forbidden('只能处理自己反映的或由你办理的诉求');
    throw forbidden(`你不能对这条诉求执行「${actionLabel(action)}」`);
  };
  // Who may act and in which community come from a read made while the transaction starts;
  // the transaction reads the grievance again and decides on that.
  const early = loadGrievance(grievanceId).then((before) => {
    roleFor(before);
    return before;
  });
  const facts = early.then((before) =>
    Promise.all([
      communityConfig(before.communityId),
      input.handler ? staffOf(input.handler) : Promise.resolve([]),
      prepare ? prepare(before) : Promise.resolve(input),
      alongside,
    ]),
  );
  facts.catch(() => undefined); // awaited in the transaction; never an unhandled rejection
  const { after, cfg } = await transaction(async (t) => {
    const before = await early;
    const candidates = [
      ...bucketIdsOf(before),
      ...(input.handler ? bucketIdsOf({ ...before, handler: input.handler }) : []),
    ];
    const [{ g, read }, [config, newHandlerStaff, prepared]] = await Promise.all([
      readForWrite(t, grievanceId, candidates),
      facts,
    ]);
    if (!g) throw notFound('诉求不存在');
    const role = roleFor(g);
    let applied;
    try {
      applied = applyAction(g, action, prepared, { role, openid: caller.openid }, now, config.policy);
    } catch (err) {
      if (err instanceof GrievanceRuleError) throw conflict(err.message);
      throw err;
    }
    const next: Grievance = { ...g, ...applied.patch, timeline: [...g.timeline, applied.entry] };
    await Promise.all([
      writeGrievance(t, g, next, config.policy, read),
      ...eventsFor(next, applied.entry.action, config, newHandlerStaff).map((event) => ctx.emit(t, event)),
    ]);
    return { after: next, cfg: config };
  });
  return toDetail(after, caller, viewerOf(caller, after) ?? 'public', now, cfg);
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

/**
 * Work-queue order, overdue first, then 重办 priority, then the nearest deadline, then creation:
 * four segments of the `queueKey` index (overdue ⇔ queueKey < timeKey(now)), each read in key
 * order. A page reads every remaining segment at once (pageSize + 1 each), so it costs one round
 * whatever its depth; the cursor names the segment and the last key.
 */
const SEGMENTS = [
  { priority: true, overdue: true },
  { priority: false, overdue: true },
  { priority: true, overdue: false },
  { priority: false, overdue: false },
] as const;

async function queuePage(
  base: Record<string, unknown>,
  input: { pageSize: number; cursor?: string },
  now: number,
  overdueOnly: boolean,
): Promise<{ docs: StoredGrievance[]; total: number; nextCursor?: string }> {
  const cursor = decodeQueueCursor(input.cursor);
  if (input.cursor && !cursor) throw invalid(QUEUE_CURSOR_MESSAGE, { cursor: QUEUE_CURSOR_MESSAGE });
  const _ = cmd();
  const nowKey = timeKey(now);
  const segments = SEGMENTS.slice(0, overdueOnly ? 2 : 4);
  const [{ total }, ...pages] = await Promise.all([
    collection('grievances')
      .where({ ...base, ...(overdueOnly ? { queueKey: _.lt(nowKey) } : {}) })
      .count() as Promise<{ total: number }>,
    ...segments.map((seg, i) => {
      if (cursor && i < cursor.segment) return Promise.resolve({ data: [] as unknown[] });
      const range = seg.overdue ? _.lt(nowKey) : _.gte(nowKey);
      const queueKey = cursor && i === cursor.segment ? _.gt(cursor.after).and(range) : range;
      return collection('grievances')
        .where({ ...base, priority: seg.priority, queueKey })
        .orderBy('queueKey', 'asc')
        .limit(input.pageSize + 1)
        .get() as Promise<{ data: unknown[] }>;
    }),
  ]);
  const ordered = pages.flatMap((p, segment) =>
    (p.data as StoredGrievance[]).map((doc) => ({ segment, doc })),
  );
  const shown = ordered.slice(0, input.pageSize);
  const last = shown[shown.length - 1];
  const more = ordered.length > shown.length && last;
  return {
    docs: shown.map((x) => x.doc),
    total,
    ...(more ? { nextCursor: encodeQueueCursor({ segment: last.segment, after: last.doc.queueKey }) } : {}),
  };
}

/** Summaries of grievances from possibly several communities (one parallel read of their configs). */
async function summaries(
  list: Grievance[],
  now: number,
  viewer: Viewer,
  known?: CommunityConfig,
): Promise<GrievanceSummary[]> {
  const ids = [...new Set(list.map((g) => g.communityId))].filter((id) => id !== known?.community._id);
  const configs = new Map((await Promise.all(ids.map(communityConfig))).map((c) => [c.community._id, c]));
  if (known) configs.set(known.community._id, known);
  return list.map((g) => toSummary(g, configs.get(g.communityId) as CommunityConfig, now, viewer));
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

  /**
   * Sequential requests: caller; community + photo ownership + text check together; the
   * transaction (daily limit, running number, grievance, counters); photo URLs.
   */
  submit: {
    roles: 'any',
    async handler(ctx, data) {
      const { caller, now } = ctx;
      // The community's rules and the content checks run while the transaction starts.
      const checked = allInOrder<[CommunityConfig, void, void]>([
        communityConfig(data.communityId),
        assertFilesOwned(data.photos, caller.openid),
        assertCleanText(data.text, caller.openid),
      ]);
      checked.catch(() => undefined); // awaited in the transaction; never an unhandled rejection
      const cipher = dataCipher(process.env, { demo: runtime().demo });
      const _id = randomUUID().replace(/-/g, '');
      const day = shanghaiPeriods(now).day;
      const dailyId = dailyCounterId(caller.openid, now);
      const draft = {
        _id,
        communityId: data.communityId,
        category: data.category,
        createdAt: now,
      } as Grievance;
      const { g, cfg } = await transaction(async (t) => {
        const ids = bucketIdsOf(draft);
        const [[config], daily, number, ...buckets] = await Promise.all([
          checked,
          t.get<{ count: number }>('counters', dailyId),
          t.get<{ seq: number }>('counters', `grievance-${day}`),
          ...ids.map((id) => t.get<StatsBucket>('grievance_stats', id)),
        ]);
        const category = config.categories.find((c) => c.key === data.category);
        if (!category) throw invalid('请选择诉求类别', { category: '请选择诉求类别' });
        const today = daily?.count ?? 0;
        if (today >= DAILY_SUBMISSION_LIMIT) {
          throw new AppError(
            'RATE_LIMITED',
            `每人每天最多反映 ${DAILY_SUBMISSION_LIMIT} 条诉求，请明天再提交`,
          );
        }
        const seq = (number?.seq ?? 0) + 1;
        const created = newGrievance(
          {
            _id,
            number: grievanceNumber(now, seq),
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
          config.policy,
        );
        await Promise.all([
          t.set('counters', dailyId, { count: today + 1, openid: caller.openid, day }),
          t.set('counters', `grievance-${day}`, { seq }),
          writeGrievance(t, undefined, created, config.policy, new Map(ids.map((id, i) => [id, buckets[i]]))),
        ]);
        return { g: created, cfg: config };
      });
      await runtime().contentCheck.images(data.photos, caller.openid);
      return toDetail(g, caller, 'owner', now, cfg);
    },
  },

  mine: {
    roles: 'any',
    async handler({ caller, now }, input) {
      const where: Record<string, unknown> = { openid: caller.openid };
      if (input.stage === 'open') where.stage = cmd().in([...OPEN_STAGES]);
      if (input.stage === 'closed') where.stage = cmd().in([...CLOSED_STAGES]);
      return queryPage<Grievance, GrievanceSummary>(
        collection('grievances').where(where),
        { field: 'createdAt', order: 'desc' },
        input,
        (docs) => summaries(docs, now, 'owner'),
      );
    },
  },

  detail: {
    roles: 'any',
    async handler({ caller, now }, { grievanceId }) {
      const g = await loadGrievance(grievanceId);
      return toDetail(g, caller, viewOrForbid(caller, g), now);
    },
  },

  /** The full phone, for the submitter and the staff on the case; staff reveals are audited. */
  revealPhone: {
    roles: 'any',
    async handler({ caller, now }, { grievanceId }) {
      const g = await loadGrievance(grievanceId);
      const viewer = viewOrForbid(caller, g);
      if (viewer === 'public') throw forbidden('不能查看他人的联系电话');
      if (!g.phoneEncrypted) return { phone: null };
      const phone = dataCipher(process.env, { demo: runtime().demo }).decrypt(g.phoneEncrypted);
      // The phone leaves only once its audit entry is written.
      await transaction((t) =>
        audit(t, {
          at: now,
          actor: caller.openid,
          action: 'grievancePhoneRevealed',
          subject: g.openid,
          communityId: g.communityId,
          detail: `诉求 ${g.number}（${viewer === 'owner' ? '本人' : viewer === 'manager' ? '社区' : '承办人'}查看）`,
        }),
      );
      runtime().log('info', 'grievance phone revealed', { grievanceId, viewer });
      return { phone };
    },
  },

  supplyInfo: {
    roles: 'any',
    handler: (ctx, { grievanceId, text, photos }) =>
      act(
        ctx,
        grievanceId,
        'supplyInfo',
        { note: text, photos },
        undefined,
        allInOrder([
          assertFilesOwned(photos, ctx.caller.openid),
          assertCleanText(text, ctx.caller.openid),
        ]).then(() => undefined),
      ),
  },

  rate: {
    roles: 'any',
    handler: (ctx, { grievanceId, satisfaction, comment }) =>
      act(
        ctx,
        grievanceId,
        'rate',
        { satisfaction, ...(comment ? { comment } : {}) },
        undefined,
        comment ? assertCleanText(comment, ctx.caller.openid) : undefined,
      ),
  },

  /** A community's queue: one round for the community, the total and the page (keyset, any depth). */
  queue: {
    roles: ['worker', 'admin'],
    async handler({ caller, now }, input) {
      const communityId = managedCommunity(caller, input.communityId);
      const base: Record<string, unknown> = { communityId };
      if (input.stage) base.stage = input.stage;
      if (input.category) base.category = input.category;
      const [cfg, page] = await Promise.all([
        communityConfig(communityId),
        queuePage(base, input, now, input.overdueOnly),
      ]);
      const items = page.docs.map((g) => toSummary(g, cfg, now, 'manager'));
      return { items, total: page.total, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
    },
  },

  handlerQueue: {
    roles: 'any',
    async handler({ caller, now }, input) {
      const unitIds = caller.user.roles
        .filter((r) => r.role === 'unitStaff' && r.unitId)
        .map((r) => r.unitId as string);
      const keys = [
        ...(['worker', 'grid', 'member'] as const).map((kind) => handlerKey({ kind, id: caller.openid })),
        ...unitIds.map((id) => handlerKey({ kind: 'unit', id })),
      ];
      const page = await queuePage({ handlerKey: cmd().in(keys) }, input, now, false);
      const items = await summaries(page.docs, now, 'handler');
      return { items, total: page.total, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
    },
  },

  accept: { roles: 'any', handler: (ctx, { grievanceId }) => act(ctx, grievanceId, 'accept', {}) },
  returnGrievance: {
    roles: 'any',
    handler: (ctx, { grievanceId, reason }) => act(ctx, grievanceId, 'return', { note: reason }),
  },
  dispatch: {
    roles: 'any',
    handler: (ctx, { grievanceId, handler }) =>
      act(ctx, grievanceId, 'dispatch', { handler: { ...handler, name: '' } }, async (g) => {
        const option = (await handlerOptions(g.communityId)).find(
          (o) => o.kind === handler.kind && o.id === handler.id,
        );
        if (!option) throw notFound('承办人不存在或不属于本社区');
        return { handler: { kind: option.kind, id: option.id, name: option.name } };
      }),
  },
  start: { roles: 'any', handler: (ctx, { grievanceId }) => act(ctx, grievanceId, 'start', {}) },
  askInfo: {
    roles: 'any',
    handler: (ctx, { grievanceId, question }) => act(ctx, grievanceId, 'askInfo', { note: question }),
  },
  progress: {
    roles: 'any',
    handler: (ctx, { grievanceId, note, photos }) =>
      act(
        ctx,
        grievanceId,
        'progress',
        { note, photos },
        undefined,
        assertFilesOwned(photos, ctx.caller.openid),
      ),
  },
  resolve: {
    roles: 'any',
    handler: (ctx, { grievanceId, result, photos }) =>
      act(
        ctx,
        grievanceId,
        'resolve',
        { note: result, photos },
        undefined,
        assertFilesOwned(photos, ctx.caller.openid),
      ),
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

  /**
   * Figures for grievances created in the period, widened to whole Asia/Shanghai days: the
   * counters of its months and edge days, and indexed counts of the overdue ones
   * (queueKey < timeKey(now): the deadline that applies now has passed).
   * Sequential requests: caller; community + counters + overall overdue; overdue per group.
   */
  stats: {
    roles: ['worker', 'admin'],
    async handler({ caller, now }, { communityId, from, to }) {
      if (to <= from) throw invalid('统计结束时间须晚于开始时间');
      const span = statsPeriods(from, to);
      if (!span) throw invalid('统计时段最长 5 年，请缩短');
      const id = managedCommunity(caller, communityId);
      const _ = cmd();
      const overdue = async (extra: Record<string, unknown>) =>
        (
          (await collection('grievances')
            .where({
              communityId: id,
              queueKey: _.lt(timeKey(now)),
              createdAt: _.gte(span.from).and(_.lt(span.to)),
              ...extra,
            })
            .count()) as { total: number }
        ).total;
      const [cfg, buckets, overdueAll] = await Promise.all([
        communityConfig(id),
        getAll<StatsBucket>(
          collection('grievance_stats').where({ communityId: id, period: _.in(span.periods) }),
        ),
        overdue({}),
      ]);
      const groups = new Map<string, { tally: Tally; name?: string; period: string }>();
      for (const b of buckets) {
        const group = groups.get(b.dim) ?? { tally: emptyTally(), period: '' };
        group.tally = addTally(group.tally, b);
        // The handler's name from the latest period.
        if (b.name !== undefined && b.period >= group.period) {
          group.name = b.name;
          group.period = b.period;
        }
        groups.set(b.dim, group);
      }
      const live = [...groups].filter(([, v]) => v.tally.received > 0);
      const categoryDims = live.filter(([dim]) => dim.startsWith('c:'));
      const handlerDims = live.filter(([dim]) => dim.startsWith('h:'));
      const counts = await Promise.all([
        ...categoryDims.map(([dim]) => overdue({ category: dim.slice(2) })),
        ...handlerDims.map(([dim]) => overdue({ handlerKey: dim.slice(2) })),
      ]);
      const order = new Map(cfg.categories.map((c, i) => [c.key, i]));
      const byCategory = categoryDims
        .map(([dim, v], i) => {
          const key = dim.slice(2);
          return { category: key, name: categoryName(cfg, key), ...ratesOf(v.tally, counts[i] ?? 0) };
        })
        .map((row) => (order.has(row.category) ? row : { ...row, name: row.category }))
        .sort(
          (a, b) =>
            (order.get(a.category) ?? Infinity) - (order.get(b.category) ?? Infinity) ||
            a.category.localeCompare(b.category),
        );
      const byHandler = handlerDims
        .map(([dim, v], i) => {
          const key = dim.slice(2);
          const kind = key.slice(0, key.indexOf(':')) as GrievanceHandler['kind'];
          return {
            handler: key,
            name: v.name ?? key,
            kind,
            ...ratesOf(v.tally, counts[categoryDims.length + i] ?? 0),
          };
        })
        .sort((a, b) => b.received - a.received || a.handler.localeCompare(b.handler));
      const total = categoryDims.reduce((sum, [, v]) => addTally(sum, v.tally), emptyTally());
      return { from: span.from, to: span.to, ...ratesOf(total, overdueAll), byCategory, byHandler };
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
  const [workers, members, units] = await Promise.all([
    getAll<User>(collection('users').where({ roleKeys: roleKey('worker', { communityId }) })),
    getAll<User>(collection('users').where({ roleKeys: roleKey('member', { communityId }) })),
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
