/**
 * Cloud function `alliance`: 区域化党建 — 驻区单位 and their staff, the three lists (needs,
 * resources, projects), in-service members reporting, and unit and member records.
 */
import { createFunction } from '../core/function';
import { actions, schemas } from './actions';

export const main = createFunction('alliance', schemas, actions);
