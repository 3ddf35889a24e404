/**
 * Cloud function `timer` (CloudBase timer trigger, see config.json; the local server runs it on a
 * schedule too): queues activity reminders and sweeps the outbox for anything undelivered.
 */
import { createTimerFunction } from '../core/function';
import { sweep } from '../core/notify/dispatcher';
import { queueReminders } from '../activity/notifications';

export const main = createTimerFunction({
  reminders: queueReminders,
  dispatch: (now) => sweep(now),
});
