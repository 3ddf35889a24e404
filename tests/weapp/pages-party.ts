/**
 * Weapp page specs of the actions of packages/branch (issue 16) on the demo branch
 * (tools/runtime/seed-branch.ts: 幸福里社区第一党支部, 李建国 demo-member secretary, 陈书记
 * demo-worker on the roster, a 主题党日 in three days): 陈书记 asks leave for it and checks in to a
 * meeting that starts in ten minutes with the secretary's code; 李建国 creates a meeting. The
 * display specs of these pages are in pages-branch.ts.
 */
import type { LocalRuntime } from '../../tools/runtime/local-runtime';
import { tapText, typeInto, until, findByText } from './harness';
import { docs, effect, type PageSpec } from './pages';
import { navigations, ok } from './spec-helpers';

async function branchId(rt: LocalRuntime): Promise<string> {
  const [b] = await docs(rt, 'branches', { name: '幸福里社区第一党支部' });
  if (!b) throw new Error('demo data has no 幸福里社区第一党支部');
  return b._id;
}
/** The demo 主题党日 (in three days). */
async function themeDay(rt: LocalRuntime): Promise<Record<string, string>> {
  const [m] = await docs(rt, 'branch_meetings', { title: '学党章 · 楼道清洁' });
  if (!m) throw new Error('demo data has no 学党章 · 楼道清洁 meeting');
  return { id: m._id };
}
/** A 支部党员大会 of the demo branch that starts in ten minutes (check-in is open). */
async function startingSoon(rt: LocalRuntime): Promise<Record<string, string>> {
  const startAt = Date.now() + 10 * 60_000;
  const m = await ok<{ _id: string }>(
    rt,
    'branch',
    'createMeeting',
    {
      branchId: await branchId(rt),
      kind: 'general',
      title: '研究发展党员',
      place: '幸福里党员活动室',
      startAt,
      endAt: startAt + 3600_000,
    },
    'demo-member',
  );
  return { id: m._id };
}
/** A 支部党员大会 in two days for which 陈书记 has asked leave. */
async function leaveAsked(rt: LocalRuntime): Promise<Record<string, string>> {
  const startAt = Date.now() + 2 * 24 * 3600_000;
  const m = await ok<{ _id: string }>(
    rt,
    'branch',
    'createMeeting',
    {
      branchId: await branchId(rt),
      kind: 'general',
      title: '学习新修订的条例',
      place: '幸福里党员活动室',
      startAt,
      endAt: startAt + 3600_000,
    },
    'demo-member',
  );
  await ok(rt, 'branch', 'requestLeave', { meetingId: m._id, reason: '家中老人住院陪护' }, 'demo-worker');
  return { id: m._id };
}
/** The attendance document of `openid` for the meeting. */
const attendance = async (rt: LocalRuntime, meetingId: string, openid: string) =>
  (await docs(rt, 'branch_attendance', { meetingId, openid }))[0];

export const PARTY_PAGES: PageSpec[] = [
  {
    route: 'packages/branch/meeting',
    role: 'worker',
    group: 'party',
    query: themeDay,
    shows: ['主题党日 · 学党章 · 楼道清洁', '应到', '不能参加，我要请假'],
    action: {
      name: '请假 with a reason writes a pending leave request for the secretary',
      async run({ rt, comp, openid, query }) {
        tapText(comp, '不能参加，我要请假');
        await until(() => findByText(comp, '提交请假'), 5000, 'the leave form');
        // Field 0 is the check-in code; the reason is the form's text area.
        typeInto(comp, 1, '外出务工，无法参加');
        tapText(comp, '提交请假');
        const a = await effect('the leave request', async () => {
          const d = await attendance(rt, query.id!, openid);
          return d?.status === 'leavePending' ? d : undefined;
        });
        expect(a).toMatchObject({ leaveReason: '外出务工，无法参加' });
      },
    },
  },
  {
    route: 'packages/branch/meeting',
    role: 'worker',
    group: 'party',
    query: startingSoon,
    shows: ['支部党员大会 · 研究发展党员', '幸福里党员活动室', '输入书记屏幕上的 6 位签到码，每分钟更新'],
    action: {
      name: '签到 with the secretary’s current code marks 陈书记 present',
      async run({ rt, comp, openid, query }) {
        const { code } = await ok<{ code: string }>(
          rt,
          'branch',
          'checkInCode',
          { meetingId: query.id },
          'demo-member',
        );
        typeInto(comp, 0, code);
        tapText(comp, '签到', -1);
        const a = await effect('the check-in', async () => {
          const d = await attendance(rt, query.id!, openid);
          return d?.status === 'present' ? d : undefined;
        });
        expect(a).toMatchObject({ via: 'code' });
      },
    },
  },
  {
    route: 'packages/branch/create',
    role: 'member',
    group: 'party',
    query: async (rt) => ({ id: await branchId(rt) }),
    shows: ['新建会议', '发布并通知党员'],
    action: {
      name: '发布并通知党员 creates the meeting for the 2 members and opens its management',
      async run({ rt, comp, wx, query }) {
        typeInto(comp, 0, '学习贯彻全会精神');
        typeInto(comp, 1, '幸福里党群服务中心三楼');
        tapText(comp, '发布并通知党员');
        const [m] = await effect('the meeting', async () => {
          const found = await docs(rt, 'branch_meetings', { branchId: query.id, title: '学习贯彻全会精神' });
          return found.length ? found : undefined;
        });
        expect(m).toMatchObject({ kind: 'themeDay', place: '幸福里党群服务中心三楼', status: 'scheduled' });
        expect((m!.expected as string[]).sort()).toEqual(['demo-member', 'demo-worker']);
        await until(
          () => navigations(wx).some((u) => u === `/packages/branch/manage?id=${m!._id}`),
          10_000,
          'the meeting’s management page',
        );
      },
    },
  },
  {
    route: 'packages/branch/manage',
    role: 'member',
    group: 'party',
    query: leaveAsked,
    shows: ['请假待审批（1）', '陈书记：家中老人住院陪护', '考勤（应到 2 人）'],
    action: {
      name: '批准 approves 陈书记’s leave',
      async run({ rt, comp, query }) {
        tapText(comp, '批准');
        await effect('the approved leave', async () => {
          const d = await attendance(rt, query.id!, 'demo-worker');
          return d?.status === 'leaveApproved';
        });
      },
    },
  },
  {
    route: 'packages/branch/roster',
    role: 'member',
    group: 'party',
    query: async (rt) => ({ id: await branchId(rt) }),
    shows: ['陈书记', '李建国', '查找党员'],
    action: {
      name: '责任区 → 保存责任区 gives 陈书记 5栋 and 6栋',
      async run({ rt, comp, query }) {
        // Each member's row has a 责任区 button: 陈书记's.
        const rows = [0, 1].map(
          (i) => findByText(comp, '责任区', i)?.closest('[class*="branch-row"]')?.textContent,
        );
        const nth = rows.findIndex((t) => String(t).includes('陈书记'));
        expect(nth).toBeGreaterThanOrEqual(0);
        tapText(comp, '责任区', nth);
        await until(() => findByText(comp, '保存责任区'), 5000, 'the 责任区 form');
        typeInto(comp, 0, '5栋、6栋');
        tapText(comp, '保存责任区');
        await effect('陈书记’s buildings', async () => {
          const [m] = await docs(rt, 'branch_members', { branchId: query.id, openid: 'demo-worker' });
          return JSON.stringify(m?.buildings) === JSON.stringify(['5栋', '6栋']);
        });
      },
    },
  },
  {
    route: 'packages/branch/compliance',
    role: 'worker',
    group: 'party',
    shows: ['幸福里社区第一党支部', '建立支部'],
    action: {
      name: '建立支部 with 赵医生 as secretary creates the branch and lists it',
      async run({ rt, comp }) {
        typeInto(comp, 0, '幸福里社区第二党支部');
        // the secretary is found in the 党员名录 (赵医生, masked), not typed as an openid
        typeInto(comp, 1, '赵');
        tapText(comp, '查找党员');
        await until(() => findByText(comp, '赵*生'), 10_000, 'the search result');
        tapText(comp, '选为书记');
        await until(() => findByText(comp, '书记：赵*生'), 5000, 'the chosen secretary');
        tapText(comp, '建立支部', -1);
        const [b] = await effect('the branch', async () => {
          const found = await docs(rt, 'branches', { name: '幸福里社区第二党支部' });
          return found.length ? found : undefined;
        });
        expect(b).toMatchObject({ communityId: 'community-xingfuli', secretary: 'demo-unit' });
        await until(() => findByText(comp, '幸福里社区第二党支部'), 10_000, 'the new branch listed');
      },
    },
  },
  {
    route: 'packages/branch/secretary',
    role: 'member',
    group: 'party',
    query: async (rt) => ({ id: await branchId(rt) }),
    shows: ['民主评议积分规则（未设置，以下为建议值）', '保存积分规则'],
    action: {
      name: '保存积分规则 sets the branch’s points rule (3 per meeting)',
      async run({ rt, comp, query }) {
        typeInto(comp, 0, '3');
        // let React re-render the form with the typed value before the tap (its handler reads it)
        await new Promise((r) => setTimeout(r, 300));
        tapText(comp, '保存积分规则');
        await effect('the points rule', async () => {
          const [b] = await docs(rt, 'branches', { _id: query.id });
          return (b?.pointsRule as { perAttendance?: number } | undefined)?.perAttendance === 3;
        });
      },
    },
  },
  {
    route: 'packages/branch/roster',
    role: 'member',
    group: 'party',
    query: async (rt) => ({ id: await branchId(rt) }),
    shows: ['陈书记', '查找党员'],
    action: {
      name: '查找党员 finds 赵医生 masked (赵*生); 移出 陈书记 after the confirmation',
      async run({ rt, comp, query }) {
        typeInto(comp, 0, '赵');
        tapText(comp, '查找党员');
        await until(() => findByText(comp, '赵*生'), 10_000, 'the search result');
        const rows = [0, 1].map(
          (i) => findByText(comp, '移出', i)?.closest('[class*="branch-row"]')?.textContent,
        );
        const nth = rows.findIndex((t) => String(t).includes('陈书记'));
        expect(nth).toBeGreaterThanOrEqual(0);
        tapText(comp, '移出', nth);
        await until(() => findByText(comp, '确定移出'), 5000, 'the confirmation');
        tapText(comp, '确定移出');
        await effect('陈书记 off the roster', async () => {
          const [m] = await docs(rt, 'branch_members', { branchId: query.id, openid: 'demo-worker' });
          return m?.active === false;
        });
      },
    },
  },
];
