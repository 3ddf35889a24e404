/**
 * The worker's workbench (today's to-dos with counts) and the street admin's management of
 * communities, service sites and workers: views and the part of the `user` contract they add.
 */
import type { Action, In, UserView } from './api';
import type { Community, ServiceSite } from './domain';
import type { AdminSchemas } from './admin-schemas';

/** What waits for a community's workers now; every figure is an indexed count. */
export interface WorkbenchCounts {
  /** 志愿者登记 waiting for review. */
  registrations: number;
  /** Applications to sessions that need review (报名待审核). */
  signUps: number;
  /** Unit claims of co-governance projects waiting for approval. */
  claims: number;
  /** 在职党员报到 waiting for confirmation. */
  reports: number;
  /** Alliance activity proposals from units waiting for review. */
  proposals: number;
  /** Grievances waiting to be accepted (待受理). */
  grievancesNew: number;
  /** Open grievances whose current deadline falls later today (Asia/Shanghai). */
  grievancesDueToday: number;
  /** Open grievances past their current deadline. */
  grievancesOverdue: number;
  /** 补卡 requests waiting for review. */
  makeups: number;
  /** Data correction requests waiting for an answer. */
  corrections: number;
}

export interface WorkbenchView {
  communityId: string;
  counts: WorkbenchCounts;
  /** The activity with the oldest waiting application, to open its 待审核 list directly. */
  firstPendingActivityId?: string;
  at: number;
}

export interface StaffMember {
  openid: string;
  nickName: string;
  avatarUrl?: string;
  /** Communities the person works for. */
  communityIds: string[];
}

export interface UserAdminContract {
  workbench: Action<In<AdminSchemas['workbench']>, WorkbenchView, 'FORBIDDEN'>;
  pendingSignUps: Action<In<AdminSchemas['pendingSignUps']>, { pending: number }, 'FORBIDDEN' | 'NOT_FOUND'>;
  saveCommunity: Action<In<AdminSchemas['saveCommunity']>, Community, 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT'>;
  saveSite: Action<In<AdminSchemas['saveSite']>, ServiceSite, 'FORBIDDEN' | 'NOT_FOUND'>;
  listStaff: Action<In<AdminSchemas['listStaff']>, { items: StaffMember[] }, 'FORBIDDEN'>;
  findUsers: Action<In<AdminSchemas['findUsers']>, { items: UserView[] }, 'FORBIDDEN'>;
  appointWorker: Action<In<AdminSchemas['appointWorker']>, UserView, 'FORBIDDEN' | 'NOT_FOUND'>;
  removeWorker: Action<In<AdminSchemas['removeWorker']>, UserView, 'FORBIDDEN' | 'NOT_FOUND'>;
}
