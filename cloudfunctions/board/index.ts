/**
 * Cloud function `board`: a community's public board (公示栏) and its notices (公告).
 */
import { createFunction } from '../core/function';
import { actions, schemas } from './actions';

export const main = createFunction('board', schemas, actions);
