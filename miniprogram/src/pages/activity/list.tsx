import { Text, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import type { ActivityType } from '../../../../types/domain';
import { call, errorMessage } from '../../api';
import { ActivityCard } from '../../components/ActivityCard';
import { PageShell } from '../../components/PageShell';
import { SegmentTabs, type Segment } from '../../components/SegmentTabs';
import { EmptyState, ErrorState, ListFooter, ListSkeleton } from '../../components/States';
import { usePagedList } from '../../hooks/usePagedList';
import { takeListFilter } from '../../store/listFilter';
import { currentCommunity, loadMe, useSession } from '../../store/session';
import { useUnreadBadge } from '../../store/unread';
import { useTabBarSelected } from '../../custom-tab-bar/state';
import { heading } from '../../utils/a11y';
import { ACTIVITY_TYPES } from '../../utils/labels';
import { dateWindow, type DateFilter } from '../../utils/time';

type TypeFilter = ActivityType | 'all';
type WhenFilter = 'upcoming' | 'signingUp' | 'ended';

const TYPE_TABS: Segment<TypeFilter>[] = [{ value: 'all', label: '全部' }, ...ACTIVITY_TYPES];
const WHEN_TABS: Segment<WhenFilter>[] = [
  { value: 'upcoming', label: '即将开始' },
  { value: 'signingUp', label: '报名中' },
  { value: 'ended', label: '已结束' },
];
const DATE_TABS: Segment<DateFilter>[] = [
  { value: 'any', label: '不限日期' },
  { value: 'today', label: '今天' },
  { value: 'tomorrow', label: '明天' },
  { value: 'week', label: '未来 7 天' },
];

export default function ActivityList() {
  const { me, meError } = useSession();
  const community = currentCommunity(me);
  const [type, setType] = useState<TypeFilter>(() => takeListFilter() ?? 'all');
  const [when, setWhen] = useState<WhenFilter>('upcoming');
  // Dates only narrow activities still to come; ended ones are listed newest first instead.
  const [date, setDate] = useState<DateFilter>('any');
  const dateFilter: DateFilter = when === 'ended' ? 'any' : date;

  useEffect(() => {
    loadMe().catch(() => undefined);
  }, []);
  useUnreadBadge();
  useTabBarSelected('pages/activity/list');

  useDidShow(() => {
    const wanted = takeListFilter();
    if (wanted) setType(wanted);
  });

  const list = usePagedList(
    (cursor) =>
      call('activity', 'list', {
        when,
        pageSize: 10,
        ...(type !== 'all' ? { type } : {}),
        ...dateWindow(dateFilter),
        ...(community ? { communityId: community._id } : {}),
        ...(cursor ? { cursor } : {}),
      }),
    `${type}|${when}|${dateFilter}|${community?._id ?? ''}`,
    !!me,
  );

  const emptyText =
    when === 'ended'
      ? '还没有已结束的活动'
      : dateFilter !== 'any'
        ? '这段时间暂无活动，换个日期看看'
        : type === 'volunteer'
          ? '暂无志愿服务活动，过几天再来看看'
          : '暂无活动，去看看志愿服务';

  let body;
  if (!me && meError) {
    body = (
      <ErrorState message={errorMessage(meError)} onRetry={() => void loadMe(true).catch(() => undefined)} />
    );
  } else if (!me || list.loading) {
    body = <ListSkeleton />;
  } else if (list.error) {
    body = <ErrorState message={list.error} onRetry={() => void list.reload()} />;
  } else if (list.items.length === 0) {
    body =
      type === 'volunteer' && when === 'upcoming' ? (
        <EmptyState text={emptyText} actionText="查看全部活动" onAction={() => setType('all')} />
      ) : (
        <EmptyState
          text={emptyText}
          actionText="看看志愿服务"
          onAction={() => {
            setType('volunteer');
            setWhen('upcoming');
          }}
        />
      );
  } else {
    body = (
      <>
        {list.items.map((a) => (
          <ActivityCard key={a._id} item={a} />
        ))}
        <ListFooter loadingMore={list.loadingMore} hasMore={list.hasMore} count={list.items.length} />
      </>
    );
  }

  return (
    <PageShell id="activity-list-page">
      <Text className="page-title" {...heading(1)}>
        {community ? `${community.name} · 活动` : '社区活动'}
      </Text>
      <SegmentTabs
        label="活动类型"
        idPrefix="filter-type"
        items={TYPE_TABS}
        value={type}
        onChange={setType}
        scroll
      />
      <SegmentTabs
        label="活动时间"
        idPrefix="filter-when"
        items={WHEN_TABS}
        value={when}
        onChange={setWhen}
      />
      {when !== 'ended' ? (
        <SegmentTabs
          label="活动日期"
          idPrefix="filter-date"
          items={DATE_TABS}
          value={date}
          onChange={setDate}
        />
      ) : null}
      <View id="activity-list" aria-live="polite">
        {body}
      </View>
    </PageShell>
  );
}
