import { Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import type { BranchView, MeetingSummary } from '../../../../types/branch';
import { call, errorMessage } from '../../api';
import { PageShell } from '../../components/PageShell';
import { EmptyState, ErrorState, ListSkeleton } from '../../components/States';
import { Button } from '../../ui';
import { heading } from '../../utils/a11y';
import { Line, MeetingCard, go, useBranchSubscribe, useLoadOnShow } from './shared';
import './branch.scss';

/** 我的支部 (members): the branch, its meetings with my standing, my record; the secretary's tools. */
export default function MyBranchPage() {
  const [data, setData] = useState<{ branch: BranchView | null; meetings: MeetingSummary[] } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    setError(null);
    try {
      setData(await call('branch', 'myBranch', {}));
    } catch (err) {
      setError(errorMessage(err));
    }
  }, []);
  useLoadOnShow(load);
  const askToSubscribe = useBranchSubscribe(!!data?.branch);
  /** Opening a meeting asks (once per visit) for the branch's notices and reminders first. */
  const openMeeting = (id: string) => () => {
    const asked = askToSubscribe();
    const open = go(`/packages/branch/meeting?id=${id}`);
    if (asked) void asked.then(open);
    else open();
  };
  usePullDownRefresh(() => void load().finally(() => Taro.stopPullDownRefresh()));

  if (error)
    return (
      <PageShell id="branch-page">
        <ErrorState message={error} onRetry={() => void load()} />
      </PageShell>
    );
  if (!data)
    return (
      <PageShell id="branch-page">
        <ListSkeleton rows={3} />
      </PageShell>
    );
  const { branch, meetings } = data;
  if (!branch)
    return (
      <PageShell id="branch-page">
        <EmptyState
          id="branch-empty"
          text="你还没有加入支部"
          hint="请联系所在支部书记或社区工作者把你加入支部名册"
        />
      </PageShell>
    );
  const upcoming = meetings.filter((m) => m.status === 'scheduled');
  const past = meetings.filter((m) => m.status === 'closed');
  return (
    <PageShell id="branch-page">
      <View className="card" id="branch-head">
        <Text className="page-title" {...heading(1)}>
          {branch.name}
        </Text>
        <Line label="书记">{branch.secretaryName}</Line>
        <Line label="党员">{branch.memberCount} 人</Line>
        <View className="branch-actions">
          <Button
            id="branch-my-record"
            className="branch-btn"
            fill="outline"
            onClick={go('/packages/branch/record')}
          >
            我的记录
          </Button>
          <Button
            id="branch-roster"
            className="branch-btn"
            fill="outline"
            onClick={go(`/packages/branch/roster?id=${branch._id}`)}
          >
            支部名册
          </Button>
          {branch.myRole === 'secretary' ? (
            <Button
              id="branch-secretary"
              className="branch-btn"
              type="primary"
              onClick={go(`/packages/branch/secretary?id=${branch._id}`)}
            >
              书记工作台
            </Button>
          ) : null}
        </View>
      </View>
      <Text className="section-title" {...heading(2)}>
        待召开的会议
      </Text>
      {upcoming.length ? (
        upcoming.map((m) => <MeetingCard key={m._id} m={m} onOpen={openMeeting(m._id)} />)
      ) : (
        <EmptyState id="branch-upcoming-empty" text="暂无待召开的会议" />
      )}
      <Text className="section-title" {...heading(2)}>
        已召开的会议
      </Text>
      {past.length ? (
        past.map((m) => <MeetingCard key={m._id} m={m} onOpen={openMeeting(m._id)} />)
      ) : (
        <Text className="muted">暂无记录</Text>
      )}
    </PageShell>
  );
}
