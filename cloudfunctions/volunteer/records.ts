/**
 * The volunteer's record: profile (totals from the ledgers' account, stars, this month's and
 * year's hours), the hour ledger, rankings (opt-out respected), certificates (numbered per year,
 * verifiable by number + token, masked) and the community's points settings.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';
import type {
  Certificate,
  CertificateView,
  HourEntry,
  RankingRow,
  ServiceAccount,
  User,
  VolunteerRegistration,
  VolunteerSettings,
} from '../../types/domain';
import { byIds, cmd, collection, getById, transaction } from '../core/db';
import { conflict, forbidden, invalid } from '../core/errors';
import { canManageCommunity, managedCommunity } from '../core/guard';
import { newestPage } from '../core/paging';
import { certificateNumber, starLevel } from '../domain/volunteer';
import {
  body,
  communityNames,
  loadCommunity,
  loadRegistration,
  loadSettings,
  registrationView,
  requireRegistration,
  type VolunteerActions,
} from './common';
import { hourTotalId, periodKeys, type HourTotal } from './ledgers';

dayjs.extend(utc);
dayjs.extend(timezone);

const RANKING_SIZE = 50;

/** 张三明 → 张*明, 张三 → 张*, 欧阳小明 → 欧**明. */
export function maskName(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length <= 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return chars[0] + '*'.repeat(chars.length - 2) + chars[chars.length - 1];
}

function certificateView(c: Certificate): CertificateView {
  const { _id: _i, openid: _o, token, ...rest } = c;
  const query = `no=${encodeURIComponent(c.number)}&t=${encodeURIComponent(token)}`;
  const verifyPath = `packages/volunteer/verify?${query}`;
  // A deployment that registered a 扫普通链接二维码 rule for this URL prefix gets QR codes WeChat's
  // own scanner opens; without one the QR is read from inside the app.
  const base = process.env.CERT_VERIFY_URL?.trim();
  return {
    ...rest,
    verifyPath,
    qrContent: base ? `${base}${base.includes('?') ? '&' : '?'}${query}` : verifyPath,
  };
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export const recordActions: VolunteerActions<
  | 'profile'
  | 'myHours'
  | 'setRankingOptOut'
  | 'rankings'
  | 'issueCertificate'
  | 'myCertificates'
  | 'verifyCertificate'
  | 'settings'
  | 'configure'
> = {
  profile: {
    roles: 'any',
    async handler({ caller, now }) {
      const keys = periodKeys(now);
      const [reg, account, totals] = await Promise.all([
        loadRegistration(caller.openid),
        getById<ServiceAccount>('service_accounts', caller.openid),
        collection('hour_totals')
          .where({ openid: caller.openid, period: cmd().in([keys.month, keys.year]) })
          .limit(100)
          .get() as Promise<{ data: HourTotal[] }>,
      ]);
      const sum = (period: string) =>
        Math.round(totals.data.filter((r) => r.period === period).reduce((n, r) => n + r.hours, 0) * 100) /
        100;
      const recorded = account?.recordedHours ?? 0;
      const granted = account?.grantedHours ?? 0;
      return {
        registration: reg ? await registrationView(reg) : null,
        recordedHours: recorded,
        grantedHours: granted,
        totalHours: Math.round((recorded + granted) * 100) / 100,
        star: starLevel(recorded),
        pointsBalance: account?.pointsBalance ?? 0,
        monthHours: sum(keys.month),
        yearHours: sum(keys.year),
      };
    },
  },

  myHours: {
    roles: 'any',
    async handler({ caller }, input) {
      return newestPage(
        'service_hours',
        { openid: caller.openid, kind: input.kind },
        input,
        (items: HourEntry[]) => items.map(({ by: _b, month: _m, year: _y, ...h }) => h),
        'at',
      );
    },
  },

  setRankingOptOut: {
    roles: 'any',
    async handler({ caller, now }, { optOut }) {
      const reg = await requireRegistration(caller.openid);
      // The ranking rows carry the flag (a volunteer has one per period and community).
      await Promise.all([
        collection('volunteers').doc(caller.openid).update({ rankingOptOut: optOut, updatedAt: now }),
        collection('hour_totals').where({ openid: caller.openid }).update({ optOut }),
      ]);
      return registrationView({ ...reg, rankingOptOut: optOut, updatedAt: now });
    },
  },

  rankings: {
    roles: 'any',
    async handler({ caller, now }, input) {
      const periodKey = periodKeys(now)[input.period];
      const mineP = loadRegistration(caller.openid);
      const communityId = input.communityId ?? (await mineP)?.communityId ?? caller.user.currentCommunityId;
      if (!communityId) throw invalid('请先选择社区', { communityId: '请先选择社区' });
      const base = { communityId, period: periodKey };
      const shown = { ...base, optOut: cmd().neq(true) };
      // The top rows (opted-out rows skipped in the index) and the caller's own row, together.
      const [mine, { data: top }, own] = await Promise.all([
        mineP,
        collection('hour_totals').where(shown).orderBy('hours', 'desc').limit(RANKING_SIZE).get() as Promise<{
          data: HourTotal[];
        }>,
        getById<HourTotal>('hour_totals', hourTotalId(communityId, periodKey, caller.openid)),
      ]);
      const visible = top.filter((r) => r.hours > 0);
      const hours = own?.hours ?? 0;
      const optedOut = mine?.rankingOptOut ?? false;
      const listed = visible.some((r) => r.openid === caller.openid);
      // Names of the shown, and the caller's rank when not among them: rows ahead, counted.
      const [users, ahead] = await Promise.all([
        byIds<User>(
          'users',
          visible.map((r) => r.openid),
        ),
        !optedOut && hours > 0 && !listed
          ? (collection('hour_totals')
              .where({ ...shown, hours: cmd().gt(hours) })
              .count() as Promise<{ total: number }>)
          : undefined,
      ]);
      // Equal hours share a rank (1, 2, 2, 4).
      const items: RankingRow[] = [];
      visible.forEach((r, i) => {
        const prev = items[i - 1];
        items.push({
          rank: prev && prev.hours === r.hours ? prev.rank : i + 1,
          openid: r.openid,
          nickName: users.get(r.openid)?.nickName ?? '志愿者',
          hours: r.hours,
        });
      });
      let rank: number | undefined;
      if (!optedOut && hours > 0) {
        rank = items.find((r) => r.openid === caller.openid)?.rank ?? (ahead?.total ?? 0) + 1;
      }
      return {
        communityId,
        period: input.period,
        periodKey,
        items,
        me: { ...(rank ? { rank } : {}), hours, optedOut },
      };
    },
  },

  issueCertificate: {
    roles: 'any',
    async handler({ caller, now }) {
      // The registration, totals and recent services are read while the transaction starts; the
      // year's counter (the certificate number) is read and bumped inside it.
      const before = Promise.all([
        loadRegistration(caller.openid),
        getById<ServiceAccount>('service_accounts', caller.openid),
        collection('service_hours')
          .where({ openid: caller.openid, kind: 'recorded' })
          .orderBy('at', 'desc')
          .limit(20)
          .get() as Promise<{ data: HourEntry[] }>,
      ]);
      before.catch(() => {}); // awaited inside the transaction
      const year = dayjs(now).tz('Asia/Shanghai').format('YYYY');
      const counterId = `certificate-${year}`;
      const cert = await transaction(async (t) => {
        const [reg, account, recent] = await before;
        if (!reg || reg.status !== 'approved') throw forbidden('志愿者登记审核通过后才能开具服务证明');
        const recordedHours = account?.recordedHours ?? 0;
        const grantedHours = account?.grantedHours ?? 0;
        if (recordedHours + grantedHours <= 0) throw conflict('还没有服务时长记录，暂不能开具证明');
        const [counter, names] = await Promise.all([
          t.get<{ seq: number }>('counters', counterId),
          communityNames([reg.communityId]),
        ]);
        const seq = (counter?.seq ?? 0) + 1;
        const number = certificateNumber(now, seq);
        const c: Certificate = {
          _id: number,
          number,
          openid: caller.openid,
          communityId: reg.communityId,
          issuer: names.get(reg.communityId) ?? '',
          issuedAt: now,
          nameMasked: maskName(reg.name),
          idMasked: reg.idMasked,
          recordedHours,
          grantedHours,
          services: recent.data.map((h) => ({
            title: h.activityTitle,
            date: dayjs(h.at).tz('Asia/Shanghai').format('YYYY-MM-DD'),
            hours: h.hours,
          })),
          token: randomBytes(16).toString('base64url'),
        };
        await Promise.all([t.set('counters', counterId, { seq }), t.set('certificates', number, body(c))]);
        return c;
      });
      return certificateView(cert);
    },
  },

  myCertificates: {
    roles: 'any',
    async handler({ caller }) {
      const { data } = (await collection('certificates')
        .where({ openid: caller.openid })
        .orderBy('issuedAt', 'desc')
        .limit(50)
        .get()) as { data: Certificate[] };
      return { items: data.map(certificateView) };
    },
  },

  verifyCertificate: {
    roles: 'any',
    async handler(_ctx, { number, token }) {
      const c = await getById<Certificate>('certificates', number);
      if (!c || !sameToken(c.token, token)) return { valid: false };
      const { verifyPath: _p, qrContent: _q, ...certificate } = certificateView(c);
      return { valid: true, certificate };
    },
  },

  settings: {
    roles: 'any',
    async handler({ caller }, input) {
      // Anyone reads any community's rules; without one named, a worker reads the community they
      // manage, everyone else their own (registration, else the one they browse). Who changed
      // the rules is for that community's workers (and the admin) only.
      const own = caller.user.roles.find((r) => r.role === 'worker')?.communityId;
      const reg =
        input.communityId || own
          ? undefined
          : await getById<VolunteerRegistration>('volunteers', caller.openid);
      const communityId = input.communityId ?? own ?? reg?.communityId ?? caller.user.currentCommunityId;
      if (!communityId) throw invalid('请指定社区');
      const settings = await loadSettings(communityId);
      return canManageCommunity(caller, communityId) ? settings : { ...settings, updatedBy: '' };
    },
  },

  configure: {
    roles: ['worker', 'admin'],
    async handler({ caller, now }, { communityId, pointsPerHour, pointsExpiry }) {
      managedCommunity(caller, communityId);
      await loadCommunity(communityId);
      const s: VolunteerSettings = {
        _id: communityId,
        pointsPerHour,
        pointsExpiry,
        updatedAt: now,
        updatedBy: caller.openid,
      };
      await collection('volunteer_settings').doc(communityId).set(body(s));
      return s;
    },
  },
};
