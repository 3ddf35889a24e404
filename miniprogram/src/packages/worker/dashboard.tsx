/**
 * 数据看板 (issue 14 item 1): the worker's community for a month, quarter or year —
 * report.dashboard. Headline figures, then charts (participation by month and activity type, hours
 * and points by month, hours by source, grievance 三率 by month) each with its values in words for
 * screen readers, and the units' contributions as a table.
 */
import { Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import { useCallback, useEffect, useState } from 'react';
import type { Dashboard, DashboardHeadline, DashboardPeriod } from '../../../../types/report-dashboard';
import type { HourSource } from '../../../../types/volunteer';
import { call, errorMessage } from '../../api';
import { PageShell } from '../../components/PageShell';
import { EmptyState, ErrorState, ListSkeleton } from '../../components/States';
import { heading, roleProps } from '../../utils/a11y';
import { ACTIVITY_TYPES, percent } from '../../utils/labels';
import { SegmentTabs } from '../../components/SegmentTabs';
import { BarChart, LineChart, monthLabel, Table } from './dashboard-charts';
import { currentPeriod, PeriodPicker } from './dashboard-period';
import { useWorkerCommunity } from './volunteer-shared';
import '../../styles/grievance.scss';
import './dashboard.scss';

const TYPE_COLORS = ['#C8161D', '#1F6FB2', '#07875A', '#B3640A'];
/** Where hours came from: the activity types (in their colours), 微心愿, grants and 其他. */
const HOUR_SOURCES: { value: HourSource; label: string; color: string }[] = [
  ...ACTIVITY_TYPES.map((t, i) => ({ ...t, color: TYPE_COLORS[i]! })),
  { value: 'service', label: '微心愿', color: '#6B4FA0' },
  { value: 'granted', label: '补录认定', color: '#0E7C86' },
  { value: 'other', label: '其他', color: '#5C6270' },
];
/** Colours of the grievance categories' lines (the five most received). */
const CATEGORY_COLORS = ['#C8161D', '#1F6FB2', '#07875A', '#B3640A', '#6B4FA0'];
const TREND_CATEGORIES = CATEGORY_COLORS.length;

type RateKey = 'responseRate' | 'resolutionRate' | 'satisfactionRate';
const RATES: { value: RateKey; label: string }[] = [
  { value: 'responseRate', label: '响应率' },
  { value: 'resolutionRate', label: '解决率' },
  { value: 'satisfactionRate', label: '满意率' },
];
const axisPercent = (v: number) => `${Math.round(v * 100)}%`;

const num = (n: number) => n.toLocaleString('zh-CN');
const hrs = (n: number) => `${num(Math.round(n * 10) / 10)} 小时`;

export function Figure({ id, label, value }: { id: string; label: string; value: string }) {
  return (
    <View className="stat" id={id} {...roleProps('group', { 'aria-label': label })}>
      <Text className="stat__value">{value}</Text>
      <Text className="stat__label">{label}</Text>
    </View>
  );
}

/** The headline cards of a period (also used by nothing else; the street view is a table). */
export function HeadlineCards({ h }: { h: DashboardHeadline }) {
  return (
    <View className="stat-grid" id="dash-headline" {...roleProps('group', { 'aria-label': '主要指标' })}>
      <Figure id="dash-signUps" label="报名人次" value={num(h.signUps)} />
      <Figure id="dash-attendanceRate" label="到场率" value={percent(h.attendanceRate)} />
      <Figure id="dash-noShows" label="未到场" value={num(h.noShows)} />
      <Figure id="dash-hours" label="服务时长" value={hrs(h.recordedHours + h.grantedHours)} />
      <Figure id="dash-pointsIssued" label="发放积分" value={num(h.pointsIssued)} />
      <Figure id="dash-pointsRedeemed" label="兑换积分" value={num(h.pointsRedeemed)} />
      <Figure id="dash-active" label="活跃志愿者（人·月）" value={num(h.activeVolunteerMonths)} />
      <Figure id="dash-received" label="收到诉求" value={num(h.grievancesReceived)} />
      <Figure id="dash-responseRate" label="响应率" value={percent(h.responseRate)} />
      <Figure id="dash-resolutionRate" label="解决率" value={percent(h.resolutionRate)} />
      <Figure id="dash-satisfactionRate" label="满意率" value={percent(h.satisfactionRate)} />
      <Figure id="dash-overdue" label="超期诉求" value={num(h.grievancesOverdue)} />
    </View>
  );
}

function Charts({ d }: { d: Dashboard }) {
  const labels = d.months.map(monthLabel);
  return (
    <>
      <View className="dash-card">
        <Text className="section-title" {...heading(2)}>
          活动参与（按月、按类型）
        </Text>
        <BarChart
          id="chart-participation"
          title="报名人次"
          labels={labels}
          stacked
          series={ACTIVITY_TYPES.map((t, i) => ({
            name: t.label,
            color: TYPE_COLORS[i % TYPE_COLORS.length]!,
            values: d.participation.map((r) => r.byType[t.value]?.signUps ?? 0),
          }))}
        />
        <BarChart
          id="chart-attendance"
          title="到场与未到场"
          labels={labels}
          series={[
            { name: '到场', color: '#07875A', values: d.participation.map((r) => r.attended) },
            { name: '未到场', color: '#C8161D', values: d.participation.map((r) => r.noShows) },
          ]}
        />
      </View>
      <View className="dash-card">
        <Text className="section-title" {...heading(2)}>
          服务时长和积分（按月）
        </Text>
        <BarChart
          id="chart-hours"
          title="服务时长"
          labels={labels}
          format={hrs}
          series={[
            { name: '签到记录', color: '#1F6FB2', values: d.service.map((r) => r.recordedHours) },
            { name: '补录认定', color: '#B3640A', values: d.service.map((r) => r.grantedHours) },
          ]}
        />
        <BarChart
          id="chart-hours-source"
          title="服务时长（按来源）"
          labels={labels}
          stacked
          format={hrs}
          series={HOUR_SOURCES.filter(
            // 其他 (entries from before hours carried their source) only when there are any.
            (src) => src.value !== 'other' || d.service.some((r) => (r.hoursByCategory?.other ?? 0) > 0),
          ).map((src) => ({
            name: src.label,
            color: src.color,
            values: d.service.map((r) => r.hoursByCategory?.[src.value] ?? 0),
          }))}
        />
        <BarChart
          id="chart-points"
          title="积分"
          labels={labels}
          series={[
            { name: '发放', color: '#C8161D', values: d.service.map((r) => r.pointsIssued) },
            { name: '兑换', color: '#6B4FA0', values: d.service.map((r) => r.pointsRedeemed) },
          ]}
        />
        <BarChart
          id="chart-points-in"
          title="积分发放（按类别）"
          labels={labels}
          stacked
          series={[
            { name: '服务获得', color: '#C8161D', values: d.service.map((r) => r.pointsIn.earned ?? 0) },
            { name: '调整增加', color: '#B3640A', values: d.service.map((r) => r.pointsIn.adjusted ?? 0) },
            { name: '兑换退回', color: '#1F6FB2', values: d.service.map((r) => r.pointsIn.refund ?? 0) },
          ]}
        />
        <BarChart
          id="chart-points-out"
          title="积分支出（按类别）"
          labels={labels}
          stacked
          series={[
            { name: '兑换', color: '#6B4FA0', values: d.service.map((r) => r.pointsOut.redeemed ?? 0) },
            { name: '过期', color: '#5C6270', values: d.service.map((r) => r.pointsOut.expired ?? 0) },
            { name: '调整扣减', color: '#B3640A', values: d.service.map((r) => r.pointsOut.adjusted ?? 0) },
          ]}
        />
      </View>
      <View className="dash-card">
        <Text className="section-title" {...heading(2)}>
          诉求三率（按月）
        </Text>
        <LineChart
          id="chart-grievance"
          title="诉求三率"
          labels={labels}
          max={1}
          format={percent}
          axisFormat={axisPercent}
          series={[
            { name: '响应率', color: '#1F6FB2', values: d.grievances.map((r) => r.responseRate) },
            { name: '解决率', color: '#07875A', values: d.grievances.map((r) => r.resolutionRate) },
            { name: '满意率', color: '#C8161D', values: d.grievances.map((r) => r.satisfactionRate) },
          ]}
        />
      </View>
      <GrievanceCategories d={d} labels={labels} />
    </>
  );
}

/** The grievance 三率 by category: the period's rates per category, and one rate's trend by month. */
function GrievanceCategories({ d, labels }: { d: Dashboard; labels: string[] }) {
  const [rate, setRate] = useState<RateKey>('resolutionRate');
  const cats = d.grievanceByCategory;
  const rateName = RATES.find((r) => r.value === rate)!.label;
  const trend = cats.slice(0, TREND_CATEGORIES);
  return (
    <View className="dash-card">
      <Text className="section-title" {...heading(2)}>
        诉求三率（按类别）
      </Text>
      {cats.length === 0 ? (
        <EmptyState id="dash-categories-empty" text="这段时间没有诉求" />
      ) : (
        <>
          <BarChart
            id="chart-grievance-category"
            title="各类诉求三率"
            labels={cats.map((c) => c.name)}
            labelHead="类别"
            max={1}
            format={percent}
            axisFormat={axisPercent}
            series={[
              { name: '响应率', color: '#1F6FB2', values: cats.map((c) => c.responseRate) },
              { name: '解决率', color: '#07875A', values: cats.map((c) => c.resolutionRate) },
              { name: '满意率', color: '#C8161D', values: cats.map((c) => c.satisfactionRate) },
            ]}
          />
          <SegmentTabs
            idPrefix="dash-rate"
            label="按类别的趋势"
            items={RATES}
            value={rate}
            onChange={setRate}
          />
          <LineChart
            id="chart-grievance-trend"
            title={`${rateName}趋势（按类别）`}
            labels={labels}
            max={1}
            format={percent}
            axisFormat={axisPercent}
            series={trend.map((c, i) => ({
              name: c.name,
              color: CATEGORY_COLORS[i]!,
              values: d.grievances.map(
                (m) => m.byCategory.find((x) => x.category === c.category)?.[rate] ?? 0,
              ),
            }))}
          />
        </>
      )}
    </View>
  );
}

function Units({ d }: { d: Dashboard }) {
  return (
    <View className="dash-card">
      <Text className="section-title" {...heading(2)}>
        共建单位贡献（{d.period.year}年）
      </Text>
      {d.units.length === 0 ? (
        <EmptyState id="dash-units-empty" text="还没有共建单位，去区域化党建看看" />
      ) : (
        <Table
          id="dash-units"
          caption="共建单位贡献"
          head={['单位', '认领', '完成', '评分', '资源', '共办活动', '报到党员', '党员时长']}
          rows={d.units.map((u) => ({
            key: u.unitId,
            cells: [
              u.unitName,
              num(u.claims),
              num(u.completedProjects),
              u.avgRating === null ? '—' : u.avgRating.toFixed(1),
              num(u.resourcesProvided),
              num(u.activitiesCoHosted),
              num(u.membersReported),
              hrs(u.memberHours),
            ],
          }))}
        />
      )}
    </View>
  );
}

export default function DashboardPage() {
  const worker = useWorkerCommunity();
  const [period, setPeriod] = useState<DashboardPeriod>(() => currentPeriod('month'));
  const [data, setData] = useState<Dashboard | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    if (!worker.communityId) return;
    setError(null);
    try {
      setData(await call('report', 'dashboard', { communityId: worker.communityId, period }));
    } catch (err) {
      setError(errorMessage(err));
    }
  }, [worker.communityId, period]);

  useEffect(() => {
    setData(null);
    void load();
  }, [load]);

  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh());
  });

  const failure = worker.error ?? error;
  let body;
  if (failure)
    body = (
      <ErrorState
        id="dash-error"
        message={failure}
        onRetry={worker.error ? worker.retry : () => void load()}
      />
    );
  else if (!data) body = <ListSkeleton rows={3} />;
  else
    body = (
      <>
        <Text className="dash-note" id="dash-community">
          {data.communityName} · {data.label}
        </Text>
        <HeadlineCards h={data.headline} />
        <Charts d={data} />
        <Units d={data} />
      </>
    );

  return (
    <PageShell id="dashboard-page">
      <Text className="page-title" {...heading(1)}>
        数据看板
      </Text>
      <PeriodPicker value={period} onChange={setPeriod} />
      {body}
    </PageShell>
  );
}
