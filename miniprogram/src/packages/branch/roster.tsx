import { Input, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import type { MemberView } from '../../../../types/branch';
import { ApiCallError, call, errorMessage } from '../../api';
import { Field } from '../../components/Form';
import { PageShell } from '../../components/PageShell';
import { EmptyState, ErrorState, ListSkeleton } from '../../components/States';
import { StatusTag } from '../../components/StatusTag';
import { loadMe } from '../../store/session';
import { Button } from '../../ui';
import { heading } from '../../utils/a11y';
import { useLoadOnShow } from './shared';
import './branch.scss';

const ROLE = { secretary: '书记', committee: '委员', member: '党员' } as const;

/** 支部名册: visible inside the branch and to workers; the secretary adds members and 责任区. */
export default function RosterPage() {
  const branchId = useRouter().params.id ?? '';
  const [myOpenid, setMyOpenid] = useState('');
  const [list, setList] = useState<MemberView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [openid, setOpenid] = useState('');
  const [addError, setAddError] = useState('');
  const [area, setArea] = useState<{ openid: string; buildings: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    setError(null);
    try {
      const [me, members] = await Promise.all([loadMe(), call('branch', 'members', { branchId })]);
      setMyOpenid(me.user.openid);
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

  const add = async () => {
    if (!openid.trim()) return setAddError('请填写党员编号');
    setBusy(true);
    try {
      await call('branch', 'addMember', { branchId, openid: openid.trim() });
      setOpenid('');
      Taro.showToast({ title: '已加入支部', icon: 'success' });
      await load();
    } catch (err) {
      setAddError(errorMessage(err));
    } finally {
      setBusy(false);
    }
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
              {secretary ? (
                <Button
                  id={`roster-area-${m.openid}`}
                  size="small"
                  fill="outline"
                  className="branch-btn"
                  onClick={() => setArea({ openid: m.openid, buildings: m.buildings.join('、') })}
                >
                  责任区
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
      {secretary ? (
        <View className="card" id="roster-add">
          <Field
            id="roster-add-openid"
            label="加入党员"
            error={addError}
            hint="填写已认证党员的编号（在“我的”页可见）"
          >
            <Input
              id="roster-add-openid"
              className={`form-input ${addError ? 'form-invalid' : ''}`}
              value={openid}
              placeholder="党员编号"
              aria-label="党员编号"
              nativeProps={{ 'aria-label': '党员编号' }}
              onInput={(e) => {
                setOpenid(e.detail.value);
                setAddError('');
              }}
            />
          </Field>
          <Button
            id="roster-add-submit"
            className="block-btn"
            type="primary"
            loading={busy}
            disabled={busy}
            onClick={() => void add()}
          >
            加入支部
          </Button>
        </View>
      ) : null}
    </PageShell>
  );
}
