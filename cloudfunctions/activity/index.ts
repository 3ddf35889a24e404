/** Cloud function `activity`: publish, browse, sign up and manage activities. */
import { createFunction } from '../core/function';
import { actions, schemas } from './actions';

export const main = createFunction('activity', schemas, actions);
