import type { GrievanceDetail, GrievanceStats, GrievanceSummary } from '../../types/api';
import type { GrievanceCategory } from '../../types/domain';
import { HOUR } from './fixtures';

// 2030-11-21 (Thursday) 14:00 Asia/Shanghai
export const CREATED = Date.UTC(2030, 10, 21, 6, 0);

export const CATEGORIES: GrievanceCategory[] = [
  { key: 'sanitation', name: '环境卫生', urgency: 'general' },
  { key: 'facility', name: '设施维修', urgency: 'general' },
  { key: 'safety', name: '安全隐患', urgency: 'urgent' },
];

export const POLICY = {
  urgent: { respondHours: 2, resolveHours: 24 },
  general: { respondHours: 24, resolveHours: 168 },
  complex: { respondHours: 24, resolveHours: 360 },
};

export function grievanceSummary(over: Partial<GrievanceSummary> = {}): GrievanceSummary {
  return {
    _id: 'g1',
    number: '20301121-0007',
    communityId: 'c1',
    category: 'facility',
    categoryName: '设施维修',
    preview: '3 号楼东侧路灯坏了一个星期，晚上很黑',
    stage: 'submitted',
    priority: false,
    awaitingInfo: false,
    overdue: false,
    dueAt: CREATED + 24 * HOUR,
    createdAt: CREATED,
    ...over,
  };
}

export function grievanceDetail(over: Partial<GrievanceDetail> = {}): GrievanceDetail {
  return {
    ...grievanceSummary(),
    text: '3 号楼东侧路灯坏了一个星期，晚上很黑，老人出门不方便。',
    photoUrls: ['/files/p1.jpg'],
    location: { name: '幸福里 3 号楼', lat: 31.2, lng: 121.5 },
    phoneMasked: '138****5678',
    isPublic: false,
    respondBy: CREATED + 24 * HOUR,
    reopenCount: 0,
    timeline: [
      { action: 'submit', at: CREATED, actorRole: 'resident', stageAfter: 'submitted' },
      {
        action: 'accept',
        at: CREATED + HOUR,
        actorRole: 'worker',
        stageAfter: 'accepted',
        note: '已受理，尽快安排',
      },
      {
        action: 'dispatch',
        at: CREATED + 2 * HOUR,
        actorRole: 'worker',
        stageAfter: 'dispatched',
        note: '派给物业维修',
      },
      { action: 'start', at: CREATED + 3 * HOUR, actorRole: 'handler', stageAfter: 'inProgress' },
    ],
    viewer: 'owner',
    can: {},
    ...over,
  };
}

const rates = {
  received: 12,
  accepted: 11,
  respondedInTime: 10,
  responseRate: 0.8333,
  resolved: 9,
  resolutionRate: 0.75,
  rated: 8,
  satisfied: 7,
  unrated: 0,
  satisfactionRate: 0.875,
  avgHoursToAccept: 3.46,
  avgHoursToClose: 50,
  overdue: 2,
};

export function grievanceStats(over: Partial<GrievanceStats> = {}): GrievanceStats {
  return {
    ...rates,
    from: CREATED - 30 * 24 * HOUR,
    to: CREATED,
    byCategory: [
      { ...rates, category: 'facility', name: '设施维修', resolutionRate: 1, received: 5 },
      { ...rates, category: 'sanitation', name: '环境卫生', satisfactionRate: 0, received: 7 },
    ],
    byHandler: [{ ...rates, handler: 'unit1', name: '区人民医院', kind: 'unit', responseRate: 0.5 }],
    ...over,
  };
}

/** Taro's lazy-loading Image uses IntersectionObserver, which jsdom lacks. */
export function stubIntersectionObserver(): void {
  const g = globalThis as { IntersectionObserver?: unknown };
  if (g.IntersectionObserver) return;
  g.IntersectionObserver = class {
    observe(): void {}
    unobserve(): void {}
    disconnect(): void {}
    takeRecords(): [] {
      return [];
    }
  };
}
