/**
 * 党员名录: finding a member to put on a roster (or to make a branch's secretary) by name or by the
 * last four digits of their phone, instead of typing an openid. Entries
 * (`member_directory/<communityId>_<openid>`, see domain/branch `directoryEntry`) are written with
 * every grant or revocation of a community's member role (user/admin.ts `changeRoles`, in its
 * transaction); the search reads them through the indexes `community_name` / `community_phone`
 * (community, active, name prefix or last four digits) one page at a time — never the users
 * collection. Results are masked (李*国, 138****5678) and say whether the person is already on this
 * branch's roster or on another branch's (a member belongs to one branch; addMember enforces it in
 * its transaction).
 */
import type { BranchHolder, DirectoryHit } from '../../types/branch';
import type { User } from '../../types/domain';
import type { VolunteerRegistration } from '../../types/volunteer';
import { byIds, cmd, collection, getAll, transaction, type TxDocs } from '../core/db';
import { mapLimit } from '../core/jobs';
import { roleKey } from '../domain/roles';
import { forbidden } from '../core/errors';
import { assertManagesCommunity } from '../core/guard';
import {
  directoryEntry,
  directoryId,
  maskPersonName,
  nameKeyOf,
  type DirectoryEntry,
} from '../domain/branch';
import { assertRunsBranch, loadBranch, type BranchActions } from './common';

export const DIRECTORY_PAGE = 10;

/** The real-name registration an entry takes its name and phone from (read in `t`). */
export function readRegistration(t: TxDocs, openid: string): Promise<VolunteerRegistration | undefined> {
  return t.get<VolunteerRegistration>('volunteers', openid);
}

/**
 * Write the directory entry of `user` in `communityId` inside the caller's transaction (the member
 * role was granted: active; revoked: inactive).
 */
export function writeDirectory(
  t: TxDocs,
  user: Pick<User, 'openid' | 'nickName'>,
  registration: VolunteerRegistration | undefined,
  communityId: string,
  active: boolean,
  now: number,
): Promise<void> {
  const entry = directoryEntry(user, registration, communityId, active, now);
  return t.set(
    'member_directory',
    directoryId(communityId, user.openid),
    entry as unknown as Record<string, unknown>,
  );
}

export const directoryActions: BranchActions<'searchMembers' | 'refreshDirectory'> = {
  /**
   * Maintenance for a worker: rewrite the community's entries from who holds its member role now
   * (members granted before the directory existed; names or phones changed since), and retire
   * entries of people who no longer hold it. Reads the users with the role (through the
   * `users.role_keys` index; a maintenance step, not a user action's budget); each entry is
   * derived, so writing it again is harmless.
   */
  refreshDirectory: {
    roles: ['worker', 'admin'],
    async handler({ caller, now }, { communityId }) {
      assertManagesCommunity(caller, communityId);
      const [users, entries] = await Promise.all([
        getAll<User>(collection('users').where({ roleKeys: roleKey('member', { communityId }) })),
        getAll<DirectoryEntry>(collection('member_directory').where({ communityId, active: true })),
      ]);
      const openids = [...new Set([...users.map((u) => u.openid), ...entries.map((e) => e.openid)])];
      // One small transaction per person, from their user and registration as they are now: a
      // role granted or revoked meanwhile writes the same entry, so the two conflict and the
      // later one sees the other's result.
      const active = await mapLimit(openids, 10, (openid) =>
        transaction(async (t) => {
          const [u, reg] = await Promise.all([t.get<User>('users', openid), readRegistration(t, openid)]);
          const holds = !!u?.roles.some((g) => g.role === 'member' && g.communityId === communityId);
          if (!u) return false;
          await writeDirectory(t, u, reg, communityId, holds, now);
          return holds;
        }),
      );
      const members = active.filter(Boolean).length;
      return { members, retired: openids.length - members };
    },
  },

  searchMembers: {
    roles: ['member', 'worker', 'admin'],
    async handler({ caller }, { communityId, branchId, q, page }) {
      const _ = cmd();
      const byPhone = /^\d{4}$/.test(q);
      const key = nameKeyOf(q);
      const search = (community: string) =>
        collection('member_directory')
          .where(
            byPhone
              ? { communityId: community, active: true, phoneLast4: q }
              : { communityId: community, active: true, nameKey: _.gte(key).and(_.lt(`${key}\uffff`)) },
          )
          .orderBy(byPhone ? 'phoneLast4' : 'nameKey', 'asc')
          .skip(page * DIRECTORY_PAGE)
          .limit(DIRECTORY_PAGE + 1)
          .get();
      let query: ReturnType<typeof search>;
      if (branchId) {
        // For a branch: its secretary or a worker, in the branch's community.
        const b = await loadBranch(branchId);
        assertRunsBranch(caller, b);
        if (communityId && b.communityId !== communityId) throw forbidden('只能查找本支部所在社区的党员');
        query = search(b.communityId);
      } else {
        // For a community (e.g. a new branch's secretary): its workers; the query runs meanwhile.
        query = search(communityId!);
        query.catch(() => undefined); // awaited below, after the caller's right is checked
        assertManagesCommunity(caller, communityId!);
      }
      const found = (await query).data as DirectoryEntry[];
      const entries = found.slice(0, DIRECTORY_PAGE);
      const holders = await byIds<BranchHolder>(
        'branch_holders',
        entries.map((e) => e.openid),
      );
      const items: DirectoryHit[] = entries.map((e) => {
        const h = holders.get(e.openid);
        return {
          openid: e.openid,
          nameMasked: maskPersonName(e.name),
          ...(e.phoneMasked ? { phoneMasked: e.phoneMasked } : {}),
          ...(h?.active
            ? { inBranch: h.branchId === branchId ? ('this' as const) : ('other' as const) }
            : {}),
        };
      });
      return { items, page, hasMore: found.length > DIRECTORY_PAGE };
    },
  },
};
