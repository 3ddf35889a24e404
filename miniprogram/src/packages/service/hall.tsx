import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { call } from '../../api';
import { PageShell } from '../../components/PageShell';
import { EmptyState, ErrorState, ListFooter, ListSkeleton } from '../../components/States';
import { usePagedList } from '../../hooks/usePagedList';
import { heading } from '../../utils/a11y';
import { ServiceCard } from './ServiceCard';

/** 需求大厅: the community's open requests, nearest first from where I am (if I allow it). */
export default function ServiceHall() {
  const [from, setFrom] = useState<{ lat: number; lng: number } | undefined>(undefined);
  const [located, setLocated] = useState(false);
  useEffect(() => {
    // No location (refused, or not offered on this platform): the list goes by time.
    Promise.resolve()
      .then(() => Taro.getLocation({ type: 'gcj02' }))
      .then((p) => setFrom({ lat: p.latitude, lng: p.longitude }))
      .catch(() => undefined)
      .finally(() => setLocated(true));
  }, []);
  const list = usePagedList(
    (cursor) =>
      call('service', 'nearby', { pageSize: 10, ...(from ? { from } : {}), ...(cursor ? { cursor } : {}) }),
    from ? `${from.lat},${from.lng}` : 'none',
    located,
  );
  let body;
  if (!located || list.loading) body = <ListSkeleton />;
  else if (list.error) body = <ErrorState message={list.error} onRetry={() => void list.reload()} />;
  else if (list.items.length === 0)
    body = (
      <EmptyState
        id="service-hall-empty"
        text="附近暂时没有待接的需求"
        hint="下拉可以刷新，也可以去看看志愿服务"
        actionText="去看看志愿服务"
        onAction={() => void Taro.navigateTo({ url: '/packages/volunteer/services' })}
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
    <PageShell id="service-hall-page">
      <Text className="page-title" {...heading(1)}>
        需求大厅
      </Text>
      {!from && located ? <Text className="form-hint">未获取到位置，按服务时间排序</Text> : null}
      <View id="service-hall-list" aria-live="polite">
        {body}
      </View>
    </PageShell>
  );
}
