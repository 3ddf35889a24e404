/** The booking events the handlers and the reminder step send (payloads as the templates read them). */
import type { SiteBooking } from '../../types/sites';
import type { EmitInput } from '../core/notify/outbox';
import type { BookingEventPayload } from '../core/notify/templates';

/** A booking event for `openids` (none when nobody is left to tell). */
export function bookingEvent(
  kind: 'bookingStatus' | 'bookingTask' | 'bookingReminder',
  b: SiteBooking,
  outcome: BookingEventPayload['outcome'],
  openids: string[],
  reason?: string,
): EmitInput[] {
  const recipients = [...new Set(openids)].filter(Boolean);
  if (!recipients.length) return [];
  const payload: BookingEventPayload = {
    bookingId: b._id,
    siteName: b.siteName,
    date: b.date,
    start: b.start,
    end: b.end,
    startAt: b.startAt,
    outcome,
    ...(reason ? { reason } : {}),
    ...(kind === 'bookingTask' ? { bookerName: b.bookerName, people: b.people, purpose: b.purpose } : {}),
  };
  return [{ kind, payload, recipients: { openids: recipients } }];
}
