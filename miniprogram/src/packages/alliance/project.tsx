import { Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh, useRouter } from '@tarojs/taro';
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import type { ClaimView, ProjectDetail } from '../../../../types/domain';
import { ApiCallError, call, errorMessage } from '../../api';
import type { UploadedPhoto } from '../../api/upload';
import { Field } from '../../components/Form';
import { PageShell } from '../../components/PageShell';
import { PhotoEditor, PhotoGrid } from '../../components/PhotoEditor';
import { PendingPage } from '../../components/States';
import { StatusTag } from '../../components/StatusTag';
import { TextDialog, useConfirm } from '../../components/TextDialog';
import { Button } from '../../ui';
import { heading, keyboardActivatable, roleProps } from '../../utils/a11y';
import { CLAIM_STATUS, PROJECT_PHASE, ratingText } from '../../utils/labels';
import { askSubscribe, canAskSubscribe } from '../../utils/subscribe';
import { formatInstant } from '../../utils/time';
import { placesText } from './shared';
import '../../styles/grievance.scss';
import '../../styles/alliance.scss';

type DialogKind = 'claim' | 'decline' | 'progress' | 'milestone' | 'complete' | 'rate';

interface DialogState {
  kind: DialogKind;
  text: string;
  photos: UploadedPhoto[];
  stars: number;
  claim?: ClaimView;
  error: string;
}

interface Spec {
  title: string;
  textLabel: string;
  placeholder: string;
  min: number;
  max: number;
  minMessage: string;
  submitText: string;
  photos?: boolean;
}

/** Limits and messages as the server checks them (allianceSchemas). */
const SPECS: Record<DialogKind, Spec> = {
  claim: {
    title: '认领项目',
    textLabel: '认领方案（做什么、谁来做、什么时候完成）',
    placeholder: '如：本院每月派 2 名医生到社区义诊，负责健康讲座与慢病随访',
    min: 10,
    max: 1000,
    minMessage: '认领方案至少 10 个字',
    submitText: '提交认领',
  },
  decline: {
    title: '不通过认领',
    textLabel: '不通过的理由（单位会看到）',
    placeholder: '如：方案与项目目标不符，请补充具体安排',
    min: 2,
    max: 200,
    minMessage: '请填写不通过的理由',
    submitText: '不通过',
  },
  progress: {
    title: '发布进展',
    textLabel: '进展情况',
    placeholder: '如：已完成第一次义诊，服务居民 45 人',
    min: 2,
    max: 500,
    minMessage: '请填写进展',
    submitText: '发布',
    photos: true,
  },
  milestone: {
    title: '标记里程碑',
    textLabel: '节点说明',
    placeholder: '如：第一阶段任务完成',
    min: 2,
    max: 200,
    minMessage: '请填写节点说明',
    submitText: '标记',
  },
  complete: {
    title: '完成项目',
    textLabel: '完成情况',
    placeholder: '如：全部任务完成，共服务居民 300 人次',
    min: 2,
    max: 500,
    minMessage: '请填写完成情况',
    submitText: '完成项目',
  },
  rate: {
    title: '评价项目',
    textLabel: '说说您的看法（可不填）',
    placeholder: '做得怎么样？',
    min: 0,
    max: 200,
    minMessage: '',
    submitText: '提交评价',
  },
};

const UPDATE_LABEL = { progress: '进展', milestone: '里程碑', completed: '项目完成' } as const;

function Line({ label, children, id }: { label: string; children: ReactNode; id?: string }) {
  return (
    <View className="fact" id={id}>
      <Text className="fact__label">{label}</Text>
      <View className="fact__value">{children}</View>
    </View>
  );
}

function StarPicker({ value, onChange }: { value: number; onChange: (n: number) => void }) {
  return (
    <View className="stars" aria-label="评分" {...roleProps('radiogroup')}>
      {[1, 2, 3, 4, 5].map((n) => (
        <View
          key={n}
          id={`rate-star-${n}`}
          className={`star ${n <= value ? 'star--on' : ''}`}
          aria-label={`${n} 星`}
          aria-checked={n === value}
          {...roleProps('radio')}
          {...keyboardActivatable(() => onChange(n))}
          onClick={() => onChange(n)}
        >
          <Text aria-hidden="true">{n <= value ? '★' : '☆'}</Text>
        </View>
      ))}
    </View>
  );
}

export default function ProjectPage() {
  const router = useRouter();
  const projectId = router.params.id ? decodeURIComponent(router.params.id) : '';
  const [detail, setDetail] = useState<ProjectDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [dialog, setDialog] = useState<DialogState | null>(null);
  const loaded = useRef(false);
  const tmplIds = useRef<string[]>([]);
  const { confirm, confirmDialog } = useConfirm();

  const load = useCallback(async () => {
    if (!projectId) {
      setError('没有找到这个项目，请返回重试');
      return;
    }
    setError(null);
    try {
      setDetail(await call('alliance', 'projectDetail', { projectId }));
      loaded.current = true;
    } catch (err) {
      setError(
        err instanceof ApiCallError && err.code === 'NOT_FOUND' ? '项目不存在或已被删除' : errorMessage(err),
      );
    }
  }, [projectId]);

  useEffect(() => {
    void load();
  }, [load]);
  useDidShow(() => {
    if (loaded.current) void load();
  });
  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh());
  });

  // Template ids for the claim result, fetched ahead: WeChat opens the dialog only within the tap.
  const canClaim = !!detail?.can.claim;
  useEffect(() => {
    if (!canClaim || !canAskSubscribe() || tmplIds.current.length > 0) return;
    call('notify', 'templates', { scene: 'projectClaim' })
      .then((r) => {
        tmplIds.current = r.templates.map((t) => t.templateId).slice(0, 3);
      })
      .catch((err: unknown) => console.warn('notify.templates failed', err));
  }, [canClaim]);

  /** Runs an action and shows the server's latest detail; false when it failed. */
  const run = async (doIt: () => Promise<ProjectDetail>, done: string): Promise<boolean> => {
    setBusy(true);
    try {
      setDetail(await doIt());
      Taro.showToast({ title: done, icon: 'success' });
      return true;
    } catch (err) {
      const msg = errorMessage(err);
      setDialog((d) => (d ? { ...d, error: msg } : d));
      Taro.showToast({ title: msg, icon: 'none', duration: 2500 });
      if (err instanceof ApiCallError && err.code === 'CONFLICT') void load();
      return false;
    } finally {
      setBusy(false);
    }
  };

  const open = (kind: DialogKind, claim?: ClaimView) =>
    setDialog({ kind, text: '', photos: [], stars: 0, claim, error: '' });
  const patch = (p: Partial<DialogState>) => setDialog((d) => (d ? { ...d, ...p, error: '' } : d));

  const approve = async (c: ClaimView) => {
    if (!detail || busy) return;
    const ok = await confirm('通过认领？', `通过后「${c.unitName}」将按方案参与项目。`, '通过');
    if (!ok) return;
    void run(
      () => call('alliance', 'reviewClaim', { projectId: detail._id, unitId: c.unitId, approve: true }),
      '已通过',
    );
  };

  const submit = async (d: DialogState) => {
    if (!detail || busy) return;
    const spec = SPECS[d.kind];
    const text = d.text.trim();
    if (d.kind === 'rate' && d.stars < 1) return setDialog({ ...d, error: '请选择 1–5 星' });
    if (spec.min > 0 && text.length < spec.min) return setDialog({ ...d, error: spec.minMessage });
    if (text.length > spec.max) return setDialog({ ...d, error: `最多 ${spec.max} 字` });
    const projectId = detail._id;

    // Irreversible: ask once more; the input is kept if they go back.
    const ask: [string, string, string] | null =
      d.kind === 'decline'
        ? ['确定不通过？', `「${d.claim?.unitName ?? ''}」会看到不通过的理由。`, '确定不通过']
        : d.kind === 'complete'
          ? ['确定完成项目？', '完成后不能再发布进展，将请各方评价。', '确定完成']
          : null;
    if (ask) {
      setDialog(null);
      const ok = await confirm(ask[0], ask[1], ask[2]);
      setDialog(d);
      if (!ok) return;
    }

    // Still inside the tap: ask to be told about the review (WeChat only).
    const asked =
      d.kind === 'claim' && canAskSubscribe() && tmplIds.current.length > 0
        ? askSubscribe('projectClaim', tmplIds.current)
        : null;
    if (asked) await asked;

    let ok = false;
    switch (d.kind) {
      case 'claim':
        ok = await run(() => call('alliance', 'claimProject', { projectId, plan: text }), '已提交认领');
        break;
      case 'decline':
        if (!d.claim) return;
        ok = await run(
          () =>
            call('alliance', 'reviewClaim', {
              projectId,
              unitId: d.claim?.unitId ?? '',
              approve: false,
              reason: text,
            }),
          '已不通过',
        );
        break;
      case 'progress':
        ok = await run(
          () => call('alliance', 'postProgress', { projectId, text, photos: d.photos.map((p) => p.fileId) }),
          '已发布',
        );
        break;
      case 'milestone':
        ok = await run(() => call('alliance', 'markMilestone', { projectId, text }), '已标记');
        break;
      case 'complete':
        ok = await run(() => call('alliance', 'completeProject', { projectId, summary: text }), '项目已完成');
        break;
      case 'rate':
        ok = await run(
          () =>
            call('alliance', 'rateProject', {
              projectId,
              stars: d.stars,
              ...(text ? { comment: text } : {}),
            }),
          '感谢评价',
        );
        break;
    }
    if (ok) setDialog(null);
  };

  if (!detail) return <PendingPage id="project-page" error={error} onRetry={() => void load()} />;

  const phase = PROJECT_PHASE[detail.phase];
  const can = detail.can;
  const spec = dialog ? SPECS[dialog.kind] : null;
  const footer: { id: string; label: string; kind: DialogKind; outline?: boolean }[] = [];
  if (can.claim) footer.push({ id: 'claim-project', label: '认领项目', kind: 'claim' });
  if (can.progress) footer.push({ id: 'post-progress', label: '发布进展', kind: 'progress' });
  if (can.milestone)
    footer.push({ id: 'mark-milestone', label: '标记里程碑', kind: 'milestone', outline: true });
  if (can.complete) footer.push({ id: 'complete-project', label: '完成项目', kind: 'complete' });
  if (can.rate) footer.push({ id: 'rate-project', label: '评价', kind: 'rate' });

  return (
    <PageShell id="project-page" withFooter={footer.length > 0}>
      <View className="card">
        <View className="alliance-card__head">
          <Text className="grievance-number" id="project-title" {...heading(1)}>
            {detail.title}
          </Text>
          <StatusTag id="project-phase" label={phase.label} tone={phase.tone} />
        </View>
      </View>

      <View className="facts" {...roleProps('group', { 'aria-label': '项目信息' })}>
        <Line label="截止" id="project-deadline">
          <Text>{formatInstant(detail.deadline)}</Text>
        </Line>
        <Line label="名额" id="project-places">
          <Text>{placesText(detail)}</Text>
        </Line>
        <Line label="已通过" id="project-approved">
          <Text>{detail.approvedClaims} 个单位</Text>
        </Line>
        <Line label="评价" id="project-rating">
          <Text className={detail.ratingCount > 0 ? 'star-display' : ''}>
            {ratingText(detail.avgRating, detail.ratingCount)}
          </Text>
          {detail.myRating ? (
            <Text className="muted" id="project-my-rating">
              {'\n'}我的评价：{detail.myRating} 星
            </Text>
          ) : null}
        </Line>
      </View>

      <View className="card">
        <Text className="section-title" {...heading(2)}>
          项目目标
        </Text>
        <Text className="grievance-text" id="project-goal">
          {detail.goal}
        </Text>
        <Text className="section-title" {...heading(2)}>
          任务
        </Text>
        <View id="project-tasks" {...roleProps('list')}>
          {detail.tasks.map((t, i) => (
            <Text key={`${i}-${t}`} className="alliance-list__item" {...roleProps('listitem')}>
              {i + 1}. {t}
            </Text>
          ))}
        </View>
        {detail.wanted ? (
          <>
            <Text className="section-title" {...heading(2)}>
              所需资金与资源
            </Text>
            <Text className="grievance-text" id="project-wanted">
              {detail.wanted}
            </Text>
          </>
        ) : null}
        {detail.needs.length > 0 ? (
          <>
            <Text className="section-title" {...heading(2)}>
              对应需求
            </Text>
            {detail.needs.map((n) => (
              <Text key={n._id} className="alliance-list__item">
                · {n.title}
              </Text>
            ))}
          </>
        ) : null}
      </View>

      <View className="card" id="project-claims">
        <Text className="section-title" {...heading(2)}>
          认领单位
        </Text>
        {detail.claims.length === 0 ? (
          <Text className="muted">{can.claim ? '还没有单位认领，欢迎本单位认领' : '还没有单位认领'}</Text>
        ) : (
          detail.claims.map((c) => {
            const st = CLAIM_STATUS[c.status];
            return (
              <View key={c._id} id={`claim-${c._id}`} className="alliance-row">
                <View className="alliance-row__main">
                  <View className="alliance-card__head">
                    <Text className="alliance-row__title">{c.unitName}</Text>
                    <StatusTag label={st.label} tone={st.tone} />
                  </View>
                  <Text className="timeline__note">{c.plan}</Text>
                  {c.reason ? <Text className="muted">理由：{c.reason}</Text> : null}
                  <Text className="timeline__meta">{formatInstant(c.createdAt)} 认领</Text>
                  {can.review && c.status === 'pending' ? (
                    <View className="alliance-card__actions">
                      <Button
                        id={`approve-${c._id}`}
                        size="small"
                        type="primary"
                        disabled={busy}
                        onClick={() => void approve(c)}
                      >
                        通过
                      </Button>
                      <Button
                        id={`decline-${c._id}`}
                        size="small"
                        type="primary"
                        fill="outline"
                        disabled={busy}
                        onClick={() => open('decline', c)}
                      >
                        不通过
                      </Button>
                    </View>
                  ) : null}
                </View>
              </View>
            );
          })
        )}
      </View>

      <View className="card">
        <Text className="section-title" {...heading(2)}>
          项目进展
        </Text>
        {detail.updates.length === 0 ? (
          <Text className="muted" id="progress-empty">
            暂无进展
          </Text>
        ) : (
          <View className="timeline" id="progress-list" {...roleProps('list')}>
            {detail.updates.map((u, i) => (
              <View
                key={`${u.at}-${i}`}
                id={`progress-${i}`}
                className="timeline__item"
                {...roleProps('listitem')}
              >
                <View className="timeline__dot" aria-hidden="true" />
                <View className="timeline__head">
                  <Text>{u.kind === 'progress' ? (u.unitName ?? '认领单位') : UPDATE_LABEL[u.kind]}</Text>
                  <StatusTag
                    label={UPDATE_LABEL[u.kind]}
                    tone={u.kind === 'completed' ? 'green' : u.kind === 'milestone' ? 'blue' : 'orange'}
                  />
                </View>
                <Text className="timeline__meta">{formatInstant(u.at)}</Text>
                <Text className="timeline__note">{u.text}</Text>
                <PhotoGrid urls={u.photoUrls} label="进展照片" />
              </View>
            ))}
          </View>
        )}
      </View>

      {footer.length > 0 ? (
        <View className="footer-bar">
          <View className="grievance-actions">
            {footer.map((b) => (
              <Button
                key={b.id}
                id={b.id}
                type="primary"
                fill={b.outline ? 'outline' : 'solid'}
                disabled={busy}
                onClick={() => open(b.kind)}
              >
                {b.label}
              </Button>
            ))}
          </View>
        </View>
      ) : null}

      {dialog && spec ? (
        <TextDialog
          title={spec.title}
          textLabel={spec.textLabel}
          text={dialog.text}
          onText={(v) => patch({ text: v })}
          placeholder={spec.placeholder}
          max={spec.max}
          error={dialog.error}
          busy={busy}
          submitText={spec.submitText}
          submitId={dialog.kind === 'rate' ? 'rate-submit' : 'action-dialog-submit'}
          danger={dialog.kind === 'decline'}
          onSubmit={() => void submit(dialog)}
          onClose={() => setDialog(null)}
        >
          {dialog.kind === 'decline' && dialog.claim ? (
            <Text className="muted">认领单位：{dialog.claim.unitName}</Text>
          ) : null}
          {dialog.kind === 'rate' ? (
            <Field id="rate-stars" label="给项目打分">
              <StarPicker value={dialog.stars} onChange={(n) => patch({ stars: n })} />
            </Field>
          ) : null}
          {spec.photos ? (
            <Field id="action-photos" label="照片（可不传）">
              <PhotoEditor id="action-photos" value={dialog.photos} onChange={(p) => patch({ photos: p })} />
            </Field>
          ) : null}
        </TextDialog>
      ) : null}
      {confirmDialog}
    </PageShell>
  );
}
