/** The action table of the `branch` function (see ./index). */
import { branchSchemas } from '../../types/branch-schemas';
import { defineActions } from '../core/function';
import { complianceActions } from './compliance';
import { directoryActions } from './directory';
import { meetingActions } from './meetings';
import { rosterActions } from './roster';

export const schemas = branchSchemas;

export const actions = defineActions('branch', {
  ...rosterActions,
  ...directoryActions,
  ...meetingActions,
  ...complianceActions,
});
