import { Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useRef, useState } from 'react';
import { call } from '../../api';
import { ActivityCard } from '../../components/ActivityCard';
import { PageShell } from '../../components/PageShell';
import { SegmentTabs, type Segment } from '../../components/SegmentTabs';
import { EmptyState, ErrorState, ListFooter, ListSkeleton } from '../../components/States';
import { usePagedList } from '../../hooks/usePagedList';
import { requestListFilter } from '../../store/listFilter';
import { heading } from '../../utils/a11y';

type MineTab = 'all' | 'upcoming' | 'past';
const TABS: Segment<MineTab>[] = [
  { value: 'all', label: '全部' },
  { value: 'upcoming', label: '即将参加' },
  { value: 'past', label: '已结束' },
];

export default function MyActivities() {
  const [tab, setTab] = useState<MineTab>('all');
  const list = usePagedList(
    (cursor) => call('activity', 'mine', { when: tab, pageSize: 10, ...(cursor ? { cursor } : {}) }),
    tab,
  );
  const shown = useRef(false);

  // Coming back from a detail page where the sign-up may have changed.
  useDidShow(() => {
    if (shown.current) void list.reload();
    shown.current = true;
  });

  const goActivities = () => {
    requestListFilter('all');
    Taro.switchTab({ url: '/pages/activity/list' });
  };

  return (
    <PageShell id="my-activities-page">
      <Text className="page-title" {...heading(1)}>
        我的活动
      </Text>
      <SegmentTabs label="我的活动分类" idPrefix="mine-tab" items={TABS} value={tab} onChange={setTab} />
      <View id="my-activity-list" aria-live="polite">
        {list.loading ? (
          <ListSkeleton />
        ) : list.error ? (
          <ErrorState message={list.error} onRetry={() => void list.reload()} />
        ) : list.items.length === 0 ? (
          <EmptyState
            text={tab === 'past' ? '还没有参加过的活动' : '还没有报名活动，去看看有哪些活动'}
            actionText="去报名活动"
            onAction={goActivities}
          />
        ) : (
          <>
            {list.items.map((a) => (
              <ActivityCard key={a._id} item={a} signUpStatus={a.signUpStatus} />
            ))}
            <ListFooter loadingMore={list.loadingMore} hasMore={list.hasMore} count={list.items.length} />
          </>
        )}
      </View>
    </PageShell>
  );
}
