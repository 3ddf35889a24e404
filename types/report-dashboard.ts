/**
 * Dashboards (issue 14 item 1): `report.dashboard` (a worker's community) and
 * `report.streetDashboard` (the street admin: every community side by side). Figures come from
 * counters (dashboard_stats, grievance_stats) and indexed counts, never from whole collections.
 */
import { z } from 'zod';
import type { ActivityType } from './domain';
import type { HourSource } from './volunteer';

export const dashboardPeriodSchema = z
  .object({
    kind: z.enum(['month', 'quarter', 'year'], { message: '请选择月、季或年' }),
    year: z.number().int().min(2000, '年份不正确').max(2100, '年份不正确'),
    index: z.number().int().min(1, '期间不正确').max(12, '期间不正确'),
  })
  .strict()
  .refine((p) => p.kind !== 'quarter' || p.index <= 4, { message: '季度应为 1–4', path: ['index'] });

const id = z.string().trim().min(1, '缺少编号').max(64, '编号过长');

export const dashboardSchemas = {
  dashboard: z.object({ communityId: id.optional(), period: dashboardPeriodSchema }).strict(),
  streetDashboard: z.object({ period: dashboardPeriodSchema }).strict(),
};

export type DashboardPeriod = z.infer<typeof dashboardPeriodSchema>;

/** Sign-ups and attendance of activities starting in a month, by activity type. */
export interface ParticipationRow {
  month: string; // 'YYYYMM'
  signUps: number;
  attended: number;
  noShows: number;
  /** attended / signUps (0–1, 4 decimals), 0 when none. */
  attendanceRate: number;
  byType: Record<ActivityType, { signUps: number; attended: number; noShows: number }>;
}

export interface ServiceRow {
  month: string;
  recordedHours: number;
  grantedHours: number;
  /**
   * The month's hours (recorded + granted) by where they came from: the activity type checked out
   * of, `service` (微心愿), `granted` (by a worker), `other` (entries without a source).
   */
  hoursByCategory: Record<HourSource, number>;
  pointsIssued: number;
  /** Points spent in the mall less those refunded when a redemption was cancelled. */
  pointsRedeemed: number;
  pointsExpired: number;
  activeVolunteers: number;
  /** Points in / out by category (earned, refund, adjusted / redeemed, expired, adjusted). */
  pointsIn: Record<string, number>;
  pointsOut: Record<string, number>;
}

export interface HoursByCategoryRow {
  month: string;
  byCategory: Record<HourSource, number>;
}

export interface GrievanceTrendRow {
  month: string;
  received: number;
  responseRate: number;
  resolutionRate: number;
  satisfactionRate: number;
  byCategory: GrievanceCategoryRates[];
}

/** A grievance category's 三率 (from its grievance_stats buckets), with its name. */
export interface GrievanceCategoryRates {
  category: string;
  name: string;
  received: number;
  responseRate: number;
  resolutionRate: number;
  satisfactionRate: number;
}

export interface UnitContribution {
  unitId: string;
  unitName: string;
  claims: number;
  completedProjects: number;
  avgRating: number | null;
  resourcesProvided: number;
  activitiesCoHosted: number;
  membersReported: number;
  memberHours: number;
}

/** The headline figures of a period (also one column of the street view). */
export interface DashboardHeadline {
  signUps: number;
  attended: number;
  noShows: number;
  attendanceRate: number;
  recordedHours: number;
  grantedHours: number;
  /** The period's hours by where they came from (as ServiceRow). */
  hoursByCategory: Record<HourSource, number>;
  pointsIssued: number;
  pointsRedeemed: number;
  /** Distinct volunteers with hours in the period's months, summed per month. */
  activeVolunteerMonths: number;
  grievancesReceived: number;
  responseRate: number;
  resolutionRate: number;
  satisfactionRate: number;
  /** Grievances of the period whose current deadline has passed (now). */
  grievancesOverdue: number;
}

export interface Dashboard {
  communityId: string;
  communityName: string;
  period: DashboardPeriod;
  label: string;
  months: string[];
  headline: DashboardHeadline;
  participation: ParticipationRow[];
  service: ServiceRow[];
  grievances: GrievanceTrendRow[];
  /** Each category's 三率 over the whole period (tallies summed, then the rates), most received first. */
  grievanceByCategory: GrievanceCategoryRates[];
  /** The units of the community for the period's year (alliance records). */
  units: UnitContribution[];
}

export interface StreetDashboard {
  period: DashboardPeriod;
  label: string;
  communities: {
    communityId: string;
    communityName: string;
    headline: DashboardHeadline;
    /** Hours by where they came from, per month of the period. */
    hours: HoursByCategoryRow[];
  }[];
}
