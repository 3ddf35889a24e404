/**
 * Cloud function `volunteer`: 服务实名制 — real-name registration and its review, service
 * listings (each session an activity), check-in and check-out, recorded and granted hours,
 * 补卡 and correction requests, stars, certificates and rankings.
 */
import { createFunction } from '../core/function';
import { actions, schemas } from './actions';

export const main = createFunction('volunteer', schemas, actions);
