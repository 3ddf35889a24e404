import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { GrievanceSummary } from '../../../types/api';
import { GRIEVANCE_STAGE, OVERDUE_TAG } from '../utils/labels';
import { formatInstant, fromNow } from '../utils/time';
import { keyboardActivatable, roleProps } from '../utils/a11y';
import { StatusTag } from './StatusTag';

export const GRIEVANCE_DETAIL_PAGE = '/packages/grievance/detail';

export const NEW_GRIEVANCE_PAGE = '/packages/grievance/new';

export function openNewGrievance(): void {
  Taro.navigateTo({ url: NEW_GRIEVANCE_PAGE });
}

export function openGrievance(id: string): void {
  Taro.navigateTo({ url: `${GRIEVANCE_DETAIL_PAGE}?id=${encodeURIComponent(id)}` });
}

/** Stage tag plus 超期 / 待补充 tags; colour always with text. */
export function GrievanceTags({ item, idPrefix }: { item: GrievanceSummary; idPrefix?: string }) {
  const stage = GRIEVANCE_STAGE[item.stage];
  return (
    <View className="grievance-tags">
      <StatusTag id={idPrefix ? `${idPrefix}-stage` : undefined} label={stage.label} tone={stage.tone} />
      {item.overdue ? (
        <StatusTag
          id={idPrefix ? `${idPrefix}-overdue` : undefined}
          label={OVERDUE_TAG.label}
          tone={OVERDUE_TAG.tone}
        />
      ) : null}
      {item.awaitingInfo ? <StatusTag label="待补充" tone="blue" /> : null}
      {item.priority ? <StatusTag label="优先" tone="red" /> : null}
    </View>
  );
}

/**
 * One grievance in a list: number, category, tags, preview and time; `staff` adds the handler
 * and the deadline that applies now.
 */
export function GrievanceCard({ item, staff = false }: { item: GrievanceSummary; staff?: boolean }) {
  const stage = GRIEVANCE_STAGE[item.stage];
  const go = () => openGrievance(item._id);
  return (
    <View
      id={`grievance-${item._id}`}
      className="card grievance-card"
      {...roleProps('link')}
      {...keyboardActivatable(go)}
      aria-label={`${item.categoryName}诉求 ${item.number}，${stage.label}${item.overdue ? '，已超期' : ''}`}
      onClick={go}
    >
      <View className="grievance-card__head">
        <Text className="grievance-card__title" {...roleProps('heading', { 'aria-level': 3 })}>
          {item.categoryName}
        </Text>
        <GrievanceTags item={item} idPrefix={`grievance-${item._id}`} />
      </View>
      <Text className="grievance-card__preview">{item.preview}</Text>
      {staff ? (
        <View className="grievance-card__line">
          <Text className="line-label">承办</Text>
          <Text>{item.handlerName || '未派单'}</Text>
        </View>
      ) : null}
      {staff && item.dueAt ? (
        <View className={`grievance-card__line ${item.overdue ? 'grievance-overdue' : ''}`}>
          <Text className="line-label">时限</Text>
          <Text>
            {formatInstant(item.dueAt)} 前{item.overdue ? '（已超期）' : ''}
          </Text>
        </View>
      ) : null}
      <View className="grievance-card__foot">
        <Text className="muted">编号 {item.number}</Text>
        <Text className="muted">{fromNow(item.createdAt)}</Text>
      </View>
    </View>
  );
}
