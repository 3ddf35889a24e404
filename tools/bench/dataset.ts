/**
 * A large, realistic data set for the list benchmark: 10,000 activities over the two demo
 * communities and all types, 100,000 sign-ups by 5,000 residents (~20 each), one activity with
 * 2,000 sign-ups. Documents have exactly the shapes the handlers write (types/domain.ts) and are
 * bulk-inserted through the runtime's database API (`add([...])`, one SQLite transaction a batch).
 */
import type { Activity, ActivityType, SignUp, User } from '../../types/domain';
import type { LocalRuntime } from '../runtime/local-runtime';
import { rolesPatch } from '../../cloudfunctions/domain/roles';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const TYPES: ActivityType[] = ['volunteer', 'partyDay', 'alliance', 'meeting'];
const TYPE_LABEL: Record<ActivityType, string> = {
  volunteer: '志愿服务',
  partyDay: '主题党日',
  alliance: '联盟活动',
  meeting: '三会一课',
};
const COMMUNITIES = [
  {
    id: 'community-xingfuli',
    place: {
      name: '幸福里党群服务中心',
      address: '幸福路 88 号一楼',
      lat: 28.1941,
      lng: 112.9823,
      siteId: 'site-xfl-center',
    },
  },
  {
    id: 'community-heping',
    place: {
      name: '和平社区党群服务中心',
      address: '和平街 12 号',
      lat: 28.1899,
      lng: 112.9761,
      siteId: 'site-hp-center',
    },
  },
] as const;

export interface DatasetSpec {
  activities: number;
  users: number;
  /** Sign-ups of the one "hot" activity (bulk-act-0, 幸福里, upcoming). */
  hotSignUps: number;
  hotCapacity: number;
  /** Total sign-ups including the hot activity's. */
  signUps: number;
}

export const DEFAULT_DATASET: DatasetSpec = {
  activities: 10_000,
  users: 5_000,
  hotSignUps: 2_000,
  hotCapacity: 1_500,
  signUps: 100_000,
};

export interface Dataset {
  activities: number;
  signUps: number;
  users: number;
  hotActivityId: string;
  /** A resident with about 20 sign-ups, browsing 幸福里. */
  busyUser: string;
  busyUserSignUps: number;
}

const activityId = (i: number) => `bulk-act-${i}`;
const userId = (u: number) => `bulk-u${u}`;

function makeActivity(i: number, now: number, spec: DatasetSpec): Activity {
  const community = COMMUNITIES[i % 2] ?? COMMUNITIES[0];
  const type = TYPES[Math.floor(i / 2) % TYPES.length] ?? 'volunteer';
  const hot = i === 0;
  // Start times from 180 days ago to 60 days ahead, 08:00–19:00-ish, whole hours.
  const base = Math.floor(now / HOUR) * HOUR;
  const dayOffset = hot ? 5 : ((i * 7919) % 240) - 180;
  const startAt = base + dayOffset * DAY + ((i * 31) % 12) * HOUR;
  const endAt = startAt + (1 + (i % 3)) * HOUR;
  const cancelled = !hot && i % 37 === 5;
  const capacity = hot ? spec.hotCapacity : i % 5 === 0 ? 0 : 10 + (i % 6) * 10;
  const hours = type === 'volunteer' ? 1 + (i % 3) : 0;
  const createdAt = Math.min(now - HOUR, startAt - 20 * DAY);
  return {
    _id: activityId(i),
    communityId: community.id,
    hostUnitIds: type === 'alliance' ? ['unit-hospital'] : [],
    type,
    title: `${TYPE_LABEL[type]} · 第 ${i} 场`,
    description: `压测数据：${TYPE_LABEL[type]}活动，欢迎社区居民踊跃参加。请提前十分钟到场签到，活动结束后可在“我的活动”中查看记录。`,
    place: { ...community.place },
    startAt,
    endAt,
    signUpStartAt: Math.min(now - HOUR, startAt - 14 * DAY),
    signUpEndAt: startAt - HOUR,
    capacity,
    audience: type === 'partyDay' || type === 'meeting' ? 'members' : 'all',
    cancelPolicy: 'untilStart',
    checkInMethod: 'qr',
    hours,
    points: hours,
    status: cancelled ? 'cancelled' : 'published',
    ...(cancelled ? { cancelReason: '天气原因' } : {}),
    confirmedCount: 0,
    waitlist: [],
    createdBy: 'demo-worker',
    createdAt,
    updatedAt: createdAt,
  };
}

/** Who signs up where: user u → ~20 activities (1..N-1), users 0..hot-1 also → the hot activity. */
function assignments(spec: DatasetSpec): Map<number, number[]> {
  const byActivity = new Map<number, number[]>();
  const push = (a: number, u: number) => {
    const list = byActivity.get(a);
    if (list) list.push(u);
    else byActivity.set(a, [u]);
  };
  for (let u = 0; u < spec.hotSignUps; u++) push(0, u);
  const rest = spec.signUps - spec.hotSignUps;
  const others = spec.activities - 1;
  const per = Math.floor(rest / spec.users);
  const extra = rest - per * spec.users; // this many users get one more
  for (let u = 0; u < spec.users; u++) {
    const n = per + (u < extra ? 1 : 0);
    // 503 is coprime with 9,999, so the k-th picks are distinct for k < N-1.
    for (let k = 0; k < n; k++) push(1 + ((u * 7919 + k * 503) % others), u);
  }
  return byActivity;
}

async function insertAll(rt: LocalRuntime, name: string, docs: object[], batch = 1000): Promise<void> {
  const coll = rt.runtime.db.collection(name);
  for (let i = 0; i < docs.length; i += batch) await coll.add(docs.slice(i, i + batch));
}

export async function loadDataset(rt: LocalRuntime, spec: DatasetSpec = DEFAULT_DATASET): Promise<Dataset> {
  const now = rt.runtime.now();
  const users: User[] = Array.from({ length: spec.users }, (_, u) => ({
    _id: userId(u),
    openid: userId(u),
    nickName: `居民${u}`,
    ...rolesPatch(
      u % 10 === 0
        ? [{ role: 'resident' }, { role: 'member', communityId: COMMUNITIES[u % 2]?.id }]
        : [{ role: 'resident' }],
    ),
    currentCommunityId: COMMUNITIES[(u >> 1) % 2]?.id,
    createdAt: now - 30 * DAY,
    updatedAt: now - 30 * DAY,
  }));

  const activities: Activity[] = [];
  const signUps: SignUp[] = [];
  const byActivity = assignments(spec);
  let seq = 0;
  for (let i = 0; i < spec.activities; i++) {
    const a = makeActivity(i, now, spec);
    const who = byActivity.get(i) ?? [];
    for (const [j, u] of who.entries()) {
      const openid = userId(u);
      const createdAt = Math.min(now - 1000, a.signUpStartAt + (j + 1) * 60_000);
      let status: SignUp['status'];
      if (a.status === 'cancelled' || seq++ % 17 === 16) status = 'cancelled';
      else if (a.capacity === 0 || a.confirmedCount < a.capacity) status = 'confirmed';
      else status = 'waitlisted';
      if (status === 'confirmed') a.confirmedCount += 1;
      if (status === 'waitlisted') a.waitlist.push(openid);
      signUps.push({
        _id: `${a._id}_${openid}`,
        activityId: a._id,
        communityId: a.communityId,
        openid,
        status,
        startAt: a.startAt,
        endAt: a.endAt,
        createdAt,
        updatedAt: createdAt,
        ...(status === 'confirmed' ? { confirmedAt: createdAt } : {}),
        ...(status === 'cancelled'
          ? {
              cancelledAt: createdAt + HOUR,
              cancelledBy: a.status === 'cancelled' ? ('organiser' as const) : ('self' as const),
            }
          : {}),
      });
    }
    activities.push(a);
  }

  await insertAll(rt, 'users', users);
  await insertAll(rt, 'activities', activities);
  await insertAll(rt, 'signups', signUps);

  // Not a hot-activity signer, among the users with one extra sign-up, browsing 幸福里 ((u >> 1) % 2 === 0).
  const busy = spec.hotSignUps + ((4 - (spec.hotSignUps % 4)) % 4);
  return {
    activities: activities.length,
    signUps: signUps.length,
    users: users.length,
    hotActivityId: activityId(0),
    busyUser: userId(busy),
    busyUserSignUps: signUps.filter((s) => s.openid === userId(busy)).length,
  };
}
