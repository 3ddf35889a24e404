/**
 * Regional alliance (区域化党建): 驻区单位 and their staff, the three lists (needs, resources,
 * projects), in-service members reporting to their community, and the records built from them.
 * Stored documents first, then the views responses carry.
 */
import type { ActivityType, Unit, UnitType } from './domain';

// ---------- stored documents ----------

/** A 驻区单位 as stored: the shared `Unit` fields plus contact and its unit admins. */
export interface AllianceUnit extends Unit {
  contact: string;
  /** Staff who may invite and remove colleagues (the redeemers of admin invites). */
  adminOpenids: string[];
  createdBy?: string;
  createdAt?: number;
  updatedAt?: number;
}

/**
 * A one-time invite code. Only a keyed hash of the code is stored (as `_id`), so the database
 * never holds a code anyone could redeem; the code itself is shown once, to the issuer.
 */
export interface UnitInvite {
  _id: string;
  unitId: string;
  /** The redeemer becomes a unit admin. */
  asAdmin: boolean;
  issuedBy: string;
  createdAt: number;
  expiresAt: number;
  usedBy?: string;
  usedAt?: number;
}

/** 需求清单 entry. */
export interface Need {
  _id: string;
  communityId: string;
  title: string;
  description: string;
  category: string;
  /** Where it came from: gathered by a worker, or promoted from a grievance. */
  source: 'worker' | 'grievance';
  grievanceId?: string;
  /** open, or taken up by a project (inProject). */
  status: 'open' | 'inProject';
  createdBy: string;
  createdAt: number;
}

export type ResourceKind = 'venue' | 'expertise' | 'volunteers' | 'funds' | 'goods';

/** 资源清单 entry: what a unit offers. */
export interface Resource {
  _id: string;
  unitId: string;
  unitName: string;
  /** Copied from the unit: the communities the resource serves. */
  communityIds: string[];
  kind: ResourceKind;
  title: string;
  description: string;
  /** Free text, e.g. 可容纳 80 人. */
  capacity: string;
  /** Free text, e.g. 周末 9:00–17:00. */
  availability: string;
  status: 'active' | 'withdrawn';
  createdBy: string;
  createdAt: number;
}

export type AnswerStatus = 'pending' | 'accepted' | 'declined';

/** A worker asks a unit for one of its resources. */
export interface ResourceRequest {
  _id: string;
  resourceId: string;
  resourceTitle: string;
  kind: ResourceKind;
  unitId: string;
  unitName: string;
  communityId: string;
  requestedBy: string;
  note: string;
  status: AnswerStatus;
  answerNote?: string;
  answeredBy?: string;
  answeredAt?: number;
  createdAt: number;
}

export type ProjectStatus = 'open' | 'completed';

/** Append-only project timeline entry: unit progress, worker milestones and completion. */
export interface ProjectUpdate {
  kind: 'progress' | 'milestone' | 'completed';
  at: number;
  byOpenid: string;
  unitId?: string;
  unitName?: string;
  text: string;
  photos: string[];
}

/** 项目清单 entry: a co-governance project (共治项目). */
export interface Project {
  _id: string;
  communityId: string;
  title: string;
  goal: string;
  tasks: string[];
  /** Budget and resources wanted, free text. */
  wanted: string;
  deadline: number;
  /** How many units may hold a claim (pending or approved) at once. */
  maxClaims: number;
  needIds: string[];
  status: ProjectStatus;
  /** Claims not declined (pending + approved): checked against maxClaims in the claim transaction. */
  activeClaims: number;
  approvedClaims: number;
  ratingCount: number;
  ratingSum: number;
  updates: ProjectUpdate[];
  createdBy: string;
  createdAt: number;
  updatedAt: number;
  completedAt?: number;
}

export type ClaimStatus = 'pending' | 'approved' | 'declined';

/** A unit's claim (认领) of a project; `_id` = `${projectId}_${unitId}`: one per unit. */
export interface ProjectClaim {
  _id: string;
  projectId: string;
  communityId: string;
  unitId: string;
  unitName: string;
  plan: string;
  status: ClaimStatus;
  reason?: string;
  claimedBy: string;
  createdAt: number;
  reviewedAt?: number;
  reviewedBy?: string;
}

/** One rating per person per project; `_id` = `${projectId}_${openid}`. */
export interface ProjectRating {
  _id: string;
  projectId: string;
  openid: string;
  raterRole: 'worker' | 'resident';
  stars: number;
  comment?: string;
  at: number;
}

export type ReportStatus = 'pending' | 'confirmed' | 'rejected' | 'withdrawn';

export interface ServicePostHeld {
  name: string;
  since: number;
  until?: number;
}

/** 在职党员到社区报到. */
export interface MemberReport {
  _id: string;
  openid: string;
  communityId: string;
  employerUnitId?: string;
  employerName: string;
  partyOrg: string;
  status: ReportStatus;
  reason?: string;
  posts: ServicePostHeld[];
  createdAt: number;
  updatedAt: number;
  reviewedAt?: number;
  reviewedBy?: string;
  /** When the community confirmed it (kept after a withdrawal, for the records). */
  confirmedAt?: number;
  withdrawnAt?: number;
}

/** Per member (`_id` = openid): the report that is pending or confirmed now, if any. */
export interface ReportHead {
  _id: string;
  activeReportId?: string;
}

/** Per community (`_id` = communityId): service posts and the yearly hours target. */
export interface AllianceSettings {
  _id: string;
  servicePosts: string[];
  yearlyTargetHours: number;
}

export type ProposalStatus = 'pending' | 'approved' | 'declined';

/**
 * A unit's proposal for an alliance activity in an allied community. A worker of that community
 * approves it (an activity is published through the activity rules, the unit among its hosts)
 * or declines it with a reason.
 */
export interface ActivityProposal {
  _id: string;
  communityId: string;
  unitId: string;
  unitName: string;
  type: ActivityType;
  title: string;
  description: string;
  placeName: string;
  /** One of the unit's own venue resources, offered for the activity. */
  venueResourceId?: string;
  venueTitle?: string;
  startAt: number;
  endAt: number;
  /** 0 = unlimited */
  capacity: number;
  status: ProposalStatus;
  reason?: string;
  /** The activity published on approval. */
  activityId?: string;
  proposedBy: string;
  createdAt: number;
  reviewedAt?: number;
  reviewedBy?: string;
}

// ---------- views ----------

export interface UnitView {
  _id: string;
  name: string;
  type: UnitType;
  address: string;
  partyOrg: string;
  contact: string;
  communityIds: string[];
}

export interface Colleague {
  openid: string;
  nickName: string;
  isAdmin: boolean;
}

export interface MyUnitView {
  unit: UnitView;
  isAdmin: boolean;
  colleagues: Colleague[];
}

export interface InviteView {
  /** Shown once; only its keyed hash is stored. */
  code: string;
  unitId: string;
  unitName: string;
  asAdmin: boolean;
  expiresAt: number;
}

/** claiming: open for claims; full: every place is taken; closed: deadline passed. */
export type ProjectPhase = 'claiming' | 'full' | 'closed' | 'completed';

export interface ProjectSummary {
  _id: string;
  communityId: string;
  title: string;
  goal: string;
  deadline: number;
  maxClaims: number;
  activeClaims: number;
  approvedClaims: number;
  status: ProjectStatus;
  phase: ProjectPhase;
  /** Average stars (1 decimal), null before any rating. */
  avgRating: number | null;
  ratingCount: number;
  createdAt: number;
}

export type ClaimView = Omit<ProjectClaim, 'claimedBy' | 'reviewedBy'>;
export type ProjectUpdateView = Omit<ProjectUpdate, 'byOpenid' | 'photos'> & { photoUrls: string[] };

export type ProjectActionName = 'claim' | 'review' | 'progress' | 'milestone' | 'complete' | 'rate';

export interface ProjectDetail extends ProjectSummary {
  tasks: string[];
  wanted: string;
  needs: Pick<Need, '_id' | 'title'>[];
  claims: ClaimView[];
  updates: ProjectUpdateView[];
  myRating?: number;
  /** What the caller may do now (the server checks again). */
  can: Partial<Record<ProjectActionName, boolean>>;
}

export interface ReportView extends MemberReport {
  nickName: string;
  communityName: string;
}

export interface ServicePostView {
  name: string;
  holders: number;
  mine: boolean;
}

export interface MemberRecord {
  openid: string;
  nickName: string;
  year: number;
  targetHours: number;
  hours: number;
  /** hours / target, capped at 1. */
  progress: number;
  /** activities + grievances + posts held during the year + 微心愿 completed. */
  services: number;
  /** 微心愿: service requests completed in the year (present when any). */
  serviceRequests?: number;
  activities: { activityId: string; title: string; endAt: number; hours: number }[];
  grievances: { grievanceId: string; number: string; resolvedAt: number }[];
  posts: { communityId: string; name: string; since: number; until?: number }[];
  report?: Pick<MemberReport, 'communityId' | 'employerName' | 'employerUnitId' | 'partyOrg' | 'status'>;
}

export type ProposalView = Omit<ActivityProposal, 'proposedBy' | 'reviewedBy'> & { communityName: string };

/** A member whose confirmed report names the unit as employer, with the year's hours. */
export interface UnitMember {
  openid: string;
  nickName: string;
  communityId: string;
  communityName: string;
  partyOrg: string;
  /** confirmed, or withdrawn (moved away) during the year. */
  reportStatus: ReportStatus;
  confirmedAt: number;
  hours: number;
  targetHours: number;
  /** hours / target, capped at 1. */
  progress: number;
}

export interface UnitMembersView {
  unitId: string;
  unitName: string;
  year: number;
  items: UnitMember[];
}

/** A member's annual record as CSV (UTF-8 with BOM) for the employer organisation. */
export interface MemberRecordExport {
  fileName: string;
  csv: string;
}

export interface UnitRecord {
  unitId: string;
  unitName: string;
  year: number;
  claims: number;
  approvedClaims: number;
  completedProjects: number;
  /** Average of completed projects' average ratings (1 decimal), null when none is rated. */
  avgRating: number | null;
  resourcesProvided: number;
  activitiesCoHosted: number;
  membersReported: number;
  memberHours: number;
  /** 阵地 booking: venues the unit opened for booking in the year and their confirmed bookings. */
  venuesOpened?: number;
  siteBookings?: number;
  /** 微心愿: service requests the unit completed in the year (present when any). */
  serviceRequests?: number;
  score: number;
}

export interface UnitRanking {
  communityId: string;
  year: number;
  /** How the score is computed, for the page. */
  formula: string;
  items: (UnitRecord & { rank: number })[];
}
