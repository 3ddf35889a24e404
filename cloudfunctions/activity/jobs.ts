/**
 * Background jobs of activities (core/jobs.ts): the per-participant work of cancelling or moving
 * an activity, done a batch of sign-ups at a time (keyset pages by sign-up id), each batch
 * idempotent so that a crash simply repeats it.
 */
import type { Activity, SignUp, SignUpStatus } from '../../types/domain';
import { cmd, collection, getById } from '../core/db';
import { defineJob } from '../core/jobs';
import { createMessagesOnce, signUpsAfter } from '../core/notify/dispatcher';
import type { OutboxEvent } from '../core/notify/outbox';

/** Sign-ups that hold (or wait for) a place: what cancelling the activity cancels. */
export const ACTIVE: SignUpStatus[] = ['confirmed', 'waitlisted', 'pending'];

export interface CancelActivityPayload {
  activityId: string;
  /** The 活动已取消 event (recorded in the outbox by the cancelling call). */
  event: Pick<OutboxEvent, '_id' | 'kind' | 'payload' | 'createdAt'>;
}

/**
 * Whom the organiser's cancellation concerns in a page of sign-ups: those still active, and those
 * this cancellation already cancelled (a batch repeated after a crash must still create their
 * missing messages).
 */
export function cancellationTargets(
  page: SignUp[],
  cancelledAt: number,
): { toCancel: SignUp[]; recipients: string[] } {
  const toCancel = page.filter((s) => ACTIVE.includes(s.status));
  const already = page.filter(
    (s) => s.status === 'cancelled' && s.cancelledBy === 'organiser' && s.cancelledAt === cancelledAt,
  );
  return { toCancel, recipients: [...toCancel, ...already].map((s) => s.openid) };
}

/**
 * Cancel every sign-up of a cancelled activity (`cancelledBy: 'organiser'`, `cancelledAt` = the
 * cancellation time) and give each participant the 活动已取消 message (once: deterministic ids).
 * Per batch: one page read, then one conditional update of the page's active sign-ups together
 * with the message entries (a transaction per 20).
 */
export const cancelActivityJob = defineJob<CancelActivityPayload>({
  kind: 'activityCancel',
  async batch({ activityId, event }, cursor, { now, limit }) {
    const page = await signUpsAfter(activityId, cursor, limit);
    const { toCancel, recipients } = cancellationTargets(page, event.createdAt);
    const _ = cmd();
    await Promise.all([
      toCancel.length
        ? collection('signups')
            .where({ _id: _.in(toCancel.map((s) => s._id)), status: _.in(ACTIVE) })
            .update({
              status: 'cancelled',
              cancelledBy: 'organiser',
              cancelledAt: event.createdAt,
              updatedAt: now,
            })
        : Promise.resolve(),
      createMessagesOnce(event, recipients, now),
    ]);
    const last = page[page.length - 1];
    return { next: page.length < limit || !last ? null : last._id, processed: page.length };
  },
  async finish({ event }, { now }) {
    await collection('outbox').doc(event._id).update({ status: 'done', doneAt: now });
  },
});

/**
 * Keep the copies of the activity's times on its sign-ups in step (activity.mine filters by them).
 * Each batch writes the times the activity has when the batch runs, so jobs of successive edits
 * all end on the latest times.
 */
export const signUpTimesJob = defineJob<{ activityId: string }>({
  kind: 'activityTimes',
  async batch({ activityId }, cursor, { limit }) {
    const [a, page] = await Promise.all([
      getById<Activity>('activities', activityId),
      signUpsAfter(activityId, cursor, limit),
    ]);
    const stale = a ? page.filter((s) => s.startAt !== a.startAt || s.endAt !== a.endAt) : [];
    if (a && stale.length) {
      await collection('signups')
        .where({ _id: cmd().in(stale.map((s) => s._id)) })
        .update({ startAt: a.startAt, endAt: a.endAt });
    }
    const last = page[page.length - 1];
    return { next: page.length < limit || !last ? null : last._id, processed: page.length };
  },
});
