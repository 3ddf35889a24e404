import { Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh, useRouter } from '@tarojs/taro';
import { useCallback, useEffect, useState } from 'react';
import type { UnitRecord } from '../../../../types/domain';
import { ApiCallError, call, errorMessage } from '../../api';
import { PageShell } from '../../components/PageShell';
import { SegmentTabs } from '../../components/SegmentTabs';
import { ErrorState, ListSkeleton } from '../../components/States';
import { heading, roleProps } from '../../utils/a11y';
import { shanghai } from '../../utils/time';
import '../../styles/grievance.scss';
import '../../styles/alliance.scss';

function Figure({ id, label, value }: { id: string; label: string; value: string }) {
  return (
    <View className="stat" id={id} {...roleProps('group', { 'aria-label': label })}>
      <Text className="stat__value">{value}</Text>
      <Text className="stat__label">{label}</Text>
    </View>
  );
}

const fmt = (n: number) => String(Math.round(n * 10) / 10);

/** 单位档案: a unit's contribution in a year (文明单位评比的依据). */
export default function UnitRecordPage() {
  const router = useRouter();
  const unitId = router.params.id ? decodeURIComponent(router.params.id) : '';
  const thisYear = shanghai(Date.now()).year();
  const asked = Number(router.params.year);
  const [year, setYear] = useState(Number.isInteger(asked) && asked >= 2000 ? asked : thisYear);
  const [record, setRecord] = useState<UnitRecord | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    if (!unitId) {
      setError('没有找到这个单位，请返回重试');
      return;
    }
    setError(null);
    try {
      setRecord(await call('alliance', 'unitRecord', { unitId, year }));
    } catch (err) {
      setError(
        err instanceof ApiCallError && err.code === 'FORBIDDEN'
          ? '只能查看本单位或本社区共建单位的档案'
          : errorMessage(err),
      );
    }
  }, [unitId, year]);

  useEffect(() => {
    setRecord(null);
    void load();
  }, [load]);
  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh());
  });

  const years = [thisYear, thisYear - 1, thisYear - 2];
  if (!years.includes(year)) years.push(year);

  let body;
  if (error) body = <ErrorState message={error} onRetry={() => void load()} />;
  else if (!record) body = <ListSkeleton rows={2} />;
  else
    body = (
      <>
        <View className="stat-grid" {...roleProps('group', { 'aria-label': '年度贡献' })}>
          <Figure id="record-claims" label="认领项目" value={String(record.claims)} />
          <Figure id="record-approved" label="认领通过" value={String(record.approvedClaims)} />
          <Figure id="record-completed" label="完成项目" value={String(record.completedProjects)} />
          <Figure
            id="record-rating"
            label="项目平均评分"
            value={record.avgRating === null ? '暂无' : `${record.avgRating.toFixed(1)} 星`}
          />
          <Figure id="record-resources" label="提供资源（次）" value={String(record.resourcesProvided)} />
          <Figure id="record-activities" label="共办活动" value={String(record.activitiesCoHosted)} />
          <Figure id="record-members" label="报到党员" value={String(record.membersReported)} />
          <Figure id="record-member-hours" label="党员服务时长（小时）" value={fmt(record.memberHours)} />
        </View>
        <View className="card" id="record-score">
          <Text className="section-title" {...heading(2)}>
            综合得分
          </Text>
          <Text className="key-number">{fmt(record.score)}</Text>
          <Text className="form-hint">
            年度文明单位评比的参考，由社区按认领、完成、评价、资源、活动和党员服务计算。
          </Text>
        </View>
      </>
    );

  return (
    <PageShell id="unit-record-page">
      <Text className="page-title" id="unit-record-name" {...heading(1)}>
        {record ? `${record.unitName} · 单位档案` : '单位档案'}
      </Text>
      <SegmentTabs
        label="年度"
        idPrefix="record-year"
        items={years.map((y) => ({ value: String(y), label: `${y} 年` }))}
        value={String(year)}
        onChange={(v) => setYear(Number(v))}
      />
      <View id="unit-record" aria-live="polite">
        {body}
      </View>
    </PageShell>
  );
}
