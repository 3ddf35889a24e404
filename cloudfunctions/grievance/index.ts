/** Cloud function `grievance`: 群众诉求 · 接诉即办 — submit, dispatch, handle, close and rate. */
import { createFunction } from '../core/function';
import { actions, schemas } from './actions';

export const main = createFunction('grievance', schemas, actions);
