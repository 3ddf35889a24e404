/**
 * Compliance with the 支部工作条例 (2018) frequencies, read from per-branch per-month counters
 * (`branch_periods`, written when a meeting is closed) — never by loading meetings — and member
 * records from the per-member yearly counters, volunteer hour totals and 在职党员 reports.
 */
import type {
  Branch,
  BranchCompliance,
  BranchHolder,
  BranchPeriod,
  MemberRecordView,
  MemberYear,
  MeetingKind,
} from '../../types/branch';
import type { Community, User } from '../../types/domain';
import type { MemberReport, ReportHead } from '../../types/alliance';
import { byIds, cmd, collection, getAll, getById } from '../core/db';
import { forbidden } from '../core/errors';
import { assertManagesCommunity, canManageCommunity } from '../core/guard';
import { hourTotalId } from '../volunteer/ledgers';
import { memberCounterId, type ServiceCounter } from '../service/common';
import {
  complianceMonths,
  complianceOf,
  memberYearId,
  periodId,
  pointsSummary,
  yearOf,
} from '../domain/branch';
import { assertInside, holderOf, isSecretary, loadBranch, type BranchActions } from './common';

type Held = Record<string, Partial<Record<MeetingKind, number>>>;

export function complianceView(b: Branch, periods: BranchPeriod[], now: number): BranchCompliance {
  const held: Held = {};
  for (const p of periods) if (p.branchId === b._id) held[p.period] = p.counts;
  const items = complianceOf(held, now, b.createdAt);
  return { branchId: b._id, name: b.name, items, open: items.filter((i) => i.status !== 'done').length };
}

/** The counters compliance needs for some branches (6 months each, by id). */
export async function periodsOf(branchIds: string[], now: number): Promise<BranchPeriod[]> {
  const months = complianceMonths(now);
  const ids = branchIds.flatMap((b) => months.map((m) => periodId(b, m)));
  const found = await Promise.all(
    Array.from({ length: Math.ceil(ids.length / 600) }, (_, i) =>
      byIds<BranchPeriod>('branch_periods', ids.slice(i * 600, i * 600 + 600)),
    ),
  );
  return found.flatMap((m) => [...m.values()]);
}

/**
 * Requests taken (微心愿 completed as a member) in a year: the `service` function's yearly counter
 * (`counters/svc-member-<openid>-<year>`, cloudfunctions/service/common.ts), read, never copied.
 */
export async function requestsTaken(openid: string, year: number): Promise<number> {
  return (await getById<ServiceCounter>('counters', memberCounterId(openid, year)))?.count ?? 0;
}

export const complianceActions: BranchActions<'compliance' | 'branchCompliance' | 'memberRecord'> = {
  compliance: {
    roles: ['worker', 'admin'],
    async handler({ caller, now }, { communityId }) {
      assertManagesCommunity(caller, communityId);
      const months = complianceMonths(now);
      const [branches, periods] = await Promise.all([
        getAll<Branch>(collection('branches').where({ communityId })),
        getAll<BranchPeriod>(collection('branch_periods').where({ communityId, period: cmd().in(months) })),
      ]);
      return branches
        .map((b) => complianceView(b, periods, now))
        .sort((x, y) => y.open - x.open || x.name.localeCompare(y.name, 'zh'));
    },
  },

  branchCompliance: {
    roles: 'any',
    async handler({ caller, now }, { branchId }) {
      const [b, holder, periods] = await Promise.all([
        loadBranch(branchId),
        holderOf(caller.openid),
        periodsOf([branchId], now),
      ]);
      assertInside(caller, b, holder);
      return { ...complianceView(b, periods, now), ...(b.pointsRule ? { pointsRule: b.pointsRule } : {}) };
    },
  },

  memberRecord: {
    roles: 'any',
    async handler({ caller, now }, input) {
      const openid = input.openid ?? caller.openid;
      const year = input.year ?? yearOf(now);
      const [holder, counters, user, head] = await Promise.all([
        getById<BranchHolder>('branch_holders', openid),
        getById<MemberYear>('branch_member_years', memberYearId(openid, year)),
        getById<User>('users', openid),
        getById<ReportHead>('report_heads', openid),
      ]);
      const branchId = holder?.active ? holder.branchId : counters?.branchId;
      const [b, report] = await Promise.all([
        branchId ? getById<Branch>('branches', branchId) : Promise.resolve(undefined),
        head?.activeReportId
          ? getById<MemberReport>('member_reports', head.activeReportId)
          : Promise.resolve(undefined),
      ]);
      if (openid !== caller.openid) {
        const allowed = b && (isSecretary(caller, b) || canManageCommunity(caller, b.communityId));
        if (!allowed) throw forbidden('只能查看本人或本支部党员的记录');
      }
      const [hours, community, taken] = await Promise.all([
        b
          ? getById<{ hours: number }>('hour_totals', hourTotalId(b.communityId, String(year), openid))
          : Promise.resolve(undefined),
        report ? getById<Community>('communities', report.communityId) : Promise.resolve(undefined),
        requestsTaken(openid, year),
      ]);
      const present = counters?.present ?? 0;
      const serviceHours = hours?.hours ?? 0;
      const view: MemberRecordView = {
        openid,
        name: user?.nickName ?? '',
        year,
        ...(b ? { branchId: b._id, branchName: b.name } : {}),
        present,
        leave: counters?.leave ?? 0,
        absent: counters?.absent ?? 0,
        meetingsCounted: counters?.meetingIds.length ?? 0,
        serviceHours,
        ...(report
          ? {
              report: {
                communityName: community?.name ?? '',
                status:
                  report.status === 'confirmed'
                    ? '已报到'
                    : report.status === 'pending'
                      ? '待确认'
                      : '已退回',
              },
            }
          : {}),
        requestsTaken: taken,
        ...(b?.pointsRule
          ? { points: pointsSummary(b.pointsRule, { present, serviceHours, requests: taken }) }
          : {}),
      };
      return view;
    },
  },
};
