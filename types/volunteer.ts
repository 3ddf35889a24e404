/**
 * Volunteer service (服务实名制积分制, DESIGN §3): real-name registration, service listings
 * (项目 → 岗位, each session an activity), check-in/out, hours, stars, certificates and rankings.
 * Stored documents first, then the views responses carry, then the function's contract.
 * Points and the points mall are in ./points.
 */
import type { Action, In, Page } from './api';
import type { ActivityPhase, ActivityType, CheckInMethod, Place, SignUpStatus } from './domain';
import type { VolunteerSchemas } from './volunteer-schemas';

// ---------- stored documents ----------

export type RegistrationStatus = 'pending' | 'approved' | 'rejected';

/** Version of the consent text the volunteer agreed to (bump when the text changes). */
export const CONSENT_VERSION = '2026-11';

/** `volunteers/<openid>`: a real-name registration. ID number and phone only ever encrypted. */
export interface VolunteerRegistration {
  _id: string; // = openid
  openid: string;
  communityId: string;
  name: string;
  /** AES-256-GCM token (core/crypto); never returned, never logged. */
  idEncrypted: string;
  /** Keyed hash of the normalised ID number, for the duplicate check. */
  idHash: string;
  /** The last 4 characters and the first 4 kept for masking without decrypting. */
  idMasked: string;
  phoneEncrypted: string;
  phoneMasked: string;
  birthDate: string;
  skills: string[];
  preferences: string[];
  consentVersion: string;
  consentAt: number;
  status: RegistrationStatus;
  rejectReason?: string;
  reviewedBy?: string;
  reviewedAt?: number;
  submittedAt: number;
  /** Hidden from rankings when true. */
  rankingOptOut: boolean;
  createdAt: number;
  updatedAt: number;
}

/**
 * `service_accounts/<openid>`: totals derived from the hour and points ledgers, updated in the
 * same transaction as every ledger entry (so they always equal the ledger sums).
 */
export interface ServiceAccount {
  _id: string; // = openid
  openid: string;
  recordedHours: number;
  grantedHours: number;
  pointsBalance: number;
  pointsEarned: number;
  updatedAt: number;
}

export type HourKind = 'recorded' | 'granted';

/**
 * Where an hour entry's hours came from (the dashboard's 服务时长（按来源）): the type of the
 * activity checked out of, `service` for a 微心愿 service request, `granted` for hours a worker
 * grants by hand (荣誉时长; the activity it was granted for is in `activityId`).
 */
export type HourCategory = ActivityType | 'service' | 'granted';
/** A category, or `other` for hours whose entry has none (older entries). */
export type HourSource = HourCategory | 'other';

/** `service_hours`: append-only hour ledger (信用时长 from check-out, 荣誉时长 by a worker). */
export interface HourEntry {
  _id: string; // recorded: `rec_<signUpId>`; granted: random
  openid: string;
  communityId: string;
  activityId: string;
  activityTitle: string;
  kind: HourKind;
  /** Where the hours came from; absent on entries written before it existed (counted as 其他). */
  category?: HourCategory;
  hours: number;
  reason?: string;
  /** openid of who recorded it (the volunteer's check-out, or the worker). */
  by: string;
  at: number;
  /** Asia/Shanghai 'YYYY-MM' and 'YYYY', for rankings. */
  month: string;
  year: string;
}

/** `audit_log`: who did what to whose record, and why. Append-only. */
export interface AuditEntry {
  _id: string;
  at: number;
  actor: string;
  action:
    | 'registrationReviewed'
    | 'identityRevealed'
    | 'hoursRecorded'
    | 'hoursGranted'
    | 'makeupReviewed'
    | 'correctionHandled'
    | 'pointsAdjusted'
    | 'pickupConfirmed'
    | 'grievancePhoneRevealed'
    | 'roleGranted'
    | 'roleRevoked'
    | 'communitySaved'
    | 'siteSaved'
    /** Party organisation life (branch): secretary/committee appointed, member removed, points rule set. */
    | 'branchAppointed'
    | 'branchMemberRemoved'
    | 'branchPointsRuleSet'
    /** A worker exported the volunteer roster with full ID numbers and phones (report.startExport). */
    | 'identityExported';
  /** The volunteer's openid (for a grievance: the submitter's). */
  subject: string;
  communityId?: string;
  activityId?: string;
  detail: string;
}

export type MakeupStatus = 'pending' | 'approved' | 'rejected';

/** `makeup_requests`: a volunteer's request to fix a missed check-in/out (补卡). */
export interface MakeupRequest {
  _id: string;
  openid: string;
  activityId: string;
  communityId: string;
  checkInAt: number;
  checkOutAt: number;
  reason: string;
  status: MakeupStatus;
  rejectReason?: string;
  reviewedBy?: string;
  reviewedAt?: number;
  createdAt: number;
}

export type CorrectionField = 'name' | 'idNumber' | 'phone' | 'hours' | 'other';
export type CorrectionStatus = 'pending' | 'accepted' | 'declined';

/** `corrections`: a volunteer asks for a correction of their data (志愿服务记录更正). */
export interface CorrectionRequest {
  _id: string;
  openid: string;
  communityId: string;
  field: CorrectionField;
  message: string;
  activityId?: string;
  status: CorrectionStatus;
  reply?: string;
  handledBy?: string;
  handledAt?: number;
  createdAt: number;
}

/** `services`: a published listing (项目 · 岗位); each session is an activity of type volunteer. */
export interface ServiceListing {
  _id: string;
  communityId: string;
  hostUnitIds: string[];
  category: ServiceCategory;
  /** 项目, e.g. 敬老助餐 */
  title: string;
  /** 岗位, e.g. 送餐员 */
  post: string;
  description: string;
  place: Place;
  requiredSkills: string[];
  hoursPerSession: number;
  placesPerSession: number;
  /** true: applications wait for a worker's review; false: confirmed automatically. */
  review: boolean;
  checkInMethod: CheckInMethod;
  sessionIds: string[];
  /** End of the last session: listings still running are those with lastSessionEndAt > now. */
  lastSessionEndAt: number;
  status: 'published' | 'closed';
  createdBy: string;
  createdAt: number;
  updatedAt: number;
}

export const SERVICE_CATEGORIES = [
  '敬老助老',
  '环境保护',
  '文明宣传',
  '邻里互助',
  '助学支教',
  '应急救援',
  '其他',
] as const;
export type ServiceCategory = (typeof SERVICE_CATEGORIES)[number];

/** `certificates/<number>`: a service certificate (志愿服务证明) as issued (a snapshot). */
export interface Certificate {
  _id: string; // = number, ZYFW-2026-000123
  number: string;
  openid: string;
  communityId: string;
  issuer: string;
  issuedAt: number;
  nameMasked: string;
  idMasked: string;
  recordedHours: number;
  grantedHours: number;
  services: { title: string; date: string; hours: number }[];
  /** Random token in the verification QR; `verifyCertificate` needs number + token. */
  token: string;
}

/** `volunteer_settings/<communityId>`: per-community points rules. */
export interface VolunteerSettings {
  _id: string; // = communityId
  pointsPerHour: number;
  /** 'MM-DD' when unspent points expire yearly (e.g. '12-31'), or null for never. */
  pointsExpiry: string | null;
  updatedAt: number;
  updatedBy: string;
}

// ---------- views ----------

export interface RegistrationView {
  openid: string;
  communityId: string;
  communityName: string;
  name: string;
  idMasked: string;
  phoneMasked: string;
  skills: string[];
  preferences: string[];
  status: RegistrationStatus;
  rejectReason?: string;
  submittedAt: number;
  reviewedAt?: number;
  rankingOptOut: boolean;
}

export interface ConsentText {
  version: string;
  /** Who sees the data, why, how long it is kept (Chinese, shown before submitting). */
  text: string;
}

/** The volunteer's own data in full (exportMyData); only the owner ever receives this. */
export interface MyDataExport {
  exportedAt: number;
  registration:
    (Omit<RegistrationView, 'idMasked' | 'phoneMasked'> & { idNumber: string; phone: string }) | null;
  account: { recordedHours: number; grantedHours: number; pointsBalance: number };
  hours: HourEntryView[];
  points: { kind: string; points: number; at: number; reason?: string }[];
  signUps: { activityId: string; title: string; startAt: number; status: SignUpStatus }[];
  corrections: CorrectionView[];
}

export interface CorrectionView extends Omit<CorrectionRequest, '_id' | 'handledBy'> {
  _id: string;
  nickName?: string;
}

export interface MakeupView extends Omit<MakeupRequest, 'reviewedBy'> {
  activityTitle: string;
  nickName?: string;
}

export interface ServiceSummary {
  _id: string;
  communityId: string;
  category: ServiceCategory;
  title: string;
  post: string;
  placeName: string;
  /** Metres from the caller's position, when one was given. */
  distanceMeters?: number;
  nextSessionAt: number;
  hoursPerSession: number;
  sessionCount: number;
  /** Sessions still open for sign-up. */
  openSessions: number;
  review: boolean;
  requiredSkills: string[];
  status: ServiceListing['status'];
}

export interface SessionView {
  activityId: string;
  sessionNo: number;
  startAt: number;
  endAt: number;
  capacity: number;
  confirmedCount: number;
  waitlistCount: number;
  phase: ActivityPhase;
  mySignUp?: SignUpStatus;
}

export interface ServiceDetail extends Omit<ServiceListing, 'sessionIds' | 'createdBy'> {
  /** Earliest start of a session that has not ended yet (read from the sessions); 0 when none left. */
  nextSessionAt: number;
  communityName: string;
  hostUnits: { _id: string; name: string }[];
  sessions: SessionView[];
  canManage: boolean;
}

/** Check-in state of the caller (or of a participant, for workers). */
export interface AttendanceView {
  activityId: string;
  openid: string;
  signUpStatus: SignUpStatus;
  checkInAt?: number;
  checkOutAt?: number;
  recordedHours: number;
  grantedHours: number;
  /** Points awarded at check-out (0 when none). */
  pointsAwarded: number;
}

export interface AttendanceRow extends AttendanceView {
  nickName: string;
  /** Real name when the person is a registered volunteer (workers only). */
  realName?: string;
}

/** What the organiser's screen shows; rotates every `windowMs`. */
export interface CheckInCodeView {
  activityId: string;
  method: CheckInMethod;
  /** QR payload: `tongxin:checkin:<activityId>:<rotating code>`. */
  qr: string;
  /** The 6-digit code of the same window. */
  code: string;
  validUntil: number;
  windowMs: number;
}

export type CheckInProof =
  | { method: 'qr'; payload: string }
  | { method: 'code'; code: string }
  | { method: 'gps'; lat: number; lng: number };

export interface HourEntryView extends Omit<HourEntry, '_id' | 'by' | 'month' | 'year'> {
  _id: string;
}

export interface StarView {
  stars: 0 | 1 | 2 | 3 | 4 | 5;
  nextAt?: number;
  progress: number;
}

export interface ServiceProfile {
  registration: RegistrationView | null;
  recordedHours: number;
  grantedHours: number;
  totalHours: number;
  /** From cumulative recorded hours. */
  star: StarView;
  pointsBalance: number;
  monthHours: number;
  yearHours: number;
}

export interface RankingRow {
  rank: number;
  openid: string;
  nickName: string;
  hours: number;
}

export interface RankingView {
  communityId: string;
  period: 'month' | 'year';
  /** '2026-11' or '2026'. */
  periodKey: string;
  items: RankingRow[];
  me?: { rank?: number; hours: number; optedOut: boolean };
}

export interface CertificateView extends Omit<Certificate, '_id' | 'openid' | 'token'> {
  /** The verification page with its query: `packages/volunteer/verify?no=…&t=…` (in-app scan). */
  verifyPath: string;
  /**
   * What the certificate's QR encodes: `<CERT_VERIFY_URL>?no=…&t=…` when the deployment set a
   * 扫普通链接二维码打开小程序 rule (WeChat's own scanner then opens the verify page with `q`),
   * else the same as verifyPath (scanned from inside the app: 证明验证 → 扫码验证).
   */
  qrContent: string;
}

export interface CertificateVerification {
  valid: boolean;
  /** Present only when valid: exactly what the certificate shows, nothing more. */
  certificate?: Omit<CertificateView, 'verifyPath' | 'qrContent'>;
}

// ---------- contract ----------

type V<A extends keyof VolunteerSchemas> = In<VolunteerSchemas[A]>;

export interface VolunteerContract {
  consent: Action<V<'consent'>, ConsentText>;
  register: Action<V<'register'>, RegistrationView, 'NOT_FOUND' | 'CONFLICT'>;
  updateRegistration: Action<V<'updateRegistration'>, RegistrationView, 'NOT_FOUND'>;
  myRegistration: Action<V<'myRegistration'>, { registration: RegistrationView | null }>;
  listRegistrations: Action<V<'listRegistrations'>, Page<RegistrationView>, 'FORBIDDEN'>;
  reviewRegistration: Action<
    V<'reviewRegistration'>,
    RegistrationView,
    'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT'
  >;
  revealIdentity: Action<
    V<'revealIdentity'>,
    { name: string; idNumber: string; phone: string },
    'FORBIDDEN' | 'NOT_FOUND'
  >;
  /** The caller's own ID number and phone in full (the 显示 button on their registration). */
  revealMine: Action<V<'revealMine'>, { idNumber: string; phone: string }, 'NOT_FOUND'>;
  exportMyData: Action<V<'exportMyData'>, MyDataExport>;
  requestCorrection: Action<V<'requestCorrection'>, CorrectionView, 'NOT_FOUND'>;
  myCorrections: Action<V<'myCorrections'>, Page<CorrectionView>>;
  listCorrections: Action<V<'listCorrections'>, Page<CorrectionView>, 'FORBIDDEN'>;
  handleCorrection: Action<V<'handleCorrection'>, CorrectionView, 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT'>;

  publishService: Action<V<'publishService'>, ServiceDetail, 'FORBIDDEN' | 'NOT_FOUND'>;
  listServices: Action<V<'listServices'>, Page<ServiceSummary>>;
  serviceDetail: Action<V<'serviceDetail'>, ServiceDetail, 'NOT_FOUND'>;
  closeService: Action<V<'closeService'>, ServiceDetail, 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT'>;

  checkInCode: Action<V<'checkInCode'>, CheckInCodeView, 'FORBIDDEN' | 'NOT_FOUND'>;
  checkIn: Action<V<'checkIn'>, AttendanceView, 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT'>;
  checkOut: Action<V<'checkOut'>, AttendanceView, 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT'>;
  myAttendance: Action<V<'myAttendance'>, AttendanceView | null, 'NOT_FOUND'>;
  attendance: Action<V<'attendance'>, Page<AttendanceRow>, 'FORBIDDEN' | 'NOT_FOUND'>;
  grantHours: Action<V<'grantHours'>, AttendanceRow, 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT'>;
  requestMakeup: Action<V<'requestMakeup'>, MakeupView, 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT'>;
  myMakeups: Action<V<'myMakeups'>, Page<MakeupView>>;
  listMakeups: Action<V<'listMakeups'>, Page<MakeupView>, 'FORBIDDEN'>;
  reviewMakeup: Action<V<'reviewMakeup'>, MakeupView, 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT'>;

  profile: Action<V<'profile'>, ServiceProfile>;
  myHours: Action<V<'myHours'>, Page<HourEntryView>>;
  setRankingOptOut: Action<V<'setRankingOptOut'>, RegistrationView, 'NOT_FOUND'>;
  rankings: Action<V<'rankings'>, RankingView>;
  issueCertificate: Action<V<'issueCertificate'>, CertificateView, 'FORBIDDEN' | 'CONFLICT'>;
  myCertificates: Action<V<'myCertificates'>, { items: CertificateView[] }>;
  verifyCertificate: Action<V<'verifyCertificate'>, CertificateVerification>;

  /** Workers: the community they manage; others: their own community's rules (updatedBy blank). */
  settings: Action<V<'settings'>, VolunteerSettings, 'FORBIDDEN'>;
  configure: Action<V<'configure'>, VolunteerSettings, 'FORBIDDEN' | 'NOT_FOUND'>;
}
