/**
 * Every page of the compiled weapp, with the role that opens it, what it must show from the demo
 * data, and its main action (tapped through the simulator, checked in the database). The
 * `pages-<group>.test.ts` files run the specs of their group; `coverage.test.ts` checks that
 * this table covers every page of miniprogram/dist/app.json.
 */
import type { LocalRuntime } from '../../tools/runtime/local-runtime';
import type { Role } from './cloud';
import { choose, findByText, pageText, pick, tapText, typeInto, until, type loadPage } from './harness';
import { BRANCH_PAGES } from './pages-branch';
import { BOARD_PAGES } from './pages-board';
import { NOTICE_PAGES } from './pages-notices';
import { PARTY_PAGES } from './pages-party';
import { REPORT_PAGES } from './pages-reports';
import { SERVICE_PAGES } from './pages-service';
import { SITE_PAGES } from './pages-sites';

export const GROUPS = [
  'main',
  'worker',
  'volunteer',
  'alliance',
  'service',
  'reports',
  'party',
  'board',
] as const;
export type Group = (typeof GROUPS)[number];

type Loaded = ReturnType<typeof loadPage>;
export interface ActionContext {
  rt: LocalRuntime;
  comp: Loaded['comp'];
  calls: Loaded['calls'];
  wx: Loaded['wx'];
  openid: string;
  query: Record<string, string>;
}
export interface PageSpec {
  route: string;
  role: Role;
  group: Group;
  /** The page's options (ids read from the demo data); may also prepare the data. */
  query?: (rt: LocalRuntime) => Promise<Record<string, string>>;
  /** Texts from the demo data the page must show once loaded. */
  shows: string[];
  /** The page's main action: taps it and checks the effect in the database. */
  action?: { name: string; run: (ctx: ActionContext) => Promise<void> };
}

type Doc = Record<string, unknown> & { _id: string };

/** Documents of `coll` matching `where` (the real database of the runtime). */
export async function docs(
  rt: LocalRuntime,
  coll: string,
  where: Record<string, unknown> = {},
): Promise<Doc[]> {
  const res = await rt.runtime.db.collection(coll).where(where).limit(1000).get();
  return res.data as Doc[];
}
export async function doc(rt: LocalRuntime, coll: string, id: string): Promise<Doc | undefined> {
  const res = await rt.runtime.db.collection(coll).where({ _id: id }).get();
  return res.data[0] as Doc | undefined;
}
async function idOf(rt: LocalRuntime, coll: string, where: Record<string, unknown>): Promise<string> {
  const [first] = await docs(rt, coll, where);
  if (!first) throw new Error(`demo data: no ${coll} matching ${JSON.stringify(where)}`);
  return first._id;
}
type Comp = ActionContext['comp'];
/** Waits until the page shows `text`, then taps it (e.g. a dialog's confirm button). */
export async function tapWhenShown(comp: Comp, text: string, nth = 0): Promise<void> {
  await until(() => findByText(comp, text, nth), 10_000, `"${text}" to tap`).catch((err) => {
    throw new Error(`${(err as Error).message}\npage shows: ${pageText(comp).slice(0, 600)}`);
  });
  tapText(comp, text, nth);
}
/** Polls the database until `check` holds (it returns the documents it found, or a falsy value). */
export async function effect<T>(label: string, check: () => Promise<T>): Promise<NonNullable<T>> {
  const start = Date.now();
  for (;;) {
    const v = await check();
    if (v) return v as NonNullable<T>;
    if (Date.now() - start > 10_000) throw new Error(`timed out waiting for ${label} in the database`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
const some = (list: Doc[]) => (list.length ? list : undefined);

/** The 社区图书角 session: starts within the hour, so its check-in is open. */
const bookCorner = (rt: LocalRuntime) => idOf(rt, 'activities', { title: '社区图书角 · 图书整理员' });
/** The first 垃圾分类宣传 session (sign-ups need review; 张晓雨's is pending). */
const firstSorting = async (rt: LocalRuntime) =>
  (await docs(rt, 'activities', { title: '垃圾分类宣传 · 督导员' })).sort(
    (a, b) => Number(a.startAt) - Number(b.startAt),
  )[0]!._id;
async function ok<T>(
  rt: LocalRuntime,
  fn: string,
  action: string,
  data: unknown,
  openid: string,
): Promise<T> {
  const res = await rt.call(fn as never, { action, data }, openid);
  if (!res.ok) throw new Error(`${fn}.${action}: ${res.error.message}`);
  return res.data as T;
}
/** The page's main action is opening an item: tapping `text` navigates to a page matching `url`. */
function opens(text: string, url: RegExp): PageSpec['action'] {
  return {
    name: `tapping ${text} opens ${url.source.replace(/\\/g, '')}`,
    async run({ comp, wx }) {
      tapText(comp, text);
      const navigations = () =>
        ['navigateTo', 'switchTab', 'redirectTo', 'reLaunch'].flatMap((api) =>
          (wx[api] as jest.Mock).mock.calls.map((c) => String((c[0] as { url: string }).url)),
        );
      await until(() => navigations().some((u) => url.test(u)), 10_000, `navigation to ${url.source}`).catch(
        (err: Error) => {
          throw new Error(`${err.message}; navigations: ${navigations().join(', ') || 'none'}`);
        },
      );
    },
  };
}
/** 张晓雨 signs up for the 社区图书角 session and checks in with the organiser's code. */
async function checkedInAtBookCorner(rt: LocalRuntime): Promise<string> {
  const id = await bookCorner(rt);
  await ok(rt, 'activity', 'signUp', { activityId: id }, 'demo-volunteer');
  const { code } = await ok<{ code: string }>(
    rt,
    'volunteer',
    'checkInCode',
    { activityId: id },
    'demo-worker',
  );
  await ok(rt, 'volunteer', 'checkIn', { activityId: id, proof: { method: 'code', code } }, 'demo-volunteer');
  return id;
}
/** A valid 18-digit resident ID number (GB 11643 check digit) from its first 17 digits. */
function idNumber(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = first17.split('').reduce((acc, d, i) => acc + Number(d) * weights[i]!, 0);
  return first17 + '10X98765432'[sum % 11]!;
}
/** An invite code to 区人民医院, issued by its unit admin 赵医生. */
let invite = '';
async function issueInvite(rt: LocalRuntime): Promise<string> {
  const res = await rt.call(
    'alliance',
    { action: 'issueInvite', data: { unitId: 'unit-hospital', asAdmin: false } },
    'demo-unit',
  );
  if (!res.ok) throw new Error(res.error.message);
  return (res.data as { code: string }).code;
}
const mealService = (rt: LocalRuntime) => idOf(rt, 'services', { title: '敬老助餐' });

export const PAGES: PageSpec[] = [
  // ── main pages (tab bar and activity pages) ──
  {
    route: 'pages/index/index',
    role: 'resident',
    group: 'main',
    shows: ['幸福里社区', '社区图书角 · 图书整理员', '敬老助餐 · 为独居老人送午餐'],
    action: opens('敬老助餐 · 为独居老人送午餐', /\/pages\/activity\/detail\?id=act-meal/),
  },
  {
    route: 'pages/activity/list',
    role: 'resident',
    group: 'main',
    shows: ['幸福里社区 · 活动', '主题党日 · 重温入党誓词', '剩余 40 个名额（共 40 人）'],
    action: opens('主题党日 · 重温入党誓词', /\/pages\/activity\/detail\?id=act-partyday/),
  },
  {
    route: 'pages/grievance/index',
    role: 'resident',
    group: 'main',
    shows: ['我的诉求', '三号楼楼道堆满纸箱杂物'],
    action: opens('三号楼楼道堆满纸箱杂物', /\/packages\/grievance\/detail\?id=demo-grievance-/),
  },
  {
    route: 'pages/messages/index',
    role: 'volunteer',
    group: 'main',
    shows: ['消息', '志愿者登记已通过', '你的志愿者登记已审核通过。'],
    action: {
      name: '全部已读 marks the messages read',
      async run({ rt, comp, openid }) {
        expect((await docs(rt, 'messages', { openid, read: false })).length).toBeGreaterThan(0);
        tapText(comp, '全部已读');
        await effect(
          'the read messages',
          async () => (await docs(rt, 'messages', { openid, read: false })).length === 0,
        );
      },
    },
  },
  {
    route: 'pages/me/index',
    role: 'resident',
    group: 'main',
    shows: ['王阿姨', '我的活动'],
    action: opens('我的活动', /\/pages\/activity\/mine/),
  },
  {
    route: 'pages/activity/detail',
    role: 'resident',
    group: 'main',
    query: async () => ({ id: 'act-meal' }),
    shows: ['敬老助餐 · 为独居老人送午餐', '剩余 14 个名额（共 20 人）', '立即报名'],
    action: {
      name: '立即报名 writes a confirmed sign-up',
      async run({ rt, comp, openid }) {
        tapText(comp, '立即报名');
        const [signUp] = await effect('the sign-up', async () =>
          some(await docs(rt, 'signups', { activityId: 'act-meal', openid, status: 'confirmed' })),
        );
        expect(signUp).toBeTruthy();
        await until(() => pageText(comp).includes('取消报名'), 10_000, '取消报名');
        expect((await doc(rt, 'activities', 'act-meal'))?.confirmedCount).toBe(7);
      },
    },
  },
  {
    route: 'pages/activity/mine',
    role: 'volunteer',
    group: 'main',
    shows: ['垃圾分类宣传 · 督导员', '待审核', '敬老助餐 · 送餐员'],
    action: opens('垃圾分类宣传 · 督导员', /\/pages\/activity\/detail\?id=/),
  },
  {
    route: 'packages/grievance/new',
    role: 'resident',
    group: 'main',
    shows: ['我要反映', '环境卫生', '设施报修'],
    action: {
      name: '提交 files the grievance',
      async run({ rt, comp, openid }) {
        const before = (await docs(rt, 'grievances', { openid })).length;
        await choose(comp, '设施报修');
        typeInto(comp, 0, '小区北门的路灯不亮了，晚上回家看不清路，请尽快修理');
        await until(() => pageText(comp).includes('/500') && !pageText(comp).includes('0/500'), 5000, 'text');
        tapText(comp, '提交');
        const mine = await effect('the grievance', async () => {
          const list = await docs(rt, 'grievances', { openid });
          return list.length > before ? list : undefined;
        });
        const filed = mine.find((g) => String(g.text).includes('北门的路灯'));
        expect(filed).toMatchObject({ category: 'repairs' });
      },
    },
  },
  {
    route: 'packages/grievance/detail',
    role: 'worker',
    group: 'main',
    query: async () => ({ id: 'demo-grievance-1' }),
    shows: ['编号 20', '待受理', '电动车在楼道里充电'],
    action: {
      name: '受理 accepts the grievance',
      async run({ rt, comp }) {
        tapText(comp, '受理');
        await effect('the acceptance', async () => {
          const g = await doc(rt, 'grievances', 'demo-grievance-1');
          return g && g.status !== 'submitted' ? g : undefined;
        });
      },
    },
  },
  {
    route: 'packages/settings/notify',
    role: 'resident',
    group: 'main',
    shows: ['活动开始提醒', '诉求进度通知'],
    action: {
      name: 'the 活动开始提醒 switch turns asking off',
      async run({ rt, comp, openid }) {
        const sw = comp.querySelector('#pref-activityReminder-switch');
        if (!sw) throw new Error('#pref-activityReminder-switch not rendered');
        sw.dispatchEvent('tap');
        await effect('the preference', async () =>
          some(
            (await docs(rt, 'subscriptions', { openid, kind: 'activityReminder' })).filter(
              (x) => x.ask === false,
            ),
          ),
        );
      },
    },
  },
  {
    route: 'packages/admin/index',
    role: 'admin',
    group: 'main',
    shows: ['街道管理', '和平社区', '幸福里社区', '服务阵地 2 个'],
    action: opens('和平社区', /\/packages\/admin\/community\?id=community-heping/),
  },
  {
    route: 'packages/admin/community',
    role: 'admin',
    group: 'main',
    query: async () => ({ id: 'community-xingfuli' }),
    shows: ['幸福里党群服务中心', '幸福里党员活动室'],
    action: {
      name: '保存 stores the new address',
      async run({ rt, comp }) {
        typeInto(comp, 1, '东风街道幸福路 88 号（北门）');
        tapText(comp, '保存');
        await effect(
          'the address',
          async () =>
            (await doc(rt, 'communities', 'community-xingfuli'))?.address === '东风街道幸福路 88 号（北门）',
        );
      },
    },
  },
  {
    route: 'packages/admin/staff',
    role: 'admin',
    group: 'main',
    shows: ['社区工作者', '和平社区的工作者'],
    action: {
      name: '任命 makes 王阿姨 a worker of 和平社区',
      async run({ rt, comp }) {
        typeInto(comp, 0, '王阿姨');
        tapText(comp, '搜索');
        await until(() => pageText(comp).includes('王阿姨'), 10_000, 'the search result');
        // Confirmed through wx.showModal (the stand-in answers 确定).
        await tapWhenShown(comp, '任命');
        await until(() => pageText(comp).includes('已是本社区工作者'), 10_000, 'the appointment shown');
        await effect('the worker role', async () => {
          const roles = ((await doc(rt, 'users', 'demo-resident'))?.roles ?? []) as {
            role: string;
            communityId?: string;
          }[];
          return roles.some((r) => r.role === 'worker' && r.communityId === 'community-heping');
        });
      },
    },
  },

  // The tab pages as the other roles: each sees its own name and community.
  ...(
    [
      ['member', '李建国', '幸福里社区'],
      ['volunteer', '张晓雨', '幸福里社区'],
      ['unit', '赵医生', '和平社区'],
      ['worker', '陈书记', '幸福里社区'],
      ['admin', '刘主任', '幸福里社区'],
    ] as const
  ).flatMap(([role, name, community]): PageSpec[] => [
    { route: 'pages/me/index', role, group: 'main', shows: [name, '我的活动'] },
    { route: 'pages/index/index', role, group: 'main', shows: [community, '近期活动'] },
  ]),

  // ── worker subpackage (社区工作者; 我的承办 as the hospital's handler) ──
  {
    route: 'packages/worker/workbench',
    role: 'worker',
    group: 'worker',
    shows: ['工作台 · 幸福里社区', '共 4 项待办', '超期诉求'],
    action: opens('超期诉求', /\/packages\/worker\/grievances/),
  },
  {
    route: 'packages/worker/publish',
    role: 'worker',
    group: 'worker',
    shows: ['发布活动', '区人民医院', '发布活动'],
    action: {
      name: '发布活动 publishes an activity',
      async run({ rt, comp }) {
        const title = '冬季消防安全讲座';
        await choose(comp, '志愿服务');
        typeInto(comp, 0, title);
        typeInto(comp, 1, '请居民带上家中灭火器，现场教大家检查压力表和使用方法');
        await until(() => !pageText(comp).includes('正在加载服务阵地'), 10_000, 'the sites');
        pick(comp, 0, 0);
        await until(() => !findByText(comp, '选择服务阵地'), 5000, 'a site chosen');
        tapText(comp, '发布活动', -1);
        const [a] = await effect('the activity', async () => some(await docs(rt, 'activities', { title })));
        expect(a).toMatchObject({ status: 'published', communityId: 'community-xingfuli' });
      },
    },
  },
  {
    route: 'packages/worker/participants',
    role: 'worker',
    group: 'worker',
    query: async (rt) => ({ id: await firstSorting(rt) }),
    shows: ['待审核', '张晓雨'],
    action: {
      name: "通过 confirms 张晓雨's sign-up",
      async run({ rt, comp, query }) {
        const [pending] = await docs(rt, 'signups', { activityId: query.id, openid: 'demo-volunteer' });
        expect(pending).toMatchObject({ status: 'pending' });
        tapText(comp, '通过');
        if (await until(() => findByText(comp, '通过', 1), 2000).catch(() => undefined))
          tapText(comp, '通过', -1);
        await effect('the confirmed sign-up', async () =>
          some(
            await docs(rt, 'signups', {
              activityId: query.id,
              openid: 'demo-volunteer',
              status: 'confirmed',
            }),
          ),
        );
      },
    },
  },
  {
    route: 'packages/worker/grievances',
    role: 'worker',
    group: 'worker',
    shows: ['诉求工作台', '小区东门路灯坏了一个多星期', '物业收费公示栏一直没有更新'],
    action: opens('小区东门路灯坏了一个多星期', /\/packages\/grievance\/detail\?id=demo-grievance-/),
  },
  {
    route: 'packages/worker/handling',
    role: 'unit',
    group: 'worker',
    shows: ['我的承办', '小区东门路灯坏了一个多星期', '承办区人民医院'],
    action: opens('小区东门路灯坏了一个多星期', /\/packages\/grievance\/detail\?id=demo-grievance-/),
  },
  {
    route: 'packages/worker/grievance-stats',
    role: 'worker',
    group: 'worker',
    shows: ['诉求统计', '收到诉求', '区人民医院（驻区单位）'],
  },
  {
    route: 'packages/worker/alliance',
    role: 'worker',
    group: 'worker',
    shows: ['区域化党建', '发布共治项目', '双职工子女课后托管'],
    action: {
      name: '发布项目 publishes a project',
      async run({ rt, comp }) {
        const title = '老旧小区加装扶手';
        typeInto(comp, 0, title);
        typeInto(comp, 1, '为 1–3 栋楼道加装扶手，方便老人上下楼');
        typeInto(comp, 2, '测量楼道并采购扶手');
        tapText(comp, '发布项目');
        const [project] = await effect('the project', async () =>
          some(await docs(rt, 'projects', { title })),
        );
        expect(project).toMatchObject({ status: 'open', communityId: 'community-xingfuli' });
      },
    },
  },
  {
    route: 'packages/worker/volunteers',
    role: 'worker',
    group: 'worker',
    shows: ['志愿者管理', '李建国', '待审核'],
    action: {
      name: "通过 approves 李建国's registration",
      async run({ rt, comp }) {
        tapText(comp, '通过');
        // The confirmation dialog's 通过 comes after the list's.
        await until(() => findByText(comp, '通过', 1), 10_000, 'the confirmation');
        tapText(comp, '通过', -1);
        await effect('the approval', async () =>
          some(
            (await docs(rt, 'volunteers', { openid: 'demo-member' })).filter((v) => v.status === 'approved'),
          ),
        );
      },
    },
  },
  {
    route: 'packages/worker/service-publish',
    role: 'worker',
    group: 'worker',
    shows: ['发布志愿服务', '敬老助老', '智联科技有限公司'],
    action: {
      name: '发布服务 publishes a service with its session',
      async run({ rt, comp }) {
        const title = '助老理发';
        await choose(comp, '敬老助老');
        typeInto(comp, 0, title);
        typeInto(comp, 1, '理发志愿者');
        typeInto(comp, 2, '为行动不便的老人上门理发，自带工具，注意卫生');
        await until(() => !pageText(comp).includes('正在加载服务阵地'), 10_000, 'the sites');
        pick(comp, 0, 0);
        await until(() => !findByText(comp, '选择服务阵地'), 5000, 'a site chosen');
        typeInto(comp, 3, '2');
        typeInto(comp, 4, '5');
        tapText(comp, '发布服务');
        const [svc] = await effect('the service', async () => some(await docs(rt, 'services', { title })));
        expect(svc).toMatchObject({ status: 'published', post: '理发志愿者' });
        expect((await docs(rt, 'activities', { title: `${title} · 理发志愿者` })).length).toBe(1);
      },
    },
  },
  {
    route: 'packages/worker/checkin-code',
    role: 'worker',
    group: 'worker',
    query: async (rt) => ({ id: await bookCorner(rt) }),
    shows: ['社区图书角 · 图书整理员', '请志愿者输入签到码'],
    action: {
      name: 'shows the current check-in code',
      async run({ rt, comp, query }) {
        await effect('the code on the page', async () => {
          const { code } = await ok<{ code: string }>(
            rt,
            'volunteer',
            'checkInCode',
            { activityId: query.id },
            'demo-worker',
          );
          return pageText(comp).includes(code);
        });
      },
    },
  },
  {
    route: 'packages/worker/attendance',
    role: 'worker',
    group: 'worker',
    query: async (rt) => ({ id: await checkedInAtBookCorner(rt) }),
    shows: ['社区图书角 · 图书整理员 · 签到记录', '张晓雨', '已签到'],
  },
  {
    route: 'packages/worker/goods',
    role: 'worker',
    group: 'worker',
    shows: ['积分超市管理', '环保购物袋', '东北大米'],
    action: {
      name: '添加商品 adds goods',
      async run({ rt, comp }) {
        tapText(comp, '添加商品');
        await until(() => findByText(comp, '保存商品'), 10_000, 'the goods form');
        typeInto(comp, 0, '抽纸');
        typeInto(comp, 1, '三层抽纸一提');
        typeInto(comp, 2, '8');
        typeInto(comp, 3, '30');
        tapText(comp, '保存商品');
        const [g] = await effect('the goods', async () => some(await docs(rt, 'goods', { name: '抽纸' })));
        expect(g).toMatchObject({ price: 8, stock: 30, communityId: 'community-xingfuli' });
      },
    },
  },
  {
    route: 'packages/worker/pickup',
    role: 'worker',
    group: 'worker',
    query: async (rt) => {
      const res = await rt.call(
        'points',
        { action: 'redeem', data: { goodsId: 'goods-xfl-bag' } },
        'demo-volunteer',
      );
      if (!res.ok) throw new Error(res.error.message);
      return {};
    },
    shows: ['取货核销', '查询'],
    action: {
      name: '取货码 → 确认发放 hands the goods over',
      async run({ rt, comp }) {
        const [r] = await docs(rt, 'redemptions', { openid: 'demo-volunteer', status: 'awaitingPickup' });
        typeInto(comp, 0, String(r!.pickupCode));
        tapText(comp, '查询');
        await until(() => pageText(comp).includes('环保购物袋'), 10_000, 'the redemption found');
        await tapWhenShown(comp, '确认发放');
        await until(() => findByText(comp, '确认发放', 1), 10_000, 'the confirmation');
        tapText(comp, '确认发放', -1);
        await effect('the pickup', async () => {
          const now = await doc(rt, 'redemptions', r!._id);
          return now && now.status !== 'awaitingPickup' ? now : undefined;
        });
        expect((await doc(rt, 'redemptions', r!._id))?.status).toBe('pickedUp');
      },
    },
  },

  // ── volunteer subpackage ──
  {
    route: 'packages/volunteer/index',
    role: 'volunteer',
    group: 'volunteer',
    shows: ['张晓雨 · 幸福里社区', '已通过', '服务时长'],
    action: opens('找服务', /\/packages\/volunteer\/services/),
  },
  {
    route: 'packages/volunteer/register',
    role: 'resident',
    group: 'volunteer',
    shows: ['志愿者实名登记', '幸福里社区', '提交登记'],
    action: {
      name: '提交登记 files a pending registration',
      async run({ rt, comp, openid }) {
        await choose(comp, '幸福里社区');
        typeInto(comp, 0, '王秀英');
        typeInto(comp, 1, idNumber('43040219580312002'));
        typeInto(comp, 2, '13807340001');
        tapText(comp, '敬老助老');
        tapText(comp, '我已阅读并同意以上说明');
        await until(() => findByText(comp, '✓'), 5000, 'the consent ticked');
        tapText(comp, '提交登记');
        const [v] = await effect('the registration', async () =>
          some(await docs(rt, 'volunteers', { openid })),
        );
        expect(v).toMatchObject({ status: 'pending', name: '王秀英', communityId: 'community-xingfuli' });
      },
    },
  },
  {
    route: 'packages/volunteer/services',
    role: 'volunteer',
    group: 'volunteer',
    shows: ['社区图书角 · 图书整理员', '健康义诊 · 导诊志愿者', '5/5 场可报名'],
    action: opens('健康义诊 · 导诊志愿者', /\/packages\/volunteer\/service\?id=/),
  },
  {
    route: 'packages/volunteer/service',
    role: 'volunteer',
    group: 'volunteer',
    query: async (rt) => ({ id: await mealService(rt) }),
    shows: ['敬老助餐 · 送餐员', '第 5 场', '已报名'],
    action: {
      name: '报名 takes a place in the 2nd session',
      async run({ rt, comp, openid }) {
        const sessions = (await docs(rt, 'activities', { title: '敬老助餐 · 送餐员' })).sort(
          (a, b) => Number(a.startAt) - Number(b.startAt),
        );
        const second = sessions[1]!._id;
        expect(await docs(rt, 'signups', { activityId: second, openid })).toEqual([]);
        tapText(comp, '报名');
        await effect('the sign-up', async () =>
          some(await docs(rt, 'signups', { activityId: second, openid, status: 'confirmed' })),
        );
      },
    },
  },
  {
    route: 'packages/volunteer/checkin',
    role: 'volunteer',
    group: 'volunteer',
    query: async (rt) => {
      // 张晓雨 signs up for the session starting within the hour, so she can check in.
      const id = await bookCorner(rt);
      const res = await rt.call('activity', { action: 'signUp', data: { activityId: id } }, 'demo-volunteer');
      if (!res.ok) throw new Error(res.error.message);
      return { id };
    },
    shows: ['社区图书角 · 图书整理员', '输入签到码'],
    action: {
      name: '签到码 checks in',
      async run({ rt, comp, openid, query }) {
        const res = await rt.call(
          'volunteer',
          { action: 'checkInCode', data: { activityId: query.id } },
          'demo-worker',
        );
        if (!res.ok) throw new Error(res.error.message);
        const { code } = res.data as { code: string };
        await until(() => findByText(comp, '确认签到'), 10_000, '确认签到');
        typeInto(comp, 0, code);
        tapText(comp, '确认签到');
        await effect('the check-in', async () =>
          some((await docs(rt, 'signups', { activityId: query.id, openid })).filter((x) => x.checkInAt)),
        );
      },
    },
  },
  {
    route: 'packages/volunteer/hours',
    role: 'volunteer',
    group: 'volunteer',
    shows: ['9 小时', '智联科技 · 老年人智能手机课堂', '提前到场调试设备'],
  },
  {
    route: 'packages/volunteer/certificate',
    role: 'volunteer',
    group: 'volunteer',
    shows: ['星级与服务证明', '累计信用时长 9 小时'],
    action: {
      name: '开具服务证明 issues a certificate',
      async run({ rt, comp, openid }) {
        tapText(comp, '开具服务证明');
        const [c] = await effect('the certificate', async () =>
          some(await docs(rt, 'certificates', { openid })),
        );
        expect(c).toBeTruthy();
      },
    },
  },
  {
    route: 'packages/volunteer/verify',
    role: 'resident',
    group: 'volunteer',
    query: async (rt) => {
      // The certificate 张晓雨 had issued (the certificate page's action, or here if it ran alone).
      let [c] = await docs(rt, 'certificates', { openid: 'demo-volunteer' });
      if (!c) {
        await rt.call('volunteer', { action: 'issueCertificate', data: {} }, 'demo-volunteer');
        [c] = await docs(rt, 'certificates', { openid: 'demo-volunteer' });
      }
      return { no: c!._id, t: String(c!.token) };
    },
    shows: ['志愿服务证明验证', '真实有效'],
  },
  {
    route: 'packages/volunteer/mall',
    role: 'volunteer',
    group: 'volunteer',
    shows: ['环保购物袋', '库存 50 件', '积分不足：需要 30 分，当前 9 分'],
    action: {
      name: '兑换 redeems 环保购物袋',
      async run({ rt, comp, openid }) {
        tapText(comp, '兑换');
        await tapWhenShown(comp, '确认兑换');
        const [r] = await effect('the redemption', async () =>
          some(await docs(rt, 'redemptions', { openid })),
        );
        expect(r).toMatchObject({ goodsId: 'goods-xfl-bag' });
        await until(() => pageText(comp).includes('兑换成功'), 10_000, '兑换成功');
      },
    },
  },
  {
    route: 'packages/volunteer/redemptions',
    role: 'volunteer',
    group: 'volunteer',
    query: async (rt) => {
      // The bag 张晓雨 redeemed in the mall (redeemed here when the mall test did not run).
      if (!(await docs(rt, 'redemptions', { openid: 'demo-volunteer', status: 'awaitingPickup' })).length) {
        const res = await rt.call(
          'points',
          { action: 'redeem', data: { goodsId: 'goods-xfl-bag' } },
          'demo-volunteer',
        );
        if (!res.ok) throw new Error(res.error.message);
      }
      return {};
    },
    shows: ['我的兑换', '环保购物袋', '待领取'],
    action: {
      name: '取消兑换 cancels and refunds',
      async run({ rt, comp, openid }) {
        const [r] = await docs(rt, 'redemptions', { openid, status: 'awaitingPickup' });
        await tapWhenShown(comp, '取消兑换');
        await until(() => findByText(comp, '取消兑换', 1), 10_000, 'the confirmation');
        tapText(comp, '取消兑换', -1);
        await effect(
          'the cancellation',
          async () => (await doc(rt, 'redemptions', r!._id))?.status === 'cancelled',
        );
      },
    },
  },
  {
    route: 'packages/volunteer/rankings',
    role: 'volunteer',
    group: 'volunteer',
    shows: ['志愿服务排行', '邻居1', '6 小时'],
    action: {
      name: '不参与排行 opts out',
      async run({ rt, comp, openid }) {
        const sw = comp.querySelector('#rank-optout');
        if (!sw) throw new Error('#rank-optout not rendered');
        sw.dispatchEvent('tap');
        await effect('the opt-out', async () =>
          some((await docs(rt, 'volunteers', { openid })).filter((v) => v.rankingOptOut === true)),
        );
      },
    },
  },
  {
    route: 'packages/volunteer/my-data',
    role: 'volunteer',
    group: 'volunteer',
    shows: ['下载我的数据', '申请更正'],
    action: {
      name: '提交更正申请 files a correction',
      async run({ rt, comp, openid }) {
        await choose(comp, '服务时长');
        typeInto(comp, 0, '11月9日垃圾分类宣传实际服务 5 小时，记录为 4 小时');
        tapText(comp, '提交更正申请');
        const [c] = await effect('the correction', async () =>
          some(await docs(rt, 'corrections', { openid })),
        );
        expect(c).toMatchObject({ status: 'pending' });
      },
    },
  },

  // ── alliance subpackage (区域化党建) ──
  {
    route: 'packages/alliance/index',
    role: 'worker',
    group: 'alliance',
    shows: ['幸福里社区 · 区域化党建', '银龄健康守护行动'],
    action: opens('银龄健康守护行动', /\/packages\/alliance\/project\?id=project-health/),
  },
  {
    route: 'packages/alliance/project',
    role: 'unit',
    group: 'alliance',
    query: async () => ({ id: 'project-homework' }),
    shows: ['“四点半课堂”课后托管', '已认领 0 / 2 个单位', '认领项目'],
    action: {
      name: "认领项目 submits the hospital's claim",
      async run({ rt, comp }) {
        tapText(comp, '认领项目');
        await until(() => findByText(comp, '提交认领'), 10_000, '提交认领');
        typeInto(comp, 0, '派 6 名医护志愿者，每周二、四下午到社区开课');
        tapText(comp, '提交认领');
        const [claim] = await effect('the claim', async () =>
          some(await docs(rt, 'project_claims', { projectId: 'project-homework', unitId: 'unit-hospital' })),
        );
        expect(claim).toMatchObject({ status: 'pending' });
      },
    },
  },
  {
    route: 'packages/alliance/my-unit',
    role: 'unit',
    group: 'alliance',
    shows: ['区人民医院', '区人民医院党委', '赵医生（我）'],
    action: {
      name: '邀请同事加入 issues an invite code',
      async run({ rt, comp, openid }) {
        const before = (await docs(rt, 'unit_invites', { issuedBy: openid })).length;
        tapText(comp, '邀请同事加入');
        await effect(
          'the invite',
          async () => (await docs(rt, 'unit_invites', { issuedBy: openid })).length > before,
        );
      },
    },
  },
  {
    route: 'packages/alliance/join',
    role: 'resident',
    group: 'alliance',
    query: async (rt) => {
      invite = await issueInvite(rt);
      return {};
    },
    shows: ['加入驻区单位', '邀请码（8 位）'],
    action: {
      name: '邀请码 joins 区人民医院',
      async run({ rt, comp, openid }) {
        typeInto(comp, 0, invite);
        tapText(comp, '加入单位');
        await effect('the unit role', async () => {
          const u = await doc(rt, 'users', openid);
          const roles = (u?.roles ?? []) as { role: string; unitId?: string }[];
          return roles.some((r) => r.role === 'unitStaff' && r.unitId === 'unit-hospital');
        });
      },
    },
  },
  {
    route: 'packages/alliance/report',
    role: 'member',
    group: 'alliance',
    shows: ['在职党员报到', '区人民医院第二党支部', '楼道长'],
    action: {
      name: '认领 takes the 文明劝导 post',
      async run({ rt, comp, openid }) {
        await tapWhenShown(comp, '认领');
        await effect('the post', async () => {
          const [r] = await docs(rt, 'member_reports', { openid });
          const posts = (r?.posts ?? []) as { name: string }[];
          return posts.some((p) => p.name === '文明劝导');
        });
      },
    },
  },
  {
    route: 'packages/alliance/unit-record',
    role: 'unit',
    group: 'alliance',
    query: async () => ({ id: 'unit-hospital' }),
    shows: ['区人民医院 · 单位档案', '认领项目', '综合得分'],
  },
  {
    route: 'packages/alliance/member-record',
    role: 'member',
    group: 'alliance',
    query: async () => ({ openid: 'demo-member' }),
    shows: ['李建国 · 年度记录', '区人民医院第二党支部', '楼道长'],
  },
  ...BRANCH_PAGES,
  ...NOTICE_PAGES,
  ...SITE_PAGES,
  ...SERVICE_PAGES,
  ...REPORT_PAGES,
  ...PARTY_PAGES,
  ...BOARD_PAGES,
];
