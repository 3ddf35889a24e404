import { Input, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback, useState } from 'react';
import type { BranchCompliance, DirectoryHit } from '../../../../types/branch';
import { call, errorMessage } from '../../api';
import { Field } from '../../components/Form';
import { PageShell } from '../../components/PageShell';
import { EmptyState, ErrorState, ListSkeleton } from '../../components/States';
import { StatusTag } from '../../components/StatusTag';
import { loadMe } from '../../store/session';
import { Button } from '../../ui';
import { heading } from '../../utils/a11y';
import { MemberSearch } from './member-search';
import { ComplianceList, useLoadOnShow } from './shared';
import './branch.scss';

/** 组织生活 (workers): every branch's compliance with the 条例 at a glance; create a branch. */
export default function CompliancePage() {
  const [communityId, setCommunityId] = useState('');
  const [list, setList] = useState<BranchCompliance[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [secretary, setSecretary] = useState<DirectoryHit | null>(null);
  const [formError, setFormError] = useState('');
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    setError(null);
    try {
      const me = await loadMe();
      const id =
        me.user.roles.find((r) => r.role === 'worker')?.communityId ?? me.user.currentCommunityId ?? '';
      setCommunityId(id);
      setList(await call('branch', 'compliance', { communityId: id }));
    } catch (err) {
      setError(errorMessage(err));
    }
  }, []);
  useLoadOnShow(load);

  /** Members granted before the 党员名录 existed (or renamed since) appear after a refresh. */
  const refresh = async () => {
    setBusy(true);
    try {
      const r = await call('branch', 'refreshDirectory', { communityId });
      Taro.showToast({ title: `党员名录已更新（${r.members} 名党员）`, icon: 'none' });
    } catch (err) {
      Taro.showToast({ title: errorMessage(err), icon: 'none', duration: 2500 });
    } finally {
      setBusy(false);
    }
  };

  const create = async () => {
    if (name.trim().length < 2) return setFormError('支部名称至少 2 个字');
    if (!secretary) return setFormError('请先查找并选定书记');
    setBusy(true);
    try {
      await call('branch', 'createBranch', { communityId, name: name.trim(), secretary: secretary.openid });
      setName('');
      setSecretary(null);
      Taro.showToast({ title: '支部已建立', icon: 'success' });
      await load();
    } catch (err) {
      setFormError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  if (error)
    return (
      <PageShell id="compliance-page">
        <ErrorState message={error} onRetry={() => void load()} />
      </PageShell>
    );
  if (!list)
    return (
      <PageShell id="compliance-page">
        <ListSkeleton rows={3} />
      </PageShell>
    );
  const open = list.filter((b) => b.open > 0).length;
  return (
    <PageShell id="compliance-page">
      <Text className="page-title" {...heading(1)}>
        支部组织生活（{list.length} 个支部，{open} 个有待召开）
      </Text>
      <Text className="muted">
        依据《中国共产党支部工作条例（试行）》：支部党员大会、党课每季度至少 1
        次；支部委员会、党小组会、主题党日每月 1 次。
      </Text>
      {list.length === 0 ? (
        <EmptyState id="compliance-empty" text="本社区还没有支部" hint="在下方建立第一个支部" />
      ) : null}
      {list.map((b) => (
        <View key={b.branchId} className="card" id={`compliance-${b.branchId}`}>
          <View className="activity-card__head">
            <Text className="activity-card__title" {...heading(2)}>
              {b.name}
            </Text>
            <StatusTag
              label={b.open ? `${b.open} 项待召开` : '本期已完成'}
              tone={b.open ? 'orange' : 'green'}
            />
          </View>
          <ComplianceList items={b.items} idPrefix={`compliance-${b.branchId}`} />
        </View>
      ))}
      <View className="card" id="branch-create">
        <Text className="section-title" {...heading(2)}>
          建立支部
        </Text>
        <Field id="branch-name" label="支部名称" error={formError}>
          <Input
            id="branch-name"
            className={`form-input ${formError ? 'form-invalid' : ''}`}
            value={name}
            maxlength={40}
            aria-label="支部名称"
            nativeProps={{ 'aria-label': '支部名称' }}
            onInput={(e) => {
              setName(e.detail.value);
              setFormError('');
            }}
          />
        </Field>
        {secretary ? (
          <View className="branch-row" id="branch-secretary-picked">
            <Text>
              书记：{secretary.nameMasked}
              {secretary.phoneMasked ? ` · ${secretary.phoneMasked}` : ''}
            </Text>
            <Button
              id="branch-secretary-change"
              className="branch-btn"
              size="small"
              fill="outline"
              onClick={() => setSecretary(null)}
            >
              重新选择
            </Button>
          </View>
        ) : (
          <MemberSearch
            id="branch-secretary"
            communityId={communityId}
            label="书记（查找本社区已认证的党员）"
            pickText="选为书记"
            onPick={(hit) => {
              setSecretary(hit);
              setFormError('');
              return true;
            }}
          />
        )}
        <Button
          id="directory-refresh"
          className="block-btn"
          fill="none"
          disabled={busy}
          onClick={() => void refresh()}
        >
          找不到党员？更新党员名录
        </Button>
        <Button
          id="branch-create-submit"
          className="block-btn"
          type="primary"
          loading={busy}
          disabled={busy}
          onClick={() => void create()}
        >
          建立支部
        </Button>
      </View>
    </PageShell>
  );
}
