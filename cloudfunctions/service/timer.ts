/**
 * Timer step for service requests, found through the `remind_due` index on `remindKey` (the time
 * of the next thing the timer must do), bounded per run: remind once per overdue deadline (workers
 * while waiting for review or a taker, the takers while being done), and close requests left
 * unconfirmed for 3 days as 已完成(未确认) (members' and units' yearly counters move then).
 */
import type { ServiceRequest } from '../../types/service';
import { cmd, collection, transaction } from '../core/db';
import { mapLimit } from '../core/jobs';
import { dispatchEvents } from '../core/notify/dispatcher';
import { appendEvent } from '../core/notify/outbox';
import { timeKey } from '../domain/grievance-tally';
import {
  applyServiceAction,
  needsAutoClose,
  needsOverdueReminder,
  storedRequest,
} from '../domain/service-request';
import { event, openCompletion, peopleOf, workersOf } from './common';

/** Requests handled per timer run (the rest wait for the next run, oldest first). */
const BATCH = 50;

export async function serviceTimerStep(now: number): Promise<{ reminded: number; closed: number }> {
  const { data } = await collection('service_requests')
    .where({ remindKey: cmd().lt(timeKey(now)) })
    .orderBy('remindKey', 'asc')
    .limit(BATCH)
    .get();
  let reminded = 0;
  let closed = 0;
  const ids = await mapLimit(data as ServiceRequest[], 5, async (early) => {
    const close = needsAutoClose(early, now);
    if (!close && !needsOverdueReminder(early, now)) return [];
    const recipients = close
      ? [early.openid, ...(await peopleOf(early.takers))]
      : early.stage === 'taken'
        ? await peopleOf(early.takers)
        : await workersOf(early.communityId);
    return transaction(async (t) => {
      const [r, finish] = await Promise.all([
        t.get<ServiceRequest>('service_requests', early._id),
        close ? openCompletion(t, early, now, { hours: [], count: true }) : Promise.resolve(undefined),
      ]);
      if (!r) return [];
      if (close ? !needsAutoClose(r, now) : !needsOverdueReminder(r, now)) return [];
      const { patch, entry } = applyServiceAction(
        r,
        close ? 'autoClose' : 'remindOverdue',
        {},
        { role: 'system' },
        now,
      );
      const next: ServiceRequest = { ...r, ...patch, timeline: [...r.timeline, entry] };
      const events = close
        ? event('serviceStatus', next, '3 天内未确认，已自动结单', recipients)
        : event('serviceTask', next, `${entry.note ?? '已超时'}，请尽快处理`, recipients);
      const writes = finish ? finish(next) : [];
      const { _id, ...doc } = { _id: next._id, ...storedRequest(next) };
      const [, , ...eventIds] = await Promise.all([
        t.set('service_requests', _id, doc),
        Promise.all(writes.map((w) => w())),
        ...events.map((e) => appendEvent(t, e, now)),
      ]);
      if (close) closed += 1;
      else reminded += 1;
      return eventIds as string[];
    });
  });
  const eventIds = ids.flat().filter((id): id is string => typeof id === 'string');
  if (eventIds.length) await dispatchEvents(eventIds, now);
  return { reminded, closed };
}
