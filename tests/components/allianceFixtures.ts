import type {
  ClaimView,
  MemberRecord,
  ProjectDetail,
  ReportView,
  UnitRanking,
  UnitRecord,
} from '../../types/domain';
import { HOUR } from './fixtures';

// 2030-11-21 (Thursday) 14:00 Asia/Shanghai
export const T0 = Date.UTC(2030, 10, 21, 6, 0);

export function claim(over: Partial<ClaimView> = {}): ClaimView {
  return {
    _id: 'p1_unitA',
    projectId: 'p1',
    communityId: 'c1',
    unitId: 'unitA',
    unitName: '区人民医院',
    plan: '每月派 2 名医生到社区义诊，负责健康讲座。',
    status: 'pending',
    createdAt: T0 + HOUR,
    ...over,
  };
}

export function projectDetail(over: Partial<ProjectDetail> = {}): ProjectDetail {
  return {
    _id: 'p1',
    communityId: 'c1',
    title: '楼道扶手加装行动',
    goal: '为 3 栋独居老人加装楼道扶手',
    deadline: T0 + 30 * 24 * HOUR,
    maxClaims: 2,
    activeClaims: 0,
    approvedClaims: 0,
    status: 'open',
    phase: 'claiming',
    avgRating: null,
    ratingCount: 0,
    createdAt: T0,
    tasks: ['摸排需求', '采购安装'],
    wanted: '预算 2 万元',
    needs: [{ _id: 'n1', title: '楼道缺扶手' }],
    claims: [],
    updates: [],
    can: {},
    ...over,
  };
}

export function reportView(over: Partial<ReportView> = {}): ReportView {
  return {
    _id: 'r1',
    openid: 'u1',
    communityId: 'c1',
    employerUnitId: 'unitA',
    employerName: '区人民医院',
    partyOrg: '区人民医院党委第二支部',
    status: 'confirmed',
    posts: [],
    createdAt: T0,
    updatedAt: T0,
    confirmedAt: T0 + HOUR,
    nickName: '张阿姨',
    communityName: '幸福里社区',
    ...over,
  };
}

export function memberRecord(over: Partial<MemberRecord> = {}): MemberRecord {
  return {
    openid: 'u1',
    nickName: '张阿姨',
    year: 2030,
    targetHours: 50,
    hours: 12.5,
    progress: 0.25,
    services: 4,
    activities: [{ activityId: 'a1', title: '重阳节敬老志愿服务', endAt: T0, hours: 2 }],
    grievances: [],
    posts: [{ communityId: 'c1', name: '楼道长', since: T0 }],
    ...over,
  };
}

export function unitRecord(over: Partial<UnitRecord> = {}): UnitRecord {
  return {
    unitId: 'unitA',
    unitName: '区人民医院',
    year: 2030,
    claims: 2,
    approvedClaims: 1,
    completedProjects: 1,
    avgRating: 4.5,
    resourcesProvided: 3,
    activitiesCoHosted: 1,
    membersReported: 2,
    memberHours: 20,
    score: 50,
    ...over,
  };
}

export function ranking(items: UnitRecord[]): UnitRanking {
  return {
    communityId: 'c1',
    year: 2030,
    formula: '得分 = 3×认领通过数 + 10×完成项目数',
    items: items.map((r, i) => ({ ...r, rank: i + 1 })),
  };
}
