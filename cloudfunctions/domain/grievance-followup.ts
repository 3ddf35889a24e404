/**
 * 回访 of resolved grievances left unrated (issue 15 item 2). Pure. A resolved grievance without
 * a rating gets a message 24 h after its resolution, a second 3 days after it, and 7 days after
 * it closes as 未评价: counted apart in the 三率 (`unrated`), never as rated or satisfied.
 */
import type { Grievance } from '../../types/domain';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

export const FOLLOW_UP = { firstAfter: DAY, secondAfter: 3 * DAY, closeAfter: 7 * DAY };

export type FollowUpStep = 'first' | 'second' | 'close';

type View = Pick<Grievance, 'stage' | 'resolvedAt' | 'rating' | 'followUpsSent' | 'unratedAt'>;

/** The next 回访 step and when it is due; none unless resolved, unrated and still open. */
export function nextFollowUp(g: View): { step: FollowUpStep; at: number } | undefined {
  if (g.stage !== 'resolved' || g.rating || g.unratedAt !== undefined || g.resolvedAt === undefined)
    return undefined;
  const sent = g.followUpsSent ?? 0;
  if (sent === 0) return { step: 'first', at: g.resolvedAt + FOLLOW_UP.firstAfter };
  if (sent === 1) return { step: 'second', at: g.resolvedAt + FOLLOW_UP.secondAfter };
  return { step: 'close', at: g.resolvedAt + FOLLOW_UP.closeAfter };
}

/** The step due at `now`, if any. */
export function followUpDue(g: View, now: number): FollowUpStep | undefined {
  const next = nextFollowUp(g);
  return next && now >= next.at ? next.step : undefined;
}

/** What a step changes, and its one timeline entry. */
export function applyFollowUp(
  g: Grievance,
  step: FollowUpStep,
  now: number,
): { patch: Partial<Grievance>; entry: Grievance['timeline'][number] } {
  const patch: Partial<Grievance> = { updatedAt: now };
  let note: string;
  if (step === 'close') {
    patch.unratedAt = now;
    patch.closedAt = now;
    note = '回访后仍未评价，按未评价结案';
  } else {
    patch.followUpsSent = (g.followUpsSent ?? 0) + 1;
    note = step === 'first' ? '办结 24 小时未评价，已发送回访' : '办结 3 天未评价，已再次回访';
  }
  return {
    patch,
    entry: {
      action: step === 'close' ? 'closeUnrated' : 'followUp',
      at: now,
      actorRole: 'system',
      stageAfter: g.stage,
      note,
    },
  };
}
