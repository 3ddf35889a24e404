/**
 * Cloud function `branch`: Party organisation life (issue 16) — branches and rosters, 三会一课 and
 * 主题党日 with roll-call and leave, minutes, compliance with the 支部工作条例, member records and
 * 党员责任区. Rules in ../domain/branch.ts; the timer steps in ./reminders.ts.
 */
import { createFunction } from '../core/function';
import { actions, schemas } from './actions';

export const main = createFunction('branch', schemas, actions);
