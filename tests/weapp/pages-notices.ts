/**
 * Weapp page specs of 发送通知 and 未到场名单 (issue 14 item 3) on the demo data: the ended
 * 重阳节陪伴 · 包饺子 (act-ended-1, 25 confirmed, nobody checked in). Run in the worker group
 * (pages.ts spreads them into PAGES).
 */
import { docs, effect, type PageSpec } from './pages';
import { tapText, typeInto, until, findByText } from './harness';

const ENDED = async () => ({ id: 'act-ended-1' });

export const NOTICE_PAGES: PageSpec[] = [
  {
    route: 'packages/worker/notice',
    role: 'worker',
    group: 'worker',
    query: ENDED,
    shows: ['重阳节陪伴 · 包饺子', '已报名（25 人）', '已发通知'],
    action: {
      name: '发送通知 after the confirmation writes the notice for the 25 confirmed',
      async run({ rt, comp, query }) {
        typeInto(comp, 0, '集合地点调整');
        typeInto(comp, 1, '请于 13:50 到党群服务中心东门集合，带好手套。');
        tapText(comp, '发送通知', -1);
        await until(() => findByText(comp, '确认发送'), 5000, 'the confirmation');
        tapText(comp, '确认发送');
        const [n] = await effect('the notice', async () => {
          const found = await docs(rt, 'notices', { activityId: query.id, title: '集合地点调整' });
          return found.length ? found : undefined;
        });
        expect(n).toMatchObject({ audience: 'confirmed', recipients: 25, createdBy: 'demo-worker' });
      },
    },
  },
  {
    route: 'packages/worker/no-shows',
    role: 'worker',
    group: 'worker',
    query: ENDED,
    shows: ['本场未到 25 人', '邻居1', '全年统计'],
  },
];
