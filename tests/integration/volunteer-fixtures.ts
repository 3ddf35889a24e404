/**
 * Shared set-up for the volunteer integration tests (not a test file itself): valid ID numbers,
 * registering and approving volunteers, publishing listings, extra users, and capturing every
 * line the runtime (or the console) logs.
 */
import { forgetCaller } from '../../cloudfunctions/core/guard';
import { idCheckDigit } from '../../cloudfunctions/domain/volunteer';
import type { RoleGrant } from '../../types/domain';
import { DAY, HOUR, type Harness } from '../helpers/harness';
import { rolesPatch } from '../../cloudfunctions/domain/roles';

export const WORKER = 'demo-worker'; // worker of community-xingfuli
export const ADMIN = 'demo-admin';
export const UNIT = 'demo-unit'; // staff of unit-hospital (allied with xingfuli and heping)
export const RESIDENT = 'demo-resident';
export const MEMBER = 'demo-member';
export const VOLUNTEER = 'demo-volunteer';
export const XFL = 'community-xingfuli';
export const HP = 'community-heping';
export const OTHER_WORKER = 'worker-heping';
export const PLACE = { name: '幸福里党群服务中心', lat: 28.1941, lng: 112.9823, siteId: 'site-xfl-center' };

/** A valid 18-character ID number from its first 17 digits. */
export const idFrom = (first17: string) => first17 + idCheckDigit(first17);
export const ID_A = idFrom('43010219850612003'); // …003X: lower-case x accepted on input
export const ID_B = idFrom('32010119951120123');
export const ID_C = idFrom('11010119900307451');

export async function addUser(h: Harness, openid: string, roles: RoleGrant[], currentCommunityId = XFL) {
  const now = h.clock.now;
  forgetCaller(openid); // written behind the functions' back: drop the per-instance cached caller
  await h.rt.runtime.db
    .collection('users')
    .doc(openid)
    .set({
      openid,
      nickName: `用户${openid.slice(-3)}`,
      ...rolesPatch(roles),
      currentCommunityId,
      createdAt: now,
      updatedAt: now,
    });
}

export async function addOtherWorker(h: Harness) {
  await addUser(h, OTHER_WORKER, [{ role: 'resident' }, { role: 'worker', communityId: HP }], HP);
}

export function registration(over: Record<string, unknown> = {}) {
  return {
    communityId: XFL,
    name: '张晓雨',
    idNumber: ID_A,
    phone: '13812345678',
    skills: ['急救'],
    preferences: ['敬老助老'],
    consent: true,
    ...over,
  } as never;
}

/** Register and approve `openid` as a volunteer of xingfuli. */
export async function approvedVolunteer(h: Harness, openid: string, idNumber: string, name = '张晓雨') {
  await h.call(openid, 'volunteer', 'register', registration({ idNumber, name }));
  return h.call(WORKER, 'volunteer', 'reviewRegistration', { openid, approve: true });
}

export function serviceInput(h: Harness, over: Record<string, unknown> = {}) {
  const startAt = h.clock.now + 2 * DAY;
  return {
    communityId: XFL,
    category: '敬老助老',
    title: '敬老助餐',
    post: '送餐员',
    description: '为高龄独居老人送午餐',
    place: PLACE,
    requiredSkills: [],
    hoursPerSession: 2,
    placesPerSession: 3,
    review: false,
    checkInMethod: 'qr',
    startAt,
    endAt: startAt + 2 * HOUR,
    ...over,
  } as never;
}

export async function count(h: Harness, coll: string, where: Record<string, unknown> = {}) {
  return ((await h.rt.runtime.db.collection(coll).where(where).count()) as { total: number }).total;
}

export async function all<T = Record<string, unknown>>(
  h: Harness,
  coll: string,
  where: Record<string, unknown> = {},
) {
  const { data } = await h.rt.runtime.db.collection(coll).where(where).limit(1000).get();
  return data as T[];
}

/** Everything the runtime logs (at any level) and everything written to the console. */
export function captureLogs(h: Harness): { lines: string[]; restore(): void } {
  const lines: string[] = [];
  const rt = h.rt.runtime;
  const original = rt.log;
  rt.log = (level, message, extra) => {
    lines.push(`${level} ${message} ${extra ? JSON.stringify(extra) : ''}`);
  };
  const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) =>
    jest.spyOn(console, m).mockImplementation((...args: unknown[]) => {
      lines.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
    }),
  );
  return {
    lines,
    restore() {
      rt.log = original;
      spies.forEach((s) => s.mockRestore());
    },
  };
}
