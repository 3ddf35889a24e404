import type { Query } from '@cloudbase/database';
import type { Page } from '../../types/api';
import { CURSOR_MESSAGE, cursorOffset } from '../../types/paging';
import { collection, type CollectionName } from './db';
import { invalid } from './errors';
import { managedCommunity, type Caller } from './guard';

export interface PageInput {
  pageSize: number;
  cursor?: string;
}

/**
 * Cursor pagination over skip/limit: the cursor is the next offset, opaque to the client. The
 * schemas already refuse a bad cursor; this checks again for callers that build their own input.
 */
export function pageWindow(input: PageInput): { skip: number; limit: number } {
  const skip = input.cursor ? cursorOffset(input.cursor) : 0;
  if (skip === undefined) throw invalid(CURSOR_MESSAGE, { cursor: CURSOR_MESSAGE });
  return { skip, limit: input.pageSize };
}

export function toPage<T>(items: T[], total: number, window: { skip: number; limit: number }): Page<T> {
  const next = window.skip + items.length;
  return next < total && items.length > 0 ? { items, total, nextCursor: String(next) } : { items, total };
}

/**
 * One page of a query plus the total, sorted by one field. `present` turns the page's documents
 * into the response items (e.g. joining related documents).
 */
export async function queryPage<D, T>(
  query: Query,
  sort: { field: string; order: 'asc' | 'desc' },
  input: PageInput,
  present: (docs: D[]) => Promise<T[]> | T[],
): Promise<Page<T>> {
  const win = pageWindow(input);
  const [{ total }, { data }] = await Promise.all([
    query.count() as Promise<{ total: number }>,
    query.orderBy(sort.field, sort.order).skip(win.skip).limit(win.limit).get(),
  ]);
  return toPage(await present(data as D[]), total, win);
}

/**
 * One page of a collection's documents that match `where`, newest first by `field`. Filters set to
 * undefined are left out, so optional ones (a status, a kind) pass straight through.
 */
export function newestPage<D, T>(
  name: CollectionName,
  where: Record<string, unknown>,
  input: PageInput,
  present: (docs: D[]) => Promise<T[]> | T[],
  field = 'createdAt',
): Promise<Page<T>> {
  const defined = Object.fromEntries(Object.entries(where).filter(([, v]) => v !== undefined));
  return queryPage(collection(name).where(defined), { field, order: 'desc' }, input, present);
}

/**
 * A worker's list of one community's documents (theirs, or the one they ask for and manage),
 * optionally of one status, newest first.
 */
export function communityPage<D, T>(
  caller: Caller,
  name: CollectionName,
  input: PageInput & { communityId?: string; status?: string },
  present: (docs: D[]) => Promise<T[]> | T[],
  field = 'createdAt',
): Promise<Page<T>> {
  const communityId = managedCommunity(caller, input.communityId);
  return newestPage(name, { communityId, status: input.status }, input, present, field);
}
