import { Input, Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import { useCallback, useEffect, useState } from 'react';
import type { Page } from '../../../../types/api';
import type {
  InviteView,
  MyUnitView,
  ProposalView,
  Resource,
  ResourceKind,
  ResourceRequest,
  UnitMember,
} from '../../../../types/domain';
import { ApiCallError, call, errorMessage } from '../../api';
import { Choices, Field } from '../../components/Form';
import { PageShell } from '../../components/PageShell';
import { SegmentTabs, type Segment } from '../../components/SegmentTabs';
import { EmptyState, ErrorState, ListFooter, ListSkeleton } from '../../components/States';
import { StatusTag } from '../../components/StatusTag';
import { InviteCodeDialog, TextDialog, useConfirm, usePendingText } from '../../components/TextDialog';
import { usePagedList } from '../../hooks/usePagedList';
import { loadMe, useSession } from '../../store/session';
import { Button } from '../../ui';
import { heading, keyboardActivatable, roleProps } from '../../utils/a11y';
import { ANSWER_STATUS, RESOURCE_KIND_LABEL, RESOURCE_KINDS } from '../../utils/labels';
import { fromNow } from '../../utils/time';
import { ProposeActivityForm } from './propose';
import { hoursText, JOIN_PAGE, openMemberRecord, openUnitRecord, ProposalCard, ResourceCard } from './shared';
import '../../styles/grievance.scss';
import '../../styles/alliance.scss';

type Tab = 'staff' | 'resources' | 'requests' | 'proposals' | 'members';
const TABS: Segment<Tab>[] = [
  { value: 'staff', label: '单位同事' },
  { value: 'resources', label: '本单位资源' },
  { value: 'requests', label: '资源申请' },
  { value: 'proposals', label: '活动提议' },
  { value: 'members', label: '本单位报到党员' },
];

type Item =
  | { kind: 'resource'; value: Resource }
  | { kind: 'request'; value: ResourceRequest }
  | { kind: 'proposal'; value: ProposalView }
  | { kind: 'member'; value: UnitMember };

interface OfferForm {
  kind: ResourceKind | '';
  title: string;
  description: string;
  capacity: string;
  availability: string;
  error: string;
}
const EMPTY_OFFER: OfferForm = {
  kind: '',
  title: '',
  description: '',
  capacity: '',
  availability: '',
  error: '',
};

function offerError(f: OfferForm): string {
  if (!f.kind) return '请选择资源类型';
  const title = f.title.trim();
  if (title.length < 2) return '资源名称至少 2 个字';
  if (title.length > 40) return '资源名称最多 40 个字';
  if (!f.description.trim()) return '请填写资源说明';
  if (f.description.trim().length > 500) return '资源说明最多 500 个字';
  if (f.capacity.trim().length > 60) return '容量说明最多 60 个字';
  if (f.availability.trim().length > 60) return '可用时间最多 60 个字';
  return '';
}

/** 我的单位 (unit staff): the unit, colleagues, its resources and the requests for them. */
export default function MyUnitPage() {
  const { me } = useSession();
  const [view, setView] = useState<MyUnitView | null>(null);
  const [error, setError] = useState<{ message: string; notStaff: boolean } | null>(null);
  const [tab, setTab] = useState<Tab>('staff');
  const { confirm, confirmDialog } = useConfirm();
  const [busy, setBusy] = useState(false);
  const [invite, setInvite] = useState<InviteView | null>(null);
  const [proposing, setProposing] = useState(false);
  const [offer, setOffer] = useState<OfferForm | null>(null);
  const decline = usePendingText<ResourceRequest>();

  const load = useCallback(async () => {
    setError(null);
    try {
      setView(await call('alliance', 'myUnit', {}));
    } catch (err) {
      const notStaff = err instanceof ApiCallError && err.code === 'FORBIDDEN';
      setError({ message: notStaff ? '你还没有绑定驻区单位' : errorMessage(err), notStaff });
    }
  }, []);

  useEffect(() => {
    loadMe().catch(() => undefined);
    void load();
  }, [load]);

  const unitId = view?.unit._id ?? '';
  const list = usePagedList<Item>(
    async (cursor): Promise<Page<Item>> => {
      const page = { pageSize: 20, ...(cursor ? { cursor } : {}) };
      if (tab === 'resources') {
        const r = await call('alliance', 'listResources', { unitId, ...page });
        return { ...r, items: r.items.map((value) => ({ kind: 'resource', value })) };
      }
      if (tab === 'requests') {
        const r = await call('alliance', 'resourceRequests', { unitId, ...page });
        return { ...r, items: r.items.map((value) => ({ kind: 'request', value })) };
      }
      if (tab === 'proposals') {
        const r = await call('alliance', 'listProposals', { unitId, ...page });
        return { ...r, items: r.items.map((value) => ({ kind: 'proposal', value })) };
      }
      if (tab === 'members') {
        const r = await call('alliance', 'unitMembers', { unitId });
        return { items: r.items.map((value) => ({ kind: 'member', value })), total: r.items.length };
      }
      return { items: [], total: 0 };
    },
    `${tab}|${unitId}`,
    !!unitId && tab !== 'staff',
  );

  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh());
  });

  const act = async (doIt: () => Promise<unknown>, done: string): Promise<boolean> => {
    setBusy(true);
    try {
      await doIt();
      Taro.showToast({ title: done, icon: 'success' });
      return true;
    } catch (err) {
      Taro.showToast({ title: errorMessage(err), icon: 'none', duration: 2500 });
      return false;
    } finally {
      setBusy(false);
    }
  };

  const issueInvite = async () => {
    if (!view || busy) return;
    setBusy(true);
    try {
      setInvite(await call('alliance', 'issueInvite', { unitId: view.unit._id, asAdmin: false }));
    } catch (err) {
      Taro.showToast({ title: errorMessage(err), icon: 'none', duration: 2500 });
    } finally {
      setBusy(false);
    }
  };

  const removeStaff = async (openid: string, name: string) => {
    if (!view || busy) return;
    if (!(await confirm('移除同事？', `移除后「${name}」不能再代表本单位认领项目、发布资源。`, '移除')))
      return;
    setBusy(true);
    try {
      setView(await call('alliance', 'removeStaff', { unitId: view.unit._id, openid }));
      Taro.showToast({ title: '已移除', icon: 'success' });
    } catch (err) {
      Taro.showToast({ title: errorMessage(err), icon: 'none', duration: 2500 });
    } finally {
      setBusy(false);
    }
  };

  const submitOffer = async (f: OfferForm) => {
    const msg = offerError(f);
    if (msg) return setOffer({ ...f, error: msg });
    if (!f.kind) return;
    const kind = f.kind;
    const ok = await act(
      () =>
        call('alliance', 'offerResource', {
          kind,
          title: f.title.trim(),
          description: f.description.trim(),
          capacity: f.capacity.trim(),
          availability: f.availability.trim(),
        }),
      '已发布',
    );
    if (ok) {
      setOffer(null);
      if (tab === 'resources') void list.reload();
      else setTab('resources');
    }
  };

  const withdraw = async (r: Resource) => {
    if (!(await confirm('撤下资源？', `撤下后「${r.title}」不再出现在资源清单中。`, '撤下'))) return;
    if (await act(() => call('alliance', 'withdrawResource', { resourceId: r._id }), '已撤下'))
      void list.reload();
  };

  const accept = async (r: ResourceRequest) => {
    if (!(await confirm('接受申请？', `接受后请与社区联系，安排「${r.resourceTitle}」。`, '接受'))) return;
    if (
      await act(() => call('alliance', 'answerResourceRequest', { requestId: r._id, accept: true }), '已接受')
    )
      void list.reload();
  };

  const submitDecline = () =>
    decline.submit(
      (note) => (note.length > 200 ? '答复最多 200 字' : undefined),
      async (request, note) => {
        const ok = await act(
          () =>
            call('alliance', 'answerResourceRequest', {
              requestId: request._id,
              accept: false,
              ...(note ? { note } : {}),
            }),
          '已答复',
        );
        if (!ok) return false;
        void list.reload();
      },
    );

  if (error && !view) {
    return (
      <PageShell id="my-unit-page">
        {error.notStaff ? (
          <EmptyState
            id="my-unit-empty"
            text={error.message}
            hint="向社区工作者索取邀请码后即可加入"
            actionText="输入邀请码"
            onAction={() => Taro.redirectTo({ url: JOIN_PAGE })}
          />
        ) : (
          <ErrorState message={error.message} onRetry={() => void load()} />
        )}
      </PageShell>
    );
  }
  if (!view) {
    return (
      <PageShell id="my-unit-page">
        <ListSkeleton rows={2} />
      </PageShell>
    );
  }

  const { unit } = view;
  const myOpenid = me?.user.openid;

  const allied = unit.communityIds.map((id) => ({
    value: id,
    label: me?.communities.find((c) => c._id === id)?.name ?? id,
  }));
  // Projects of the communities the unit serves (not the staff member's own community): one
  // community opens directly, several are offered to choose from.
  const openProjects = async () => {
    const go = (id: string) =>
      Taro.navigateTo({ url: `/packages/alliance/index?tab=projects&communityId=${encodeURIComponent(id)}` });
    if (allied.length === 0) return Taro.showToast({ title: '本单位还没有联系的社区', icon: 'none' });
    if (allied.length === 1) return go(allied[0]!.value);
    const options = allied.slice(0, 6); // WeChat's action sheet holds at most 6 items
    try {
      const { tapIndex } = await Taro.showActionSheet({ itemList: options.map((c) => c.label) });
      const chosen = options[tapIndex];
      if (chosen) await go(chosen.value);
    } catch {
      // cancelled
    }
  };
  const startProposal = () => {
    setTab('proposals');
    setProposing(true);
  };

  let body;
  if (proposing) {
    body = (
      <ProposeActivityForm
        unit={unit}
        communities={allied}
        onCancel={() => setProposing(false)}
        onDone={() => {
          setProposing(false);
          void list.reload();
        }}
      />
    );
  } else if (tab === 'staff') {
    body = (
      <View className="card" id="colleagues">
        {view.isAdmin ? (
          <Button
            id="issue-invite"
            type="primary"
            fill="outline"
            disabled={busy}
            onClick={() => void issueInvite()}
          >
            邀请同事加入
          </Button>
        ) : null}
        {view.colleagues.map((c) => (
          <View key={c.openid} id={`colleague-${c.openid}`} className="alliance-row">
            <View className="alliance-row__main">
              <Text className="alliance-row__title">
                {c.nickName || '微信用户'}
                {c.openid === myOpenid ? '（我）' : ''}
              </Text>
            </View>
            {c.isAdmin ? (
              <StatusTag label="单位管理员" tone="red" />
            ) : (
              <StatusTag label="工作人员" tone="blue" />
            )}
            {view.isAdmin && c.openid !== myOpenid ? (
              <Button
                id={`remove-staff-${c.openid}`}
                size="small"
                type="danger"
                fill="outline"
                disabled={busy}
                aria-label={`移除${c.nickName}`}
                onClick={() => void removeStaff(c.openid, c.nickName)}
              >
                移除
              </Button>
            ) : null}
          </View>
        ))}
      </View>
    );
  } else if (list.loading) body = <ListSkeleton />;
  else if (list.error) body = <ErrorState message={list.error} onRetry={() => void list.reload()} />;
  else if (list.items.length === 0)
    body =
      tab === 'proposals' ? (
        <EmptyState
          id="proposals-empty"
          text="本单位还没有提议过联盟活动"
          hint="提议经社区审核后，以本单位为共建单位发布"
          actionText="提议联盟活动"
          onAction={startProposal}
        />
      ) : tab === 'members' ? (
        <EmptyState
          id="members-empty"
          text="今年还没有本单位党员到社区报到"
          hint="党员报到时选择本单位，经社区确认后显示在这里"
        />
      ) : tab === 'resources' ? (
        <EmptyState
          id="resources-empty"
          text="本单位还没有发布资源"
          hint="场地、专业服务、志愿者都可以"
          actionText="发布资源"
          onAction={() => setOffer(EMPTY_OFFER)}
        />
      ) : (
        <EmptyState
          id="requests-empty"
          text="暂时没有社区申请使用本单位资源"
          actionText="看看本单位资源"
          onAction={() => setTab('resources')}
        />
      );
  else
    body = (
      <>
        {list.items.map((it) => {
          if (it.kind === 'resource') {
            const r = it.value;
            return (
              <ResourceCard key={r._id} item={r}>
                {r.status === 'active' ? (
                  <Button
                    id={`withdraw-resource-${r._id}`}
                    size="small"
                    fill="outline"
                    disabled={busy}
                    onClick={() => void withdraw(r)}
                  >
                    撤下
                  </Button>
                ) : null}
              </ResourceCard>
            );
          }
          if (it.kind === 'proposal') return <ProposalCard key={it.value._id} item={it.value} />;
          if (it.kind === 'member') {
            const m = it.value;
            const go = () => openMemberRecord(m.openid);
            const pct = Math.round(m.progress * 100);
            return (
              <View
                key={m.openid}
                id={`unit-member-${m.openid}`}
                className="card"
                {...roleProps('link')}
                {...keyboardActivatable(go)}
                aria-label={`${m.nickName}，${hoursText(m.hours)} / ${m.targetHours} 小时，查看年度记录`}
                onClick={go}
              >
                <View className="alliance-card__head">
                  <Text className="alliance-card__title" {...roleProps('heading', { 'aria-level': 3 })}>
                    {m.nickName || '党员'}
                  </Text>
                  <StatusTag
                    label={m.reportStatus === 'confirmed' ? '在报到' : '已转出'}
                    tone={m.reportStatus === 'confirmed' ? 'green' : 'grey'}
                  />
                </View>
                <View className="alliance-card__line">
                  <Text className="line-label">报到社区</Text>
                  <Text>{m.communityName}</Text>
                </View>
                <View className="alliance-card__line">
                  <Text className="line-label">党组织</Text>
                  <Text>{m.partyOrg}</Text>
                </View>
                <View className="alliance-card__line" id={`unit-member-hours-${m.openid}`}>
                  <Text className="line-label">服务时长</Text>
                  <Text>
                    {hoursText(m.hours)} / {m.targetHours} 小时（{pct}%）
                  </Text>
                </View>
                <View
                  className="progress"
                  aria-label="年度服务时长完成度"
                  {...roleProps('progressbar', {
                    'aria-valuemin': 0,
                    'aria-valuemax': 100,
                    'aria-valuenow': pct,
                  })}
                >
                  <View className="progress__bar" style={{ width: `${pct}%` }} />
                </View>
              </View>
            );
          }
          const q = it.value;
          const st = ANSWER_STATUS[q.status];
          return (
            <View key={q._id} id={`request-${q._id}`} className="card">
              <View className="alliance-card__head">
                <Text className="alliance-card__title" {...roleProps('heading', { 'aria-level': 3 })}>
                  {q.resourceTitle}
                </Text>
                <StatusTag label={st.label} tone={st.tone} />
              </View>
              <Text className="alliance-card__text">{q.note}</Text>
              <View className="alliance-card__line">
                <Text className="line-label">类型</Text>
                <Text>{RESOURCE_KIND_LABEL[q.kind]}</Text>
              </View>
              <View className="alliance-card__line">
                <Text className="line-label">申请</Text>
                <Text>{fromNow(q.createdAt)}</Text>
              </View>
              {q.answerNote ? (
                <View className="alliance-card__line">
                  <Text className="line-label">答复</Text>
                  <Text>{q.answerNote}</Text>
                </View>
              ) : null}
              {q.status === 'pending' ? (
                <View className="alliance-card__actions">
                  <Button
                    id={`accept-request-${q._id}`}
                    size="small"
                    type="primary"
                    disabled={busy}
                    onClick={() => void accept(q)}
                  >
                    接受
                  </Button>
                  <Button
                    id={`decline-request-${q._id}`}
                    size="small"
                    fill="outline"
                    disabled={busy}
                    onClick={() => decline.open(q)}
                  >
                    婉拒
                  </Button>
                </View>
              ) : null}
            </View>
          );
        })}
        <ListFooter loadingMore={list.loadingMore} hasMore={list.hasMore} count={list.items.length} />
      </>
    );

  return (
    <PageShell id="my-unit-page">
      <View className="card" id="my-unit-info">
        <View className="alliance-card__head">
          <Text className="grievance-number" {...heading(1)}>
            {unit.name}
          </Text>
          <StatusTag label={unit.type} tone="blue" />
        </View>
        <View className="alliance-card__line">
          <Text className="line-label">党组织</Text>
          <Text>{unit.partyOrg}</Text>
        </View>
        <View className="alliance-card__line">
          <Text className="line-label">地址</Text>
          <Text>{unit.address}</Text>
        </View>
        <View className="alliance-card__line">
          <Text className="line-label">联系</Text>
          <Text>{unit.contact}</Text>
        </View>
        <View className="alliance-card__actions">
          <Button
            id="unit-record-link"
            size="small"
            type="primary"
            fill="outline"
            onClick={() => openUnitRecord(unit._id)}
          >
            单位档案
          </Button>
          <Button id="my-unit-projects" size="small" fill="outline" onClick={() => void openProjects()}>
            去认领项目
          </Button>
          <Button id="propose-activity" size="small" fill="outline" onClick={startProposal}>
            提议联盟活动
          </Button>
          {tab === 'resources' ? (
            <Button id="offer-resource" size="small" type="primary" onClick={() => setOffer(EMPTY_OFFER)}>
              发布资源
            </Button>
          ) : null}
        </View>
      </View>

      <SegmentTabs
        label="单位事务"
        idPrefix="my-unit-tab"
        items={TABS}
        value={tab}
        onChange={(t) => {
          setProposing(false);
          setTab(t);
        }}
        scroll
      />
      <View id="my-unit-body" aria-live="polite">
        {body}
      </View>

      {invite ? (
        <InviteCodeDialog
          code={invite.code}
          unitName={invite.unitName}
          asAdmin={invite.asAdmin}
          expiresAt={invite.expiresAt}
          onClose={() => setInvite(null)}
        />
      ) : null}

      {offer ? (
        <TextDialog
          title="发布资源"
          textLabel="资源说明"
          text={offer.description}
          onText={(v) => setOffer({ ...offer, description: v, error: '' })}
          placeholder="如：多功能厅，配投影和音响，可举办讲座"
          max={500}
          error={offer.error}
          busy={busy}
          submitText="发布"
          submitId="offer-submit"
          onSubmit={() => void submitOffer(offer)}
          onClose={() => setOffer(null)}
        >
          <Field id="offer-kind" label="资源类型">
            <Choices
              idPrefix="offer-kind"
              label="资源类型"
              items={RESOURCE_KINDS}
              value={offer.kind}
              onChange={(v) => setOffer({ ...offer, kind: v, error: '' })}
            />
          </Field>
          <Field id="offer-title" label="资源名称">
            <Input
              id="offer-title"
              className="form-input"
              value={offer.title}
              maxlength={40}
              placeholder="如：会议室、法律咨询"
              aria-label="资源名称"
              nativeProps={{ 'aria-label': '资源名称' }}
              onInput={(e) => setOffer({ ...offer, title: e.detail.value, error: '' })}
            />
          </Field>
          <Field id="offer-capacity" label="规模（可不填）">
            <Input
              id="offer-capacity"
              className="form-input"
              value={offer.capacity}
              maxlength={60}
              placeholder="如：可容纳 80 人"
              aria-label="规模"
              nativeProps={{ 'aria-label': '规模' }}
              onInput={(e) => setOffer({ ...offer, capacity: e.detail.value, error: '' })}
            />
          </Field>
          <Field id="offer-availability" label="可用时间（可不填）">
            <Input
              id="offer-availability"
              className="form-input"
              value={offer.availability}
              maxlength={60}
              placeholder="如：周末 9:00–17:00"
              aria-label="可用时间"
              nativeProps={{ 'aria-label': '可用时间' }}
              onInput={(e) => setOffer({ ...offer, availability: e.detail.value, error: '' })}
            />
          </Field>
        </TextDialog>
      ) : null}

      {decline.bind ? (
        <TextDialog
          title="婉拒申请"
          textLabel="答复（可不填，社区会看到）"
          {...decline.bind}
          placeholder="如：当天场地已有安排，可改到下周"
          max={200}
          busy={busy}
          submitText="婉拒"
          danger
          onSubmit={() => void submitDecline()}
        />
      ) : null}
      {confirmDialog}
    </PageShell>
  );
}
