import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { ReactNode } from 'react';
import type { Need, ProjectSummary, Resource, UnitView } from '../../../../types/domain';
import { StatusTag } from '../../components/StatusTag';
import { keyboardActivatable, roleProps } from '../../utils/a11y';
import { NEED_STATUS, PROJECT_PHASE, RESOURCE_KIND_LABEL, ratingText } from '../../utils/labels';
import { formatInstant, fromNow } from '../../utils/time';

export const ALLIANCE_HOME = '/packages/alliance/index';
export const PROJECT_PAGE = '/packages/alliance/project';
export const MY_UNIT_PAGE = '/packages/alliance/my-unit';
export const JOIN_PAGE = '/packages/alliance/join';
export const REPORT_PAGE = '/packages/alliance/report';
export const UNIT_RECORD_PAGE = '/packages/alliance/unit-record';

export function openProject(id: string): void {
  Taro.navigateTo({ url: `${PROJECT_PAGE}?id=${encodeURIComponent(id)}` });
}

export function openUnitRecord(unitId: string, year?: number): void {
  const y = year ? `&year=${year}` : '';
  Taro.navigateTo({ url: `${UNIT_RECORD_PAGE}?id=${encodeURIComponent(unitId)}${y}` });
}

/** "已认领 1 / 3 个单位" */
export function placesText(p: Pick<ProjectSummary, 'activeClaims' | 'maxClaims'>): string {
  const left = Math.max(0, p.maxClaims - p.activeClaims);
  return `已认领 ${p.activeClaims} / ${p.maxClaims} 个单位${left > 0 ? `，还可认领 ${left} 个` : ''}`;
}

export function ProjectCard({ item }: { item: ProjectSummary }) {
  const phase = PROJECT_PHASE[item.phase];
  const go = () => openProject(item._id);
  return (
    <View
      id={`project-${item._id}`}
      className="card"
      {...roleProps('link')}
      {...keyboardActivatable(go)}
      aria-label={`共治项目 ${item.title}，${phase.label}`}
      onClick={go}
    >
      <View className="alliance-card__head">
        <Text className="alliance-card__title" {...roleProps('heading', { 'aria-level': 3 })}>
          {item.title}
        </Text>
        <StatusTag label={phase.label} tone={phase.tone} />
      </View>
      <Text className="alliance-card__text">{item.goal}</Text>
      <View className="alliance-card__line">
        <Text className="line-label">截止</Text>
        <Text>{formatInstant(item.deadline)}</Text>
      </View>
      <View className="alliance-card__line">
        <Text className="line-label">名额</Text>
        <Text>{placesText(item)}</Text>
      </View>
      {item.ratingCount > 0 ? (
        <View className="alliance-card__line">
          <Text className="line-label">评价</Text>
          <Text className="star-display">{ratingText(item.avgRating, item.ratingCount)}</Text>
        </View>
      ) : null}
    </View>
  );
}

export function NeedCard({ item }: { item: Need }) {
  const status = NEED_STATUS[item.status];
  return (
    <View id={`need-${item._id}`} className="card">
      <View className="alliance-card__head">
        <Text className="alliance-card__title" {...roleProps('heading', { 'aria-level': 3 })}>
          {item.title}
        </Text>
        <StatusTag label={status.label} tone={status.tone} />
      </View>
      <Text className="alliance-card__text">{item.description}</Text>
      <View className="alliance-card__line">
        <Text className="line-label">类别</Text>
        <Text>
          {item.category}
          {item.source === 'grievance' ? ' · 来自居民诉求' : ''}
        </Text>
      </View>
      <View className="alliance-card__line">
        <Text className="line-label">发布</Text>
        <Text>{fromNow(item.createdAt)}</Text>
      </View>
    </View>
  );
}

export function ResourceCard({ item, children }: { item: Resource; children?: ReactNode }) {
  return (
    <View id={`resource-${item._id}`} className="card">
      <View className="alliance-card__head">
        <Text className="alliance-card__title" {...roleProps('heading', { 'aria-level': 3 })}>
          {item.title}
        </Text>
        <StatusTag
          label={item.status === 'active' ? RESOURCE_KIND_LABEL[item.kind] : '已撤下'}
          tone={item.status === 'active' ? 'blue' : 'grey'}
        />
      </View>
      <Text className="alliance-card__text">{item.description}</Text>
      <View className="alliance-card__line">
        <Text className="line-label">提供</Text>
        <Text>{item.unitName}</Text>
      </View>
      {item.capacity ? (
        <View className="alliance-card__line">
          <Text className="line-label">规模</Text>
          <Text>{item.capacity}</Text>
        </View>
      ) : null}
      {item.availability ? (
        <View className="alliance-card__line">
          <Text className="line-label">时间</Text>
          <Text>{item.availability}</Text>
        </View>
      ) : null}
      {children ? <View className="alliance-card__actions">{children}</View> : null}
    </View>
  );
}

export function UnitCard({ item, onOpen }: { item: UnitView; onOpen?: () => void }) {
  const inner = (
    <>
      <View className="alliance-card__head">
        <Text className="alliance-card__title" {...roleProps('heading', { 'aria-level': 3 })}>
          {item.name}
        </Text>
        <StatusTag label={item.type} tone="blue" />
      </View>
      <View className="alliance-card__line">
        <Text className="line-label">党组织</Text>
        <Text>{item.partyOrg}</Text>
      </View>
      <View className="alliance-card__line">
        <Text className="line-label">地址</Text>
        <Text>{item.address}</Text>
      </View>
    </>
  );
  if (!onOpen)
    return (
      <View id={`unit-${item._id}`} className="card">
        {inner}
      </View>
    );
  return (
    <View
      id={`unit-${item._id}`}
      className="card"
      {...roleProps('link')}
      {...keyboardActivatable(onOpen)}
      aria-label={`${item.name}，查看单位档案`}
      onClick={onOpen}
    >
      {inner}
    </View>
  );
}

/** Read-only stars: ★★★★☆ with the number for screen readers. */
export function StarsText({ stars }: { stars: number }) {
  const n = Math.round(stars);
  return (
    <Text className="star-display" aria-label={`${stars} 星`}>
      {'★'.repeat(n)}
      {'☆'.repeat(Math.max(0, 5 - n))}
    </Text>
  );
}
