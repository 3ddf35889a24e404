/**
 * 在职党员到社区报到: one active report at a time (a per-member head document, read and written
 * in the same transaction as the report), community review, service posts, and the annual record.
 */
import type { MemberRecord, ReportView, UnitMember } from '../../types/domain';
import type {
  Activity,
  AllianceSettings,
  Community,
  Grievance,
  MemberReport,
  ReportHead,
  SignUp,
  User,
} from '../../types/domain';
import { cmd, collection, getAll, getById, transaction, type TxDocs } from '../core/db';
import { conflict, forbidden, notFound } from '../core/errors';
import { assertManagesCommunity, canManageCommunity, hasRole, type Caller } from '../core/guard';
import { queryPage } from '../core/paging';
import * as rules from '../domain/alliance';
import { memberRecordFileName, memberRecordRows, toCsv } from '../domain/alliance-csv';
import { memberServiceCounterId } from '../domain/service-request';
import { memberYearRecord, reportedDuring, shanghaiYear, yearRange } from '../domain/alliance-records';
import { canReadMemberRecord, canReadUnitRecord, isStaffOf, managedCommunity } from './access';
import {
  body,
  loadCommunity,
  loadDoc,
  loadUnit,
  manyByIds,
  newId,
  nickNames,
  type AllianceActions,
} from './common';

export async function settingsFor(communityId: string): Promise<AllianceSettings> {
  return rules.settingsOf(communityId, await getById<AllianceSettings>('alliance_settings', communityId));
}

async function reportViews(reports: MemberReport[]): Promise<ReportView[]> {
  const [names, communities] = await Promise.all([
    nickNames(reports.map((r) => r.openid)),
    manyByIds<Community>(
      'communities',
      reports.map((r) => r.communityId),
    ),
  ]);
  return reports.map((r) => ({
    ...r,
    nickName: names.get(r.openid) ?? '',
    communityName: communities.get(r.communityId)?.name ?? '',
  }));
}

const reportView = async (r: MemberReport) => (await reportViews([r]))[0] as ReportView;

async function activeReport(t: TxDocs, openid: string): Promise<MemberReport | undefined> {
  const head = await t.get<ReportHead>('report_heads', openid);
  if (!head?.activeReportId) return undefined;
  const r = await t.get<MemberReport>('member_reports', head.activeReportId);
  return rules.isActiveReport(r) ? r : undefined;
}

/**
 * A member's confirmed activity sign-ups and their activities (for hours); with `range`, only
 * sign-ups whose copy of the end time falls in it (an annual record reads one year).
 */
export async function memberActivities(
  openid: string,
  range?: { from: number; to: number },
): Promise<{ signUps: SignUp[]; activities: Map<string, Activity> }> {
  const when = range ? { endAt: cmd().gte(range.from).and(cmd().lt(range.to)) } : {};
  const signUps = await getAll<SignUp>(collection('signups').where({ openid, status: 'confirmed', ...when }));
  const activities = await manyByIds<Activity>(
    'activities',
    signUps.map((s) => s.activityId),
  );
  return { signUps, activities };
}

async function changePosts(
  openid: string,
  now: number,
  change: (r: MemberReport, settings: AllianceSettings) => MemberReport['posts'],
): Promise<ReportView> {
  const head = await getById<ReportHead>('report_heads', openid);
  const current = head?.activeReportId
    ? await getById<MemberReport>('member_reports', head.activeReportId)
    : undefined;
  const settings = await settingsFor(current?.communityId ?? '');
  const after = await transaction(async (t) => {
    const r = await activeReport(t, openid);
    if (!r || r.status !== 'confirmed') throw forbidden('报到经社区确认后才能认领服务岗位');
    const posts = change(r, settings);
    await t.update('member_reports', r._id, { posts, updatedAt: now });
    return { ...r, posts, updatedAt: now };
  });
  return reportView(after);
}

export const memberActions: AllianceActions<
  | 'configureCommunity'
  | 'reportToCommunity'
  | 'withdrawReport'
  | 'myReport'
  | 'listReports'
  | 'reviewReport'
  | 'servicePosts'
  | 'takePost'
  | 'leavePost'
  | 'memberRecord'
  | 'exportMemberRecord'
  | 'unitMembers'
> = {
  configureCommunity: {
    roles: ['worker', 'admin'],
    async handler({ caller }, { communityId, ...patch }) {
      await loadCommunity(communityId);
      assertManagesCommunity(caller, communityId);
      const next: AllianceSettings = { ...(await settingsFor(communityId)) };
      if (patch.servicePosts) next.servicePosts = [...new Set(patch.servicePosts)];
      if (patch.yearlyTargetHours !== undefined) next.yearlyTargetHours = patch.yearlyTargetHours;
      await collection('alliance_settings').doc(communityId).set(body(next));
      return { servicePosts: next.servicePosts, yearlyTargetHours: next.yearlyTargetHours };
    },
  },

  reportToCommunity: {
    roles: ['member'],
    async handler({ caller, now }, data) {
      await loadCommunity(data.communityId);
      const employer = data.employerUnitId ? await loadUnit(data.employerUnitId) : undefined;
      const report: MemberReport = {
        _id: newId(),
        openid: caller.openid,
        communityId: data.communityId,
        ...(employer ? { employerUnitId: employer._id } : {}),
        employerName: employer?.name ?? data.employerName ?? '',
        partyOrg: data.partyOrg,
        status: 'pending',
        posts: [],
        createdAt: now,
        updatedAt: now,
      };
      const communityNames = new Map<string, string>();
      const head = await getById<ReportHead>('report_heads', caller.openid);
      if (head?.activeReportId) {
        const old = await getById<MemberReport>('member_reports', head.activeReportId);
        if (old) communityNames.set(old.communityId, (await loadCommunity(old.communityId)).name);
      }
      await transaction(async (t) => {
        const active = await activeReport(t, caller.openid);
        const allowed = rules.canReport(active, (id) => communityNames.get(id) ?? '其他社区');
        if (!allowed.ok) throw conflict(allowed.reason);
        await t.set('member_reports', report._id, body(report));
        await t.set('report_heads', caller.openid, { activeReportId: report._id });
      });
      return reportView(report);
    },
  },

  withdrawReport: {
    roles: 'any',
    async handler({ caller, now }, { reportId }) {
      const before = await loadDoc<MemberReport>('member_reports', reportId, '报到记录不存在');
      if (before.openid !== caller.openid) throw forbidden('只能撤回自己的报到');
      const after = await transaction(async (t) => {
        const r = await t.get<MemberReport>('member_reports', reportId);
        if (!r) throw notFound('报到记录不存在');
        const allowed = rules.canWithdraw(r);
        if (!allowed.ok) throw conflict(allowed.reason);
        const patch = {
          status: 'withdrawn' as const,
          withdrawnAt: now,
          posts: rules.closePosts(r.posts, now),
          updatedAt: now,
        };
        await t.update('member_reports', reportId, patch);
        const head = await t.get<ReportHead>('report_heads', caller.openid);
        if (head?.activeReportId === reportId) await t.set('report_heads', caller.openid, {});
        return { ...r, ...patch };
      });
      return reportView(after);
    },
  },

  myReport: {
    roles: 'any',
    async handler({ caller }) {
      const reports = await getAll<MemberReport>(
        collection('member_reports').where({ openid: caller.openid }),
      );
      reports.sort((a, b) => b.createdAt - a.createdAt);
      const views = await reportViews(reports);
      return { active: views.find((r) => rules.isActiveReport(r)) ?? null, history: views };
    },
  },

  listReports: {
    roles: ['worker', 'admin'],
    async handler({ caller }, { communityId, status, ...page }) {
      const where: Record<string, unknown> = { communityId: managedCommunity(caller, communityId) };
      if (status) where.status = status;
      return queryPage<MemberReport, ReportView>(
        collection('member_reports').where(where),
        { field: 'createdAt', order: 'desc' },
        page,
        reportViews,
      );
    },
  },

  reviewReport: {
    roles: ['worker', 'admin'],
    async handler(ctx, { reportId, confirm, reason }) {
      const { caller, now } = ctx;
      const before = await loadDoc<MemberReport>('member_reports', reportId, '报到记录不存在');
      if (!canManageCommunity(caller, before.communityId)) throw forbidden('只能审核本社区的报到');
      const community = await loadCommunity(before.communityId);
      const after = await transaction(async (t) => {
        const r = await t.get<MemberReport>('member_reports', reportId);
        if (!r) throw notFound('报到记录不存在');
        const allowed = rules.canReview(r);
        if (!allowed.ok) throw conflict(allowed.reason);
        const patch = {
          status: confirm ? ('confirmed' as const) : ('rejected' as const),
          reviewedAt: now,
          reviewedBy: caller.openid,
          ...(confirm ? { confirmedAt: now } : {}),
          ...(reason ? { reason } : {}),
          updatedAt: now,
        };
        await t.update('member_reports', reportId, patch);
        if (!confirm) {
          const head = await t.get<ReportHead>('report_heads', r.openid);
          if (head?.activeReportId === reportId) await t.set('report_heads', r.openid, {});
        }
        await ctx.emit(t, {
          kind: 'reportReviewed',
          payload: {
            reportId,
            communityName: community.name,
            confirmed: confirm,
            ...(reason ? { reason } : {}),
            at: now,
          },
          recipients: { openids: [r.openid] },
        });
        return { ...r, ...patch };
      });
      return reportView(after);
    },
  },

  servicePosts: {
    roles: 'any',
    async handler({ caller }, { communityId }) {
      const [, settings] = await Promise.all([loadCommunity(communityId), settingsFor(communityId)]);
      // Holders counted per post in the database (a community's reports are not loaded), with
      // the caller's own confirmed report, all at once.
      const confirmed = { communityId, status: 'confirmed' };
      const _ = cmd();
      const [counts, { data: own }] = await Promise.all([
        Promise.all(
          settings.servicePosts.map(
            (name) =>
              collection('member_reports')
                .where({ ...confirmed, posts: _.elemMatch({ name, until: _.exists(false) }) })
                .count() as Promise<{ total: number }>,
          ),
        ),
        collection('member_reports')
          .where({ ...confirmed, openid: caller.openid })
          .limit(1)
          .get() as Promise<{ data: MemberReport[] }>,
      ]);
      const mine = own[0];
      return {
        posts: settings.servicePosts.map((name, i) => ({
          name,
          holders: counts[i]!.total,
          mine: !!mine && rules.heldPosts(mine).some((p) => p.name === name),
        })),
        yearlyTargetHours: settings.yearlyTargetHours,
      };
    },
  },

  takePost: {
    roles: 'any',
    handler: ({ caller, now }, { post }) =>
      changePosts(caller.openid, now, (r, settings) => {
        const allowed = rules.canTakePost(r, post, settings);
        if (!allowed.ok) throw conflict(allowed.reason);
        return [...r.posts, { name: post, since: now }];
      }),
  },

  leavePost: {
    roles: 'any',
    handler: ({ caller, now }, { post }) =>
      changePosts(caller.openid, now, (r) => {
        if (!rules.heldPosts(r).some((p) => p.name === post)) throw conflict('你不在这个岗位上');
        return rules.closePosts(r.posts, now, post);
      }),
  },

  memberRecord: {
    roles: 'any',
    async handler({ caller, now }, input) {
      const { record } = await readableMemberRecord(caller, input.openid ?? caller.openid, input, now);
      return record;
    },
  },

  exportMemberRecord: {
    roles: 'any',
    async handler({ caller, now }, input) {
      const { record, latest } = await readableMemberRecord(
        caller,
        input.openid ?? caller.openid,
        input,
        now,
      );
      const community = latest ? await getById<Community>('communities', latest.communityId) : undefined;
      return {
        fileName: memberRecordFileName(record),
        csv: toCsv(memberRecordRows(record, community?.name ?? '')),
      };
    },
  },

  unitMembers: {
    roles: 'any',
    async handler({ caller, now }, input) {
      const unit = await loadUnit(input.unitId);
      if (!canReadUnitRecord(caller, unit)) throw forbidden('只能查看本单位或本社区共建单位的报到党员');
      const year = input.year ?? shanghaiYear(now);
      const range = yearRange(year);
      // Staff (and admins) see every member of their unit; a worker sees those who reported to a
      // community they manage, the same members whose records they may open.
      const everyone = isStaffOf(caller, unit._id) || hasRole(caller, 'admin');
      const reports = (
        await getAll<MemberReport>(collection('member_reports').where({ employerUnitId: unit._id }))
      ).filter((r) => reportedDuring(r, range) && (everyone || canManageCommunity(caller, r.communityId)));
      // One line per member: their latest report naming the unit.
      const byMember = new Map<string, MemberReport>();
      for (const r of reports.sort((a, b) => a.createdAt - b.createdAt)) byMember.set(r.openid, r);
      const communities = await manyByIds<Community>(
        'communities',
        [...byMember.values()].map((r) => r.communityId),
      );
      const records = await Promise.all(
        [...byMember.values()].map((r) => memberRecordOf(r.openid, year, now)),
      );
      const items: UnitMember[] = [];
      for (const [i, r] of [...byMember.values()].entries()) {
        const { record } = records[i]!;
        items.push({
          openid: r.openid,
          nickName: record.nickName,
          communityId: r.communityId,
          communityName: communities.get(r.communityId)?.name ?? '',
          partyOrg: r.partyOrg,
          reportStatus: r.status,
          confirmedAt: r.confirmedAt as number,
          hours: record.hours,
          targetHours: record.targetHours,
          progress: record.progress,
        });
      }
      items.sort((a, b) => b.hours - a.hours || a.nickName.localeCompare(b.nickName, 'zh'));
      return { unitId: unit._id, unitName: unit.name, year, items };
    },
  },
};

/**
 * A member's annual record (the one aggregation behind memberRecord, its CSV export and the
 * unit's member list): activities, grievances handled, posts, against the target of the
 * community of their latest report.
 */
async function memberRecordOf(
  openid: string,
  year: number,
  now: number,
  known?: { user: User; reports: MemberReport[] },
): Promise<{ record: MemberRecord; latest: MemberReport | undefined }> {
  const user = known?.user ?? (await loadDoc<User>('users', openid, '用户不存在'));
  const reports =
    known?.reports ?? (await getAll<MemberReport>(collection('member_reports').where({ openid })));
  const range = yearRange(year);
  // Only the year's sign-ups and resolutions (a member's history grows every year).
  const [{ signUps, activities }, grievances, service] = await Promise.all([
    memberActivities(openid, range),
    getAll<Grievance>(
      collection('grievances').where({
        'handler.kind': 'member',
        'handler.id': openid,
        resolvedAt: cmd().gte(range.from).and(cmd().lt(range.to)),
      }),
    ),
    // 微心愿 (cloudfunctions/service) completed as a Party member in the year.
    getById<{ count: number }>('counters', memberServiceCounterId(openid, year)),
  ]);
  const latest = [...reports]
    .filter((r) => r.status !== 'rejected')
    .sort((a, b) => b.createdAt - a.createdAt)[0];
  const settings = await settingsFor(latest?.communityId ?? '');
  const record = memberYearRecord({
    openid,
    nickName: user.nickName,
    year,
    now,
    targetHours: settings.yearlyTargetHours,
    signUps,
    activities,
    grievances,
    reports,
  });
  const served = service?.count ?? 0;
  return {
    record: served ? { ...record, services: record.services + served, serviceRequests: served } : record,
    latest,
  };
}

/** memberRecordOf, for a caller allowed to read it. */
async function readableMemberRecord(
  caller: Caller,
  openid: string,
  input: { year?: number },
  now: number,
): Promise<{ record: MemberRecord; latest: MemberReport | undefined }> {
  const year = input.year ?? shanghaiYear(now);
  const user = await loadDoc<User>('users', openid, '用户不存在');
  const reports = await getAll<MemberReport>(collection('member_reports').where({ openid }));
  if (!canReadMemberRecord(caller, openid, reports))
    throw forbidden('只能查看本人、本社区报到党员或本单位党员的记录');
  return memberRecordOf(openid, year, now, { user, reports });
}
