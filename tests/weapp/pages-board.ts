/**
 * Weapp page specs of the managers' actions on 公示栏 and 服务阵地 (issue 15) on the demo data: the
 * worker 陈书记 publishes a pinned notice on 幸福里社区's board, and opens 幸福里党员活动室 for
 * booking. The residents' specs of these pages are in pages-sites.ts.
 */
import { choose, findByText, tapText, typeInto, until } from './harness';
import { doc, docs, effect, type PageSpec } from './pages';
import { navigations, ok, opens, XINGFULI } from './spec-helpers';

export const BOARD_PAGES: PageSpec[] = [
  {
    route: 'packages/board/index',
    role: 'worker',
    group: 'board',
    shows: ['幸福里社区 ·', '社区公告', '群众诉求 · 三率', '发布公告'],
    action: {
      name: '发布公告 after the confirmation publishes a pinned notice, listed on the board',
      async run({ rt, comp }) {
        tapText(comp, '发布公告');
        await until(() => findByText(comp, '不置顶'), 5000, 'the notice form');
        typeInto(comp, 0, '周六停水通知');
        typeInto(comp, 1, '本周六 8:00–12:00 幸福里 1–5 栋停水检修，请提前储水。');
        // The field's label also reads 置顶; the choice is the second.
        await choose(comp, '置顶', 1);
        tapText(comp, '发布');
        // The confirmation's button also reads 发布: wait for the dialog, then tap its (last) one.
        await until(
          () => findByText(comp, '「周六停水通知」将向幸福里社区全体居民公示。'),
          5000,
          'the confirmation',
        );
        tapText(comp, '发布', -1);
        const [n] = await effect('the notice', async () => {
          const found = await docs(rt, 'board_notices', { communityId: XINGFULI, title: '周六停水通知' });
          return found.length ? found : undefined;
        });
        expect(n).toMatchObject({
          pinned: true,
          body: '本周六 8:00–12:00 幸福里 1–5 栋停水检修，请提前储水。',
        });
        await until(() => findByText(comp, '周六停水通知'), 10_000, 'the notice on the board');
      },
    },
  },
  {
    route: 'packages/sites/setup',
    role: 'worker',
    group: 'board',
    shows: ['幸福里党员活动室', '开放的日子', '预约是否需要审核'],
    action: {
      name: '开放预约 opens 幸福里党员活动室 for booking on weekdays 09:00–17:00 without approval',
      async run({ rt, comp, wx }) {
        await choose(comp, '幸福里党员活动室');
        // The text fields: 开门, 关门, 容纳人数, 每次最多预约, 设施.
        typeInto(comp, 2, '12');
        typeInto(comp, 4, '投影、会议桌');
        await choose(comp, '直接生效');
        tapText(comp, '开放预约', -1);
        const site = await effect('the bookable site', () => doc(rt, 'booking_sites', 'bk-site-xfl-room'));
        expect(site).toMatchObject({ kind: 'center', capacity: 12, maxHours: 3, approval: false });
        expect(site.facilities).toEqual(['投影', '会议桌']);
        const weekday = [{ open: '09:00', close: '17:00' }];
        expect(site.hours).toEqual([[], weekday, weekday, weekday, weekday, weekday, []]);
        await until(() => navigations(wx).includes('/packages/sites/index'), 10_000, 'the sites page');
      },
    },
  },
  {
    route: 'packages/sites/index',
    role: 'resident',
    group: 'board',
    query: async (rt) => {
      // 幸福里党群服务中心 open for booking every day 08:00–22:00, without approval.
      const day = [{ open: '08:00', close: '22:00' }];
      await ok(
        rt,
        'sites',
        'saveSite',
        {
          communityId: XINGFULI,
          fromSiteId: 'site-xfl-center',
          hours: Array.from({ length: 7 }, () => day),
          capacity: 40,
        },
        'demo-worker',
      );
      return {};
    },
    shows: ['幸福里党群服务中心', '可预约', '幸福路 88 号一楼', '我的预约'],
    action: opens('幸福里党群服务中心', /^\/packages\/sites\/detail\?id=bk-site-xfl-center$/),
  },
];
