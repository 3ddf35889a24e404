/**
 * Shared pieces of the `service` function: who the caller is for a request, the views (exact
 * address and phone only for the requester, the takers and the community's workers), the events
 * each step sends, and the completion writes (volunteer hours through the Ledger, the member's
 * and the unit's yearly service counters).
 */
import { DashboardCounters } from '../core/dashboard-counters';
import { SERVICE_FIELDS } from '../domain/dashboard-tally';
import type { Unit, User } from '../../types/domain';
import type {
  ServiceCategory,
  ServiceDetail,
  ServiceRequest,
  ServiceSettings,
  ServiceSummary,
  ServiceTaker,
  ServiceViewer,
} from '../../types/service';
import type { PointsEntry } from '../../types/points';
import { dataCipher } from '../core/crypto';
import { cmd, collection, getAll, getById, type TxDocs } from '../core/db';
import { notFound } from '../core/errors';
import { canManageCommunity, hasRole, type Caller } from '../core/guard';
import type { EmitInput } from '../core/notify/outbox';
import { runtime } from '../core/runtime';
import { maskPhone } from '../domain/mask';
import { roleKey } from '../domain/roles';
import { pointsFor } from '../domain/points';
import {
  canServiceAction,
  DEFAULT_SERVICE_CATEGORIES,
  dueAt,
  hourEntryId,
  isOverdue,
  roundedDistance,
  SERVICE_TRANSITIONS,
  stageName,
} from '../domain/service-request';
import type { LatLng } from '../domain/volunteer';
import { DEFAULT_SETTINGS } from '../volunteer/common';
import { Ledger } from '../volunteer/ledgers';

export const DEFAULT_SERVICE_SETTINGS: ServiceSettings = { trustedCategories: [] };

export async function serviceSettings(communityId: string): Promise<ServiceSettings> {
  const doc = await getById<ServiceSettings>('service_settings', communityId);
  return { trustedCategories: doc?.trustedCategories ?? DEFAULT_SERVICE_SETTINGS.trustedCategories };
}

export const categories = (): ServiceCategory[] => DEFAULT_SERVICE_CATEGORIES;
export const categoryName = (key: string) =>
  DEFAULT_SERVICE_CATEGORIES.find((c) => c.key === key)?.name ?? '其他';

export async function loadRequest(id: string): Promise<ServiceRequest> {
  const r = await getById<ServiceRequest>('service_requests', id);
  if (!r) throw notFound('需求不存在');
  return r;
}

/** The caller's unit ids (unit staff). */
export const unitIdsOf = (caller: Caller) =>
  caller.user.roles.filter((g) => g.role === 'unitStaff' && g.unitId).map((g) => g.unitId as string);

/** The keys a caller takes under: their openid and `unit:<id>` of each of their units. */
export const takerKeysOf = (caller: Caller) => [caller.openid, ...unitIdsOf(caller).map((u) => `unit:${u}`)];
export const takerKey = (t: Pick<ServiceTaker, 'kind' | 'id'>) => (t.kind === 'unit' ? `unit:${t.id}` : t.id);

export function isTaker(caller: Caller, r: ServiceRequest): boolean {
  const keys = takerKeysOf(caller);
  return r.takers.some((t) => keys.includes(takerKey(t)));
}

/** Whether the caller may serve at all (as a volunteer, Party member, unit staff or worker). */
export function canServe(caller: Caller, communityId: string): boolean {
  return (
    hasRole(caller, 'volunteer', { communityId }) ||
    hasRole(caller, 'member') ||
    hasRole(caller, 'unitStaff') ||
    hasRole(caller, 'worker', { communityId })
  );
}

export function viewerOf(caller: Caller, r: ServiceRequest): ServiceViewer | undefined {
  if (r.openid === caller.openid) return 'owner';
  if (canManageCommunity(caller, r.communityId)) return 'manager';
  if (isTaker(caller, r)) return 'taker';
  // Others see published requests (the area, never the exact address or the phone).
  if (['open', 'taken', 'done', 'confirmed', 'rated', 'unconfirmed'].includes(r.stage)) return 'public';
  return undefined;
}

export function toSummary(r: ServiceRequest, now: number, from?: LatLng): ServiceSummary {
  const due = dueAt(r);
  return {
    _id: r._id,
    communityId: r.communityId,
    category: r.category,
    categoryName: categoryName(r.category),
    preview: r.text.slice(0, 60),
    stage: r.stage,
    stageName: stageName(r.stage),
    startAt: r.startAt,
    durationHours: r.durationHours,
    area: r.place.area,
    slots: r.slots,
    taken: r.taken,
    ...(from ? { distanceM: roundedDistance(from, r.place) } : {}),
    overdue: isOverdue(r, now),
    ...(due !== undefined ? { dueAt: due } : {}),
    createdAt: r.createdAt,
  };
}

type CanKey = keyof ServiceDetail['can'];

export async function toDetail(
  r: ServiceRequest,
  caller: Caller,
  viewer: ServiceViewer,
  now: number,
  from?: LatLng,
): Promise<ServiceDetail> {
  const inner = viewer !== 'public';
  const storage = runtime().storage;
  const can: ServiceDetail['can'] = {};
  const roleFor = (action: CanKey) => {
    if (action === 'take')
      return canServe(caller, r.communityId) && !isTaker(caller, r) ? 'taker' : undefined;
    if (action === 'complete') return isTaker(caller, r) ? 'taker' : undefined;
    if (['confirm', 'rate'].includes(action)) return viewer === 'owner' ? 'resident' : undefined;
    if (action === 'cancel')
      return viewer === 'owner' ? 'resident' : viewer === 'manager' ? 'worker' : undefined;
    return viewer === 'manager' ? 'worker' : undefined;
  };
  for (const action of Object.keys(SERVICE_TRANSITIONS) as CanKey[]) {
    if (
      ![
        'approve',
        'reject',
        'take',
        'dispatch',
        'complete',
        'confirm',
        'rate',
        'cancel',
        'recordHours',
      ].includes(action)
    )
      continue;
    const role = roleFor(action);
    const takerId = action === 'take' ? caller.openid : undefined;
    if (role && canServiceAction(r, action, role, { takerId }).ok) can[action] = true;
  }
  if (
    can.recordHours &&
    !r.takers.some((t) => t.capacities.includes('volunteer') && t.hoursRecorded === undefined)
  )
    delete can.recordHours;
  const [photoUrls, resultUrls, timeline] = await Promise.all([
    storage.urls(r.photos),
    inner && r.result ? storage.urls(r.result.photos) : Promise.resolve([]),
    Promise.all(
      r.timeline.map(async ({ actorOpenid: _who, photos, ...e }) => ({
        ...e,
        ...(photos?.length && inner ? { photoUrls: await storage.urls(photos) } : {}),
      })),
    ),
  ]);
  const phoneMasked =
    inner && r.phoneEncrypted
      ? maskPhone(dataCipher(process.env, { demo: runtime().demo }).decrypt(r.phoneEncrypted))
      : undefined;
  return {
    ...toSummary(r, now, from),
    text: r.text,
    photoUrls,
    ...(inner ? { address: r.place.address, location: { lat: r.place.lat, lng: r.place.lng } } : {}),
    ...(phoneMasked ? { phoneMasked } : {}),
    takers: r.takers.map((t) => ({
      kind: t.kind,
      name: t.name,
      takenAt: t.takenAt,
      ...(t.hoursRecorded !== undefined ? { hoursRecorded: t.hoursRecorded } : {}),
    })),
    ...(r.result && inner
      ? { result: { note: r.result.note, photoUrls: resultUrls, hours: r.result.hours, at: r.result.at } }
      : {}),
    ...(r.rating ? { rating: r.rating } : {}),
    ...(r.rejectReason && inner ? { rejectReason: r.rejectReason } : {}),
    timeline,
    viewer,
    can,
  };
}

/** The community's workers (for reviews and overdue reminders). */
export async function workersOf(communityId: string): Promise<string[]> {
  const staff = await getAll<User>(
    collection('users').where({ roleKeys: roleKey('worker', { communityId }) }),
  );
  return staff.map((u) => u.openid);
}

/** The people behind takers: persons themselves, units' staff. */
export async function peopleOf(takers: Pick<ServiceTaker, 'kind' | 'id'>[]): Promise<string[]> {
  const units = takers.filter((t) => t.kind === 'unit').map((t) => t.id);
  const staff = units.length
    ? await getAll<User>(
        collection('users').where({
          roleKeys: cmd().in(units.map((unitId) => roleKey('unitStaff', { unitId }))),
        }),
      )
    : [];
  return [
    ...new Set([
      ...takers.filter((t) => t.kind === 'person').map((t) => t.id),
      ...staff.map((u) => u.openid),
    ]),
  ];
}

export async function loadUnit(id: string): Promise<Unit> {
  const u = await getById<Unit>('units', id);
  if (!u) throw notFound('单位不存在');
  return u;
}

export function event(
  kind: 'serviceStatus' | 'serviceTask',
  r: ServiceRequest,
  summary: string,
  openids: string[],
): EmitInput[] {
  const recipients = [...new Set(openids)].filter(Boolean);
  if (!recipients.length) return [];
  return [
    {
      kind,
      payload: {
        requestId: r._id,
        categoryName: categoryName(r.category),
        stageName: stageName(r.stage),
        summary,
        at: dueAt(r) ?? r.startAt,
      },
      recipients: { openids: recipients },
    },
  ];
}

// ---------- completion: hours, member and unit records ----------

/** `counters/<id>`: a member's (person) or a unit's completed service requests in a year. */
export {
  memberServiceCounterId as memberCounterId,
  unitServiceCounterId as unitCounterId,
} from '../domain/service-request';
import {
  memberServiceCounterId as memberCounterId,
  unitServiceCounterId as unitCounterId,
} from '../domain/service-request';
import { shanghaiYear } from '../domain/shanghai';

export interface ServiceCounter {
  count: number;
  hours: number;
  year: number;
}

/**
 * What completing a request (confirmed, or closed unconfirmed) writes, read in one round: the
 * volunteers' ledgers (when `hours` are given per taker), the community's points rule and the
 * yearly counters of members and units. `counted` says whether the counters already took it.
 */
export async function openCompletion(
  t: TxDocs,
  r: ServiceRequest,
  now: number,
  opts: { hours: { taker: ServiceTaker; hours: number }[]; count: boolean },
): Promise<(next: ServiceRequest) => Array<() => Promise<unknown>>> {
  const year = shanghaiYear(r.result?.at ?? now);
  const counterIds = opts.count
    ? r.takers.flatMap((tk) => [
        ...(tk.kind === 'person' && tk.capacities.includes('member') ? [memberCounterId(tk.id, year)] : []),
        ...(tk.kind === 'unit' ? [unitCounterId(tk.id, year)] : []),
      ])
    : [];
  const boardRef = { communityId: r.communityId, at: now, openid: r.openid };
  const [settings, ledgers, counters, board] = await Promise.all([
    opts.hours.length ? t.get<{ pointsPerHour?: number }>('volunteer_settings', r.communityId) : undefined,
    Promise.all(
      opts.hours.map(({ taker }) =>
        Ledger.open(t, taker.id, now, {
          hours: [{ _id: hourEntryId(r._id, taker.id), communityId: r.communityId, at: now }],
          points: [`earn_${hourEntryId(r._id, taker.id)}`],
        }),
      ),
    ),
    Promise.all(counterIds.map((id) => t.get<ServiceCounter>('counters', id))),
    opts.count ? DashboardCounters.open(t, { refs: [boardRef] }) : undefined,
  ]);
  return (next) => {
    const writes: Array<() => Promise<unknown>> = [];
    if (board) {
      // The public board's "requests met" (and the rating given with the confirmation).
      board.add(boardRef, {
        [SERVICE_FIELDS.met]: 1,
        ...(next.rating && !r.rating
          ? { [SERVICE_FIELDS.rated]: 1, [SERVICE_FIELDS.stars]: next.rating.stars }
          : {}),
      });
      writes.push(...board.writes());
    }
    const title = `微心愿：${categoryName(r.category)}`;
    opts.hours.forEach(({ taker, hours }, i) => {
      const ledger = ledgers[i]!;
      const entryId = hourEntryId(r._id, taker.id);
      const added = ledger.hours({
        _id: entryId,
        openid: taker.id,
        communityId: r.communityId,
        activityId: `service:${r._id}`,
        activityTitle: title,
        kind: 'recorded',
        category: 'service',
        hours,
        by: next.timeline[next.timeline.length - 1]?.actorOpenid ?? 'system',
        at: now,
      });
      const points = pointsFor(hours, settings?.pointsPerHour ?? DEFAULT_SETTINGS.pointsPerHour);
      if (added && points > 0) {
        const entry: PointsEntry = {
          _id: `earn_${entryId}`,
          openid: taker.id,
          communityId: r.communityId,
          kind: 'earned',
          points,
          at: now,
          reason: title,
          by: 'system',
        };
        ledger.points(entry);
      }
      writes.push(() => ledger.save());
    });
    counterIds.forEach((id, i) => {
      const c = counters[i];
      const tk = r.takers.find((x) => id === memberCounterId(x.id, year) || id === unitCounterId(x.id, year));
      const hours = tk?.hoursRecorded ?? next.takers.find((x) => x.id === tk?.id)?.hoursRecorded ?? 0;
      writes.push(() =>
        t.set('counters', id, { count: (c?.count ?? 0) + 1, hours: (c?.hours ?? 0) + hours, year }),
      );
    });
    return writes;
  };
}

/** Read a member's or a unit's yearly counter (outside a transaction; records read it). */
export async function serviceCount(id: string): Promise<number> {
  return (await getById<ServiceCounter>('counters', id))?.count ?? 0;
}
