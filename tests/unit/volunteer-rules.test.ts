import {
  certificateNumber,
  checkInWindow,
  distanceMeters,
  grantedHoursCap,
  idCheckDigit,
  recordedHours,
  rotatingCode,
  sixDigitCode,
  starLevel,
  validateGrant,
  validateIdNumber,
  verifyRotatingCode,
  verifySixDigitCode,
  withinRadius,
} from '../../cloudfunctions/domain/volunteer';
import { maskIdNumber } from '../../cloudfunctions/domain/mask';

const MIN = 60_000;
const H = 60 * MIN;
const DAY = 24 * H;
/** 2026-11-21 10:00 in Asia/Shanghai. */
const NOW = Date.UTC(2026, 10, 21, 2);

/** A real-format ID: region + birth date + sequence, with the computed GB 11643 check digit. */
const id = (region: string, birth: string, seq = '123') => {
  const first17 = `${region}${birth}${seq}`;
  return first17 + idCheckDigit(first17);
};

describe('validateIdNumber', () => {
  it('accepts the GB 11643 sample number, with a lower-case x too', () => {
    const r = validateIdNumber('11010519491231002X', NOW);
    expect(r).toEqual({ ok: true, birthDate: '1949-12-31', regionCode: '110105', sex: 'female' });
    expect(validateIdNumber('11010519491231002x', NOW)).toEqual(r);
  });

  it('accepts constructed numbers and reads sex from the 17th digit', () => {
    expect(validateIdNumber(id('320102', '19900101', '123'), NOW)).toMatchObject({
      ok: true,
      birthDate: '1990-01-01',
      regionCode: '320102',
      sex: 'male',
    });
    expect(validateIdNumber(id('440305', '20000229', '124'), NOW)).toMatchObject({ ok: true, sex: 'female' });
    expect(validateIdNumber(` ${id('820000', '19991220')} `, NOW)).toMatchObject({ ok: true });
  });

  it('finds an ID whose check digit is X among constructed ones', () => {
    const withX = Array.from({ length: 100 }, (_, i) =>
      id('310101', '19850615', String(i).padStart(3, '0')),
    ).find((s) => s.endsWith('X'));
    expect(withX).toBeDefined();
    expect(validateIdNumber(withX!, NOW).ok).toBe(true);
    expect(validateIdNumber(withX!.toLowerCase(), NOW).ok).toBe(true);
  });

  it('refuses a wrong check digit', () => {
    const good = id('320102', '19900101');
    const wrong = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    expect(validateIdNumber(wrong, NOW)).toEqual({ ok: false, reason: '身份证号码校验位不正确，请核对' });
    // a single transposed digit is caught too
    const swapped = good.slice(0, 14) + good[15] + good[14] + good.slice(16);
    if (swapped !== good) expect(validateIdNumber(swapped, NOW).ok).toBe(false);
  });

  it.each([
    ['', '请填写身份证号码'],
    ['32010219900101123', '身份证号码应为 18 位'],
    ['3201021990010112345', '身份证号码应为 18 位'],
    ['32010219900101123Y', '身份证号码格式不正确（前 17 位为数字，末位为数字或 X）'],
    ['3201021990X1011234', '身份证号码格式不正确（前 17 位为数字，末位为数字或 X）'],
  ])('refuses %p by format', (value, reason) => {
    expect(validateIdNumber(value, NOW)).toEqual({ ok: false, reason });
  });

  it.each([
    ['Feb 30', '19900230'],
    ['Feb 29 in a non-leap year', '19900229'],
    ['month 13', '19901301'],
    ['month 00', '19900001'],
    ['day 00', '19900100'],
    ['Apr 31', '19900431'],
  ])('refuses a birth date that does not exist (%s)', (_, birth) => {
    expect(validateIdNumber(id('320102', birth), NOW)).toEqual({
      ok: false,
      reason: '身份证号码中的出生日期不存在',
    });
  });

  it('refuses a birth date in the future (today in Asia/Shanghai is fine) or before 1900', () => {
    expect(validateIdNumber(id('320102', '20261122'), NOW)).toEqual({
      ok: false,
      reason: '身份证号码中的出生日期晚于今天',
    });
    expect(validateIdNumber(id('320102', '20261121'), NOW).ok).toBe(true);
    // 2026-11-21 20:00 UTC is already the 22nd in Shanghai
    expect(validateIdNumber(id('320102', '20261122'), Date.UTC(2026, 10, 21, 20)).ok).toBe(true);
    expect(validateIdNumber(id('320102', '18991231'), NOW)).toEqual({
      ok: false,
      reason: '身份证号码中的出生日期早于 1900 年',
    });
    expect(validateIdNumber(id('320102', '19000101'), NOW).ok).toBe(true);
  });

  it.each([
    '000000',
    '100101',
    '160101',
    '240101',
    '380101',
    '470101',
    '550101',
    '660101',
    '720101',
    '840101',
    '990101',
  ])('refuses the region code %s', (region) => {
    expect(validateIdNumber(id(region, '19900101'), NOW)).toEqual({
      ok: false,
      reason: '身份证号码的地区码不正确',
    });
  });

  it.each([
    '110101',
    '150101',
    '210101',
    '230101',
    '370101',
    '460101',
    '500101',
    '540101',
    '650101',
    '710000',
    '810000',
    '830000',
    '910000',
  ])('accepts the region code %s', (region) => {
    expect(validateIdNumber(id(region, '19900101'), NOW).ok).toBe(true);
  });

  it('masks through mask.ts, never here', () => {
    expect(maskIdNumber(id('320102', '19900101'))).toMatch(/^3201\*{10}\d{3}[\dX]$/);
  });
});

describe('recordedHours', () => {
  const start = NOW;
  const session = { startAt: start, endAt: start + 3 * H, hours: 3 };

  it('rounds the overlap down to 0.5 h', () => {
    expect(recordedHours(session, start, start + H + 44 * MIN)).toBe(1.5); // 1h44m
    expect(recordedHours(session, start, start + H + 29 * MIN)).toBe(1);
    expect(recordedHours(session, start, start + H + 30 * MIN)).toBe(1.5);
    expect(recordedHours(session, start, start + 29 * MIN + 59_999)).toBe(0);
    expect(recordedHours(session, start, start + 30 * MIN)).toBe(0.5);
  });

  it('counts only the overlap with the session', () => {
    expect(recordedHours(session, start - H, start + H)).toBe(1); // early check-in
    expect(recordedHours(session, start + 2 * H, start + 10 * H)).toBe(1); // late check-out
    expect(recordedHours(session, start - H, start + 4 * H)).toBe(3);
  });

  it('caps at the session hours', () => {
    expect(recordedHours({ ...session, hours: 2 }, start, session.endAt)).toBe(2);
    expect(recordedHours({ ...session, hours: 2.7 }, start, session.endAt)).toBe(2.5);
  });

  it('is 0 without overlap or when check-out is not after check-in', () => {
    expect(recordedHours(session, start - 2 * H, start - H)).toBe(0);
    expect(recordedHours(session, session.endAt, session.endAt + H)).toBe(0);
    expect(recordedHours(session, start + H, start + H)).toBe(0);
    expect(recordedHours(session, start + 2 * H, start + H)).toBe(0);
    expect(recordedHours(session, start, Number.NaN)).toBe(0);
  });
});

describe('checkInWindow', () => {
  const session = { startAt: NOW, endAt: NOW + 2 * H };
  it.each([
    [NOW - H - 1, false],
    [NOW - H, true],
    [NOW, true],
    [NOW + 2 * H, true],
    [NOW + 2 * H + DAY - 1, true],
    [NOW + 2 * H + DAY, false],
  ])('at %p → %p', (now, expected) => {
    expect(checkInWindow(session, now).ok).toBe(expected);
  });

  it('gives Chinese reasons', () => {
    expect(checkInWindow(session, NOW - 2 * H)).toEqual({
      ok: false,
      reason: '签到尚未开始（开始前 1 小时开放）',
    });
    expect(checkInWindow(session, NOW + 3 * DAY)).toEqual({
      ok: false,
      reason: '签到已截止（服务结束后 1 天内可签到）',
    });
  });
});

describe('distanceMeters and withinRadius', () => {
  const place = { lat: 32.0603, lng: 118.7969 }; // 南京
  /** A point `m` metres due north of the place (exact on a meridian for the haversine). */
  const north = (m: number) => ({ lat: place.lat + (m / 6_371_008.8) * (180 / Math.PI), lng: place.lng });

  it('measures known distances', () => {
    expect(distanceMeters(place, place)).toBe(0);
    expect(distanceMeters(place, north(499))).toBeCloseTo(499, 3);
    // one degree of longitude at the equator ≈ 111.2 km
    expect(distanceMeters({ lat: 0, lng: 0 }, { lat: 0, lng: 1 })).toBeCloseTo(111_195, -1);
    // Beijing Tiananmen → Shanghai People's Square ≈ 1,067 km
    expect(
      distanceMeters({ lat: 39.9087, lng: 116.3975 }, { lat: 31.2304, lng: 121.4737 }) / 1000,
    ).toBeCloseTo(1067, -1);
  });

  it('accepts 499 m and refuses 501 m with the default 500 m radius', () => {
    expect(withinRadius(north(499), place)).toBe(true);
    expect(withinRadius(north(501), place)).toBe(false);
    expect(withinRadius(north(501), place, 600)).toBe(true);
    expect(withinRadius(place, place, 0)).toBe(true);
  });

  it('refuses nonsense coordinates', () => {
    expect(withinRadius({ lat: Number.NaN, lng: 0 }, place)).toBe(false);
    expect(withinRadius({ lat: 91, lng: 0 }, place)).toBe(false);
    expect(withinRadius(place, { lat: 0, lng: 181 })).toBe(false);
  });
});

describe('granted hours', () => {
  const activity = { startAt: NOW, endAt: NOW + 3 * H + 45 * MIN };

  it('caps at the activity duration in 0.5 h steps', () => {
    expect(grantedHoursCap(activity)).toBe(3.5);
    expect(grantedHoursCap({ startAt: NOW, endAt: NOW + 2 * H })).toBe(2);
    expect(grantedHoursCap({ startAt: NOW, endAt: NOW - H })).toBe(0);
  });

  it('validates hours, reason and cap', () => {
    expect(validateGrant(3.5, activity, '组织协调')).toEqual({ ok: true });
    expect(validateGrant(4, activity, '组织协调')).toEqual({
      ok: false,
      reason: '授予时长不得超过活动时长 3.5 小时',
    });
    expect(validateGrant(2, activity, '  ')).toEqual({ ok: false, reason: '授予荣誉时长须填写理由' });
    expect(validateGrant(0, activity, '理由')).toEqual({ ok: false, reason: '授予时长须大于 0' });
    expect(validateGrant(-1, activity, '理由').ok).toBe(false);
    expect(validateGrant(Number.NaN, activity, '理由').ok).toBe(false);
    expect(validateGrant(1.2, activity, '理由')).toEqual({
      ok: false,
      reason: '授予时长须以 0.5 小时为单位',
    });
  });

  it('counts hours already granted for the same activity', () => {
    expect(validateGrant(1.5, activity, '补充', 2)).toEqual({ ok: true });
    expect(validateGrant(2, activity, '补充', 2)).toEqual({
      ok: false,
      reason: '授予时长合计不得超过活动时长 3.5 小时（已授予 2 小时）',
    });
  });
});

describe('starLevel', () => {
  it.each([
    [0, 0, 100, 0],
    [50, 0, 100, 0.5],
    [99.5, 0, 100, 0.995],
    [100, 1, 300, 0],
    [200, 1, 300, 0.5],
    [300, 2, 600, 0],
    [599.5, 2, 600, (599.5 - 300) / 300],
    [600, 3, 1000, 0],
    [900, 3, 1000, 0.75],
    [1000, 4, 1500, 0],
    [1250, 4, 1500, 0.5],
  ])('%p h → %p stars, next at %p, progress %p', (hours, stars, nextAt, progress) => {
    const level = starLevel(hours);
    expect(level.stars).toBe(stars);
    expect(level.nextAt).toBe(nextAt);
    expect(level.progress).toBeCloseTo(progress, 10);
  });

  it('tops out at 5 stars with full progress and no next threshold', () => {
    expect(starLevel(1500)).toEqual({ stars: 5, progress: 1 });
    expect(starLevel(9999)).toEqual({ stars: 5, progress: 1 });
  });

  it('treats bad input as 0 h', () => {
    expect(starLevel(-5)).toEqual({ stars: 0, nextAt: 100, progress: 0 });
    expect(starLevel(Number.NaN)).toEqual({ stars: 0, nextAt: 100, progress: 0 });
  });
});

describe('certificateNumber', () => {
  it('formats ZYFW-<year>-<6 digits> with the year in Asia/Shanghai', () => {
    expect(certificateNumber(NOW, 123)).toBe('ZYFW-2026-000123');
    expect(certificateNumber(Date.UTC(2026, 11, 31, 16), 1)).toBe('ZYFW-2027-000001'); // 2027-01-01 00:00 CST
    expect(certificateNumber(NOW, 1_234_567)).toBe('ZYFW-2026-1234567');
  });

  it('refuses a bad sequence', () => {
    expect(() => certificateNumber(NOW, 0)).toThrow(RangeError);
    expect(() => certificateNumber(NOW, 1.5)).toThrow(RangeError);
  });
});

describe('rotating check-in codes', () => {
  const SECRET = 'test-secret';
  const T0 = Math.floor(NOW / 60_000) * 60_000; // the start of a window

  it('accepts the QR code at +59 s and refuses it at +61 s', () => {
    const code = rotatingCode(SECRET, 's1', T0);
    expect(code).toMatch(/^\d+\.[\w-]{22}$/);
    expect(code.split('.')[0]).toBe(String(T0 / 60_000));
    expect(verifyRotatingCode(SECRET, 's1', code, T0)).toBe(true);
    expect(verifyRotatingCode(SECRET, 's1', code, T0 + 59_000)).toBe(true);
    expect(verifyRotatingCode(SECRET, 's1', code, T0 + 61_000)).toBe(false);
    expect(verifyRotatingCode(SECRET, 's1', code, T0 - 1)).toBe(false);
  });

  it('only the current window: a code shown late in a window fails after it rolls over', () => {
    const code = rotatingCode(SECRET, 's1', T0 + 50_000);
    expect(code).toBe(rotatingCode(SECRET, 's1', T0));
    expect(verifyRotatingCode(SECRET, 's1', code, T0 + 60_000)).toBe(false);
  });

  it('is bound to the session, the secret and the signature', () => {
    const code = rotatingCode(SECRET, 's1', T0);
    expect(verifyRotatingCode(SECRET, 's2', code, T0)).toBe(false);
    expect(verifyRotatingCode('other', 's1', code, T0)).toBe(false);
    const [w, sig] = code.split('.');
    const tampered = `${w}.${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`;
    expect(verifyRotatingCode(SECRET, 's1', tampered, T0)).toBe(false);
    // the window index cannot be bumped without the signature
    expect(verifyRotatingCode(SECRET, 's1', `${Number(w) + 1}.${sig}`, T0 + 60_000)).toBe(false);
    expect(verifyRotatingCode(SECRET, 's1', '', T0)).toBe(false);
    expect(verifyRotatingCode(SECRET, 's1', 'garbage', T0)).toBe(false);
  });

  it('honours a custom window', () => {
    const code = rotatingCode(SECRET, 's1', T0, 30_000);
    expect(verifyRotatingCode(SECRET, 's1', code, T0 + 29_000, 30_000)).toBe(true);
    expect(verifyRotatingCode(SECRET, 's1', code, T0 + 31_000, 30_000)).toBe(false);
  });

  it('needs a secret', () => {
    expect(() => rotatingCode('', 's1', T0)).toThrow();
  });

  it('six-digit code: same window rules', () => {
    const code = sixDigitCode(SECRET, 's1', T0);
    expect(code).toMatch(/^\d{6}$/);
    expect(sixDigitCode(SECRET, 's1', T0 + 59_000)).toBe(code);
    expect(verifySixDigitCode(SECRET, 's1', code, T0 + 59_000)).toBe(true);
    expect(verifySixDigitCode(SECRET, 's1', ` ${code} `, T0 + 59_000)).toBe(true);
    expect(verifySixDigitCode(SECRET, 's1', code, T0 + 61_000)).toBe(false);
    expect(verifySixDigitCode(SECRET, 's2', code, T0)).toBe(sixDigitCode(SECRET, 's2', T0) === code);
    expect(verifySixDigitCode(SECRET, 's1', '12345', T0)).toBe(false);
  });

  it('six-digit codes vary across windows and sessions', () => {
    const codes = new Set(Array.from({ length: 50 }, (_, i) => sixDigitCode(SECRET, 's1', T0 + i * 60_000)));
    expect(codes.size).toBeGreaterThan(45);
    expect(sixDigitCode(SECRET, 's1', T0)).not.toBe(rotatingCode(SECRET, 's1', T0));
  });
});
