import { Text } from '@tarojs/components';
import { useEffect } from 'react';
import type { GrievanceSummary } from '../../../../types/api';
import { call } from '../../api';
import { GrievanceCard, openNewGrievance } from '../../components/GrievanceCard';
import { PageShell } from '../../components/PageShell';
import type { Segment } from '../../components/SegmentTabs';
import { EmptyState } from '../../components/States';
import { TabbedList, useTabbedList } from '../../components/TabbedList';
import { loadMe } from '../../store/session';
import { useUnreadBadge } from '../../store/unread';
import { useTabBarSelected } from '../../custom-tab-bar/state';
import { Button } from '../../ui';
import { heading } from '../../utils/a11y';
import '../../styles/grievance.scss';

type StageFilter = 'all' | 'open' | 'closed';

const TABS: Segment<StageFilter>[] = [
  { value: 'all', label: '全部' },
  { value: 'open', label: '办理中' },
  { value: 'closed', label: '已结束' },
];

export default function GrievanceTab() {
  useEffect(() => {
    loadMe().catch(() => undefined);
  }, []);
  useUnreadBadge();
  useTabBarSelected('pages/grievance/index');

  // Back from the form or a detail, the list reloads: the latest stages.
  const {
    tab: stage,
    setTab: setStage,
    list,
  } = useTabbedList<StageFilter, GrievanceSummary>('all', (stage, cursor) =>
    call('grievance', 'mine', { stage, pageSize: 10, ...(cursor ? { cursor } : {}) }),
  );
  const empty =
    stage === 'all' ? (
      <EmptyState
        id="grievance-empty"
        text="还没有反映过问题"
        hint="身边有环境、设施、邻里等问题，都可以在这里反映"
        actionText="我要反映"
        onAction={openNewGrievance}
      />
    ) : (
      <EmptyState
        id="grievance-empty"
        text={stage === 'open' ? '没有办理中的诉求' : '没有已结束的诉求'}
        actionText="查看全部"
        onAction={() => setStage('all')}
      />
    );

  return (
    <PageShell id="grievance-page">
      <Text className="page-title" {...heading(1)}>
        群众诉求 · 接诉即办
      </Text>
      <Button
        id="grievance-new"
        className="block-btn grievance-new-btn"
        type="primary"
        size="large"
        block
        onClick={openNewGrievance}
      >
        我要反映
      </Button>
      <Text className="section-title" {...heading(2)}>
        我的诉求
      </Text>
      <TabbedList
        label="诉求状态"
        tabIdPrefix="grievance-filter"
        tabs={TABS}
        tab={stage}
        onTab={setStage}
        listId="grievance-list"
        list={list}
        empty={empty}
        renderItem={(g) => <GrievanceCard key={g._id} item={g} />}
      />
    </PageShell>
  );
}
