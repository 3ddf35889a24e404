/** Cloud function `service`: 微心愿 · 点单 / 派单 / 接单 / 评单, and residents' ratings of activities. */
import { createFunction } from '../core/function';
import { actions, schemas } from './actions';

export const main = createFunction('service', schemas, actions);
