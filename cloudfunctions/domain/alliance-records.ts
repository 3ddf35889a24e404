/**
 * Records built from the alliance's data: a member's annual service record and a unit's record
 * for its annual evaluation (文明单位评比), with the ranking score. Pure functions over documents
 * the handler has loaded; years are Asia/Shanghai calendar years.
 */
import type {
  Activity,
  Grievance,
  MemberRecord,
  MemberReport,
  Project,
  ProjectClaim,
  ResourceRequest,
  SignUp,
  UnitRecord,
} from '../../types/domain';
import { SHANGHAI_OFFSET_MS as SHANGHAI_OFFSET } from './shanghai';

/** [from, to) of a calendar year in Asia/Shanghai. */
export function yearRange(year: number): { from: number; to: number } {
  return { from: Date.UTC(year, 0, 1) - SHANGHAI_OFFSET, to: Date.UTC(year + 1, 0, 1) - SHANGHAI_OFFSET };
}

export { shanghaiYear } from './shanghai';

const round1 = (n: number) => Math.round(n * 10) / 10;
const within = (t: number | undefined, r: { from: number; to: number }) =>
  t !== undefined && t >= r.from && t < r.to;

type ActivityFacts = Pick<Activity, '_id' | 'title' | 'endAt' | 'hours' | 'status'>;

/**
 * Activities that count for a person: confirmed sign-ups of activities not cancelled that ended
 * within the range and before now. Hours are the activity's `hours`.
 */
export function servedActivities(
  signUps: Pick<SignUp, 'activityId' | 'status'>[],
  activities: Map<string, ActivityFacts>,
  range: { from: number; to: number },
  now: number,
): MemberRecord['activities'] {
  const out: MemberRecord['activities'] = [];
  for (const s of signUps) {
    const a = activities.get(s.activityId);
    if (s.status !== 'confirmed' || !a || a.status === 'cancelled') continue;
    if (!within(a.endAt, range) || a.endAt > now) continue;
    out.push({ activityId: a._id, title: a.title, endAt: a.endAt, hours: a.hours });
  }
  return out.sort((x, y) => x.endAt - y.endAt);
}

export const sumHours = (items: { hours: number }[]) => round1(items.reduce((n, i) => n + i.hours, 0));

export interface MemberRecordInput {
  openid: string;
  nickName: string;
  year: number;
  now: number;
  targetHours: number;
  signUps: Pick<SignUp, 'activityId' | 'status'>[];
  activities: Map<string, ActivityFacts>;
  /** Grievances dispatched to this member (handler kind 'member'). */
  grievances: Pick<Grievance, '_id' | 'number' | 'stage' | 'resolvedAt' | 'handler'>[];
  reports: MemberReport[];
}

/**
 * services = activities served + grievances resolved as handler + service posts held during the
 * year; hours = the activities' hours; progress = hours / target, capped at 1.
 */
export function memberYearRecord(input: MemberRecordInput): MemberRecord {
  const range = yearRange(input.year);
  const activities = servedActivities(input.signUps, input.activities, range, input.now);
  const grievances = input.grievances
    .filter(
      (g) =>
        g.handler?.kind === 'member' &&
        g.handler.id === input.openid &&
        (g.stage === 'resolved' || g.stage === 'rated') &&
        within(g.resolvedAt, range),
    )
    .map((g) => ({ grievanceId: g._id, number: g.number, resolvedAt: g.resolvedAt as number }))
    .sort((a, b) => a.resolvedAt - b.resolvedAt);
  const posts = input.reports
    .flatMap((r) => r.posts.map((p) => ({ communityId: r.communityId, ...p })))
    .filter((p) => p.since < range.to && (p.until ?? Number.POSITIVE_INFINITY) >= range.from)
    .sort((a, b) => a.since - b.since);
  const hours = sumHours(activities);
  const latest = [...input.reports].sort((a, b) => b.createdAt - a.createdAt)[0];
  return {
    openid: input.openid,
    nickName: input.nickName,
    year: input.year,
    targetHours: input.targetHours,
    hours,
    progress: input.targetHours > 0 ? Math.min(1, Math.round((hours / input.targetHours) * 1000) / 1000) : 1,
    services: activities.length + grievances.length + posts.length,
    activities,
    grievances,
    posts,
    ...(latest
      ? {
          report: {
            communityId: latest.communityId,
            employerName: latest.employerName,
            ...(latest.employerUnitId ? { employerUnitId: latest.employerUnitId } : {}),
            partyOrg: latest.partyOrg,
            status: latest.status,
          },
        }
      : {}),
  };
}

/** Reports that made the member one of the unit's reported members at some point in the range. */
export function reportedDuring(r: MemberReport, range: { from: number; to: number }): boolean {
  return (
    r.confirmedAt !== undefined &&
    r.confirmedAt < range.to &&
    (r.withdrawnAt ?? Number.POSITIVE_INFINITY) >= range.from
  );
}

/** Weights of the ranking score; keep SCORE_FORMULA in step. */
export const SCORE_WEIGHTS = {
  approvedClaims: 3,
  completedProjects: 10,
  /** Per star of each completed project's average rating. */
  ratingStars: 2,
  resourcesProvided: 4,
  activitiesCoHosted: 3,
  membersReported: 2,
  memberHours: 0.5,
} as const;

export const SCORE_FORMULA =
  '得分 = 3×认领通过数 + 10×完成项目数 + 2×各完成项目平均星级之和 + 4×提供资源次数 + 3×共办活动数 + 2×报到党员数 + 0.5×党员服务时长';

export interface UnitRecordInput {
  unit: { _id: string; name: string };
  year: number;
  /** This unit's claims (any time; filtered here). */
  claims: ProjectClaim[];
  /** The projects those claims are on, by id. */
  projects: Map<string, Pick<Project, '_id' | 'status' | 'completedAt' | 'ratingCount' | 'ratingSum'>>;
  /** Requests for this unit's resources. */
  requests: Pick<ResourceRequest, 'status' | 'answeredAt'>[];
  /** Activities listing this unit among their hosts (or, counted by the caller, how many of them
   *  started in the year and were not cancelled: `activitiesCoHosted`). */
  activities?: Pick<Activity, 'status' | 'startAt' | 'hostUnitIds'>[];
  activitiesCoHosted?: number;
  /** Reports naming this unit as employer. */
  reports: MemberReport[];
  /** Each reported member's activity hours in the year. */
  memberHours: Map<string, number>;
}

/**
 * A unit's record for a year: claims made, claims approved (by review time), projects completed
 * in the year on which it held an approved claim and their average rating, accepted resource
 * requests, co-hosted activities that started in the year (not cancelled), members whose
 * confirmed report covers part of the year, and those members' hours.
 */
export function unitYearRecord(input: UnitRecordInput): UnitRecord {
  const range = yearRange(input.year);
  const unitId = input.unit._id;
  const claims = input.claims.filter((c) => c.unitId === unitId);
  const approved = claims.filter((c) => c.status === 'approved');
  const completed = approved
    .map((c) => input.projects.get(c.projectId))
    .filter(
      (p): p is NonNullable<typeof p> => !!p && p.status === 'completed' && within(p.completedAt, range),
    );
  const projectAverages = completed.filter((p) => p.ratingCount > 0).map((p) => p.ratingSum / p.ratingCount);
  const ratingStars = projectAverages.reduce((n, a) => n + a, 0);
  const members = new Set(input.reports.filter((r) => reportedDuring(r, range)).map((r) => r.openid));
  const memberHours = round1([...members].reduce((n, o) => n + (input.memberHours.get(o) ?? 0), 0));
  const record = {
    unitId,
    unitName: input.unit.name,
    year: input.year,
    claims: claims.filter((c) => within(c.createdAt, range)).length,
    approvedClaims: approved.filter((c) => within(c.reviewedAt, range)).length,
    completedProjects: completed.length,
    avgRating: projectAverages.length ? round1(ratingStars / projectAverages.length) : null,
    resourcesProvided: input.requests.filter((r) => r.status === 'accepted' && within(r.answeredAt, range))
      .length,
    activitiesCoHosted:
      input.activitiesCoHosted ??
      (input.activities ?? []).filter(
        (a) => a.status !== 'cancelled' && a.hostUnitIds.includes(unitId) && within(a.startAt, range),
      ).length,
    membersReported: members.size,
    memberHours,
  };
  const w = SCORE_WEIGHTS;
  const score = round1(
    w.approvedClaims * record.approvedClaims +
      w.completedProjects * record.completedProjects +
      w.ratingStars * ratingStars +
      w.resourcesProvided * record.resourcesProvided +
      w.activitiesCoHosted * record.activitiesCoHosted +
      w.membersReported * record.membersReported +
      w.memberHours * record.memberHours,
  );
  return { ...record, score };
}

/**
 * Highest score first; ties broken by completed projects, then by name. Equal scores share a rank
 * (1, 1, 3) only when the tie-breakers are equal too.
 */
export function rankRecords(records: UnitRecord[]): (UnitRecord & { rank: number })[] {
  const sorted = [...records].sort(
    (a, b) =>
      b.score - a.score ||
      b.completedProjects - a.completedProjects ||
      a.unitName.localeCompare(b.unitName, 'zh'),
  );
  return sorted.map((r, i) => {
    let rank = i + 1;
    for (let j = i - 1; j >= 0; j--) {
      const prev = sorted[j]!;
      if (prev.score === r.score && prev.completedProjects === r.completedProjects) rank = j + 1;
      else break;
    }
    return { ...r, rank };
  });
}
