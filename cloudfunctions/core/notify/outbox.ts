/**
 * The outbox: domain code records "someone should hear about this" as an event document written
 * in the same transaction as the change that causes it, so an event exists if and only if its
 * cause was committed. Small events get their message-centre entries in that same transaction;
 * larger ones a fan-out job (core/jobs.ts).
 */
import { randomUUID } from 'node:crypto';
import type { NotifyKind, SignUpStatus } from '../../../types/domain';
import type { TxDocs } from '../db';
import { enqueue } from '../jobs';
import { buildMessage, fanOutJob, INLINE_RECIPIENTS, messageId, type FanOutPayload } from './dispatcher';
import type { PayloadByKind } from './templates';

/** Who receives an event: named users, or an activity's participants at the time of the event. */
export type Recipients = { openids: string[] } | { activityId: string; statuses: SignUpStatus[] };

export interface OutboxEvent<K extends NotifyKind = NotifyKind> {
  _id: string;
  kind: K;
  payload: PayloadByKind[K];
  recipients: Recipients;
  createdAt: number;
  /** pending: a fan-out job is creating its entries; done: every entry exists. */
  status: 'pending' | 'done';
  doneAt?: number;
  /** Messages created from it (set when done). */
  fannedOut?: number;
}

/** An event to record: the payload type follows the kind. */
export type EmitInput = {
  [K in NotifyKind]: Pick<OutboxEvent<K>, 'kind' | 'payload' | 'recipients'>;
}[NotifyKind];

/**
 * Record an event in the caller's transaction, with its delivery:
 * - up to INLINE_RECIPIENTS named recipients: their message-centre entries are written in the same
 *   transaction (the event id is new, so they cannot exist yet), all writes sent together;
 * - otherwise (an activity's participants, or many people): a fan-out job, created in the same
 *   transaction (`leaseTo`: the call that will run its first batch).
 * WeChat sends always follow from the timer's sweep (entries are due at once).
 */
export async function recordEvent(
  t: TxDocs,
  input: EmitInput,
  now: number,
  opts: { leaseTo?: string } = {},
): Promise<{ eventId: string; jobId?: string }> {
  const id = randomUUID().replace(/-/g, '');
  const r = input.recipients;
  if ('openids' in r && new Set(r.openids).size <= INLINE_RECIPIENTS) {
    const openids = [...new Set(r.openids)];
    const event: Omit<OutboxEvent, '_id'> = {
      ...input,
      createdAt: now,
      status: 'done',
      doneAt: now,
      fannedOut: openids.length,
    };
    const full = { ...event, _id: id } as OutboxEvent;
    await Promise.all([
      t.set('outbox', id, event as unknown as Record<string, unknown>),
      ...openids.map((o) =>
        t.set('messages', messageId(id, o), buildMessage(full, o, now) as unknown as Record<string, unknown>),
      ),
    ]);
    return { eventId: id };
  }
  const event: Omit<OutboxEvent, '_id'> = { ...input, createdAt: now, status: 'pending' };
  const payload: FanOutPayload = {
    _id: id,
    kind: input.kind,
    payload: input.payload,
    recipients: r,
    createdAt: now,
  };
  const [, jobId] = await Promise.all([
    t.set('outbox', id, event as unknown as Record<string, unknown>),
    enqueue(t, fanOutJob, payload, now, opts),
  ]);
  return { eventId: id, jobId };
}

/** `recordEvent` for callers that need only the event id (its job, if any, runs in the timer). */
export async function appendEvent(t: TxDocs, input: EmitInput, now: number): Promise<string> {
  return (await recordEvent(t, input, now)).eventId;
}
