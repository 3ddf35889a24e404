import { Picker, Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ActivitySummary } from '../../../../types/api';
import { call, errorMessage } from '../../api';
import { ActivityCard } from '../../components/ActivityCard';
import { openNewGrievance } from '../../components/GrievanceCard';
import { Icon, type IconName } from '../../components/Icon';
import { PageShell } from '../../components/PageShell';
import { EmptyState, ErrorState, ListSkeleton } from '../../components/States';
import { currentCommunity, loadMe, switchCommunity, useSession } from '../../store/session';
import { requestListFilter } from '../../store/listFilter';
import { useUnreadBadge } from '../../store/unread';
import { useTabBarSelected } from '../../custom-tab-bar/state';
import { NoticeBar } from '../../ui';
import { heading, keyboardActivatable, roleProps } from '../../utils/a11y';
import './index.scss';

interface Entry {
  id: string;
  label: string;
  icon: IconName;
  go: () => unknown;
}

const ENTRIES: Entry[] = [
  {
    id: 'entry-volunteer',
    label: '志愿服务',
    icon: 'heart',
    go: () => Taro.navigateTo({ url: '/packages/volunteer/index' }),
  },
  { id: 'entry-activities', label: '活动报名', icon: 'calendar', go: () => openList('all') },
  { id: 'entry-grievance', label: '我要反映', icon: 'comment', go: openNewGrievance },
  {
    id: 'entry-service',
    label: '微心愿',
    icon: 'service',
    go: () => Taro.navigateTo({ url: '/packages/service/mine' }),
  },
  {
    id: 'entry-alliance',
    label: '共治项目',
    icon: 'people',
    go: () => Taro.navigateTo({ url: '/packages/alliance/index' }),
  },
  {
    id: 'entry-mall',
    label: '积分超市',
    icon: 'gift',
    go: () => Taro.navigateTo({ url: '/packages/volunteer/mall' }),
  },
  {
    id: 'entry-sites',
    label: '服务阵地',
    icon: 'shop',
    go: () => Taro.navigateTo({ url: '/packages/sites/index' }),
  },
  {
    id: 'entry-board',
    label: '公示栏',
    icon: 'file',
    go: () => Taro.navigateTo({ url: '/packages/board/index' }),
  },
  {
    id: 'entry-member-report',
    label: '在职党员报到',
    icon: 'flag',
    go: () => Taro.navigateTo({ url: '/packages/alliance/report' }),
  },
  {
    id: 'entry-mine',
    label: '我的活动',
    icon: 'checklist',
    go: () => Taro.navigateTo({ url: '/pages/activity/mine' }),
  },
];

/** 关怀模式: the four things residents use most, as big tiles, in the order they are used. */
const CARE_ENTRIES = ['entry-grievance', 'entry-activities', 'entry-mine', 'entry-volunteer'].map((id) =>
  ENTRIES.find((e) => e.id === id)!,
);

function openList(type: 'all' | 'volunteer') {
  requestListFilter(type);
  Taro.switchTab({ url: '/pages/activity/list' });
}

export default function Home() {
  const { me, meError, careMode } = useSession();
  const entries = careMode ? CARE_ENTRIES : ENTRIES;
  const community = currentCommunity(me);
  const [recent, setRecent] = useState<ActivitySummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const loadRecent = useCallback(async (communityId: string | undefined) => {
    setError(null);
    try {
      const page = await call('activity', 'list', {
        when: 'upcoming',
        pageSize: 5,
        ...(communityId ? { communityId } : {}),
      });
      setRecent(page.items.slice(0, 5));
    } catch (err) {
      setError(errorMessage(err));
    }
  }, []);

  // The first screen asks for the user and the recent activities at once: the server lists the
  // caller's current community by default, so the list need not wait for user.me.
  const listedFor = useRef<string | undefined | null>(null);
  useEffect(() => {
    loadMe().catch(() => undefined);
    listedFor.current = undefined;
    void loadRecent(undefined);
  }, [loadRecent]);
  useUnreadBadge();
  useTabBarSelected('pages/index/index');

  useEffect(() => {
    if (!me) return;
    const wanted = community?._id;
    // The default request already listed this community (the user's current one).
    if (listedFor.current === undefined && wanted === me.user.currentCommunityId) {
      listedFor.current = wanted;
      return;
    }
    if (listedFor.current === wanted) return;
    listedFor.current = wanted;
    void loadRecent(wanted);
  }, [me, community?._id, loadRecent]);

  useDidShow(() => {
    if (me) void loadRecent(community?._id);
  });

  usePullDownRefresh(() => {
    Promise.all([loadMe(true), loadRecent(community?._id)])
      .catch(() => undefined)
      .finally(() => Taro.stopPullDownRefresh());
  });

  const onSwitch = async (index: number) => {
    const target = me?.communities[index];
    if (!target || target._id === community?._id) return;
    try {
      await switchCommunity(target._id);
      Taro.showToast({ title: `已切换到${target.name}`, icon: 'none' });
    } catch (err) {
      Taro.showToast({ title: errorMessage(err), icon: 'none' });
    }
  };

  if (!me && meError) {
    return (
      <PageShell id="home-page">
        <ErrorState
          message={errorMessage(meError)}
          onRetry={() => void loadMe(true).catch(() => undefined)}
        />
      </PageShell>
    );
  }

  return (
    <PageShell id="home-page" className="home">
      <View className="home__header">
        {me && me.communities.length > 1 ? (
          <Picker
            mode="selector"
            range={me.communities.map((c) => c.name)}
            value={Math.max(
              0,
              me.communities.findIndex((c) => c._id === community?._id),
            )}
            onChange={(e) => void onSwitch(Number(e.detail.value))}
          >
            <View
              id="community-switcher"
              className="home__community"
              aria-label={`当前社区：${community?.name ?? ''}，点按切换`}
              {...roleProps('button')}
            >
              <Text className="home__community-name" {...heading(1)}>
                {community?.name ?? '同心圆'}
              </Text>
              <Text className="home__community-switch">切换社区 ▾</Text>
            </View>
          </Picker>
        ) : (
          <View id="community-switcher" className="home__community">
            <Text className="home__community-name" {...heading(1)}>
              {community?.name ?? '同心圆'}
            </Text>
          </View>
        )}
        {community?.address ? <Text className="home__address">{community.address}</Text> : null}
      </View>

      {careMode ? null : (
        <NoticeBar
          className="home__notice"
          content="参加志愿服务，时长实名记录、可累积积分；报名后请准时参加。"
          scrollable={false}
          wrap
        />
      )}

      <View
        className={`home__grid ${careMode ? 'home__grid--care' : ''}`}
        aria-label="服务入口"
        {...roleProps('navigation')}
      >
        {entries.map((e) => (
          <View
            key={e.id}
            id={e.id}
            className="home__entry"
            aria-label={e.label}
            {...roleProps('button')}
            {...keyboardActivatable(e.go)}
            onClick={e.go}
          >
            <Icon name={e.icon} className="home__entry-mark" />
            <Text className="home__entry-text">{e.label}</Text>
          </View>
        ))}
      </View>

      <View className="section-title">
        <Text {...heading(2)}>近期活动</Text>
        <Text
          id="home-more"
          className="section-title__more"
          {...roleProps('link')}
          {...keyboardActivatable(() => openList('all'))}
          onClick={() => openList('all')}
        >
          全部活动 ›
        </Text>
      </View>
      <View id="home-recent">
        {error ? (
          <ErrorState message={error} onRetry={() => void loadRecent(community?._id)} />
        ) : recent === null ? (
          <ListSkeleton rows={2} />
        ) : recent.length === 0 ? (
          <EmptyState
            text="近期暂无活动，去看看志愿服务"
            actionText="看看志愿服务"
            onAction={() => Taro.navigateTo({ url: '/packages/volunteer/services' })}
          />
        ) : (
          recent.slice(0, careMode ? 3 : 5).map((a) => <ActivityCard key={a._id} item={a} />)
        )}
      </View>
    </PageShell>
  );
}
