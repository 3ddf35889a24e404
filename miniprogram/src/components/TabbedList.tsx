import { View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { useRef, useState, type ReactNode } from 'react';
import type { Page } from '../../../types/api';
import { usePagedList, type PagedList } from '../hooks/usePagedList';
import { SegmentTabs, type Segment } from './SegmentTabs';
import { PagedBody } from './States';

/**
 * A paged list filtered by tabs: the chosen tab, its list (first page on mount and on every tab
 * change, more on reaching the bottom) and a reload when the page is shown again (back from a
 * form or a detail, so stages are current).
 */
export function useTabbedList<V extends string, T>(
  initial: V,
  fetchPage: (tab: V, cursor: string | undefined) => Promise<Page<T>>,
): { tab: V; setTab: (tab: V) => void; list: PagedList<T> } {
  const [tab, setTab] = useState<V>(initial);
  const list = usePagedList((cursor) => fetchPage(tab, cursor), tab);
  const shown = useRef(false);
  useDidShow(() => {
    if (shown.current) void list.reload();
    shown.current = true;
  });
  return { tab, setTab, list };
}

/**
 * The tabs and the list region (`aria-live`, so a screen reader hears the new list after a tab
 * change): skeleton, error with 重试, `empty`, or the items with the paging footer.
 */
export function TabbedList<V extends string, T>({
  tabs,
  tab,
  onTab,
  label,
  tabIdPrefix,
  listId,
  list,
  empty,
  renderItem,
}: {
  tabs: Segment<V>[];
  tab: V;
  onTab: (tab: V) => void;
  /** What the tabs choose, e.g. 需求状态. */
  label: string;
  tabIdPrefix: string;
  listId: string;
  list: PagedList<T>;
  empty: ReactNode;
  /** One element per item, with its own key. */
  renderItem: (item: T) => ReactNode;
}) {
  return (
    <>
      <SegmentTabs label={label} idPrefix={tabIdPrefix} items={tabs} value={tab} onChange={onTab} />
      <View id={listId} aria-live="polite">
        <PagedBody list={list} empty={empty} renderItem={renderItem} />
      </View>
    </>
  );
}
