import { Input, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import type { BranchCompliance, MeetingSummary, PointsRule } from '../../../../types/branch';
import { call, errorMessage } from '../../api';
import { Field } from '../../components/Form';
import { PageShell } from '../../components/PageShell';
import { EmptyState, ErrorState, ListSkeleton } from '../../components/States';
import { Button } from '../../ui';
import { heading } from '../../utils/a11y';
import { ComplianceList, MeetingCard, go, useLoadOnShow } from './shared';
import './branch.scss';

const RULE_FIELDS: { key: keyof PointsRule; label: string }[] = [
  { key: 'perAttendance', label: '每参加一次会议' },
  { key: 'perServiceHour', label: '每小时志愿服务' },
  { key: 'perRequest', label: '每完成一件微心愿' },
];
/** Shown until the branch sets its own rule (domain/branch DEFAULT_POINTS_RULE). */
const DEFAULT_RULE: PointsRule = { perAttendance: 2, perServiceHour: 1, perRequest: 1 };

/**
 * 书记工作台: what the 条例 still requires this period, the meetings, the secretary's tools and the
 * branch's 民主评议 points rule.
 */
export default function SecretaryPage() {
  const branchId = useRouter().params.id ?? '';
  const [data, setData] = useState<{ c: BranchCompliance; meetings: MeetingSummary[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [rule, setRule] = useState<Record<keyof PointsRule, string> | null>(null);
  const [ruleError, setRuleError] = useState('');
  const [saving, setSaving] = useState(false);
  const load = useCallback(async () => {
    setError(null);
    try {
      const [c, meetings] = await Promise.all([
        call('branch', 'branchCompliance', { branchId }),
        call('branch', 'meetings', { branchId }),
      ]);
      setData({ c, meetings });
      const r = c.pointsRule ?? DEFAULT_RULE;
      setRule({
        perAttendance: String(r.perAttendance),
        perServiceHour: String(r.perServiceHour),
        perRequest: String(r.perRequest),
      });
    } catch (err) {
      setError(errorMessage(err));
    }
  }, [branchId]);
  useLoadOnShow(load);

  const saveRule = async () => {
    if (!rule) return;
    const raw = RULE_FIELDS.map((f) => rule[f.key].trim());
    if (raw.some((r) => !/^\d{1,3}(\.\d)?$/.test(r) || Number(r) > 100))
      return setRuleError('每项填 0–100 的数，最多一位小数');
    const values = raw.map(Number);
    setSaving(true);
    try {
      await call('branch', 'setPointsRule', {
        branchId,
        perAttendance: values[0]!,
        perServiceHour: values[1]!,
        perRequest: values[2]!,
      });
      Taro.showToast({ title: '积分规则已保存', icon: 'success' });
      await load();
    } catch (err) {
      setRuleError(errorMessage(err));
    } finally {
      setSaving(false);
    }
  };

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
      {rule ? (
        <View className="card" id="secretary-points">
          <Text className="section-title" {...heading(2)}>
            民主评议积分规则{data.c.pointsRule ? '' : '（未设置，以下为建议值）'}
          </Text>
          <Text className="muted">按党员参加会议、志愿服务和微心愿的记录计算，不另记账。</Text>
          {RULE_FIELDS.map((f, i) => (
            <Field
              key={f.key}
              id={`points-${f.key}`}
              label={`${f.label}（分）`}
              error={i === RULE_FIELDS.length - 1 ? ruleError : undefined}
            >
              <Input
                id={`points-${f.key}`}
                className={`form-input ${ruleError ? 'form-invalid' : ''}`}
                type="digit"
                value={rule[f.key]}
                aria-label={`${f.label}得分`}
                nativeProps={{ 'aria-label': `${f.label}得分`, inputMode: 'decimal' }}
                onInput={(e) => {
                  setRule({ ...rule, [f.key]: e.detail.value });
                  setRuleError('');
                }}
              />
            </Field>
          ))}
          <Button
            id="points-save"
            className="block-btn"
            type="primary"
            loading={saving}
            disabled={saving}
            onClick={() => void saveRule()}
          >
            保存积分规则
          </Button>
        </View>
      ) : null}
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
