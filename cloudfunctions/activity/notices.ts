/**
 * Notices to participants and no-shows (issue 14 item 3).
 *
 * Notices: a worker writes a notice to an activity's (or a listing session's) confirmed
 * participants or its waitlist. The notice is an outbox event (same id) delivered by the notify
 * fan-out job (core/notify/dispatcher.ts): one message-centre entry each, and a WeChat message
 * where the person has quota, sent by the timer's sweep. The notice id is derived from the
 * activity, the worker and the client's request id, so a retried call finds the notice and sends
 * nothing again (two racing retries write the same document: one wins, the other retries and
 * finds it). How many were reached is counted from the entries by index (`event_push`).
 *
 * No-shows: after an activity ends, its confirmed sign-ups without a check-in. The timer queues a
 * tally job once per ended activity (found by index: `noShowTalliedAt` absent), a while after the
 * end so late 补卡 count; each batch marks the page's no-shows (`noShowAt`) and adds one to each
 * person's yearly counter in the same transaction, so a repeated batch counts nobody twice.
 */
import { createHash } from 'node:crypto';
import type { Page } from '../../types/api';
import type { Activity, NoShowCount, Notice, SignUp, User } from '../../types/domain';
import type { NoShowCountView, NoShowItem, NoticeContract, NoticeView } from '../../types/notices';
import { byIds, cmd, collection, getById, transaction } from '../core/db';
import { conflict, invalid, notFound } from '../core/errors';
import type { ActionDef } from '../core/function';
import { assertManagesCommunity, managedCommunity } from '../core/guard';
import { chunks, defineJob, enqueue, mapLimit, newRunner, runFirstBatch } from '../core/jobs';
import { fanOutJob, signUpsAfter, type FanOutPayload } from '../core/notify/dispatcher';
import { queryPage } from '../core/paging';
import { runtime } from '../core/runtime';
import {
  isNoShow,
  NO_SHOW_TALLY_DELAY_MS,
  noShowCountId,
  noShowRankKey,
  noShowYear,
} from '../domain/no-shows';
import { activityPayload } from './notifications';
import { DashboardCounters } from '../core/dashboard-counters';
import { noShowDelta } from '../domain/dashboard-tally';
import { effectiveStatus } from './views';

type NoticeActions = { [A in keyof NoticeContract]: ActionDef<'activity', A> };

/** The notice a (activity, worker, request id) names: the same id for a retried call. */
export function noticeIdFor(activityId: string, openid: string, requestId: string): string {
  return `nt_${createHash('sha256').update(`${activityId}\n${openid}\n${requestId}`).digest('hex').slice(0, 32)}`;
}

async function loadActivity(id: string): Promise<Activity> {
  const a = await getById<Activity>('activities', id);
  if (!a) throw notFound('活动不存在或已删除');
  return a;
}

async function assertClean(title: string, text: string, openid: string): Promise<void> {
  const check = runtime().contentCheck;
  const [t, b] = await Promise.all([check.text(title, openid), check.text(text, openid)]);
  if (!t.ok) throw invalid(t.reason, { title: t.reason });
  if (!b.ok) throw invalid(b.reason, { text: b.reason });
}

/** Entries of a notice by push state, counted on the index (four counts at once). */
async function reach(n: Notice): Promise<NoticeView> {
  const count = async (where: Record<string, unknown>) =>
    (
      (await collection('messages')
        .where({ eventId: n._id, ...where })
        .count()) as { total: number }
    ).total;
  const _ = cmd();
  const [entries, sent, waiting, noQuota, event] = await Promise.all([
    count({}),
    count({ 'push.status': 'sent' }),
    count({ 'push.status': _.in(['pending', 'sending']) }),
    count({ 'push.status': 'noQuota' }),
    getById<{ status: string }>('outbox', n._id),
  ]);
  return { ...noticeView(n), entries, sent, waiting, noQuota, done: event?.status === 'done' };
}

function noticeView(n: Notice): Omit<NoticeView, 'entries' | 'sent' | 'waiting' | 'noQuota' | 'done'> {
  return {
    _id: n._id,
    activityId: n.activityId,
    audience: n.audience,
    title: n.title,
    text: n.text,
    createdAt: n.createdAt,
    recipients: n.recipients,
  };
}

const usersById = (ids: string[]) => byIds<User>('users', ids);

export const noticeActions: NoticeActions = {
  notifyParticipants: {
    roles: ['worker', 'admin'],
    async handler(ctx, { activityId, audience, title, text, requestId }) {
      const { caller, now } = ctx;
      const id = noticeIdFor(activityId, caller.openid, requestId);
      const [before] = await Promise.all([loadActivity(activityId), assertClean(title, text, caller.openid)]);
      assertManagesCommunity(caller, before.communityId);
      const result = await transaction(async (t) => {
        const [existing, a] = await Promise.all([
          t.get<Notice>('notices', id),
          t.get<Activity>('activities', activityId),
        ]);
        if (existing) return { notice: existing, repeated: true };
        if (!a) throw notFound('活动不存在或已删除');
        if (a.status === 'cancelled') throw conflict('活动已取消，不能再发通知');
        const recipients = audience === 'confirmed' ? a.confirmedCount : a.waitlist.length;
        if (recipients === 0) {
          throw conflict(
            audience === 'confirmed' ? '还没有人报名成功，无人可通知' : '候补名单为空，无人可通知',
          );
        }
        const notice: Notice = {
          _id: id,
          activityId,
          communityId: a.communityId,
          audience,
          title,
          text,
          recipients,
          createdBy: caller.openid,
          createdAt: now,
        };
        const event: FanOutPayload = {
          _id: id,
          kind: 'activityNotice',
          payload: { ...activityPayload(a), noticeTitle: title, text },
          recipients: { activityId, statuses: [audience] },
          createdAt: now,
        };
        const { _id, ...doc } = notice;
        const { _id: eventId, ...record } = event;
        await Promise.all([
          t.set('notices', _id, doc),
          t.set('outbox', eventId, { ...record, status: 'pending' }),
          ctx.enqueue(t, fanOutJob, event),
        ]);
        return { notice, repeated: false };
      });
      if (result.repeated) return { ...(await reach(result.notice)), repeated: true };
      // The first batch of entries is written right after this returns; the app polls noticeStatus.
      return { ...noticeView(result.notice), entries: 0, sent: 0, waiting: 0, noQuota: 0, done: false };
    },
  },

  noticeStatus: {
    roles: ['worker', 'admin'],
    async handler({ caller }, { noticeId }) {
      const n = await getById<Notice>('notices', noticeId);
      if (!n) throw notFound('通知不存在');
      assertManagesCommunity(caller, n.communityId);
      return reach(n);
    },
  },

  notices: {
    roles: ['worker', 'admin'],
    async handler({ caller }, input) {
      const a = await loadActivity(input.activityId);
      assertManagesCommunity(caller, a.communityId);
      return queryPage(
        collection('notices').where({ activityId: a._id }),
        { field: 'createdAt', order: 'desc' },
        input,
        (docs: Notice[]) => docs.map(noticeView),
      );
    },
  },

  noShows: {
    roles: ['worker', 'admin'],
    async handler({ caller, now }, input) {
      const a = await loadActivity(input.activityId);
      assertManagesCommunity(caller, a.communityId);
      if (now < a.endAt) throw conflict('活动结束后才能查看未到场名单');
      const year = noShowYear(a);
      const tallied = a.noShowTalliedAt !== undefined;
      if (effectiveStatus(a, 'confirmed') !== 'confirmed') return { items: [], total: 0, year, tallied };
      const page = await queryPage(
        collection('signups').where({
          activityId: a._id,
          status: 'confirmed',
          checkInAt: cmd().exists(false),
        }),
        { field: 'createdAt', order: 'asc' },
        input,
        async (signUps: SignUp[]): Promise<NoShowItem[]> => {
          const openids = signUps.map((s) => s.openid);
          const [users, counts] = await Promise.all([
            usersById(openids),
            byIds<NoShowCount>(
              'no_show_counts',
              openids.map((o) => noShowCountId(a.communityId, year, o)),
            ),
          ]);
          return signUps.map((s) => ({
            openid: s.openid,
            nickName: users.get(s.openid)?.nickName ?? '居民',
            signedUpAt: s.createdAt,
            yearCount: counts.get(noShowCountId(a.communityId, year, s.openid))?.count ?? 0,
          }));
        },
      );
      return { ...page, year, tallied };
    },
  },

  noShowCounts: {
    roles: ['worker', 'admin'],
    async handler({ caller }, input): Promise<Page<NoShowCountView>> {
      const communityId = managedCommunity(caller, input.communityId);
      return queryPage(
        collection('no_show_counts').where({ communityId, year: input.year }),
        { field: 'rankKey', order: 'asc' },
        input,
        async (docs: NoShowCount[]) => {
          const users = await usersById(docs.map((d) => d.openid));
          return docs.map((d) => ({
            openid: d.openid,
            nickName: users.get(d.openid)?.nickName ?? '居民',
            count: d.count,
          }));
        },
      );
    },
  },
};

// ---------- the yearly no-show tally ----------

export interface NoShowTallyPayload {
  activityId: string;
  communityId: string;
  year: number;
}

/** No-shows marked and counted per transaction, and such transactions at once. */
const TALLY_PER_TX = 20;
const TALLY_CONCURRENCY = 5;
/** Sign-ups one tally batch reads (one page). */
const TALLY_SCAN = 200;

/**
 * Mark the page's no-shows and add one to each person's yearly counter, a transaction per
 * TALLY_PER_TX people: a sign-up already marked is skipped, so a repeated batch counts nobody
 * twice.
 */
export const noShowTallyJob = defineJob<NoShowTallyPayload>({
  kind: 'noShowTally',
  async batch({ activityId, communityId, year }, cursor, { now }) {
    // Its own page size whatever the runner's limit: most sign-ups are not no-shows, and a usual
    // activity is then tallied in the one batch the timer's tally step runs.
    const limit = TALLY_SCAN;
    // The activity's type and start: the dashboard's no-show counters (report/dashboard).
    const [page, activity] = await Promise.all([
      signUpsAfter(activityId, cursor, limit),
      getById<Activity>('activities', activityId),
    ]);
    const candidates = page.filter((s) => isNoShow(s) && s.noShowAt === undefined);
    await mapLimit(chunks(candidates, TALLY_PER_TX), TALLY_CONCURRENCY, (part) =>
      transaction(async (t) => {
        const counterIds = part.map((s) => noShowCountId(communityId, year, s.openid));
        const refs = part.map((s) => ({ communityId, at: activity?.startAt ?? s.startAt, openid: s.openid }));
        const [signUps, counters, dashboard] = await Promise.all([
          Promise.all(part.map((s) => t.get<SignUp>('signups', s._id))),
          Promise.all(counterIds.map((id) => t.get<NoShowCount>('no_show_counts', id))),
          DashboardCounters.open(t, { refs }),
        ]);
        const writes: Promise<unknown>[] = [];
        part.forEach((s, i) => {
          const cur = signUps[i];
          if (!cur || !isNoShow(cur) || cur.noShowAt !== undefined) return;
          const count = (counters[i]?.count ?? 0) + 1;
          const counter: Omit<NoShowCount, '_id'> = {
            communityId,
            year,
            openid: s.openid,
            count,
            rankKey: noShowRankKey(count, s.openid),
            lastActivityId: activityId,
            updatedAt: now,
          };
          dashboard.add(refs[i]!, noShowDelta(activity?.type ?? 'volunteer'));
          writes.push(
            t.update('signups', s._id, { noShowAt: now }),
            t.set('no_show_counts', counterIds[i] as string, counter as unknown as Record<string, unknown>),
          );
        });
        await Promise.all([...writes, ...dashboard.writes().map((w) => w())]);
      }),
    );
    const last = page[page.length - 1];
    return { next: page.length < limit || !last ? null : last._id, processed: page.length };
  },
});

/** Ended activities one timer run marks at most (the rest: next run). */
const TALLY_PAGE = 100;
const TALLY_TIME_BUDGET_MS = 1_000;

/**
 * Timer: queue the no-show tally of every activity that ended at least NO_SHOW_TALLY_DELAY_MS ago
 * and has no `noShowTalliedAt` yet (index `noshow_tally`: the marks are the cursor). Each activity
 * is marked in the transaction that enqueues its job; a cancelled one is only marked.
 */
export async function queueNoShowTallies(now: number): Promise<{ queued: number; marked: number }> {
  const _ = cmd();
  const started = Date.now();
  const tried = new Set<string>();
  const runner = newRunner();
  let queued = 0;
  let marked = 0;
  for (;;) {
    const { data } = await collection('activities')
      .where({ noShowTalliedAt: null, endAt: _.lte(now - NO_SHOW_TALLY_DELAY_MS) })
      .orderBy('endAt', 'asc')
      .limit(TALLY_PAGE)
      .get();
    const fresh = (data as Activity[]).filter((a) => !tried.has(a._id));
    if (fresh.length === 0) break;
    const results = await mapLimit(fresh, 10, (a) => {
      tried.add(a._id);
      return transaction(async (t) => {
        const cur = await t.get<Activity>('activities', a._id);
        if (!cur || cur.noShowTalliedAt !== undefined) return { marked: false };
        const tally = cur.status === 'published';
        const [, jobId] = await Promise.all([
          t.update('activities', a._id, { noShowTalliedAt: now }),
          tally &&
            enqueue(
              t,
              noShowTallyJob,
              { activityId: a._id, communityId: cur.communityId, year: noShowYear(cur) },
              now,
              { leaseTo: runner },
            ),
        ]);
        return { marked: true, jobId: jobId || undefined };
      });
    });
    // A small activity is tallied here at once (one batch); the jobs step does the rest.
    const jobIds = results.flatMap((r) => (r.jobId ? [r.jobId] : []));
    await mapLimit(jobIds, 10, (id) => runFirstBatch(id, runner, now));
    queued += jobIds.length;
    marked += results.filter((r) => r.marked).length;
    if (data.length < TALLY_PAGE || Date.now() - started >= TALLY_TIME_BUDGET_MS) break;
  }
  return { queued, marked };
}
