import { Text, View } from '@tarojs/components';
import Taro, { useDidShow, useRouter } from '@tarojs/taro';
import { useEffect, useRef, useState } from 'react';
import type { Page } from '../../../../types/api';
import type { Need, ProjectSummary, Resource, ResourceRequest, UnitView } from '../../../../types/domain';
import { call, errorMessage } from '../../api';
import { PageShell } from '../../components/PageShell';
import { SegmentTabs, type Segment } from '../../components/SegmentTabs';
import { EmptyState, ErrorState, ListFooter, ListSkeleton } from '../../components/States';
import { StatusTag } from '../../components/StatusTag';
import { TextDialog } from '../../components/TextDialog';
import { usePagedList } from '../../hooks/usePagedList';
import { currentCommunity, isUnitStaff, isWorker, loadMe, useSession } from '../../store/session';
import { Button } from '../../ui';
import { heading } from '../../utils/a11y';
import { ANSWER_STATUS } from '../../utils/labels';
import { NeedCard, openUnitRecord, ProjectCard, ResourceCard, UnitCard } from './shared';
import '../../styles/grievance.scss';
import '../../styles/alliance.scss';

type Tab = 'needs' | 'resources' | 'projects' | 'units';

const TABS: Segment<Tab>[] = [
  { value: 'needs', label: '需求清单' },
  { value: 'resources', label: '资源清单' },
  { value: 'projects', label: '项目清单' },
  { value: 'units', label: '联盟单位' },
];

type Item =
  | { kind: 'needs'; value: Need }
  | { kind: 'resources'; value: Resource }
  | { kind: 'projects'; value: ProjectSummary }
  | { kind: 'units'; value: UnitView };

const isTab = (v: string | undefined): v is Tab => TABS.some((t) => t.value === v);

async function fetchTab(tab: Tab, communityId: string, cursor: string | undefined): Promise<Page<Item>> {
  const page = { pageSize: 20, ...(cursor ? { cursor } : {}) };
  switch (tab) {
    case 'needs': {
      const r = await call('alliance', 'listNeeds', { communityId, ...page });
      return { ...r, items: r.items.map((value) => ({ kind: 'needs', value })) };
    }
    case 'resources': {
      const r = await call('alliance', 'listResources', { communityId, ...page });
      return { ...r, items: r.items.map((value) => ({ kind: 'resources', value })) };
    }
    case 'projects': {
      const r = await call('alliance', 'listProjects', { communityId, ...page });
      return { ...r, items: r.items.map((value) => ({ kind: 'projects', value })) };
    }
    case 'units': {
      const r = await call('alliance', 'listUnits', { communityId });
      return { items: r.units.map((value) => ({ kind: 'units', value })), total: r.units.length };
    }
  }
}

/** 联盟首页: the community's needs, resources and projects lists and its allied units. */
export default function AllianceHome() {
  const router = useRouter();
  const { me, meError } = useSession();
  // ?communityId= (from 我的单位: a community the unit serves) browses that community instead.
  const requested = typeof router.params.communityId === 'string' ? router.params.communityId : '';
  const community = requested
    ? (me?.communities.find((c) => c._id === requested) ?? currentCommunity(me))
    : currentCommunity(me);
  const communityId = community?._id ?? '';
  const [tab, setTab] = useState<Tab>(isTab(router.params.tab) ? router.params.tab : 'projects');
  const worker = isWorker(me);
  const staff = isUnitStaff(me);
  // Workers of this community (and admins) may ask allied units for their resources.
  const canRequest =
    !!me &&
    me.user.roles.some((r) => r.role === 'admin' || (r.role === 'worker' && r.communityId === communityId));
  const [requests, setRequests] = useState<Map<string, ResourceRequest>>(new Map());
  const [asking, setAsking] = useState<{ resource: Resource; note: string; error: string } | null>(null);
  const [busy, setBusy] = useState(false);

  // The community's requests, newest first: the latest per resource is shown on its card.
  useEffect(() => {
    if (!canRequest || tab !== 'resources' || !communityId) return;
    call('alliance', 'resourceRequests', { communityId, pageSize: 50 })
      .then((r) => {
        const latest = new Map<string, ResourceRequest>();
        for (const q of r.items) if (!latest.has(q.resourceId)) latest.set(q.resourceId, q);
        setRequests(latest);
      })
      .catch(() => setRequests(new Map()));
  }, [canRequest, tab, communityId]);

  const submitRequest = async () => {
    if (!asking || busy) return;
    const note = asking.note.trim();
    if (note.length < 2) return setAsking({ ...asking, error: '需求说明至少 2 个字' });
    if (note.length > 200) return setAsking({ ...asking, error: '需求说明最多 200 个字' });
    setBusy(true);
    try {
      const q = await call('alliance', 'requestResource', {
        resourceId: asking.resource._id,
        communityId,
        note,
      });
      setRequests((m) => new Map(m).set(q.resourceId, q));
      setAsking(null);
      Taro.showToast({ title: '已申请，等待单位答复', icon: 'none' });
    } catch (err) {
      setAsking({ ...asking, error: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    loadMe().catch(() => undefined);
  }, []);

  const list = usePagedList<Item>(
    (cursor) => fetchTab(tab, communityId, cursor),
    `${tab}|${communityId}`,
    !!communityId,
  );

  const shown = useRef(false);
  useDidShow(() => {
    if (shown.current) void list.reload();
    shown.current = true;
  });

  const openHub = () => Taro.navigateTo({ url: '/packages/worker/alliance' });
  const openMyUnit = () => Taro.navigateTo({ url: '/packages/alliance/my-unit' });

  const empty = (): { text: string; action?: string; go?: () => void } => {
    switch (tab) {
      case 'needs':
        return worker
          ? { text: '暂无需求，把居民的急难愁盼列进来吧', action: '发布需求', go: openHub }
          : { text: '暂无需求，去看看项目清单', action: '看看项目清单', go: () => setTab('projects') };
      case 'resources':
        return staff
          ? { text: '暂无资源，本单位可以先发布一项', action: '发布资源', go: openMyUnit }
          : { text: '暂无资源，去看看联盟单位', action: '看看联盟单位', go: () => setTab('units') };
      case 'projects':
        return worker
          ? { text: '暂无共治项目，从需求清单发起一个吧', action: '发布共治项目', go: openHub }
          : { text: '暂无共治项目，去看看需求清单', action: '看看需求清单', go: () => setTab('needs') };
      case 'units':
        return worker
          ? { text: '暂无联盟单位', action: '登记驻区单位', go: openHub }
          : { text: '暂无联盟单位，去看看资源清单', action: '看看资源清单', go: () => setTab('resources') };
    }
  };

  let body;
  if (!me && meError)
    body = (
      <ErrorState message={errorMessage(meError)} onRetry={() => void loadMe(true).catch(() => undefined)} />
    );
  else if (me && !communityId)
    body = <EmptyState id="alliance-empty" text="还没有加入社区" hint="请先在首页选择所在社区" />;
  else if (!me || list.loading) body = <ListSkeleton />;
  else if (list.error) body = <ErrorState message={list.error} onRetry={() => void list.reload()} />;
  else if (list.items.length === 0) {
    const e = empty();
    body = <EmptyState id="alliance-empty" text={e.text} actionText={e.action} onAction={e.go} />;
  } else
    body = (
      <>
        {list.items.map((it) => {
          switch (it.kind) {
            case 'needs':
              return <NeedCard key={it.value._id} item={it.value} />;
            case 'resources': {
              const r = it.value;
              const q = canRequest ? requests.get(r._id) : undefined;
              const st = q ? ANSWER_STATUS[q.status] : undefined;
              return (
                <ResourceCard key={r._id} item={r}>
                  {q && st ? (
                    <View id={`resource-request-${r._id}`} aria-label={`本社区的申请：${st.label}`}>
                      <StatusTag label={`申请${st.label}`} tone={st.tone} />
                      {q.answerNote ? <Text className="muted"> {q.answerNote}</Text> : null}
                    </View>
                  ) : null}
                  {canRequest && q?.status !== 'pending' ? (
                    <Button
                      id={`request-resource-${r._id}`}
                      size="small"
                      type="primary"
                      fill="outline"
                      aria-label={`申请使用${r.title}`}
                      onClick={() => setAsking({ resource: r, note: '', error: '' })}
                    >
                      申请使用
                    </Button>
                  ) : null}
                </ResourceCard>
              );
            }
            case 'projects':
              return <ProjectCard key={it.value._id} item={it.value} />;
            case 'units': {
              const u = it.value;
              const mine = staff && me?.user.roles.some((r) => r.role === 'unitStaff' && r.unitId === u._id);
              return (
                <UnitCard
                  key={u._id}
                  item={u}
                  onOpen={worker || mine ? () => openUnitRecord(u._id) : undefined}
                />
              );
            }
          }
        })}
        <ListFooter loadingMore={list.loadingMore} hasMore={list.hasMore} count={list.items.length} />
      </>
    );

  return (
    <PageShell id="alliance-page">
      <Text className="page-title" {...heading(1)}>
        {community ? `${community.name} · 区域化党建` : '区域化党建'}
      </Text>
      <SegmentTabs label="清单" idPrefix="alliance-tab" items={TABS} value={tab} onChange={setTab} scroll />
      <View id="alliance-list" aria-live="polite">
        {body}
      </View>
      {asking ? (
        <TextDialog
          title={`申请使用「${asking.resource.title}」`}
          textLabel="需求说明（单位会看到）"
          text={asking.note}
          onText={(v) => setAsking({ ...asking, note: v, error: '' })}
          placeholder="如：12 月 5 日上午办老年人健康讲座，约 60 人"
          max={200}
          error={asking.error}
          busy={busy}
          submitText="提交申请"
          submitId="request-resource-submit"
          onSubmit={() => void submitRequest()}
          onClose={() => setAsking(null)}
        >
          <Text className="muted" id="request-resource-unit">
            {asking.resource.unitName}
            {asking.resource.availability ? ` · ${asking.resource.availability}` : ''}
          </Text>
        </TextDialog>
      ) : null}
    </PageShell>
  );
}
