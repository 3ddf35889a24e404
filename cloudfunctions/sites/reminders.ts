/**
 * Timer step: the booker's reminder before a confirmed 阵地 booking (`bookingReminder`, once per
 * booking, BOOKING_REMINDER_LEAD_MS before the start). Bookings are found through the
 * `site_bookings.remind_due` index on `remindKey` (set while a reminder is to come, see
 * `withRemindKey`), oldest due first, at most BATCH per run. Each booking is re-read in a
 * transaction that clears its `remindKey`, marks `remindedAt` and appends the event, so two timer
 * runs at once remind once (the loser conflicts, retries and finds it marked). Bookings turned down,
 * cancelled or checked in have no `remindKey`; one whose slot began while the timer was down
 * leaves the index without a reminder. The sweep, later in the same timer run, sends the WeChat
 * messages.
 */
import type { SiteBooking } from '../../types/sites';
import { body, cmd, collection, transaction } from '../core/db';
import { mapLimit } from '../core/jobs';
import { appendEvent } from '../core/notify/outbox';
import { timeKey } from '../domain/grievance-tally';
import { reminderDue } from '../domain/site-booking';
import { bookingEvent } from './events';

/** Bookings handled per timer run (the rest: the next run, oldest due first). */
export const BOOKING_REMINDER_BATCH = 50;

export async function remindBookings(now: number): Promise<{ reminded: number; dropped: number }> {
  const { data } = await collection('site_bookings')
    .where({ remindKey: cmd().lte(timeKey(now)) })
    .orderBy('remindKey', 'asc')
    .limit(BOOKING_REMINDER_BATCH)
    .get();
  let reminded = 0;
  let dropped = 0;
  await mapLimit(data as SiteBooking[], 5, (early) =>
    transaction(async (t) => {
      const b = await t.get<SiteBooking>('site_bookings', early._id);
      if (!b || b.remindKey === undefined) return; // another run got here first
      const send = reminderDue(b, now);
      const { remindKey: _key, ...rest } = b;
      const after: SiteBooking = send ? { ...rest, remindedAt: now } : rest;
      const events = send ? bookingEvent('bookingReminder', b, 'confirmed', [b.openid]) : [];
      await Promise.all([
        t.set('site_bookings', b._id, body(after)),
        ...events.map((event) => appendEvent(t, event, now)),
      ]);
      if (send) reminded += 1;
      else dropped += 1;
    }),
  );
  return { reminded, dropped };
}
