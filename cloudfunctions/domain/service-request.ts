/**
 * Service-request rules (微心愿 · 点单 / 派单 / 接单 / 评单): the stage machine, who may act when,
 * the slots, deadlines in the grievance style (the deadline that applies now, reminded once), the
 * 3-day confirmation window, hours capped by the planned duration. Pure functions, no I/O:
 * handlers call `applyServiceAction` inside their transactions and write the result.
 *
 * Flow: pending →approve→ open (trusted categories skip review) →take/dispatch→ taken (when every
 * slot is filled; a request with free slots stays open with its takers) →complete→ done →confirm→
 * confirmed →rate→ rated (confirm may carry the rating: straight to rated); done →autoClose (timer,
 * 3 days)→ unconfirmed. reject from pending; cancel from pending or open while nobody took it.
 */
import type {
  ServiceAction,
  ServiceActorRole,
  ServiceCategory,
  ServiceRating,
  ServiceRequest,
  ServiceStage,
  ServiceTaker,
  ServiceTimelineEntry,
} from '../../types/service';
import { SERVICE_STAGE_NAMES } from '../../types/service';
import { distanceMeters, type LatLng } from './volunteer';
import { timeKey } from './grievance-tally';
import { geoCellOf } from './geo-cell';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** Deadlines (hours): review within a day; taken before the wanted time; done within a day of it. */
export const SERVICE_POLICY = {
  reviewHours: 24,
  /** If the wanted time is sooner, taking is due 2 h after posting at least. */
  minTakeHours: 2,
  /** Done is due this long after the wanted end. */
  doneGraceHours: 24,
  /** The requester confirms within this; then the timer closes it as 已完成(未确认). */
  confirmDays: 3,
};

export const DEFAULT_SERVICE_CATEGORIES: ServiceCategory[] = [
  { key: 'errands', name: '代买跑腿' },
  { key: 'companionship', name: '陪伴聊天' },
  { key: 'repairs', name: '小家电维修' },
  { key: 'elderly', name: '助老助残' },
  { key: 'tutoring', name: '学业辅导' },
  { key: 'other', name: '其他' },
];

export const RATING_TAGS = ['准时', '耐心', '专业', '热情', '解决了问题'];

export class ServiceRuleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServiceRuleError';
  }
}

export const stageName = (s: ServiceStage) => SERVICE_STAGE_NAMES[s];

type Rule = { from: ServiceStage[]; by: ServiceActorRole[]; verb: string };

/** Who may take each action from which stages (whether the actor is *this* request's is the handler's check). */
export const SERVICE_TRANSITIONS: Record<Exclude<ServiceAction, 'submit'>, Rule> = {
  approve: { from: ['pending'], by: ['worker'], verb: '审核通过' },
  reject: { from: ['pending'], by: ['worker'], verb: '退回' },
  take: { from: ['open'], by: ['taker'], verb: '接单' },
  dispatch: { from: ['open'], by: ['worker'], verb: '派单' },
  complete: { from: ['open', 'taken'], by: ['taker'], verb: '标记完成' },
  confirm: { from: ['done'], by: ['resident'], verb: '确认完成' },
  rate: { from: ['confirmed'], by: ['resident'], verb: '评价' },
  cancel: { from: ['pending', 'open'], by: ['resident', 'worker'], verb: '取消' },
  autoClose: { from: ['done'], by: ['system'], verb: '自动结单' },
  recordHours: { from: ['done', 'confirmed', 'rated', 'unconfirmed'], by: ['worker'], verb: '记录时长' },
  remindOverdue: { from: ['pending', 'open', 'taken'], by: ['system'], verb: '超时提醒' },
};

const ROLE_NAMES: Record<ServiceActorRole, string> = {
  resident: '发布需求的居民',
  worker: '社区工作者',
  taker: '志愿者、党员或驻区单位',
  system: '系统',
};

/** The deadline that applies now: review, taking, doing; none once done (confirmBy is not a reminder). */
export function dueAt(
  r: Pick<ServiceRequest, 'stage' | 'reviewBy' | 'takeBy' | 'doneBy'>,
): number | undefined {
  switch (r.stage) {
    case 'pending':
      return r.reviewBy;
    case 'open':
      return r.takeBy;
    case 'taken':
      return r.doneBy;
    default:
      return undefined;
  }
}

export function isOverdue(r: Parameters<typeof dueAt>[0], now: number): boolean {
  const due = dueAt(r);
  return due !== undefined && now > due;
}

/** Overdue and not yet reminded for the current deadline (the timer reminds once per deadline). */
export function needsOverdueReminder(
  r: Parameters<typeof dueAt>[0] & Pick<ServiceRequest, 'overdueRemindedAt'>,
  now: number,
): boolean {
  const due = dueAt(r);
  if (due === undefined || now <= due) return false;
  return r.overdueRemindedAt === undefined || r.overdueRemindedAt <= due;
}

/** Done and past the confirmation window: the timer closes it as 已完成(未确认). */
export function needsAutoClose(r: Pick<ServiceRequest, 'stage' | 'confirmBy'>, now: number): boolean {
  return r.stage === 'done' && r.confirmBy !== undefined && now > r.confirmBy;
}

/**
 * The timer's index key: the time of the next thing the timer must do for this request (the
 * current deadline's reminder, or the auto-close); absent when there is none.
 */
export function remindKeyOf(r: ServiceRequest): string | undefined {
  if (r.stage === 'done' && r.confirmBy !== undefined) return timeKey(r.confirmBy);
  const due = dueAt(r);
  if (due === undefined) return undefined;
  if (r.overdueRemindedAt !== undefined && r.overdueRemindedAt > due) return undefined;
  return timeKey(due);
}

/** The stored document (without _id): the request and its index fields (the reminder key; the
 *  coarse geo cell of its place, for 需求大厅's near-me list). */
export function storedRequest(r: ServiceRequest): Record<string, unknown> {
  const { _id, remindKey: _k, geoCell: _g, ...rest } = r;
  const key = remindKeyOf(r);
  const cell = geoCellOf(r.place);
  return { ...rest, ...(key ? { remindKey: key } : {}), ...(cell ? { geoCell: cell } : {}) };
}

export type Outcome = { ok: true } | { ok: false; reason: string };

/** Whether `role` may take `action` now (stage, role, slots, the taker's own rules). */
export function canServiceAction(
  r: Pick<ServiceRequest, 'stage' | 'slots' | 'taken' | 'takers' | 'openid' | 'rating'>,
  action: Exclude<ServiceAction, 'submit'>,
  role: ServiceActorRole,
  who?: { takerId?: string },
): Outcome {
  const rule = SERVICE_TRANSITIONS[action];
  if (!rule.from.includes(r.stage)) {
    if (action === 'rate' && r.rating) return { ok: false, reason: '已经评价过了，每个需求只能评价一次' };
    if (action === 'confirm' && (r.stage === 'confirmed' || r.stage === 'rated'))
      return { ok: false, reason: '已经确认过了' };
    if (action === 'take' && r.stage === 'taken') return { ok: false, reason: '名额已满，已被接单' };
    return { ok: false, reason: `当前状态为「${stageName(r.stage)}」，不能${rule.verb}` };
  }
  if (!rule.by.includes(role)) {
    return { ok: false, reason: `只有${rule.by.map((b) => ROLE_NAMES[b]).join('或')}可以${rule.verb}` };
  }
  if (action === 'take' || action === 'dispatch') {
    if (r.taken >= r.slots) return { ok: false, reason: '名额已满，已被接单' };
    if (who?.takerId && r.takers.some((t) => t.id === who.takerId))
      return { ok: false, reason: '已经接过这个需求了' };
    if (who?.takerId && who.takerId === r.openid) return { ok: false, reason: '不能接自己发布的需求' };
  }
  if (action === 'complete' && r.takers.length === 0) return { ok: false, reason: '还没有人接单' };
  if (action === 'cancel' && r.takers.length > 0)
    return { ok: false, reason: '已有人接单，不能取消，请联系社区' };
  return { ok: true };
}

/** Hours for a taker: the stated duration, capped at the planned duration, rounded down to 0.5 h. */
export function serviceHours(stated: number, plannedHours: number): number {
  if (!Number.isFinite(stated) || stated <= 0) return 0;
  const capped = Math.min(stated, plannedHours);
  return Math.floor(capped * 2 + 1e-9) / 2;
}

/** `counters/<id>`: a member's or a unit's service requests completed in a year (records read them). */
export const memberServiceCounterId = (openid: string, year: number) => `svc-member-${openid}-${year}`;
export const unitServiceCounterId = (unitId: string, year: number) => `svc-unit-${unitId}-${year}`;

/** The hour-ledger entry id for a taker: one per (request, person), so hours are recorded once. */
export const hourEntryId = (requestId: string, openid: string) => `svc_${requestId}_${openid}`;

export type ServiceInput = {
  note?: string;
  photos?: string[];
  taker?: ServiceTaker;
  hours?: number;
  rating?: Omit<ServiceRating, 'at'>;
  takerId?: string;
};

export type Actor = { role: ServiceActorRole; openid?: string };

/**
 * Apply an action: the fields to update (with updatedAt) and the ONE timeline entry to append.
 * Throws ServiceRuleError with a Chinese reason when it is not allowed.
 */
export function applyServiceAction(
  r: ServiceRequest,
  action: Exclude<ServiceAction, 'submit'>,
  input: ServiceInput,
  actor: Actor,
  now: number,
): { patch: Partial<ServiceRequest>; entry: ServiceTimelineEntry } {
  const check = canServiceAction(r, action, actor.role, { takerId: input.taker?.id });
  if (!check.ok) throw new ServiceRuleError(check.reason);
  const patch: Partial<ServiceRequest> = { updatedAt: now };
  let note = input.note?.trim() || undefined;
  const photos = input.photos?.length ? [...input.photos] : undefined;
  switch (action) {
    case 'approve':
      patch.stage = 'open';
      break;
    case 'reject':
      if (!note) throw new ServiceRuleError('请填写未通过的原因');
      patch.stage = 'rejected';
      patch.rejectReason = note;
      break;
    case 'take':
    case 'dispatch': {
      const t = input.taker;
      if (!t) throw new ServiceRuleError('请选择接单人');
      const takers = [...r.takers, t];
      patch.takers = takers;
      patch.taken = takers.length;
      if (takers.length >= r.slots) {
        patch.stage = 'taken';
        patch.doneBy = r.startAt + SERVICE_POLICY.doneGraceHours * HOUR;
      }
      note = `${t.name}${action === 'dispatch' ? '（社区派单）' : ''}接单（${takers.length}/${r.slots}）`;
      break;
    }
    case 'complete': {
      if (!note) throw new ServiceRuleError('请填写服务情况');
      const hours = serviceHours(input.hours ?? 0, r.durationHours);
      if (hours <= 0) throw new ServiceRuleError('请填写服务时长');
      patch.stage = 'done';
      patch.confirmBy = now + SERVICE_POLICY.confirmDays * DAY;
      patch.result = { note, photos: photos ?? [], hours, at: now, by: actor.openid ?? '' };
      break;
    }
    case 'confirm':
      patch.stage = 'confirmed';
      if (input.rating) {
        patch.stage = 'rated';
        patch.rating = { ...input.rating, at: now };
        note = ratingNote(input.rating);
      }
      break;
    case 'rate':
      if (!input.rating) throw new ServiceRuleError('请选择评分');
      patch.stage = 'rated';
      patch.rating = { ...input.rating, at: now };
      note = ratingNote(input.rating);
      break;
    case 'cancel':
      patch.stage = 'cancelled';
      break;
    case 'autoClose':
      patch.stage = 'unconfirmed';
      note = `${SERVICE_POLICY.confirmDays} 天内未确认，自动结单`;
      break;
    case 'recordHours': {
      const t = r.takers.find((x) => x.id === input.takerId);
      if (!t || t.kind !== 'person') throw new ServiceRuleError('接单人不存在');
      if (!t.capacities.includes('volunteer')) throw new ServiceRuleError('只有志愿者的服务计入志愿服务时长');
      if (t.hoursRecorded !== undefined) throw new ServiceRuleError('该接单人的时长已经记录过了');
      const hours = serviceHours(input.hours ?? 0, r.durationHours);
      if (hours <= 0) throw new ServiceRuleError('请填写服务时长');
      patch.takers = r.takers.map((x) => (x === t ? { ...x, hoursRecorded: hours } : x));
      note = `记录 ${t.name} 服务时长 ${hours} 小时`;
      break;
    }
    case 'remindOverdue':
      patch.overdueRemindedAt = now;
      note =
        r.stage === 'pending' ? '已超过审核时限' : r.stage === 'open' ? '已到期仍无人接单' : '已超过完成时限';
      break;
  }
  const entry: ServiceTimelineEntry = {
    action,
    at: now,
    actorRole: actor.role,
    stageAfter: patch.stage ?? r.stage,
  };
  if (actor.openid) entry.actorOpenid = actor.openid;
  if (note) entry.note = note;
  if (photos) entry.photos = photos;
  return { patch, entry };
}

function ratingNote(r: Omit<ServiceRating, 'at'>): string {
  return [`${r.stars} 星`, r.tags.join('、'), r.comment].filter(Boolean).join(' · ');
}

/**
 * Hours each volunteer taker gets when the requester confirms: the stated duration of the result,
 * capped; only person takers serving as volunteers, and only those not yet recorded.
 */
export function hoursOnConfirm(r: ServiceRequest): { taker: ServiceTaker; hours: number }[] {
  const hours = serviceHours(r.result?.hours ?? 0, r.durationHours);
  if (hours <= 0) return [];
  return r.takers
    .filter((t) => t.kind === 'person' && t.capacities.includes('volunteer') && t.hoursRecorded === undefined)
    .map((taker) => ({ taker, hours }));
}

export type NewServiceInput = {
  _id: string;
  communityId: string;
  openid: string;
  category: string;
  text: string;
  photos: string[];
  startAt: number;
  durationHours: number;
  place: ServiceRequest['place'];
  phoneEncrypted?: string;
  slots: number;
  trusted: boolean;
};

export function newServiceRequest(input: NewServiceInput, now: number): ServiceRequest {
  if (input.startAt < now - HOUR) throw new ServiceRuleError('服务时间不能早于现在');
  if (input.startAt > now + 90 * DAY) throw new ServiceRuleError('服务时间最多提前 90 天');
  const stage: ServiceStage = input.trusted ? 'open' : 'pending';
  const entry: ServiceTimelineEntry = {
    action: 'submit',
    at: now,
    actorRole: 'resident',
    actorOpenid: input.openid,
    stageAfter: stage,
    note: input.trusted ? '已发布，等待接单' : '已提交，等待社区审核',
  };
  if (input.photos.length) entry.photos = [...input.photos];
  const r: ServiceRequest = {
    _id: input._id,
    communityId: input.communityId,
    openid: input.openid,
    category: input.category,
    text: input.text,
    photos: [...input.photos],
    startAt: input.startAt,
    durationHours: input.durationHours,
    place: { ...input.place },
    slots: input.slots,
    taken: 0,
    takers: [],
    takerKeys: [],
    stage,
    reviewBy: now + SERVICE_POLICY.reviewHours * HOUR,
    takeBy: Math.max(input.startAt, now + SERVICE_POLICY.minTakeHours * HOUR),
    timeline: [entry],
    createdAt: now,
    updatedAt: now,
  };
  if (input.phoneEncrypted) r.phoneEncrypted = input.phoneEncrypted;
  return r;
}

/** Distance for lists: metres rounded to 100 m (never the exact point). */
export function roundedDistance(from: LatLng, to: LatLng): number {
  return Math.round(distanceMeters(from, to) / 100) * 100;
}

/** Open requests ordered nearest first (ties: sooner wanted time, then newest). */
export function nearestFirst<T extends { place: LatLng; startAt: number; createdAt: number }>(
  list: T[],
  from: LatLng | undefined,
): (T & { distanceM?: number })[] {
  if (!from) return [...list].sort((a, b) => a.startAt - b.startAt || b.createdAt - a.createdAt);
  return list
    .map((r) => ({ ...r, distanceM: roundedDistance(from, r.place) }))
    .sort((a, b) => a.distanceM - b.distanceM || a.startAt - b.startAt || b.createdAt - a.createdAt);
}
