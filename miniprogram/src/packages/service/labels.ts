import Taro from '@tarojs/taro';
import type { ServiceStage } from '../../../../types/service';
import type { TagTone } from '../../utils/labels';

export const STAGE_TONE: Record<ServiceStage, TagTone> = {
  pending: 'orange',
  open: 'green',
  taken: 'blue',
  done: 'orange',
  confirmed: 'green',
  rated: 'green',
  unconfirmed: 'grey',
  rejected: 'red',
  cancelled: 'grey',
};

/** Stage names (kept here: the weapp build compiles src/ only, types are imported as types). */
export const STAGE_NAME: Record<ServiceStage, string> = {
  pending: '待审核',
  open: '待接单',
  taken: '已接单',
  done: '已完成(待确认)',
  confirmed: '已确认',
  rated: '已评价',
  unconfirmed: '已完成(未确认)',
  rejected: '未通过',
  cancelled: '已取消',
};

export const CATEGORIES = [
  { value: 'errands', label: '代买跑腿' },
  { value: 'companionship', label: '陪伴聊天' },
  { value: 'repairs', label: '小家电维修' },
  { value: 'elderly', label: '助老助残' },
  { value: 'tutoring', label: '学业辅导' },
  { value: 'other', label: '其他' },
];

export const RATING_TAGS = ['准时', '耐心', '专业', '热情', '解决了问题'];

export function distanceText(m?: number): string {
  if (m === undefined) return '';
  return m < 1000 ? `${m} 米` : `${(m / 1000).toFixed(1)} 公里`;
}

export function whenText(at: number): string {
  const d = new Date(at + 8 * 3600_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

export const openDetail = (id: string) => void Taro.navigateTo({ url: `/packages/service/detail?id=${id}` });
