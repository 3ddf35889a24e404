/**
 * Cloud function `board`: the public board (公示栏) every resident of a community reads, and the
 * community's notices (公告) that its workers publish and remove.
 *
 * `view` reads everything in parallel (counters and indexed counts, never a whole collection):
 * the month's grievance counters (`grievance_stats`, category buckets: 三率), the service
 * requests' counters (the `svc_*` fields of the month's dashboard buckets), the community's
 * projects (claimed / completed counts and the latest 20 with their ratings), the units' ranking
 * (alliance records, the year of the month), the month's volunteer hours (a sum over
 * `hour_totals` rows in the database) and the pinned/latest notices. At most 4 sequential
 * database requests (the unit ranking is the longest chain). Only aggregates and organisations'
 * names are answered: no openid, person's name or phone.
 */
import { DASHBOARD_SHARDS, dashboardBucketId, SERVICE_FIELDS } from '../domain/dashboard-tally';
import type { Community } from '../../types/domain';
import type { Project } from '../../types/alliance';
import type { BoardNotice, BoardRates, BoardService, BoardView, NoticeView } from '../../types/board';
import { boardSchemas } from '../../types/board-schemas';
import { body, byIds, cmd, collection, db, getAll, getById, newId } from '../core/db';
import { forbidden, notFound } from '../core/errors';
import { defineActions } from '../core/function';
import { canManageCommunity } from '../core/guard';
import { queryPage } from '../core/paging';
import { rankCommunityUnits } from '../alliance/records';
import { addTally, emptyTally, ratesOf, type StatsBucket } from '../domain/grievance-tally';
import { SHANGHAI_OFFSET_MS as SHANGHAI_OFFSET } from '../domain/shanghai';

export const schemas = boardSchemas;

/** Asia/Shanghai month 'YYYY-MM' of an instant. */
export const shanghaiMonth = (at: number) => new Date(at + SHANGHAI_OFFSET).toISOString().slice(0, 7);

/** [from, to) of an Asia/Shanghai month 'YYYY-MM'. */
function monthRange(month: string): { from: number; to: number } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return { from: Date.UTC(y, m - 1, 1) - SHANGHAI_OFFSET, to: Date.UTC(y, m, 1) - SHANGHAI_OFFSET };
}

const noticeView = (n: BoardNotice): NoticeView => ({
  noticeId: n._id,
  communityId: n.communityId,
  title: n.title,
  body: n.body,
  pinned: n.pinned,
  publishedAt: n.publishedAt,
});

const round1 = (n: number) => Math.round(n * 10) / 10;

/** The board's 三率 from a month's category buckets (handler buckets would count twice). */
export function boardRates(buckets: StatsBucket[]): BoardRates {
  const t = buckets.filter((b) => b.dim.startsWith('c:')).reduce((acc, b) => addTally(acc, b), emptyTally());
  const r = ratesOf(t, 0);
  return {
    received: r.received,
    resolved: r.resolved,
    rated: r.rated,
    satisfied: r.satisfied,
    unrated: r.unrated,
    responseRate: r.responseRate,
    resolutionRate: r.resolutionRate,
    satisfactionRate: r.satisfactionRate,
  };
}

/**
 * Service requests (微心愿) in the month, from the service fields of the community's dashboard
 * buckets (every shard of the month, summed); unavailable while none has been counted.
 */
export function boardService(docs: Record<string, unknown>[]): BoardService {
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  const sum = (k: string) => docs.reduce((s, d) => s + num(d[k]), 0);
  const rated = sum(SERVICE_FIELDS.rated);
  return {
    available: docs.some((d) => Object.values(SERVICE_FIELDS).some((k) => k in d)),
    posted: sum(SERVICE_FIELDS.posted),
    met: sum(SERVICE_FIELDS.met),
    rated,
    avgRating: rated ? round1(sum(SERVICE_FIELDS.stars) / rated) : null,
  };
}

const count = (name: 'projects', where: Record<string, unknown>) =>
  (collection(name).where(where).count() as Promise<{ total: number }>).then((r) => r.total);

export const actions = defineActions('board', {
  view: {
    roles: 'any',
    async handler({ now }, input) {
      const { communityId } = input;
      const month = input.month ?? shanghaiMonth(now);
      const period = month.replace('-', '');
      const range = monthRange(month);
      const year = Number(month.slice(0, 4));
      const _ = cmd();
      const [
        community,
        buckets,
        service,
        claimed,
        completed,
        completedThisMonth,
        projects,
        units,
        hours,
        notices,
      ] = await Promise.all([
        getById<Community>('communities', communityId),
        getAll<StatsBucket>(collection('grievance_stats').where({ communityId, period })),
        byIds<{ _id: string } & Record<string, unknown>>(
          'dashboard_stats',
          Array.from({ length: DASHBOARD_SHARDS }, (_, i) => dashboardBucketId(communityId, period, i)),
        ).then((m) => [...m.values()] as Record<string, unknown>[]),
        count('projects', { communityId, status: 'open', approvedClaims: _.gt(0) }),
        count('projects', { communityId, status: 'completed' }),
        count('projects', {
          communityId,
          status: 'completed',
          completedAt: _.gte(range.from).and(_.lt(range.to)),
        }),
        collection('projects')
          .where(
            _.or([
              { communityId, approvedClaims: _.gt(0) },
              { communityId, status: 'completed' },
            ]),
          )
          .orderBy('updatedAt', 'desc')
          .limit(20)
          .get()
          .then((r) => r.data as Project[]),
        rankCommunityUnits(communityId, year, now),
        db()
          .collection('hour_totals')
          .aggregate()
          .match({ communityId, period: month })
          .group({ _id: null, hours: _.aggregate.sum('$hours'), volunteers: _.aggregate.sum(1) })
          .end()
          .then(
            (r: {
              data?: { hours?: number; volunteers?: number }[];
              list?: { hours?: number; volunteers?: number }[];
            }) => (r.data ?? r.list ?? [])[0],
          ),
        collection('board_notices')
          .where({ communityId, status: 'published' })
          .orderBy('pinned', 'desc')
          .orderBy('publishedAt', 'desc')
          .limit(5)
          .get()
          .then((r) => r.data as BoardNotice[]),
      ]);
      if (!community) throw notFound('社区不存在');
      const view: BoardView = {
        communityId,
        communityName: community.name,
        month,
        grievances: boardRates(buckets),
        service: boardService(service),
        projects: {
          claimed,
          completed,
          completedThisMonth,
          items: projects.map((p) => ({
            projectId: p._id,
            title: p.title,
            status: p.status,
            units: p.approvedClaims,
            ratingCount: p.ratingCount,
            avgRating: p.ratingCount ? round1(p.ratingSum / p.ratingCount) : null,
            ...(p.completedAt ? { completedAt: p.completedAt } : {}),
          })),
        },
        units: {
          year,
          items: units.map((u) => ({
            rank: u.rank,
            unitName: u.unitName,
            completedProjects: u.completedProjects,
            avgRating: u.avgRating,
            resourcesProvided: u.resourcesProvided,
            activitiesCoHosted: u.activitiesCoHosted,
            memberHours: u.memberHours,
            venuesOpened: u.venuesOpened ?? 0,
            siteBookings: u.siteBookings ?? 0,
            score: u.score,
          })),
        },
        volunteerHours: { month: round1(hours?.hours ?? 0), volunteers: hours?.volunteers ?? 0 },
        notices: notices.map(noticeView),
      };
      return view;
    },
  },

  notices: {
    roles: 'any',
    async handler(_ctx, input) {
      return queryPage<BoardNotice, NoticeView>(
        collection('board_notices').where({ communityId: input.communityId, status: 'published' }),
        { field: 'publishedAt', order: 'desc' },
        input,
        (docs) => docs.map(noticeView),
      );
    },
  },

  notice: {
    roles: 'any',
    async handler(_ctx, { noticeId }) {
      const n = await getById<BoardNotice>('board_notices', noticeId);
      if (!n || n.status !== 'published') throw notFound('公告不存在或已撤下');
      return noticeView(n);
    },
  },

  publishNotice: {
    roles: ['worker', 'admin'],
    async handler({ caller, now }, input) {
      if (!canManageCommunity(caller, input.communityId)) throw forbidden('只能在本社区发布公告');
      const community = await getById<Community>('communities', input.communityId);
      if (!community) throw notFound('社区不存在');
      const n: BoardNotice = {
        _id: newId(),
        communityId: input.communityId,
        title: input.title,
        body: input.body,
        pinned: input.pinned,
        status: 'published',
        publishedBy: caller.openid,
        publishedAt: now,
      };
      await collection('board_notices').doc(n._id).set(body(n));
      return noticeView(n);
    },
  },

  removeNotice: {
    roles: ['worker', 'admin'],
    async handler({ caller, now }, { noticeId }) {
      const n = await getById<BoardNotice>('board_notices', noticeId);
      if (!n || n.status !== 'published') throw notFound('公告不存在或已撤下');
      if (!canManageCommunity(caller, n.communityId)) throw forbidden('只能撤下本社区的公告');
      await collection('board_notices').doc(noticeId).update({ status: 'removed', removedAt: now });
      return { noticeId, removed: true as const };
    },
  },
});
