import { DashboardCounters } from '../core/dashboard-counters';
import { SERVICE_FIELDS } from '../domain/dashboard-tally';
import { randomUUID } from 'node:crypto';
import type { Activity, SignUp } from '../../types/domain';
import type {
  ActivityRating,
  ServiceRequest,
  ServiceSummary,
  ServiceTaker,
  TakerCapacity,
} from '../../types/service';
import { serviceSchemas } from '../../types/service-schemas';
import { allInOrder, assertCleanText, assertFilesOwned } from '../core/checks';
import { dataCipher } from '../core/crypto';
import { cmd, collection, getById, transaction } from '../core/db';
import { conflict, forbidden, invalid, notFound } from '../core/errors';
import { defineActions, type ActionContext } from '../core/function';
import { canManageCommunity, hasRole, managedCommunity, type Caller } from '../core/guard';
import type { EmitInput } from '../core/notify/outbox';
import { pageWindow, queryPage, toPage } from '../core/paging';
import { cellsAround } from '../domain/geo-cell';
import { runtime } from '../core/runtime';
import {
  applyServiceAction,
  hoursOnConfirm,
  nearestFirst,
  newServiceRequest,
  ServiceRuleError,
  serviceHours,
  storedRequest,
  type ServiceInput,
} from '../domain/service-request';
import type { ServiceAction, ServiceActorRole } from '../../types/service';
import {
  canServe,
  categories,
  event,
  isTaker,
  loadRequest,
  loadUnit,
  openCompletion,
  peopleOf,
  serviceSettings,
  takerKey,
  takerKeysOf,
  toDetail,
  toSummary,
  unitIdsOf,
  viewerOf,
  workersOf,
} from './common';
import type { User } from '../../types/domain';

export const schemas = serviceSchemas;

const DAY = 24 * 3600_000;
/** At most this many open requests of the caller's ~5 km cells are sorted by distance (the newest). */
export const NEAR_CAP = 500;
/** Residents rate an activity within this long after its end. */
export const RATING_DAYS = 7;

type Act = Exclude<ServiceAction, 'submit'>;

function rule<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof ServiceRuleError) throw conflict(err.message);
    throw err;
  }
}

function capacitiesOf(caller: Caller, communityId: string): TakerCapacity[] {
  const caps: TakerCapacity[] = [];
  if (hasRole(caller, 'volunteer', { communityId })) caps.push('volunteer');
  if (hasRole(caller, 'member')) caps.push('member');
  if (hasRole(caller, 'worker', { communityId })) caps.push('worker');
  return caps;
}

/**
 * One workflow step in a transaction: the rule, the patch and the one timeline entry, the
 * completion writes (hours, records) and the step's messages, all in one commit.
 * Sequential requests: the request (while the transaction starts); the request again with the
 * step's own reads (`prepare`, from the early copy); every write; the commit.
 */
async function act(
  ctx: ActionContext,
  requestId: string,
  action: Act,
  roleOf: (r: ServiceRequest) => ServiceActorRole,
  input: (r: ServiceRequest) => Promise<ServiceInput> | ServiceInput,
  extra?: {
    alongside?: Promise<void>;
    /** Reads made in the transaction's round; returns what the step writes besides the request. */
    writes?: (
      t: Parameters<Parameters<typeof transaction>[0]>[0],
      early: ServiceRequest,
    ) => Promise<(next: ServiceRequest) => Array<() => Promise<unknown>>>;
    events?: (next: ServiceRequest, people: { workers: string[]; takers: string[] }) => EmitInput[];
    /** Whose openids the events need (read alongside). */
    needs?: { workers?: boolean; takers?: boolean };
  },
) {
  const { caller, now } = ctx;
  extra?.alongside?.catch(() => undefined);
  const early = loadRequest(requestId).then((r) => {
    roleOf(r);
    return r;
  });
  const facts = early.then((r) =>
    Promise.all([
      input(r),
      extra?.needs?.workers ? workersOf(r.communityId) : Promise.resolve([]),
      extra?.needs?.takers ? peopleOf(r.takers) : Promise.resolve([]),
      extra?.alongside,
    ]),
  );
  facts.catch(() => undefined);
  const after = await transaction(async (t) => {
    const before = await early;
    const [r, [prepared, workers, takers], finish] = await Promise.all([
      t.get<ServiceRequest>('service_requests', requestId),
      facts,
      extra?.writes ? extra.writes(t, before) : Promise.resolve(undefined),
    ]);
    if (!r) throw notFound('需求不存在');
    const role = roleOf(r);
    const { patch, entry } = rule(() =>
      applyServiceAction(r, action, prepared, { role, openid: caller.openid }, now),
    );
    const next: ServiceRequest = { ...r, ...patch, timeline: [...r.timeline, entry] };
    if (patch.takers) next.takerKeys = [...new Set(patch.takers.map(takerKey))];
    // The step's own writes first: they may complete the request (e.g. the hours recorded).
    const writes = finish ? finish(next) : [];
    const { _id, ...doc } = { _id: next._id, ...storedRequest(next) };
    await Promise.all([
      t.set('service_requests', _id, doc),
      ...writes.map((w) => w()),
      ...(extra?.events?.(next, { workers, takers }) ?? []).map((e) => ctx.emit(t, e)),
    ]);
    return next;
  });
  return toDetail(after, caller, viewerOf(caller, after) ?? 'public', now);
}

const asWorker = (caller: Caller) => (r: ServiceRequest) => {
  if (!canManageCommunity(caller, r.communityId)) throw forbidden('只能管理本社区的需求');
  return 'worker' as const;
};
const asOwner = (caller: Caller) => (r: ServiceRequest) => {
  if (r.openid !== caller.openid) throw forbidden('只有发布需求的居民可以操作');
  return 'resident' as const;
};
const asTaker = (caller: Caller) => (r: ServiceRequest) => {
  if (!isTaker(caller, r)) throw forbidden('只有接单人可以操作');
  return 'taker' as const;
};

/** A page of summaries (the near-me list sorts one community's open requests by distance). */
function summaries(list: ServiceRequest[], now: number): ServiceSummary[] {
  return list.map((r) => toSummary(r, now));
}

export const actions = defineActions('service', {
  categories: {
    roles: 'any',
    async handler({ caller }, { communityId }) {
      const id = communityId ?? caller.user.currentCommunityId;
      return {
        categories: categories(),
        settings: id ? await serviceSettings(id) : { trustedCategories: [] },
      };
    },
  },

  /** Which categories publish without review (per community). */
  settings: {
    roles: ['worker', 'admin'],
    async handler({ caller, now }, input) {
      const communityId = managedCommunity(caller, input.communityId);
      if (!input.trustedCategories) return serviceSettings(communityId);
      const known = new Set(categories().map((c) => c.key));
      const bad = input.trustedCategories.find((k) => !known.has(k));
      if (bad) throw invalid(`未知的需求类别：${bad}`, { trustedCategories: '未知的需求类别' });
      const trustedCategories = [...new Set(input.trustedCategories)];
      await collection('service_settings').doc(communityId).set({ trustedCategories, updatedAt: now });
      return { trustedCategories };
    },
  },

  /**
   * Sequential requests: the settings, workers, photo ownership and text check together (while
   * the transaction starts); the write; the commit; photo URLs.
   */
  submit: {
    roles: 'any',
    async handler(ctx, data) {
      const { caller, now } = ctx;
      if (!categories().some((c) => c.key === data.category))
        throw invalid('请选择需求类别', { category: '请选择需求类别' });
      const checked = allInOrder<
        [unknown, Awaited<ReturnType<typeof serviceSettings>>, string[], void, void]
      >([
        getById('communities', data.communityId).then((c) => {
          if (!c) throw notFound('社区不存在');
          return c;
        }),
        serviceSettings(data.communityId),
        workersOf(data.communityId),
        assertFilesOwned(data.photos, caller.openid),
        assertCleanText(data.text, caller.openid),
      ]);
      checked.catch(() => undefined);
      const cipher = dataCipher(process.env, { demo: runtime().demo });
      const _id = randomUUID().replace(/-/g, '');
      const boardRef = { communityId: data.communityId, at: now, openid: caller.openid };
      const r = await transaction(async (t) => {
        const [[, settings, workers], board] = await Promise.all([
          checked,
          DashboardCounters.open(t, { refs: [boardRef] }),
        ]);
        board.add(boardRef, { [SERVICE_FIELDS.posted]: 1 }); // the public board's "requests posted"
        const created = rule(() =>
          newServiceRequest(
            {
              _id,
              communityId: data.communityId,
              openid: caller.openid,
              category: data.category,
              text: data.text,
              photos: data.photos,
              startAt: data.startAt,
              durationHours: data.durationHours,
              place: data.place,
              ...(data.phone ? { phoneEncrypted: cipher.encrypt(data.phone) } : {}),
              slots: data.slots,
              trusted: settings.trustedCategories.includes(data.category),
            },
            now,
          ),
        );
        const { _id: id, ...doc } = { _id, ...storedRequest(created) };
        const events =
          created.stage === 'pending'
            ? event('serviceTask', created, '有新的需求待审核', workers)
            : event('serviceStatus', created, '已发布，等待志愿者接单', [caller.openid]);
        await Promise.all([
          t.set('service_requests', id, doc),
          ...events.map((e) => ctx.emit(t, e)),
          ...board.writes().map((w) => w()),
        ]);
        return created;
      });
      return toDetail(r, caller, 'owner', now);
    },
  },

  /**
   * 需求大厅: one community's open requests that the caller could take (not their own, not taken by
   * them). `near` (the default with `from`): those in the caller's ~5 km geo cell and its 8
   * neighbours (domain/geo-cell.ts; indexed `in` on community + stage + cell, at most NEAR_CAP of
   * them, newest first), nearest first, paged by the cursor — so a near request shows however many
   * newer ones exist farther away. `newest`: the community's open requests newest first, paged in
   * the database. One database round either way.
   */
  nearby: {
    roles: 'any',
    async handler({ caller, now }, input) {
      const communityId =
        input.communityId ??
        caller.user.currentCommunityId ??
        caller.user.roles.find((g) => g.communityId)?.communityId;
      if (!communityId) throw invalid('请先选择社区');
      if (!canServe(caller, communityId) && !canManageCommunity(caller, communityId))
        throw forbidden('志愿者、党员或驻区单位工作人员可以接单');
      const win = pageWindow(input);
      const keys = new Set(takerKeysOf(caller));
      const takeable = (r: ServiceRequest) =>
        r.openid !== caller.openid && !r.takers.some((t) => keys.has(takerKey(t)));
      const from = input.from;
      if (from && (input.order ?? 'near') === 'near') {
        const { data } = await collection('service_requests')
          .where({ communityId, stage: 'open', geoCell: cmd().in(cellsAround(from)) })
          .orderBy('createdAt', 'desc')
          .limit(NEAR_CAP)
          .get();
        const sorted = nearestFirst((data as ServiceRequest[]).filter(takeable), from);
        const items = sorted.slice(win.skip, win.skip + win.limit).map((r) => toSummary(r, now, from));
        return toPage(items, sorted.length, win);
      }
      // Newest first, paged in the database, the caller's own and already taken ones left out by
      // the query itself (so every page is full and the total counts what can be taken).
      const _ = cmd();
      const query = collection('service_requests').where({
        communityId,
        stage: 'open',
        openid: _.neq(caller.openid),
        takerKeys: _.nin([...keys]),
      });
      const [{ total }, { data }] = await Promise.all([
        query.count() as Promise<{ total: number }>,
        query.orderBy('createdAt', 'desc').skip(win.skip).limit(win.limit).get(),
      ]);
      const items = (data as ServiceRequest[]).map((r) => toSummary(r, now, from));
      return toPage(items, total, win);
    },
  },

  mine: {
    roles: 'any',
    handler: ({ caller, now }, input) =>
      queryPage<ServiceRequest, ServiceSummary>(
        collection('service_requests').where({ openid: caller.openid }),
        { field: 'createdAt', order: 'desc' },
        input,
        (docs) => summaries(docs, now),
      ),
  },

  /** What the caller (or their unit) took. */
  taking: {
    roles: 'any',
    handler: ({ caller, now }, input) =>
      queryPage<ServiceRequest, ServiceSummary>(
        collection('service_requests').where({ takerKeys: cmd().in(takerKeysOf(caller)) }),
        { field: 'createdAt', order: 'desc' },
        input,
        (docs) => summaries(docs, now),
      ),
  },

  queue: {
    roles: ['worker', 'admin'],
    handler: ({ caller, now }, input) => {
      const communityId = managedCommunity(caller, input.communityId);
      return queryPage<ServiceRequest, ServiceSummary>(
        collection('service_requests').where({ communityId, ...(input.stage ? { stage: input.stage } : {}) }),
        { field: 'createdAt', order: 'desc' },
        input,
        (docs) => summaries(docs, now),
      );
    },
  },

  detail: {
    roles: 'any',
    async handler({ caller, now }, { requestId, from }) {
      const r = await loadRequest(requestId);
      const viewer = viewerOf(caller, r);
      if (!viewer) throw forbidden('只能查看自己发布的或已公开的需求');
      return toDetail(r, caller, viewer, now, from);
    },
  },

  approve: {
    roles: 'any',
    handler: (ctx, { requestId }) =>
      act(ctx, requestId, 'approve', asWorker(ctx.caller), () => ({}), {
        events: (r) => event('serviceStatus', r, '已通过审核，等待志愿者接单', [r.openid]),
      }),
  },

  reject: {
    roles: 'any',
    handler: (ctx, { requestId, reason }) =>
      act(ctx, requestId, 'reject', asWorker(ctx.caller), () => ({ note: reason }), {
        alongside: assertCleanText(reason, ctx.caller.openid, 'reason'),
        events: (r) => event('serviceStatus', r, `未通过审核：${reason}`, [r.openid]),
      }),
  },

  /**
   * Take a request, as oneself or (asUnit) for one's unit. Exactly `slots` takers under
   * concurrency: the count lives on the request document the transaction writes.
   */
  take: {
    roles: 'any',
    handler: (ctx, { requestId, asUnit }) => {
      const { caller, now } = ctx;
      return act(
        ctx,
        requestId,
        'take',
        (r) => {
          if (r.openid === caller.openid) throw conflict('不能接自己发布的需求');
          if (!canServe(caller, r.communityId)) throw forbidden('志愿者、党员或驻区单位工作人员可以接单');
          return 'taker';
        },
        async (r): Promise<ServiceInput> => {
          if (asUnit) {
            const units = await Promise.all(unitIdsOf(caller).map(loadUnit));
            const unit = units.find((u) => u.communityIds.includes(r.communityId));
            if (!unit) throw forbidden('你的单位不是本社区的共建单位');
            return {
              taker: {
                kind: 'unit',
                id: unit._id,
                name: unit.name,
                capacities: ['unitStaff'],
                takenAt: now,
                by: caller.openid,
              },
            };
          }
          const capacities = capacitiesOf(caller, r.communityId);
          if (!capacities.length) throw forbidden('志愿者或党员可以个人接单；单位工作人员请以单位名义接单');
          return {
            taker: {
              kind: 'person',
              id: caller.openid,
              name: caller.user.nickName,
              capacities,
              takenAt: now,
              by: caller.openid,
            },
          };
        },
        {
          events: (r) => {
            const last = r.takers[r.takers.length - 1] as ServiceTaker;
            return event('serviceStatus', r, `${last.name}已接单`, [r.openid]);
          },
        },
      );
    },
  },

  /** A worker dispatches to a person (a volunteer or member of the community) or an allied unit. */
  dispatch: {
    roles: 'any',
    handler: (ctx, { requestId, to }) => {
      const { caller, now } = ctx;
      return act(
        ctx,
        requestId,
        'dispatch',
        asWorker(caller),
        async (r): Promise<ServiceInput> => {
          if (to.kind === 'unit') {
            const unit = await getById<{ _id: string; name: string; communityIds: string[] }>('units', to.id);
            if (!unit || !unit.communityIds.includes(r.communityId))
              throw notFound('单位不存在或不是本社区的共建单位');
            return {
              taker: {
                kind: 'unit',
                id: unit._id,
                name: unit.name,
                capacities: ['unitStaff'],
                takenAt: now,
                by: caller.openid,
                dispatched: true,
              },
            };
          }
          const user = await getById<User>('users', to.id);
          const person = user ? { openid: user.openid, user } : undefined;
          const capacities = person ? capacitiesOf(person, r.communityId) : [];
          if (!person || !capacities.length) throw notFound('接单人不存在或不是本社区的志愿者、党员');
          if (person.openid === r.openid) throw conflict('不能派给发布需求的居民本人');
          return {
            taker: {
              kind: 'person',
              id: person.openid,
              name: person.user.nickName,
              capacities,
              takenAt: now,
              by: caller.openid,
              dispatched: true,
            },
          };
        },
        {
          needs: {},
          events: (r) => {
            const last = r.takers[r.takers.length - 1] as ServiceTaker;
            return [
              ...event('serviceStatus', r, `社区已派单，${last.name}接单`, [r.openid]),
              ...(last.kind === 'person'
                ? event('serviceTask', r, '社区派给你一个需求，请按时服务', [last.id])
                : []),
            ];
          },
        },
      );
    },
  },

  complete: {
    roles: 'any',
    handler: (ctx, { requestId, note, photos, hours }) =>
      act(ctx, requestId, 'complete', asTaker(ctx.caller), () => ({ note, photos, hours }), {
        alongside: allInOrder([
          assertFilesOwned(photos, ctx.caller.openid),
          assertCleanText(note, ctx.caller.openid, 'note'),
        ]).then(() => undefined),
        events: (r) => event('serviceStatus', r, '已完成，请确认并评价', [r.openid]),
      }),
  },

  /**
   * The requester confirms (optionally rating at once): each volunteer taker's hours go into the
   * ledgers (entry id per request and person: once), members' and units' yearly counters move.
   */
  confirm: {
    roles: 'any',
    handler: (ctx, { requestId, rating }) =>
      act(
        ctx,
        requestId,
        'confirm',
        asOwner(ctx.caller),
        () => (rating ? { rating: { ...rating, tags: rating.tags ?? [] } } : {}),
        {
          alongside: rating?.comment
            ? assertCleanText(rating.comment, ctx.caller.openid, 'rating.comment')
            : undefined,
          needs: { takers: true },
          writes: async (t, early) => {
            const hours = hoursOnConfirm(early);
            const finish = await openCompletion(t, early, ctx.now, { hours, count: true });
            return (next) => {
              // The takers' recorded hours are part of the request's own write.
              next.takers = next.takers.map((x) => {
                const got = hours.find((h) => h.taker.id === x.id && x.kind === 'person');
                return got ? { ...x, hoursRecorded: got.hours } : x;
              });
              return finish(next);
            };
          },
          events: (r, { takers }) =>
            event(
              'serviceTask',
              r,
              r.rating ? `居民已确认并评价 ${r.rating.stars} 星` : '居民已确认完成',
              takers,
            ),
        },
      ),
  },

  rate: {
    roles: 'any',
    handler: (ctx, { requestId, rating }) =>
      act(
        ctx,
        requestId,
        'rate',
        asOwner(ctx.caller),
        () => ({ rating: { ...rating, tags: rating.tags ?? [] } }),
        {
          alongside: rating.comment
            ? assertCleanText(rating.comment, ctx.caller.openid, 'rating.comment')
            : undefined,
          needs: { takers: true },
          // The public board's ratings (counted in the month of the rating).
          writes: async (t, early) => {
            const ref = { communityId: early.communityId, at: ctx.now, openid: early.openid };
            const board = await DashboardCounters.open(t, { refs: [ref] });
            return (next) => {
              if (next.rating)
                board.add(ref, { [SERVICE_FIELDS.rated]: 1, [SERVICE_FIELDS.stars]: next.rating.stars });
              return board.writes();
            };
          },
          events: (r, { takers }) => event('serviceTask', r, `居民评价 ${r.rating?.stars ?? ''} 星`, takers),
        },
      ),
  },

  cancel: {
    roles: 'any',
    handler: (ctx, { requestId, reason }) =>
      act(
        ctx,
        requestId,
        'cancel',
        (r) => (r.openid === ctx.caller.openid ? 'resident' : asWorker(ctx.caller)(r)),
        () => ({ ...(reason ? { note: reason } : {}) }),
        {
          events: (r) =>
            r.openid === ctx.caller.openid
              ? []
              : event('serviceStatus', r, `已被社区取消${reason ? `：${reason}` : ''}`, [r.openid]),
        },
      ),
  },

  /** A worker records a volunteer taker's hours (e.g. closed unconfirmed), once, capped. */
  recordHours: {
    roles: 'any',
    handler: (ctx, { requestId, takerId, hours }) =>
      act(ctx, requestId, 'recordHours', asWorker(ctx.caller), () => ({ takerId, hours }), {
        writes: async (t, early) => {
          const taker = early.takers.find((x) => x.id === takerId && x.kind === 'person');
          const planned =
            taker && taker.capacities.includes('volunteer') && taker.hoursRecorded === undefined;
          if (!planned) return () => [];
          const h = serviceHours(hours, early.durationHours);
          return openCompletion(t, early, ctx.now, { hours: [{ taker, hours: h }], count: false });
        },
        events: (r) => event('serviceTask', r, '社区已记录你的服务时长', [takerId]),
      }),
  },

  /**
   * A participant rates an activity or a listing session they checked in to, once, within
   * RATING_DAYS of its end: `activity_ratings/<activityId>_<openid>` created in a transaction.
   */
  rateActivity: {
    roles: 'any',
    async handler({ caller, now }, { activityId, rating }) {
      const id = `${activityId}_${caller.openid}`;
      const facts = Promise.all([
        getById<Activity>('activities', activityId),
        getById<SignUp>('signups', id),
        rating.comment ? assertCleanText(rating.comment, caller.openid, 'rating.comment') : undefined,
      ]);
      facts.catch(() => undefined);
      return transaction(async (t) => {
        const [existing, [activity, signUp]] = await Promise.all([
          t.get<ActivityRating>('activity_ratings', id),
          facts,
        ]);
        if (!activity) throw notFound('活动不存在');
        if (!signUp || signUp.checkInAt === undefined) throw forbidden('签到参加过的活动才能评价');
        if (existing) throw conflict('已经评价过了，每个活动只能评价一次');
        if (now < activity.endAt) throw conflict('活动结束后才能评价');
        if (now > activity.endAt + RATING_DAYS * DAY)
          throw conflict(`活动结束 ${RATING_DAYS} 天内可以评价，已超过期限`);
        const doc: ActivityRating = {
          _id: id,
          activityId,
          communityId: activity.communityId,
          openid: caller.openid,
          stars: rating.stars,
          tags: rating.tags ?? [],
          ...(rating.comment ? { comment: rating.comment } : {}),
          at: now,
        };
        const { _id, ...body } = doc;
        await t.set('activity_ratings', _id, body as unknown as Record<string, unknown>);
        return doc;
      });
    },
  },
});
