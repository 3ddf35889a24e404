/** Timer job: flag overdue grievances once per deadline and remind whoever must act. */
import type { Grievance, User } from '../../types/domain';
import { cmd, collection, getAll, transaction } from '../core/db';
import { dispatchEvents } from '../core/notify/dispatcher';
import { appendEvent } from '../core/notify/outbox';
import { applyAction, dueAt, needsOverdueReminder, stageName } from '../domain/grievance';
import { storedDoc, timeKey } from '../domain/grievance-tally';
import { roleKey } from '../domain/roles';
import { mapLimit } from '../core/jobs';
import { categoryName, communityConfig } from './config';

const WAITING = ['submitted', 'accepted', 'dispatched', 'inProgress', 'reopened', 'escalated'];

async function whoMustAct(g: Grievance): Promise<string[]> {
  if (g.handler && (g.stage === 'dispatched' || g.stage === 'inProgress')) {
    if (g.handler.kind !== 'unit') return [g.handler.id];
    const staff = await getAll<User>(
      collection('users').where({ roleKeys: roleKey('unitStaff', { unitId: g.handler.id }) }),
    );
    return staff.map((u) => u.openid);
  }
  // Waiting for acceptance or dispatch: the community's workers (the street admin when escalated).
  const key = g.stage === 'escalated' ? roleKey('admin') : roleKey('worker', { communityId: g.communityId });
  const staff = await getAll<User>(collection('users').where({ roleKeys: key }));
  return staff.map((u) => u.openid);
}

/** Grievances reminded per timer run (the rest wait for the next run, oldest deadline first). */
const REMIND_BATCH = 50;

/**
 * Timer step: finds the grievances whose current deadline has passed without a reminder through
 * the `remindKey` index (no scan of open grievances), flags each once and reminds whoever must act.
 */
export async function remindOverdueGrievances(now: number): Promise<{ reminded: number }> {
  const { data } = await collection('grievances')
    .where({ remindKey: cmd().lt(timeKey(now)) })
    .orderBy('remindKey', 'asc')
    .limit(REMIND_BATCH)
    .get();
  const candidates = (data as Grievance[]).filter(
    (g) => WAITING.includes(g.stage) && needsOverdueReminder(g, now),
  );
  const ids = await mapLimit(candidates, 5, async (g) => {
    const [recipients, config] = await Promise.all([whoMustAct(g), communityConfig(g.communityId)]);
    return transaction(async (t) => {
      const current = await t.get<Grievance>('grievances', g._id);
      if (!current || !needsOverdueReminder(current, now)) return undefined;
      const { patch, entry } = applyAction(current, 'remindOverdue', {}, { role: 'system' }, now);
      // Stored through storedDoc so the index fields follow (remindKey goes once reminded).
      await t.set(
        'grievances',
        g._id,
        storedDoc({ ...current, ...patch, timeline: [...current.timeline, entry] }),
      );
      if (recipients.length === 0) return undefined;
      return appendEvent(
        t,
        {
          kind: 'grievanceTask',
          payload: {
            grievanceId: g._id,
            number: g.number,
            categoryName: categoryName(config, g.category),
            stageName: '超期',
            summary: `已超过时限（${stageName(g.stage)}），请尽快处理`,
            ...(dueAt(g) !== undefined ? { dueAt: dueAt(g) } : {}),
          },
          recipients: { openids: recipients },
        },
        now,
      );
    });
  });
  const eventIds = ids.filter((id): id is string => id !== undefined);
  if (eventIds.length) await dispatchEvents(eventIds, now);
  return { reminded: eventIds.length };
}
