/** Shared bits of the 阵地 pages: status words and tones, a booking card. */
import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { ReactNode } from 'react';
import type { BookingStatus, BookingView } from '../../../../types/sites';
import { StatusTag } from '../../components/StatusTag';
import type { TagTone } from '../../utils/labels';
import { heading } from '../../utils/a11y';

export const BOOKING_STATUS: Record<BookingStatus, { label: string; tone: TagTone }> = {
  pending: { label: '待审核', tone: 'orange' },
  confirmed: { label: '已预约', tone: 'green' },
  checkedIn: { label: '已签到', tone: 'blue' },
  rejected: { label: '未通过', tone: 'grey' },
  cancelled: { label: '已取消', tone: 'grey' },
};

const WEEK = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];

/** '2026-11-23' → '11月23日 周一' (the date is already Asia/Shanghai). */
export function dateText(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wd = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return `${m}月${d}日 ${WEEK[wd]}`;
}

export const whenText = (b: Pick<BookingView, 'date' | 'start' | 'end'>) =>
  `${dateText(b.date)} ${b.start.replace(/^0/, '')}–${b.end.replace(/^0/, '')}`;

export function BookingCard({
  b,
  children,
  showBooker = false,
}: {
  b: BookingView;
  children?: ReactNode;
  showBooker?: boolean;
}) {
  const st = BOOKING_STATUS[b.status];
  return (
    <View className="card" id={`booking-${b._id}`}>
      <View className="alliance-card__head">
        <Text className="alliance-card__title" {...heading(2)}>
          {b.siteName}
        </Text>
        <StatusTag id={`booking-${b._id}-status`} label={st.label} tone={st.tone} />
      </View>
      <View className="alliance-card__line">
        <Text className="line-label">时间</Text>
        <Text>{whenText(b)}</Text>
      </View>
      <View className="alliance-card__line">
        <Text className="line-label">用途</Text>
        <Text>
          {b.purpose}（{b.people} 人）
        </Text>
      </View>
      {showBooker ? (
        <View className="alliance-card__line">
          <Text className="line-label">预约人</Text>
          <Text>{b.bookerName}</Text>
        </View>
      ) : null}
      {b.reason ? (
        <View className="alliance-card__line">
          <Text className="line-label">{b.status === 'rejected' ? '未通过原因' : '取消原因'}</Text>
          <Text>{b.reason}</Text>
        </View>
      ) : null}
      {children ? <View className="alliance-card__actions">{children}</View> : null}
    </View>
  );
}

/** The user's position (GCJ-02), or null with a toast saying why. */
export async function locate(): Promise<{ lat: number; lng: number } | null> {
  try {
    const r = await Taro.getLocation({ type: 'gcj02' });
    if (typeof r.latitude === 'number' && typeof r.longitude === 'number')
      return { lat: r.latitude, lng: r.longitude };
  } catch (err) {
    const msg = String((err as { errMsg?: string } | undefined)?.errMsg ?? '');
    const refused = /auth|deny|denied|permission/i.test(msg);
    Taro.showToast({
      title: refused ? '未获得位置授权，请向管理员出示签到码' : '暂时无法获取位置，请向管理员出示签到码',
      icon: 'none',
      duration: 2500,
    });
    return null;
  }
  Taro.showToast({ title: '暂时无法获取位置，请向管理员出示签到码', icon: 'none', duration: 2500 });
  return null;
}
