import { Text, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { useRef } from 'react';
import { call } from '../../api';
import { GrievanceCard } from '../../components/GrievanceCard';
import { PageShell } from '../../components/PageShell';
import { EmptyState, ErrorState, ListFooter, ListSkeleton } from '../../components/States';
import { usePagedList } from '../../hooks/usePagedList';
import { heading } from '../../utils/a11y';
import '../../styles/grievance.scss';

/** 我的承办: grievances dispatched to me (or my unit), overdue first. */
export default function HandlerQueue() {
  const list = usePagedList(
    (cursor) => call('grievance', 'handlerQueue', { pageSize: 20, ...(cursor ? { cursor } : {}) }),
    'handling',
  );

  const shown = useRef(false);
  useDidShow(() => {
    if (shown.current) void list.reload();
    shown.current = true;
  });

  return (
    <PageShell id="handler-queue-page">
      <Text className="page-title" {...heading(1)}>
        我的承办
      </Text>
      <View id="handler-queue" aria-live="polite">
        {list.loading ? (
          <ListSkeleton />
        ) : list.error ? (
          <ErrorState message={list.error} onRetry={() => void list.reload()} />
        ) : list.items.length === 0 ? (
          <EmptyState
            id="handling-empty"
            text="暂无派给您的诉求"
            hint="社区派单后会在这里显示，并发消息提醒"
          />
        ) : (
          <>
            {list.items.map((g) => (
              <GrievanceCard key={g._id} item={g} staff />
            ))}
            <ListFooter loadingMore={list.loadingMore} hasMore={list.hasMore} count={list.items.length} />
          </>
        )}
      </View>
    </PageShell>
  );
}
