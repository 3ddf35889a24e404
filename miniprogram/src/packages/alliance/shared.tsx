import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { ReactNode } from 'react';
import type {
  MemberRecord,
  Need,
  ProjectSummary,
  ProposalView,
  Resource,
  UnitView,
} from '../../../../types/domain';
import { StatusTag } from '../../components/StatusTag';
import { heading, keyboardActivatable, roleProps } from '../../utils/a11y';
import {
  NEED_STATUS,
  PROJECT_PHASE,
  PROPOSAL_STATUS,
  RESOURCE_KIND_LABEL,
  TYPE_LABEL,
  ratingText,
} from '../../utils/labels';
import { formatInstant, fromNow } from '../../utils/time';

export const ALLIANCE_HOME = '/packages/alliance/index';
export const PROJECT_PAGE = '/packages/alliance/project';
export const MY_UNIT_PAGE = '/packages/alliance/my-unit';
export const JOIN_PAGE = '/packages/alliance/join';
export const REPORT_PAGE = '/packages/alliance/report';
export const UNIT_RECORD_PAGE = '/packages/alliance/unit-record';
export const MEMBER_RECORD_PAGE = '/packages/alliance/member-record';

export function openProject(id: string): void {
  Taro.navigateTo({ url: `${PROJECT_PAGE}?id=${encodeURIComponent(id)}` });
}

export function openUnitRecord(unitId: string, year?: number): void {
  const y = year ? `&year=${year}` : '';
  Taro.navigateTo({ url: `${UNIT_RECORD_PAGE}?id=${encodeURIComponent(unitId)}${y}` });
}

/** A member's annual record; without an openid, the caller's own. */
export function openMemberRecord(openid?: string, year?: number): void {
  const q = [openid ? `openid=${encodeURIComponent(openid)}` : '', year ? `year=${year}` : '']
    .filter(Boolean)
    .join('&');
  Taro.navigateTo({ url: q ? `${MEMBER_RECORD_PAGE}?${q}` : MEMBER_RECORD_PAGE });
}

export const hoursText = (h: number) => `${Math.round(h * 10) / 10}`;

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

/** A member's year: hours against the target, services, posts and the activities served. */
export function MemberRecordCard({ record, children }: { record: MemberRecord; children?: ReactNode }) {
  return (
    <View className="card" id="member-record">
      <Text className="section-title" {...heading(2)}>
        {record.year} 年度服务记录
      </Text>
      <Text id="record-hours">
        <Text className="key-number">{hoursText(record.hours)}</Text>
        <Text> / {record.targetHours} 小时</Text>
      </Text>
      <View
        id="record-progress"
        className="progress"
        aria-label="年度服务时长完成度"
        {...roleProps('progressbar', {
          'aria-valuemin': 0,
          'aria-valuemax': 100,
          'aria-valuenow': Math.round(record.progress * 100),
        })}
      >
        <View className="progress__bar" style={{ width: `${Math.round(record.progress * 100)}%` }} />
      </View>
      <Text className="muted" id="record-progress-text">
        {record.progress >= 1
          ? '已完成年度目标'
          : `完成 ${Math.round(record.progress * 100)}%，还差 ${hoursText(Math.max(0, record.targetHours - record.hours))} 小时`}
      </Text>
      <View className="facts">
        <View className="fact" id="record-services">
          <Text className="fact__label">服务次数</Text>
          <Text className="fact__value">{record.services} 次</Text>
        </View>
        <View className="fact">
          <Text className="fact__label">参加活动</Text>
          <Text className="fact__value">{record.activities.length} 场</Text>
        </View>
        <View className="fact">
          <Text className="fact__label">办理诉求</Text>
          <Text className="fact__value">{record.grievances.length} 件</Text>
        </View>
        <View className="fact" id="record-posts">
          <Text className="fact__label">服务岗位</Text>
          <Text className="fact__value">
            {record.posts.length === 0
              ? '暂无'
              : record.posts.map((p) => `${p.name}${p.until ? '（已卸任）' : ''}`).join('、')}
          </Text>
        </View>
      </View>
      {record.activities.length > 0 ? (
        <View {...roleProps('list')} aria-label="参加的活动">
          {record.activities.slice(0, 10).map((a) => (
            <Text key={a.activityId} className="alliance-list__item" {...roleProps('listitem')}>
              {a.title} · {a.hours} 小时
            </Text>
          ))}
        </View>
      ) : (
        // 服务次数 also counts grievances handled and posts held: only "no record" when it is 0.
        <Text className="muted" id="record-empty">
          {record.services === 0 ? '今年还没有服务记录，去参加一次志愿服务吧' : '今年还没有参加活动'}
        </Text>
      )}
      {children ? <View className="alliance-card__actions">{children}</View> : null}
    </View>
  );
}

/** A unit's activity proposal: what, when, where, and where it stands. */
export function ProposalCard({
  item,
  showUnit = false,
  children,
}: {
  item: ProposalView;
  showUnit?: boolean;
  children?: ReactNode;
}) {
  const st = PROPOSAL_STATUS[item.status];
  return (
    <View id={`proposal-${item._id}`} className="card">
      <View className="alliance-card__head">
        <Text className="alliance-card__title" {...roleProps('heading', { 'aria-level': 3 })}>
          {item.title}
        </Text>
        <StatusTag label={st.label} tone={st.tone} />
      </View>
      {item.description ? <Text className="alliance-card__text">{item.description}</Text> : null}
      <View className="alliance-card__line">
        <Text className="line-label">{showUnit ? '提议单位' : '社区'}</Text>
        <Text>{showUnit ? item.unitName : item.communityName}</Text>
      </View>
      <View className="alliance-card__line">
        <Text className="line-label">类型</Text>
        <Text>{TYPE_LABEL[item.type]}</Text>
      </View>
      <View className="alliance-card__line">
        <Text className="line-label">时间</Text>
        <Text>
          {formatInstant(item.startAt)} – {formatInstant(item.endAt)}
        </Text>
      </View>
      <View className="alliance-card__line">
        <Text className="line-label">地点</Text>
        <Text>
          {item.placeName}
          {item.venueTitle ? `（本单位场地：${item.venueTitle}）` : ''}
        </Text>
      </View>
      <View className="alliance-card__line">
        <Text className="line-label">人数</Text>
        <Text>{item.capacity > 0 ? `限 ${item.capacity} 人` : '不限'}</Text>
      </View>
      {item.reason ? (
        <View className="alliance-card__line" id={`proposal-reason-${item._id}`}>
          <Text className="line-label">{item.status === 'declined' ? '未通过理由' : '审核意见'}</Text>
          <Text>{item.reason}</Text>
        </View>
      ) : null}
      {children ? <View className="alliance-card__actions">{children}</View> : null}
    </View>
  );
}
