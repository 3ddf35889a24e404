import { Text, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { useEffect, useRef, useState } from 'react';
import { call } from '../../api';
import { GrievanceCard, openNewGrievance } from '../../components/GrievanceCard';
import { PageShell } from '../../components/PageShell';
import { SegmentTabs, type Segment } from '../../components/SegmentTabs';
import { EmptyState, ErrorState, ListFooter, ListSkeleton } from '../../components/States';
import { usePagedList } from '../../hooks/usePagedList';
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
  const [stage, setStage] = useState<StageFilter>('all');

  useEffect(() => {
    loadMe().catch(() => undefined);
  }, []);
  useUnreadBadge();
  useTabBarSelected('pages/grievance/index');

  const list = usePagedList(
    (cursor) => call('grievance', 'mine', { stage, pageSize: 10, ...(cursor ? { cursor } : {}) }),
    stage,
  );

  // Back from the form or a detail: show the latest stages.
  const shown = useRef(false);
  useDidShow(() => {
    if (shown.current) void list.reload();
    shown.current = true;
  });

  let body;
  if (list.loading) body = <ListSkeleton />;
  else if (list.error) body = <ErrorState message={list.error} onRetry={() => void list.reload()} />;
  else if (list.items.length === 0)
    body =
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
  else
    body = (
      <>
        {list.items.map((g) => (
          <GrievanceCard key={g._id} item={g} />
        ))}
        <ListFooter loadingMore={list.loadingMore} hasMore={list.hasMore} count={list.items.length} />
      </>
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
      <SegmentTabs
        label="诉求状态"
        idPrefix="grievance-filter"
        items={TABS}
        value={stage}
        onChange={setStage}
      />
      <View id="grievance-list" aria-live="polite">
        {body}
      </View>
    </PageShell>
  );
}
