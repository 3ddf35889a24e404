/**
 * 阵地 booking (cloudfunctions/sites): bookable service sites — rooms of the 党群服务中心 set up by
 * the community's workers, venues a unit opens from its resources — their 30-minute slots and the
 * bookings. The contract of the `sites` function; its input schemas are in ./sites-schemas.
 */
import type { Action, In, Page } from './api';
import type { SitesSchemas } from './sites-schemas';

/** One opening span of a day, 'HH:mm' on the 30-minute grid (close may be '24:00'). */
export interface OpeningSpan {
  open: string;
  close: string;
}

/** Opening hours per weekday, index 0 = 周日 … 6 = 周六 (Asia/Shanghai). */
export type WeeklyHours = OpeningSpan[][];

/** A bookable site (collection `booking_sites`). */
export interface BookableSite {
  _id: string;
  /** A room of the community's 党群服务中心, or a venue a unit opened. */
  kind: 'center' | 'unitVenue';
  /** The communities whose people see it (a unit venue: the unit's communities). */
  communityIds: string[];
  /** Center sites: the community whose workers manage it. */
  communityId?: string;
  /** Unit venues: the unit whose staff manage it, and the resource it came from. */
  unitId?: string;
  unitName?: string;
  resourceId?: string;
  /** The `sites` document it was set up from, if any. */
  fromSiteId?: string;
  name: string;
  address: string;
  lat: number;
  lng: number;
  /** How many people it holds. */
  capacity: number;
  facilities: string[];
  hours: WeeklyHours;
  /** Bookings wait for a manager's approval. */
  approval: boolean;
  /** At most this many hours per booking. */
  maxHours: number;
  note?: string;
  status: 'open' | 'closed';
  createdBy: string;
  createdAt: number;
  updatedAt: number;
}

export type BookingStatus = 'pending' | 'confirmed' | 'rejected' | 'cancelled' | 'checkedIn';

export const BOOKING_STATUS_NAMES: Record<BookingStatus, string> = {
  pending: '待审核',
  confirmed: '已预约',
  rejected: '未通过',
  cancelled: '已取消',
  checkedIn: '已签到',
};

/** A booking (collection `site_bookings`). */
export interface SiteBooking {
  _id: string;
  siteId: string;
  siteName: string;
  siteKind: BookableSite['kind'];
  /** Who manages it (copied from the site): the community's workers or the unit's staff. */
  communityId?: string;
  unitId?: string;
  openid: string;
  /** The booker's display name (for the managers). */
  bookerName: string;
  date: string;
  start: string;
  end: string;
  startAt: number;
  endAt: number;
  /** The slot starts it holds ('HH:mm'). */
  slots: string[];
  people: number;
  purpose: string;
  status: BookingStatus;
  /** Shown to the booker only; the manager enters it at the site. */
  code: string;
  reason?: string;
  reviewedBy?: string;
  reviewedAt?: number;
  cancelledBy?: 'booker' | 'manager';
  cancelledAt?: number;
  checkedInAt?: number;
  checkedInBy?: 'code' | 'gps';
  /** While the booker's reminder is to come: `timeKey` of when it is due (index `remind_due`, read
   *  by the timer; set and cleared by `withRemindKey`). */
  remindKey?: string;
  /** When the timer queued the booker's reminder (at most once). */
  remindedAt?: number;
  createdAt: number;
  updatedAt: number;
}

/** One 30-minute slot of a site on a date (collection `site_slots`, id from `slotId`). */
export interface SiteSlot {
  _id: string;
  siteId: string;
  date: string;
  start: string;
  /** The booking holding it; null once freed. */
  bookingId: string | null;
  updatedAt: number;
}

/** Per unit and year (collection `counters`, id `siteUnitCounterId`): read by the unit record. */
export interface SiteUnitCounter {
  unitId: string;
  year: number;
  venuesOpened: number;
  bookings: number;
}

export const siteUnitCounterId = (unitId: string, year: number) => `site-unit-${unitId}-${year}`;

export interface SiteView extends Omit<BookableSite, 'createdBy'> {
  /** Opening hours as text per weekday, e.g. 周一 9:00–17:00. */
  hoursText: string[];
  /** The caller manages it (approves, checks in). */
  canManage: boolean;
}

export interface DaySlot {
  start: string;
  end: string;
  free: boolean;
  past: boolean;
}

export interface SiteDetail {
  site: SiteView;
  date: string;
  /** The dates the day picker offers (today … 30 days ahead). */
  dates: string[];
  slots: DaySlot[];
}

/** A booking as its booker or a manager sees it (the code only for the booker). */
export interface BookingView extends Omit<SiteBooking, 'code' | 'openid' | 'remindKey'> {
  code?: string;
  mine: boolean;
  canCancel: boolean;
  canManage: boolean;
}

type S<A extends keyof SitesSchemas> = In<SitesSchemas[A]>;

export interface SitesContract {
  list: Action<S<'list'>, SiteView[]>;
  detail: Action<S<'detail'>, SiteDetail, 'NOT_FOUND'>;
  saveSite: Action<S<'saveSite'>, SiteView, 'FORBIDDEN' | 'NOT_FOUND'>;
  openVenue: Action<S<'openVenue'>, SiteView, 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT'>;
  book: Action<S<'book'>, BookingView, 'NOT_FOUND' | 'CONFLICT'>;
  myBookings: Action<S<'myBookings'>, Page<BookingView>>;
  managed: Action<S<'managed'>, Page<BookingView>, 'FORBIDDEN'>;
  review: Action<S<'review'>, BookingView, 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT'>;
  cancel: Action<S<'cancel'>, BookingView, 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT'>;
  checkIn: Action<S<'checkIn'>, BookingView, 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT'>;
}
