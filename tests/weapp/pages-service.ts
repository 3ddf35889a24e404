/**
 * Weapp page specs of packages/service (微心愿 · 点单 / 接单 / 评单) on the demo data: 王阿姨
 * (resident of 幸福里社区) posts, 陈书记 (worker) reviews, 张晓雨 (volunteer) takes. The demo data
 * has no requests, so each spec's query posts its own (through the real service function).
 */
import type { LocalRuntime } from '../../tools/runtime/local-runtime';
import { choose, findByText, tapText, typeInto, until } from './harness';
import { docs, effect, tapWhenShown, type PageSpec } from './pages';
import { ok, opens, XINGFULI } from './spec-helpers';

/** 王阿姨 posts a 代买跑腿 request saying `text`; the worker approves it when `approve`. */
async function posted(rt: LocalRuntime, text: string, approve: boolean): Promise<Record<string, string>> {
  const r = await ok<{ _id: string }>(
    rt,
    'service',
    'submit',
    {
      communityId: XINGFULI,
      category: 'errands',
      text,
      startAt: Date.now() + 24 * 3600_000,
      place: { area: '幸福里 3 栋', address: '幸福里 3 栋 2 单元 301', lat: 28.1941, lng: 112.9823 },
    },
    'demo-resident',
  );
  if (approve) await ok(rt, 'service', 'approve', { requestId: r._id }, 'demo-worker');
  return { id: r._id };
}
const some = <T>(list: T[]) => (list.length ? list : undefined);
const detailOf = (q: Record<string, string>) => new RegExp(`/packages/service/detail\\?id=${q.id}$`);

const QUEUED = '请帮忙修一下家里的电饭煲，按键失灵了';
const OPEN = '帮忙买一袋大米送到家里，谢谢志愿者';
const HALL = '周六上午陪老人去菜市场买菜，约一小时';
const REVIEW = '帮忙给独居的父亲装一个燃气报警器';
const MINE = '想找人帮忙把旧报纸搬到楼下回收点';

export const SERVICE_PAGES: PageSpec[] = [
  {
    route: 'packages/service/new',
    role: 'resident',
    group: 'service',
    shows: ['我要点单', '代买跑腿', '详细地址（仅接单人和社区可见）', '发布需求'],
    action: {
      name: '发布需求 after the confirmation posts a pending request with the exact address',
      async run({ rt, comp, openid }) {
        await choose(comp, '代买跑腿');
        typeInto(comp, 0, '帮忙取一下快递，放在小区门口驿站');
        typeInto(comp, 2, '幸福里 5 栋');
        typeInto(comp, 3, '幸福里 5 栋 1 单元 502');
        tapText(comp, '发布需求', -1);
        await tapWhenShown(comp, '确定发布');
        const [r] = await effect('the request', async () => {
          const found = await docs(rt, 'service_requests', {
            openid,
            text: '帮忙取一下快递，放在小区门口驿站',
          });
          return found.length ? found : undefined;
        });
        expect(r).toMatchObject({
          communityId: XINGFULI,
          category: 'errands',
          stage: 'pending',
          place: { area: '幸福里 5 栋', address: '幸福里 5 栋 1 单元 502' },
        });
      },
    },
  },
  {
    route: 'packages/service/queue',
    role: 'worker',
    group: 'service',
    query: (rt) => posted(rt, QUEUED, false),
    shows: ['微心愿审核', '待审核', QUEUED],
    action: opens(QUEUED, detailOf),
  },
  {
    route: 'packages/service/detail',
    role: 'volunteer',
    group: 'service',
    query: (rt) => posted(rt, OPEN, true),
    shows: ['代买跑腿', '待接单', OPEN, '我来接单'],
    action: {
      name: '我来接单 after the confirmation takes the request',
      async run({ rt, comp, openid, query }) {
        tapText(comp, '我来接单');
        await tapWhenShown(comp, '确认接单', -1);
        const [r] = await effect('the taken request', async () => {
          const found = await docs(rt, 'service_requests', { _id: query.id, stage: 'taken' });
          return found.length ? found : undefined;
        });
        expect(r!.taken).toBe(1);
        expect((r!.takers as { id: string }[]).map((t) => t.id)).toEqual([openid]);
      },
    },
  },
  {
    route: 'packages/service/hall',
    role: 'volunteer',
    group: 'service',
    query: (rt) => posted(rt, HALL, true),
    shows: ['需求大厅', HALL, '地点：幸福里 3 栋'],
    action: opens(HALL, detailOf),
  },
  {
    route: 'packages/service/mine',
    role: 'resident',
    group: 'service',
    query: (rt) => posted(rt, MINE, false),
    shows: ['我的需求', '我发布的', MINE],
    action: opens(MINE, detailOf),
  },
  {
    route: 'packages/service/detail',
    role: 'worker',
    group: 'service',
    query: (rt) => posted(rt, REVIEW, false),
    shows: ['待审核', REVIEW, '地点：幸福里 3 栋 2 单元 301', '审核通过', '不通过'],
    action: {
      name: '审核通过 after the confirmation opens the request for takers',
      async run({ rt, comp, query }) {
        tapText(comp, '审核通过');
        // The confirmation's button also reads 审核通过: wait for the dialog, then tap its (last) one.
        await until(() => findByText(comp, '通过后需求将公开，等待接单。'), 5000, 'the confirmation');
        tapText(comp, '审核通过', -1);
        await effect('the open request', async () =>
          some(await docs(rt, 'service_requests', { _id: query.id, stage: 'open' })),
        );
        await until(() => findByText(comp, '待接单'), 10_000, 'the stage 待接单 on the page');
      },
    },
  },
];
