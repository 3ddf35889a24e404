import { allianceSchemas } from '../../types/schemas';
import { defineActions } from '../core/function';
import { listActions } from './lists';
import { memberActions } from './members';
import { projectActions } from './projects';
import { proposalActions } from './proposals';
import { recordActions } from './records';
import { unitActions } from './units';

export const schemas = allianceSchemas;

export const actions = defineActions('alliance', {
  ...unitActions,
  ...listActions,
  ...projectActions,
  ...memberActions,
  ...recordActions,
  ...proposalActions,
});
