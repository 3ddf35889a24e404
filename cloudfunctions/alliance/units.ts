/** 驻区单位: registration, one-time invite codes for staff, and the staff list. */
import { randomBytes } from 'node:crypto';
import type { AllianceUnit, RoleGrant, UnitInvite, User } from '../../types/domain';
import { dataCipher } from '../core/crypto';
import { collection, getAll, transaction } from '../core/db';
import { conflict, forbidden, notFound } from '../core/errors';
import { assertManagesCommunity, type Caller } from '../core/guard';
import { runtime } from '../core/runtime';
import { canRedeem, INVITE_TTL_MS, inviteCode, normalizeCode } from '../domain/alliance';
import { rolesPatch } from '../domain/roles';
import { assertCanInvite, assertCanManageStaff, canManageUnit, requireStaffUnit } from './access';
import { body, loadCommunity, loadUnit, myUnitView, newId, unitView, type AllianceActions } from './common';

/**
 * Invite codes are stored only as a keyed hash (HMAC with the deployment's data secret): someone
 * reading the database cannot redeem an outstanding code, and lookup stays a single document get.
 */
const inviteKey = (code: string) =>
  dataCipher(process.env, { demo: runtime().demo }).keyedHash(`unit-invite:${normalizeCode(code)}`);

async function assertManagesAll(caller: Caller, communityIds: string[]): Promise<void> {
  for (const id of communityIds) {
    await loadCommunity(id);
    assertManagesCommunity(caller, id);
  }
}

export const unitActions: AllianceActions<
  'registerUnit' | 'updateUnit' | 'listUnits' | 'issueInvite' | 'redeemInvite' | 'removeStaff' | 'myUnit'
> = {
  registerUnit: {
    roles: ['worker', 'admin'],
    async handler({ caller, now }, data) {
      const communityIds = [...new Set(data.communityIds)];
      await assertManagesAll(caller, communityIds);
      const unit: AllianceUnit = {
        _id: newId(),
        ...data,
        communityIds,
        adminOpenids: [],
        createdBy: caller.openid,
        createdAt: now,
        updatedAt: now,
      };
      await collection('units').doc(unit._id).set(body(unit));
      return unitView(unit);
    },
  },

  updateUnit: {
    roles: ['worker', 'admin'],
    async handler({ caller, now }, { unitId, patch }) {
      const unit = await loadUnit(unitId);
      if (!canManageUnit(caller, unit)) throw forbidden('只能修改本社区的共建单位');
      const { communityIds, ...fields } = patch;
      // The communities the caller adds and drops (workers only their own; admins any), applied
      // in a transaction to the unit as it is then, so concurrent edits by workers of different
      // communities both stand instead of the later list overwriting the earlier.
      let added: string[] = [];
      let dropped: string[] = [];
      if (communityIds) {
        const ids = [...new Set(communityIds)];
        added = ids.filter((c) => !unit.communityIds.includes(c));
        dropped = unit.communityIds.filter((c) => !ids.includes(c));
        await assertManagesAll(caller, [...added, ...dropped]);
      }
      const updated = await transaction(async (t) => {
        const cur = await t.get<AllianceUnit>('units', unitId);
        if (!cur) throw notFound('驻区单位不存在');
        const next: Partial<AllianceUnit> = { ...fields, updatedAt: now };
        if (communityIds) {
          next.communityIds = [
            ...cur.communityIds.filter((c) => !dropped.includes(c)),
            ...added.filter((c) => !cur.communityIds.includes(c)),
          ];
          if (next.communityIds.length === 0) throw conflict('共建单位至少要属于一个社区');
        }
        await t.update('units', unitId, next as Record<string, unknown>);
        return { ...cur, ...next };
      });
      return unitView({
        ...updated,
        adminOpenids: updated.adminOpenids ?? [],
        contact: updated.contact ?? '',
      });
    },
  },

  listUnits: {
    roles: 'any',
    async handler(_ctx, { communityId }) {
      const units = await getAll<AllianceUnit>(
        communityId
          ? collection('units').where({ communityIds: communityId })
          : collection('units').where({}),
      );
      units.sort((a, b) => a.name.localeCompare(b.name, 'zh'));
      return { units: units.map(unitView) };
    },
  },

  issueInvite: {
    roles: 'any',
    async handler({ caller, now }, { unitId, asAdmin }) {
      const unit = await loadUnit(unitId);
      assertCanInvite(caller, unit, asAdmin);
      return transaction(async (t) => {
        // A collision of two live codes is astronomically unlikely; refuse rather than overwrite.
        const code = inviteCode(randomBytes(8));
        const key = inviteKey(code);
        if (await t.get<UnitInvite>('unit_invites', key)) throw conflict('生成邀请码失败，请重试');
        const invite: UnitInvite = {
          _id: key,
          unitId,
          asAdmin,
          issuedBy: caller.openid,
          createdAt: now,
          expiresAt: now + INVITE_TTL_MS,
        };
        await t.set('unit_invites', key, body(invite));
        return { code, unitId, unitName: unit.name, asAdmin, expiresAt: invite.expiresAt };
      });
    },
  },

  redeemInvite: {
    roles: 'any',
    async handler({ caller, now }, { code }) {
      const key = inviteKey(code);
      const unitId = await transaction(async (t) => {
        const invite = await t.get<UnitInvite>('unit_invites', key);
        const allowed = canRedeem(invite, now);
        if (!allowed.ok) throw invite ? conflict(allowed.reason) : notFound(allowed.reason);
        if (!invite) throw notFound('邀请码无效');
        const user = await t.get<User>('users', caller.openid);
        if (!user) throw notFound('用户不存在');
        const bound = user.roles.find((r) => r.role === 'unitStaff');
        if (bound?.unitId === invite.unitId) throw conflict('你已是该单位的工作人员');
        if (bound) throw conflict('你已绑定其他驻区单位，请先由原单位解除绑定');
        const unit = await t.get<AllianceUnit>('units', invite.unitId);
        if (!unit) throw notFound('驻区单位不存在');
        const grant: RoleGrant = { role: 'unitStaff', unitId: invite.unitId };
        await t.update('unit_invites', key, { usedBy: caller.openid, usedAt: now });
        await t.update('users', caller.openid, { ...rolesPatch([...user.roles, grant]), updatedAt: now });
        if (invite.asAdmin) {
          const admins = unit.adminOpenids ?? [];
          await t.update('units', unit._id, { adminOpenids: [...admins, caller.openid], updatedAt: now });
        }
        return invite.unitId;
      });
      const unit = await loadUnit(unitId);
      return myUnitView(unit, caller);
    },
  },

  removeStaff: {
    roles: 'any',
    async handler({ caller, now }, { unitId, openid }) {
      const unit = await loadUnit(unitId);
      assertCanManageStaff(caller, unit);
      await transaction(async (t) => {
        const user = await t.get<User>('users', openid);
        if (!user || !user.roles.some((r) => r.role === 'unitStaff' && r.unitId === unitId))
          throw notFound('该用户不是本单位工作人员');
        await t.update('users', openid, {
          ...rolesPatch(user.roles.filter((r) => !(r.role === 'unitStaff' && r.unitId === unitId))),
          updatedAt: now,
        });
        const current = await t.get<AllianceUnit>('units', unitId);
        const admins = current?.adminOpenids ?? [];
        if (admins.includes(openid))
          await t.update('units', unitId, {
            adminOpenids: admins.filter((o) => o !== openid),
            updatedAt: now,
          });
      });
      return myUnitView(await loadUnit(unitId), caller);
    },
  },

  myUnit: {
    roles: ['unitStaff'],
    async handler({ caller }) {
      const unitId = requireStaffUnit(caller);
      return myUnitView(await loadUnit(unitId), caller);
    },
  },
};
