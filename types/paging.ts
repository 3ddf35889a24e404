/**
 * The paging cursor every list action takes: the next offset as a decimal string, opaque to the
 * client. Bounded, so a forged cursor is a clear INVALID_INPUT and never reaches the database.
 */
import { z } from 'zod';

/** The largest offset a cursor may carry (far beyond any real list a person pages through). */
export const MAX_CURSOR = 1_000_000;
export const CURSOR_MESSAGE = '分页位置无效，请从第一页重新加载';

/** The offset a cursor names, or undefined when it is not a whole number in 0…MAX_CURSOR. */
export function cursorOffset(cursor: string): number | undefined {
  if (cursor === '') return 0;
  if (!/^\d{1,7}$/.test(cursor)) return undefined;
  const n = Number(cursor);
  return n <= MAX_CURSOR ? n : undefined;
}

export const cursor = z
  .string()
  .max(32, CURSOR_MESSAGE)
  .refine((c) => cursorOffset(c) !== undefined, CURSOR_MESSAGE);
