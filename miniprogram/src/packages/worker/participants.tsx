import { Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import type { Participant } from '../../../../types/api';
import { call, errorMessage } from '../../api';
import { PageShell } from '../../components/PageShell';
import { SegmentTabs, type Segment } from '../../components/SegmentTabs';
import { StatusTag } from '../../components/StatusTag';
import { EmptyState, ErrorState, ListSkeleton } from '../../components/States';
import { TextDialog, reasonError, usePendingText } from '../../components/TextDialog';
import { usePagedList } from '../../hooks/usePagedList';
import { Button } from '../../ui';
import { heading } from '../../utils/a11y';
import { formatInstant, fromNow } from '../../utils/time';
import Taro from '@tarojs/taro';
import '../../styles/grievance.scss';
import './volunteer-worker.scss';
import { openExport } from './export-flow';
import { PagedTable } from './paged-table';
import './notice.scss';

type Tab = 'pending' | 'confirmed' | 'waitlisted';
const TABS: Segment<Tab>[] = [
  { value: 'pending', label: '待审核' },
  { value: 'confirmed', label: '已报名' },
  { value: 'waitlisted', label: '候补' },
];
const TOTAL_TEXT: Record<Tab, string> = { pending: '待审核', confirmed: '已报名', waitlisted: '候补' };
const EMPTY_TEXT: Record<Tab, string> = {
  pending: '没有待审核的报名',
  confirmed: '还没有人报名，可以把活动分享到居民群',
  waitlisted: '目前没有候补的居民',
};

export default function Participants() {
  const router = useRouter();
  const activityId = router.params.id ? decodeURIComponent(router.params.id) : '';
  const asked = router.params.tab;
  // With no tab asked for, open on 待审核 when applications wait, else on 已报名.
  const [tab, setTab] = useState<Tab | null>(
    asked === 'pending' || asked === 'confirmed' || asked === 'waitlisted' ? asked : null,
  );
  const [pendingCount, setPendingCount] = useState<number | null>(null);
  useEffect(() => {
    if (!activityId) return;
    let alive = true;
    call('user', 'pendingSignUps', { activityId })
      .then((r) => {
        if (!alive) return;
        setPendingCount(r.pending);
        setTab((t) => t ?? (r.pending > 0 ? 'pending' : 'confirmed'));
      })
      .catch(() => {
        if (alive) setTab((t) => t ?? 'confirmed');
      });
    return () => {
      alive = false;
    };
  }, [activityId]);
  // 未到场名单 opens once the activity has ended (activity.noShows answers only then).
  const [ended, setEnded] = useState(false);
  useEffect(() => {
    if (!activityId) return;
    let alive = true;
    call('activity', 'detail', { activityId })
      .then((a) => alive && setEnded(a.phase === 'ended'))
      .catch(() => undefined);
    return () => {
      alive = false;
    };
  }, [activityId]);
  const tabs = TABS.map((t) =>
    t.value === 'pending' && pendingCount ? { ...t, label: `待审核 ${pendingCount}` } : t,
  );
  const [busy, setBusy] = useState(false);
  const reject = usePendingText<Participant>();
  const list = usePagedList(
    (cursor) =>
      call('activity', 'participants', {
        activityId,
        status: tab ?? 'confirmed',
        pageSize: 20,
        ...(cursor ? { cursor } : {}),
      }),
    `${tab}|${activityId}`,
    !!activityId && tab !== null,
  );

  /** approve: confirmed (or waitlisted when full); reject needs a reason the resident will see. */
  const review = async (p: Participant, approve: boolean, reason?: string): Promise<string | null> => {
    setBusy(true);
    try {
      const r = await call('activity', 'reviewSignUp', {
        activityId,
        openid: p.openid,
        approve,
        ...(reason ? { reason } : {}),
      });
      Taro.showToast({
        title: !approve ? '已拒绝' : r.status === 'waitlisted' ? '名额已满，已转为候补' : '已通过',
        icon: 'none',
      });
      void list.reload();
      setPendingCount((n) => (n ? n - 1 : n));
      return null;
    } catch (err) {
      return errorMessage(err);
    } finally {
      setBusy(false);
    }
  };

  const approve = async (p: Participant) => {
    const error = await review(p, true);
    if (error) Taro.showToast({ title: error, icon: 'none', duration: 2500 });
  };

  const submitReject = () =>
    reject.submit(
      (reason) => reasonError(reason, '请填写不通过的理由'),
      (p, reason) => review(p, false, reason),
    );

  return (
    <PageShell id="participants-page">
      <View className="grievance-page-head">
        <Text className="page-title" {...heading(1)}>
          报名名单
        </Text>
        {activityId ? (
          <Button
            id="participants-export"
            size="small"
            type="primary"
            fill="outline"
            onClick={() => openExport({ kinds: ['participants'], activityId })}
          >
            导出 Excel
          </Button>
        ) : null}
      </View>
      {activityId ? (
        <View className="participants-tools" id="participants-tools">
          <Button
            id="participants-notice"
            type="primary"
            fill="outline"
            onClick={() =>
              void Taro.navigateTo({ url: `/packages/worker/notice?id=${encodeURIComponent(activityId)}` })
            }
          >
            发送通知
          </Button>
          {ended ? (
            <Button
              id="participants-noshows"
              fill="outline"
              onClick={() =>
                void Taro.navigateTo({
                  url: `/packages/worker/no-shows?id=${encodeURIComponent(activityId)}`,
                })
              }
            >
              未到场名单
            </Button>
          ) : null}
        </View>
      ) : null}
      {tab ? (
        <SegmentTabs
          label="名单分类"
          idPrefix="participants-tab"
          items={tabs}
          value={tab}
          onChange={setTab}
        />
      ) : null}
      {tab && !list.loading && !list.error ? (
        <Text className="muted" id="participants-total">
          {`${TOTAL_TEXT[tab]} ${list.total} 人`}
        </Text>
      ) : null}
      <View id="participant-list" aria-live="polite">
        {!activityId ? (
          <ErrorState message="没有找到这个活动，请返回重试" onRetry={() => Taro.navigateBack()} />
        ) : !tab ? (
          <ListSkeleton />
        ) : (
          <PagedTable
            list={list}
            id="participant-table"
            caption={`${TOTAL_TEXT[tab]}名单`}
            rowKey={(p) => p.openid}
            empty={
              <EmptyState
                text={EMPTY_TEXT[tab]}
                actionText={tab === 'confirmed' ? undefined : '查看已报名'}
                onAction={tab === 'confirmed' ? undefined : () => setTab('confirmed')}
              />
            }
            columns={[
              {
                key: 'name',
                title: '昵称',
                render: (p) => p.nickName || '居民',
                sortValue: (p) => p.nickName,
              },
              {
                key: 'signedUp',
                title: '报名时间',
                render: (p) => formatInstant(p.signedUpAt),
                sortValue: (p) => p.signedUpAt,
              },
              {
                key: 'status',
                title: '状态',
                render: (p) =>
                  p.status === 'pending'
                    ? '待审核'
                    : p.status === 'waitlisted'
                      ? `候补第 ${p.waitlistPosition ?? '-'} 位`
                      : '已报名',
                sortValue: (p) => p.waitlistPosition ?? 0,
              },
              ...(tab === 'pending'
                ? [
                    {
                      key: 'actions',
                      title: '操作',
                      render: (p: Participant) => (
                        <View className="data-table__actions">
                          <Button
                            id={`approve-desk-${p.openid}`}
                            size="small"
                            type="primary"
                            disabled={busy}
                            aria-label={`通过 ${p.nickName || '居民'} 的报名`}
                            onClick={() => void approve(p)}
                          >
                            通过
                          </Button>
                          <Button
                            id={`reject-desk-${p.openid}`}
                            size="small"
                            fill="outline"
                            disabled={busy}
                            aria-label={`不通过 ${p.nickName || '居民'} 的报名`}
                            onClick={() => reject.open(p)}
                          >
                            不通过
                          </Button>
                        </View>
                      ),
                    },
                  ]
                : []),
            ]}
            cardsClassName="participant-list"
            renderCard={(p) => (
              <View key={p.openid} id={`participant-${p.openid}`} className="participant">
                <View className="participant__main">
                  <Text className="participant__name">{p.nickName || '居民'}</Text>
                  <Text className="muted">报名于 {fromNow(p.signedUpAt)}</Text>
                </View>
                {p.status === 'pending' ? (
                  <View className="participant__actions">
                    <Button
                      id={`approve-signup-${p.openid}`}
                      type="primary"
                      disabled={busy}
                      aria-label={`通过 ${p.nickName || '居民'} 的报名`}
                      onClick={() => void approve(p)}
                    >
                      通过
                    </Button>
                    <Button
                      id={`reject-signup-${p.openid}`}
                      fill="outline"
                      disabled={busy}
                      aria-label={`不通过 ${p.nickName || '居民'} 的报名`}
                      onClick={() => reject.open(p)}
                    >
                      不通过
                    </Button>
                  </View>
                ) : p.status === 'waitlisted' ? (
                  <StatusTag label={`候补第 ${p.waitlistPosition ?? '-'} 位`} tone="orange" />
                ) : (
                  <StatusTag label="已报名" tone="green" />
                )}
              </View>
            )}
          />
        )}
      </View>
      {reject.pending && reject.bind ? (
        <TextDialog
          title={`不通过 ${reject.pending.item.nickName || '居民'} 的报名`}
          textLabel="不通过的理由（居民会看到）"
          {...reject.bind}
          placeholder="如：本场需要有驾驶经验的志愿者"
          max={200}
          busy={busy}
          submitText="不通过"
          submitId="reject-signup-submit"
          danger
          onSubmit={() => void submitReject()}
        />
      ) : null}
    </PageShell>
  );
}
