/**
 * Weapp page specs of packages/branch (issue 16) on the demo data (tools/runtime/seed-branch.ts:
 * 幸福里社区第一党支部, 李建国 secretary, 陈书记 on the roster, 1栋/2栋 责任区, a 主题党日 in three
 * days). Run in the alliance group (pages.ts spreads them into PAGES).
 */
import type { LocalRuntime } from '../../tools/runtime/local-runtime';
import type { PageSpec } from './pages';

async function first(rt: LocalRuntime, coll: string): Promise<string> {
  const { data } = await rt.runtime.db.collection(coll).limit(1).get();
  const d = (data as { _id: string }[])[0];
  if (!d) throw new Error(`demo data has no ${coll}`);
  return d._id;
}
const branch = async (rt: LocalRuntime) => ({ id: await first(rt, 'branches') });
const meeting = async (rt: LocalRuntime) => ({ id: await first(rt, 'branch_meetings') });

export const BRANCH_PAGES: PageSpec[] = [
  {
    route: 'packages/branch/index',
    role: 'member',
    group: 'alliance',
    shows: ['幸福里社区第一党支部', '主题党日 · 学党章 · 楼道清洁', '书记工作台'],
  },
  {
    route: 'packages/branch/meeting',
    role: 'member',
    group: 'alliance',
    query: meeting,
    shows: ['主题党日 · 学党章 · 楼道清洁', '收缴党费', '不能参加，我要请假'],
  },
  {
    route: 'packages/branch/roster',
    role: 'member',
    group: 'alliance',
    query: branch,
    shows: ['支部名册（2 人）', '陈书记', '取消委员', '移出', '查找党员'],
  },
  {
    route: 'packages/branch/secretary',
    role: 'member',
    group: 'alliance',
    query: branch,
    shows: ['幸福里社区第一党支部', '支部委员会', '新建会议', '民主评议积分规则', '保存积分规则'],
  },
  {
    route: 'packages/branch/create',
    role: 'member',
    group: 'alliance',
    query: branch,
    shows: ['新建会议', '主题党日“六步”，可修改', '发布并通知党员'],
  },
  {
    route: 'packages/branch/manage',
    role: 'member',
    group: 'alliance',
    query: meeting,
    shows: ['现场签到码', '考勤（应到 2 人）', '保存会议记录'],
  },
  {
    route: 'packages/branch/compliance',
    role: 'worker',
    group: 'alliance',
    shows: ['幸福里社区第一党支部', '主题党日', '建立支部'],
  },
  {
    route: 'packages/branch/area',
    role: 'resident',
    group: 'alliance',
    shows: ['1栋、2栋', '李建国', '138****1234'],
  },
  {
    route: 'packages/branch/record',
    role: 'member',
    group: 'alliance',
    shows: ['年组织生活', '参加会议', '幸福里社区第一党支部'],
  },
];
