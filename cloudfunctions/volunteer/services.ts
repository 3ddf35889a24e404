/**
 * Service listings (项目 · 岗位): a worker of the community — or staff of an allied unit, whose
 * unit then co-hosts — publishes a listing; each session is an ordinary activity (type volunteer,
 * audience volunteers) built with the activity function's own timing rules and stored through its
 * `storeActivity`, so signing up, cancelling, the waitlist, reminders and review all stay in
 * `activity`. Listings are browsed by category, day and distance.
 */
import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';
import type {
  Activity,
  ServiceDetail,
  ServiceListing,
  ServiceSummary,
  SessionView,
  SignUp,
} from '../../types/domain';
import { assertTiming, loadUnits, storeActivity } from '../activity/publish';
import { byIds, cmd, collection, transaction } from '../core/db';
import { conflict, forbidden, invalid, notFound } from '../core/errors';
import { canManageCommunity } from '../core/guard';
import { pageWindow, toPage } from '../core/paging';
import * as activityRules from '../domain/activity';
import { pointsFor } from '../domain/points';
import { distanceMeters } from '../domain/volunteer';
import {
  body,
  canRun,
  communityNames,
  loadCommunity,
  loadDoc,
  loadSettings,
  newId,
  signUpId,
  type VolunteerActions,
} from './common';

dayjs.extend(utc);
dayjs.extend(timezone);

const TZ = 'Asia/Shanghai';
const DAY_MS = 24 * 3600_000;
/** How many open listings of a community listServices looks at (then filters and pages in memory). */
const LISTING_SCAN = 500;

const loadService = (id: string) => loadDoc<ServiceListing>('services', id, '服务项目不存在');

async function loadSessions(ids: string[]): Promise<Activity[]> {
  const out: Activity[] = [];
  for (let i = 0; i < ids.length; i += 200) {
    const found = await byIds<Activity>('activities', ids.slice(i, i + 200));
    out.push(...found.values());
  }
  return out;
}

/** Earliest start among sessions not yet ended (and not cancelled); 0 when none. */
function nextSessionAt(sessions: Activity[], now: number): number {
  const starts = sessions.filter((s) => s.status !== 'cancelled' && s.endAt > now).map((s) => s.startAt);
  return starts.length ? Math.min(...starts) : 0;
}

function sessionView(a: Activity, now: number, mine?: SignUp): SessionView {
  return {
    activityId: a._id,
    sessionNo: a.sessionNo ?? 1,
    startAt: a.startAt,
    endAt: a.endAt,
    capacity: a.capacity,
    confirmedCount: a.confirmedCount,
    waitlistCount: a.waitlist.length,
    phase: activityRules.phaseOf(a, now),
    ...(mine && mine.status !== 'cancelled' ? { mySignUp: mine.status } : {}),
  };
}

async function serviceDetail(s: ServiceListing, caller: Parameters<typeof canRun>[0], now: number) {
  const sessions = (await loadSessions(s.sessionIds)).sort((a, b) => (a.sessionNo ?? 0) - (b.sessionNo ?? 0));
  const [mine, names, units] = await Promise.all([
    byIds<SignUp>(
      'signups',
      sessions.map((a) => signUpId(a._id, caller.openid)),
    ),
    communityNames([s.communityId]),
    s.hostUnitIds.length ? loadUnits(s.hostUnitIds).catch(() => []) : Promise.resolve([]),
  ]);
  const { sessionIds: _ids, createdBy: _by, ...rest } = s;
  const detail: ServiceDetail = {
    ...rest,
    nextSessionAt: nextSessionAt(sessions, now),
    communityName: names.get(s.communityId) ?? '',
    hostUnits: units.map((u) => ({ _id: u._id, name: u.name })),
    sessions: sessions.map((a) => sessionView(a, now, mine.get(signUpId(a._id, caller.openid)))),
    canManage: canRun(caller, s),
  };
  return detail;
}

export const serviceActions: VolunteerActions<
  'publishService' | 'listServices' | 'serviceDetail' | 'closeService'
> = {
  publishService: {
    roles: ['worker', 'admin', 'unitStaff'],
    async handler({ caller, now }, data) {
      await loadCommunity(data.communityId);
      const hostUnitIds = [...new Set(data.hostUnitIds)];
      if (!canManageCommunity(caller, data.communityId)) {
        // Unit staff publish for a community their unit is allied with; the unit co-hosts.
        const staffUnits = caller.user.roles.filter((g) => g.role === 'unitStaff' && g.unitId);
        const units = await loadUnits(staffUnits.map((g) => g.unitId as string));
        const unit = units.find((u) => u.communityIds.includes(data.communityId));
        if (!unit) throw forbidden('只能为本社区或本单位的共建社区发布志愿服务');
        // Naming another unit as co-host is the community's call (a worker's), not a unit's.
        const own = new Set(units.filter((u) => u.communityIds.includes(data.communityId)).map((u) => u._id));
        const others = hostUnitIds.filter((id) => !own.has(id));
        if (others.length)
          throw forbidden('单位工作人员只能以本单位名义发布，其他共建单位请由社区工作人员添加');
        if (!hostUnitIds.includes(unit._id)) hostUnitIds.unshift(unit._id);
      }
      await loadUnits(hostUnitIds);
      const settings = await loadSettings(data.communityId);
      const count = data.repeat?.count ?? 1;
      const step = data.repeat?.every === 'week' ? 7 * DAY_MS : DAY_MS;
      const closes = data.signUpClosesBeforeMinutes * 60_000;
      const serviceId = newId();
      const sessions: { id: string; doc: Omit<Activity, '_id'> }[] = [];
      for (let i = 0; i < count; i++) {
        const startAt = data.startAt + i * step;
        const endAt = data.endAt + i * step;
        const doc: Omit<Activity, '_id'> = {
          communityId: data.communityId,
          hostUnitIds,
          type: 'volunteer',
          title: `${data.title} · ${data.post}`,
          description: data.description,
          place: data.place,
          startAt,
          endAt,
          signUpStartAt: now,
          signUpEndAt: startAt - closes,
          capacity: data.placesPerSession,
          audience: 'volunteers',
          cancelPolicy: 'untilStart',
          checkInMethod: data.checkInMethod,
          hours: data.hoursPerSession,
          points: pointsFor(data.hoursPerSession, settings.pointsPerHour ?? 1),
          status: 'published',
          confirmedCount: 0,
          waitlist: [],
          createdBy: caller.openid,
          createdAt: now,
          updatedAt: now,
          serviceId,
          sessionNo: i + 1,
          post: data.post,
          requiredSkills: data.requiredSkills,
          signUpReview: data.review,
        };
        // The activity function's own timing rules, for every session.
        assertTiming(doc, now, true);
        sessions.push({ id: newId(), doc });
      }
      const listing: ServiceListing = {
        _id: serviceId,
        communityId: data.communityId,
        hostUnitIds,
        category: data.category,
        title: data.title,
        post: data.post,
        description: data.description,
        place: data.place,
        requiredSkills: data.requiredSkills,
        hoursPerSession: data.hoursPerSession,
        placesPerSession: data.placesPerSession,
        review: data.review,
        checkInMethod: data.checkInMethod,
        sessionIds: sessions.map((s) => s.id),
        lastSessionEndAt: sessions[sessions.length - 1]!.doc.endAt,
        status: 'published',
        createdBy: caller.openid,
        createdAt: now,
        updatedAt: now,
      };
      await transaction(async (t) => {
        for (const s of sessions) await storeActivity(s.doc, { t, id: s.id });
        await t.set('services', serviceId, body(listing));
      });
      return serviceDetail(listing, caller, now);
    },
  },

  listServices: {
    roles: 'any',
    async handler({ caller, now }, input) {
      const communityId = input.communityId ?? caller.user.currentCommunityId;
      if (!communityId) throw invalid('请先选择社区', { communityId: '请先选择社区' });
      const _ = cmd();
      const where: Record<string, unknown> = {
        communityId,
        status: 'published',
        lastSessionEndAt: _.gt(now),
      };
      if (input.category) where.category = input.category;
      const { data } = await collection('services')
        .where(where)
        .orderBy('lastSessionEndAt', 'asc')
        .limit(LISTING_SCAN)
        .get();
      const listings = data as ServiceListing[];
      const sessions = await loadSessions(listings.flatMap((s) => s.sessionIds));
      const byService = new Map<string, Activity[]>();
      for (const a of sessions) {
        if (!a.serviceId) continue;
        byService.set(a.serviceId, [...(byService.get(a.serviceId) ?? []), a]);
      }
      const day = (at: number) => dayjs(at).tz(TZ).format('YYYY-MM-DD');
      let items: ServiceSummary[] = [];
      for (const s of listings) {
        const own = byService.get(s._id) ?? [];
        if (input.date && !own.some((a) => a.status !== 'cancelled' && day(a.startAt) === input.date))
          continue;
        items.push({
          _id: s._id,
          communityId: s.communityId,
          category: s.category,
          title: s.title,
          post: s.post,
          placeName: s.place.name,
          ...(input.near ? { distanceMeters: Math.round(distanceMeters(input.near, s.place)) } : {}),
          nextSessionAt: nextSessionAt(own, now),
          hoursPerSession: s.hoursPerSession,
          sessionCount: own.length,
          openSessions: own.filter((a) => activityRules.phaseOf(a, now) === 'open').length,
          review: s.review,
          requiredSkills: s.requiredSkills,
          status: s.status,
        });
      }
      const soon = (x: ServiceSummary) => x.nextSessionAt || Number.MAX_SAFE_INTEGER;
      items =
        input.sort === 'distance'
          ? items.sort((a, b) => (a.distanceMeters ?? 0) - (b.distanceMeters ?? 0) || soon(a) - soon(b))
          : items.sort((a, b) => soon(a) - soon(b) || a._id.localeCompare(b._id));
      const win = pageWindow(input);
      return toPage(items.slice(win.skip, win.skip + win.limit), items.length, win);
    },
  },

  serviceDetail: {
    roles: 'any',
    async handler({ caller, now }, { serviceId }) {
      return serviceDetail(await loadService(serviceId), caller, now);
    },
  },

  closeService: {
    roles: ['worker', 'admin', 'unitStaff'],
    async handler({ caller, now }, { serviceId }) {
      const before = await loadService(serviceId);
      if (!canRun(caller, before)) throw forbidden('只能管理本社区或本单位的志愿服务');
      const closed = await transaction(async (t) => {
        const s = await t.get<ServiceListing>('services', serviceId);
        if (!s) throw notFound('服务项目不存在');
        if (s.status === 'closed') throw conflict('该服务项目已关闭');
        await t.update('services', serviceId, { status: 'closed', updatedAt: now });
        return { ...s, status: 'closed' as const, updatedAt: now };
      });
      return serviceDetail(closed, caller, now);
    },
  },
};
