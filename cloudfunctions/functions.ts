/**
 * Every cloud function's entry, by name. The local server serves exactly these modules; the build
 * bundles each folder's index.ts on its own (this file is not part of any bundle).
 */
import type { FunctionName } from '../types/api';
import type { CloudMain } from './core/function';
import { main as activity } from './activity';
import { main as user } from './user';

export const FUNCTIONS: Record<FunctionName, CloudMain> = { user, activity };

export const FUNCTION_NAMES = Object.keys(FUNCTIONS) as FunctionName[];
