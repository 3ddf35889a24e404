/**
 * Cloud function `sites`: 阵地 booking — bookable rooms of the 党群服务中心 and units' opened
 * venues, 30-minute slots held by one document each, approval, cancellation and check-in.
 */
import { createFunction } from '../core/function';
import { actions, schemas } from './actions';

export const main = createFunction('sites', schemas, actions);
