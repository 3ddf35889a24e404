/** What activity notifications carry, and the reminder job. */
import type { Activity } from '../../types/domain';
import { cmd, collection, getAll, transaction } from '../core/db';
import { dispatchEvents, type DispatchReport } from '../core/notify/dispatcher';
import { appendEvent } from '../core/notify/outbox';
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

/** Timer job: queue one reminder per activity starting within the lead time, then deliver. */
export async function queueReminders(now: number): Promise<{ queued: number } & Partial<DispatchReport>> {
  const _ = cmd();
  const due = await getAll<Activity>(
    collection('activities').where({
      status: 'published',
      startAt: _.gt(now).and(_.lte(now + REMINDER_LEAD_MS)),
    }),
  );
  const eventIds: string[] = [];
  for (const a of due) {
    if (a.reminderQueuedAt) continue;
    const id = await transaction(async (t) => {
      const current = await t.get<Activity>('activities', a._id);
      if (!current || current.reminderQueuedAt || current.status !== 'published') return undefined;
      await t.update('activities', a._id, { reminderQueuedAt: now });
      return appendEvent(
        t,
        {
          kind: 'activityReminder',
          payload: activityPayload(current),
          recipients: { activityId: a._id, statuses: ['confirmed'] },
        },
        now,
      );
    });
    if (id) eventIds.push(id);
  }
  if (eventIds.length === 0) return { queued: 0 };
  return { queued: eventIds.length, ...(await dispatchEvents(eventIds, now)) };
}
