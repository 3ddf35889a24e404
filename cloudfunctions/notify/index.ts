/** Cloud function `notify`: the message centre, subscription answers and notification settings. */
import { createFunction } from '../core/function';
import { actions, schemas } from './actions';

export const main = createFunction('notify', schemas, actions);
