/**
 * 街道数据看板 (issue 14 item 1): every community side by side for a month, quarter or year —
 * report.streetDashboard. A table of the headline figures (one row per community) and bar charts
 * comparing the communities, each with its values in words for screen readers.
 */
import { Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import { useCallback, useEffect, useState } from 'react';
import type { DashboardPeriod, StreetDashboard } from '../../../../types/report-dashboard';
import { call, errorMessage } from '../../api';
import { PageShell } from '../../components/PageShell';
import { EmptyState, ErrorState, ListSkeleton } from '../../components/States';
import { heading } from '../../utils/a11y';
import { percent } from '../../utils/labels';
import { BarChart, Table } from '../worker/dashboard-charts';
import { currentPeriod, PeriodPicker } from '../worker/dashboard-period';
import '../../styles/grievance.scss';
import '../worker/dashboard.scss';
import './shared';

const num = (n: number) => n.toLocaleString('zh-CN');

export default function StreetDashboardPage() {
  const [period, setPeriod] = useState<DashboardPeriod>(() => currentPeriod('month'));
  const [data, setData] = useState<StreetDashboard | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    setError(null);
    try {
      setData(await call('report', 'streetDashboard', { period }));
    } catch (err) {
      setError(errorMessage(err));
    }
  }, [period]);

  useEffect(() => {
    setData(null);
    void load();
  }, [load]);

  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh());
  });

  let body;
  if (error) body = <ErrorState id="street-error" message={error} onRetry={() => void load()} />;
  else if (!data) body = <ListSkeleton rows={3} />;
  else if (data.communities.length === 0)
    body = <EmptyState id="street-empty" text="还没有社区，先在街道管理里新建一个" />;
  else {
    const names = data.communities.map((c) => c.communityName);
    const h = data.communities.map((c) => c.headline);
    body = (
      <>
        <Text className="dash-note" id="street-label">
          {data.label} · {data.communities.length} 个社区
        </Text>
        <View className="dash-card">
          <Text className="section-title" {...heading(2)}>
            各社区主要指标
          </Text>
          <Table
            id="street-table"
            wide
            caption={`各社区主要指标，${data.label}`}
            head={[
              '社区',
              '报名',
              '到场率',
              '未到',
              '时长',
              '发放积分',
              '兑换积分',
              '诉求',
              '响应率',
              '解决率',
              '满意率',
              '超期',
            ]}
            rows={data.communities.map((c) => ({
              key: c.communityId,
              cells: [
                c.communityName,
                num(c.headline.signUps),
                percent(c.headline.attendanceRate),
                num(c.headline.noShows),
                num(Math.round((c.headline.recordedHours + c.headline.grantedHours) * 10) / 10),
                num(c.headline.pointsIssued),
                num(c.headline.pointsRedeemed),
                num(c.headline.grievancesReceived),
                percent(c.headline.responseRate),
                percent(c.headline.resolutionRate),
                percent(c.headline.satisfactionRate),
                num(c.headline.grievancesOverdue),
              ],
            }))}
          />
        </View>
        <View className="dash-card">
          <Text className="section-title" {...heading(2)}>
            活动参与对比
          </Text>
          <BarChart
            id="street-chart-participation"
            title="各社区报名与到场"
            labels={names}
            labelHead="社区"
            series={[
              { name: '报名', color: '#1F6FB2', values: h.map((x) => x.signUps) },
              { name: '到场', color: '#07875A', values: h.map((x) => x.attended) },
              { name: '未到', color: '#C8161D', values: h.map((x) => x.noShows) },
            ]}
          />
        </View>
        <View className="dash-card">
          <Text className="section-title" {...heading(2)}>
            诉求三率对比
          </Text>
          <BarChart
            id="street-chart-grievance"
            title="各社区诉求三率"
            labels={names}
            labelHead="社区"
            max={1}
            format={percent}
            axisFormat={(v) => `${Math.round(v * 100)}%`}
            series={[
              { name: '响应率', color: '#1F6FB2', values: h.map((x) => x.responseRate) },
              { name: '解决率', color: '#07875A', values: h.map((x) => x.resolutionRate) },
              { name: '满意率', color: '#C8161D', values: h.map((x) => x.satisfactionRate) },
            ]}
          />
        </View>
      </>
    );
  }

  return (
    <PageShell id="street-dashboard-page">
      <Text className="page-title" {...heading(1)}>
        街道数据看板
      </Text>
      <PeriodPicker value={period} onChange={setPeriod} />
      {body}
    </PageShell>
  );
}
