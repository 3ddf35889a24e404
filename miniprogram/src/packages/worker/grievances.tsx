import { Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useEffect, useRef, useState } from 'react';
import type { GrievanceSummary } from '../../../../types/api';
import type { GrievanceCategory } from '../../../../types/domain';
import { call, errorMessage } from '../../api';
import { DataTable, type Column } from '../../components/DataTable';
import { GrievanceCard, GrievanceTags, openGrievance } from '../../components/GrievanceCard';
import { formatInstant } from '../../utils/time';
import { PageShell } from '../../components/PageShell';
import { SegmentTabs, type Segment } from '../../components/SegmentTabs';
import { EmptyState, ErrorState, ListFooter, ListSkeleton } from '../../components/States';
import { usePagedList } from '../../hooks/usePagedList';
import { loadMe, useSession } from '../../store/session';
import { Button } from '../../ui';
import { heading } from '../../utils/a11y';
import { workerCommunityId } from './staff';
import '../../styles/grievance.scss';

type QueueFilter = 'todo' | 'submitted' | 'inProgress' | 'resolved' | 'overdue';

const STAGE_TABS: Segment<QueueFilter>[] = [
  { value: 'todo', label: '全部待办' },
  { value: 'submitted', label: '待受理' },
  { value: 'inProgress', label: '办理中' },
  { value: 'resolved', label: '已办结' },
  { value: 'overdue', label: '超期' },
];

const EMPTY_TEXT: Record<QueueFilter, string> = {
  todo: '暂无待办诉求',
  submitted: '没有待受理的诉求',
  inProgress: '没有办理中的诉求',
  resolved: '还没有已办结的诉求',
  overdue: '没有超期的诉求，继续保持',
};

/** 诉求工作台: the community's grievances, overdue first (the server sorts). */
/** The queue as a table at desk width (H5 ≥ 1280 px). */
const GRIEVANCE_COLUMNS: Column<GrievanceSummary>[] = [
  { key: 'number', title: '编号', render: (g) => g.number, sortValue: (g) => g.number },
  { key: 'category', title: '类别', render: (g) => g.categoryName, sortValue: (g) => g.categoryName },
  { key: 'preview', title: '内容', render: (g) => g.preview },
  { key: 'stage', title: '状态', render: (g) => <GrievanceTags item={g} />, sortValue: (g) => g.stage },
  {
    key: 'due',
    title: '时限',
    render: (g) => (g.dueAt ? formatInstant(g.dueAt) : '—'),
    sortValue: (g) => g.dueAt ?? Number.MAX_SAFE_INTEGER,
  },
  {
    key: 'created',
    title: '反映时间',
    render: (g) => formatInstant(g.createdAt),
    sortValue: (g) => g.createdAt,
  },
  {
    key: 'open',
    title: '操作',
    render: (g) => (
      <Button
        id={`open-desk-${g._id}`}
        size="small"
        fill="outline"
        aria-label={`办理 ${g.number}`}
        onClick={() => openGrievance(g._id)}
      >
        办理
      </Button>
    ),
  },
];

export default function GrievanceQueue() {
  const { me, meError } = useSession();
  const communityId = workerCommunityId(me);
  const [filter, setFilter] = useState<QueueFilter>('todo');
  const [category, setCategory] = useState<string>('all');
  const [categories, setCategories] = useState<GrievanceCategory[]>([]);

  useEffect(() => {
    loadMe().catch(() => undefined);
  }, []);

  useEffect(() => {
    if (!me) return;
    call('grievance', 'categories', communityId ? { communityId } : {})
      .then((r) => setCategories(r.categories))
      .catch(() => setCategories([]));
  }, [me, communityId]);

  const list = usePagedList(
    (cursor) =>
      call('grievance', 'queue', {
        pageSize: 20,
        ...(communityId ? { communityId } : {}),
        ...(filter === 'overdue' ? { overdueOnly: true } : filter === 'todo' ? {} : { stage: filter }),
        ...(category !== 'all' ? { category } : {}),
        ...(cursor ? { cursor } : {}),
      }),
    `${filter}|${category}|${communityId ?? ''}`,
    !!me,
  );

  const shown = useRef(false);
  useDidShow(() => {
    if (shown.current) void list.reload();
    shown.current = true;
  });

  const categoryTabs: Segment<string>[] = [
    { value: 'all', label: '全部类别' },
    ...categories.map((c) => ({ value: c.key, label: c.name })),
  ];

  let body;
  if (!me && meError)
    body = (
      <ErrorState message={errorMessage(meError)} onRetry={() => void loadMe(true).catch(() => undefined)} />
    );
  else if (!me || list.loading) body = <ListSkeleton />;
  else if (list.error) body = <ErrorState message={list.error} onRetry={() => void list.reload()} />;
  else if (list.items.length === 0) body = <EmptyState id="queue-empty" text={EMPTY_TEXT[filter]} />;
  else
    body = (
      <DataTable
        id="grievance-table"
        caption="诉求列表"
        rows={list.items}
        rowKey={(g) => g._id}
        hasMore={list.hasMore}
        onLoadMore={() => void list.loadMore()}
        columns={GRIEVANCE_COLUMNS}
      >
        {list.items.map((g) => (
          <GrievanceCard key={g._id} item={g} staff />
        ))}
        <ListFooter loadingMore={list.loadingMore} hasMore={list.hasMore} count={list.items.length} />
      </DataTable>
    );

  return (
    <PageShell id="grievance-queue-page">
      <View className="grievance-page-head">
        <Text className="page-title" {...heading(1)}>
          诉求工作台
        </Text>
        <Button
          id="open-grievance-stats"
          size="small"
          type="primary"
          fill="outline"
          onClick={() => Taro.navigateTo({ url: '/packages/worker/grievance-stats' })}
        >
          统计
        </Button>
      </View>
      <SegmentTabs
        label="办理状态"
        idPrefix="queue-stage"
        items={STAGE_TABS}
        value={filter}
        onChange={setFilter}
        scroll
      />
      {categories.length > 0 ? (
        <SegmentTabs
          label="诉求类别"
          idPrefix="queue-category"
          items={categoryTabs}
          value={category}
          onChange={setCategory}
          scroll
        />
      ) : null}
      <View id="grievance-queue" aria-live="polite">
        {body}
      </View>
    </PageShell>
  );
}
