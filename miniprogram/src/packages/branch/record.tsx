import { Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import type { MemberRecordView } from '../../../../types/branch';
import { ApiCallError, call, errorMessage } from '../../api';
import { PageShell } from '../../components/PageShell';
import { ErrorState, ListSkeleton } from '../../components/States';
import { heading } from '../../utils/a11y';
import { Line, useLoadOnShow } from './shared';
import './branch.scss';

/** 组织生活记录: a member's attendance, leave and absences this year, service hours and points. */
export default function RecordPage() {
  const openid = useRouter().params.openid;
  const [r, setR] = useState<MemberRecordView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    setError(null);
    try {
      setR(await call('branch', 'memberRecord', openid ? { openid } : {}));
    } catch (err) {
      setError(
        err instanceof ApiCallError && err.code === 'FORBIDDEN'
          ? '只能查看本人或本支部党员的记录'
          : errorMessage(err),
      );
    }
  }, [openid]);
  useLoadOnShow(load);

  if (error)
    return (
      <PageShell id="record-page">
        <ErrorState message={error} onRetry={() => void load()} />
      </PageShell>
    );
  if (!r)
    return (
      <PageShell id="record-page">
        <ListSkeleton rows={2} />
      </PageShell>
    );
  return (
    <PageShell id="record-page">
      <View className="card" id="record-card">
        <Text className="page-title" {...heading(1)}>
          {r.name} · {r.year} 年组织生活
        </Text>
        {r.branchName ? <Line label="支部">{r.branchName}</Line> : null}
        <Line label="参加会议">
          <Text id="record-present">{r.present}</Text> 次
        </Line>
        <Line label="请假">
          <Text id="record-leave">{r.leave}</Text> 次
        </Line>
        <Line label="缺席">
          <Text id="record-absent">{r.absent}</Text> 次
        </Line>
        <Line label="志愿服务">{r.serviceHours} 小时</Line>
        <Line label="微心愿">{r.requestsTaken} 件</Line>
        {r.report ? (
          <Line label="在职党员报到">
            {r.report.communityName}（{r.report.status}）
          </Line>
        ) : null}
      </View>
      {r.points ? (
        <View className="card" id="record-points">
          <Text className="section-title" {...heading(2)}>
            民主评议积分（由以上数据计算）
          </Text>
          <Line label="合计">{r.points.total} 分</Line>
          <Line label="参加会议">
            {r.points.attendance} 分（每次 {r.points.rule.perAttendance} 分）
          </Line>
          <Line label="志愿服务">
            {r.points.service} 分（每小时 {r.points.rule.perServiceHour} 分）
          </Line>
          <Line label="微心愿">
            {r.points.requests} 分（每件 {r.points.rule.perRequest} 分）
          </Line>
        </View>
      ) : null}
    </PageShell>
  );
}
