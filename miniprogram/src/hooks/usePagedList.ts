import Taro, { usePullDownRefresh, useReachBottom } from '@tarojs/taro';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Page } from '../../../types/api';
import { errorMessage } from '../api';

export interface PagedList<T> {
  items: T[];
  total: number;
  /** First load (or reload after a filter change) in progress: show the skeleton. */
  loading: boolean;
  loadingMore: boolean;
  hasMore: boolean;
  /** Message when the first page failed. */
  error: string | null;
  reload: () => Promise<void>;
  loadMore: () => Promise<void>;
}

/**
 * Cursor pagination for a list page: first page on mount and whenever `queryKey` changes (a
 * string naming the current filters), pull-to-refresh reloads, reaching the bottom loads the
 * next page.
 */
export function usePagedList<T>(
  fetchPage: (cursor: string | undefined) => Promise<Page<T>>,
  queryKey: string,
  enabled = true,
): PagedList<T> {
  const [items, setItems] = useState<T[]>([]);
  const [total, setTotal] = useState(0);
  const [cursor, setCursor] = useState<string | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const seq = useRef(0);
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;
  // Read by reload(): a refresh over a list already on screen keeps it instead of the skeleton.
  const shownCount = useRef(0);
  shownCount.current = items.length;

  const reload = useCallback(async () => {
    const my = ++seq.current;
    setLoading((was) => was || shownCount.current === 0);
    setError(null);
    try {
      const page = await fetchRef.current(undefined);
      if (my !== seq.current) return;
      setItems(page.items);
      setTotal(page.total);
      setCursor(page.nextCursor);
    } catch (err) {
      if (my !== seq.current) return;
      setError(errorMessage(err));
    } finally {
      if (my === seq.current) setLoading(false);
    }
  }, []);

  const loadMore = useCallback(async () => {
    if (!cursor || loadingMore || loading) return;
    const my = seq.current;
    setLoadingMore(true);
    try {
      const page = await fetchRef.current(cursor);
      if (my !== seq.current) return;
      setItems((prev) => [...prev, ...page.items]);
      setTotal(page.total);
      setCursor(page.nextCursor);
    } catch (err) {
      Taro.showToast({ title: errorMessage(err), icon: 'none' });
    } finally {
      setLoadingMore(false);
    }
  }, [cursor, loadingMore, loading]);

  useEffect(() => {
    if (!enabled) return;
    setItems([]);
    setLoading(true);
    void reload();
  }, [enabled, queryKey, reload]);

  usePullDownRefresh(() => {
    void reload().finally(() => Taro.stopPullDownRefresh());
  });
  useReachBottom(() => {
    void loadMore();
  });

  return { items, total, loading, loadingMore, hasMore: !!cursor, error, reload, loadMore };
}
