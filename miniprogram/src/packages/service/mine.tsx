import { Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { ServiceSummary } from '../../../../types/service';
import { call } from '../../api';
import { PageShell } from '../../components/PageShell';
import { EmptyState } from '../../components/States';
import { TabbedList, useTabbedList } from '../../components/TabbedList';
import { Button } from '../../ui';
import { heading } from '../../utils/a11y';
import { ServiceCard } from './ServiceCard';

type Tab = 'posted' | 'taking';
const TABS: { value: Tab; label: string }[] = [
  { value: 'posted', label: '我发布的' },
  { value: 'taking', label: '我接的' },
];

/** 我的需求: what I posted, and what I took. */
export default function MyServiceRequests() {
  const { tab, setTab, list } = useTabbedList<Tab, ServiceSummary>('posted', (tab, cursor) =>
    call('service', tab === 'posted' ? 'mine' : 'taking', { pageSize: 10, ...(cursor ? { cursor } : {}) }),
  );
  const post = () => void Taro.navigateTo({ url: '/packages/service/new' });
  const hall = () => void Taro.navigateTo({ url: '/packages/service/hall' });
  return (
    <PageShell id="service-mine-page">
      <Text className="page-title" {...heading(1)}>
        我的需求
      </Text>
      <Button id="service-new" className="block-btn" type="primary" size="large" block onClick={post}>
        我要点单
      </Button>
      <Button id="service-hall" className="block-btn" size="large" block onClick={hall}>
        需求大厅（志愿者、党员、单位接单）
      </Button>
      <TabbedList
        label="需求类别"
        tabIdPrefix="service-mine-tab"
        tabs={TABS}
        tab={tab}
        onTab={setTab}
        listId="service-mine-list"
        list={list}
        empty={
          tab === 'posted' ? (
            <EmptyState
              id="service-mine-empty"
              text="还没有发布过需求"
              actionText="我要点单"
              onAction={post}
            />
          ) : (
            <EmptyState
              id="service-mine-empty"
              text="还没有接过需求"
              actionText="去需求大厅"
              onAction={hall}
            />
          )
        }
        renderItem={(r) => <ServiceCard key={r._id} item={r} />}
      />
    </PageShell>
  );
}
