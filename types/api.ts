/**
 * The typed API contract: for each cloud function, its actions with request and response types and
 * the error codes they may return. Both the handlers (cloudfunctions/) and the app's client use it.
 */
import type { z } from 'zod';
import type {
  Activity,
  ActivityPhase,
  Community,
  DeadlinePolicy,
  ExtensionRequest,
  Grievance,
  GrievanceCategory,
  GrievanceHandler,
  GrievanceRating,
  GrievanceStage,
  TimelineEntry,
  Message,
  NotifyKind,
  SubscribeAnswer,
  RoleGrant,
  ServiceSite,
  SignUpStatus,
  Unit,
} from './domain';
import type { Schemas } from './schemas';
import type { ReportContract } from './report';
import type { BoardContract } from './board';
import type { SitesContract } from './sites';
import type { ServiceContract } from './service';
import type { BranchContract } from './branch';
import type {
  InviteView,
  MemberRecord,
  MemberRecordExport,
  ProposalView,
  UnitMembersView,
  MyUnitView,
  Need,
  ProjectDetail,
  ProjectSummary,
  ReportView,
  Resource,
  ResourceRequest,
  ServicePostView,
  UnitRanking,
  UnitRecord,
  UnitView,
} from './alliance';
import type { VolunteerContract } from './volunteer';
import type { NoticeContract } from './notices';
import type { PointsContract } from './points';
import type { UserAdminContract } from './admin';

export type ErrorCode =
  'INVALID_INPUT' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT' | 'RATE_LIMITED' | 'INTERNAL';

/** HTTP status used by the local server for each code. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  INVALID_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  INTERNAL: 500,
};

export interface ApiError {
  code: ErrorCode;
  message: string;
  /** Field-level messages for INVALID_INPUT, keyed by dotted path. */
  fields?: Record<string, string>;
}

export type Result<T> = { ok: true; data: T } | { ok: false; error: ApiError };

/** Cloud function event shape. */
export interface CallEvent<A extends string = string, D = unknown> {
  action: A;
  data?: D;
}

export interface Page<T> {
  items: T[];
  /** Pass back to get the next page; absent on the last page. */
  nextCursor?: string;
  total: number;
}

// ---------- views (what responses carry) ----------
export interface UserView {
  openid: string;
  nickName: string;
  avatarUrl?: string;
  roles: RoleGrant[];
  currentCommunityId?: string;
}

export interface MeView {
  user: UserView;
  communities: Community[];
}

export interface CommunitiesView {
  communities: Community[];
  units: Unit[];
  sites: ServiceSite[];
}

export interface ActivitySummary {
  _id: string;
  communityId: string;
  type: Activity['type'];
  title: string;
  placeName: string;
  startAt: number;
  endAt: number;
  capacity: number;
  confirmedCount: number;
  waitlistCount: number;
  audience: Activity['audience'];
  phase: ActivityPhase;
  /** The caller's own sign-up status, if any. */
  mySignUp?: SignUpStatus;
}

export interface ActivityDetail extends Omit<Activity, 'waitlist'> {
  phase: ActivityPhase;
  waitlistCount: number;
  hostUnits: Pick<Unit, '_id' | 'name'>[];
  communityName: string;
  mySignUp?: SignUpStatus;
  /** 1-based position on the waitlist when mySignUp is waitlisted. */
  myWaitlistPosition?: number;
  /** Whether the caller may sign up now, and if not, why (Chinese, for the button hint). */
  canSignUp: { ok: boolean; reason?: string };
  canCancel: { ok: boolean; reason?: string };
  /** True for the community's workers: they may edit, cancel and see participants. */
  canManage: boolean;
}

export interface SignUpResult {
  status: SignUpStatus;
  /** 1-based waitlist position when waitlisted. */
  waitlistPosition?: number;
  confirmedCount: number;
  /** True when the caller was already signed up and nothing changed. */
  alreadySignedUp: boolean;
}

export interface CancelSignUpResult {
  status: 'cancelled';
  /** openid of the waitlisted person who got the freed place, if any. */
  promoted?: string;
}

export interface MyActivity extends ActivitySummary {
  signUpStatus: SignUpStatus;
  signedUpAt: number;
}

export interface Participant {
  openid: string;
  nickName: string;
  status: SignUpStatus;
  signedUpAt: number;
  waitlistPosition?: number;
}

export interface MessageView extends Pick<Message, '_id' | 'kind' | 'title' | 'body' | 'page' | 'createdAt'> {
  read: boolean;
}

export interface TemplatesView {
  /** Template ids to pass to requestSubscribeMessage (≤ 3), only kinds the user wants to be asked about. */
  templates: { kind: NotifyKind; templateId: string; label: string }[];
}

export interface SubscribeResult {
  /** Remaining one-time quota per kind after applying the answers. */
  quotas: { kind: NotifyKind; quota: number; answer?: SubscribeAnswer }[];
}

export interface NotifyPreference {
  kind: NotifyKind;
  label: string;
  description: string;
  /** Whether the app asks to subscribe at the matching moment. */
  ask: boolean;
  /** Messages WeChat will still deliver for this kind (one per accept). */
  quota: number;
}

export interface GrievanceSummary {
  _id: string;
  number: string;
  communityId: string;
  category: string;
  categoryName: string;
  /** First 60 characters of the text. */
  preview: string;
  stage: GrievanceStage;
  priority: boolean;
  awaitingInfo: boolean;
  /** Past its current deadline (respond while waiting for acceptance, resolve after). */
  overdue: boolean;
  /** The deadline that applies now, if any. */
  dueAt?: number;
  handlerName?: string;
  createdAt: number;
}

/** A timeline entry as people see it: roles, never staff names (unless configured). */
export type TimelineView = Omit<TimelineEntry, 'actorOpenid' | 'photos'> & { photoUrls?: string[] };

export interface GrievanceDetail extends GrievanceSummary {
  text: string;
  photoUrls: string[];
  location?: Grievance['location'];
  /** Masked, e.g. 138****5678; the full number only through revealPhone. */
  phoneMasked?: string;
  isPublic: boolean;
  handler?: GrievanceHandler;
  respondBy: number;
  resolveBy?: number;
  extension?: ExtensionRequest;
  rating?: GrievanceRating;
  reopenCount: number;
  timeline: TimelineView[];
  /** Who the caller is here, and what they may do now (the server checks again). */
  viewer: 'owner' | 'manager' | 'handler' | 'public';
  can: Partial<Record<GrievanceActionName, boolean>>;
}

export type GrievanceActionName =
  | 'supplyInfo'
  | 'rate'
  | 'accept'
  | 'returnGrievance'
  | 'dispatch'
  | 'start'
  | 'askInfo'
  | 'progress'
  | 'resolve'
  | 'requestExtension'
  | 'decideExtension';

export interface GrievanceRates {
  received: number;
  accepted: number;
  /** Accepted within the respond limit. */
  respondedInTime: number;
  /** respondedInTime / received (0 when nothing received). */
  responseRate: number;
  /** Resolved (or rated) ones. */
  resolved: number;
  /** resolved / received. */
  resolutionRate: number;
  rated: number;
  /** satisfied + basic. */
  satisfied: number;
  /** satisfied / rated. */
  satisfactionRate: number;
  /** Closed as 未评价 after the 回访: apart from rated, never satisfied. */
  unrated: number;
  avgHoursToAccept: number | null;
  avgHoursToClose: number | null;
  overdue: number;
}

export interface GrievanceStats extends GrievanceRates {
  from: number;
  to: number;
  byCategory: (GrievanceRates & { category: string; name: string })[];
  byHandler: (GrievanceRates & { handler: string; name: string; kind: GrievanceHandler['kind'] })[];
}

export interface HandlerOption extends GrievanceHandler {
  description: string;
}

export type In<S extends z.ZodTypeAny> = z.input<S>;

export interface Action<Req, Res, Codes extends ErrorCode = never> {
  req: Req;
  res: Res;
  /** Codes this action may return besides INVALID_INPUT, UNAUTHENTICATED and INTERNAL. */
  errors: Codes;
}

export interface ApiContract {
  user: {
    me: Action<In<Schemas['user']['me']>, MeView>;
    updateProfile: Action<In<Schemas['user']['updateProfile']>, UserView>;
    switchCommunity: Action<In<Schemas['user']['switchCommunity']>, UserView, 'NOT_FOUND'>;
    communities: Action<In<Schemas['user']['communities']>, CommunitiesView>;
    grantRole: Action<In<Schemas['user']['grantRole']>, UserView, 'FORBIDDEN' | 'NOT_FOUND'>;
    revokeRole: Action<In<Schemas['user']['revokeRole']>, UserView, 'FORBIDDEN' | 'NOT_FOUND'>;
  } & UserAdminContract;
  activity: {
    publish: Action<In<Schemas['activity']['publish']>, ActivityDetail, 'FORBIDDEN' | 'NOT_FOUND'>;
    update: Action<In<Schemas['activity']['update']>, ActivityDetail, 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT'>;
    cancelActivity: Action<
      In<Schemas['activity']['cancelActivity']>,
      ActivityDetail,
      'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT'
    >;
    list: Action<In<Schemas['activity']['list']>, Page<ActivitySummary>>;
    detail: Action<In<Schemas['activity']['detail']>, ActivityDetail, 'NOT_FOUND'>;
    signUp: Action<In<Schemas['activity']['signUp']>, SignUpResult, 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT'>;
    cancelSignUp: Action<
      In<Schemas['activity']['cancelSignUp']>,
      CancelSignUpResult,
      'NOT_FOUND' | 'CONFLICT'
    >;
    mine: Action<In<Schemas['activity']['mine']>, Page<MyActivity>>;
    participants: Action<
      In<Schemas['activity']['participants']>,
      Page<Participant>,
      'FORBIDDEN' | 'NOT_FOUND'
    >;
    /** Sessions that need review: a worker confirms (or waitlists when full) or rejects a pending application. */
    reviewSignUp: Action<
      In<Schemas['activity']['reviewSignUp']>,
      Participant,
      'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT'
    >;
  } & NoticeContract;
  grievance: {
    categories: Action<
      In<Schemas['grievance']['categories']>,
      { categories: GrievanceCategory[]; policy: DeadlinePolicy }
    >;
    submit: Action<In<Schemas['grievance']['submit']>, GrievanceDetail, 'NOT_FOUND' | 'RATE_LIMITED'>;
    mine: Action<In<Schemas['grievance']['mine']>, Page<GrievanceSummary>>;
    detail: Action<In<Schemas['grievance']['detail']>, GrievanceDetail, 'FORBIDDEN' | 'NOT_FOUND'>;
    revealPhone: Action<
      In<Schemas['grievance']['revealPhone']>,
      { phone: string | null },
      'FORBIDDEN' | 'NOT_FOUND'
    >;
    supplyInfo: Action<
      In<Schemas['grievance']['supplyInfo']>,
      GrievanceDetail,
      'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT'
    >;
    rate: Action<In<Schemas['grievance']['rate']>, GrievanceDetail, 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT'>;
    queue: Action<In<Schemas['grievance']['queue']>, Page<GrievanceSummary>, 'FORBIDDEN'>;
    handlerQueue: Action<In<Schemas['grievance']['handlerQueue']>, Page<GrievanceSummary>>;
    accept: Action<
      In<Schemas['grievance']['accept']>,
      GrievanceDetail,
      'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT'
    >;
    returnGrievance: Action<
      In<Schemas['grievance']['returnGrievance']>,
      GrievanceDetail,
      'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT'
    >;
    dispatch: Action<
      In<Schemas['grievance']['dispatch']>,
      GrievanceDetail,
      'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT'
    >;
    start: Action<In<Schemas['grievance']['start']>, GrievanceDetail, 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT'>;
    askInfo: Action<
      In<Schemas['grievance']['askInfo']>,
      GrievanceDetail,
      'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT'
    >;
    progress: Action<
      In<Schemas['grievance']['progress']>,
      GrievanceDetail,
      'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT'
    >;
    resolve: Action<
      In<Schemas['grievance']['resolve']>,
      GrievanceDetail,
      'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT'
    >;
    requestExtension: Action<
      In<Schemas['grievance']['requestExtension']>,
      GrievanceDetail,
      'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT'
    >;
    decideExtension: Action<
      In<Schemas['grievance']['decideExtension']>,
      GrievanceDetail,
      'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT'
    >;
    stats: Action<In<Schemas['grievance']['stats']>, GrievanceStats, 'FORBIDDEN'>;
    handlers: Action<In<Schemas['grievance']['handlers']>, { handlers: HandlerOption[] }, 'FORBIDDEN'>;
  };
  notify: {
    templates: Action<In<Schemas['notify']['templates']>, TemplatesView>;
    subscribe: Action<In<Schemas['notify']['subscribe']>, SubscribeResult>;
    list: Action<In<Schemas['notify']['list']>, Page<MessageView> & { unread: number }>;
    unreadCount: Action<In<Schemas['notify']['unreadCount']>, { unread: number }>;
    markRead: Action<In<Schemas['notify']['markRead']>, { unread: number }>;
    preferences: Action<In<Schemas['notify']['preferences']>, { items: NotifyPreference[] }>;
    setPreference: Action<In<Schemas['notify']['setPreference']>, { items: NotifyPreference[] }>;
  };
  alliance: {
    registerUnit: Action<AllianceIn<'registerUnit'>, UnitView, 'FORBIDDEN' | 'NOT_FOUND'>;
    updateUnit: Action<AllianceIn<'updateUnit'>, UnitView, 'FORBIDDEN' | 'NOT_FOUND'>;
    listUnits: Action<AllianceIn<'listUnits'>, { units: UnitView[] }>;
    issueInvite: Action<AllianceIn<'issueInvite'>, InviteView, 'FORBIDDEN' | 'NOT_FOUND'>;
    redeemInvite: Action<AllianceIn<'redeemInvite'>, MyUnitView, 'NOT_FOUND' | 'CONFLICT'>;
    removeStaff: Action<AllianceIn<'removeStaff'>, MyUnitView, 'FORBIDDEN' | 'NOT_FOUND'>;
    myUnit: Action<AllianceIn<'myUnit'>, MyUnitView, 'FORBIDDEN'>;
    publishNeed: Action<AllianceIn<'publishNeed'>, Need, 'FORBIDDEN' | 'NOT_FOUND'>;
    listNeeds: Action<AllianceIn<'listNeeds'>, Page<Need>>;
    offerResource: Action<AllianceIn<'offerResource'>, Resource, 'FORBIDDEN'>;
    withdrawResource: Action<AllianceIn<'withdrawResource'>, Resource, 'FORBIDDEN' | 'NOT_FOUND'>;
    listResources: Action<AllianceIn<'listResources'>, Page<Resource>>;
    requestResource: Action<
      AllianceIn<'requestResource'>,
      ResourceRequest,
      'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT'
    >;
    answerResourceRequest: Action<
      AllianceIn<'answerResourceRequest'>,
      ResourceRequest,
      'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT'
    >;
    resourceRequests: Action<AllianceIn<'resourceRequests'>, Page<ResourceRequest>, 'FORBIDDEN'>;
    publishProject: Action<AllianceIn<'publishProject'>, ProjectDetail, 'FORBIDDEN' | 'NOT_FOUND'>;
    listProjects: Action<AllianceIn<'listProjects'>, Page<ProjectSummary>>;
    projectDetail: Action<AllianceIn<'projectDetail'>, ProjectDetail, 'NOT_FOUND'>;
    claimProject: Action<AllianceIn<'claimProject'>, ProjectDetail, 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT'>;
    reviewClaim: Action<AllianceIn<'reviewClaim'>, ProjectDetail, 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT'>;
    postProgress: Action<AllianceIn<'postProgress'>, ProjectDetail, 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT'>;
    markMilestone: Action<AllianceIn<'markMilestone'>, ProjectDetail, 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT'>;
    completeProject: Action<
      AllianceIn<'completeProject'>,
      ProjectDetail,
      'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT'
    >;
    rateProject: Action<AllianceIn<'rateProject'>, ProjectDetail, 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT'>;
    configureCommunity: Action<
      AllianceIn<'configureCommunity'>,
      { servicePosts: string[]; yearlyTargetHours: number },
      'FORBIDDEN' | 'NOT_FOUND'
    >;
    reportToCommunity: Action<AllianceIn<'reportToCommunity'>, ReportView, 'NOT_FOUND' | 'CONFLICT'>;
    withdrawReport: Action<AllianceIn<'withdrawReport'>, ReportView, 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT'>;
    myReport: Action<AllianceIn<'myReport'>, { active: ReportView | null; history: ReportView[] }>;
    listReports: Action<AllianceIn<'listReports'>, Page<ReportView>, 'FORBIDDEN'>;
    reviewReport: Action<AllianceIn<'reviewReport'>, ReportView, 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT'>;
    servicePosts: Action<
      AllianceIn<'servicePosts'>,
      { posts: ServicePostView[]; yearlyTargetHours: number },
      'NOT_FOUND'
    >;
    takePost: Action<AllianceIn<'takePost'>, ReportView, 'FORBIDDEN' | 'CONFLICT'>;
    leavePost: Action<AllianceIn<'leavePost'>, ReportView, 'FORBIDDEN' | 'CONFLICT'>;
    memberRecord: Action<AllianceIn<'memberRecord'>, MemberRecord, 'FORBIDDEN' | 'NOT_FOUND'>;
    unitMembers: Action<AllianceIn<'unitMembers'>, UnitMembersView, 'FORBIDDEN' | 'NOT_FOUND'>;
    exportMemberRecord: Action<
      AllianceIn<'exportMemberRecord'>,
      MemberRecordExport,
      'FORBIDDEN' | 'NOT_FOUND'
    >;
    proposeActivity: Action<AllianceIn<'proposeActivity'>, ProposalView, 'FORBIDDEN' | 'NOT_FOUND'>;
    reviewProposal: Action<
      AllianceIn<'reviewProposal'>,
      ProposalView,
      'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT'
    >;
    listProposals: Action<AllianceIn<'listProposals'>, Page<ProposalView>, 'FORBIDDEN'>;
    unitRecord: Action<AllianceIn<'unitRecord'>, UnitRecord, 'FORBIDDEN' | 'NOT_FOUND'>;
    rankUnits: Action<AllianceIn<'rankUnits'>, UnitRanking, 'FORBIDDEN'>;
  };
  volunteer: VolunteerContract;
  points: PointsContract;
  report: ReportContract;
  board: BoardContract;
  sites: SitesContract;
  service: ServiceContract;
  branch: BranchContract;
}

type AllianceIn<A extends keyof Schemas['alliance']> = In<Schemas['alliance'][A]>;

export type FunctionName = keyof ApiContract;

/** Cloud functions without callers (timer triggers); not part of the callable contract. */
export type SystemFunctionName = 'timer';
export type ActionName<F extends FunctionName> = keyof ApiContract[F] & string;
type ActionOf<F extends FunctionName, A extends ActionName<F>> =
  ApiContract[F][A] extends Action<infer Q, infer R, infer C> ? { req: Q; res: R; errors: C } : never;
export type RequestOf<F extends FunctionName, A extends ActionName<F>> = ActionOf<F, A>['req'];
export type ResponseOf<F extends FunctionName, A extends ActionName<F>> = ActionOf<F, A>['res'];
export type ErrorsOf<F extends FunctionName, A extends ActionName<F>> = ActionOf<F, A>['errors'];

/** One subscription message the local sink received (GET /api/dev/outbox, demo mode only). */
export interface SinkRecord {
  _id: string;
  at: number;
  touser: string;
  templateId: string;
  kind: NotifyKind;
  page: string;
  data: Record<string, { value: string }>;
  /** 'ok', or the WeChat error code the sink was told to answer with. */
  result: 'ok' | number;
}
