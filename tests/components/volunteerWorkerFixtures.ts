/** Views the worker's volunteer-service pages receive, for component tests. */
import type { GoodsView, RedemptionView } from '../../types/points';
import type {
  AttendanceRow,
  CheckInCodeView,
  CorrectionView,
  MakeupView,
  RegistrationView,
  VolunteerSettings,
} from '../../types/volunteer';
import { HOUR, START } from './fixtures';
import * as resident from './volunteerFixtures';

/** The resident fixtures, as a worker sees another volunteer (李志强, openid v1). */
export function registration(over: Partial<RegistrationView> = {}): RegistrationView {
  return resident.registration({
    openid: 'v1',
    name: '李志强',
    idMasked: '3201**********123X',
    skills: ['驾驶', '急救'],
    ...over,
  });
}

export function correction(over: Partial<CorrectionView> = {}): CorrectionView {
  return {
    _id: 'cr1',
    openid: 'v1',
    communityId: 'c1',
    field: 'phone',
    message: '手机号已更换，请更正为新号码',
    status: 'pending',
    createdAt: START - 24 * HOUR,
    nickName: '小李',
    ...over,
  };
}

export function makeup(over: Partial<MakeupView> = {}): MakeupView {
  return resident.makeup({
    _id: 'mk1',
    openid: 'v1',
    reason: '手机没电，忘记签到',
    nickName: '小李',
    ...over,
  });
}

export function settings(over: Partial<VolunteerSettings> = {}): VolunteerSettings {
  return {
    _id: 'c1',
    pointsPerHour: 1,
    pointsExpiry: null,
    updatedAt: START - 100 * HOUR,
    updatedBy: 'w1',
    ...over,
  };
}

export function codeView(over: Partial<CheckInCodeView> = {}): CheckInCodeView {
  return {
    activityId: 'a1',
    method: 'code',
    qr: 'tongxin:checkin:a1:abc123',
    code: '123456',
    validUntil: Date.now() + 60_000,
    windowMs: 60_000,
    ...over,
  };
}

export function attendanceRow(over: Partial<AttendanceRow> = {}): AttendanceRow {
  return {
    activityId: 'a1',
    openid: 'v1',
    signUpStatus: 'confirmed',
    checkInAt: START - 10 * 60_000,
    checkOutAt: START + 2 * HOUR,
    recordedHours: 2,
    grantedHours: 0,
    pointsAwarded: 2,
    nickName: '小李',
    realName: '李志强',
    ...over,
  };
}

export function goods(over: Partial<GoodsView> = {}): GoodsView {
  return resident.goods({
    description: '帆布材质',
    price: 20,
    stock: 8,
    createdAt: START - 200 * HOUR,
    updatedAt: START - 200 * HOUR,
    ...over,
  });
}

export function redemption(over: Partial<RedemptionView> = {}): RedemptionView {
  return resident.redemption({
    openid: 'v1',
    price: 20,
    createdAt: START - HOUR,
    updatedAt: START - HOUR,
    nickName: '小李',
    ...over,
  });
}

export { byId, emit, findById, tap } from './dom';
