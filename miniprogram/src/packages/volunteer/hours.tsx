import { Text, View } from '@tarojs/components';
import { useDidShow, usePullDownRefresh, useRouter } from '@tarojs/taro';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { PointsSummary } from '../../../../types/points';
import type { ServiceProfile } from '../../../../types/volunteer';
import { call } from '../../api';
import { PageShell } from '../../components/PageShell';
import { SegmentTabs } from '../../components/SegmentTabs';
import { EmptyState, ErrorState, ListFooter, ListSkeleton } from '../../components/States';
import { StatusTag } from '../../components/StatusTag';
import { usePagedList } from '../../hooks/usePagedList';
import { heading } from '../../utils/a11y';
import { formatInstant, formatRange } from '../../utils/time';
import {
  HOUR_KIND,
  MAKEUP_STATUS,
  POINTS_KIND,
  Stat,
  hoursText,
  openVolunteer,
  param,
  signedPoints,
} from './shared';
import './volunteer.scss';

type Tab = 'hours' | 'points' | 'makeups';
const TABS: { value: Tab; label: string }[] = [
  { value: 'hours', label: '服务时长' },
  { value: 'points', label: '积分明细' },
  { value: 'makeups', label: '补卡记录' },
];

function HoursTab() {
  const list = usePagedList(
    (cursor) => call('volunteer', 'myHours', { pageSize: 20, ...(cursor ? { cursor } : {}) }),
    'hours',
  );
  if (list.loading) return <ListSkeleton />;
  if (list.error) return <ErrorState message={list.error} onRetry={() => void list.reload()} />;
  if (list.items.length === 0)
    return (
      <EmptyState
        id="hours-empty"
        text="还没有服务时长，参加一次志愿服务吧"
        actionText="去找志愿服务"
        onAction={() => openVolunteer('services')}
      />
    );
  return (
    <>
      <View className="card" id="hours-list">
        {list.items.map((h) => {
          const kind = HOUR_KIND[h.kind];
          return (
            <View key={h._id} id={`hour-${h._id}`} className="vol-row">
              <View className="vol-row__main">
                <Text className="vol-row__title">{h.activityTitle}</Text>
                <Text className="muted">
                  {formatInstant(h.at)}
                  {h.reason ? ` · ${h.reason}` : ''}
                </Text>
              </View>
              <StatusTag label={kind.label} tone={kind.tone} />
              <Text className="vol-amount vol-amount--plus">+{hoursText(h.hours)} 小时</Text>
            </View>
          );
        })}
      </View>
      <ListFooter loadingMore={list.loadingMore} hasMore={list.hasMore} count={list.items.length} />
    </>
  );
}

function PointsTab() {
  const list = usePagedList(
    (cursor) => call('points', 'ledger', { pageSize: 20, ...(cursor ? { cursor } : {}) }),
    'points',
  );
  if (list.loading) return <ListSkeleton />;
  if (list.error) return <ErrorState message={list.error} onRetry={() => void list.reload()} />;
  if (list.items.length === 0)
    return (
      <EmptyState
        id="points-empty"
        text="还没有积分记录，签退后按服务时长获得积分"
        actionText="去找志愿服务"
        onAction={() => openVolunteer('services')}
      />
    );
  return (
    <>
      <View className="card" id="points-list">
        {list.items.map((p) => {
          const kind = POINTS_KIND[p.kind];
          return (
            <View key={p._id} id={`points-${p._id}`} className="vol-row">
              <View className="vol-row__main">
                <Text className="vol-row__title">{p.reason || kind.label}</Text>
                <Text className="muted">{formatInstant(p.at)}</Text>
              </View>
              <StatusTag label={kind.label} tone={kind.tone} />
              <Text
                id={`points-${p._id}-amount`}
                className={`vol-amount ${p.points > 0 ? 'vol-amount--plus' : 'vol-amount--minus'}`}
              >
                {signedPoints(p.points)}
              </Text>
            </View>
          );
        })}
      </View>
      <ListFooter loadingMore={list.loadingMore} hasMore={list.hasMore} count={list.items.length} />
    </>
  );
}

function MakeupsTab() {
  const list = usePagedList(
    (cursor) => call('volunteer', 'myMakeups', { pageSize: 20, ...(cursor ? { cursor } : {}) }),
    'makeups',
  );
  if (list.loading) return <ListSkeleton />;
  if (list.error) return <ErrorState message={list.error} onRetry={() => void list.reload()} />;
  if (list.items.length === 0)
    return <EmptyState id="makeups-empty" text="没有补卡记录。漏签时可在签到页申请补卡" />;
  return (
    <>
      {list.items.map((m) => {
        const st = MAKEUP_STATUS[m.status];
        return (
          <View key={m._id} id={`makeup-${m._id}`} className="card">
            <View className="vol-head">
              <Text className="vol-title">{m.activityTitle}</Text>
              <StatusTag label={st.label} tone={st.tone} />
            </View>
            <Text className="muted">补卡时间 {formatRange(m.checkInAt, m.checkOutAt)}</Text>
            <Text className="muted vol-block">理由：{m.reason}</Text>
            {m.status === 'rejected' && m.rejectReason ? (
              <Text className="vol-reason">未通过原因：{m.rejectReason}</Text>
            ) : null}
          </View>
        );
      })}
      <ListFooter loadingMore={list.loadingMore} hasMore={list.hasMore} count={list.items.length} />
    </>
  );
}

/** 时长与积分: balances on top; tabs for the hour ledger, the points ledger and 补卡 requests. */
export default function HoursPage() {
  const router = useRouter();
  const initial = param(router.params, 'tab');
  const [tab, setTab] = useState<Tab>(initial === 'points' || initial === 'makeups' ? initial : 'hours');
  const [profile, setProfile] = useState<ServiceProfile | null>(null);
  const [summary, setSummary] = useState<PointsSummary | null>(null);
  const loaded = useRef(false);

  const loadTotals = useCallback(async () => {
    const [p, s] = await Promise.all([
      call('volunteer', 'profile', {}).catch(() => null),
      call('points', 'summary', {}).catch(() => null),
    ]);
    setProfile(p);
    setSummary(s);
    loaded.current = true;
  }, []);
  useEffect(() => {
    void loadTotals();
  }, [loadTotals]);
  useDidShow(() => {
    if (loaded.current) void loadTotals();
  });
  // The list below reloads itself (and stops the refresh indicator).
  usePullDownRefresh(() => {
    void loadTotals();
  });

  const balance = summary?.balance ?? profile?.pointsBalance;

  return (
    <PageShell id="volunteer-hours-page">
      <Text className="page-title" {...heading(1)}>
        时长与积分
      </Text>
      <View className="card" id="hours-totals">
        <View className="vol-stats">
          <Stat
            id="total-recorded"
            label="信用时长"
            unit="小时"
            value={profile ? hoursText(profile.recordedHours) : '—'}
          />
          <Stat
            id="total-granted"
            label="荣誉时长"
            unit="小时"
            value={profile ? hoursText(profile.grantedHours) : '—'}
          />
          <Stat
            id="points-balance"
            label="积分余额"
            value={balance ?? '—'}
            gold
            onClick={() => openVolunteer('mall')}
          />
        </View>
        {summary?.expiring && summary.expiring.points > 0 ? (
          <Text className="muted" id="points-expiring">
            {summary.expiring.points} 积分将于 {formatInstant(summary.expiring.at)} 过期
          </Text>
        ) : null}
      </View>
      <SegmentTabs label="明细分类" idPrefix="hours-tab" items={TABS} value={tab} onChange={setTab} />
      <View id="hours-tab-panel" aria-live="polite">
        {tab === 'hours' ? <HoursTab /> : tab === 'points' ? <PointsTab /> : <MakeupsTab />}
      </View>
    </PageShell>
  );
}
