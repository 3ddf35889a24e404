import { Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh, useRouter } from '@tarojs/taro';
import { useCallback, useEffect, useState } from 'react';
import type { ProposalView, ReportView, UnitRanking } from '../../../../types/domain';
import { call, errorMessage } from '../../api';
import { PageShell } from '../../components/PageShell';
import { SegmentTabs, type Segment } from '../../components/SegmentTabs';
import { EmptyState, ErrorState, ListSkeleton, PagedBody } from '../../components/States';
import { StatusTag } from '../../components/StatusTag';
import { TextDialog, reasonError, useConfirm, usePendingText } from '../../components/TextDialog';
import { usePagedList } from '../../hooks/usePagedList';
import { isWorker, loadMe, useSession } from '../../store/session';
import { Button } from '../../ui';
import { heading, keyboardActivatable, roleProps } from '../../utils/a11y';
import { PROPOSAL_STATUS, REPORT_STATUS, TYPE_LABEL } from '../../utils/labels';
import { formatInstant } from '../../utils/time';
import { IssueInvitePanel, PublishNeedForm, PublishProjectForm, RegisterUnitForm } from './alliance-forms';
import { workerCommunityId } from './staff';
import { openExport } from './export-flow';
import '../../styles/grievance.scss';
import '../../styles/alliance.scss';

type Tab = 'project' | 'need' | 'reports' | 'proposals' | 'rank' | 'unit' | 'invite';

const TABS: Segment<Tab>[] = [
  { value: 'project', label: '发布共治项目' },
  { value: 'need', label: '发布需求' },
  { value: 'reports', label: '报到审核' },
  { value: 'proposals', label: '活动提议' },
  { value: 'rank', label: '单位排名' },
  { value: 'unit', label: '登记单位' },
  { value: 'invite', label: '发放邀请码' },
];
const isTab = (v: string | undefined): v is Tab => TABS.some((t) => t.value === v);

const UNIT_RECORD_PAGE = '/packages/alliance/unit-record';
const fmt = (n: number) => String(Math.round(n * 10) / 10);

/** 报到审核: pending reports of the worker's community; confirm, or return with a reason. */
function ReviewReports({ communityId }: { communityId: string }) {
  const [busy, setBusy] = useState(false);
  const reject = usePendingText<ReportView>();
  const list = usePagedList(
    (cursor) =>
      call('alliance', 'listReports', {
        communityId,
        status: 'pending',
        pageSize: 20,
        ...(cursor ? { cursor } : {}),
      }),
    communityId,
  );

  const review = async (r: ReportView, confirm: boolean, reason?: string): Promise<boolean> => {
    setBusy(true);
    try {
      await call('alliance', 'reviewReport', { reportId: r._id, confirm, ...(reason ? { reason } : {}) });
      Taro.showToast({ title: confirm ? '已确认报到' : '已退回', icon: 'success' });
      void list.reload();
      return true;
    } catch (err) {
      Taro.showToast({ title: errorMessage(err), icon: 'none', duration: 2500 });
      return false;
    } finally {
      setBusy(false);
    }
  };

  const submitReject = () =>
    reject.submit(
      (reason) => reasonError(reason, '请填写退回的理由'),
      async (report, reason) => ((await review(report, false, reason)) ? null : false),
    );

  return (
    <View id="review-reports">
      <PagedBody
        list={list}
        empty={<EmptyState id="reports-empty" text="没有待审核的报到" />}
        renderItem={(r) => {
          const st = REPORT_STATUS[r.status];
          return (
            <View key={r._id} id={`report-${r._id}`} className="card">
              <View className="alliance-card__head">
                <Text className="alliance-card__title" {...roleProps('heading', { 'aria-level': 3 })}>
                  {r.nickName}
                </Text>
                <StatusTag label={st.label} tone={st.tone} />
              </View>
              <View className="alliance-card__line">
                <Text className="line-label">工作单位</Text>
                <Text>{r.employerName}</Text>
              </View>
              <View className="alliance-card__line">
                <Text className="line-label">党组织</Text>
                <Text>{r.partyOrg}</Text>
              </View>
              <View className="alliance-card__line">
                <Text className="line-label">提交</Text>
                <Text>{formatInstant(r.createdAt)}</Text>
              </View>
              <View className="alliance-card__actions">
                <Button
                  id={`confirm-report-${r._id}`}
                  size="small"
                  type="primary"
                  disabled={busy}
                  onClick={() => void review(r, true)}
                >
                  确认报到
                </Button>
                <Button
                  id={`reject-report-${r._id}`}
                  size="small"
                  fill="outline"
                  disabled={busy}
                  onClick={() => reject.open(r)}
                >
                  退回
                </Button>
              </View>
            </View>
          );
        }}
      />
      {reject.pending && reject.bind ? (
        <TextDialog
          title={`退回 ${reject.pending.item.nickName} 的报到`}
          textLabel="退回理由（党员会看到）"
          {...reject.bind}
          placeholder="如：所在党组织名称不完整，请补充"
          max={200}
          busy={busy}
          submitText="退回"
          danger
          onSubmit={() => void submitReject()}
        />
      ) : null}
    </View>
  );
}

/** 活动提议: units' proposals for this community; approve (publishes the activity) or decline. */
function ReviewProposals({ communityId }: { communityId: string }) {
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<'pending' | 'all'>('pending');
  const decline = usePendingText<ProposalView>();
  const { confirm, confirmDialog } = useConfirm();
  const list = usePagedList(
    (cursor) =>
      call('alliance', 'listProposals', {
        communityId,
        ...(status === 'pending' ? { status } : {}),
        pageSize: 20,
        ...(cursor ? { cursor } : {}),
      }),
    `${communityId}|${status}`,
  );

  const review = async (p: ProposalView, approve: boolean, reason?: string): Promise<boolean> => {
    setBusy(true);
    try {
      await call('alliance', 'reviewProposal', { proposalId: p._id, approve, ...(reason ? { reason } : {}) });
      Taro.showToast({ title: approve ? '活动已发布' : '已婉拒', icon: 'success' });
      void list.reload();
      return true;
    } catch (err) {
      Taro.showToast({ title: errorMessage(err), icon: 'none', duration: 2500 });
      return false;
    } finally {
      setBusy(false);
    }
  };

  const approve = async (p: ProposalView) => {
    const ok = await confirm(
      '通过并发布活动？',
      `「${p.title}」将以${p.unitName}为共建单位发布，居民即可报名，报名截止到活动开始。`,
      '通过并发布',
    );
    if (ok) await review(p, true);
  };

  const submitDecline = () =>
    decline.submit(
      (reason) => reasonError(reason, '请填写不通过的理由'),
      async (proposal, reason) => ((await review(proposal, false, reason)) ? null : false),
    );

  return (
    <View id="review-proposals">
      <SegmentTabs
        label="提议状态"
        idPrefix="proposals-filter"
        items={[
          { value: 'pending', label: '待审核' },
          { value: 'all', label: '全部' },
        ]}
        value={status}
        onChange={setStatus}
      />
      <PagedBody
        list={list}
        empty={
          <EmptyState
            id="proposals-empty"
            text={status === 'pending' ? '没有待审核的活动提议' : '共建单位还没有提议过活动'}
          />
        }
        renderItem={(p) => {
          const st = PROPOSAL_STATUS[p.status];
          return (
            <View key={p._id} id={`proposal-${p._id}`} className="card">
              <View className="alliance-card__head">
                <Text className="alliance-card__title" {...roleProps('heading', { 'aria-level': 3 })}>
                  {p.title}
                </Text>
                <StatusTag label={st.label} tone={st.tone} />
              </View>
              {p.description ? <Text className="alliance-card__text">{p.description}</Text> : null}
              <View className="alliance-card__line">
                <Text className="line-label">提议单位</Text>
                <Text>{p.unitName}</Text>
              </View>
              <View className="alliance-card__line">
                <Text className="line-label">类型</Text>
                <Text>{TYPE_LABEL[p.type]}</Text>
              </View>
              <View className="alliance-card__line">
                <Text className="line-label">时间</Text>
                <Text>
                  {formatInstant(p.startAt)} – {formatInstant(p.endAt)}
                </Text>
              </View>
              <View className="alliance-card__line">
                <Text className="line-label">地点</Text>
                <Text>
                  {p.placeName}
                  {p.venueTitle ? `（单位场地：${p.venueTitle}）` : ''}
                </Text>
              </View>
              <View className="alliance-card__line">
                <Text className="line-label">人数</Text>
                <Text>{p.capacity > 0 ? `限 ${p.capacity} 人` : '不限'}</Text>
              </View>
              {p.reason ? (
                <View className="alliance-card__line">
                  <Text className="line-label">理由</Text>
                  <Text>{p.reason}</Text>
                </View>
              ) : null}
              <View className="alliance-card__actions">
                {p.status === 'pending' ? (
                  <>
                    <Button
                      id={`approve-proposal-${p._id}`}
                      size="small"
                      type="primary"
                      disabled={busy}
                      onClick={() => void approve(p)}
                    >
                      通过并发布
                    </Button>
                    <Button
                      id={`decline-proposal-${p._id}`}
                      size="small"
                      fill="outline"
                      disabled={busy}
                      onClick={() => decline.open(p)}
                    >
                      婉拒
                    </Button>
                  </>
                ) : null}
                {p.activityId ? (
                  <Button
                    id={`proposal-activity-${p._id}`}
                    size="small"
                    fill="outline"
                    onClick={() =>
                      Taro.navigateTo({
                        url: `/pages/activity/detail?id=${encodeURIComponent(p.activityId ?? '')}`,
                      })
                    }
                  >
                    查看活动
                  </Button>
                ) : null}
              </View>
            </View>
          );
        }}
      />
      {decline.pending && decline.bind ? (
        <TextDialog
          title={`婉拒「${decline.pending.item.title}」`}
          textLabel="不通过的理由（单位会看到）"
          {...decline.bind}
          placeholder="如：当天社区已有安排，建议改到下周"
          max={200}
          busy={busy}
          submitText="婉拒"
          danger
          onSubmit={() => void submitDecline()}
        />
      ) : null}
      {confirmDialog}
    </View>
  );
}

/** 单位排名: this year's unit records by score; a row opens the unit's record. */
function RankUnits({ communityId }: { communityId: string }) {
  const [ranking, setRanking] = useState<UnitRanking | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    setError(null);
    try {
      setRanking(await call('alliance', 'rankUnits', { communityId }));
    } catch (err) {
      setError(errorMessage(err));
    }
  }, [communityId]);

  useEffect(() => {
    void load();
  }, [load]);
  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh());
  });

  if (error) return <ErrorState message={error} onRetry={() => void load()} />;
  if (!ranking) return <ListSkeleton rows={2} />;
  if (ranking.items.length === 0)
    return <EmptyState id="rank-empty" text="还没有共建单位" hint="登记驻区单位后即可排名" />;

  return (
    <View id="rank-units">
      <Text className="muted">{ranking.year} 年度，点按单位查看档案</Text>
      <View
        className="stats-table"
        id="rank-table"
        aria-label={`${ranking.year} 年度单位排名`}
        {...roleProps('table')}
      >
        <View className="stats-table__row stats-table__head" {...roleProps('row')}>
          {['单位', '排名', '得分', '完成项目', '平均评分'].map((h) => (
            <Text key={h} className="stats-table__cell" {...roleProps('columnheader')}>
              {h}
            </Text>
          ))}
        </View>
        {ranking.items.map((it) => {
          const go = () =>
            Taro.navigateTo({
              url: `${UNIT_RECORD_PAGE}?id=${encodeURIComponent(it.unitId)}&year=${ranking.year}`,
            });
          return (
            <View
              key={it.unitId}
              id={`rank-row-${it.unitId}`}
              className="stats-table__row"
              aria-label={`第 ${it.rank} 名 ${it.unitName}，${fmt(it.score)} 分，查看档案`}
              {...roleProps('row')}
              {...keyboardActivatable(go)}
              onClick={go}
            >
              <Text className="stats-table__cell" {...roleProps('rowheader')}>
                {it.unitName}
              </Text>
              <Text className="stats-table__cell" {...roleProps('cell')}>
                {it.rank}
              </Text>
              <Text
                className="stats-table__cell rank-cell--score"
                id={`rank-score-${it.unitId}`}
                {...roleProps('cell')}
              >
                {fmt(it.score)}
              </Text>
              <Text className="stats-table__cell" {...roleProps('cell')}>
                {it.completedProjects}
              </Text>
              <Text className="stats-table__cell" {...roleProps('cell')}>
                {it.avgRating === null ? '—' : it.avgRating.toFixed(1)}
              </Text>
            </View>
          );
        })}
      </View>
      <Text className="form-hint" id="rank-formula">
        {ranking.formula}
      </Text>
    </View>
  );
}

/** 区域化党建工作台 (workers and admins). */
export default function AllianceHub() {
  const router = useRouter();
  const { me, meError } = useSession();
  const [tab, setTab] = useState<Tab>(isTab(router.params.tab) ? router.params.tab : 'project');
  const communityId = workerCommunityId(me) ?? '';

  useEffect(() => {
    loadMe().catch(() => undefined);
  }, []);

  let body;
  if (!me && meError)
    body = (
      <ErrorState message={errorMessage(meError)} onRetry={() => void loadMe(true).catch(() => undefined)} />
    );
  else if (!me) body = <ListSkeleton />;
  else if (!isWorker(me) || !communityId)
    body = <EmptyState id="hub-forbidden" text="只有社区工作者可以使用区域化党建工作台" />;
  else if (tab === 'project') body = <PublishProjectForm communityId={communityId} />;
  else if (tab === 'need') body = <PublishNeedForm communityId={communityId} />;
  else if (tab === 'reports') body = <ReviewReports communityId={communityId} />;
  else if (tab === 'proposals') body = <ReviewProposals communityId={communityId} />;
  else if (tab === 'rank') body = <RankUnits communityId={communityId} />;
  else if (tab === 'unit') body = <RegisterUnitForm me={me} communityId={communityId} />;
  else body = <IssueInvitePanel communityId={communityId} />;

  return (
    <PageShell id="alliance-hub">
      <View className="grievance-page-head">
        <Text className="page-title" {...heading(1)}>
          区域化党建
        </Text>
        <Button
          id="hub-open-lists"
          size="small"
          type="primary"
          fill="outline"
          onClick={() => Taro.navigateTo({ url: '/packages/alliance/index' })}
        >
          三张清单
        </Button>
        {me && isWorker(me) && communityId ? (
          <Button
            id="hub-export"
            size="small"
            type="primary"
            fill="outline"
            onClick={() => openExport({ kinds: ['units', 'members'], communityId })}
          >
            导出 Excel
          </Button>
        ) : null}
      </View>
      <SegmentTabs label="工作台" idPrefix="hub" items={TABS} value={tab} onChange={setTab} scroll />
      <View id="hub-body">{body}</View>
    </PageShell>
  );
}
