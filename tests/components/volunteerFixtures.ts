import type { GoodsView, PointsEntryView, PointsSummary, RedemptionView } from '../../types/points';
import type {
  AttendanceView,
  ConsentText,
  HourEntryView,
  MakeupView,
  RegistrationView,
  ServiceDetail,
  ServiceProfile,
  ServiceSummary,
  SessionView,
} from '../../types/volunteer';
import { HOUR, START } from './fixtures';

/** A valid 18-digit ID number (GB 11643 check digit X) and one with a wrong check digit. */
export const VALID_ID = '11010519491231002X';
export const BAD_CHECK_ID = '320102199001011234';

export const CONSENT: ConsentText = {
  version: '2026-11',
  text: '你的姓名、身份证号和手机号仅用于志愿者实名登记、服务记录和服务证明，由所在社区工作者审核查看。',
};

export function registration(over: Partial<RegistrationView> = {}): RegistrationView {
  return {
    openid: 'u1',
    communityId: 'c1',
    communityName: '幸福里社区',
    name: '张阿姨',
    idMasked: '1101**********002X',
    phoneMasked: '138****5678',
    skills: ['医疗护理'],
    preferences: ['敬老助老'],
    status: 'pending',
    submittedAt: START - 48 * HOUR,
    rankingOptOut: false,
    ...over,
  };
}

export function profile(over: Partial<ServiceProfile> = {}): ServiceProfile {
  return {
    registration: registration({ status: 'approved' }),
    recordedHours: 120,
    grantedHours: 4,
    totalHours: 124,
    star: { stars: 1, nextAt: 300, progress: 0.1 },
    pointsBalance: 86,
    monthHours: 6,
    yearHours: 60,
    ...over,
  };
}

export function pointsSummary(over: Partial<PointsSummary> = {}): PointsSummary {
  return { balance: 86, earned: 120, ...over };
}

export function serviceSummary(over: Partial<ServiceSummary> = {}): ServiceSummary {
  return {
    _id: 's1',
    communityId: 'c1',
    category: '敬老助老',
    title: '敬老助餐',
    post: '送餐员',
    placeName: '幸福里长者食堂',
    nextSessionAt: START,
    hoursPerSession: 2,
    sessionCount: 4,
    openSessions: 3,
    review: true,
    requiredSkills: [],
    status: 'published',
    ...over,
  };
}

export function session(over: Partial<SessionView> = {}): SessionView {
  return {
    activityId: 'a1',
    sessionNo: 1,
    startAt: START,
    endAt: START + 2 * HOUR,
    capacity: 5,
    confirmedCount: 2,
    waitlistCount: 0,
    phase: 'open',
    ...over,
  };
}

export function serviceDetail(over: Partial<ServiceDetail> = {}): ServiceDetail {
  return {
    _id: 's1',
    communityId: 'c1',
    hostUnitIds: [],
    category: '敬老助老',
    title: '敬老助餐',
    post: '送餐员',
    description: '为社区独居老人送午餐。',
    place: { name: '幸福里长者食堂', address: '幸福路 3 号', lat: 31.2, lng: 121.5 },
    requiredSkills: [],
    hoursPerSession: 2,
    placesPerSession: 5,
    review: true,
    checkInMethod: 'code',
    nextSessionAt: START,
    lastSessionEndAt: START + 7 * 24 * HOUR + 2 * HOUR,
    status: 'published',
    createdAt: START - 100 * HOUR,
    updatedAt: START - 100 * HOUR,
    communityName: '幸福里社区',
    hostUnits: [],
    sessions: [
      session(),
      session({
        activityId: 'a2',
        sessionNo: 2,
        startAt: START + 7 * 24 * HOUR,
        endAt: START + 7 * 24 * HOUR + 2 * HOUR,
      }),
    ],
    canManage: false,
    ...over,
  };
}

export function attendance(over: Partial<AttendanceView> = {}): AttendanceView {
  return {
    activityId: 'a1',
    openid: 'u1',
    signUpStatus: 'confirmed',
    recordedHours: 0,
    grantedHours: 0,
    pointsAwarded: 0,
    ...over,
  };
}

export function goods(over: Partial<GoodsView> = {}): GoodsView {
  return {
    _id: 'g1',
    communityId: 'c1',
    name: '环保购物袋',
    description: '可折叠',
    price: 30,
    stock: 10,
    redeemedCount: 2,
    onSale: true,
    createdAt: START - 100 * HOUR,
    updatedAt: START - 100 * HOUR,
    canRedeem: { ok: true },
    ...over,
  };
}

export function redemption(over: Partial<RedemptionView> = {}): RedemptionView {
  return {
    _id: 'r1',
    openid: 'u1',
    communityId: 'c1',
    goodsId: 'g1',
    goodsName: '环保购物袋',
    price: 30,
    status: 'awaitingPickup',
    pickupCode: '12345678',
    pickupQr: 'tongxin:pickup:12345678',
    createdAt: START,
    updatedAt: START,
    ...over,
  };
}

export function hourEntry(over: Partial<HourEntryView> = {}): HourEntryView {
  return {
    _id: 'rec_a1_u1',
    openid: 'u1',
    communityId: 'c1',
    activityId: 'a1',
    activityTitle: '敬老助餐 · 送餐员',
    kind: 'recorded',
    hours: 2,
    at: START + 2 * HOUR,
    ...over,
  };
}

export function pointsEntry(over: Partial<PointsEntryView> = {}): PointsEntryView {
  return {
    _id: 'earn_a1_u1',
    communityId: 'c1',
    kind: 'earned',
    points: 2,
    at: START + 2 * HOUR,
    reason: '敬老助餐 · 送餐员',
    ...over,
  };
}

export function makeup(over: Partial<MakeupView> = {}): MakeupView {
  return {
    _id: 'm1',
    openid: 'u1',
    activityId: 'a1',
    communityId: 'c1',
    checkInAt: START,
    checkOutAt: START + 2 * HOUR,
    reason: '手机没电忘记签退',
    status: 'pending',
    createdAt: START + 3 * HOUR,
    activityTitle: '敬老助餐 · 送餐员',
    ...over,
  };
}

export const page = <T>(items: T[], nextCursor?: string) => ({ items, total: items.length, nextCursor });
