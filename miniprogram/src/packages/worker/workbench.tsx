import { Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { WorkbenchCounts, WorkbenchView } from '../../../../types/admin';
import { call, errorMessage } from '../../api';
import { ADMIN_TOOL, WORKBENCH_TOOLS } from '../../components/DeskNav';
import { PageShell } from '../../components/PageShell';
import { ErrorState, ListSkeleton } from '../../components/States';
import { loadMe, useSession } from '../../store/session';
import { heading, keyboardActivatable, roleProps } from '../../utils/a11y';
import './workbench.scss';

interface Todo {
  key: keyof WorkbenchCounts;
  title: string;
  desc: string;
  url: (v: WorkbenchView) => string;
}

/** Today's to-dos, in the order a worker deals with them: the most urgent first. */
export const TODOS: Todo[] = [
  {
    key: 'grievancesOverdue',
    title: '超期诉求',
    desc: '已过办理时限，请尽快处理',
    url: () => '/packages/worker/grievances',
  },
  {
    key: 'grievancesDueToday',
    title: '今日到期诉求',
    desc: '今天内需受理或办结',
    url: () => '/packages/worker/grievances',
  },
  {
    key: 'grievancesNew',
    title: '待受理诉求',
    desc: '居民新反映的问题',
    url: () => '/packages/worker/grievances',
  },
  {
    key: 'signUps',
    title: '报名待审核',
    desc: '需要审核的志愿服务报名',
    url: (v) =>
      v.firstPendingActivityId
        ? `/packages/worker/participants?id=${encodeURIComponent(v.firstPendingActivityId)}&tab=pending`
        : '/pages/activity/list',
  },
  {
    key: 'registrations',
    title: '志愿者登记待审核',
    desc: '实名登记申请',
    url: () => '/packages/worker/volunteers?tab=pending',
  },
  {
    key: 'makeups',
    title: '补卡申请',
    desc: '漏签到、漏签退的补卡',
    url: () => '/packages/worker/volunteers?tab=makeups',
  },
  {
    key: 'corrections',
    title: '更正申请',
    desc: '志愿者对服务记录的更正',
    url: () => '/packages/worker/volunteers?tab=corrections',
  },
  {
    key: 'claims',
    title: '项目认领待审批',
    desc: '驻区单位认领共治项目',
    url: () => '/packages/alliance/index',
  },
  {
    key: 'reports',
    title: '党员报到待确认',
    desc: '在职党员到社区报到',
    url: () => '/packages/worker/alliance?tab=reports',
  },
  {
    key: 'proposals',
    title: '活动提议待审核',
    desc: '驻区单位提议的联盟活动',
    url: () => '/packages/worker/alliance?tab=proposals',
  },
];

const TOOLS = WORKBENCH_TOOLS;

const go = (url: string) => () => Taro.navigateTo({ url });

export default function Workbench() {
  const { me } = useSession();
  const [view, setView] = useState<WorkbenchView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const loaded = useRef(false);

  const load = useCallback(async () => {
    setError(null);
    try {
      setView(await call('user', 'workbench', {}));
      loaded.current = true;
    } catch (err) {
      setError(errorMessage(err));
    }
  }, []);

  useEffect(() => {
    loadMe().catch(() => undefined);
    void load();
  }, [load]);
  // Back from a tool: the counts may have changed.
  useDidShow(() => {
    if (loaded.current) void load();
  });
  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh());
  });

  const isAdmin = !!me?.user.roles.some((r) => r.role === 'admin');
  const community = view ? me?.communities.find((c) => c._id === view.communityId) : undefined;
  const waiting = view ? TODOS.filter((t) => view.counts[t.key] > 0) : [];
  const total = waiting.reduce((n, t) => n + (view?.counts[t.key] ?? 0), 0);
  // What waits comes first; the rest stay listed (greyed) so the page always reads the same.
  const ordered = view ? [...waiting, ...TODOS.filter((t) => view.counts[t.key] === 0)] : [];

  return (
    <PageShell id="workbench-page">
      <Text className="page-title" {...heading(1)}>
        工作台{community ? ` · ${community.name}` : ''}
      </Text>

      <View className="card" id="workbench-todos">
        <Text className="section-title" {...heading(2)}>
          今日待办
        </Text>
        {error ? (
          <ErrorState message={error} onRetry={() => void load()} />
        ) : !view ? (
          <ListSkeleton rows={3} />
        ) : (
          <>
            <Text className="workbench__summary" id="workbench-summary" {...roleProps('status')}>
              {total > 0 ? `共 ${total} 项待办` : '今天没有待办事项，可以从下面的工具开始工作'}
            </Text>
            {ordered.map((t) => {
              const n = view.counts[t.key];
              const url = t.url(view);
              return (
                <View
                  key={t.key}
                  id={`todo-${t.key}`}
                  className={`todo ${n === 0 ? 'todo--done' : ''}`}
                  aria-label={`${t.title} ${n} 项，${n > 0 ? '去处理' : '查看'}`}
                  {...roleProps('link')}
                  {...keyboardActivatable(go(url))}
                  onClick={go(url)}
                >
                  <View className="todo__main">
                    <Text className="todo__title">{t.title}</Text>
                    <Text className="todo__desc">{t.desc}</Text>
                  </View>
                  <Text className="todo__count" id={`todo-${t.key}-count`}>
                    {n}
                  </Text>
                  <Text className="todo__go" aria-hidden="true">
                    ›
                  </Text>
                </View>
              );
            })}
          </>
        )}
      </View>

      <View className="card" id="workbench-tools">
        <Text className="section-title" {...heading(2)}>
          工具
        </Text>
        <View className="tools">
          {[...TOOLS, ...(isAdmin ? [ADMIN_TOOL] : [])].map((t) => (
            <View
              key={t.id}
              id={`tool-${t.id}`}
              className="tool"
              aria-label={`${t.name}：${t.desc}`}
              {...roleProps('link')}
              {...keyboardActivatable(go(t.url))}
              onClick={go(t.url)}
            >
              <Text className="tool__name">{t.name}</Text>
              <Text className="tool__desc">{t.desc}</Text>
            </View>
          ))}
        </View>
      </View>
    </PageShell>
  );
}
