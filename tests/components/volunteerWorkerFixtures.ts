/** Views the worker's volunteer-service pages receive, for component tests. */
import { act, fireEvent, waitFor } from '@testing-library/react';
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

export function registration(over: Partial<RegistrationView> = {}): RegistrationView {
  return {
    openid: 'v1',
    communityId: 'c1',
    communityName: '幸福里社区',
    name: '李志强',
    idMasked: '3201**********123X',
    phoneMasked: '138****5678',
    skills: ['驾驶', '急救'],
    preferences: ['敬老助老'],
    status: 'pending',
    submittedAt: START - 48 * HOUR,
    rankingOptOut: false,
    ...over,
  };
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
  return {
    _id: 'mk1',
    openid: 'v1',
    activityId: 'a1',
    communityId: 'c1',
    checkInAt: START,
    checkOutAt: START + 2 * HOUR,
    reason: '手机没电，忘记签到',
    status: 'pending',
    createdAt: START + 3 * HOUR,
    activityTitle: '敬老助餐 · 送餐员',
    nickName: '小李',
    ...over,
  };
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
  return {
    _id: 'g1',
    communityId: 'c1',
    name: '环保购物袋',
    description: '帆布材质',
    price: 20,
    stock: 8,
    redeemedCount: 2,
    onSale: true,
    createdAt: START - 200 * HOUR,
    updatedAt: START - 200 * HOUR,
    canRedeem: { ok: true },
    ...over,
  };
}

export function redemption(over: Partial<RedemptionView> = {}): RedemptionView {
  return {
    _id: 'r1',
    openid: 'v1',
    communityId: 'c1',
    goodsId: 'g1',
    goodsName: '环保购物袋',
    price: 20,
    status: 'awaitingPickup',
    pickupCode: '12345678',
    createdAt: START - HOUR,
    updatedAt: START - HOUR,
    nickName: '小李',
    pickupQr: 'tongxin:pickup:12345678',
    ...over,
  };
}

// ---------- DOM helpers shared by the volunteerWorker* tests ----------

export const byId = (id: string) => document.getElementById(id);

export async function findById(id: string): Promise<HTMLElement> {
  return waitFor(() => {
    const el = byId(id);
    if (!el) throw new Error(`#${id} not rendered`);
    return el;
  });
}

export async function tap(id: string): Promise<void> {
  await act(async () => {
    const el = byId(id);
    if (!el) throw new Error(`#${id} missing`);
    fireEvent.click(el);
  });
}

/**
 * Fires a Taro `input`/`change` event (value in event.detail), after letting a just-mounted
 * input finish loading (Stencil sets up the inner element asynchronously).
 */
export async function emit(id: string, value: unknown, type: 'input' | 'change' = 'input'): Promise<void> {
  await act(() => new Promise((r) => setTimeout(r, 20)));
  const el = byId(id);
  if (!el) throw new Error(`#${id} missing`);
  act(() => {
    el.dispatchEvent(new CustomEvent(type, { detail: { value }, bubbles: true }));
  });
}
