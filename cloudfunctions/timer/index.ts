/**
 * Cloud function `timer` (CloudBase timer trigger, see config.json; the local server runs it on a
 * schedule too), in this order (the steps below): queues activity reminders, flags overdue
 * grievances and reminds their handlers, reminds and closes service requests, reminds bookers of
 * their 阵地 slot, follows up unrated grievances, expires unspent points once a community's yearly
 * expiry date has passed, tallies no-shows, reminds branches of meetings, queues the `roleKeys`
 * and service `geoCell` migrations once per database (user/role-keys.ts,
 * service/geo-backfill.ts), runs the background jobs
 * (core/jobs.ts: cancelling activities, notification fan-out, …) batch by batch within a time
 * budget, and last sends the WeChat messages that are due (the sweep).
 * Every step is bounded so that one run stays well inside the 10 s timeout.
 */
import { createTimerFunction } from '../core/function';
import { runJobs } from '../core/jobs';
import { sweep } from '../core/notify/dispatcher';
// Job kinds register when their modules load: every module that enqueues jobs is imported here.
import '../activity/jobs';
import '../report/job';
import '../branch/meetings';
import { remindCompliance, remindMeetings } from '../branch/reminders';
import { queueReminders } from '../activity/notifications';
import { queueNoShowTallies } from '../activity/notices';
import { remindOverdueGrievances } from '../grievance/overdue';
import { followUpUnrated } from '../grievance/followup';
import { expirePoints } from '../points/expiry';
import { serviceTimerStep } from '../service/timer';
import { remindBookings } from '../sites/reminders';
import { queueServiceGeoBackfill } from '../service/geo-backfill';
import { queueRoleKeysBackfill } from '../user/role-keys';

export const main = createTimerFunction({
  reminders: queueReminders,
  overdueGrievances: remindOverdueGrievances,
  serviceRequests: serviceTimerStep,
  bookingReminders: remindBookings,
  grievanceFollowUps: followUpUnrated,
  expirePoints,
  noShowTallies: queueNoShowTallies,
  branchMeetingReminders: remindMeetings,
  branchCompliance: remindCompliance,
  // Migration: users stored before `roleKeys` existed (a job, once per database).
  roleKeysBackfill: queueRoleKeysBackfill,
  // Migration: service requests stored before `geoCell` existed (a job, once per database).
  serviceGeoBackfill: queueServiceGeoBackfill,
  jobs: (now) => runJobs(now),
  dispatch: (now) => sweep(now),
});
