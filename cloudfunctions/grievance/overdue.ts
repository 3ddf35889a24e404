/** Timer job: flag overdue grievances once per deadline and remind whoever must act. */
import type { Grievance, User } from '../../types/domain';
import { cmd, collection, getAll, transaction } from '../core/db';
import { dispatchEvents } from '../core/notify/dispatcher';
import { appendEvent } from '../core/notify/outbox';
import { applyAction, dueAt, needsOverdueReminder, stageName } from '../domain/grievance';
import { categoryName, communityConfig } from './config';

const WAITING = ['submitted', 'accepted', 'dispatched', 'inProgress', 'reopened', 'escalated'];

async function whoMustAct(g: Grievance): Promise<string[]> {
  const _ = cmd();
  if (g.handler && (g.stage === 'dispatched' || g.stage === 'inProgress')) {
    if (g.handler.kind !== 'unit') return [g.handler.id];
    const staff = await getAll<User>(
      collection('users').where({ roles: _.elemMatch({ role: 'unitStaff', unitId: g.handler.id }) }),
    );
    return staff.map((u) => u.openid);
  }
  // Waiting for acceptance or dispatch: the community's workers (the street admin when escalated).
  const role = g.stage === 'escalated' ? { role: 'admin' } : { role: 'worker', communityId: g.communityId };
  const staff = await getAll<User>(collection('users').where({ roles: _.elemMatch(role) }));
  return staff.map((u) => u.openid);
}

export async function remindOverdueGrievances(now: number): Promise<{ reminded: number }> {
  const candidates = await getAll<Grievance>(collection('grievances').where({ stage: cmd().in(WAITING) }));
  const eventIds: string[] = [];
  for (const g of candidates.filter((x) => needsOverdueReminder(x, now))) {
    const recipients = await whoMustAct(g);
    const id = await transaction(async (t) => {
      const current = await t.get<Grievance>('grievances', g._id);
      if (!current || !needsOverdueReminder(current, now)) return undefined;
      const { patch, entry } = applyAction(current, 'remindOverdue', {}, { role: 'system' }, now);
      await t.update('grievances', g._id, { ...patch, timeline: [...current.timeline, entry] });
      if (recipients.length === 0) return undefined;
      return appendEvent(
        t,
        {
          kind: 'grievanceTask',
          payload: {
            grievanceId: g._id,
            number: g.number,
            categoryName: categoryName(await communityConfig(g.communityId), g.category),
            stageName: '超期',
            summary: `已超过时限（${stageName(g.stage)}），请尽快处理`,
            ...(dueAt(g) !== undefined ? { dueAt: dueAt(g) } : {}),
          },
          recipients: { openids: recipients },
        },
        now,
      );
    });
    if (id) eventIds.push(id);
  }
  if (eventIds.length) await dispatchEvents(eventIds, now);
  return { reminded: eventIds.length };
}
