/** What activity notifications carry, and the reminder task of the timer. */
import type { Activity } from '../../types/domain';
import { cmd, collection, transaction } from '../core/db';
import { mapLimit } from '../core/jobs';
import { recordEvent } from '../core/notify/outbox';
import type { ActivityEventPayload } from '../core/notify/templates';

/** Reminders go out this long before the start, to confirmed participants. */
export const REMINDER_LEAD_MS = 2 * 3600_000;

export function activityPayload(
  a: Activity,
  extra: Partial<ActivityEventPayload> = {},
): ActivityEventPayload {
  return {
    activityId: a._id,
    title: a.title,
    placeName: a.place.name,
    startAt: a.startAt,
    endAt: a.endAt,
    ...extra,
  };
}

/** How an edit changes what participants were told, if at all. */
export function changeOf(before: Activity, after: Activity): ActivityEventPayload['change'] | undefined {
  if (before.startAt !== after.startAt || before.endAt !== after.endAt) return 'time';
  if (
    before.place.name !== after.place.name ||
    before.place.lat !== after.place.lat ||
    before.place.lng !== after.place.lng
  ) {
    return 'place';
  }
  return undefined;
}

/** Activities whose reminders one timer run queues at most (the rest: next run). */
const REMINDER_PAGE = 100;
const REMINDER_TIME_BUDGET_MS = 1_500;

/**
 * Timer: queue one reminder per activity starting within the lead time. Each activity is marked
 * (`reminderQueuedAt`) in the transaction that records its event, and the query asks only for
 * unmarked ones, so the marks are the cursor: pages of REMINDER_PAGE until none is left or the
 * time budget is spent. Each event's fan-out job (its confirmed participants, in batches) runs in
 * the timer's jobs step, and the sweep sends the WeChat messages.
 */
export async function queueReminders(now: number): Promise<{ queued: number }> {
  const _ = cmd();
  const started = Date.now();
  const tried = new Set<string>();
  let queued = 0;
  for (;;) {
    const { data } = await collection('activities')
      .where({
        status: 'published',
        startAt: _.gt(now).and(_.lte(now + REMINDER_LEAD_MS)),
        reminderQueuedAt: _.exists(false),
      })
      .orderBy('startAt', 'asc')
      .limit(REMINDER_PAGE)
      .get();
    const fresh = (data as Activity[]).filter((a) => !tried.has(a._id));
    if (fresh.length === 0) break;
    const results = await mapLimit(fresh, 10, (a) => {
      tried.add(a._id);
      return transaction(async (t) => {
        const current = await t.get<Activity>('activities', a._id);
        if (!current || current.reminderQueuedAt || current.status !== 'published') return false;
        await Promise.all([
          t.update('activities', a._id, { reminderQueuedAt: now }),
          recordEvent(
            t,
            {
              kind: 'activityReminder',
              payload: activityPayload(current),
              recipients: { activityId: a._id, statuses: ['confirmed'] },
            },
            now,
          ),
        ]);
        return true;
      });
    });
    queued += results.filter(Boolean).length;
    if (data.length < REMINDER_PAGE || Date.now() - started >= REMINDER_TIME_BUDGET_MS) break;
  }
  return { queued };
}
