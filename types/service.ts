/**
 * Service requests (微心愿 · 点单 → 派单/接单 → 评单): a resident asks, the community answers.
 * The contract of the `service` function; its input schemas are in ./service-schemas and the rules
 * in cloudfunctions/domain/service-request.ts.
 */
import type { Action, In, Page } from './api';
import type { ServiceSchemas } from './service-schemas';

/**
 * pending 待审核 → open 待接单 → taken 已接单 → done 已完成(待确认) → confirmed 已确认 → rated 已评价;
 * done → unconfirmed 已完成(未确认) after 3 days; rejected 未通过 (with reason); cancelled 已取消.
 */
export type ServiceStage =
  'pending' | 'open' | 'taken' | 'done' | 'confirmed' | 'rated' | 'unconfirmed' | 'rejected' | 'cancelled';

export const SERVICE_STAGE_NAMES: Record<ServiceStage, string> = {
  pending: '待审核',
  open: '待接单',
  taken: '已接单',
  done: '已完成(待确认)',
  confirmed: '已确认',
  rated: '已评价',
  unconfirmed: '已完成(未确认)',
  rejected: '未通过',
  cancelled: '已取消',
};

export type ServiceAction =
  | 'submit'
  | 'approve'
  | 'reject'
  | 'take'
  | 'dispatch'
  | 'complete'
  | 'confirm'
  | 'rate'
  | 'cancel'
  | 'autoClose'
  | 'recordHours'
  | 'remindOverdue';

export type ServiceActorRole = 'resident' | 'worker' | 'taker' | 'system';

/** In what capacity someone serves: their roles in the request's community (or their unit). */
export type TakerCapacity = 'volunteer' | 'member' | 'unitStaff' | 'worker';

export interface ServiceTaker {
  kind: 'person' | 'unit';
  /** openid of the person, or the unit id. */
  id: string;
  name: string;
  /** person: the roles they serve in (volunteer → hours; member → the 在职党员 record). */
  capacities: TakerCapacity[];
  takenAt: number;
  /** openid of who took it (the person, the unit's staff member, or the dispatching worker). */
  by: string;
  dispatched?: boolean;
  /** Hours recorded in the volunteer ledgers for this taker (once). */
  hoursRecorded?: number;
}

export interface ServiceTimelineEntry {
  action: ServiceAction;
  at: number;
  actorRole: ServiceActorRole;
  /** Stored for audit; never sent to the app. */
  actorOpenid?: string;
  stageAfter: ServiceStage;
  note?: string;
  photos?: string[];
}

export interface ServiceRating {
  stars: number;
  tags: string[];
  comment?: string;
  at: number;
}

export interface ServicePlace {
  /** Shown to everyone (小区 / 楼栋 area, no door number). */
  area: string;
  /** Exact address: only the requester, the takers and the community's workers. */
  address: string;
  lat: number;
  lng: number;
}

/** `service_requests`. */
export interface ServiceRequest {
  _id: string;
  communityId: string;
  openid: string;
  category: string;
  text: string;
  photos: string[];
  /** When the help is wanted, and how long it should take (caps the hours). */
  startAt: number;
  durationHours: number;
  place: ServicePlace;
  phoneEncrypted?: string;
  slots: number;
  /** Written in the taking transaction: the invariant takers.length === taken ≤ slots. */
  taken: number;
  takers: ServiceTaker[];
  /** openids of every person taker and of every staff member of a unit taker, for "mine" lists. */
  takerKeys: string[];
  stage: ServiceStage;
  reviewBy: number;
  takeBy: number;
  doneBy?: number;
  confirmBy?: number;
  overdueRemindedAt?: number;
  result?: { note: string; photos: string[]; hours: number; at: number; by: string };
  rating?: ServiceRating;
  rejectReason?: string;
  timeline: ServiceTimelineEntry[];
  createdAt: number;
  updatedAt: number;
  /** Index fields (derived by storedRequest). */
  remindKey?: string;
  /** Geohash prefix (~5 km cell) of the place; absent without a location (domain/geo-cell.ts). */
  geoCell?: string;
}

export interface ServiceCategory {
  key: string;
  name: string;
}

export interface ServiceSettings {
  /** Categories that publish at once, without a worker's review. */
  trustedCategories: string[];
}

export interface ServiceSummary {
  _id: string;
  communityId: string;
  category: string;
  categoryName: string;
  preview: string;
  stage: ServiceStage;
  stageName: string;
  startAt: number;
  durationHours: number;
  area: string;
  slots: number;
  taken: number;
  /** From the caller's location, rounded to 100 m (near-me lists). */
  distanceM?: number;
  overdue: boolean;
  dueAt?: number;
  createdAt: number;
}

export type ServiceViewer = 'owner' | 'taker' | 'manager' | 'public';

export interface ServiceDetail extends ServiceSummary {
  text: string;
  photoUrls: string[];
  /** Exact address and point: owner, takers, managers only. */
  address?: string;
  location?: { lat: number; lng: number };
  /** The requester's phone, masked (owner, takers, managers). */
  phoneMasked?: string;
  takers: { kind: 'person' | 'unit'; name: string; takenAt: number; hoursRecorded?: number }[];
  result?: { note: string; photoUrls: string[]; hours: number; at: number };
  rating?: ServiceRating;
  rejectReason?: string;
  timeline: (Omit<ServiceTimelineEntry, 'actorOpenid' | 'photos'> & { photoUrls?: string[] })[];
  viewer: ServiceViewer;
  can: Partial<
    Record<
      'approve' | 'reject' | 'take' | 'dispatch' | 'complete' | 'confirm' | 'rate' | 'cancel' | 'recordHours',
      true
    >
  >;
}

/** `activity_ratings/<activityId>_<openid>`: a participant's rating of an activity or session. */
export interface ActivityRating {
  _id: string;
  activityId: string;
  communityId: string;
  openid: string;
  stars: number;
  tags: string[];
  comment?: string;
  at: number;
}

type S<A extends keyof ServiceSchemas> = In<ServiceSchemas[A]>;
export interface ServiceContract {
  categories: Action<S<'categories'>, { categories: ServiceCategory[]; settings: ServiceSettings }>;
  settings: Action<S<'settings'>, ServiceSettings, 'FORBIDDEN'>;
  submit: Action<S<'submit'>, ServiceDetail, 'NOT_FOUND'>;
  nearby: Action<S<'nearby'>, Page<ServiceSummary>, 'FORBIDDEN'>;
  mine: Action<S<'mine'>, Page<ServiceSummary>>;
  taking: Action<S<'taking'>, Page<ServiceSummary>>;
  queue: Action<S<'queue'>, Page<ServiceSummary>, 'FORBIDDEN'>;
  detail: Action<S<'detail'>, ServiceDetail, 'FORBIDDEN' | 'NOT_FOUND'>;
  approve: Action<S<'approve'>, ServiceDetail, 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT'>;
  reject: Action<S<'reject'>, ServiceDetail, 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT'>;
  take: Action<S<'take'>, ServiceDetail, 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT'>;
  dispatch: Action<S<'dispatch'>, ServiceDetail, 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT'>;
  complete: Action<S<'complete'>, ServiceDetail, 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT'>;
  confirm: Action<S<'confirm'>, ServiceDetail, 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT'>;
  rate: Action<S<'rate'>, ServiceDetail, 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT'>;
  cancel: Action<S<'cancel'>, ServiceDetail, 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT'>;
  recordHours: Action<S<'recordHours'>, ServiceDetail, 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT'>;
  rateActivity: Action<S<'rateActivity'>, ActivityRating, 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT'>;
}
