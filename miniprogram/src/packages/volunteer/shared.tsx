/**
 * Shared bits of the volunteer pages (志愿服务): page paths, Chinese labels for the statuses of
 * the volunteer and points contracts, number formatting, the star-level card and locating the user.
 */
import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { ReactNode } from 'react';
import type { PointsKind } from '../../../../types/points';
import type { CorrectionField, HourKind, RegistrationStatus, StarView } from '../../../../types/volunteer';
import { QrCode } from '../../components/QrCode';
import { StatusTag } from '../../components/StatusTag';
import { keyboardActivatable, roleProps } from '../../utils/a11y';
import type { TagTone } from '../../utils/labels';

export const VOLUNTEER_ROOT = '/packages/volunteer';

export type VolunteerPage =
  | 'index'
  | 'register'
  | 'services'
  | 'service'
  | 'checkin'
  | 'hours'
  | 'certificate'
  | 'verify'
  | 'mall'
  | 'redemptions'
  | 'rankings'
  | 'my-data';

/** `/packages/volunteer/<page>?k=v…` (values encoded). */
export function volunteerUrl(page: VolunteerPage, query: Record<string, string> = {}): string {
  const q = Object.entries(query)
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join('&');
  return `${VOLUNTEER_ROOT}/${page}${q ? `?${q}` : ''}`;
}

export function openVolunteer(page: VolunteerPage, query: Record<string, string> = {}): void {
  Taro.navigateTo({ url: volunteerUrl(page, query) });
}

/** A router param, decoded; '' when missing. */
export function param(params: Record<string, string | undefined>, key: string): string {
  const v = params[key];
  if (!v) return '';
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}

/**
 * The certificate a verification QR points at: its content is the in-app path
 * (`packages/volunteer/verify?no=…&t=…`) or a deployment's 扫普通链接二维码 URL with the same query.
 */
export function verifyTarget(content: string): { no: string; t: string } | null {
  const query = content.includes('?') ? content.slice(content.indexOf('?') + 1) : '';
  const get = (key: string) => {
    const m = new RegExp(`(?:^|&)${key}=([^&#]*)`).exec(query);
    return m ? param({ v: m[1] }, 'v') : '';
  };
  const no = get('no');
  const t = get('t');
  return no && t ? { no, t } : null;
}

// ---------- labels ----------

export {
  CORRECTION_STATUS,
  MAKEUP_STATUS,
  REDEMPTION_STATUS,
  SERVICE_CATEGORY_LIST,
} from '../../utils/labels';

export const REGISTRATION_STATUS: Record<RegistrationStatus, { label: string; tone: TagTone }> = {
  pending: { label: '待审核', tone: 'orange' },
  approved: { label: '已通过', tone: 'green' },
  rejected: { label: '未通过', tone: 'red' },
};

export const HOUR_KIND: Record<HourKind, { label: string; tone: TagTone }> = {
  recorded: { label: '信用时长', tone: 'blue' },
  granted: { label: '荣誉时长', tone: 'orange' },
};

export const POINTS_KIND: Record<PointsKind, { label: string; tone: TagTone }> = {
  earned: { label: '获得', tone: 'green' },
  redeemed: { label: '兑换', tone: 'blue' },
  adjusted: { label: '调整', tone: 'orange' },
  expired: { label: '过期', tone: 'grey' },
};

export const CORRECTION_FIELDS: { value: CorrectionField; label: string }[] = [
  { value: 'name', label: '姓名' },
  { value: 'idNumber', label: '身份证号' },
  { value: 'phone', label: '手机号' },
  { value: 'hours', label: '服务时长' },
  { value: 'other', label: '其他' },
];

// ---------- numbers ----------

/** 12 → "12"; 2.5 → "2.5"; 1.25 → "1.3". */
export function hoursText(h: number): string {
  return String(Math.round((Number.isFinite(h) ? h : 0) * 10) / 10);
}

/** +5 / -10 / 0 */
export function signedPoints(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}

/**
 * The check-in window of a session, as the server checks it (domain/volunteer.checkInWindow):
 * from 1 hour before the start until 1 day after the end.
 */
export const CHECK_IN_OPENS_BEFORE_MS = 3600_000;
export const CHECK_IN_CLOSES_AFTER_MS = 24 * 3600_000;
export function checkInOpen(a: { startAt: number; endAt: number }, now: number = Date.now()): boolean {
  return now >= a.startAt - CHECK_IN_OPENS_BEFORE_MS && now < a.endAt + CHECK_IN_CLOSES_AFTER_MS;
}

// ---------- ID numbers (client-side check; the server checks again) ----------

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** '' when the 18-digit resident ID number looks right (GB 11643 check digit), else a message. */
export function idNumberError(raw: string): string {
  const id = raw.trim().toUpperCase();
  if (!id) return '请填写身份证号码';
  if (!/^\d{17}[\dX]$/.test(id)) return '身份证号码应为 18 位（最后一位可以是 X）';
  const sum = ID_WEIGHTS.reduce((s, w, i) => s + w * Number(id[i]), 0);
  if (ID_CHECK[sum % 11] !== id[17]) return '身份证号码有误，请核对';
  const m = /^\d{6}(\d{4})(\d{2})(\d{2})/.exec(id);
  const [y, mo, d] = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [0, 0, 0];
  const birth = new Date(Date.UTC(y, mo - 1, d));
  if (y < 1900 || birth.getUTCMonth() !== mo - 1 || birth.getUTCDate() !== d || birth.getTime() > Date.now())
    return '身份证号码中的出生日期有误，请核对';
  return '';
}

export const PHONE_RE = /^1[3-9]\d{9}$/;
export const NAME_RE = /^[\u4e00-\u9fa5·A-Za-z ]+$/;

// ---------- location ----------

/**
 * The user's position (GCJ-02, as WeChat maps use), or null when refused or unavailable; says why
 * in a toast so the page can carry on without it.
 */
export async function locate(fallbackText: string): Promise<{ lat: number; lng: number } | null> {
  try {
    const r = await Taro.getLocation({ type: 'gcj02' });
    if (typeof r.latitude === 'number' && typeof r.longitude === 'number')
      return { lat: r.latitude, lng: r.longitude };
  } catch (err) {
    const msg = String((err as { errMsg?: string } | undefined)?.errMsg ?? '');
    const refused = /auth|deny|denied|permission/i.test(msg);
    Taro.showToast({
      title: refused ? `未获得位置授权，${fallbackText}` : `暂时无法获取位置，${fallbackText}`,
      icon: 'none',
      duration: 2500,
    });
    return null;
  }
  Taro.showToast({ title: `暂时无法获取位置，${fallbackText}`, icon: 'none', duration: 2500 });
  return null;
}

// ---------- components ----------

/** ★★☆☆☆ in gold with the number for screen readers. */
export function Stars({ stars, id }: { stars: number; id?: string }) {
  const n = Math.max(0, Math.min(5, Math.round(stars)));
  return (
    <Text
      id={id}
      className="vol-stars"
      aria-label={n > 0 ? `${n} 星志愿者` : '暂未获得星级'}
      {...roleProps('img')}
    >
      {'★'.repeat(n)}
      <Text className="vol-stars__off">{'☆'.repeat(5 - n)}</Text>
    </Text>
  );
}

/** Star level with the gold progress bar towards the next star. */
export function StarProgress({ star, recordedHours }: { star: StarView; recordedHours: number }) {
  const pct = Math.round(Math.max(0, Math.min(1, star.progress)) * 100);
  const left = star.nextAt !== undefined ? Math.max(0, star.nextAt - recordedHours) : 0;
  return (
    <View className="vol-star" id="star-level">
      <View className="vol-star__head">
        <Stars stars={star.stars} id="star-stars" />
        <Text className="muted">{star.stars > 0 ? `${star.stars} 星志愿者` : '暂未获得星级'}</Text>
      </View>
      <View
        className="vol-progress"
        aria-label={star.nextAt !== undefined ? `距下一星级完成 ${pct}%` : '已达最高星级'}
        {...roleProps('progressbar', { 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': pct })}
      >
        <View className="vol-progress__bar" style={{ width: `${pct}%` }} />
      </View>
      <Text className="muted" id="star-next">
        {star.nextAt !== undefined
          ? `距 ${star.stars + 1} 星还差 ${hoursText(left)} 小时（${star.stars + 1} 星需累计 ${star.nextAt} 小时）`
          : '已达最高星级 五星志愿者'}
      </Text>
    </View>
  );
}

/** A number with its unit label, e.g. 服务时长 12 小时. */
export function Stat({
  id,
  label,
  value,
  unit,
  gold = false,
  onClick,
}: {
  id: string;
  label: string;
  value: string | number;
  unit?: string;
  gold?: boolean;
  onClick?: () => void;
}) {
  const inner = (
    <>
      <Text className={`vol-stat__value ${gold ? 'vol-gold' : ''}`}>
        {value}
        {unit ? <Text className="vol-stat__unit"> {unit}</Text> : null}
      </Text>
      <Text className="vol-stat__label">{label}</Text>
    </>
  );
  if (!onClick)
    return (
      <View id={id} className="vol-stat">
        {inner}
      </View>
    );
  return (
    <View
      id={id}
      className="vol-stat vol-stat--link"
      aria-label={`${label} ${value}${unit ?? ''}，查看明细`}
      {...roleProps('link')}
      {...keyboardActivatable(onClick)}
      onClick={onClick}
    >
      {inner}
    </View>
  );
}

/** The QR image, 320rpx by default on these pages. */
export function Qr({ value, size = 320, label }: { value: string; size?: number; label: string }) {
  return <QrCode value={value} size={size} label={label} />;
}

/** A tag for a status record (re-exported so the pages import one module). */
export { StatusTag };

/** One line of label + value inside a card. */
export function Line({ label, children, id }: { label: string; children: ReactNode; id?: string }) {
  return (
    <View className="vol-line" id={id}>
      <Text className="line-label">{label}</Text>
      <View className="vol-line__value">{children}</View>
    </View>
  );
}
