import { Text } from '@tarojs/components';
import type { ServiceStage, ServiceSummary } from '../../../../types/service';
import { call } from '../../api';
import { PageShell } from '../../components/PageShell';
import { EmptyState } from '../../components/States';
import { TabbedList, useTabbedList } from '../../components/TabbedList';
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
  const { tab, setTab, list } = useTabbedList<ServiceStage, ServiceSummary>('pending', (stage, cursor) =>
    call('service', 'queue', { stage, pageSize: 10, ...(cursor ? { cursor } : {}) }),
  );
  return (
    <PageShell id="service-queue-page">
      <Text className="page-title" {...heading(1)}>
        微心愿审核
      </Text>
      <TabbedList
        label="需求状态"
        tabIdPrefix="service-queue-tab"
        tabs={TABS}
        tab={tab}
        onTab={setTab}
        listId="service-queue-list"
        list={list}
        empty={
          <EmptyState
            id="service-queue-empty"
            text={`没有${TABS.find((t) => t.value === tab)?.label ?? ''}的需求`}
            actionText="看待接单"
            onAction={() => setTab('open')}
          />
        }
        renderItem={(r) => <ServiceCard key={r._id} item={r} />}
      />
    </PageShell>
  );
}
