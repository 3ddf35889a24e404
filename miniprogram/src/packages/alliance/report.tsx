import { Input, Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import { useCallback, useEffect, useState } from 'react';
import type { MemberRecord, ReportView, ServicePostView, UnitView } from '../../../../types/domain';
import { ApiCallError, call, errorMessage } from '../../api';
import { Choices, Field } from '../../components/Form';
import { PageShell } from '../../components/PageShell';
import { EmptyState, ErrorState, ListSkeleton } from '../../components/States';
import { StatusTag } from '../../components/StatusTag';
import { useConfirm } from '../../components/TextDialog';
import { currentCommunity, isMember, loadMe, useSession } from '../../store/session';
import { Button } from '../../ui';
import { heading, roleProps } from '../../utils/a11y';
import { REPORT_STATUS } from '../../utils/labels';
import { formatInstant } from '../../utils/time';
import { MemberRecordCard, openMemberRecord } from './shared';
import '../../styles/grievance.scss';
import '../../styles/alliance.scss';

const OTHER = '__other';

interface ReportForm {
  communityId: string;
  employer: string;
  employerName: string;
  partyOrg: string;
}
type FormErrors = Partial<Record<'communityId' | 'employer' | 'partyOrg', string>>;

function validate(f: ReportForm): FormErrors {
  const e: FormErrors = {};
  if (!f.communityId) e.communityId = '请选择报到的社区';
  if (!f.employer) e.employer = '请选择或填写工作单位';
  else if (f.employer === OTHER) {
    const n = f.employerName.trim().length;
    if (n < 2) e.employer = '工作单位至少 2 个字';
    else if (n > 60) e.employer = '工作单位最多 60 个字';
  }
  const p = f.partyOrg.trim().length;
  if (p < 2) e.partyOrg = '所在党组织至少 2 个字';
  else if (p > 60) e.partyOrg = '所在党组织最多 60 个字';
  return e;
}

/** 在职党员报到: my report and its status, service posts and my annual record. */
export default function ReportPage() {
  const { me } = useSession();
  const [report, setReport] = useState<{ active: ReportView | null; history: ReportView[] } | null>(null);
  const [record, setRecord] = useState<MemberRecord | null>(null);
  const [posts, setPosts] = useState<ServicePostView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [form, setForm] = useState<ReportForm>({
    communityId: '',
    employer: '',
    employerName: '',
    partyOrg: '',
  });
  const [errors, setErrors] = useState<FormErrors>({});
  const [units, setUnits] = useState<UnitView[]>([]);
  const { confirm, confirmDialog } = useConfirm();

  const load = useCallback(async () => {
    setError(null);
    try {
      const [m, r, rec] = await Promise.all([
        loadMe(),
        call('alliance', 'myReport', {}),
        call('alliance', 'memberRecord', {}).catch(() => null),
      ]);
      setReport(r);
      setRecord(rec);
      setForm((f) => (f.communityId ? f : { ...f, communityId: currentCommunity(m)?._id ?? '' }));
      if (r.active) {
        const p = await call('alliance', 'servicePosts', { communityId: r.active.communityId });
        setPosts(p.posts);
      } else setPosts(null);
    } catch (err) {
      setError(errorMessage(err));
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);
  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh());
  });

  // The employer list follows the chosen community (its allied units).
  const formCommunity = form.communityId;
  useEffect(() => {
    if (!formCommunity) return;
    call('alliance', 'listUnits', { communityId: formCommunity })
      .then((r) => setUnits(r.units))
      .catch(() => setUnits([]));
  }, [formCommunity]);

  const update = (patch: Partial<ReportForm>, field?: keyof FormErrors) => {
    setForm((f) => ({ ...f, ...patch }));
    if (field && errors[field]) setErrors((e) => ({ ...e, [field]: undefined }));
  };

  const submit = async () => {
    if (busy) return;
    const errs = validate(form);
    setErrors(errs);
    if (Object.keys(errs).length > 0) {
      Taro.showToast({ title: '请按提示修改后再提交', icon: 'none' });
      return;
    }
    setBusy(true);
    try {
      await call('alliance', 'reportToCommunity', {
        communityId: form.communityId,
        partyOrg: form.partyOrg.trim(),
        ...(form.employer === OTHER
          ? { employerName: form.employerName.trim() }
          : { employerUnitId: form.employer }),
      });
      Taro.showToast({ title: '已提交，等待社区确认', icon: 'none' });
      await load();
    } catch (err) {
      if (err instanceof ApiCallError && err.fields)
        setErrors({
          partyOrg: err.fields.partyOrg,
          employer: err.fields.employerName ?? err.fields.employerUnitId,
          communityId: err.fields.communityId,
        });
      Taro.showToast({ title: errorMessage(err), icon: 'none', duration: 3000 });
    } finally {
      setBusy(false);
    }
  };

  const withdraw = async (r: ReportView) => {
    if (busy) return;
    const ok = await confirm(
      '撤回报到？',
      `撤回后将不再是「${r.communityName}」的报到党员，担任的服务岗位也会一并卸任。`,
      '撤回',
    );
    if (!ok) return;
    setBusy(true);
    try {
      await call('alliance', 'withdrawReport', { reportId: r._id });
      Taro.showToast({ title: '已撤回', icon: 'success' });
      await load();
    } catch (err) {
      Taro.showToast({ title: errorMessage(err), icon: 'none', duration: 2500 });
    } finally {
      setBusy(false);
    }
  };

  const changePost = async (post: string, take: boolean) => {
    if (busy || !report?.active) return;
    if (!take && !(await confirm('卸任岗位？', `卸任「${post}」后可以再次认领。`, '卸任'))) return;
    setBusy(true);
    try {
      await (take ? call('alliance', 'takePost', { post }) : call('alliance', 'leavePost', { post }));
      Taro.showToast({ title: take ? '已认领岗位' : '已卸任', icon: 'success' });
      await load();
    } catch (err) {
      Taro.showToast({ title: errorMessage(err), icon: 'none', duration: 2500 });
    } finally {
      setBusy(false);
    }
  };

  if (error && !report) {
    return (
      <PageShell id="report-page">
        <ErrorState message={error} onRetry={() => void load()} />
      </PageShell>
    );
  }
  if (!report || !me) {
    return (
      <PageShell id="report-page">
        <ListSkeleton rows={2} />
      </PageShell>
    );
  }

  const active = report.active;
  const last = report.history[0];
  const member = isMember(me);

  let top;
  if (active) {
    const st = REPORT_STATUS[active.status];
    top = (
      <View className="card" id="report-status">
        <View className="alliance-card__head">
          <Text className="grievance-number" {...heading(2)}>
            {active.communityName}
          </Text>
          <StatusTag id="report-status-tag" label={st.label} tone={st.tone} />
        </View>
        <View className="alliance-card__line">
          <Text className="line-label">工作单位</Text>
          <Text>{active.employerName}</Text>
        </View>
        <View className="alliance-card__line">
          <Text className="line-label">所在党组织</Text>
          <Text>{active.partyOrg}</Text>
        </View>
        <View className="alliance-card__line">
          <Text className="line-label">{active.status === 'confirmed' ? '确认时间' : '提交时间'}</Text>
          <Text>{formatInstant(active.confirmedAt ?? active.createdAt)}</Text>
        </View>
        {active.status === 'pending' ? (
          <Text className="form-hint">社区工作者确认后即可认领服务岗位</Text>
        ) : null}
        <View className="alliance-card__actions">
          <Button
            id="report-withdraw"
            type="danger"
            fill="outline"
            size="small"
            disabled={busy}
            onClick={() => void withdraw(active)}
          >
            {active.status === 'pending' ? '撤回申请' : '撤回报到'}
          </Button>
        </View>
      </View>
    );
  } else if (!member) {
    top = (
      <EmptyState
        id="report-not-member"
        text="报到需要党员身份"
        hint="请联系社区工作者确认党员身份后再来报到"
        actionText="看看共治项目"
        onAction={() => Taro.redirectTo({ url: '/packages/alliance/index' })}
      />
    );
  } else {
    top = (
      <View id="report-form">
        {last && last.status === 'rejected' ? (
          <Text className="form-error" id="report-rejected" {...roleProps('status')}>
            上次报到（{last.communityName}）被退回：{last.reason ?? '未说明原因'}。可修改后重新报到。
          </Text>
        ) : null}
        <Field id="report-community" label="报到社区（居住地）" error={errors.communityId}>
          <Choices
            idPrefix="report-community"
            label="报到社区"
            items={me.communities.map((c) => ({ value: c._id, label: c.name }))}
            value={form.communityId}
            onChange={(v) => update({ communityId: v, employer: '' }, 'communityId')}
          />
        </Field>
        <Field
          id="report-employer"
          label="工作单位"
          error={errors.employer}
          hint="不在列表中请选“其他单位”并填写"
        >
          <Choices
            idPrefix="report-employer"
            label="工作单位"
            items={[
              ...units.map((u) => ({ value: u._id, label: u.name })),
              { value: OTHER, label: '其他单位' },
            ]}
            value={form.employer}
            onChange={(v) => update({ employer: v }, 'employer')}
          />
          {form.employer === OTHER ? (
            <Input
              id="report-employer-name"
              className="form-input"
              value={form.employerName}
              maxlength={60}
              placeholder="工作单位全称"
              aria-label="工作单位名称"
              nativeProps={{ 'aria-label': '工作单位名称' }}
              onInput={(e) => update({ employerName: e.detail.value }, 'employer')}
            />
          ) : null}
        </Field>
        <Field id="report-party-org" label="所在党组织" error={errors.partyOrg}>
          <Input
            id="report-party-org"
            className={`form-input ${errors.partyOrg ? 'form-invalid' : ''}`}
            value={form.partyOrg}
            maxlength={60}
            placeholder="如：区人民医院党委第二支部"
            aria-label="所在党组织"
            nativeProps={{ 'aria-label': '所在党组织' }}
            onInput={(e) => update({ partyOrg: e.detail.value }, 'partyOrg')}
          />
        </Field>
        <Button
          id="report-submit"
          className="block-btn"
          type="primary"
          size="large"
          block
          loading={busy}
          disabled={busy}
          onClick={() => void submit()}
        >
          提交报到
        </Button>
      </View>
    );
  }

  return (
    <PageShell id="report-page">
      <Text className="page-title" {...heading(1)}>
        在职党员报到
      </Text>
      {top}

      {active && posts ? (
        <View className="card" id="service-posts">
          <Text className="section-title" {...heading(2)}>
            服务岗位
          </Text>
          {active.status !== 'confirmed' ? <Text className="form-hint">报到确认后可认领服务岗位</Text> : null}
          {posts.length === 0 ? <Text className="muted">社区暂未设置服务岗位</Text> : null}
          {posts.map((p, i) => (
            <View key={p.name} id={`post-${i}`} className="alliance-row">
              <View className="alliance-row__main">
                <Text className="alliance-row__title">{p.name}</Text>
                <Text className="muted">{p.holders} 人在岗</Text>
              </View>
              {p.mine ? <StatusTag label="我在岗" tone="green" /> : null}
              {active.status === 'confirmed' ? (
                <Button
                  id={p.mine ? `post-leave-${i}` : `post-take-${i}`}
                  size="small"
                  type="primary"
                  fill={p.mine ? 'outline' : 'solid'}
                  disabled={busy}
                  aria-label={p.mine ? `卸任${p.name}` : `认领${p.name}`}
                  onClick={() => void changePost(p.name, !p.mine)}
                >
                  {p.mine ? '卸任' : '认领'}
                </Button>
              ) : null}
            </View>
          ))}
        </View>
      ) : null}

      {record ? (
        <MemberRecordCard record={record}>
          <Button id="open-member-record" size="small" fill="outline" onClick={() => openMemberRecord()}>
            导出年度记录
          </Button>
        </MemberRecordCard>
      ) : null}
      {confirmDialog}
    </PageShell>
  );
}
