import type { Page } from '../../types/api';

/** Cursor pagination over skip/limit: the cursor is the next offset, opaque to the client. */
export function pageWindow(input: { pageSize: number; cursor?: string }): { skip: number; limit: number } {
  const skip = input.cursor ? Number.parseInt(input.cursor, 10) : 0;
  return { skip: Number.isFinite(skip) && skip >= 0 ? skip : 0, limit: input.pageSize };
}

export function toPage<T>(items: T[], total: number, window: { skip: number; limit: number }): Page<T> {
  const next = window.skip + items.length;
  return next < total && items.length > 0 ? { items, total, nextCursor: String(next) } : { items, total };
}
