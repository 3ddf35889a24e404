import { Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import { useCallback, useEffect, useState } from 'react';
import type { GrievanceRates, GrievanceStats } from '../../../../types/api';
import { call, errorMessage } from '../../api';
import { PageShell } from '../../components/PageShell';
import { SegmentTabs, type Segment } from '../../components/SegmentTabs';
import { EmptyState, ErrorState, ListSkeleton } from '../../components/States';
import { loadMe, useSession } from '../../store/session';
import { heading, roleProps } from '../../utils/a11y';
import { durationHours, HANDLER_KIND_LABEL, percent } from '../../utils/labels';
import { periodRange, type StatsPeriod } from '../../utils/time';
import { workerCommunityId } from './staff';
import { Button } from '../../ui';
import { exportPeriod, openExport } from './export-flow';
import '../../styles/grievance.scss';

const PERIODS: Segment<StatsPeriod>[] = [
  { value: 'thisMonth', label: '本月' },
  { value: 'lastMonth', label: '上月' },
  { value: 'thisYear', label: '本年' },
];

function Figure({ id, label, value }: { id: string; label: string; value: string }) {
  return (
    <View className="stat" id={id} {...roleProps('group', { 'aria-label': label })}>
      <Text className="stat__value">{value}</Text>
      <Text className="stat__label">{label}</Text>
    </View>
  );
}

interface Column {
  title: string;
  value: (r: GrievanceRates) => string;
}

const COLUMNS: Column[] = [
  { title: '收到', value: (r) => String(r.received) },
  { title: '响应率', value: (r) => percent(r.responseRate) },
  { title: '解决率', value: (r) => percent(r.resolutionRate) },
  { title: '满意率', value: (r) => percent(r.satisfactionRate) },
  { title: '超期', value: (r) => String(r.overdue) },
];

/** A table with role=table/row/columnheader/rowheader/cell (Taro views are divs in H5). */
function RatesTable({
  id,
  caption,
  first,
  rows,
}: {
  id: string;
  caption: string;
  first: string;
  rows: { key: string; name: string; rates: GrievanceRates }[];
}) {
  return (
    <View className="stats-table" id={id} aria-label={caption} {...roleProps('table')}>
      <View className="stats-table__row stats-table__head" {...roleProps('row')}>
        <Text className="stats-table__cell" {...roleProps('columnheader')}>
          {first}
        </Text>
        {COLUMNS.map((c) => (
          <Text key={c.title} className="stats-table__cell" {...roleProps('columnheader')}>
            {c.title}
          </Text>
        ))}
      </View>
      {rows.map((r) => (
        <View key={r.key} id={`${id}-${r.key}`} className="stats-table__row" {...roleProps('row')}>
          <Text className="stats-table__cell" {...roleProps('rowheader')}>
            {r.name}
          </Text>
          {COLUMNS.map((c) => (
            <Text key={c.title} className="stats-table__cell" {...roleProps('cell')}>
              {c.value(r.rates)}
            </Text>
          ))}
        </View>
      ))}
    </View>
  );
}

export default function GrievanceStatsPage() {
  const { me } = useSession();
  const communityId = workerCommunityId(me);
  const [period, setPeriod] = useState<StatsPeriod>('thisMonth');
  const [stats, setStats] = useState<GrievanceStats | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    loadMe().catch((err: unknown) => setError(errorMessage(err)));
  }, []);

  const load = useCallback(async () => {
    if (!me) return;
    setError(null);
    try {
      const { from, to } = periodRange(period);
      setStats(await call('grievance', 'stats', { from, to, ...(communityId ? { communityId } : {}) }));
    } catch (err) {
      setError(errorMessage(err));
    }
  }, [me, communityId, period]);

  useEffect(() => {
    setStats(null);
    void load();
  }, [load]);

  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh());
  });

  let body;
  if (error) body = <ErrorState message={error} onRetry={() => void load()} />;
  else if (!stats) body = <ListSkeleton rows={2} />;
  else
    body = (
      <>
        <View className="stat-grid" {...roleProps('group', { 'aria-label': '主要指标' })}>
          <Figure id="stat-received" label="收到诉求" value={String(stats.received)} />
          <Figure id="stat-accepted" label="受理数" value={String(stats.accepted)} />
          <Figure id="stat-responseRate" label="响应率" value={percent(stats.responseRate)} />
          <Figure id="stat-resolutionRate" label="解决率" value={percent(stats.resolutionRate)} />
          <Figure id="stat-satisfactionRate" label="满意率" value={percent(stats.satisfactionRate)} />
          <Figure id="stat-unrated" label="未评价结案" value={String(stats.unrated ?? 0)} />
          <Figure id="stat-overdue" label="超期数" value={String(stats.overdue)} />
          <Figure id="stat-avgAccept" label="平均受理时长" value={durationHours(stats.avgHoursToAccept)} />
          <Figure id="stat-avgClose" label="平均办结时长" value={durationHours(stats.avgHoursToClose)} />
        </View>
        <Text className="section-title" {...heading(2)}>
          按类别
        </Text>
        {stats.byCategory.length === 0 ? (
          <EmptyState id="stats-by-category" text="这段时间没有诉求" />
        ) : (
          <RatesTable
            id="stats-by-category"
            caption="按类别统计"
            first="类别"
            rows={stats.byCategory.map((c) => ({ key: c.category, name: c.name, rates: c }))}
          />
        )}
        <Text className="section-title" {...heading(2)}>
          按承办人
        </Text>
        {stats.byHandler.length === 0 ? (
          <EmptyState id="stats-by-handler" text="这段时间还没有派单" />
        ) : (
          <RatesTable
            id="stats-by-handler"
            caption="按承办人统计"
            first="承办人"
            rows={stats.byHandler.map((h) => ({
              key: `${h.kind}-${h.handler}`,
              name: `${h.name}（${HANDLER_KIND_LABEL[h.kind]}）`,
              rates: h,
            }))}
          />
        )}
      </>
    );

  return (
    <PageShell id="stats-page">
      <View className="grievance-page-head">
        <Text className="page-title" {...heading(1)}>
          诉求统计
        </Text>
        {communityId ? (
          <Button
            id="stats-export"
            size="small"
            type="primary"
            fill="outline"
            onClick={() => openExport({ kinds: ['grievances'], communityId, period: exportPeriod(period) })}
          >
            导出台账
          </Button>
        ) : null}
      </View>
      <SegmentTabs
        label="统计时段"
        idPrefix="stats-period"
        items={PERIODS}
        value={period}
        onChange={setPeriod}
      />
      <View id="stats-body" aria-live="polite">
        {body}
      </View>
    </PageShell>
  );
}
