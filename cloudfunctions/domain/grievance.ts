/**
 * Grievance rules (群众诉求 · 接诉即办): the stage machine, who may act when, deadlines,
 * extensions, reopen-once-then-escalate, numbering. Pure functions, no I/O; handlers call
 * `applyAction` inside their transactions, write the patch and append the one timeline entry.
 *
 * Flow: submitted →accept→ accepted →dispatch→ dispatched →start→ inProgress →resolve→ resolved
 * →rate→ rated; `return` from submitted is final; 不满意 reopens once (重办, priority), a second
 * 不满意 escalates to the street (已上报街道), from where only an admin dispatches again.
 */
import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';
import type {
  ActorRole,
  DeadlinePolicy,
  Grievance,
  GrievanceCategory,
  GrievanceHandler,
  GrievanceStage,
  Satisfaction,
  TimelineAction,
  TimelineEntry,
} from '../../types/domain';
import { SHANGHAI_OFFSET_MS as SHANGHAI_OFFSET } from './shanghai';

dayjs.extend(utc);
dayjs.extend(timezone);

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const TZ = 'Asia/Shanghai';
/** Asia/Shanghai has kept UTC+8 without daylight saving since 1991. */

export const DEFAULT_POLICY: DeadlinePolicy = {
  urgent: { respondHours: 2, resolveHours: 24 },
  general: { respondHours: 24, resolveHours: 24 * 7 },
  complex: { respondHours: 24, resolveHours: 24 * 15 },
};

export const DEFAULT_CATEGORIES: GrievanceCategory[] = [
  { key: 'sanitation', name: '环境卫生', urgency: 'general' },
  { key: 'property', name: '物业管理', urgency: 'general' },
  { key: 'neighbours', name: '邻里纠纷', urgency: 'complex' },
  { key: 'repairs', name: '设施报修', urgency: 'general' },
  { key: 'safety', name: '安全隐患', urgency: 'urgent' },
  { key: 'other', name: '其他', urgency: 'general' },
];

/** Submissions per resident per Asia/Shanghai day. */
export const DAILY_SUBMISSION_LIMIT = 5;

export type Actor = { role: ActorRole; openid?: string };
export type GrievanceAction = TimelineAction;

export type ActionInput = {
  note?: string;
  photos?: string[];
  handler?: GrievanceHandler;
  hours?: number;
  approve?: boolean;
  satisfaction?: Satisfaction;
  comment?: string;
};

export class GrievanceRuleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GrievanceRuleError';
  }
}

export type Outcome = { ok: true } | { ok: false; reason: string };
const ok: Outcome = { ok: true };
const no = (reason: string): Outcome => ({ ok: false, reason });

type TransitionAction = Exclude<TimelineAction, 'submit' | 'remindOverdue' | 'followUp' | 'closeUnrated'>;

const WORKING: GrievanceStage[] = ['dispatched', 'inProgress'];

/**
 * The stages each action may start from, and who may take it. `reopen` and `escalate` are never
 * taken directly: they are the outcome of a 不满意 `rate` (empty lists). Whether the actor is
 * *this* grievance's submitter / handler / community worker is the handler's check.
 */
export const TRANSITIONS: Record<TransitionAction, { from: GrievanceStage[]; by: ActorRole[] }> = {
  accept: { from: ['submitted'], by: ['worker', 'admin'] },
  return: { from: ['submitted'], by: ['worker', 'admin'] },
  dispatch: {
    from: ['accepted', 'dispatched', 'inProgress', 'reopened', 'escalated'],
    by: ['worker', 'admin'],
  },
  start: { from: ['dispatched'], by: ['handler'] },
  askInfo: { from: WORKING, by: ['handler', 'worker'] },
  supplyInfo: { from: WORKING, by: ['resident'] },
  progress: { from: WORKING, by: ['handler'] },
  requestExtension: { from: WORKING, by: ['handler'] },
  approveExtension: { from: WORKING, by: ['worker', 'admin'] },
  rejectExtension: { from: WORKING, by: ['worker', 'admin'] },
  resolve: { from: WORKING, by: ['handler'] },
  rate: { from: ['resolved'], by: ['resident'] },
  reopen: { from: [], by: [] },
  escalate: { from: [], by: [] },
};

const STAGE_NAMES: Record<GrievanceStage, string> = {
  submitted: '待受理',
  accepted: '已受理',
  dispatched: '已派单',
  inProgress: '办理中',
  resolved: '已办结',
  rated: '已评价',
  returned: '已退回',
  reopened: '重办',
  escalated: '已上报街道',
};

export function stageName(stage: GrievanceStage): string {
  return STAGE_NAMES[stage];
}

/** The verb for each action, as used in messages (当前状态为「…」，不能<verb>). */
export const ACTION_NAMES: Record<TimelineAction, string> = {
  submit: '提交',
  accept: '受理',
  return: '退回',
  dispatch: '派单',
  start: '开始办理',
  askInfo: '要求补充信息',
  supplyInfo: '补充信息',
  progress: '更新进展',
  requestExtension: '申请延期',
  approveExtension: '批准延期',
  rejectExtension: '驳回延期',
  resolve: '办结',
  rate: '评价',
  reopen: '重办',
  escalate: '上报街道',
  remindOverdue: '超时提醒',
  followUp: '回访',
  closeUnrated: '未评价结案',
};

const ROLE_NAMES: Record<ActorRole, string> = {
  resident: '提交诉求的群众',
  worker: '社区工作者',
  handler: '承办人',
  admin: '管理员',
  system: '系统',
};

/** The handler action `decideExtension` maps to one of two timeline actions. */
export const decideExtensionAction = (approve: boolean): 'approveExtension' | 'rejectExtension' =>
  approve ? 'approveExtension' : 'rejectExtension';

type DeadlineView = Pick<Grievance, 'stage' | 'respondBy' | 'resolveBy'>;

/**
 * The deadline that applies now: respondBy while waiting to be taken up (submitted, or escalated
 * and waiting for the street), resolveBy while being handled (accepted … inProgress, reopened);
 * none once resolved, rated or returned.
 */
export function dueAt(g: DeadlineView): number | undefined {
  switch (g.stage) {
    case 'submitted':
    case 'escalated':
      return g.respondBy;
    case 'accepted':
    case 'dispatched':
    case 'inProgress':
    case 'reopened':
      return g.resolveBy;
    default:
      return undefined;
  }
}

/** Past the deadline that applies now (at the deadline itself is still in time). */
export function isOverdue(g: DeadlineView, now: number): boolean {
  const due = dueAt(g);
  return due !== undefined && now > due;
}

/** Overdue and not yet reminded for the current deadline (for the timer, so it reminds once). */
export function needsOverdueReminder(
  g: DeadlineView & Pick<Grievance, 'overdueRemindedAt'>,
  now: number,
): boolean {
  const due = dueAt(g);
  if (due === undefined || now <= due) return false;
  return g.overdueRemindedAt === undefined || g.overdueRemindedAt <= due;
}

type GuardView = Pick<Grievance, 'stage' | 'awaitingInfo' | 'extension' | 'reopenCount'> &
  Partial<Pick<Grievance, 'unratedAt'>> &
  Partial<Pick<Grievance, 'respondBy' | 'resolveBy'>>;

/**
 * Whether `actorRole` may take `action` on a grievance in its current state. With `now` (and
 * the deadline fields) it also checks the time rules: extensions only before resolveBy, overdue
 * reminders only when overdue. `applyAction` always checks both.
 */
export function canTransition(
  g: GuardView,
  action: TimelineAction,
  actorRole: ActorRole,
  now?: number,
): Outcome {
  const verb = ACTION_NAMES[action];
  if (action === 'submit') return no('诉求已提交，不能重复提交');
  if (action === 'remindOverdue') {
    if (actorRole !== 'system') return no('超时提醒只能由系统发出');
    if (now !== undefined && g.respondBy !== undefined) {
      if (dueAt(g as DeadlineView) === undefined) {
        return no(`当前状态为「${stageName(g.stage)}」，没有进行中的时限`);
      }
      if (!isOverdue(g as DeadlineView, now)) return no('诉求尚未超时，无需提醒');
    }
    return ok;
  }
  if (action === 'followUp' || action === 'closeUnrated') return no('回访只能由系统发出');
  if (action === 'rate' && g.unratedAt !== undefined) return no('已超过评价期限，诉求已按未评价结案');
  if (action === 'reopen' || action === 'escalate') {
    return no(`「${verb}」只能由群众评价不满意触发`);
  }
  const rule = TRANSITIONS[action];
  if (!rule.from.includes(g.stage)) return no(`当前状态为「${stageName(g.stage)}」，不能${verb}`);
  if (!rule.by.includes(actorRole)) {
    return no(`只有${rule.by.map((r) => ROLE_NAMES[r]).join('或')}可以${verb}`);
  }
  if (action === 'dispatch' && g.stage === 'escalated' && actorRole !== 'admin') {
    return no('诉求已上报街道，只有管理员可以重新派单');
  }
  switch (action) {
    case 'askInfo':
      if (g.awaitingInfo) return no('已在等待群众补充信息');
      break;
    case 'supplyInfo':
      if (!g.awaitingInfo) return no('承办人没有要求补充信息');
      break;
    case 'requestExtension':
      if (g.extension?.status === 'pending') return no('已有延期申请等待审批');
      if (now !== undefined && g.resolveBy !== undefined && now >= g.resolveBy) {
        return no('已超过办理时限，不能申请延期');
      }
      break;
    case 'approveExtension':
    case 'rejectExtension':
      if (g.extension?.status !== 'pending') return no('没有待审批的延期申请');
      break;
  }
  return ok;
}

const hoursOf = (policy: DeadlinePolicy, g: Pick<Grievance, 'urgency'>) => policy[g.urgency];

const text = (s: string | undefined) => (s ?? '').trim();

function required(value: string | undefined, reason: string): string {
  const v = text(value);
  if (!v) throw new GrievanceRuleError(reason);
  return v;
}

/**
 * Apply an action. Returns the fields to update (always with updatedAt) and the ONE timeline
 * entry to append. Throws GrievanceRuleError with a Chinese reason when the action is illegal.
 */
export function applyAction(
  g: Grievance,
  action: TimelineAction,
  input: ActionInput,
  actor: Actor,
  now: number,
  policy: DeadlinePolicy = DEFAULT_POLICY,
): { patch: Partial<Grievance>; entry: TimelineEntry } {
  const check = canTransition(g, action, actor.role, now);
  if (!check.ok) throw new GrievanceRuleError(check.reason);
  if (action === 'remindOverdue' && !isOverdue(g, now)) {
    throw new GrievanceRuleError('诉求尚未超时，无需提醒');
  }

  const limits = hoursOf(policy, g);
  const patch: Partial<Grievance> = { updatedAt: now };
  let entryAction: TimelineAction = action;
  let note = text(input.note) || undefined;
  const photos = input.photos?.length ? [...input.photos] : undefined;

  switch (action) {
    case 'accept':
      patch.stage = 'accepted';
      patch.acceptedAt = now;
      patch.resolveBy = now + limits.resolveHours * HOUR;
      break;

    case 'return':
      note = required(input.note, '请填写退回原因');
      patch.stage = 'returned';
      break;

    case 'dispatch': {
      const h = input.handler;
      if (!h || !h.id) throw new GrievanceRuleError('请选择承办人');
      if ((g.stage === 'dispatched' || g.stage === 'inProgress') && sameHandler(g.handler, h)) {
        throw new GrievanceRuleError('诉求已派给该承办人，改派请选择其他承办人');
      }
      patch.stage = 'dispatched';
      patch.handler = { kind: h.kind, id: h.id, name: h.name };
      // Coming back from the street: a fresh resolve limit starts with the new dispatch.
      if (g.stage === 'escalated') patch.resolveBy = now + limits.resolveHours * HOUR;
      break;
    }

    case 'start':
      patch.stage = 'inProgress';
      break;

    case 'askInfo':
      note = required(input.note, '请写明需要补充的内容');
      patch.awaitingInfo = true;
      break;

    case 'supplyInfo':
      if (!note && !photos) throw new GrievanceRuleError('请补充说明');
      patch.awaitingInfo = false;
      break;

    case 'progress':
      note = required(input.note, '请填写进展');
      if (g.stage === 'dispatched') patch.stage = 'inProgress';
      break;

    case 'requestExtension': {
      const hours = input.hours;
      if (hours === undefined || !Number.isFinite(hours) || hours <= 0) {
        throw new GrievanceRuleError('请填写延期时长');
      }
      const reason = required(input.note, '请填写延期原因');
      if (g.resolveBy === undefined || now >= g.resolveBy) {
        throw new GrievanceRuleError('已超过办理时限，不能申请延期');
      }
      patch.extension = { hours, reason, requestedAt: now, status: 'pending' };
      note = `申请延期 ${hours} 小时：${reason}`;
      break;
    }

    case 'approveExtension': {
      const ext = pendingExtension(g);
      patch.extension = { ...ext, status: 'approved', decidedAt: now };
      patch.resolveBy = (g.resolveBy ?? now) + ext.hours * HOUR;
      note = note ?? `同意延期 ${ext.hours} 小时`;
      break;
    }

    case 'rejectExtension': {
      const ext = pendingExtension(g);
      patch.extension = { ...ext, status: 'rejected', decidedAt: now };
      note = note ?? '不同意延期';
      break;
    }

    case 'resolve':
      note = required(input.note, '请填写办理结果');
      patch.stage = 'resolved';
      patch.resolvedAt = now;
      patch.awaitingInfo = false;
      // Nothing is left to extend: an undecided request lapses.
      if (g.extension?.status === 'pending') {
        patch.extension = { ...g.extension, status: 'rejected', decidedAt: now };
      }
      break;

    case 'rate': {
      const satisfaction = input.satisfaction;
      if (!satisfaction) throw new GrievanceRuleError('请选择满意程度');
      const comment = text(input.comment) || undefined;
      patch.rating = comment ? { satisfaction, comment, at: now } : { satisfaction, at: now };
      if (satisfaction !== 'dissatisfied') {
        patch.stage = 'rated';
        patch.closedAt = now;
        note = comment;
      } else if (g.reopenCount === 0) {
        entryAction = 'reopen';
        patch.stage = 'reopened';
        patch.reopenCount = 1;
        patch.priority = true;
        patch.resolveBy = now + limits.resolveHours * HOUR;
        note = comment ? `群众评价不满意，转为重办：${comment}` : '群众评价不满意，转为重办';
      } else {
        entryAction = 'escalate';
        patch.stage = 'escalated';
        patch.reopenCount = g.reopenCount + 1;
        patch.priority = true;
        // The street must take it up within the respond limit.
        patch.respondBy = now + limits.respondHours * HOUR;
        note = comment ? `重办后群众仍不满意，已上报街道：${comment}` : '重办后群众仍不满意，已上报街道';
      }
      break;
    }

    case 'remindOverdue':
      patch.overdueRemindedAt = now;
      note =
        note ?? (g.stage === 'submitted' || g.stage === 'escalated' ? '已超过受理时限' : '已超过办理时限');
      break;
  }

  const entry: TimelineEntry = {
    action: entryAction,
    at: now,
    actorRole: actor.role,
    stageAfter: patch.stage ?? g.stage,
  };
  if (actor.openid) entry.actorOpenid = actor.openid;
  if (note) entry.note = note;
  if (photos) entry.photos = photos;
  return { patch, entry };
}

function pendingExtension(g: Grievance): NonNullable<Grievance['extension']> {
  if (g.extension?.status !== 'pending') throw new GrievanceRuleError('没有待审批的延期申请');
  return g.extension;
}

function sameHandler(a: GrievanceHandler | undefined, b: GrievanceHandler): boolean {
  return !!a && a.kind === b.kind && a.id === b.id;
}

export type NewGrievanceInput = {
  _id: string;
  number: string;
  communityId: string;
  openid: string;
  category: GrievanceCategory;
  text: string;
  photos: string[];
  location?: Grievance['location'];
  phoneEncrypted?: string;
  isPublic: boolean;
};

export function newGrievance(
  input: NewGrievanceInput,
  now: number,
  policy: DeadlinePolicy = DEFAULT_POLICY,
): Grievance {
  const urgency = input.category.urgency;
  const entry: TimelineEntry = {
    action: 'submit',
    at: now,
    actorRole: 'resident',
    actorOpenid: input.openid,
    stageAfter: 'submitted',
  };
  if (input.photos.length) entry.photos = [...input.photos];
  const g: Grievance = {
    _id: input._id,
    number: input.number,
    communityId: input.communityId,
    openid: input.openid,
    category: input.category.key,
    urgency,
    text: input.text,
    photos: [...input.photos],
    isPublic: input.isPublic,
    stage: 'submitted',
    priority: false,
    reopenCount: 0,
    awaitingInfo: false,
    respondBy: now + policy[urgency].respondHours * HOUR,
    timeline: [entry],
    createdAt: now,
    updatedAt: now,
  };
  if (input.location) g.location = input.location;
  if (input.phoneEncrypted) g.phoneEncrypted = input.phoneEncrypted;
  return g;
}

/** 'YYYYMMDD-NNNN', the date in Asia/Shanghai; seq is the day's running number (from 1). */
export function grievanceNumber(now: number, seq: number): string {
  return `${dayjs(now).tz(TZ).format('YYYYMMDD')}-${String(seq).padStart(4, '0')}`;
}

/** Start of the Asia/Shanghai day containing `now` (for the daily submission limit). */
export function shanghaiDayStart(now: number): number {
  return Math.floor((now + SHANGHAI_OFFSET) / DAY) * DAY - SHANGHAI_OFFSET;
}
