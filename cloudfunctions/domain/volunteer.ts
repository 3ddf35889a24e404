/**
 * Volunteer service rules (服务实名制积分制, DESIGN §3): ID number validation (GB 11643),
 * check-in window and place radius, recorded (信用时长) and granted (荣誉时长) hours, star levels,
 * certificate numbers and the rotating check-in codes. Pure functions, no I/O; dates are read in
 * Asia/Shanghai. The points ledger lives in `./points`. Masking for display is `./mask`
 * (maskIdNumber, maskPhone).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';

dayjs.extend(utc);
dayjs.extend(timezone);

export type Outcome = { ok: true } | { ok: false; reason: string };
const ok: Outcome = { ok: true };
const no = (reason: string): Outcome => ({ ok: false, reason });

const TZ = 'Asia/Shanghai';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const HALF_HOUR = 30 * MINUTE;

// ── ID number (中国居民身份证, GB 11643-1999) ──────────────────────────────────────────────

export type IdCheck =
  { ok: true; birthDate: string; regionCode: string; sex: 'male' | 'female' } | { ok: false; reason: string };

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK_CHARS = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/** 11–15 华北, 21–23 东北, 31–37 华东, 41–46 中南, 50–54 西南, 61–65 西北, 71 台湾, 81 香港, 82 澳门, 83 台湾 (居住证), 91 国外. */
const PROVINCE_CODES = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61,
  62, 63, 64, 65, 71, 81, 82, 83, 91,
]);

/** The GB 11643 check character for the first 17 digits. */
export function idCheckDigit(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i];
  return ID_CHECK_CHARS[sum % 11];
}

/**
 * Validate an 18-character ID number: format, region (province code plausible), birth date (a real
 * date, 1900 or later, not after today in Asia/Shanghai), then the check digit. Lower-case x is
 * accepted. Sex from the 17th digit (odd: male).
 */
export function validateIdNumber(id: string, now: number): IdCheck {
  const value = (id ?? '').trim().toUpperCase();
  if (!value) return { ok: false, reason: '请填写身份证号码' };
  if (value.length !== 18) return { ok: false, reason: '身份证号码应为 18 位' };
  if (!/^\d{17}[\dX]$/.test(value))
    return { ok: false, reason: '身份证号码格式不正确（前 17 位为数字，末位为数字或 X）' };

  const regionCode = value.slice(0, 6);
  if (/^0+$/.test(regionCode) || !PROVINCE_CODES.has(Number(value.slice(0, 2))))
    return { ok: false, reason: '身份证号码的地区码不正确' };

  const y = Number(value.slice(6, 10));
  const m = Number(value.slice(10, 12));
  const d = Number(value.slice(12, 14));
  const birth = new Date(Date.UTC(y, m - 1, d));
  if (
    m < 1 ||
    m > 12 ||
    birth.getUTCFullYear() !== y ||
    birth.getUTCMonth() !== m - 1 ||
    birth.getUTCDate() !== d
  )
    return { ok: false, reason: '身份证号码中的出生日期不存在' };
  const birthDate = `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`;
  if (y < 1900) return { ok: false, reason: '身份证号码中的出生日期早于 1900 年' };
  if (birthDate > dayjs(now).tz(TZ).format('YYYY-MM-DD'))
    return { ok: false, reason: '身份证号码中的出生日期晚于今天' };

  if (idCheckDigit(value) !== value[17]) return { ok: false, reason: '身份证号码校验位不正确，请核对' };

  return { ok: true, birthDate, regionCode, sex: Number(value[16]) % 2 === 1 ? 'male' : 'female' };
}

// ── Sessions: check-in window and recorded hours ────────────────────────────────────────

export type ServiceSession = { startAt: number; endAt: number; hours: number };

export const CHECK_IN_OPENS_BEFORE_MS = HOUR;
export const CHECK_IN_CLOSES_AFTER_MS = DAY;

/** Check-in is possible from 1 h before the start until 1 day after the end (exclusive). */
export function checkInWindow(session: Pick<ServiceSession, 'startAt' | 'endAt'>, now: number): Outcome {
  if (now < session.startAt - CHECK_IN_OPENS_BEFORE_MS) return no('签到尚未开始（开始前 1 小时开放）');
  if (now >= session.endAt + CHECK_IN_CLOSES_AFTER_MS) return no('签到已截止（服务结束后 1 天内可签到）');
  return ok;
}

/** Round down to a multiple of 0.5 h. */
export function floorHalfHour(hours: number): number {
  return Number.isFinite(hours) && hours > 0 ? Math.floor(hours * 2) / 2 : 0;
}

/**
 * Recorded hours (信用时长): the overlap of [check-in, check-out] with the session, rounded down
 * to 0.5 h, capped at the session's hours. 0 when there is no overlap or check-out ≤ check-in.
 */
export function recordedHours(session: ServiceSession, checkInAt: number, checkOutAt: number): number {
  if (!(checkOutAt > checkInAt)) return 0;
  const overlap = Math.min(checkOutAt, session.endAt) - Math.max(checkInAt, session.startAt);
  if (!(overlap > 0)) return 0;
  const halves = Math.floor(overlap / HALF_HOUR) / 2;
  return Math.min(halves, floorHalfHour(session.hours));
}

// ── Place radius ─────────────────────────────────────────────────────────────────────────

export type LatLng = { lat: number; lng: number };

const EARTH_RADIUS_M = 6_371_008.8; // mean radius (IUGG)

/** Great-circle distance in metres (haversine). */
export function distanceMeters(a: LatLng, b: LatLng): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Whether a reported location is within `radiusMeters` of the place (inclusive); bad input → false. */
export function withinRadius(point: LatLng, place: LatLng, radiusMeters = 500): boolean {
  const valid = (p: LatLng) =>
    Number.isFinite(p?.lat) && Number.isFinite(p?.lng) && Math.abs(p.lat) <= 90 && Math.abs(p.lng) <= 180;
  if (!valid(point) || !valid(place)) return false;
  return distanceMeters(point, place) <= radiusMeters;
}

// ── Granted hours (荣誉时长) ───────────────────────────────────────────────────────────────

/** Granted hours may not exceed the activity's duration, in 0.5 h steps (rounded down). */
export function grantedHoursCap(activity: { startAt: number; endAt: number }): number {
  return floorHalfHour((activity.endAt - activity.startAt) / HOUR);
}

/**
 * A worker's grant of hours: positive, in 0.5 h steps, with a reason, and — together with the
 * hours already granted to this volunteer for this activity — within the activity's duration.
 */
export function validateGrant(
  hours: number,
  activity: { startAt: number; endAt: number },
  reason: string,
  alreadyGranted = 0,
): Outcome {
  if (!Number.isFinite(hours) || hours <= 0) return no('授予时长须大于 0');
  if (hours * 2 !== Math.floor(hours * 2)) return no('授予时长须以 0.5 小时为单位');
  if (!(reason ?? '').trim()) return no('授予荣誉时长须填写理由');
  const cap = grantedHoursCap(activity);
  if (alreadyGranted + hours > cap)
    return no(
      alreadyGranted > 0
        ? `授予时长合计不得超过活动时长 ${cap} 小时（已授予 ${alreadyGranted} 小时）`
        : `授予时长不得超过活动时长 ${cap} 小时`,
    );
  return ok;
}

// ── Star level (星级) ─────────────────────────────────────────────────────────────────────

export const STAR_THRESHOLDS = [100, 300, 600, 1000, 1500] as const;

export type StarLevel = { stars: 0 | 1 | 2 | 3 | 4 | 5; nextAt?: number; progress: number };

/** Stars from cumulative recorded hours, with progress (0..1) from the current to the next star. */
export function starLevel(totalRecordedHours: number): StarLevel {
  const total = Number.isFinite(totalRecordedHours) && totalRecordedHours > 0 ? totalRecordedHours : 0;
  const stars = STAR_THRESHOLDS.filter((t) => total >= t).length as StarLevel['stars'];
  if (stars === 5) return { stars, progress: 1 };
  const from = stars === 0 ? 0 : STAR_THRESHOLDS[stars - 1];
  const nextAt = STAR_THRESHOLDS[stars];
  return { stars, nextAt, progress: (total - from) / (nextAt - from) };
}

// ── Certificate number (志愿服务证明) ──────────────────────────────────────────────────────

/** ZYFW-2026-000123: the year in Asia/Shanghai and a per-year sequence (≥ 6 digits). */
export function certificateNumber(now: number, seq: number): string {
  if (!Number.isSafeInteger(seq) || seq < 1)
    throw new RangeError('certificate sequence must be a positive integer');
  return `ZYFW-${dayjs(now).tz(TZ).year()}-${String(seq).padStart(6, '0')}`;
}

// ── Rotating check-in codes ──────────────────────────────────────────────────────────────

export const CODE_WINDOW_MS = 60_000;

function windowIndex(now: number, windowMs: number): number {
  if (!Number.isFinite(windowMs) || windowMs <= 0) throw new RangeError('windowMs must be positive');
  return Math.floor(now / windowMs);
}

function mac(secret: string, purpose: string, sessionId: string, window: number): Buffer {
  if (!secret) throw new Error('check-in code secret is missing');
  return createHmac('sha256', secret).update(`${purpose}\n${sessionId}\n${window}`).digest();
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The QR payload for a session: `<window index>.<HMAC>` — signed with the secret, bound to the
 * session and to the current window (windows are aligned to multiples of `windowMs`).
 */
export function rotatingCode(
  secret: string,
  sessionId: string,
  now: number,
  windowMs = CODE_WINDOW_MS,
): string {
  const w = windowIndex(now, windowMs);
  return `${w}.${mac(secret, 'qr', sessionId, w).toString('base64url').slice(0, 22)}`;
}

/** Accepts a QR code of the current window only; a code from another window or session fails. */
export function verifyRotatingCode(
  secret: string,
  sessionId: string,
  code: string,
  now: number,
  windowMs = CODE_WINDOW_MS,
): boolean {
  const match = /^(\d+)\.([\w-]+)$/.exec(code ?? '');
  if (!match || Number(match[1]) !== windowIndex(now, windowMs)) return false;
  return safeEqual(code, rotatingCode(secret, sessionId, now, windowMs));
}

/** The typed 6-digit code for the same window (HOTP-style dynamic truncation). */
export function sixDigitCode(
  secret: string,
  sessionId: string,
  now: number,
  windowMs = CODE_WINDOW_MS,
): string {
  const h = mac(secret, 'six', sessionId, windowIndex(now, windowMs));
  const offset = h[h.length - 1] & 0x0f;
  return String((h.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

/** Accepts the typed code of the current window only. */
export function verifySixDigitCode(
  secret: string,
  sessionId: string,
  code: string,
  now: number,
  windowMs = CODE_WINDOW_MS,
): boolean {
  const typed = (code ?? '').trim();
  return /^\d{6}$/.test(typed) && safeEqual(typed, sixDigitCode(secret, sessionId, now, windowMs));
}
