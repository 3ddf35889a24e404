/**
 * No-shows (issue 14 item 3): who signed up, was confirmed and never checked in, and the keys of
 * the per-person yearly counters. Pure functions.
 */
import type { Activity, SignUp } from '../../types/domain';

/** An ended activity is tallied into the yearly counts this long after its end (late 补卡 first). */
export const NO_SHOW_TALLY_DELAY_MS = 3 * 24 * 3600_000;

import { shanghaiYear } from './shanghai';

export { shanghaiYear };

/** The year an activity's no-shows count in: the year it started, in Shanghai. */
export const noShowYear = (a: Pick<Activity, 'startAt'>): number => shanghaiYear(a.startAt);

/** Confirmed (holding a place) when the activity ended and never checked in. */
export function isNoShow(s: Pick<SignUp, 'status' | 'checkInAt'>): boolean {
  return s.status === 'confirmed' && s.checkInAt === undefined;
}

/** Whether an activity's tally may run now: ended at least the delay ago, not cancelled. */
export function tallyDue(a: Pick<Activity, 'endAt' | 'status'>, now: number): boolean {
  return a.status === 'published' && now >= a.endAt + NO_SHOW_TALLY_DELAY_MS;
}

export const noShowCountId = (communityId: string, year: number, openid: string) =>
  `${communityId}_${year}_${openid}`;

const RANK_MAX = 999_999;

/** Sorts ascending as "most no-shows first, then by openid". */
export function noShowRankKey(count: number, openid: string): string {
  return `${String(RANK_MAX - Math.min(count, RANK_MAX)).padStart(6, '0')}_${openid}`;
}
