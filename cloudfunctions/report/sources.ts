/**
 * What each export contains: its columns (Chinese headers, widths) and how its rows are read —
 * page by page over an indexed, stably sorted query (offset paging: rows added while an export
 * runs sort after the ones already read), with the page's related documents fetched in one
 * request each. Identity is masked unless the export was authorised for full identity.
 */
import type { Grievance, SignUp, User } from '../../types/domain';
import type { AllianceSettings, MemberReport } from '../../types/alliance';
import type { ServiceAccount, VolunteerRegistration } from '../../types/volunteer';
import type { ExportDoc, ExportKind } from '../../types/report';
import { byIds, cmd, collection, getById, type CollectionName } from '../core/db';
import { DEFAULT_CATEGORIES, stageName } from '../domain/grievance';
import { settingsOf } from '../domain/alliance';
import { hourTotalId, type HourTotal } from '../volunteer/ledgers';
import { cipher } from '../volunteer/common';
import { recordActions } from '../alliance/records';
import { periodRange, shanghaiMonth, shanghaiYearOf } from './period';

/** A cell as kept in chunks: dates are epoch ms in a `date` column. */
export type Cell = string | number | null;

export interface Column {
  header: string;
  /** Width in characters (a Chinese character counts about 2). */
  width: number;
  date?: boolean;
  /** Summed in the closing 合计 row. */
  sum?: boolean;
}

export interface ExportSource {
  columns: Column[];
  /** How many rows the export will have (for progress); may be an estimate for joins. */
  count(ex: ExportDoc): Promise<number>;
  /** Up to `limit` rows from `offset`; `more` when another page may follow. */
  page(ex: ExportDoc, offset: number, limit: number): Promise<{ rows: Cell[][]; more: boolean }>;
}

async function pageOf<T>(
  name: CollectionName,
  where: Record<string, unknown>,
  sort: string,
  offset: number,
  limit: number,
): Promise<{ docs: T[]; more: boolean }> {
  const { data } = await collection(name)
    .where(where)
    .orderBy(sort, 'asc')
    .orderBy('_id', 'asc')
    .skip(offset)
    .limit(limit)
    .get();
  return { docs: data as T[], more: data.length === limit };
}

const countOf = async (name: CollectionName, where: Record<string, unknown>) =>
  ((await collection(name).where(where).count()) as { total: number }).total;

const round2 = (n: number) => Math.round(n * 100) / 100;

const SIGNUP_STATUS: Record<SignUp['status'], string> = {
  pending: '待审核',
  confirmed: '已报名',
  waitlisted: '候补',
  rejected: '未通过',
  cancelled: '已取消',
};
const REG_STATUS: Record<VolunteerRegistration['status'], string> = {
  pending: '待审核',
  approved: '已通过',
  rejected: '未通过',
};
const REPORT_STATUS: Record<MemberReport['status'], string> = {
  pending: '待确认',
  confirmed: '已报到',
  rejected: '未通过',
  withdrawn: '已撤回',
};
const URGENCY = { urgent: '紧急', general: '一般', complex: '复杂' } as const;
const SATISFACTION = { satisfied: '满意', basic: '基本满意', dissatisfied: '不满意' } as const;
const CATEGORY = new Map(DEFAULT_CATEGORIES.map((c) => [c.key, c.name]));

/** Name and masked phone of people, from their registration, else their profile. */
async function people(openids: string[]): Promise<Map<string, { name: string; phone: string }>> {
  const [regs, users] = await Promise.all([
    byIds<VolunteerRegistration>('volunteers', openids),
    byIds<User>('users', openids),
  ]);
  return new Map(
    openids.map((o) => {
      const reg = regs.get(o);
      const user = users.get(o);
      // Registrations keep the masked phone (domain/mask) beside the encrypted one.
      return [o, { name: reg?.name ?? user?.nickName ?? '', phone: reg?.phoneMasked ?? '' }];
    }),
  );
}

const participants: ExportSource = {
  columns: [
    { header: '序号', width: 7 },
    { header: '姓名', width: 12 },
    { header: '手机号', width: 15 },
    { header: '报名状态', width: 10 },
    { header: '报名时间', width: 18, date: true },
    { header: '签到时间', width: 18, date: true },
    { header: '签退时间', width: 18, date: true },
    { header: '信用时长（小时）', width: 16, sum: true },
    { header: '荣誉时长（小时）', width: 16, sum: true },
    { header: '合计时长（小时）', width: 16, sum: true },
  ],
  count: (ex) => countOf('signups', { activityId: ex.activityId }),
  async page(ex, offset, limit) {
    const { docs, more } = await pageOf<SignUp>(
      'signups',
      { activityId: ex.activityId },
      'createdAt',
      offset,
      limit,
    );
    const who = await people(docs.map((s) => s.openid));
    const rows = docs.map((s, i): Cell[] => {
      const p = who.get(s.openid);
      const rec = s.recordedHours ?? 0;
      const granted = s.grantedHours ?? 0;
      return [
        offset + i + 1,
        p?.name ?? '',
        p?.phone ?? '',
        SIGNUP_STATUS[s.status] ?? s.status,
        s.createdAt,
        s.checkInAt ?? null,
        s.checkOutAt ?? null,
        rec,
        granted,
        round2(rec + granted),
      ];
    });
    return { rows, more };
  },
};

const hours: ExportSource = {
  columns: [
    { header: '序号', width: 7 },
    { header: '姓名', width: 12 },
    { header: '手机号', width: 15 },
    { header: '服务时长（小时）', width: 16, sum: true },
  ],
  count: (ex) => countOf('hour_totals', { communityId: ex.communityId, period: ex.period }),
  async page(ex, offset, limit) {
    const { docs, more } = await pageOf<HourTotal>(
      'hour_totals',
      { communityId: ex.communityId, period: ex.period },
      'period',
      offset,
      limit,
    );
    const who = await people(docs.map((d) => d.openid));
    return {
      rows: docs.map((d, i) => {
        const p = who.get(d.openid);
        return [offset + i + 1, p?.name ?? '', p?.phone ?? '', d.hours];
      }),
      more,
    };
  },
};

const roster: ExportSource = {
  columns: [
    { header: '序号', width: 7 },
    { header: '姓名', width: 12 },
    { header: '身份证号', width: 22 },
    { header: '手机号', width: 15 },
    { header: '出生日期', width: 12 },
    { header: '技能特长', width: 24 },
    { header: '登记状态', width: 10 },
    { header: '登记时间', width: 18, date: true },
    { header: '审核时间', width: 18, date: true },
    { header: '信用时长（小时）', width: 16, sum: true },
    { header: '荣誉时长（小时）', width: 16, sum: true },
    { header: '积分余额', width: 10, sum: true },
  ],
  count: (ex) => countOf('volunteers', { communityId: ex.communityId }),
  async page(ex, offset, limit) {
    const { docs, more } = await pageOf<VolunteerRegistration>(
      'volunteers',
      { communityId: ex.communityId },
      'submittedAt',
      offset,
      limit,
    );
    const accounts = await byIds<ServiceAccount>(
      'service_accounts',
      docs.map((d) => d.openid),
    );
    const c = ex.fullIdentity ? cipher() : undefined;
    return {
      rows: docs.map((d, i) => {
        const a = accounts.get(d.openid);
        return [
          offset + i + 1,
          d.name,
          c ? c.decrypt(d.idEncrypted) : d.idMasked,
          c ? c.decrypt(d.phoneEncrypted) : d.phoneMasked,
          d.birthDate,
          d.skills.join('、'),
          REG_STATUS[d.status] ?? d.status,
          d.submittedAt,
          d.reviewedAt ?? null,
          a?.recordedHours ?? 0,
          a?.grantedHours ?? 0,
          a?.pointsBalance ?? 0,
        ];
      }),
      more,
    };
  },
};

/** When the grievance first reached `stage` (from its timeline). */
const reached = (g: Grievance, stage: Grievance['stage']) =>
  g.timeline.find((e) => e.stageAfter === stage)?.at;

/** 按时 / 超时 / 超时未办 / 未到期 for a deadline and the time it was met (if it was). */
export function deadlineOutcome(due: number | undefined, metAt: number | undefined, now: number): string {
  if (due === undefined) return metAt === undefined ? '' : '按时';
  if (metAt !== undefined) return metAt <= due ? '按时' : '超时';
  return now > due ? '超时未办' : '未到期';
}

const grievances: ExportSource = {
  columns: [
    { header: '编号', width: 16 },
    { header: '分类', width: 10 },
    { header: '紧急程度', width: 9 },
    { header: '当前状态', width: 10 },
    { header: '提交时间', width: 18, date: true },
    { header: '受理时间', width: 18, date: true },
    { header: '派单时间', width: 18, date: true },
    { header: '办结时间', width: 18, date: true },
    { header: '评价时间', width: 18, date: true },
    { header: '响应时限', width: 18, date: true },
    { header: '办结时限', width: 18, date: true },
    { header: '响应情况', width: 10 },
    { header: '办结情况', width: 10 },
    { header: '承办方', width: 16 },
    { header: '满意度', width: 10 },
    { header: '重办次数', width: 9 },
  ],
  count: (ex) => countOf('grievances', grievanceWhere(ex)),
  async page(ex, offset, limit) {
    const { docs, more } = await pageOf<Grievance>(
      'grievances',
      grievanceWhere(ex),
      'createdAt',
      offset,
      limit,
    );
    const now = ex.createdAt;
    return {
      rows: docs.map((g) => [
        g.number,
        CATEGORY.get(g.category) ?? g.category,
        URGENCY[g.urgency] ?? g.urgency,
        stageName(g.stage),
        g.createdAt,
        g.acceptedAt ?? null,
        reached(g, 'dispatched') ?? null,
        g.resolvedAt ?? null,
        g.rating?.at ?? null,
        g.respondBy,
        g.resolveBy ?? null,
        deadlineOutcome(g.respondBy, g.acceptedAt, now),
        g.resolveBy === undefined && !g.resolvedAt ? '' : deadlineOutcome(g.resolveBy, g.resolvedAt, now),
        g.handler?.name ?? '',
        g.rating ? SATISFACTION[g.rating.satisfaction] : '',
        g.reopenCount,
      ]),
      more,
    };
  },
};

function grievanceWhere(ex: ExportDoc): Record<string, unknown> {
  const range = periodRange(ex.period ?? '');
  const _ = cmd();
  return range
    ? { communityId: ex.communityId, createdAt: _.and([_.gte(range.from), _.lt(range.to)]) }
    : { communityId: ex.communityId };
}

const units: ExportSource = {
  columns: [
    { header: '排名', width: 7 },
    { header: '单位名称', width: 26 },
    { header: '认领项目', width: 10, sum: true },
    { header: '认领通过', width: 10, sum: true },
    { header: '完成项目', width: 10, sum: true },
    { header: '平均评分', width: 10 },
    { header: '提供资源', width: 10, sum: true },
    { header: '共建活动', width: 10, sum: true },
    { header: '报到党员', width: 10, sum: true },
    { header: '党员服务时长（小时）', width: 20, sum: true },
    { header: '综合得分', width: 10 },
  ],
  // A community has tens of units: one page, through the ranking the alliance function computes.
  count: async () => 0,
  async page(ex) {
    const year = Number(ex.period ?? shanghaiYearOf(ex.createdAt));
    const caller = {
      openid: ex.owner,
      user: { roles: [{ role: 'worker', communityId: ex.communityId }] } as unknown as User,
    };
    const ranking = await recordActions.rankUnits.handler(
      { caller, now: ex.createdAt } as Parameters<typeof recordActions.rankUnits.handler>[0],
      { communityId: ex.communityId, year },
    );
    return {
      rows: ranking.items.map((r) => [
        r.rank,
        r.unitName,
        r.claims,
        r.approvedClaims,
        r.completedProjects,
        r.avgRating,
        r.resourcesProvided,
        r.activitiesCoHosted,
        r.membersReported,
        r.memberHours,
        r.score,
      ]),
      more: false,
    };
  },
};

const members: ExportSource = {
  columns: [
    { header: '序号', width: 7 },
    { header: '姓名', width: 12 },
    { header: '手机号', width: 15 },
    { header: '工作单位', width: 24 },
    { header: '所在党组织', width: 24 },
    { header: '报到状态', width: 10 },
    { header: '服务岗位', width: 20 },
    { header: '申请时间', width: 18, date: true },
    { header: '确认时间', width: 18, date: true },
    { header: '本社区年度服务时长（小时）', width: 24, sum: true },
    { header: '年度目标（小时）', width: 16 },
    { header: '是否达标', width: 10 },
  ],
  count: (ex) => countOf('member_reports', { communityId: ex.communityId }),
  async page(ex, offset, limit) {
    const year = ex.period ?? shanghaiYearOf(ex.createdAt);
    const { docs, more } = await pageOf<MemberReport>(
      'member_reports',
      { communityId: ex.communityId },
      'createdAt',
      offset,
      limit,
    );
    const openids = docs.map((d) => d.openid);
    const [who, totals, stored] = await Promise.all([
      people(openids),
      byIds<HourTotal>(
        'hour_totals',
        openids.map((o) => hourTotalId(ex.communityId, year, o)),
      ),
      getById<AllianceSettings>('alliance_settings', ex.communityId),
    ]);
    const target = settingsOf(ex.communityId, stored).yearlyTargetHours;
    return {
      rows: docs.map((d, i) => {
        const p = who.get(d.openid);
        const h = totals.get(hourTotalId(ex.communityId, year, d.openid))?.hours ?? 0;
        return [
          offset + i + 1,
          p?.name ?? '',
          p?.phone ?? '',
          d.employerName,
          d.partyOrg,
          REPORT_STATUS[d.status] ?? d.status,
          d.posts
            .filter((x) => !x.until)
            .map((x) => x.name)
            .join('、'),
          d.createdAt,
          d.confirmedAt ?? null,
          h,
          target,
          h >= target ? '是' : '否',
        ];
      }),
      more,
    };
  },
};

export const SOURCES: Record<ExportKind, ExportSource> = {
  participants,
  hours,
  roster,
  grievances,
  units,
  members,
};

/** Default period of a kind when none is given. */
export function defaultPeriod(kind: ExportKind, now: number): string | undefined {
  if (kind === 'hours' || kind === 'grievances') return shanghaiMonth(now);
  if (kind === 'units' || kind === 'members') return shanghaiYearOf(now);
  return undefined;
}
