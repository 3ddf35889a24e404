/** Cloud function `user`: profile, roles and the community directory. */
import { createFunction } from '../core/function';
import { actions, schemas } from './actions';

export const main = createFunction('user', schemas, actions);
