/** Unit records for the annual evaluation (文明单位评比) and the community's ranking. */
import type {
  UnitRecord,
  AllianceUnit,
  MemberReport,
  Project,
  ProjectClaim,
  ResourceRequest,
} from '../../types/domain';
import { cmd, collection, getAll, getById } from '../core/db';
import { forbidden } from '../core/errors';
import {
  rankRecords,
  reportedDuring,
  SCORE_FORMULA,
  servedActivities,
  shanghaiYear,
  sumHours,
  unitYearRecord,
  yearRange,
} from '../domain/alliance-records';
import { siteUnitCounterId, type SiteUnitCounter } from '../../types/sites';
import { canReadUnitRecord, managedCommunity } from './access';
import { loadUnit, manyByIds, type AllianceActions } from './common';
import { unitServiceCounterId } from '../domain/service-request';
import { memberActivities } from './members';

async function recordOf(unit: AllianceUnit, year: number, now: number): Promise<UnitRecord> {
  const range = yearRange(year);
  const _ = cmd();
  // Co-hosted activities are counted for the year (not loaded: a unit hosts more every year).
  // 阵地 booking (cloudfunctions/sites) counts the unit's opened venues and their bookings per year.
  // 微心愿 (cloudfunctions/service) counts the requests the unit completed per year.
  const [claims, requests, coHosted, reports, sites, service] = await Promise.all([
    getAll<ProjectClaim>(collection('project_claims').where({ unitId: unit._id })),
    getAll<ResourceRequest>(collection('resource_requests').where({ unitId: unit._id })),
    collection('activities')
      .where({
        hostUnitIds: unit._id,
        startAt: _.gte(range.from).and(_.lt(range.to)),
        status: _.neq('cancelled'),
      })
      .count() as Promise<{ total: number }>,
    getAll<MemberReport>(collection('member_reports').where({ employerUnitId: unit._id })),
    getById<SiteUnitCounter>('counters', siteUnitCounterId(unit._id, year)),
    getById<{ count: number }>('counters', unitServiceCounterId(unit._id, year)),
  ]);
  const members = [...new Set(reports.filter((r) => reportedDuring(r, range)).map((r) => r.openid))];
  // The projects and every member's sign-ups of the year, all at once.
  const [projects, served] = await Promise.all([
    manyByIds<Project>(
      'projects',
      claims.map((c) => c.projectId),
    ),
    Promise.all(
      members.map(async (openid) => {
        const { signUps, activities: byId } = await memberActivities(openid, range);
        return [openid, sumHours(servedActivities(signUps, byId, range, now))] as const;
      }),
    ),
  ]);
  const memberHours = new Map<string, number>(served);
  const record = unitYearRecord({
    unit,
    year,
    claims,
    projects,
    requests,
    activitiesCoHosted: coHosted.total,
    reports,
    memberHours,
  });
  return {
    ...record,
    venuesOpened: sites?.venuesOpened ?? 0,
    siteBookings: sites?.bookings ?? 0,
    ...(service?.count ? { serviceRequests: service.count } : {}),
  };
}

/** Every unit of a community ranked for a year (the public board reads it too). */
export async function rankCommunityUnits(communityId: string, year: number, now: number) {
  const units = await getAll<AllianceUnit>(collection('units').where({ communityIds: communityId }));
  const records: UnitRecord[] = await Promise.all(units.map((u) => recordOf(u, year, now)));
  return rankRecords(records);
}

export const recordActions: AllianceActions<'unitRecord' | 'rankUnits'> = {
  unitRecord: {
    roles: 'any',
    async handler({ caller, now }, { unitId, year }) {
      const unit = await loadUnit(unitId);
      if (!canReadUnitRecord(caller, unit)) throw forbidden('只能查看本单位或本社区共建单位的记录');
      return recordOf(unit, year ?? shanghaiYear(now), now);
    },
  },

  rankUnits: {
    roles: ['worker', 'admin'],
    async handler({ caller, now }, input) {
      const communityId = managedCommunity(caller, input.communityId);
      const year = input.year ?? shanghaiYear(now);
      return {
        communityId,
        year,
        formula: SCORE_FORMULA,
        items: await rankCommunityUnits(communityId, year, now),
      };
    },
  },
};
