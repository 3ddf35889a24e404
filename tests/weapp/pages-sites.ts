/**
 * Weapp page specs of 公示栏 and 服务阵地 (issue 15 items 3–4) on the demo data: the worker opens
 * 幸福里党群服务中心 for booking (every day 08:00–22:00, with approval) in the specs' set-up.
 * pages.ts spreads them into PAGES (resident pages in the main group, managers' in worker).
 */
import type { LocalRuntime } from '../../tools/runtime/local-runtime';
import { docs, effect, tapWhenShown, type PageSpec } from './pages';
import { pageText, tapText, typeInto, until } from './harness';

const HOURS = Array.from({ length: 7 }, () => [{ open: '08:00', close: '22:00' }]);
const DAY = 24 * 3600_000;
/** 'YYYY-MM-DD' (Asia/Shanghai) `days` from now. */
const dateIn = (days: number) => new Date(Date.now() + 8 * 3600_000 + days * DAY).toISOString().slice(0, 10);

async function call(rt: LocalRuntime, openid: string, fn: 'sites' | 'board', action: string, data: unknown) {
  const res = await rt.call(fn, { action, data }, openid);
  if (!res.ok) throw new Error(`${fn}.${action}: ${res.error.message}`);
  return res.data as { _id: string; noticeId: string };
}

/** The bookable 党群服务中心 (idempotent). */
async function site(rt: LocalRuntime): Promise<string> {
  const s = await call(rt, 'demo-worker', 'sites', 'saveSite', {
    communityId: 'community-xingfuli',
    fromSiteId: 'site-xfl-center',
    hours: HOURS,
    capacity: 40,
    approval: true,
    maxHours: 3,
  });
  return s._id;
}

/** A pending booking of the resident, `days` ahead at `start` for an hour. */
async function booking(rt: LocalRuntime, days: number, start: string, end: string): Promise<string> {
  const siteId = await site(rt);
  const b = await call(rt, 'demo-resident', 'sites', 'book', {
    siteId,
    date: dateIn(days),
    start,
    end,
    people: 6,
    purpose: '楼栋议事会',
  });
  return b._id;
}

export const SITE_PAGES: PageSpec[] = [
  {
    route: 'packages/board/index',
    role: 'resident',
    group: 'main',
    shows: ['群众诉求 · 三率', '响应率', '共建单位贡献', '志愿服务'],
  },
  {
    route: 'packages/board/notice',
    role: 'resident',
    group: 'main',
    query: async (rt) => {
      const n = await call(rt, 'demo-worker', 'board', 'publishNotice', {
        communityId: 'community-xingfuli',
        title: '停水通知',
        body: '幸福路片区明日 9:00–12:00 停水检修。',
        pinned: true,
      });
      return { id: n.noticeId };
    },
    shows: ['停水通知', '幸福路片区明日 9:00–12:00 停水检修。', '置顶'],
  },
  {
    route: 'packages/sites/index',
    role: 'resident',
    group: 'main',
    query: async (rt) => {
      await site(rt);
      return {};
    },
    shows: ['幸福里党群服务中心', '需审核', '我的预约'],
  },
  {
    route: 'packages/sites/detail',
    role: 'resident',
    group: 'main',
    query: async (rt) => ({ id: await site(rt) }),
    shows: ['幸福里党群服务中心', '选择日期', '选择时段'],
    action: {
      name: '提交预约 of a free slot the day after tomorrow writes a pending booking',
      async run({ rt, comp, openid }) {
        const date = dateIn(2);
        const [, m, d] = date.split('-').map(Number);
        tapText(comp, `${m}月${d}日`);
        await until(() => pageText(comp).includes(`选择时段 · ${m}月${d}日`), 10_000, 'the chosen day');
        await tapWhenShown(comp, '可约');
        await until(() => pageText(comp).includes('已选'), 10_000, 'the chosen slot');
        typeInto(comp, 0, '5');
        typeInto(comp, 1, '读书会');
        tapText(comp, '提交预约');
        await tapWhenShown(comp, '确认预约');
        const [b] = await effect('the booking', async () => {
          const found = await docs(rt, 'site_bookings', { openid, date, purpose: '读书会' });
          return found.length ? found : undefined;
        });
        expect(b).toMatchObject({ status: 'pending', people: 5, start: '08:00', end: '08:30' });
      },
    },
  },
  {
    route: 'packages/sites/mine',
    role: 'resident',
    group: 'main',
    query: async (rt) => ({ id: await booking(rt, 3, '19:00', '20:00') }),
    shows: ['待审核', '签到码', '楼栋议事会'],
    action: {
      name: '取消预约 after the confirmation cancels it and frees the slots',
      async run({ rt, comp, query }) {
        tapText(comp, '取消预约');
        await until(() => pageText(comp).includes('再想想'), 10_000, 'the confirmation');
        tapText(comp, '取消预约', -1);
        await effect('the cancellation', async () => {
          const [b] = await docs(rt, 'site_bookings', { _id: query.id, status: 'cancelled' });
          return b;
        });
      },
    },
  },
  {
    route: 'packages/sites/manage',
    role: 'worker',
    group: 'worker',
    query: async (rt) => ({ id: await booking(rt, 4, '10:00', '11:00') }),
    shows: ['待审核', '楼栋议事会', '预约人'],
    action: {
      name: '通过 after the confirmation confirms the booking and tells the resident',
      async run({ rt, comp, query }) {
        const told = async () =>
          (await docs(rt, 'messages', { openid: 'demo-resident', kind: 'bookingStatus' })).length;
        const before = await told();
        tapText(comp, '通过');
        await until(() => pageText(comp).includes('再想想'), 10_000, 'the confirmation');
        tapText(comp, '通过', -1);
        await effect('the approval', async () => {
          const [b] = await docs(rt, 'site_bookings', { _id: query.id, status: 'confirmed' });
          return b;
        });
        expect(await told()).toBe(before + 1);
      },
    },
  },
  {
    route: 'packages/sites/setup',
    role: 'worker',
    group: 'worker',
    shows: ['幸福里党群服务中心', '开放的日子', '开放预约'],
  },
];
