import { useEffect, useState, type ReactNode } from 'react';
import { useDesk } from './DeskNav';
import '../styles/desk.css';

export interface Column<T> {
  key: string;
  title: string;
  render: (row: T) => ReactNode;
  /** Makes the column sortable: the value rows are ordered by. */
  sortValue?: (row: T) => string | number;
}

export type SortState = { key: string; dir: 'asc' | 'desc' } | null;

/** Rows ordered by a column (stable; strings in Chinese collation), or as given when unsorted. */
export function sortRows<T>(rows: readonly T[], columns: readonly Column<T>[], sort: SortState): T[] {
  const col = sort && columns.find((c) => c.key === sort.key);
  if (!sort || !col?.sortValue) return [...rows];
  const value = col.sortValue;
  const sign = sort.dir === 'asc' ? 1 : -1;
  return rows
    .map((row, i) => ({ row, i, v: value(row) }))
    .sort((a, b) => {
      const d =
        typeof a.v === 'number' && typeof b.v === 'number'
          ? a.v - b.v
          : String(a.v).localeCompare(String(b.v), 'zh-CN');
      return d !== 0 ? sign * d : a.i - b.i;
    })
    .map((x) => x.row);
}

/** One page of rows (0-based) and how many pages there are. */
export function pageOf<T>(rows: readonly T[], page: number, size: number): { items: T[]; pages: number } {
  const pages = Math.max(1, Math.ceil(rows.length / size));
  const p = Math.min(Math.max(0, page), pages - 1);
  return { items: rows.slice(p * size, (p + 1) * size), pages };
}

/**
 * A list as a table with sorting and paging, at desk width in H5 (≥ 1280 px); elsewhere — a
 * phone, the mini-program — and while there are no rows it renders `children`, the page's usual
 * cards and states, unchanged. Rows come
 * from the page's paged list: paging past the loaded rows asks for more (`onLoadMore`).
 */
export function DataTable<T>({
  id,
  caption,
  columns,
  rows,
  rowKey,
  pageSize = 10,
  total,
  hasMore = false,
  onLoadMore,
  children,
  forceTable = false,
}: {
  id: string;
  caption: string;
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T) => string;
  pageSize?: number;
  /** All rows the server has (shown in the pager), when known. */
  total?: number;
  hasMore?: boolean;
  onLoadMore?: () => void;
  children?: ReactNode;
  /** Tests: render the table whatever the width. */
  forceTable?: boolean;
}) {
  const desk = useDesk();
  const [sort, setSort] = useState<SortState>(null);
  const [page, setPage] = useState(0);
  const [wantNext, setWantNext] = useState(false);
  const sorted = sortRows(rows, columns, sort);
  const { items, pages } = pageOf(sorted, page, pageSize);
  const current = Math.min(page, pages - 1);
  // A page asked for beyond the loaded rows: show it once they arrive.
  useEffect(() => {
    if (wantNext && rows.length > (current + 1) * pageSize) {
      setWantNext(false);
      setPage(current + 1);
    }
  }, [rows.length, wantNext, current, pageSize]);

  // No rows (loading, empty, an error): the page's own states, as on a phone.
  if (!(forceTable || desk) || rows.length === 0 || process.env.TARO_ENV !== 'h5') return <>{children}</>;

  const toggle = (key: string) => {
    setSort((s) => (s?.key !== key ? { key, dir: 'asc' } : s.dir === 'asc' ? { key, dir: 'desc' } : null));
    setPage(0);
  };
  const canNext = current < pages - 1 || (hasMore && !!onLoadMore);
  const next = () => {
    if (current < pages - 1) setPage(current + 1);
    else if (hasMore && onLoadMore) {
      setWantNext(true);
      onLoadMore();
    }
  };
  const shownPages = hasMore ? `${pages}+` : String(pages);
  return (
    <div className="data-table-wrap" id={id}>
      <table className="data-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => {
              const dir = sort?.key === c.key ? sort.dir : null;
              return (
                <th
                  key={c.key}
                  scope="col"
                  aria-sort={dir === 'asc' ? 'ascending' : dir === 'desc' ? 'descending' : undefined}
                >
                  {c.sortValue ? (
                    <button
                      type="button"
                      className="data-table__sort"
                      id={`${id}-sort-${c.key}`}
                      onClick={() => toggle(c.key)}
                    >
                      {c.title}
                      <span aria-hidden="true">{dir === 'asc' ? '▲' : dir === 'desc' ? '▼' : '↕'}</span>
                    </button>
                  ) : (
                    c.title
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {items.map((row) => (
            <tr key={rowKey(row)} id={`${id}-row-${rowKey(row)}`}>
              {columns.map((c) => (
                <td key={c.key}>{c.render(row)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <div className="data-table__pager" role="group" aria-label={`${caption}分页`}>
        <span id={`${id}-pageinfo`} aria-live="polite">
          {`第 ${current + 1} / ${shownPages} 页${total !== undefined ? `，共 ${total} 条` : ''}`}
        </span>
        <button
          type="button"
          className="data-table__page-btn"
          id={`${id}-prev`}
          disabled={current === 0}
          onClick={() => setPage(current - 1)}
        >
          上一页
        </button>
        <button
          type="button"
          className="data-table__page-btn"
          id={`${id}-next`}
          disabled={!canNext}
          onClick={next}
        >
          下一页
        </button>
      </div>
    </div>
  );
}
