import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { call } from '../../api';
import { PageShell } from '../../components/PageShell';
import { SegmentTabs } from '../../components/SegmentTabs';
import { EmptyState, ListSkeleton, PagedBody } from '../../components/States';
import { usePagedList } from '../../hooks/usePagedList';
import { heading } from '../../utils/a11y';
import { ServiceCard } from './ServiceCard';

type Order = 'near' | 'newest';
const ORDERS: { value: Order; label: string }[] = [
  { value: 'near', label: '离我最近' },
  { value: 'newest', label: '最新发布' },
];

/**
 * 需求大厅: the community's open requests — those within about 5 km nearest first (when the phone
 * gives a location), or all of them newest first.
 */
export default function ServiceHall() {
  const [from, setFrom] = useState<{ lat: number; lng: number } | undefined>(undefined);
  const [located, setLocated] = useState(false);
  const [order, setOrder] = useState<Order>('near');
  useEffect(() => {
    // No location (refused, or not offered on this platform): the list goes newest first.
    Promise.resolve()
      .then(() => Taro.getLocation({ type: 'gcj02' }))
      .then((p) => setFrom({ lat: p.latitude, lng: p.longitude }))
      .catch(() => setOrder('newest'))
      .finally(() => setLocated(true));
  }, []);
  const list = usePagedList(
    (cursor) =>
      call('service', 'nearby', {
        pageSize: 10,
        ...(from ? { from } : {}),
        order,
        ...(cursor ? { cursor } : {}),
      }),
    `${order}:${from ? `${from.lat},${from.lng}` : 'none'}`,
    located,
  );
  const empty =
    order === 'near' ? (
      <EmptyState
        id="service-hall-empty"
        text="附近暂时没有待接的需求"
        hint="这里只列出约 5 公里内的需求"
        actionText="看最新发布的需求"
        onAction={() => setOrder('newest')}
      />
    ) : (
      <EmptyState
        id="service-hall-empty"
        text="暂时没有待接的需求"
        hint="下拉可以刷新，也可以去看看志愿服务"
        actionText="去看看志愿服务"
        onAction={() => void Taro.navigateTo({ url: '/packages/volunteer/services' })}
      />
    );
  return (
    <PageShell id="service-hall-page">
      <Text className="page-title" {...heading(1)}>
        需求大厅
      </Text>
      {from ? (
        <SegmentTabs
          label="排序"
          idPrefix="service-hall-order"
          items={ORDERS}
          value={order}
          onChange={setOrder}
        />
      ) : located ? (
        <Text className="form-hint">未获取到位置，按发布时间排序</Text>
      ) : null}
      <View id="service-hall-list" aria-live="polite">
        {located ? (
          <PagedBody list={list} empty={empty} renderItem={(r) => <ServiceCard key={r._id} item={r} />} />
        ) : (
          <ListSkeleton />
        )}
      </View>
    </PageShell>
  );
}
