/**
 * Cloud function `timer` (CloudBase timer trigger, see config.json; the local server runs it on a
 * schedule too): queues activity reminders, flags overdue grievances and reminds their handlers,
 * expires unspent points once a community's yearly expiry date has passed, and sweeps the outbox
 * for anything undelivered.
 */
import { createTimerFunction } from '../core/function';
import { sweep } from '../core/notify/dispatcher';
import { queueReminders } from '../activity/notifications';
import { remindOverdueGrievances } from '../grievance/overdue';
import { expirePoints } from '../points/expiry';

export const main = createTimerFunction({
  reminders: queueReminders,
  overdueGrievances: remindOverdueGrievances,
  expirePoints,
  dispatch: (now) => sweep(now),
});
