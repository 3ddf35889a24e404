/**
 * Cloud function `points`: 积分制 — the points ledger and balance, worker adjustments, and the
 * points mall (积分超市): goods, atomic redemptions, pickup codes, cancellations.
 */
import { createFunction } from '../core/function';
import { actions, schemas } from './actions';

export const main = createFunction('points', schemas, actions);
