import type { ActivityDetail, ActivitySummary, MeView } from '../../types/api';
import type { RoleGrant } from '../../types/domain';

export const HOUR = 3600_000;
// 2030-11-23 (Saturday) 14:00 Asia/Shanghai = 06:00 UTC
export const START = Date.UTC(2030, 10, 23, 6, 0);

export function meView(roles: RoleGrant[] = [], nickName = '张阿姨'): MeView {
  return {
    user: { openid: 'u1', nickName, roles: [{ role: 'resident' }, ...roles], currentCommunityId: 'c1' },
    communities: [
      { _id: 'c1', streetId: 's1', name: '幸福里社区', address: '幸福路 1 号' },
      { _id: 'c2', streetId: 's1', name: '和平社区', address: '和平路 8 号' },
    ],
  };
}

export function summary(over: Partial<ActivitySummary> = {}): ActivitySummary {
  return {
    _id: 'a1',
    communityId: 'c1',
    type: 'volunteer',
    title: '重阳节敬老志愿服务',
    placeName: '幸福里党群服务中心',
    startAt: START,
    endAt: START + 2 * HOUR,
    capacity: 20,
    confirmedCount: 5,
    waitlistCount: 0,
    audience: 'all',
    phase: 'open',
    ...over,
  };
}

export function detail(over: Partial<ActivityDetail> = {}): ActivityDetail {
  return {
    _id: 'a1',
    communityId: 'c1',
    hostUnitIds: ['u1'],
    type: 'volunteer',
    title: '重阳节敬老志愿服务',
    description: '陪伴社区老人，打扫卫生。',
    place: { name: '幸福里党群服务中心', address: '幸福路 1 号', lat: 31.2, lng: 121.5, siteId: 's1' },
    startAt: START,
    endAt: START + 2 * HOUR,
    signUpStartAt: START - 72 * HOUR,
    signUpEndAt: START - HOUR,
    capacity: 20,
    audience: 'all',
    cancelPolicy: 'untilStart',
    checkInMethod: 'qr',
    hours: 2,
    points: 2,
    status: 'published',
    confirmedCount: 5,
    createdBy: 'w1',
    createdAt: START - 100 * HOUR,
    updatedAt: START - 100 * HOUR,
    phase: 'open',
    waitlistCount: 0,
    hostUnits: [{ _id: 'u1', name: '区人民医院' }],
    communityName: '幸福里社区',
    canSignUp: { ok: true },
    canCancel: { ok: false, reason: '未报名' },
    canManage: false,
    ...over,
  };
}
