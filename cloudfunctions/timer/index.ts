/**
 * Cloud function `timer` (CloudBase timer trigger, see config.json; the local server runs it on a
 * schedule too): queues activity reminders, flags overdue grievances and reminds their handlers,
 * and sweeps the outbox for anything undelivered.
 */
import { createTimerFunction } from '../core/function';
import { sweep } from '../core/notify/dispatcher';
import { queueReminders } from '../activity/notifications';
import { remindOverdueGrievances } from '../grievance/overdue';

export const main = createTimerFunction({
  reminders: queueReminders,
  overdueGrievances: remindOverdueGrievances,
  dispatch: (now) => sweep(now),
});
