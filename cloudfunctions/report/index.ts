/**
 * Cloud function `report`: worker reports — Excel exports built in a background job (./job),
 * stored through the storage adapter and handed out at an expiring link.
 */
import { createFunction } from '../core/function';
import { actions, schemas } from './actions';

export const main = createFunction('report', schemas, actions);
