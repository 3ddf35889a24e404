import { Text, View } from '@tarojs/components';
import type { ReactNode } from 'react';
import type { PagedList } from '../hooks/usePagedList';
import { Button, Skeleton } from '../ui';
import { roleProps } from '../utils/a11y';
import { Icon, type IconName } from './Icon';
import { PageShell } from './PageShell';

export function ListSkeleton({ rows = 3 }: { rows?: number }) {
  return (
    <View className="state-skeleton" aria-label="正在加载" {...roleProps('status')}>
      {Array.from({ length: rows }, (_, i) => (
        <View key={i} className="card skeleton-card">
          <Skeleton rows={3} animated title />
        </View>
      ))}
    </View>
  );
}

export function EmptyState({
  text,
  hint,
  actionText,
  onAction,
  id = 'empty-state',
  icon = 'tips',
}: {
  text: string;
  /** The picture above the sentence (NutUI's icon set). */
  icon?: IconName;
  /** A short second line under the text. */
  hint?: string;
  actionText?: string;
  onAction?: () => void;
  id?: string;
}) {
  return (
    <View id={id} className="state-box">
      <Icon name={icon} className="state-icon" />
      <Text className={`state-text ${hint ? 'state-text--with-hint' : ''}`}>{text}</Text>
      {hint ? <Text className="state-hint">{hint}</Text> : null}
      {actionText && onAction ? (
        <Button id={`${id}-action`} className="state-action" type="primary" fill="outline" onClick={onAction}>
          {actionText}
        </Button>
      ) : null}
    </View>
  );
}

export function ErrorState({
  message,
  onRetry,
  id = 'error-state',
}: {
  message: string;
  onRetry: () => void;
  id?: string;
}) {
  return (
    <View id={id} className="state-box" {...roleProps('alert')}>
      <Icon name="warning" className="state-icon state-icon--error" />
      <Text className="state-text">{message}</Text>
      <Button id={`${id}-retry`} className="state-action" type="primary" onClick={onRetry}>
        重试
      </Button>
    </View>
  );
}

export function ListFooter({
  loadingMore,
  hasMore,
  count,
}: {
  loadingMore: boolean;
  hasMore: boolean;
  count: number;
}) {
  if (count === 0) return null;
  return (
    <View className="list-footer" id="list-footer">
      <Text>{loadingMore ? '正在加载…' : hasMore ? '上滑加载更多' : '没有更多了'}</Text>
    </View>
  );
}

/**
 * A page whose data has not arrived: the load error with a retry when loading failed, otherwise
 * the skeleton. Detail pages render this until their data is there.
 */
export function PendingPage({
  id,
  error,
  onRetry,
}: {
  id: string;
  error: string | null;
  onRetry: () => void;
}) {
  return (
    <PageShell id={id}>
      {error ? <ErrorState message={error} onRetry={onRetry} /> : <ListSkeleton rows={2} />}
    </PageShell>
  );
}

/**
 * The body of a paged list: the skeleton on the first load, the error with 重试, `empty` when
 * there is nothing, otherwise one `renderItem` per item (each with its own key) and the footer.
 */
export function PagedBody<T>({
  list,
  empty,
  renderItem,
  skeletonRows,
  itemsClassName,
}: {
  list: Pick<PagedList<T>, 'items' | 'loading' | 'loadingMore' | 'hasMore' | 'error' | 'reload'>;
  empty: ReactNode;
  renderItem: (item: T) => ReactNode;
  skeletonRows?: number;
  /** Wraps the items in a View of this class (a grid, say). */
  itemsClassName?: string;
}) {
  if (list.loading) return <ListSkeleton rows={skeletonRows} />;
  if (list.error) return <ErrorState message={list.error} onRetry={() => void list.reload()} />;
  if (list.items.length === 0) return <>{empty}</>;
  const items = list.items.map(renderItem);
  return (
    <>
      {itemsClassName ? <View className={itemsClassName}>{items}</View> : items}
      <ListFooter loadingMore={list.loadingMore} hasMore={list.hasMore} count={list.items.length} />
    </>
  );
}
