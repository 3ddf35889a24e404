/**
 * The outbox: domain code records "someone should hear about this" as an event document written
 * in the same transaction as the change that causes it, so an event exists if and only if its
 * cause was committed. The dispatcher turns events into messages later (and right after the call).
 */
import { randomUUID } from 'node:crypto';
import type { NotifyKind, SignUpStatus } from '../../../types/domain';
import type { TxDocs } from '../db';
import type { PayloadByKind } from './templates';

/** Who receives an event: named users, or an activity's participants at the time of the event. */
export type Recipients = { openids: string[] } | { activityId: string; statuses: SignUpStatus[] };

export interface OutboxEvent<K extends NotifyKind = NotifyKind> {
  _id: string;
  kind: K;
  payload: PayloadByKind[K];
  recipients: Recipients;
  createdAt: number;
  status: 'pending' | 'done';
  doneAt?: number;
  /** Messages created from it (set when done). */
  fannedOut?: number;
}

/** An event to record: the payload type follows the kind. */
export type EmitInput = {
  [K in NotifyKind]: Pick<OutboxEvent<K>, 'kind' | 'payload' | 'recipients'>;
}[NotifyKind];

export async function appendEvent(t: TxDocs, input: EmitInput, now: number): Promise<string> {
  const id = randomUUID().replace(/-/g, '');
  const event: Omit<OutboxEvent, '_id'> = { ...input, createdAt: now, status: 'pending' };
  await t.set('outbox', id, event as unknown as Record<string, unknown>);
  return id;
}
