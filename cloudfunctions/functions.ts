/**
 * Every cloud function's entry, by name. The local server serves exactly these modules; the build
 * bundles each folder's index.ts on its own (this file is not part of any bundle).
 */
import type { FunctionName, SystemFunctionName } from '../types/api';
import type { CloudMain } from './core/function';
import { main as activity } from './activity';
import { main as alliance } from './alliance';
import { main as board } from './board';
import { main as branch } from './branch';
import { main as grievance } from './grievance';
import { main as notify } from './notify';
import { main as points } from './points';
import { main as report } from './report';
import { main as sites } from './sites';
import { main as service } from './service';
import { main as timer } from './timer';
import { main as user } from './user';
import { main as volunteer } from './volunteer';

/** Functions the app calls (over HTTP locally). */
export const FUNCTIONS: Record<FunctionName, CloudMain> = {
  user,
  activity,
  notify,
  grievance,
  alliance,
  volunteer,
  points,
  report,
  board,
  sites,
  service,
  branch,
};

/** Functions only triggers run (the local scheduler runs them). */
export const SYSTEM_FUNCTIONS: Record<SystemFunctionName, typeof timer> = { timer };

/** Every deployable function folder. */
export const FUNCTION_NAMES = [...Object.keys(FUNCTIONS), ...Object.keys(SYSTEM_FUNCTIONS)] as (
  FunctionName | SystemFunctionName
)[];
