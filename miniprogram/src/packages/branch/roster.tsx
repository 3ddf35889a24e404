import { Input, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import type { DirectoryHit, MemberView } from '../../../../types/branch';
import { ApiCallError, call, errorMessage } from '../../api';
import { Field } from '../../components/Form';
import { PageShell } from '../../components/PageShell';
import { EmptyState, ErrorState, ListSkeleton } from '../../components/States';
import { StatusTag } from '../../components/StatusTag';
import { useConfirm } from '../../components/TextDialog';
import { loadMe } from '../../store/session';
import { Button } from '../../ui';
import { heading } from '../../utils/a11y';
import { MemberSearch } from './member-search';
import { useLoadOnShow } from './shared';
import './branch.scss';

const ROLE = { secretary: '书记', committee: '委员', member: '党员' } as const;

/**
 * 支部名册: visible inside the branch and to workers. The secretary (or a worker) adds members
 * found in the 党员名录, removes them (after a confirmation), appoints the committee and gives
 * 责任区; a worker also appoints or replaces the secretary.
 */
export default function RosterPage() {
  const branchId = useRouter().params.id ?? '';
  const [myOpenid, setMyOpenid] = useState('');
  const [worker, setWorker] = useState(false);
  const [list, setList] = useState<MemberView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [area, setArea] = useState<{ openid: string; buildings: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const { confirm, confirmDialog } = useConfirm();

  const load = useCallback(async () => {
    setError(null);
    try {
      const [me, members] = await Promise.all([loadMe(), call('branch', 'members', { branchId })]);
      setMyOpenid(me.user.openid);
      setWorker(me.user.roles.some((r) => r.role === 'worker' || r.role === 'admin'));
      setList(members);
    } catch (err) {
      setError(
        err instanceof ApiCallError && err.code === 'FORBIDDEN'
          ? '只有本支部党员和社区工作者可以查看名册'
          : errorMessage(err),
      );
    }
  }, [branchId]);
  useLoadOnShow(load);

  const secretary = !!list?.some((m) => m.role === 'secretary' && m.openid === myOpenid);
  const runs = secretary || worker;

  const act = async (work: () => Promise<unknown>, done: string): Promise<boolean> => {
    setBusy(true);
    try {
      await work();
      Taro.showToast({ title: done, icon: 'success' });
      await load();
      return true;
    } catch (err) {
      Taro.showToast({ title: errorMessage(err), icon: 'none', duration: 2500 });
      return false;
    } finally {
      setBusy(false);
    }
  };

  const add = (hit: DirectoryHit) =>
    act(() => call('branch', 'addMember', { branchId, openid: hit.openid }), '已加入支部');

  const committee = (list ?? []).filter((m) => m.role === 'committee').map((m) => m.openid);
  const toggleCommittee = (m: MemberView) =>
    void act(
      () =>
        call('branch', 'appoint', {
          branchId,
          committee:
            m.role === 'committee' ? committee.filter((o) => o !== m.openid) : [...committee, m.openid],
        }),
      m.role === 'committee' ? '已取消委员' : '已设为委员',
    );

  const makeSecretary = async (m: MemberView) => {
    const ok = await confirm('改任书记', `确定由${m.name}担任支部书记吗？原书记仍留在名册中。`, '确定改任');
    if (ok) void act(() => call('branch', 'appoint', { branchId, secretary: m.openid }), '已改任书记');
  };

  const remove = async (m: MemberView) => {
    const ok = await confirm(
      '移出支部',
      `确定把${m.name}移出本支部吗？尚未召开的会议不再把他/她计为应到人员；已召开和正在召开的会议考勤不变。${
        m.buildings.length ? `其责任区（${m.buildings.join('、')}）将空出。` : ''
      }`,
      '确定移出',
    );
    if (ok) void act(() => call('branch', 'removeMember', { branchId, openid: m.openid }), '已移出');
  };

  const saveArea = async () => {
    if (!area) return;
    setBusy(true);
    try {
      const buildings = area.buildings.split(/[,，、\s]+/).filter(Boolean);
      await call('branch', 'setArea', { branchId, openid: area.openid, buildings });
      setArea(null);
      await load();
    } catch (err) {
      Taro.showToast({ title: errorMessage(err), icon: 'none', duration: 2500 });
    } finally {
      setBusy(false);
    }
  };

  if (error)
    return (
      <PageShell id="roster-page">
        <ErrorState message={error} onRetry={() => void load()} />
      </PageShell>
    );
  if (!list)
    return (
      <PageShell id="roster-page">
        <ListSkeleton rows={3} />
      </PageShell>
    );
  return (
    <PageShell id="roster-page">
      <Text className="page-title" {...heading(1)}>
        支部名册（{list.length} 人）
      </Text>
      {list.length === 0 ? <EmptyState text="名册还是空的" /> : null}
      <View className="card">
        {list.map((m) => (
          <View key={m.openid} id={`roster-${m.openid}`} className="branch-row">
            <View>
              <Text>{m.name}</Text>
              {m.group ? <Text className="muted"> · {m.group}</Text> : null}
              {m.buildings.length ? <Text className="muted"> · 责任区：{m.buildings.join('、')}</Text> : null}
            </View>
            <View className="branch-actions">
              <StatusTag label={ROLE[m.role]} tone={m.role === 'member' ? 'grey' : 'red'} />
              {m.inService ? <StatusTag label="在职党员" tone="blue" /> : null}
              {runs ? (
                <Button
                  id={`roster-area-${m.openid}`}
                  size="small"
                  fill="outline"
                  className="branch-btn"
                  aria-label={`${m.name}的责任区`}
                  onClick={() => setArea({ openid: m.openid, buildings: m.buildings.join('、') })}
                >
                  责任区
                </Button>
              ) : null}
              {runs && m.role !== 'secretary' ? (
                <Button
                  id={`roster-committee-${m.openid}`}
                  size="small"
                  fill="outline"
                  className="branch-btn"
                  disabled={busy}
                  aria-label={`${m.role === 'committee' ? '取消委员' : '设为委员'}：${m.name}`}
                  onClick={() => toggleCommittee(m)}
                >
                  {m.role === 'committee' ? '取消委员' : '设为委员'}
                </Button>
              ) : null}
              {worker && m.role !== 'secretary' ? (
                <Button
                  id={`roster-secretary-${m.openid}`}
                  size="small"
                  fill="outline"
                  className="branch-btn"
                  disabled={busy}
                  aria-label={`设为书记：${m.name}`}
                  onClick={() => void makeSecretary(m)}
                >
                  设为书记
                </Button>
              ) : null}
              {runs && m.role !== 'secretary' ? (
                <Button
                  id={`roster-remove-${m.openid}`}
                  size="small"
                  fill="outline"
                  className="branch-btn"
                  disabled={busy}
                  aria-label={`移出支部：${m.name}`}
                  onClick={() => void remove(m)}
                >
                  移出
                </Button>
              ) : null}
            </View>
          </View>
        ))}
      </View>
      {area ? (
        <View className="card" id="roster-area-form">
          <Field id="roster-area-buildings" label="责任区楼栋（用顿号分隔）">
            <Input
              id="roster-area-buildings"
              className="form-input"
              value={area.buildings}
              placeholder="如：1栋、2栋"
              aria-label="责任区楼栋"
              nativeProps={{ 'aria-label': '责任区楼栋' }}
              onInput={(e) => setArea({ ...area, buildings: e.detail.value })}
            />
          </Field>
          <Button
            id="roster-area-save"
            className="block-btn"
            type="primary"
            loading={busy}
            disabled={busy}
            onClick={() => void saveArea()}
          >
            保存责任区
          </Button>
        </View>
      ) : null}
      {runs ? (
        <View className="card" id="roster-add">
          <Text className="section-title" {...heading(2)}>
            加入党员
          </Text>
          <MemberSearch
            id="roster-search"
            branchId={branchId}
            label="查找本社区已认证的党员"
            pickText="加入支部"
            busy={busy}
            onPick={add}
          />
        </View>
      ) : null}
      {confirmDialog}
    </PageShell>
  );
}
