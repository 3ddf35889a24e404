/**
 * Demo data for a first start: one street, two communities, three 驻区单位, service sites, a dozen
 * activities across types and states, and the demo users. Times are relative to the seeding moment
 * so the demo always has open, full and ended activities.
 */
import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';
import type {
  Activity,
  ActivityType,
  MemberReport,
  Need,
  Project,
  ProjectClaim,
  ProjectRating,
  Resource,
  ResourceRequest,
  Community,
  Grievance,
  ServiceSite,
  SignUp,
  Street,
  TimelineAction,
  Unit,
  User,
} from '../../types/domain';
import fs from 'node:fs';
import path from 'node:path';
import { databaseFile, type LocalRuntime } from './local-runtime';
import { grievanceWrites } from '../../cloudfunctions/domain/grievance-tally';
import { dashboardWrites, type SeededSignUp } from '../../cloudfunctions/domain/dashboard-tally';
import { rolesPatch } from '../../cloudfunctions/domain/roles';
import { ROLE_KEYS_JOB_ID, roleKeysBackfillDone } from '../../cloudfunctions/user/role-keys';
import { SERVICE_GEO_JOB_ID, serviceGeoBackfillDone } from '../../cloudfunctions/service/geo-backfill';
import { seedDemoMall } from './seed-points';
import { seedDemoVolunteer } from './seed-volunteer';
import { seedDemoBranch } from './seed-branch';
import { seedDemoSites } from './seed-sites';
import {
  applyAction,
  DEFAULT_CATEGORIES,
  grievanceNumber,
  newGrievance,
  type ActionInput,
  type Actor,
} from '../../cloudfunctions/domain/grievance';

dayjs.extend(utc);
dayjs.extend(timezone);

export const DEMO_USERS = [
  { openid: 'demo-resident', label: '居民 · 王阿姨' },
  { openid: 'demo-member', label: '党员 · 李建国' },
  { openid: 'demo-volunteer', label: '志愿者 · 张晓雨' },
  { openid: 'demo-unit', label: '驻区单位 · 区人民医院 赵医生' },
  { openid: 'demo-worker', label: '社区工作者 · 陈书记（幸福里社区）' },
  { openid: 'demo-admin', label: '街道管理员 · 刘主任' },
] as const;

const street: Street = { _id: 'street-dongfeng', name: '东风街道' };
const communities: Community[] = [
  { _id: 'community-xingfuli', streetId: street._id, name: '幸福里社区', address: '东风街道幸福路 88 号' },
  { _id: 'community-heping', streetId: street._id, name: '和平社区', address: '东风街道和平街 12 号' },
];
const [xingfuli, heping] = communities.map((c) => c._id) as [string, string];

const units: Unit[] = [
  {
    _id: 'unit-hospital',
    name: '区人民医院',
    type: '医院',
    address: '幸福路 100 号',
    partyOrg: '区人民医院党委',
    communityIds: [xingfuli, heping],
  },
  {
    _id: 'unit-school',
    name: '第二实验小学',
    type: '学校',
    address: '和平街 30 号',
    partyOrg: '第二实验小学党支部',
    communityIds: [heping],
  },
  {
    _id: 'unit-tech',
    name: '智联科技有限公司',
    type: '两新组织',
    address: '创业园 5 栋',
    partyOrg: '智联科技党支部',
    communityIds: [xingfuli],
  },
];

const sites: ServiceSite[] = [
  {
    _id: 'site-xfl-center',
    communityId: xingfuli,
    name: '幸福里党群服务中心',
    address: '幸福路 88 号一楼',
    lat: 28.1941,
    lng: 112.9823,
    openingHours: '周一至周日 8:30–20:00',
    facilities: ['多功能厅', '阅览室', '助餐点'],
    contact: '0734-8123456',
  },
  {
    _id: 'site-xfl-room',
    communityId: xingfuli,
    name: '幸福里党员活动室',
    address: '幸福路 88 号二楼',
    lat: 28.1942,
    lng: 112.9825,
    openingHours: '周一至周五 9:00–17:00',
    facilities: ['投影', '会议桌'],
    contact: '0734-8123457',
  },
  {
    _id: 'site-hp-center',
    communityId: heping,
    name: '和平社区党群服务中心',
    address: '和平街 12 号',
    lat: 28.1899,
    lng: 112.9761,
    openingHours: '周一至周六 8:30–18:00',
    facilities: ['讲习所', '健身角'],
    contact: '0734-8123458',
  },
  {
    _id: 'site-hp-school',
    communityId: heping,
    name: '新时代讲习所（第二实验小学）',
    address: '和平街 30 号报告厅',
    lat: 28.1887,
    lng: 112.9772,
    openingHours: '周末 9:00–17:00',
    facilities: ['报告厅 200 座'],
    contact: '0734-8123459',
  },
];

/** Written with their `roleKeys` (rolesPatch), as every write of roles is. */
const users: Omit<User, 'createdAt' | 'updatedAt' | 'roleKeys'>[] = [
  {
    _id: 'demo-resident',
    openid: 'demo-resident',
    nickName: '王阿姨',
    roles: [{ role: 'resident' }],
    currentCommunityId: xingfuli,
  },
  {
    _id: 'demo-member',
    openid: 'demo-member',
    nickName: '李建国',
    roles: [{ role: 'resident' }, { role: 'member', communityId: xingfuli }],
    currentCommunityId: xingfuli,
  },
  {
    _id: 'demo-volunteer',
    openid: 'demo-volunteer',
    nickName: '张晓雨',
    roles: [{ role: 'resident' }, { role: 'volunteer', communityId: xingfuli }],
    currentCommunityId: xingfuli,
  },
  {
    _id: 'demo-unit',
    openid: 'demo-unit',
    nickName: '赵医生',
    roles: [
      { role: 'resident' },
      { role: 'member', communityId: heping },
      { role: 'unitStaff', unitId: 'unit-hospital' },
    ],
    currentCommunityId: heping,
  },
  {
    _id: 'demo-worker',
    openid: 'demo-worker',
    nickName: '陈书记',
    roles: [
      { role: 'resident' },
      { role: 'member', communityId: xingfuli },
      { role: 'worker', communityId: xingfuli },
    ],
    currentCommunityId: xingfuli,
  },
  {
    _id: 'demo-admin',
    openid: 'demo-admin',
    nickName: '刘主任',
    roles: [{ role: 'resident' }, { role: 'admin' }],
    currentCommunityId: xingfuli,
  },
];

interface ActivitySeed {
  id: string;
  communityId: string;
  type: ActivityType;
  title: string;
  description: string;
  siteId: string;
  /** Days from today (Asia/Shanghai) and local start hour. */
  day: number;
  hour: number;
  durationHours: number;
  capacity: number;
  audience?: Activity['audience'];
  hostUnitIds?: string[];
  hours?: number;
  /** Pre-filled confirmed sign-ups by generated residents. */
  filled?: number;
  status?: Activity['status'];
}

const activitySeeds: ActivitySeed[] = [
  {
    id: 'act-meal',
    communityId: xingfuli,
    type: 'volunteer',
    title: '敬老助餐 · 为独居老人送午餐',
    description: '为社区 80 岁以上独居老人送午餐，每人负责 3–4 户，需步行上下楼。',
    siteId: 'site-xfl-center',
    day: 2,
    hour: 10,
    durationHours: 3,
    capacity: 20,
    hours: 3,
    filled: 6,
  },
  {
    id: 'act-clean',
    communityId: xingfuli,
    type: 'volunteer',
    title: '楼道清洁日 · 清理堆积杂物',
    description: '联合物业清理楼道杂物，消除消防隐患。请穿方便活动的衣服。',
    siteId: 'site-xfl-center',
    day: 4,
    hour: 9,
    durationHours: 2,
    capacity: 30,
    hours: 2,
    filled: 12,
  },
  {
    id: 'act-clinic',
    communityId: xingfuli,
    type: 'alliance',
    title: '义诊进社区 · 区人民医院专家坐诊',
    description: '区人民医院党员专家为居民量血压、测血糖，解答慢病用药问题。',
    siteId: 'site-xfl-center',
    day: 6,
    hour: 14,
    durationHours: 3,
    capacity: 50,
    hostUnitIds: ['unit-hospital'],
    filled: 18,
  },
  {
    id: 'act-partyday',
    communityId: xingfuli,
    type: 'partyDay',
    title: '主题党日 · 重温入党誓词',
    description: '全体党员重温入党誓词，学习党的二十届四中全会精神。',
    siteId: 'site-xfl-room',
    day: 3,
    hour: 15,
    durationHours: 2,
    capacity: 40,
    audience: 'members',
  },
  {
    id: 'act-full',
    communityId: xingfuli,
    type: 'volunteer',
    title: '防诈骗宣传 · 小区门口摆摊',
    description: '向居民发放防诈骗宣传册，讲解常见骗局。',
    siteId: 'site-xfl-center',
    day: 1,
    hour: 16,
    durationHours: 2,
    capacity: 4,
    hours: 2,
    filled: 4,
  },
  {
    id: 'act-vol-only',
    communityId: xingfuli,
    type: 'volunteer',
    title: '文明劝导 · 电动车规范停放',
    description: '在小区出入口劝导电动车规范停放、不进楼道充电。仅限注册志愿者。',
    siteId: 'site-xfl-center',
    day: 5,
    hour: 8,
    durationHours: 2,
    capacity: 10,
    audience: 'volunteers',
    hours: 2,
    filled: 3,
  },
  {
    id: 'act-meeting',
    communityId: xingfuli,
    type: 'meeting',
    title: '三会一课 · 第四季度党小组会',
    description: '党小组会：交流学习体会，讨论年度民主评议安排。',
    siteId: 'site-xfl-room',
    day: 8,
    hour: 19,
    durationHours: 1.5,
    capacity: 0,
    audience: 'members',
  },
  {
    id: 'act-ended-1',
    communityId: xingfuli,
    type: 'volunteer',
    title: '重阳节陪伴 · 包饺子',
    description: '和社区老人一起包饺子、聊家常。',
    siteId: 'site-xfl-center',
    day: -10,
    hour: 9,
    durationHours: 3,
    capacity: 25,
    hours: 3,
    filled: 25,
  },
  {
    id: 'act-ended-2',
    communityId: xingfuli,
    type: 'alliance',
    title: '智联科技 · 老年人智能手机课堂',
    description: '企业党员志愿者手把手教老人用手机挂号、付款、视频通话。',
    siteId: 'site-xfl-center',
    day: -4,
    hour: 14,
    durationHours: 2,
    capacity: 30,
    hostUnitIds: ['unit-tech'],
    hours: 2,
    filled: 17,
  },
  {
    id: 'act-heping-lecture',
    communityId: heping,
    type: 'alliance',
    title: '新时代讲习所 · 家庭教育讲座',
    description: '第二实验小学心理老师讲亲子沟通。',
    siteId: 'site-hp-school',
    day: 7,
    hour: 9,
    durationHours: 2,
    capacity: 200,
    hostUnitIds: ['unit-school'],
    filled: 45,
  },
  {
    id: 'act-heping-river',
    communityId: heping,
    type: 'volunteer',
    title: '护河行动 · 沿河捡拾垃圾',
    description: '沿湘江支流步道捡拾垃圾，提供手套和夹子。',
    siteId: 'site-hp-center',
    day: 9,
    hour: 8,
    durationHours: 3,
    capacity: 40,
    hours: 3,
    filled: 9,
  },
  {
    id: 'act-cancelled',
    communityId: heping,
    type: 'volunteer',
    title: '社区跳蚤市场（因雨取消）',
    description: '原定于广场举办的旧物交换活动因天气取消。',
    siteId: 'site-hp-center',
    day: 3,
    hour: 9,
    durationHours: 3,
    capacity: 60,
    status: 'cancelled',
  },
];

/** Written last by a complete demo seed: `meta/demo-seed`. */
export const SEED_MARKER = { collection: 'meta', id: 'demo-seed' } as const;

async function hasSeedMarker(rt: LocalRuntime): Promise<boolean> {
  const { data } = (await rt.runtime.db.collection(SEED_MARKER.collection).doc(SEED_MARKER.id).get()) as {
    data: unknown[];
  };
  return data.length > 0;
}

/**
 * Seeds the demo data unless it is there, writing SEED_MARKER last. A database that already holds
 * communities but no marker (seeded before the marker existed, or in use) is left as it is and
 * marked. For a data folder use `seedDataDirIfNew`, which makes the whole seed atomic.
 */
export async function seedIfEmpty(rt: LocalRuntime): Promise<boolean> {
  const db = rt.runtime.db;
  if (await hasSeedMarker(rt)) return false;
  const { total } = (await db.collection('communities').count()) as { total: number };
  const marker = db.collection(SEED_MARKER.collection).doc(SEED_MARKER.id);
  if (total > 0) {
    await marker.set({ at: rt.runtime.now(), adopted: true });
    return false;
  }
  await seed(rt);
  await seedDemoGrievances(rt);
  await seedDemoAlliance(rt);
  await seedDemoVolunteer(rt);
  await seedDemoMall(rt);
  await seedDemoBranch(rt);
  await seedDemoSites(rt);
  await marker.set({ at: rt.runtime.now() });
  return true;
}

/**
 * First start of a data folder: seeds into `<dataDir>/.seeding/` and moves the finished database
 * into place, so a start killed while seeding leaves no database behind and the next start seeds
 * again from scratch (the scratch folder is discarded). A folder that has a database is untouched.
 */
export async function seedDataDirIfNew(
  dataDir: string,
  open: (scratchDir: string) => LocalRuntime,
): Promise<boolean> {
  const target = databaseFile(dataDir);
  if (fs.existsSync(target)) return false;
  const scratch = path.join(dataDir, '.seeding');
  fs.rmSync(scratch, { recursive: true, force: true });
  const rt = open(scratch);
  try {
    await seedIfEmpty(rt);
  } finally {
    rt.close();
  }
  const seeded = databaseFile(scratch);
  for (const suffix of ['-wal', '-shm']) fs.rmSync(target + suffix, { force: true });
  // Journal files first (normally gone after close), the database itself last: the rename is atomic.
  for (const suffix of ['-wal', '-shm', '']) {
    if (fs.existsSync(seeded + suffix)) fs.renameSync(seeded + suffix, target + suffix);
  }
  fs.rmSync(scratch, { recursive: true, force: true });
  return true;
}

export async function seed(rt: LocalRuntime): Promise<void> {
  const db = rt.runtime.db;
  const now = rt.runtime.now();
  const put = <T extends { _id: string }>(coll: string, doc: T) => {
    const { _id, ...rest } = doc;
    return db.collection(coll).doc(_id).set(rest);
  };
  await put('streets', street);
  for (const c of communities) await put('communities', c);
  for (const u of units) await put('units', u);
  for (const s of sites) await put('sites', s);
  for (const u of users) await put('users', { ...u, ...rolesPatch(u.roles), createdAt: now, updatedAt: now });
  // Every user is written with roleKeys: nothing for the roleKeys migration to do.
  await put('jobs', { _id: ROLE_KEYS_JOB_ID, ...roleKeysBackfillDone(now) });
  // No service request is stored without geoCell: nothing for the geoCell migration to do.
  await put('jobs', { _id: SERVICE_GEO_JOB_ID, ...serviceGeoBackfillDone(now) });

  const today = dayjs(now).tz('Asia/Shanghai').startOf('day');
  // The dashboard counters of the sign-ups written here (as the handlers would have kept them).
  const seededSignUps: SeededSignUp[] = [];
  for (const s of activitySeeds) {
    const site = sites.find((x) => x._id === s.siteId);
    if (!site) throw new Error(`seed: unknown site ${s.siteId}`);
    const startAt = today.add(s.day, 'day').add(s.hour, 'hour').valueOf();
    const endAt = startAt + s.durationHours * 3600_000;
    const signUpStartAt = Math.min(now - 3600_000, startAt - 14 * 86400_000);
    const signUpEndAt = startAt - 3600_000;
    const filled = s.filled ?? 0;
    const activity: Activity = {
      _id: s.id,
      communityId: s.communityId,
      hostUnitIds: s.hostUnitIds ?? [],
      type: s.type,
      title: s.title,
      description: s.description,
      place: { name: site.name, address: site.address, lat: site.lat, lng: site.lng, siteId: site._id },
      startAt,
      endAt,
      signUpStartAt,
      signUpEndAt,
      capacity: s.capacity,
      audience: s.audience ?? 'all',
      cancelPolicy: 'untilStart',
      checkInMethod: 'qr',
      hours: s.hours ?? 0,
      points: Math.floor(s.hours ?? 0),
      status: s.status ?? 'published',
      ...(s.status === 'cancelled' ? { cancelReason: '天气原因' } : {}),
      confirmedCount: filled,
      waitlist: [],
      createdBy: 'demo-worker',
      createdAt: now,
      updatedAt: now,
    };
    await put('activities', activity);
    for (let i = 1; i <= filled; i++) {
      const openid = `demo-neighbour-${String(i).padStart(3, '0')}`;
      const signUp: SignUp = {
        _id: `${s.id}_${openid}`,
        activityId: s.id,
        communityId: s.communityId,
        openid,
        status: 'confirmed',
        startAt,
        endAt,
        createdAt: signUpStartAt + i * 60_000,
        updatedAt: signUpStartAt + i * 60_000,
        confirmedAt: signUpStartAt + i * 60_000,
      };
      await put('signups', signUp);
      seededSignUps.push({ ...signUp, type: s.type });
    }
  }
  for (const w of dashboardWrites({ signUps: seededSignUps }))
    await put(w.collection, { _id: w._id, ...w.doc });
  for (let i = 1; i <= 50; i++) {
    const openid = `demo-neighbour-${String(i).padStart(3, '0')}`;
    await put('users', {
      _id: openid,
      openid,
      nickName: `邻居${i}`,
      ...rolesPatch([{ role: 'resident' }]),
      createdAt: now,
      updatedAt: now,
    });
  }
}

/**
 * A few grievances in different stages for the demo (worker queue, an overdue one, one waiting
 * for 王阿姨's rating). Built with the same domain rules the handlers use, so they are consistent.
 * Not part of `seed()`: tests start with no grievances.
 */
export async function seedDemoGrievances(rt: LocalRuntime): Promise<void> {
  const db = rt.runtime.db;
  const now = rt.runtime.now();
  const category = (key: string) => DEFAULT_CATEGORIES.find((c) => c.key === key) ?? DEFAULT_CATEGORIES[0]!;
  const worker = { role: 'worker' as const, openid: 'demo-worker' };
  const hospital = { kind: 'unit' as const, id: 'unit-hospital', name: '区人民医院' };
  const seqByDay = new Map<string, number>();
  let made = 0;
  const make = (openid: string, key: string, text: string, at: number) => {
    const day = grievanceNumber(at, 0).slice(0, 8);
    const seq = (seqByDay.get(day) ?? 0) + 1;
    seqByDay.set(day, seq);
    return newGrievance(
      {
        _id: `demo-grievance-${++made}`,
        number: grievanceNumber(at, seq),
        communityId: xingfuli,
        openid,
        category: category(key),
        text,
        photos: [],
        isPublic: true,
      },
      at,
    );
  };
  const step = (
    g: Grievance,
    action: TimelineAction,
    input: ActionInput,
    actor: Actor,
    at: number,
  ): Grievance => {
    const { patch, entry } = applyAction(g, action, input, actor, at);
    return { ...g, ...patch, timeline: [...g.timeline, entry] };
  };
  const H = 3600_000;

  const overdue = make(
    'demo-neighbour-011',
    'safety',
    '5 号楼一楼电动车在楼道里充电，电线从窗户拉进来，很危险，请尽快处理',
    now - 3 * H,
  );

  let inProgress = make(
    'demo-neighbour-012',
    'repairs',
    '小区东门路灯坏了一个多星期，晚上老人出门看不清路',
    now - 30 * H,
  );
  inProgress = step(inProgress, 'accept', {}, worker, now - 28 * H);
  inProgress = step(inProgress, 'dispatch', { handler: hospital }, worker, now - 27 * H);
  inProgress = step(inProgress, 'start', {}, { role: 'handler', openid: 'demo-unit' }, now - 20 * H);

  let resolved = make(
    'demo-resident',
    'sanitation',
    '三号楼楼道堆满纸箱杂物，已经很久没人清理，存在消防隐患',
    now - 50 * H,
  );
  resolved = step(resolved, 'accept', {}, worker, now - 49 * H);
  resolved = step(
    resolved,
    'dispatch',
    { handler: { kind: 'worker', id: 'demo-worker', name: '陈书记' } },
    worker,
    now - 48 * H,
  );
  resolved = step(
    resolved,
    'resolve',
    { note: '已联系物业清运，楼道已畅通' },
    { role: 'handler', openid: 'demo-worker' },
    now - 26 * H,
  );

  let rated = make(
    'demo-neighbour-013',
    'property',
    '物业收费公示栏一直没有更新，希望公开今年的收支明细',
    now - 9 * 24 * H,
  );
  rated = step(rated, 'accept', {}, worker, now - 9 * 24 * H + 2 * H);
  rated = step(
    rated,
    'dispatch',
    { handler: { kind: 'worker', id: 'demo-worker', name: '陈书记' } },
    worker,
    now - 9 * 24 * H + 3 * H,
  );
  rated = step(
    rated,
    'resolve',
    { note: '已督促物业公示 2026 年收支明细' },
    { role: 'handler', openid: 'demo-worker' },
    now - 7 * 24 * H,
  );
  rated = step(
    rated,
    'rate',
    { satisfaction: 'satisfied', comment: '已经公示了，谢谢' },
    { role: 'resident', openid: 'demo-neighbour-013' },
    now - 6 * 24 * H,
  );

  // The grievances with their index fields, statistics counters and daily submission counters.
  for (const w of grievanceWrites([overdue, inProgress, resolved, rated]))
    await db.collection(w.collection).doc(w._id).set(w.doc);
  for (const [day, seq] of seqByDay) await db.collection('counters').doc(`grievance-${day}`).set({ seq });
}

/**
 * Regional-alliance demo data: needs, resources (one request answered), three projects (open for
 * claims, in progress with the hospital, completed and rated), and 李建国's confirmed report with
 * a service post; 赵医生 becomes the hospital's unit admin. Not part of `seed()`: tests start clean.
 */
export async function seedDemoAlliance(rt: LocalRuntime): Promise<void> {
  const db = rt.runtime.db;
  const now = rt.runtime.now();
  const H = 3600_000;
  const D = 24 * H;
  const put = <T extends { _id: string }>(coll: string, doc: T) => {
    const { _id, ...rest } = doc;
    return db.collection(coll).doc(_id).set(rest);
  };
  await db
    .collection('units')
    .doc('unit-hospital')
    .update({ contact: '0734-8220120', adminOpenids: ['demo-unit'] });
  await db.collection('units').doc('unit-tech').update({ contact: '0734-8330000', adminOpenids: [] });
  await db.collection('units').doc('unit-school').update({ contact: '0734-8440000', adminOpenids: [] });

  const need = (
    id: string,
    title: string,
    description: string,
    category: string,
    status: Need['status'],
  ): Need => ({
    _id: id,
    communityId: xingfuli,
    title,
    description,
    category,
    source: 'worker',
    status,
    createdBy: 'demo-worker',
    createdAt: now - 20 * D,
  });
  const needs = [
    need('need-lights', '老楼楼道照明', '1–3 栋楼道感应灯大多损坏，老人夜间上下楼不便', '设施', 'inProject'),
    need(
      'need-health',
      '老年人健康义诊',
      '辖区 60 岁以上老人近 400 人，希望定期义诊和健康讲座',
      '健康',
      'inProject',
    ),
    need(
      'need-homework',
      '双职工子女课后托管',
      '放学后到家长下班前无人看护，希望提供课后辅导',
      '教育',
      'open',
    ),
  ];
  for (const n of needs) await put('needs', n);

  const resource = (
    id: string,
    unit: Unit,
    kind: Resource['kind'],
    title: string,
    description: string,
    capacity: string,
    availability: string,
  ): Resource => ({
    _id: id,
    unitId: unit._id,
    unitName: unit.name,
    communityIds: unit.communityIds,
    kind,
    title,
    description,
    capacity,
    availability,
    status: 'active',
    createdBy: 'demo-unit',
    createdAt: now - 30 * D,
  });
  const [hospital, school, tech] = units as [Unit, Unit, Unit];
  const resources = [
    resource(
      'res-hall',
      hospital,
      'venue',
      '医院学术报告厅',
      '可用于健康讲座、党课',
      '可容纳 120 人',
      '周末 9:00–17:00',
    ),
    resource(
      'res-doctors',
      hospital,
      'expertise',
      '医疗志愿服务队',
      '全科、康复、心理医生义诊',
      '每次 4–6 人',
      '每月第二个周六',
    ),
    resource(
      'res-tech-vol',
      tech,
      'volunteers',
      '青年志愿者',
      '电脑维修、智能手机教学',
      '每次 10 人',
      '工作日晚上',
    ),
    resource(
      'res-school-room',
      school,
      'venue',
      '学校多功能教室',
      '课后托管、亲子活动',
      '可容纳 40 人',
      '工作日 16:30–18:30',
    ),
  ];
  for (const r of resources) await put('resources', r);
  const request: ResourceRequest = {
    _id: 'resreq-hall',
    resourceId: 'res-hall',
    resourceTitle: '医院学术报告厅',
    kind: 'venue',
    unitId: hospital._id,
    unitName: hospital.name,
    communityId: xingfuli,
    requestedBy: 'demo-worker',
    note: '下月办一场老年人慢病管理讲座',
    status: 'accepted',
    answerNote: '已预留报告厅',
    answeredBy: 'demo-unit',
    answeredAt: now - 10 * D,
    createdAt: now - 12 * D,
  };
  await put('resource_requests', request);

  const project = (over: Partial<Project> & Pick<Project, '_id' | 'title' | 'goal' | 'tasks'>): Project => ({
    communityId: xingfuli,
    wanted: '',
    deadline: now + 14 * D,
    maxClaims: 2,
    needIds: [],
    status: 'open',
    activeClaims: 0,
    approvedClaims: 0,
    ratingCount: 0,
    ratingSum: 0,
    updates: [],
    createdBy: 'demo-worker',
    createdAt: now - 5 * D,
    updatedAt: now - 5 * D,
    ...over,
  });
  const claim = (projectId: string, unit: Unit, plan: string, at: number): ProjectClaim => ({
    _id: `${projectId}_${unit._id}`,
    projectId,
    communityId: xingfuli,
    unitId: unit._id,
    unitName: unit.name,
    plan,
    status: 'approved',
    claimedBy: unit._id === hospital._id ? 'demo-unit' : 'demo-worker',
    createdAt: at,
    reviewedAt: at + D,
    reviewedBy: 'demo-worker',
  });
  const projects = [
    project({
      _id: 'project-homework',
      title: '“四点半课堂”课后托管',
      goal: '为双职工家庭孩子提供放学后的看护和作业辅导',
      tasks: ['招募辅导志愿者', '落实场地', '每周一至周五开课'],
      wanted: '场地 1 处，志愿者 6 人',
      deadline: now + 20 * D,
      maxClaims: 2,
      needIds: ['need-homework'],
    }),
    project({
      _id: 'project-health',
      title: '银龄健康守护行动',
      goal: '每月一次义诊，建立 60 岁以上老人健康档案',
      tasks: ['义诊排班', '建立健康档案', '慢病随访'],
      wanted: '医生 4–6 人',
      deadline: now + 3 * D,
      maxClaims: 1,
      needIds: ['need-health'],
      activeClaims: 1,
      approvedClaims: 1,
      updates: [
        {
          kind: 'progress',
          at: now - 2 * D,
          byOpenid: 'demo-unit',
          unitId: hospital._id,
          unitName: hospital.name,
          text: '首次义诊完成，为 86 位老人测量血压血糖并建档',
          photos: [],
        },
      ],
    }),
    project({
      _id: 'project-lights',
      title: '老楼楼道照明改造',
      goal: '为 1–3 栋老楼更换楼道感应灯',
      tasks: ['勘察线路', '采购灯具', '安装调试'],
      wanted: '电工 2 人，资金约 5000 元',
      deadline: now - 20 * D,
      maxClaims: 1,
      needIds: ['need-lights'],
      status: 'completed',
      activeClaims: 1,
      approvedClaims: 1,
      ratingCount: 2,
      ratingSum: 9,
      createdAt: now - 40 * D,
      completedAt: now - 7 * D,
      updates: [
        { kind: 'milestone', at: now - 15 * D, byOpenid: 'demo-worker', text: '1 栋完工', photos: [] },
        {
          kind: 'completed',
          at: now - 7 * D,
          byOpenid: 'demo-worker',
          text: '3 栋楼共更换感应灯 72 盏',
          photos: [],
        },
      ],
    }),
  ];
  for (const p of projects) await put('projects', p);
  await put(
    'project_claims',
    claim('project-health', hospital, '我院派全科、康复医生各 2 名，每月第二个周六义诊。', now - 4 * D),
  );
  await put(
    'project_claims',
    claim('project-lights', tech, '公司党员电工 2 名负责安装，公司承担灯具费用。', now - 35 * D),
  );
  const ratings: ProjectRating[] = [
    {
      _id: 'project-lights_demo-worker',
      projectId: 'project-lights',
      openid: 'demo-worker',
      raterRole: 'worker',
      stars: 5,
      at: now - 6 * D,
    },
    {
      _id: 'project-lights_demo-resident',
      projectId: 'project-lights',
      openid: 'demo-resident',
      raterRole: 'resident',
      stars: 4,
      comment: '楼道亮堂了，晚上出门放心多了',
      at: now - 5 * D,
    },
  ];
  for (const r of ratings) await put('project_ratings', r);

  const report: MemberReport = {
    _id: 'report-demo-member',
    openid: 'demo-member',
    communityId: xingfuli,
    employerUnitId: hospital._id,
    employerName: hospital.name,
    partyOrg: '区人民医院第二党支部',
    status: 'confirmed',
    posts: [{ name: '楼道长', since: now - 25 * D }],
    createdAt: now - 30 * D,
    updatedAt: now - 25 * D,
    reviewedAt: now - 29 * D,
    reviewedBy: 'demo-worker',
    confirmedAt: now - 29 * D,
  };
  await put('member_reports', report);
  await db.collection('report_heads').doc('demo-member').set({ activeReportId: report._id });
}
