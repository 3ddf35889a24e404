import { Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useRef, useState } from 'react';
import { call } from '../../api';
import { PageShell } from '../../components/PageShell';
import { SegmentTabs } from '../../components/SegmentTabs';
import { EmptyState, ErrorState, ListFooter, ListSkeleton } from '../../components/States';
import { usePagedList } from '../../hooks/usePagedList';
import { Button } from '../../ui';
import { heading } from '../../utils/a11y';
import { ServiceCard } from './ServiceCard';

type Tab = 'posted' | 'taking';

/** 我的需求: what I posted, and what I took. */
export default function MyServiceRequests() {
  const [tab, setTab] = useState<Tab>('posted');
  const list = usePagedList(
    (cursor) =>
      call('service', tab === 'posted' ? 'mine' : 'taking', { pageSize: 10, ...(cursor ? { cursor } : {}) }),
    tab,
  );
  const shown = useRef(false);
  useDidShow(() => {
    if (shown.current) void list.reload();
    shown.current = true;
  });
  const post = () => void Taro.navigateTo({ url: '/packages/service/new' });
  let body;
  if (list.loading) body = <ListSkeleton />;
  else if (list.error) body = <ErrorState message={list.error} onRetry={() => void list.reload()} />;
  else if (list.items.length === 0)
    body =
      tab === 'posted' ? (
        <EmptyState id="service-mine-empty" text="还没有发布过需求" actionText="我要点单" onAction={post} />
      ) : (
        <EmptyState
          id="service-mine-empty"
          text="还没有接过需求"
          actionText="去需求大厅"
          onAction={() => void Taro.navigateTo({ url: '/packages/service/hall' })}
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
    <PageShell id="service-mine-page">
      <Text className="page-title" {...heading(1)}>
        我的需求
      </Text>
      <Button id="service-new" className="block-btn" type="primary" size="large" block onClick={post}>
        我要点单
      </Button>
      <Button
        id="service-hall"
        className="block-btn"
        size="large"
        block
        onClick={() => void Taro.navigateTo({ url: '/packages/service/hall' })}
      >
        需求大厅（志愿者、党员、单位接单）
      </Button>
      <SegmentTabs
        label="需求类别"
        idPrefix="service-mine-tab"
        items={[
          { value: 'posted', label: '我发布的' },
          { value: 'taking', label: '我接的' },
        ]}
        value={tab}
        onChange={setTab}
      />
      <View id="service-mine-list" aria-live="polite">
        {body}
      </View>
    </PageShell>
  );
}
