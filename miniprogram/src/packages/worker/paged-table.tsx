/**
 * A paged list (usePagedList) shown as the worker pages show their lists: a skeleton on the first
 * load, an error with 重试, the page's empty state, then the rows — a DataTable at desk width
 * (sorting, paging, asking for more past the loaded rows) and the page's cards with a footer
 * elsewhere. Used by 报名名单 (participants) and 未到场名单 (no-shows, both tabs).
 */
import { View } from '@tarojs/components';
import type { ReactNode } from 'react';
import { DataTable, type Column } from '../../components/DataTable';
import { ErrorState, ListFooter, ListSkeleton } from '../../components/States';
import type { PagedList } from '../../hooks/usePagedList';

export function PagedTable<T>({
  list,
  id,
  caption,
  columns,
  rowKey,
  empty,
  errorId,
  cardsId,
  cardsClassName = '',
  renderCard,
  before,
}: {
  list: PagedList<T>;
  /** The table's id (DataTable). */
  id: string;
  caption: string;
  columns: Column<T>[];
  rowKey: (row: T) => string;
  /** Shown when the list is empty. */
  empty: ReactNode;
  errorId?: string;
  /** The id and extra class of the cards' container (phone, mini-program). */
  cardsId?: string;
  cardsClassName?: string;
  renderCard: (row: T) => ReactNode;
  /** Shown above the rows once there are some (a summary line). */
  before?: ReactNode;
}) {
  if (list.loading) return <ListSkeleton />;
  if (list.error) return <ErrorState id={errorId} message={list.error} onRetry={() => void list.reload()} />;
  if (list.items.length === 0) return <>{empty}</>;
  return (
    <>
      {before}
      <DataTable
        id={id}
        caption={caption}
        rows={list.items}
        rowKey={rowKey}
        total={list.total}
        hasMore={list.hasMore}
        onLoadMore={() => void list.loadMore()}
        columns={columns}
      >
        <View className={`card ${cardsClassName}`.trim()} id={cardsId}>
          {list.items.map(renderCard)}
        </View>
        <ListFooter loadingMore={list.loadingMore} hasMore={list.hasMore} count={list.items.length} />
      </DataTable>
    </>
  );
}
