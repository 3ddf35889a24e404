/**
 * The grievance work queues page by key, not by offset: the cursor names the queue segment
 * (overdue or not, 重办 first) and the last key returned. Opaque to the client; bounded and
 * checked, so a forged cursor is a clear INVALID_INPUT.
 */
import { z } from 'zod';

export const QUEUE_CURSOR_MESSAGE = '分页位置无效，请从第一页重新加载';

const PATTERN = /^[0-3]:[0-9a-z]{11}\.[0-9a-z]{11}\.[0-9A-Za-z_-]{1,64}$/;

export interface QueueCursor {
  segment: number;
  after: string;
}

export function decodeQueueCursor(cursor: string | undefined): QueueCursor | undefined {
  if (!cursor || !PATTERN.test(cursor)) return undefined;
  return { segment: Number(cursor[0]), after: cursor.slice(2) };
}

export const encodeQueueCursor = (c: QueueCursor) => `${c.segment}:${c.after}`;

export const queueCursor = z.string().max(100, QUEUE_CURSOR_MESSAGE).regex(PATTERN, QUEUE_CURSOR_MESSAGE);
