/**
 * Real-name registration (服务实名制): consent, registering (ID number validated, encrypted, its
 * keyed hash unique across volunteers), the community's review, revealing an identity for a
 * stated purpose (audited), the volunteer's own data export, and correction requests.
 * The plaintext ID number and phone never leave this module except to their owner (export) or a
 * worker who states why (revealIdentity); they are never logged.
 */
import type {
  CorrectionRequest,
  CorrectionView,
  HourEntry,
  MyDataExport,
  PointsEntry,
  SignUp,
  User,
  VolunteerRegistration,
} from '../../types/domain';
import { CONSENT_VERSION } from '../../types/volunteer';
import { byIds, collection, getAll, getById, transaction } from '../core/db';
import { conflict, forbidden, invalid, notFound } from '../core/errors';
import { canManageCommunity, sameGrant } from '../core/guard';
import { communityPage, newestPage } from '../core/paging';
import { maskIdNumber, maskPhone } from '../domain/mask';
import { writeDirectory } from '../branch/directory';
import { rolesPatch } from '../domain/roles';
import { validateIdNumber } from '../domain/volunteer';
import {
  audit,
  body,
  cipher,
  decidePending,
  loadCommunity,
  loadDoc,
  loadRegistration,
  newId,
  registrationView,
  registrationViews,
  requireRegistration,
  type VolunteerActions,
} from './common';

export const CONSENT_TEXT = [
  '为开展志愿服务实名登记、记录服务时长并出具志愿服务证明（依据《志愿服务记录与证明出具办法》），',
  '我们需要收集你的姓名、身份证号码和手机号码。',
  '谁能看到：仅你所登记社区的社区工作者可以查看；身份证号码和手机号码加密保存，页面上只显示部分号码，',
  '工作者查看完整号码时须说明用途，每次查看都会被记录。',
  '为什么需要：核实志愿者身份、记录实名服务时长、出具服务证明。',
  '保存多久：在你作为志愿者期间保存；注销志愿者身份后，服务记录按规定保存，个人号码在注销后删除。',
  '你的权利：你可以随时在「我的数据」中导出自己的全部数据，发现信息或时长有误时可以申请更正。',
].join('');

const idHashOf = (normalisedId: string) => cipher().keyedHash(`volunteer-id:${normalisedId}`);

const ID_TAKEN = '该身份证号码已登记为志愿者，如有疑问请联系社区';

async function correctionViews(items: CorrectionRequest[]): Promise<CorrectionView[]> {
  const users = await byIds<User>('users', [...new Set(items.map((c) => c.openid))]);
  return items.map(({ handledBy: _h, ...c }) => ({ ...c, nickName: users.get(c.openid)?.nickName }));
}

export const registrationActions: VolunteerActions<
  | 'consent'
  | 'register'
  | 'updateRegistration'
  | 'myRegistration'
  | 'listRegistrations'
  | 'reviewRegistration'
  | 'revealIdentity'
  | 'revealMine'
  | 'exportMyData'
  | 'requestCorrection'
  | 'myCorrections'
  | 'listCorrections'
  | 'handleCorrection'
> = {
  consent: {
    roles: 'any',
    async handler() {
      return { version: CONSENT_VERSION, text: CONSENT_TEXT };
    },
  },

  register: {
    roles: 'any',
    async handler({ caller, now }, data) {
      const check = validateIdNumber(data.idNumber, now);
      if (!check.ok) throw invalid(check.reason, { idNumber: check.reason });
      await loadCommunity(data.communityId);
      const idNumber = data.idNumber.trim().toUpperCase();
      const c = cipher();
      const idHash = idHashOf(idNumber);
      const saved = await transaction(async (t) => {
        const existing = await t.get<VolunteerRegistration>('volunteers', caller.openid);
        if (existing?.status === 'approved')
          throw conflict('你已是登记志愿者，如需修改姓名或身份证号码请提交更正申请');
        const holder = await t.get<{ openid?: string }>('volunteer_ids', idHash);
        if (holder?.openid && holder.openid !== caller.openid) throw conflict(ID_TAKEN);
        if (existing && existing.idHash !== idHash) {
          // The ID changed on resubmission: release the old one.
          await t.set('volunteer_ids', existing.idHash, { openid: '', releasedAt: now });
        }
        await t.set('volunteer_ids', idHash, { openid: caller.openid, at: now });
        const reg: VolunteerRegistration = {
          _id: caller.openid,
          openid: caller.openid,
          communityId: data.communityId,
          name: data.name,
          idEncrypted: c.encrypt(idNumber),
          idHash,
          idMasked: maskIdNumber(idNumber),
          phoneEncrypted: c.encrypt(data.phone),
          phoneMasked: maskPhone(data.phone),
          birthDate: check.birthDate,
          skills: data.skills,
          preferences: data.preferences,
          consentVersion: CONSENT_VERSION,
          consentAt: now,
          status: 'pending',
          submittedAt: now,
          rankingOptOut: existing?.rankingOptOut ?? false,
          createdAt: existing?.createdAt ?? now,
          updatedAt: now,
        };
        await t.set('volunteers', reg._id, body(reg));
        return reg;
      });
      return registrationView(saved);
    },
  },

  updateRegistration: {
    roles: 'any',
    async handler({ caller, now }, data) {
      const reg = await requireRegistration(caller.openid);
      const patch: Partial<VolunteerRegistration> = { updatedAt: now };
      if (data.phone !== undefined) {
        patch.phoneEncrypted = cipher().encrypt(data.phone);
        patch.phoneMasked = maskPhone(data.phone);
      }
      if (data.skills !== undefined) patch.skills = data.skills;
      if (data.preferences !== undefined) patch.preferences = data.preferences;
      await collection('volunteers').doc(caller.openid).update(patch);
      return registrationView({ ...reg, ...patch });
    },
  },

  myRegistration: {
    roles: 'any',
    async handler({ caller }) {
      const reg = await loadRegistration(caller.openid);
      return { registration: reg ? await registrationView(reg) : null };
    },
  },

  listRegistrations: {
    roles: ['worker', 'admin'],
    async handler({ caller }, input) {
      return communityPage(caller, 'volunteers', input, registrationViews, 'submittedAt');
    },
  },

  reviewRegistration: {
    roles: ['worker', 'admin'],
    async handler(ctx, { openid, approve, reason }) {
      const { caller, now } = ctx;
      const saved = await decidePending(ctx, {
        collection: 'volunteers',
        id: openid,
        missing: '没有找到该志愿者登记',
        handled: '该登记已审核',
        subject: 'registration',
        approved: approve,
        reason,
        action: 'registrationReviewed',
        detail: () => (approve ? '登记审核通过' : `登记未通过：${reason ?? ''}`),
        async apply(t, reg: VolunteerRegistration) {
          const { rejectReason: _old, ...rest } = reg;
          const next: VolunteerRegistration = {
            ...rest,
            status: approve ? 'approved' : 'rejected',
            ...(approve ? {} : { rejectReason: reason }),
            reviewedBy: caller.openid,
            reviewedAt: now,
            updatedAt: now,
          };
          await t.set('volunteers', openid, body(next));
          if (approve) {
            const user = await t.get<User>('users', openid);
            const grant = { role: 'volunteer' as const, communityId: reg.communityId };
            // A Party member's 党员名录 entries take the real name and phone from now on.
            const memberOf = (user?.roles ?? []).filter((g) => g.role === 'member' && g.communityId);
            await Promise.all([
              user && !user.roles.some((g) => sameGrant(g, grant))
                ? t.update('users', openid, { ...rolesPatch([...user.roles, grant]), updatedAt: now })
                : undefined,
              ...(user
                ? memberOf.map((g) => writeDirectory(t, user, next, g.communityId as string, true, now))
                : []),
            ]);
          }
          return next;
        },
      });
      return registrationView(saved);
    },
  },

  revealIdentity: {
    roles: ['worker', 'admin'],
    async handler({ caller, now }, { openid, purpose }) {
      const reg = await loadDoc<VolunteerRegistration>('volunteers', openid, '没有找到该志愿者登记');
      if (!canManageCommunity(caller, reg.communityId)) throw forbidden('只能查看本社区志愿者的身份信息');
      const c = cipher();
      const revealed = {
        name: reg.name,
        idNumber: c.decrypt(reg.idEncrypted),
        phone: c.decrypt(reg.phoneEncrypted),
      };
      await transaction(async (t) =>
        audit(t, {
          at: now,
          actor: caller.openid,
          action: 'identityRevealed',
          subject: openid,
          communityId: reg.communityId,
          detail: purpose,
        }),
      );
      return revealed;
    },
  },

  revealMine: {
    roles: 'any',
    async handler({ caller }) {
      const reg = await loadDoc<VolunteerRegistration>('volunteers', caller.openid, '你还没有登记为志愿者');
      const c = cipher();
      return { idNumber: c.decrypt(reg.idEncrypted), phone: c.decrypt(reg.phoneEncrypted) };
    },
  },

  exportMyData: {
    roles: 'any',
    async handler({ caller, now }) {
      const openid = caller.openid;
      const [reg, account, hours, points, signUps, corrections] = await Promise.all([
        loadRegistration(openid),
        getById<{ recordedHours: number; grantedHours: number; pointsBalance: number }>(
          'service_accounts',
          openid,
        ),
        getAll<HourEntry>(collection('service_hours').where({ openid }).orderBy('at', 'desc')),
        getAll<PointsEntry>(collection('points_ledger').where({ openid }).orderBy('at', 'desc')),
        getAll<SignUp>(collection('signups').where({ openid }).orderBy('startAt', 'desc')),
        getAll<CorrectionRequest>(collection('corrections').where({ openid }).orderBy('createdAt', 'desc')),
      ]);
      const activities = await activityTitles(signUps.map((s) => s.activityId));
      let registration: MyDataExport['registration'] = null;
      if (reg) {
        const c = cipher();
        const { idMasked: _i, phoneMasked: _p, ...view } = await registrationView(reg);
        registration = {
          ...view,
          idNumber: c.decrypt(reg.idEncrypted),
          phone: c.decrypt(reg.phoneEncrypted),
        };
      }
      return {
        exportedAt: now,
        registration,
        account: {
          recordedHours: account?.recordedHours ?? 0,
          grantedHours: account?.grantedHours ?? 0,
          pointsBalance: account?.pointsBalance ?? 0,
        },
        hours: hours.map(({ by: _b, month: _m, year: _y, ...h }) => h),
        points: points.map((p) => ({
          kind: p.kind,
          points: p.points,
          at: p.at,
          ...(p.reason ? { reason: p.reason } : {}),
        })),
        signUps: signUps.map((s) => ({
          activityId: s.activityId,
          title: activities.get(s.activityId) ?? '',
          startAt: s.startAt,
          status: s.status,
        })),
        corrections: await correctionViews(corrections),
      };
    },
  },

  requestCorrection: {
    roles: 'any',
    async handler({ caller, now }, data) {
      const reg = await requireRegistration(caller.openid);
      if (data.activityId && !(await getById('activities', data.activityId)))
        throw notFound('活动不存在或已删除');
      const c: CorrectionRequest = {
        _id: newId(),
        openid: caller.openid,
        communityId: reg.communityId,
        field: data.field,
        message: data.message,
        ...(data.activityId ? { activityId: data.activityId } : {}),
        status: 'pending',
        createdAt: now,
      };
      await collection('corrections').doc(c._id).set(body(c));
      return (await correctionViews([c]))[0]!;
    },
  },

  myCorrections: {
    roles: 'any',
    async handler({ caller }, input) {
      return newestPage('corrections', { openid: caller.openid }, input, correctionViews);
    },
  },

  listCorrections: {
    roles: ['worker', 'admin'],
    async handler({ caller }, input) {
      return communityPage(caller, 'corrections', input, correctionViews);
    },
  },

  handleCorrection: {
    roles: ['worker', 'admin'],
    async handler(ctx, { correctionId, accept, reply }) {
      const { caller, now } = ctx;
      const saved = await decidePending(ctx, {
        collection: 'corrections',
        id: correctionId,
        missing: '没有找到该更正申请',
        handled: '该更正申请已处理',
        subject: 'correction',
        approved: accept,
        reason: reply,
        action: 'correctionHandled',
        detail: (c: CorrectionRequest) => `${accept ? '受理' : '不予更正'}（${c.field}）：${reply}`,
        async apply(t, c: CorrectionRequest) {
          const patch = {
            status: accept ? ('accepted' as const) : ('declined' as const),
            reply,
            handledBy: caller.openid,
            handledAt: now,
          };
          await t.update('corrections', correctionId, patch);
          if (accept && (c.field === 'name' || c.field === 'idNumber')) {
            // Identity fields change only through a new, reviewed registration: reopen it.
            const reg = await t.get<VolunteerRegistration>('volunteers', c.openid);
            if (reg) {
              await t.update('volunteers', c.openid, {
                status: 'rejected',
                rejectReason: reply,
                updatedAt: now,
              });
            }
          }
          return { ...c, ...patch };
        },
      });
      return (await correctionViews([saved]))[0]!;
    },
  },
};

async function activityTitles(ids: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 200) {
    const found = await byIds<{ _id: string; title: string }>('activities', unique.slice(i, i + 200));
    for (const a of found.values()) out.set(a._id, a.title);
  }
  return out;
}
