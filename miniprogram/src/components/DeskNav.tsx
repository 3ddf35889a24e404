import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { keyboardActivatable, roleProps } from '../utils/a11y';
import '../styles/desk.css';

/** The worker's tools: the 工作台's tiles, and on desk width (H5) the side navigation. */
export const WORKBENCH_TOOLS: { id: string; name: string; desc: string; url: string }[] = [
  { id: 'publish', name: '发布活动', desc: '发布社区活动，查看报名', url: '/packages/worker/publish' },
  { id: 'grievances', name: '诉求办理', desc: '受理、派单、督办', url: '/packages/worker/grievances' },
  {
    id: 'service-requests',
    name: '微心愿审核',
    desc: '审核、派单、记录时长',
    url: '/packages/service/queue',
  },
  {
    id: 'grievance-stats',
    name: '诉求统计',
    desc: '办结率、满意度',
    url: '/packages/worker/grievance-stats',
  },
  {
    id: 'dashboard',
    name: '数据看板',
    desc: '参与、时长、积分和诉求三率',
    url: '/packages/worker/dashboard',
  },
  { id: 'alliance', name: '区域化党建', desc: '需求、项目、报到、排名', url: '/packages/worker/alliance' },
  {
    id: 'branch',
    name: '支部组织生活',
    desc: '三会一课、主题党日达标情况',
    url: '/packages/branch/compliance',
  },
  { id: 'volunteers', name: '志愿者审核', desc: '登记、补卡和更正', url: '/packages/worker/volunteers' },
  {
    id: 'service-publish',
    name: '发布志愿服务',
    desc: '服务项目、岗位和场次',
    url: '/packages/worker/service-publish',
  },
  {
    id: 'no-shows',
    name: '未到统计',
    desc: '报名后未到场的全年次数',
    url: '/packages/worker/no-shows',
  },
  { id: 'sites', name: '阵地预约', desc: '审核预约、输入签到码', url: '/packages/sites/manage' },
  { id: 'board', name: '公示栏', desc: '发布公告、查看公示', url: '/packages/board/index' },
  { id: 'goods', name: '积分商品', desc: '商品、价格和库存', url: '/packages/worker/goods' },
  { id: 'pickup', name: '兑换核销', desc: '扫码或输入取货码', url: '/packages/worker/pickup' },
];

export const ADMIN_TOOL = {
  id: 'admin',
  name: '街道管理',
  desc: '社区、服务阵地和工作人员',
  url: '/packages/admin/index',
};

/** Desk width: the H5 app in a window at least this wide gets tables and the side navigation. */
export const DESK_QUERY = '(min-width: 1280px)';

/** True on H5 in a desk-wide window (follows resizing); always false in the mini-program. */
export function useDesk(): boolean {
  const query =
    process.env.TARO_ENV === 'h5' && typeof window !== 'undefined' && window.matchMedia
      ? window.matchMedia(DESK_QUERY)
      : null;
  const [desk, setDesk] = useState(() => !!query?.matches);
  useEffect(() => {
    if (!query) return;
    const update = () => setDesk(query.matches);
    update();
    query.addEventListener?.('change', update);
    return () => query.removeEventListener?.('change', update);
  }, [query?.media]); // eslint-disable-line react-hooks/exhaustive-deps
  return desk;
}

/** Whether a page path belongs to the worker or admin subpackages (the desk workbench). */
export const isDeskPath = (path: string | undefined): boolean =>
  !!path && /^\/?packages\/(worker|admin)\//.test(path);

/**
 * The side navigation of the desk workbench (H5 only): 工作台, every tool, and 街道管理 for the
 * street admin. Hidden below desk width by the stylesheet, so a phone sees the page as before.
 */
export function DeskNav({ path, isAdmin }: { path: string; isAdmin: boolean }) {
  if (process.env.TARO_ENV !== 'h5') return null;
  const current = `/${path.replace(/^\//, '').split('?')[0]}`;
  const items = [
    { id: 'workbench', name: '工作台', url: '/packages/worker/workbench' },
    ...WORKBENCH_TOOLS,
    ...(isAdmin ? [ADMIN_TOOL] : []),
  ];
  return (
    <View className="desk-nav" id="desk-nav" aria-label="工作台导航" {...roleProps('navigation')}>
      <Text className="desk-nav__title">工作台</Text>
      {items.map((t) => {
        const active = current === t.url || (t.id === 'admin' && current.startsWith('/packages/admin/'));
        const go = () => {
          if (!active) void Taro.navigateTo({ url: t.url });
        };
        return (
          <View
            key={t.id}
            id={`desk-nav-${t.id}`}
            className={`desk-nav__item ${active ? 'desk-nav__item--active' : ''}`}
            {...roleProps('link', active ? { 'aria-current': 'page' } : {})}
            {...keyboardActivatable(go)}
            onClick={go}
          >
            {t.name}
          </View>
        );
      })}
    </View>
  );
}
