import { Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { useState } from 'react';
import { call } from '../../api';
import { PageShell } from '../../components/PageShell';
import { SegmentTabs, type Segment } from '../../components/SegmentTabs';
import { StatusTag } from '../../components/StatusTag';
import { EmptyState, ErrorState, ListFooter, ListSkeleton } from '../../components/States';
import { usePagedList } from '../../hooks/usePagedList';
import { heading } from '../../utils/a11y';
import { fromNow } from '../../utils/time';
import Taro from '@tarojs/taro';

type Tab = 'confirmed' | 'waitlisted';
const TABS: Segment<Tab>[] = [
  { value: 'confirmed', label: '已报名' },
  { value: 'waitlisted', label: '候补' },
];

export default function Participants() {
  const router = useRouter();
  const activityId = router.params.id ? decodeURIComponent(router.params.id) : '';
  const [tab, setTab] = useState<Tab>('confirmed');
  const list = usePagedList(
    (cursor) =>
      call('activity', 'participants', {
        activityId,
        status: tab,
        pageSize: 20,
        ...(cursor ? { cursor } : {}),
      }),
    `${tab}|${activityId}`,
    !!activityId,
  );

  return (
    <PageShell id="participants-page">
      <Text className="page-title" {...heading(1)}>
        报名名单
      </Text>
      <SegmentTabs label="名单分类" idPrefix="participants-tab" items={TABS} value={tab} onChange={setTab} />
      {!list.loading && !list.error ? (
        <Text className="muted" id="participants-total">
          {tab === 'confirmed' ? `已报名 ${list.total} 人` : `候补 ${list.total} 人`}
        </Text>
      ) : null}
      <View id="participant-list" aria-live="polite">
        {!activityId ? (
          <ErrorState message="没有找到这个活动，请返回重试" onRetry={() => Taro.navigateBack()} />
        ) : list.loading ? (
          <ListSkeleton />
        ) : list.error ? (
          <ErrorState message={list.error} onRetry={() => void list.reload()} />
        ) : list.items.length === 0 ? (
          <EmptyState
            text={tab === 'confirmed' ? '还没有人报名，可以把活动分享到居民群' : '目前没有候补的居民'}
            actionText={tab === 'confirmed' ? undefined : '查看已报名'}
            onAction={tab === 'confirmed' ? undefined : () => setTab('confirmed')}
          />
        ) : (
          <>
            <View className="card participant-list">
              {list.items.map((p) => (
                <View key={p.openid} id={`participant-${p.openid}`} className="participant">
                  <View className="participant__main">
                    <Text className="participant__name">{p.nickName || '居民'}</Text>
                    <Text className="muted">报名于 {fromNow(p.signedUpAt)}</Text>
                  </View>
                  {p.status === 'waitlisted' ? (
                    <StatusTag label={`候补第 ${p.waitlistPosition ?? '-'} 位`} tone="orange" />
                  ) : (
                    <StatusTag label="已报名" tone="green" />
                  )}
                </View>
              ))}
            </View>
            <ListFooter loadingMore={list.loadingMore} hasMore={list.hasMore} count={list.items.length} />
          </>
        )}
      </View>
    </PageShell>
  );
}
