/**
 * Timer steps of the `branch` function (run by cloudfunctions/timer):
 * - meeting reminders, the day before and 2 hours before: meetings are found by the index
 *   (status, remindAt), at most REMIND_PAGE per run; each reminder is recorded with its event in
 *   one transaction (remindersSent, next remindAt), so it goes out once;
 * - compliance reminders, once a month from COMPLIANCE_REMINDER_DAY on: branches whose
 *   `remindedFor` is not this month (index), at most REMIND_PAGE per run; the secretary and the
 *   community's workers hear which required meetings are still open.
 */
import type { Branch, Meeting } from '../../types/branch';
import { MEETING_KIND_NAMES } from '../../types/branch';
import type { User } from '../../types/domain';
import { cmd, collection, getAll, transaction } from '../core/db';
import { mapLimit } from '../core/jobs';
import { recordEvent } from '../core/notify/outbox';
import { time } from '../domain/template-values';
import { roleKey } from '../domain/roles';
import { complianceReminderDue, monthOf, nextReminder } from '../domain/branch';
import { complianceView, periodsOf } from './compliance';

export const REMIND_PAGE = 50;

export async function remindMeetings(now: number): Promise<{ reminded: number }> {
  const { data } = await collection('branch_meetings')
    .where({ status: 'scheduled', remindAt: cmd().gt(0).and(cmd().lte(now)) })
    .orderBy('remindAt', 'asc')
    .limit(REMIND_PAGE)
    .get();
  const sent = await mapLimit(data as Meeting[], 5, (m) =>
    transaction(async (t) => {
      const cur = await t.get<Meeting>('branch_meetings', m._id);
      if (!cur || cur.status !== 'scheduled' || !cur.remindAt || cur.remindAt > now) return false;
      const due = nextReminder(cur.startAt, cur.remindersSent, now);
      const which = due && due.at <= now ? due.which : undefined;
      const sentNow = which ? [...cur.remindersSent, which] : cur.remindersSent;
      const after = nextReminder(cur.startAt, sentNow, now);
      await Promise.all([
        t.update('branch_meetings', m._id, {
          remindersSent: sentNow,
          remindAt: after?.at ?? 0,
          updatedAt: now,
        }),
        which
          ? recordEvent(
              t,
              {
                kind: 'branchNotice',
                payload: {
                  branchId: cur.branchId,
                  meetingId: cur._id,
                  subject: which === 'day' ? '明天开会' : '2小时后开会',
                  title: cur.title,
                  text: `${MEETING_KIND_NAMES[cur.kind]}将于 ${time(cur.startAt)} 在${cur.place}召开，请准时参加。`,
                  at: cur.startAt,
                  page: `packages/branch/meeting?id=${cur._id}`,
                },
                recipients: { openids: cur.expected },
              },
              now,
            )
          : Promise.resolve(),
      ]);
      return !!which;
    }),
  );
  return { reminded: sent.filter(Boolean).length };
}

export async function remindCompliance(now: number): Promise<{ reminded: number }> {
  const month = monthOf(now);
  if (!complianceReminderDue(now, '')) return { reminded: 0 };
  const { data } = await collection('branches')
    .where({ remindedFor: cmd().neq(month) })
    .limit(REMIND_PAGE)
    .get();
  const branches = data as Branch[];
  if (branches.length === 0) return { reminded: 0 };
  const communities = [...new Set(branches.map((b) => b.communityId))];
  const [periods, workers] = await Promise.all([
    periodsOf(
      branches.map((b) => b._id),
      now,
    ),
    getAll<User>(
      collection('users').where({
        roleKeys: cmd().in(communities.map((communityId) => roleKey('worker', { communityId }))),
      }),
    ),
  ]);
  const workersOf = (communityId: string) =>
    workers
      .filter((u) => u.roles.some((r) => r.role === 'worker' && r.communityId === communityId))
      .map((u) => u.openid);
  const sent = await mapLimit(branches, 5, (b) =>
    transaction(async (t) => {
      const cur = await t.get<Branch>('branches', b._id);
      if (!cur || !complianceReminderDue(now, cur.remindedFor)) return false;
      const view = complianceView({ ...cur, _id: b._id }, periods, now);
      const open = view.items.filter((i) => i.status !== 'done');
      await Promise.all([
        t.update('branches', b._id, { remindedFor: month }),
        open.length
          ? recordEvent(
              t,
              {
                kind: 'branchNotice',
                payload: {
                  branchId: b._id,
                  subject: '组织生活提醒',
                  title: cur.name,
                  text: `本期尚未召开：${open.map((i) => `${i.name}${i.status === 'overdue' ? '（已连续缺）' : ''}`).join('、')}。`,
                  at: now,
                  page: 'packages/branch/secretary',
                },
                recipients: { openids: [cur.secretary, ...workersOf(cur.communityId)].slice(0, 20) },
              },
              now,
            )
          : Promise.resolve(),
      ]);
      return open.length > 0;
    }),
  );
  return { reminded: sent.filter(Boolean).length };
}
