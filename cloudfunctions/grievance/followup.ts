/**
 * Timer step: 回访 of resolved grievances left unrated — a message 24 h after the resolution, a
 * second after 3 days, then closed as 未评价 after 7 days (counters: `unrated`, never satisfied).
 * Found through the `follow_up_due` index on `followUpKey`, bounded per run like overdue.ts.
 */
import type { Grievance } from '../../types/domain';
import { cmd, collection, transaction } from '../core/db';
import { mapLimit } from '../core/jobs';
import { dispatchEvents } from '../core/notify/dispatcher';
import { appendEvent } from '../core/notify/outbox';
import { stageName } from '../domain/grievance';
import { applyFollowUp, followUpDue } from '../domain/grievance-followup';
import { timeKey } from '../domain/grievance-tally';
import { writeGrievance } from './actions';
import { categoryName, communityConfig } from './config';

/** Grievances handled per timer run (the rest wait for the next run, oldest step first). */
const FOLLOW_UP_BATCH = 50;

export async function followUpUnrated(now: number): Promise<{ followedUp: number; closed: number }> {
  const { data } = await collection('grievances')
    .where({ followUpKey: cmd().lt(timeKey(now)) })
    .orderBy('followUpKey', 'asc')
    .limit(FOLLOW_UP_BATCH)
    .get();
  let followedUp = 0;
  let closed = 0;
  const ids = await mapLimit(
    (data as Grievance[]).filter((g) => followUpDue(g, now)),
    5,
    async (early) => {
      const config = await communityConfig(early.communityId);
      return transaction(async (t) => {
        const g = await t.get<Grievance>('grievances', early._id);
        const step = g && followUpDue(g, now);
        if (!g || !step) return undefined;
        const { patch, entry } = applyFollowUp(g, step, now);
        const next: Grievance = { ...g, ...patch, timeline: [...g.timeline, entry] };
        const [, eventId] = await Promise.all([
          writeGrievance(t, g, next, config.policy, new Map()),
          appendEvent(
            t,
            {
              kind: 'grievanceStatus',
              payload: {
                grievanceId: g._id,
                number: g.number,
                categoryName: categoryName(config, g.category),
                stageName: step === 'close' ? '已结案' : stageName(g.stage),
                summary:
                  step === 'close'
                    ? '未收到你的评价，已按未评价结案'
                    : '已办结，请对办理结果作出评价（回访）',
              },
              recipients: { openids: [g.openid] },
            },
            now,
          ),
        ]);
        if (step === 'close') closed += 1;
        else followedUp += 1;
        return eventId;
      });
    },
  );
  const eventIds = ids.filter((id): id is string => typeof id === 'string');
  if (eventIds.length) await dispatchEvents(eventIds, now);
  return { followedUp, closed };
}
