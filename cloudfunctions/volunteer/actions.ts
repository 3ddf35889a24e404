import { volunteerSchemas } from '../../types/volunteer-schemas';
import { defineActions } from '../core/function';
import { attendanceActions } from './attendance';
import { recordActions } from './records';
import { registrationActions } from './registration';
import { serviceActions } from './services';

export const schemas = volunteerSchemas;

export const actions = defineActions('volunteer', {
  ...registrationActions,
  ...serviceActions,
  ...attendanceActions,
  ...recordActions,
});
