import { Text, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { useRef, useState } from 'react';
import type { ServiceStage } from '../../../../types/service';
import { call } from '../../api';
import { PageShell } from '../../components/PageShell';
import { SegmentTabs } from '../../components/SegmentTabs';
import { EmptyState, ErrorState, ListFooter, ListSkeleton } from '../../components/States';
import { usePagedList } from '../../hooks/usePagedList';
import { heading } from '../../utils/a11y';
import { ServiceCard } from './ServiceCard';

const TABS: { value: ServiceStage; label: string }[] = [
  { value: 'pending', label: '待审核' },
  { value: 'open', label: '待接单' },
  { value: 'taken', label: '已接单' },
  { value: 'done', label: '待确认' },
  { value: 'unconfirmed', label: '未确认' },
];

/** 微心愿审核 (workers): review, dispatch and follow the community's requests by stage. */
export default function ServiceQueue() {
  const [stage, setStage] = useState<ServiceStage>('pending');
  const list = usePagedList(
    (cursor) => call('service', 'queue', { stage, pageSize: 10, ...(cursor ? { cursor } : {}) }),
    stage,
  );
  const shown = useRef(false);
  useDidShow(() => {
    if (shown.current) void list.reload();
    shown.current = true;
  });
  let body;
  if (list.loading) body = <ListSkeleton />;
  else if (list.error) body = <ErrorState message={list.error} onRetry={() => void list.reload()} />;
  else if (list.items.length === 0)
    body = (
      <EmptyState
        id="service-queue-empty"
        text={`没有${TABS.find((t) => t.value === stage)?.label ?? ''}的需求`}
        actionText="看待接单"
        onAction={() => setStage('open')}
      />
    );
  else
    body = (
      <>
        {list.items.map((r) => (
          <ServiceCard key={r._id} item={r} />
        ))}
        <ListFooter loadingMore={list.loadingMore} hasMore={list.hasMore} count={list.items.length} />
      </>
    );
  return (
    <PageShell id="service-queue-page">
      <Text className="page-title" {...heading(1)}>
        微心愿审核
      </Text>
      <SegmentTabs
        label="需求状态"
        idPrefix="service-queue-tab"
        items={TABS}
        value={stage}
        onChange={setStage}
      />
      <View id="service-queue-list" aria-live="polite">
        {body}
      </View>
    </PageShell>
  );
}
