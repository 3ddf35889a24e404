/**
 * Demo Party organisation life (issue 16) for 幸福里社区, written through the real `branch` actions:
 * 幸福里社区第一党支部 with demo-member (李建国) as secretary and demo-worker (陈书记) on the roster
 * and committee, 1栋/2栋 as 李建国's 责任区, and a 主题党日 in three days (the six-step agenda) so
 * the flow — notice, leave or check-in, minutes, compliance, member record — can be tried.
 * Called by `seedIfEmpty` only: tests start without a branch.
 */
import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';
import type { ActionName, RequestOf, ResponseOf } from '../../types/api';
import type { LocalRuntime } from './local-runtime';

dayjs.extend(utc);
dayjs.extend(timezone);

const XFL = 'community-xingfuli';

export async function seedDemoBranch(rt: LocalRuntime): Promise<void> {
  const call = async <A extends ActionName<'branch'>>(
    openid: string,
    action: A,
    data: RequestOf<'branch', A>,
  ): Promise<ResponseOf<'branch', A>> => {
    const res = await rt.call('branch', { action, data }, openid);
    if (!res.ok) throw new Error(`seed branch.${action}: ${res.error.message}`);
    return res.data as ResponseOf<'branch', A>;
  };
  const b = await call('demo-worker', 'createBranch', {
    communityId: XFL,
    name: '幸福里社区第一党支部',
    secretary: 'demo-member',
  });
  await call('demo-member', 'addMember', { branchId: b._id, openid: 'demo-worker', group: '第一党小组' });
  await call('demo-worker', 'appoint', { branchId: b._id, committee: ['demo-worker'] });
  await call('demo-member', 'setArea', {
    branchId: b._id,
    openid: 'demo-member',
    buildings: ['1栋', '2栋'],
    contact: '13800001234',
  });
  // 赵医生 (demo-unit, a Party member of 区人民医院 in 和平社区) is also a member in 幸福里, where they
  // live: granted the real way (user.grantRole writes their 党员名录 entry); not on a roster yet, so
  // the secretary can find and add them.
  const granted = await rt.call(
    'user',
    { action: 'grantRole', data: { openid: 'demo-unit', role: 'member', communityId: XFL } },
    'demo-worker',
  );
  if (!granted.ok) throw new Error(`seed user.grantRole: ${granted.error.message}`);
  // The seed wrote the other members' roles directly: their 党员名录 entries come from the
  // workers' refresh (the same as for members granted before the directory existed).
  await call('demo-worker', 'refreshDirectory', { communityId: XFL });
  const start = dayjs(rt.runtime.now()).tz('Asia/Shanghai').startOf('day').add(3, 'day').add(9, 'hour');
  await call('demo-member', 'createMeeting', {
    branchId: b._id,
    kind: 'themeDay',
    title: '学党章 · 楼道清洁',
    place: '幸福里党群服务中心',
    startAt: start.valueOf(),
    endAt: start.add(2, 'hour').valueOf(),
  });
}
