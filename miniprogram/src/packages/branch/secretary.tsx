import { Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import type { BranchCompliance, MeetingSummary } from '../../../../types/branch';
import { call, errorMessage } from '../../api';
import { PageShell } from '../../components/PageShell';
import { EmptyState, ErrorState, ListSkeleton } from '../../components/States';
import { Button } from '../../ui';
import { heading } from '../../utils/a11y';
import { ComplianceList, MeetingCard, go, useLoadOnShow } from './shared';
import './branch.scss';

/** 书记工作台: what the 条例 still requires this period, the meetings, and the secretary's tools. */
export default function SecretaryPage() {
  const branchId = useRouter().params.id ?? '';
  const [data, setData] = useState<{ c: BranchCompliance; meetings: MeetingSummary[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    setError(null);
    try {
      const [c, meetings] = await Promise.all([
        call('branch', 'branchCompliance', { branchId }),
        call('branch', 'meetings', { branchId }),
      ]);
      setData({ c, meetings });
    } catch (err) {
      setError(errorMessage(err));
    }
  }, [branchId]);
  useLoadOnShow(load);

  if (error)
    return (
      <PageShell id="secretary-page">
        <ErrorState message={error} onRetry={() => void load()} />
      </PageShell>
    );
  if (!data)
    return (
      <PageShell id="secretary-page">
        <ListSkeleton rows={3} />
      </PageShell>
    );
  return (
    <PageShell id="secretary-page">
      <View className="card">
        <Text className="page-title" {...heading(1)}>
          {data.c.name}
        </Text>
        <View className="branch-actions">
          <Button
            id="secretary-create"
            className="branch-btn"
            type="primary"
            onClick={go(`/packages/branch/create?id=${branchId}`)}
          >
            新建会议
          </Button>
          <Button
            id="secretary-roster"
            className="branch-btn"
            fill="outline"
            onClick={go(`/packages/branch/roster?id=${branchId}`)}
          >
            名册与责任区
          </Button>
        </View>
      </View>
      <Text className="section-title" {...heading(2)}>
        本期组织生活（{data.c.open ? `还有 ${data.c.open} 项待召开` : '已全部完成'}）
      </Text>
      <View className="card">
        <ComplianceList items={data.c.items} idPrefix="secretary-compliance" />
      </View>
      <Text className="section-title" {...heading(2)}>
        会议
      </Text>
      {data.meetings.length ? (
        data.meetings.map((m) => (
          <MeetingCard key={m._id} m={m} onOpen={go(`/packages/branch/manage?id=${m._id}`)} />
        ))
      ) : (
        <EmptyState
          id="secretary-empty"
          text="还没有会议"
          actionText="新建会议"
          onAction={go(`/packages/branch/create?id=${branchId}`)}
        />
      )}
    </PageShell>
  );
}
