import type { ActivityDetail, MyActivity, Participant } from '../../types/api';
import type { Activity, Community, SignUp, User } from '../../types/domain';
import { activitySchemas } from '../../types/schemas';
import { byIds, cmd, collection, getById, newId, transaction, type TxDocs } from '../core/db';
import { conflict, forbidden, notFound } from '../core/errors';
import { defineActions, type ActionContext } from '../core/function';
import { assertManagesCommunity, canManageCommunity, type Caller } from '../core/guard';
import { pageWindow, queryPage, toPage } from '../core/paging';
import * as rules from '../domain/activity';
import { ACTIVE, cancelActivityJob, signUpTimesJob } from './jobs';
import { noticeActions } from './notices';
import { activityPayload, changeOf } from './notifications';
import { assertTiming, loadUnits, publishActivity } from './publish';
import { effectiveStatus, toDetail, toSummary } from './views';

export const schemas = activitySchemas;

const signUpId = (activityId: string, openid: string) => `${activityId}_${openid}`;

async function loadActivity(id: string): Promise<Activity> {
  const a = await getById<Activity>('activities', id);
  if (!a) throw notFound('活动不存在或已删除');
  return a;
}

async function detailFor(a: Activity, { caller, now }: ActionContext): Promise<ActivityDetail> {
  const [mine, community, hostUnits] = await Promise.all([
    getById<SignUp>('signups', signUpId(a._id, caller.openid)),
    getById<Community>('communities', a.communityId),
    a.hostUnitIds.length ? loadUnits(a.hostUnitIds).catch(() => []) : Promise.resolve([]),
  ]);
  return toDetail(a, {
    now,
    mine: mine && { ...mine, status: effectiveStatus(a, mine.status) },
    communityName: community?.name ?? '',
    hostUnits: hostUnits.map((u) => ({ _id: u._id, name: u.name })),
    canManage: canManageCommunity(caller, a.communityId),
    signUpCheck: rules.canSignUp(a, caller.user.roles, now),
  });
}

/**
 * Move people from the waitlist into freed places, inside the caller's transaction, and tell
 * them (the event commits with the promotion). Returns the writes as one promise for the caller
 * to send together with its own (one round trip).
 */
function promote(
  t: TxDocs,
  a: Activity,
  ctx: ActionContext,
): { promoted: string[]; activity: Activity; writes: () => Promise<unknown> } {
  const { now } = ctx;
  const promoted = rules.promotions(a);
  const writes = () =>
    Promise.all([
      ...promoted.map((openid) =>
        t.update('signups', signUpId(a._id, openid), {
          status: 'confirmed',
          confirmedAt: now,
          updatedAt: now,
        }),
      ),
      promoted.length
        ? ctx.emit(t, {
            kind: 'waitlistPromoted',
            payload: activityPayload(a),
            recipients: { openids: promoted },
          })
        : undefined,
    ]);
  return {
    promoted,
    writes,
    activity: {
      ...a,
      confirmedCount: a.confirmedCount + promoted.length,
      waitlist: a.waitlist.slice(promoted.length),
    },
  };
}

function scopeCommunity(caller: Caller, requested?: string): string | undefined {
  return requested ?? caller.user.currentCommunityId;
}

export const actions = defineActions('activity', {
  publish: {
    roles: ['worker', 'admin'],
    async handler(ctx, data) {
      return detailFor(await publishActivity(ctx, data), ctx);
    },
  },

  update: {
    roles: ['worker', 'admin'],
    async handler(ctx, { activityId, patch }) {
      const { caller, now } = ctx;
      const before = await loadActivity(activityId);
      assertManagesCommunity(caller, before.communityId);
      if (patch.hostUnitIds) await loadUnits(patch.hostUnitIds);
      const updated = await transaction(async (t) => {
        const a = await t.get<Activity>('activities', activityId);
        if (!a) throw notFound('活动不存在或已删除');
        const problem = rules.updateConflicts(a, patch, now);
        if (problem) throw conflict(problem);
        const merged: Activity = { ...a, ...patch, updatedAt: now };
        assertTiming(merged, now, false);
        const change = changeOf(a, merged);
        // A new start time needs a new reminder.
        if (change === 'time') delete merged.reminderQueuedAt;
        // capacity may have grown
        const { activity, writes } = promote(t, merged, ctx);
        const { _id, ...doc } = activity;
        await Promise.all([
          t.set('activities', _id, doc),
          writes(),
          change &&
            ctx.emit(t, {
              kind: 'activityChanged',
              payload: activityPayload(activity, { change }),
              recipients: { activityId, statuses: ACTIVE },
            }),
          // The copies of the times on sign-ups ("my activities" filters by them): a job.
          change === 'time' && ctx.enqueue(t, signUpTimesJob, { activityId }),
        ]);
        return activity;
      });
      return detailFor(updated, ctx);
    },
  },

  cancelActivity: {
    roles: ['worker', 'admin'],
    async handler(ctx, { activityId, reason }) {
      const { caller, now } = ctx;
      // The activity is cancelled (no places, no waitlist) in this transaction; a job cancels each
      // sign-up and messages each participant, its first small batch before this call answers.
      const cancelled = await transaction(async (t) => {
        const a = await t.get<Activity>('activities', activityId);
        if (!a) throw notFound('活动不存在或已删除');
        assertManagesCommunity(caller, a.communityId);
        if (a.status === 'cancelled') throw conflict('活动已取消');
        if (now >= a.endAt) throw conflict('活动已结束，不能取消');
        const patch = {
          status: 'cancelled' as const,
          cancelReason: reason,
          confirmedCount: 0,
          waitlist: [],
          updatedAt: now,
        };
        const event = {
          _id: newId(),
          kind: 'activityChanged' as const,
          payload: activityPayload(a, { change: 'cancelled', reason }),
          createdAt: now,
        };
        const { _id: eventId, ...record } = event;
        await Promise.all([
          t.update('activities', activityId, patch),
          t.set('outbox', eventId, {
            ...record,
            recipients: { activityId, statuses: ACTIVE },
            status: 'pending',
          }),
          ctx.enqueue(t, cancelActivityJob, { activityId, event }),
        ]);
        return { ...a, ...patch };
      });
      return detailFor(cancelled, ctx);
    },
  },

  list: {
    roles: 'any',
    async handler({ caller, now }, input) {
      const _ = cmd();
      const where: Record<string, unknown> = {};
      const communityId = scopeCommunity(caller, input.communityId);
      if (communityId) where.communityId = communityId;
      if (input.type) where.type = input.type;
      const start: unknown[] = [];
      if (input.from !== undefined) start.push(_.gte(input.from));
      if (input.to !== undefined) start.push(_.lt(input.to));
      if (start.length) where.startAt = start.length === 1 ? start[0] : _.and(start as never[]);
      let order: 'asc' | 'desc' = 'asc';
      switch (input.when) {
        case 'upcoming':
          where.status = 'published';
          where.endAt = _.gt(now);
          break;
        case 'signingUp':
          where.status = 'published';
          where.signUpStartAt = _.lte(now);
          where.signUpEndAt = _.gt(now);
          break;
        case 'ended':
          where.endAt = _.lte(now);
          order = 'desc';
          break;
        case 'all':
          order = 'desc';
          break;
      }
      return queryPage(
        collection('activities').where(where),
        { field: 'startAt', order },
        input,
        async (activities: Activity[]) => {
          const mine = await mySignUps(
            caller.openid,
            activities.map((a) => a._id),
          );
          return activities.map((a) => toSummary(a, now, mine.get(a._id)));
        },
      );
    },
  },

  detail: {
    roles: 'any',
    async handler(ctx, { activityId }) {
      return detailFor(await loadActivity(activityId), ctx);
    },
  },

  signUp: {
    roles: 'any',
    async handler({ caller, now }, { activityId }) {
      // The activity's confirmedCount is the dashboard's count too (dashboard-tally.ts): a
      // sign-up reads two documents and writes two, nothing else.
      return transaction(
        async (t) => {
          const id = signUpId(activityId, caller.openid);
          const [a, existing] = await Promise.all([
            t.get<Activity>('activities', activityId),
            t.get<SignUp>('signups', id),
          ]);
          if (!a) throw notFound('活动不存在或已删除');
          if (existing && existing.status !== 'cancelled') {
            const position =
              existing.status === 'waitlisted' ? a.waitlist.indexOf(caller.openid) + 1 : undefined;
            return {
              status: existing.status,
              waitlistPosition: position,
              confirmedCount: a.confirmedCount,
              alreadySignedUp: true,
            };
          }
          const audience = rules.meetsAudience(a.audience, caller.user.roles);
          if (!audience.ok) throw forbidden(audience.reason);
          const allowed = rules.canSignUp(a, caller.user.roles, now);
          if (!allowed.ok) throw conflict(allowed.reason);
          const status = rules.initialSignUpStatus(a);
          const signUp: Omit<SignUp, '_id'> = {
            activityId,
            communityId: a.communityId,
            openid: caller.openid,
            status,
            startAt: a.startAt,
            endAt: a.endAt,
            createdAt: now,
            updatedAt: now,
            ...(status === 'confirmed' ? { confirmedAt: now } : {}),
          };
          if (status === 'confirmed') {
            await Promise.all([
              t.set('signups', id, signUp),
              t.update('activities', activityId, { confirmedCount: a.confirmedCount + 1, updatedAt: now }),
            ]);
            return { status, confirmedCount: a.confirmedCount + 1, alreadySignedUp: false };
          }
          if (status === 'pending') {
            // An application under review takes no place and is not on the waitlist.
            await t.set('signups', id, signUp);
            return { status, confirmedCount: a.confirmedCount, alreadySignedUp: false };
          }
          const waitlist = [...a.waitlist, caller.openid];
          await Promise.all([
            t.set('signups', id, signUp),
            t.update('activities', activityId, { waitlist, updatedAt: now }),
          ]);
          return {
            status,
            waitlistPosition: waitlist.length,
            confirmedCount: a.confirmedCount,
            alreadySignedUp: false,
          };
        },
        { hot: `activities/${activityId}` },
      );
    },
  },

  cancelSignUp: {
    roles: 'any',
    async handler(ctx, { activityId }) {
      const { caller, now } = ctx;
      return transaction(
        async (t) => {
          const id = signUpId(activityId, caller.openid);
          const [a, mine] = await Promise.all([
            t.get<Activity>('activities', activityId),
            t.get<SignUp>('signups', id),
          ]);
          if (!a) throw notFound('活动不存在或已删除');
          const allowed = rules.canCancelSignUp(a, mine?.status, now);
          if (!allowed.ok) throw conflict(allowed.reason);
          const left: Activity =
            mine?.status === 'confirmed'
              ? { ...a, confirmedCount: a.confirmedCount - 1 }
              : { ...a, waitlist: a.waitlist.filter((o) => o !== caller.openid) };
          const { promoted, activity, writes } = promote(t, left, ctx);
          await Promise.all([
            t.update('signups', id, {
              status: 'cancelled',
              cancelledAt: now,
              cancelledBy: 'self',
              updatedAt: now,
            }),
            writes(),
            t.update('activities', activityId, {
              confirmedCount: activity.confirmedCount,
              waitlist: activity.waitlist,
              updatedAt: now,
            }),
          ]);
          return { status: 'cancelled' as const, promoted: promoted[0] };
        },
        { hot: `activities/${activityId}` },
      );
    },
  },

  mine: {
    roles: 'any',
    async handler({ caller, now }, input) {
      const _ = cmd();
      const where: Record<string, unknown> = { openid: caller.openid };
      if (input.when === 'upcoming') where.endAt = _.gt(now);
      if (input.when === 'past') where.endAt = _.lte(now);
      return queryPage(
        collection('signups').where(where),
        { field: 'startAt', order: input.when === 'upcoming' ? 'asc' : 'desc' },
        input,
        async (signUps: SignUp[]) => {
          const activities = await activitiesById(signUps.map((s) => s.activityId));
          const items: MyActivity[] = [];
          for (const s of signUps) {
            const a = activities.get(s.activityId);
            if (!a) continue;
            const status = effectiveStatus(a, s.status);
            items.push({
              ...toSummary(a, now, { ...s, status }),
              signUpStatus: status,
              signedUpAt: s.createdAt,
            });
          }
          return items;
        },
      );
    },
  },

  reviewSignUp: {
    roles: ['worker', 'admin'],
    async handler(ctx, { activityId, openid, approve, reason }) {
      const { caller, now } = ctx;
      const before = await loadActivity(activityId);
      assertManagesCommunity(caller, before.communityId);
      const signUp = await transaction(
        async (t) => {
          const id = signUpId(activityId, openid);
          const [a, s] = await Promise.all([
            t.get<Activity>('activities', activityId),
            t.get<SignUp>('signups', id),
          ]);
          if (!a) throw notFound('活动不存在或已删除');
          if (!s) throw notFound('没有找到该报名');
          const allowed = rules.canReviewSignUp(a, s.status, now);
          if (!allowed.ok) throw conflict(allowed.reason);
          let patch: Partial<SignUp>;
          if (approve) {
            const status = rules.placeSignUp(a);
            if (status === 'confirmed') {
              patch = { status, confirmedAt: now, updatedAt: now };
              await t.update('activities', activityId, {
                confirmedCount: a.confirmedCount + 1,
                updatedAt: now,
              });
            } else {
              patch = { status, updatedAt: now };
              await t.update('activities', activityId, { waitlist: [...a.waitlist, openid], updatedAt: now });
            }
          } else {
            patch = { status: 'rejected', rejectReason: reason, updatedAt: now };
          }
          await t.update('signups', id, patch);
          const outcome = patch.status as 'confirmed' | 'waitlisted' | 'rejected';
          await ctx.emit(t, {
            kind: 'signUpReviewed',
            payload: {
              activityId,
              title: a.title,
              startAt: a.startAt,
              outcome,
              ...(reason ? { reason } : {}),
            },
            recipients: { openids: [openid] },
          });
          const waitlist = outcome === 'waitlisted' ? [...a.waitlist, openid] : a.waitlist;
          return { signUp: { ...s, ...patch } as SignUp, waitlist };
        },
        { hot: `activities/${activityId}` },
      );
      const user = (await usersById([openid])).get(openid);
      return {
        openid,
        nickName: user?.nickName ?? '居民',
        status: signUp.signUp.status,
        signedUpAt: signUp.signUp.createdAt,
        waitlistPosition:
          signUp.signUp.status === 'waitlisted' ? signUp.waitlist.indexOf(openid) + 1 : undefined,
      };
    },
  },

  participants: {
    roles: ['worker', 'admin'],
    async handler({ caller }, input) {
      const a = await loadActivity(input.activityId);
      if (!canManageCommunity(caller, a.communityId)) throw forbidden('只能查看本社区活动的报名名单');
      const present = async (signUps: SignUp[]): Promise<Participant[]> => {
        const users = await usersById(signUps.map((s) => s.openid));
        return signUps.map((s) => ({
          openid: s.openid,
          nickName: users.get(s.openid)?.nickName ?? '居民',
          status: effectiveStatus(a, s.status),
          signedUpAt: s.createdAt,
          waitlistPosition: s.status === 'waitlisted' ? a.waitlist.indexOf(s.openid) + 1 : undefined,
        }));
      };
      if (input.status === 'waitlisted') {
        // The activity's waitlist is the order of record: page through it directly.
        const win = pageWindow(input);
        const openids = a.waitlist.slice(win.skip, win.skip + win.limit);
        const signUps = await byIds<SignUp>(
          'signups',
          openids.map((o) => signUpId(a._id, o)),
        );
        const ordered = openids.flatMap((o) => signUps.get(signUpId(a._id, o)) ?? []);
        return toPage(await present(ordered), a.waitlist.length, win);
      }
      const where: Record<string, unknown> = { activityId: a._id };
      if (a.status === 'cancelled' && input.status) {
        // Cancelled activity: every active sign-up counts as cancelled, even before the job ran.
        if (input.status !== 'cancelled') return { items: [], total: 0 };
        where.status = cmd().in(['cancelled', ...ACTIVE]);
      } else if (input.status) where.status = input.status;
      return queryPage(
        collection('signups').where(where),
        { field: 'createdAt', order: 'asc' },
        input,
        present,
      );
    },
  },

  // Notices to participants and no-shows (./notices.ts).
  ...noticeActions,
});

async function mySignUps(openid: string, activityIds: string[]): Promise<Map<string, SignUp>> {
  const signUps = await byIds<SignUp>(
    'signups',
    activityIds.map((id) => signUpId(id, openid)),
  );
  return new Map([...signUps.values()].map((s) => [s.activityId, s]));
}

const activitiesById = (ids: string[]) => byIds<Activity>('activities', ids);
const usersById = (ids: string[]) => byIds<User>('users', ids);
