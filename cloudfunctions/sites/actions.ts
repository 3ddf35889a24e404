/**
 * Cloud function `sites`: 阵地 booking. Workers set up bookable rooms of their community's 党群服务
 * 中心 (`saveSite`); unit staff open one of their unit's venue resources (`openVenue`). Anyone
 * books a slot (`book`): every 30-minute slot of a site on a date is one document
 * (`site_slots/<siteId>_<yyyymmdd>_<hhmm>`) that the booking transaction reads and writes, so two
 * overlapping bookings are a write conflict — the loser retries, finds the slot taken and gets
 * CONFLICT. Managers (the community's workers, or the unit's staff for a unit venue) approve,
 * cancel with a reason and check people in with the booker's code; the booker cancels until 2 h
 * before the start and checks in by GPS within 15 min of it. A unit venue's openings and confirmed
 * bookings are counted per unit and year (`counters/site-unit-<unit>-<year>`), read by the
 * alliance unit record. Messages (through the outbox, in the transaction of the change): the
 * site's managers get `bookingTask` when a booking awaits their approval and when its booker
 * cancels it; the booker gets `bookingStatus` when a manager approves, turns down or cancels it,
 * and `bookingReminder` before the slot (sites/reminders.ts, found through `remindKey`, which every
 * write here sets or clears with `withRemindKey`). Rules: domain/site-booking.ts.
 */
import { randomInt } from 'node:crypto';
import type { Resource, ServiceSite, User } from '../../types/domain';
import type {
  BookableSite,
  BookingView,
  SiteBooking,
  SiteSlot,
  SiteUnitCounter,
  SiteView,
} from '../../types/sites';
import { siteUnitCounterId } from '../../types/sites';
import { sitesSchemas } from '../../types/sites-schemas';
import { body, cmd, collection, getAll, getById, newId, transaction, type TxDocs } from '../core/db';
import { conflict, forbidden, invalid, notFound } from '../core/errors';
import { defineActions } from '../core/function';
import { canManageCommunity, hasRole, type Caller } from '../core/guard';
import { queryPage } from '../core/paging';
import {
  bookableDates,
  cancelRefusal,
  checkBooking,
  checkInCode,
  checkInRefusal,
  checkWeeklyHours,
  CHECK_IN_RADIUS_M,
  daySlots,
  hoursText,
  shanghaiDate,
  slotId,
  WEEKDAY_NAMES,
  withRemindKey,
  yearOfDate,
} from '../domain/site-booking';
import { roleKey } from '../domain/roles';
import { bookingEvent } from './events';
import { withinRadius } from '../domain/volunteer';

export const schemas = sitesSchemas;

type Managed = Pick<BookableSite, 'kind' | 'communityId' | 'unitId'>;

/** A center site is managed by its community's workers (and the street admin); a unit venue by
 *  the unit's staff. */
export function managesSite(caller: Caller, s: Managed): boolean {
  if (s.kind === 'unitVenue') return !!s.unitId && hasRole(caller, 'unitStaff', { unitId: s.unitId });
  return !!s.communityId && canManageCommunity(caller, s.communityId);
}

function siteView(caller: Caller, s: BookableSite): SiteView {
  const { createdBy: _c, ...rest } = s;
  return {
    ...rest,
    hoursText: s.hours.map((spans, day) => `${WEEKDAY_NAMES[day]} ${hoursText(spans)}`),
    canManage: managesSite(caller, s),
  };
}

function bookingView(caller: Caller, b: SiteBooking, now: number): BookingView {
  const { code, openid, remindKey: _key, ...rest } = b;
  const mine = openid === caller.openid;
  const canManage = managesSite(caller, { kind: b.siteKind, communityId: b.communityId, unitId: b.unitId });
  const canCancel =
    (mine && !cancelRefusal('booker', b, now)) || (canManage && !cancelRefusal('manager', b, now, '管理'));
  return { ...rest, ...(mine ? { code } : {}), mine, canCancel, canManage };
}

/** Who manages a booking's site (copied onto the booking). */
const siteOf = (b: SiteBooking): Managed => ({
  kind: b.siteKind,
  communityId: b.communityId,
  unitId: b.unitId,
});

/** The people who manage a site: the community's workers, or the unit's staff. */
export async function managersOf(s: Managed): Promise<string[]> {
  const key =
    s.kind === 'unitVenue'
      ? roleKey('unitStaff', { unitId: s.unitId })
      : roleKey('worker', { communityId: s.communityId });
  const users = await getAll<User>(collection('users').where({ roleKeys: key }));
  return users.map((u) => u.openid);
}

const counterOf = (c: SiteUnitCounter | undefined, unitId: string, year: number): SiteUnitCounter => ({
  unitId,
  year,
  venuesOpened: c?.venuesOpened ?? 0,
  bookings: c?.bookings ?? 0,
});

async function loadSite(siteId: string): Promise<BookableSite> {
  const site = await getById<BookableSite>('booking_sites', siteId);
  if (!site) throw notFound('阵地不存在或未开放预约');
  return site;
}

/**
 * Reads a booking while the transaction starts (who may act is decided on it), then the booking
 * again in the transaction with `more` (documents named by the first read). Sequential requests:
 * the booking ‖ start; the booking and `more` in the transaction; the writes; the commit.
 */
async function onBooking<R>(
  bookingId: string,
  check: (b: SiteBooking) => void,
  more: (b: SiteBooking, t: TxDocs) => Promise<unknown>[],
  write: (b: SiteBooking, t: TxDocs, extra: unknown[]) => Promise<R>,
): Promise<R> {
  const early = getById<SiteBooking>('site_bookings', bookingId).then((b) => {
    if (!b) throw notFound('预约不存在');
    check(b);
    return b;
  });
  early.catch(() => undefined); // awaited in the transaction; never an unhandled rejection
  return transaction(async (t) => {
    const first = await early;
    const [b, ...extra] = await Promise.all([
      t.get<SiteBooking>('site_bookings', bookingId),
      ...more(first, t),
    ]);
    if (!b) throw notFound('预约不存在');
    check(b as SiteBooking);
    return write(b as SiteBooking, t, extra);
  });
}

/** Frees a booking's slots (each set to no booking, so a concurrent booking of it conflicts). */
function freeSlots(t: TxDocs, b: SiteBooking, now: number): Promise<void>[] {
  return b.slots.map((start) =>
    t.set('site_slots', slotId(b.siteId, b.date, start), {
      siteId: b.siteId,
      date: b.date,
      start,
      bookingId: null,
      updatedAt: now,
    }),
  );
}

/** Adds `delta` confirmed bookings to a unit venue's yearly counter (read in the same round). */
function countBooking(t: TxDocs, b: SiteBooking, counter: unknown, delta: number): Promise<void> | undefined {
  if (b.siteKind !== 'unitVenue' || !b.unitId) return undefined;
  const year = yearOfDate(b.date);
  const c = counterOf(counter as SiteUnitCounter | undefined, b.unitId, year);
  return t.set('counters', siteUnitCounterId(b.unitId, year), {
    ...c,
    bookings: Math.max(0, c.bookings + delta),
  } as unknown as Record<string, unknown>);
}

const counterRead = (b: SiteBooking, t: TxDocs) =>
  b.siteKind === 'unitVenue' && b.unitId
    ? t.get<SiteUnitCounter>('counters', siteUnitCounterId(b.unitId, yearOfDate(b.date)))
    : Promise.resolve(undefined);

export const actions = defineActions('sites', {
  list: {
    roles: 'any',
    async handler({ caller }, { communityId }) {
      const { data } = await collection('booking_sites')
        .where({ communityIds: communityId })
        .limit(100)
        .get();
      return (data as BookableSite[])
        .filter((s) => s.status === 'open' || managesSite(caller, s))
        .sort((a, b) =>
          a.kind === b.kind ? a.name.localeCompare(b.name, 'zh') : a.kind === 'center' ? -1 : 1,
        )
        .map((s) => siteView(caller, s));
    },
  },

  detail: {
    roles: 'any',
    async handler({ caller, now }, input) {
      const date = input.date ?? shanghaiDate(now);
      const [site, taken] = await Promise.all([
        getById<BookableSite>('booking_sites', input.siteId),
        collection('site_slots')
          .where({ siteId: input.siteId, date, bookingId: cmd().neq(null) })
          .limit(100)
          .get() as Promise<{ data: SiteSlot[] }>,
      ]);
      if (!site || (site.status !== 'open' && !managesSite(caller, site)))
        throw notFound('阵地不存在或未开放预约');
      const dates = bookableDates(now);
      return {
        site: siteView(caller, site),
        date,
        dates,
        slots: dates.includes(date)
          ? daySlots(
              date,
              site.hours,
              new Set(taken.data.filter((s) => s.bookingId).map((s) => s.start)),
              now,
            )
          : [],
      };
    },
  },

  saveSite: {
    roles: ['worker', 'admin'],
    async handler({ caller, now }, input) {
      const { siteId, communityId, fromSiteId, ...fields } = input;
      if (!canManageCommunity(caller, communityId)) throw forbidden('只能管理本社区的阵地');
      const hoursProblem = checkWeeklyHours(fields.hours);
      if (hoursProblem) throw invalid(hoursProblem, { hours: hoursProblem });
      const [existing, from] = await Promise.all([
        siteId ? getById<BookableSite>('booking_sites', siteId) : undefined,
        fromSiteId ? getById<ServiceSite>('sites', fromSiteId) : undefined,
      ]);
      if (siteId && (!existing || existing.kind !== 'center' || existing.communityId !== communityId)) {
        throw notFound('阵地不存在');
      }
      if (fromSiteId && (!from || from.communityId !== communityId))
        throw notFound('服务阵地不存在或不属于本社区');
      const id = siteId ?? (from ? `bk-${from._id}` : `bk-${newId().slice(0, 12)}`);
      const site: BookableSite = {
        _id: id,
        kind: 'center',
        communityIds: [communityId],
        communityId,
        ...(fromSiteId ? { fromSiteId } : existing?.fromSiteId ? { fromSiteId: existing.fromSiteId } : {}),
        name: fields.name ?? from?.name ?? existing?.name ?? '',
        address: fields.address ?? from?.address ?? existing?.address ?? '',
        lat: fields.lat ?? from?.lat ?? existing?.lat ?? 0,
        lng: fields.lng ?? from?.lng ?? existing?.lng ?? 0,
        capacity: fields.capacity,
        facilities: fields.facilities.length ? fields.facilities : (from?.facilities ?? []),
        hours: fields.hours,
        approval: fields.approval,
        maxHours: fields.maxHours,
        ...(fields.note ? { note: fields.note } : {}),
        status: fields.status,
        createdBy: existing?.createdBy ?? caller.openid,
        createdAt: existing?.createdAt ?? now,
        updatedAt: now,
      };
      await collection('booking_sites').doc(id).set(body(site));
      return siteView(caller, site);
    },
  },

  openVenue: {
    roles: ['unitStaff'],
    async handler({ caller, now }, { resourceId, ...fields }) {
      const hoursProblem = checkWeeklyHours(fields.hours);
      if (hoursProblem) throw invalid(hoursProblem, { hours: hoursProblem });
      const id = `venue-${resourceId}`;
      const early = getById<Resource>('resources', resourceId).then((r) => {
        if (!r || r.status !== 'active') throw notFound('资源不存在或已撤回');
        if (!hasRole(caller, 'unitStaff', { unitId: r.unitId })) throw forbidden('只能开放本单位的场地');
        if (r.kind !== 'venue') throw invalid('只有场地类资源可以开放预约');
        return r;
      });
      early.catch(() => undefined);
      const year = Number(shanghaiDate(now).slice(0, 4));
      const site = await transaction(async (t) => {
        const r = await early;
        const [existing, counter] = await Promise.all([
          t.get<BookableSite>('booking_sites', id),
          t.get<SiteUnitCounter>('counters', siteUnitCounterId(r.unitId, year)),
        ]);
        const s: BookableSite = {
          _id: id,
          kind: 'unitVenue',
          communityIds: r.communityIds,
          unitId: r.unitId,
          unitName: r.unitName,
          resourceId,
          name: r.title,
          address: fields.address,
          lat: fields.lat,
          lng: fields.lng,
          capacity: fields.capacity,
          facilities: fields.facilities,
          hours: fields.hours,
          approval: fields.approval,
          maxHours: fields.maxHours,
          ...(fields.note ? { note: fields.note } : {}),
          status: 'open',
          createdBy: existing?.createdBy ?? caller.openid,
          createdAt: existing?.createdAt ?? now,
          updatedAt: now,
        };
        const opened = !existing || existing.status !== 'open';
        const c = counterOf(counter, r.unitId, year);
        await Promise.all([
          t.set('booking_sites', id, body(s)),
          opened
            ? t.set('counters', siteUnitCounterId(r.unitId, year), {
                ...c,
                venuesOpened: c.venuesOpened + 1,
              } as unknown as Record<string, unknown>)
            : undefined,
        ]);
        return s;
      });
      return siteView(caller, site);
    },
  },

  book: {
    roles: 'any',
    async handler({ caller, now, emit }, input) {
      // The site is read while the transaction starts; the slots are read and written in it.
      const early = loadSite(input.siteId).then((site) => {
        if (site.status !== 'open') throw notFound('阵地不存在或未开放预约');
        const checked = checkBooking(input, site, now);
        if (!checked.ok) throw invalid(checked.message);
        if (input.people > site.capacity) throw invalid(`人数超过阵地容量（最多 ${site.capacity} 人）`);
        return { site, window: checked.window };
      });
      early.catch(() => undefined); // awaited in the transaction; never an unhandled rejection
      // Whom to tell about a booking that awaits approval: read once, beside the slots.
      const managers = early.then(({ site }) => (site.approval ? managersOf(site) : []));
      managers.catch(() => undefined);
      const booking = await transaction(async (t) => {
        const { site, window } = await early;
        const ids = window.slots.map((start) => slotId(site._id, input.date, start));
        const confirmed = !site.approval;
        const counting = confirmed && site.kind === 'unitVenue' && site.unitId;
        const year = yearOfDate(input.date);
        const [tell, counter, ...slots] = await Promise.all([
          managers,
          counting ? t.get<SiteUnitCounter>('counters', siteUnitCounterId(site.unitId!, year)) : undefined,
          ...ids.map((id) => t.get<SiteSlot>('site_slots', id)),
        ]);
        const taken = slots.filter((s) => s?.bookingId).map((s) => s!.start);
        if (taken.length) {
          throw conflict(`${taken[0]} 起的时段已被预约，请选择其他时段`);
        }
        const b: SiteBooking = withRemindKey(
          {
            _id: newId(),
            siteId: site._id,
            siteName: site.name,
            siteKind: site.kind,
            ...(site.kind === 'center' ? { communityId: site.communityId } : { unitId: site.unitId }),
            openid: caller.openid,
            bookerName: caller.user.nickName,
            date: input.date,
            start: input.start,
            end: input.end,
            startAt: window.startAt,
            endAt: window.endAt,
            slots: window.slots,
            people: input.people,
            purpose: input.purpose,
            status: confirmed ? 'confirmed' : 'pending',
            code: checkInCode(() => randomInt(1_000_000) / 1_000_000),
            createdAt: now,
            updatedAt: now,
          },
          now,
        );
        await Promise.all([
          t.set('site_bookings', b._id, body(b)),
          ...window.slots.map((start, i) =>
            t.set('site_slots', ids[i]!, {
              siteId: site._id,
              date: input.date,
              start,
              bookingId: b._id,
              updatedAt: now,
            }),
          ),
          counting ? countBooking(t, b, counter, 1) : undefined,
          ...(confirmed
            ? []
            : bookingEvent(
                'bookingTask',
                b,
                'pending',
                (tell as string[]).filter((o) => o !== caller.openid),
              )
          ).map((e) => emit(t, e)),
        ]);
        return b;
      });
      return bookingView(caller, booking, now);
    },
  },

  myBookings: {
    roles: 'any',
    async handler({ caller, now }, input) {
      return queryPage<SiteBooking, BookingView>(
        collection('site_bookings').where({ openid: caller.openid }),
        { field: 'startAt', order: 'desc' },
        input,
        (docs) => docs.map((b) => bookingView(caller, b, now)),
      );
    },
  },

  managed: {
    roles: ['worker', 'admin', 'unitStaff'],
    async handler({ caller, now }, input) {
      const where: Record<string, unknown> = {};
      if (input.siteId) {
        const site = await loadSite(input.siteId);
        if (!managesSite(caller, site)) throw forbidden('只能管理本社区或本单位的阵地');
        where.siteId = site._id;
      } else if (input.unitId) {
        if (!hasRole(caller, 'unitStaff', { unitId: input.unitId })) throw forbidden('只能管理本单位的场地');
        where.unitId = input.unitId;
      } else {
        if (!canManageCommunity(caller, input.communityId!)) throw forbidden('只能管理本社区的阵地');
        where.communityId = input.communityId;
      }
      if (input.status) where.status = input.status;
      return queryPage<SiteBooking, BookingView>(
        collection('site_bookings').where(where),
        { field: 'startAt', order: 'desc' },
        input,
        (docs) => docs.map((b) => bookingView(caller, b, now)),
      );
    },
  },

  review: {
    roles: ['worker', 'admin', 'unitStaff'],
    async handler({ caller, now, emit }, { bookingId, approve, reason }) {
      const b = await onBooking(
        bookingId,
        (b) => {
          if (!managesSite(caller, { kind: b.siteKind, communityId: b.communityId, unitId: b.unitId })) {
            throw forbidden('只能审核本社区或本单位阵地的预约');
          }
          if (b.status !== 'pending') throw conflict('该预约已处理');
          if (approve && now >= b.endAt) throw conflict('预约时段已结束，不能通过');
        },
        (b, t) => (approve ? [counterRead(b, t)] : []),
        async (b, t, [counter]) => {
          const after = withRemindKey(
            {
              ...b,
              status: approve ? 'confirmed' : 'rejected',
              ...(reason ? { reason } : {}),
              reviewedBy: caller.openid,
              reviewedAt: now,
              updatedAt: now,
            },
            now,
          );
          await Promise.all([
            t.set('site_bookings', b._id, body(after)),
            ...(approve ? [countBooking(t, b, counter, 1)] : freeSlots(t, b, now)),
            ...bookingEvent(
              'bookingStatus',
              after,
              approve ? 'confirmed' : 'rejected',
              [b.openid],
              reason,
            ).map((e) => emit(t, e)),
          ]);
          return after;
        },
      );
      return bookingView(caller, b, now);
    },
  },

  cancel: {
    roles: 'any',
    async handler({ caller, now, emit }, { bookingId, reason }) {
      const who = (b: SiteBooking) => {
        const manager = managesSite(caller, {
          kind: b.siteKind,
          communityId: b.communityId,
          unitId: b.unitId,
        });
        if (b.openid === caller.openid && !(manager && reason)) return 'booker' as const;
        if (manager) return 'manager' as const;
        throw forbidden('只能取消自己的预约');
      };
      const b = await onBooking(
        bookingId,
        (b) => {
          const refusal = cancelRefusal(who(b), b, now, reason);
          if (refusal) throw conflict(refusal);
        },
        // The managers are told of the booker's own cancellation: read beside the booking.
        (b, t) => [counterRead(b, t), who(b) === 'booker' ? managersOf(siteOf(b)) : Promise.resolve([])],
        async (b, t, [counter, managers]) => {
          const by = who(b);
          const after = withRemindKey(
            {
              ...b,
              status: 'cancelled',
              ...(by === 'manager' && reason ? { reason } : {}),
              cancelledBy: by,
              cancelledAt: now,
              updatedAt: now,
            },
            now,
          );
          await Promise.all([
            t.set('site_bookings', b._id, body(after)),
            ...freeSlots(t, b, now),
            b.status === 'confirmed' ? countBooking(t, b, counter, -1) : undefined,
            // The booker hears of a manager's cancellation; the managers of the booker's own.
            ...(by === 'manager'
              ? bookingEvent('bookingStatus', after, 'cancelled', [b.openid], reason)
              : bookingEvent(
                  'bookingTask',
                  after,
                  'cancelled',
                  ((managers as string[] | undefined) ?? []).filter((o) => o !== caller.openid),
                )
            ).map((e) => emit(t, e)),
          ]);
          return after;
        },
      );
      return bookingView(caller, b, now);
    },
  },

  checkIn: {
    roles: 'any',
    async handler({ caller, now }, input) {
      const how = input.code ? ('code' as const) : ('gps' as const);
      const b = await onBooking(
        input.bookingId,
        (b) => {
          if (how === 'code') {
            if (!managesSite(caller, { kind: b.siteKind, communityId: b.communityId, unitId: b.unitId })) {
              throw forbidden('签到码由阵地管理员输入');
            }
          } else if (b.openid !== caller.openid) {
            throw forbidden('只能为自己的预约签到');
          }
          const refusal = checkInRefusal(how, b, now);
          if (refusal) throw conflict(refusal);
          if (how === 'code' && input.code !== b.code) throw invalid('签到码不正确，请核对后重试');
        },
        (b, t) => (how === 'gps' ? [t.get<BookableSite>('booking_sites', b.siteId)] : []),
        async (b, t, [site]) => {
          if (how === 'gps') {
            const s = site as BookableSite | undefined;
            if (!s || !withinRadius({ lat: input.lat!, lng: input.lng! }, s, CHECK_IN_RADIUS_M)) {
              throw invalid(
                `不在阵地附近（需在 ${CHECK_IN_RADIUS_M} 米内），请到达后再签到或向管理员出示签到码`,
              );
            }
          }
          const after = withRemindKey(
            { ...b, status: 'checkedIn', checkedInAt: now, checkedInBy: how, updatedAt: now },
            now,
          );
          await t.set('site_bookings', b._id, body(after));
          return after;
        },
      );
      return bookingView(caller, b, now);
    },
  },
});
