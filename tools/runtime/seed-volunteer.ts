/**
 * Demo volunteer service (服务实名制积分制) for 幸福里社区, written through the real cloud-function
 * actions where there is one (so the registration is encrypted and reviewed exactly as in use):
 * - demo-volunteer (张晓雨): an APPROVED real-name registration (demo ID 110101199003074514),
 *   recorded and granted hours with points through the ledgers (totals equal the ledger sums),
 *   a few neighbours with hours this month for the ranking;
 * - demo-member (李建国): a PENDING registration for the worker to review;
 * - service listings: 社区图书角 (one session starting within the hour, 6-digit code check-in),
 *   and from tomorrow on 敬老助餐 (daily, immediate sign-up), 垃圾分类宣传 (weekly, with review;
 *   demo-volunteer has applied), 健康义诊 (by 区人民医院, GPS).
 * Called by `seedIfEmpty` only: tests start without volunteer data.
 */
import { DashboardCounters } from '../../cloudfunctions/core/dashboard-counters';
import { attendedDelta } from '../../cloudfunctions/domain/dashboard-tally';
import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';
import type { Activity, SignUp } from '../../types/domain';
import type { ActionName, RequestOf } from '../../types/api';
import { transaction } from '../../cloudfunctions/core/db';
import { appendHours, appendPoints } from '../../cloudfunctions/volunteer/ledgers';
import type { LocalRuntime } from './local-runtime';

dayjs.extend(utc);
dayjs.extend(timezone);

const XFL = 'community-xingfuli';
const H = 3600_000;
const D = 24 * H;

/** Demo identity numbers (valid check digits; fictitious people). */
export const DEMO_VOLUNTEER_ID = '110101199003074514';
export const DEMO_MEMBER_ID = '320101199511201232';

const CENTER = {
  name: '幸福里党群服务中心',
  address: '幸福路 88 号一楼',
  lat: 28.1941,
  lng: 112.9823,
  siteId: 'site-xfl-center',
};

async function call<A extends ActionName<'volunteer'>>(
  rt: LocalRuntime,
  openid: string,
  action: A,
  data: RequestOf<'volunteer', A>,
): Promise<unknown> {
  const res = await rt.call('volunteer', { action, data }, openid);
  if (!res.ok) throw new Error(`seed: volunteer.${action} failed: ${res.error.message}`);
  return res.data;
}

export async function seedDemoVolunteer(rt: LocalRuntime): Promise<void> {
  const db = rt.runtime.db;
  const now = rt.runtime.now();
  const today = dayjs(now).tz('Asia/Shanghai').startOf('day');
  const at = (days: number, hour: number) =>
    today
      .add(days, 'day')
      .add(hour * 60, 'minute')
      .valueOf();

  // Registrations, through the function (encrypted ID and phone, keyed-hash uniqueness, review).
  await call(rt, 'demo-volunteer', 'register', {
    communityId: XFL,
    name: '张晓雨',
    idNumber: DEMO_VOLUNTEER_ID,
    phone: '13800138000',
    skills: ['急救', '摄影'],
    preferences: ['敬老助老', '文明宣传'],
    consent: true,
  });
  await call(rt, 'demo-worker', 'reviewRegistration', { openid: 'demo-volunteer', approve: true });
  await call(rt, 'demo-member', 'register', {
    communityId: XFL,
    name: '李建国',
    idNumber: DEMO_MEMBER_ID,
    phone: '13900139000',
    skills: ['维修'],
    preferences: ['邻里互助'],
    consent: true,
  });

  // demo-volunteer served at the ended alliance class (act-ended-2): sign-up, attendance, hours.
  const ended = (await db.collection('activities').doc('act-ended-2').get()).data as unknown;
  const act = (Array.isArray(ended) ? ended[0] : ended) as Activity | undefined;
  await transaction(async (t) => {
    if (act) {
      const signUpId = `${act._id}_demo-volunteer`;
      const signUp: Omit<SignUp, '_id'> = {
        activityId: act._id,
        communityId: act.communityId,
        openid: 'demo-volunteer',
        status: 'confirmed',
        startAt: act.startAt,
        endAt: act.endAt,
        createdAt: act.signUpStartAt,
        updatedAt: act.endAt,
        confirmedAt: act.signUpStartAt,
        checkInAt: act.startAt - 10 * 60_000,
        checkOutAt: act.endAt + 5 * 60_000,
        recordedHours: 2,
        grantedHours: 1,
      };
      await t.set('signups', signUpId, signUp as unknown as Record<string, unknown>);
      await t.update('activities', act._id, { confirmedCount: act.confirmedCount + 1 });
      // Its dashboard counter: checked in (the confirmed sign-up is the activity's confirmedCount).
      const ref = { communityId: act.communityId, at: act.startAt, openid: 'demo-volunteer' };
      const counters = await DashboardCounters.open(t, { refs: [ref] });
      counters.add(ref, attendedDelta(act.type));
      await Promise.all(counters.writes().map((w) => w()));
      const entry = {
        openid: 'demo-volunteer',
        communityId: XFL,
        activityId: act._id,
        activityTitle: act.title,
      };
      await appendHours(t, {
        ...entry,
        _id: `rec_${signUpId}`,
        kind: 'recorded',
        category: act.type,
        hours: 2,
        by: 'demo-volunteer',
        at: act.endAt + 5 * 60_000,
      });
      await appendPoints(t, {
        _id: `earn_${signUpId}`,
        openid: 'demo-volunteer',
        communityId: XFL,
        kind: 'earned',
        points: 2,
        at: act.endAt + 5 * 60_000,
        reason: act.title,
        ref: { type: 'activity', id: act._id },
        by: 'demo-volunteer',
      });
      await appendHours(t, {
        ...entry,
        _id: 'grant_seed_demo_volunteer',
        kind: 'granted',
        category: 'granted',
        hours: 1,
        reason: '提前到场调试设备',
        by: 'demo-worker',
        at: act.endAt + H,
      });
    }
    // Earlier service (before this demo's activities), as check-outs would have recorded it.
    const history = [
      { id: 'seed-history-1', title: '敬老助餐 · 送餐员', hours: 3, at: now - 40 * D },
      { id: 'seed-history-2', title: '垃圾分类宣传 · 督导员', hours: 4, at: now - 25 * D },
    ];
    for (const x of history) {
      await appendHours(t, {
        _id: `rec_${x.id}_demo-volunteer`,
        openid: 'demo-volunteer',
        communityId: XFL,
        activityId: x.id,
        activityTitle: x.title,
        kind: 'recorded',
        category: 'volunteer',
        hours: x.hours,
        by: 'demo-volunteer',
        at: x.at,
      });
      await appendPoints(t, {
        _id: `earn_${x.id}_demo-volunteer`,
        openid: 'demo-volunteer',
        communityId: XFL,
        kind: 'earned',
        points: x.hours,
        at: x.at,
        reason: x.title,
        ref: { type: 'activity', id: x.id },
        by: 'demo-volunteer',
      });
    }
    // A few neighbours with hours this month, so the ranking has company.
    for (const [i, hours] of [6, 4.5, 3, 2, 1.5].entries()) {
      const openid = `demo-neighbour-${String(i + 1).padStart(3, '0')}`;
      await appendHours(t, {
        _id: `rec_seed-ranking_${openid}`,
        openid,
        communityId: XFL,
        activityId: 'seed-ranking',
        activityTitle: '社区环境整治 · 清扫员',
        kind: 'recorded',
        category: 'volunteer',
        hours,
        by: openid,
        at: now - (i + 1) * H,
      });
    }
  });

  // Listings, published as the worker and the hospital's staff would.
  const meals = (await call(rt, 'demo-worker', 'publishService', {
    communityId: XFL,
    category: '敬老助老',
    title: '敬老助餐',
    post: '送餐员',
    description: '为辖区高龄独居老人送午餐到家，顺便问候老人近况。需能步行上下楼。',
    place: CENTER,
    requiredSkills: [],
    hoursPerSession: 2,
    placesPerSession: 4,
    review: false,
    checkInMethod: 'qr',
    startAt: at(1, 11),
    endAt: at(1, 13),
    repeat: { every: 'day', count: 5 },
  })) as { sessions: { activityId: string }[] };
  const sorting = (await call(rt, 'demo-worker', 'publishService', {
    communityId: XFL,
    category: '环境保护',
    title: '垃圾分类宣传',
    post: '督导员',
    description: '晚间投放高峰在分类亭旁引导居民正确分类投放。',
    place: { name: '幸福里 3 栋分类亭', address: '幸福路 88 号 3 栋旁', lat: 28.1949, lng: 112.9831 },
    requiredSkills: ['沟通表达'],
    hoursPerSession: 1.5,
    placesPerSession: 6,
    review: true,
    checkInMethod: 'code',
    startAt: at(2, 18.5),
    endAt: at(2, 20),
    repeat: { every: 'week', count: 4 },
    signUpClosesBeforeMinutes: 120,
  })) as { sessions: { activityId: string }[] };
  await call(rt, 'demo-unit', 'publishService', {
    communityId: XFL,
    category: '邻里互助',
    title: '健康义诊',
    post: '导诊志愿者',
    description: '区人民医院医生进社区义诊，志愿者负责排队引导和登记。',
    place: CENTER,
    requiredSkills: [],
    hoursPerSession: 2.5,
    placesPerSession: 5,
    review: false,
    checkInMethod: 'gps',
    startAt: at(3, 9),
    endAt: at(3, 11.5),
  });

  // One session starting soon (check-in opens 1 h before the start, so it is open right away):
  // a try-out of the whole check-in → check-out flow, and what the browser test walks through.
  const soon = Math.ceil((now + 45 * 60_000) / (5 * 60_000)) * 5 * 60_000;
  await call(rt, 'demo-worker', 'publishService', {
    communityId: XFL,
    category: '文明宣传',
    title: '社区图书角',
    post: '图书整理员',
    description: '整理社区图书角的捐赠图书，登记编号、上架归类，帮助来借书的老人和孩子找书。',
    place: CENTER,
    requiredSkills: [],
    hoursPerSession: 2,
    placesPerSession: 10,
    review: false,
    checkInMethod: 'code',
    startAt: soon,
    endAt: soon + 2 * H,
  });

  // demo-volunteer has a place on tomorrow's 送餐 and an application waiting for review.
  for (const activityId of [meals.sessions[0]!.activityId, sorting.sessions[0]!.activityId]) {
    const res = await rt.call('activity', { action: 'signUp', data: { activityId } }, 'demo-volunteer');
    if (!res.ok) throw new Error(`seed: activity.signUp failed: ${res.error.message}`);
  }
}
