import { Input, Text, Textarea, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh, useRouter } from '@tarojs/taro';
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import type { GrievanceDetail, HandlerOption } from '../../../../types/api';
import type { Satisfaction } from '../../../../types/domain';
import { ApiCallError, call, errorMessage } from '../../api';
import { Choices, Field } from '../../components/Form';
import { GrievanceTags } from '../../components/GrievanceCard';
import { PageShell } from '../../components/PageShell';
import { PhotoEditor, PhotoGrid } from '../../components/PhotoEditor';
import { ListSkeleton, PendingPage } from '../../components/States';
import { StatusTag } from '../../components/StatusTag';
import { Button, Dialog } from '../../ui';
import { heading, roleProps } from '../../utils/a11y';
import {
  ACTOR_ROLE_LABEL,
  GRIEVANCE_STAGE,
  HANDLER_KIND_LABEL,
  SATISFACTION,
  SATISFACTION_LABEL,
  TIMELINE_ACTION_LABEL,
} from '../../utils/labels';
import { formatInstant } from '../../utils/time';
import { areaFor } from '../../utils/area-route';
import {
  ACTION_BUTTONS,
  DIALOGS,
  dialogError,
  emptyDialog,
  type DialogAction,
  type DialogState,
} from './actions';
import '../../styles/grievance.scss';

const CLOSED_STAGES = new Set(['resolved', 'rated', 'returned']);

interface Confirm {
  title: string;
  content: string;
  confirmText: string;
  run: () => Promise<void>;
  /** The input dialog to return to on 再想想. */
  back: DialogState;
}

function Line({ label, children, id }: { label: string; children: ReactNode; id?: string }) {
  return (
    <View className="fact" id={id}>
      <Text className="fact__label">{label}</Text>
      <View className="fact__value">{children}</View>
    </View>
  );
}

/** 须于 11月22日 周日 14:00 前办结 (+ 已超期 in red). */
function Deadline({ d }: { d: GrievanceDetail }) {
  if (CLOSED_STAGES.has(d.stage) || d.stage === 'escalated') return null;
  const accepting = d.stage === 'submitted';
  const due = d.dueAt ?? (accepting ? d.respondBy : d.resolveBy);
  if (!due) return null;
  return (
    <Text id="grievance-deadline" className={`grievance-deadline ${d.overdue ? 'grievance-overdue' : ''}`}>
      须于 {formatInstant(due)} 前{accepting ? '受理' : '办结'}
      {d.overdue ? '（已超期）' : ''}
    </Text>
  );
}

const handlerKey = (h: { kind: string; id: string }) => `${h.kind}:${h.id}`;

export default function GrievanceDetailPage() {
  const router = useRouter();
  const grievanceId = router.params.id ? decodeURIComponent(router.params.id) : '';
  const [detail, setDetail] = useState<GrievanceDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [phone, setPhone] = useState<string | null>(null);
  const [dialog, setDialog] = useState<DialogState | null>(null);
  const [confirm, setConfirm] = useState<Confirm | null>(null);
  const [handlers, setHandlers] = useState<HandlerOption[] | null>(null);
  const [areaHint, setAreaHint] = useState('');
  const loaded = useRef(false);

  const load = useCallback(async () => {
    if (!grievanceId) {
      setError('没有找到这条诉求，请返回重试');
      return;
    }
    setError(null);
    try {
      const d = await call('grievance', 'detail', { grievanceId });
      setDetail(d);
      loaded.current = true;
    } catch (err) {
      setError(
        err instanceof ApiCallError && err.code === 'NOT_FOUND'
          ? '诉求不存在或已被删除'
          : err instanceof ApiCallError && err.code === 'FORBIDDEN'
            ? '只有反映人和办理人员可以查看这条诉求'
            : errorMessage(err),
      );
    }
  }, [grievanceId]);

  useEffect(() => {
    void load();
  }, [load]);
  useDidShow(() => {
    if (loaded.current) void load();
  });
  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh());
  });

  /** Runs an action, then shows the latest detail (the server's answer, then a fresh load). */
  const run = async (doIt: () => Promise<GrievanceDetail>, done: string): Promise<boolean> => {
    setBusy(true);
    try {
      const d = await doIt();
      setDetail(d);
      Taro.showToast({ title: done, icon: 'success' });
      void load();
      return true;
    } catch (err) {
      Taro.showToast({ title: errorMessage(err), icon: 'none', duration: 2500 });
      if (err instanceof ApiCallError && err.code === 'CONFLICT') void load();
      return false;
    } finally {
      setBusy(false);
    }
  };

  const openDialog = (action: DialogAction) => {
    setDialog(emptyDialog(action));
    if (action === 'dispatch' && detail) {
      // 党员责任区: suggest the member who answers for the building the grievance names.
      call('branch', 'areas', { communityId: detail.communityId })
        .then((areas) => {
          const hit = areaFor(`${detail.location?.name ?? ''} ${detail.text}`, areas);
          setAreaHint(hit ? `${hit.building}的责任区党员：${hit.area.memberName}` : '');
          if (hit) patchDialog({ handler: `member:${hit.area.memberOpenid}` });
        })
        .catch(() => setAreaHint(''));
    }
    if (action === 'dispatch' && handlers === null && detail) {
      call('grievance', 'handlers', { communityId: detail.communityId })
        .then((r) => setHandlers(r.handlers))
        .catch((err: unknown) => {
          setHandlers([]);
          Taro.showToast({ title: errorMessage(err), icon: 'none' });
        });
    }
  };

  const patchDialog = (patch: Partial<DialogState>) =>
    setDialog((d) => (d ? { ...d, ...patch, error: '' } : d));

  const submitDialog = async (d: DialogState) => {
    if (!detail) return;
    const msg = dialogError(d);
    if (msg) {
      setDialog({ ...d, error: msg });
      return;
    }
    const id = detail._id;
    const text = d.text.trim();
    const photos = d.photos.map((p) => p.fileId);
    const perform = async (): Promise<void> => {
      let ok = false;
      switch (d.action) {
        case 'supplyInfo':
          ok = await run(() => call('grievance', 'supplyInfo', { grievanceId: id, text, photos }), '已补充');
          break;
        case 'rate':
          ok = await run(
            () =>
              call('grievance', 'rate', {
                grievanceId: id,
                satisfaction: d.satisfaction as Satisfaction,
                ...(text ? { comment: text } : {}),
              }),
            '感谢评价',
          );
          break;
        case 'returnGrievance':
          ok = await run(
            () => call('grievance', 'returnGrievance', { grievanceId: id, reason: text }),
            '已退回',
          );
          break;
        case 'dispatch': {
          const h = (handlers ?? []).find((x) => handlerKey(x) === d.handler);
          if (!h) return;
          ok = await run(
            () => call('grievance', 'dispatch', { grievanceId: id, handler: { kind: h.kind, id: h.id } }),
            '已派单',
          );
          break;
        }
        case 'askInfo':
          ok = await run(
            () => call('grievance', 'askInfo', { grievanceId: id, question: text }),
            '已通知居民',
          );
          break;
        case 'progress':
          ok = await run(
            () => call('grievance', 'progress', { grievanceId: id, note: text, photos }),
            '已更新',
          );
          break;
        case 'resolve':
          ok = await run(
            () => call('grievance', 'resolve', { grievanceId: id, result: text, photos }),
            '已办结',
          );
          break;
        case 'requestExtension':
          ok = await run(
            () =>
              call('grievance', 'requestExtension', {
                grievanceId: id,
                hours: Number(d.hours),
                reason: text,
              }),
            '已提交申请',
          );
          break;
      }
      setDialog(ok ? null : d);
    };

    // Irreversible: ask once more (the dialog's input is kept if they go back).
    let ask: Omit<Confirm, 'run' | 'back'> | null = null;
    if (d.action === 'returnGrievance')
      ask = {
        title: '确定退回？',
        content: '退回后这条诉求即结束，居民会看到退回原因。',
        confirmText: '确定退回',
      };
    else if (d.action === 'resolve')
      ask = { title: '确定办结？', content: '办结后将请居民评价，不能再更新进展。', confirmText: '确定办结' };
    else if (d.action === 'rate' && d.satisfaction === 'dissatisfied')
      ask = {
        title: '选择不满意？',
        content: '选择不满意后，这条诉求将退回重办，并优先处理。',
        confirmText: '确定不满意',
      };
    if (ask) {
      setDialog(null);
      setConfirm({
        ...ask,
        back: d,
        run: async () => {
          setConfirm(null);
          setDialog(d);
          await perform();
        },
      });
      return;
    }
    await perform();
  };

  const direct = (name: 'accept' | 'start') => {
    if (!detail || busy) return;
    const grievanceId = detail._id;
    if (name === 'accept') void run(() => call('grievance', 'accept', { grievanceId }), '已受理');
    else void run(() => call('grievance', 'start', { grievanceId }), '已开始办理');
  };

  const decide = (approve: boolean) => {
    if (!detail || busy) return;
    const grievanceId = detail._id;
    void run(
      () => call('grievance', 'decideExtension', { grievanceId, approve }),
      approve ? '已同意延期' : '已不同意延期',
    );
  };

  const togglePhone = async () => {
    if (!detail) return;
    if (phone) {
      setPhone(null);
      return;
    }
    try {
      const r = await call('grievance', 'revealPhone', { grievanceId: detail._id });
      if (r.phone) setPhone(r.phone);
      else Taro.showToast({ title: '没有留联系电话', icon: 'none' });
    } catch (err) {
      Taro.showToast({ title: errorMessage(err), icon: 'none' });
    }
  };

  if (!detail) return <PendingPage id="grievance-detail-page" error={error} onRetry={() => void load()} />;

  const stage = GRIEVANCE_STAGE[detail.stage];
  const handlerName = detail.handler?.name ?? detail.handlerName;
  const actions = ACTION_BUTTONS.filter((a) => detail.can[a.name]);
  const spec = dialog ? DIALOGS[dialog.action] : null;

  return (
    <PageShell id="grievance-detail-page">
      <View className="card">
        <View className="grievance-head">
          <View>
            <Text className="grievance-number" id="grievance-number" {...heading(1)}>
              {detail.categoryName}诉求
            </Text>
            <Text className="muted" id="grievance-number-text">
              {'\n'}编号 {detail.number}
            </Text>
          </View>
          <View id="grievance-stage" {...roleProps('group', { 'aria-label': `状态：${stage.label}` })}>
            <GrievanceTags item={detail} />
          </View>
        </View>
        <Deadline d={detail} />
        {detail.awaitingInfo && detail.viewer === 'owner' ? (
          <Text className="form-error" id="grievance-awaiting" {...roleProps('status')}>
            工作人员请您补充信息，请点下方“补充信息”
          </Text>
        ) : null}
      </View>

      <View className="facts" {...roleProps('group', { 'aria-label': '诉求信息' })}>
        <Line label="类别" id="grievance-category">
          <Text>{detail.categoryName}</Text>
        </Line>
        <Line label="提交时间" id="grievance-created">
          <Text>{formatInstant(detail.createdAt)}</Text>
        </Line>
        {detail.location ? (
          <Line label="地点" id="grievance-location">
            <Text>{detail.location.name}</Text>
          </Line>
        ) : null}
        {detail.phoneMasked ? (
          <Line label="联系电话" id="grievance-phone">
            <View className="phone-row">
              <Text id="grievance-phone-value">{phone ?? detail.phoneMasked}</Text>
              {detail.viewer === 'owner' ? (
                <Button
                  id="reveal-phone"
                  size="small"
                  fill="outline"
                  aria-label={phone ? '隐藏完整号码' : '显示完整号码'}
                  onClick={() => void togglePhone()}
                >
                  {phone ? '隐藏' : '显示'}
                </Button>
              ) : null}
            </View>
          </Line>
        ) : null}
        <Line label="承办" id="grievance-handler">
          <Text>
            {handlerName
              ? `${handlerName}${detail.handler ? `（${HANDLER_KIND_LABEL[detail.handler.kind]}）` : ''}`
              : '尚未派单'}
          </Text>
        </Line>
        <Line label="公开展示" id="grievance-public">
          <Text>{detail.isPublic ? '同意（已隐去个人信息）' : '不公开'}</Text>
        </Line>
      </View>

      <View className="card">
        <Text className="section-title" {...heading(2)}>
          问题描述
        </Text>
        <Text className="grievance-text" id="grievance-text">
          {detail.text}
        </Text>
        <PhotoGrid id="grievance-photos" urls={detail.photoUrls} label="诉求照片" />
      </View>

      {detail.extension ? (
        <View className="card" id="grievance-extension">
          <Text className="section-title" {...heading(2)}>
            延期申请
          </Text>
          <Text>
            申请延长 {detail.extension.hours} 小时：{detail.extension.reason}
            {'\n'}
          </Text>
          <StatusTag
            label={
              detail.extension.status === 'pending'
                ? '待审批'
                : detail.extension.status === 'approved'
                  ? '已同意'
                  : '未同意'
            }
            tone={
              detail.extension.status === 'pending'
                ? 'orange'
                : detail.extension.status === 'approved'
                  ? 'green'
                  : 'grey'
            }
          />
          <Text className="muted">
            {'  '}
            {formatInstant(detail.extension.requestedAt)} 申请
          </Text>
        </View>
      ) : null}

      {detail.rating ? (
        <View className="card" id="grievance-rating">
          <Text className="section-title" {...heading(2)}>
            居民评价
          </Text>
          <Text className="fact__value--key">{SATISFACTION_LABEL[detail.rating.satisfaction]}</Text>
          {detail.rating.comment ? (
            <Text className="grievance-text">{`\n${detail.rating.comment}`}</Text>
          ) : null}
        </View>
      ) : null}

      {actions.length > 0 || detail.can.decideExtension ? (
        <View className="card" id="grievance-actions">
          <Text className="section-title" {...heading(2)}>
            {detail.viewer === 'owner' ? '我可以' : '办理'}
          </Text>
          <View className="grievance-actions">
            {actions.map((a) =>
              a.name === 'accept' || a.name === 'start' ? (
                <Button
                  key={a.name}
                  id={`action-${a.name}`}
                  type="primary"
                  disabled={busy}
                  loading={busy}
                  onClick={() => direct(a.name as 'accept' | 'start')}
                >
                  {a.label}
                </Button>
              ) : (
                <Button
                  key={a.name}
                  id={`action-${a.name}`}
                  type={a.name === 'returnGrievance' ? 'danger' : 'primary'}
                  fill={a.primary ? 'solid' : 'outline'}
                  disabled={busy}
                  onClick={() => openDialog(a.name as DialogAction)}
                >
                  {a.label}
                </Button>
              ),
            )}
            {detail.can.decideExtension ? (
              <>
                <Button
                  id="action-decideExtension"
                  type="primary"
                  disabled={busy}
                  onClick={() => decide(true)}
                >
                  同意延期
                </Button>
                <Button
                  id="action-decideExtension-reject"
                  type="primary"
                  fill="outline"
                  disabled={busy}
                  onClick={() => decide(false)}
                >
                  不同意
                </Button>
              </>
            ) : null}
          </View>
        </View>
      ) : null}

      <View className="card">
        <Text className="section-title" {...heading(2)}>
          办理过程
        </Text>
        <View className="timeline" id="grievance-timeline" {...roleProps('list')}>
          {detail.timeline.map((t, i) => (
            <View
              key={`${t.at}-${i}`}
              id={`timeline-${i}`}
              className="timeline__item"
              {...roleProps('listitem')}
            >
              <View className="timeline__dot" aria-hidden="true" />
              <View className="timeline__head">
                <Text>{TIMELINE_ACTION_LABEL[t.action]}</Text>
                <StatusTag
                  label={GRIEVANCE_STAGE[t.stageAfter].label}
                  tone={GRIEVANCE_STAGE[t.stageAfter].tone}
                />
              </View>
              <Text className="timeline__meta">
                {ACTOR_ROLE_LABEL[t.actorRole]} · {formatInstant(t.at)}
              </Text>
              {t.note ? <Text className="timeline__note">{t.note}</Text> : null}
              {t.photoUrls && t.photoUrls.length > 0 ? (
                <PhotoGrid urls={t.photoUrls} label={`${TIMELINE_ACTION_LABEL[t.action]}照片`} />
              ) : null}
            </View>
          ))}
        </View>
      </View>

      {dialog && spec ? (
        <Dialog
          id="action-dialog"
          visible
          title={spec.title}
          closeOnOverlayClick={false}
          onClose={() => setDialog(null)}
          footer={
            <View className="grievance-actions">
              <Button id="action-dialog-cancel" fill="outline" onClick={() => setDialog(null)}>
                取消
              </Button>
              <Button
                id={dialog.action === 'rate' ? 'rate-submit' : 'action-dialog-submit'}
                type={dialog.action === 'returnGrievance' ? 'danger' : 'primary'}
                loading={busy}
                disabled={busy}
                onClick={() => void submitDialog(dialog)}
              >
                {spec.submitText}
              </Button>
            </View>
          }
          content={
            <View className="action-dialog">
              {dialog.action === 'rate' ? (
                <Field id="rate-choice" label="对办理结果满意吗？">
                  <Choices
                    idPrefix="rate"
                    label="满意程度"
                    items={SATISFACTION}
                    value={dialog.satisfaction}
                    onChange={(v) => patchDialog({ satisfaction: v })}
                  />
                </Field>
              ) : null}
              {dialog.action === 'dispatch' ? (
                <Field id="dispatch-handler" label="交给谁办理">
                  {areaHint ? (
                    <Text className="form-hint" id="dispatch-area-hint">
                      {areaHint}
                    </Text>
                  ) : null}
                  {handlers === null ? (
                    <ListSkeleton rows={1} />
                  ) : handlers.length === 0 ? (
                    <Text className="muted">暂无可派单的承办人</Text>
                  ) : (
                    <Choices
                      idPrefix="dispatch-handler"
                      label="承办人"
                      items={handlers.map((h) => ({
                        value: handlerKey(h),
                        label: `${h.name}（${HANDLER_KIND_LABEL[h.kind]}）`,
                      }))}
                      value={dialog.handler}
                      onChange={(v) => patchDialog({ handler: v })}
                    />
                  )}
                </Field>
              ) : null}
              {dialog.action === 'requestExtension' ? (
                <Field id="extension-hours" label="延长多少小时（最多 720）">
                  <Input
                    id="extension-hours"
                    className="form-input"
                    type="number"
                    value={dialog.hours}
                    aria-label="延长小时数"
                    nativeProps={{ 'aria-label': '延长小时数', inputmode: 'numeric' }}
                    onInput={(e) => patchDialog({ hours: e.detail.value })}
                  />
                </Field>
              ) : null}
              {spec.textLabel ? (
                <Field id="action-text" label={spec.textLabel}>
                  <Textarea
                    id="action-text"
                    className="form-textarea"
                    value={dialog.text}
                    maxlength={spec.max}
                    placeholder={spec.placeholder}
                    aria-label={spec.textLabel}
                    nativeProps={{ 'aria-label': spec.textLabel }}
                    onInput={(e) => patchDialog({ text: e.detail.value })}
                  />
                </Field>
              ) : null}
              {spec.photos ? (
                <Field id="action-photos" label="照片（可不传）">
                  <PhotoEditor
                    id="action-photos"
                    value={dialog.photos}
                    onChange={(p) => patchDialog({ photos: p })}
                  />
                </Field>
              ) : null}
              {dialog.error ? (
                <Text className="form-error" id="action-dialog-error" {...roleProps('alert')}>
                  {dialog.error}
                </Text>
              ) : null}
            </View>
          }
        />
      ) : null}

      {confirm ? (
        <Dialog
          id="confirm-dialog"
          visible
          title={confirm.title}
          content={confirm.content}
          confirmText={confirm.confirmText}
          cancelText="再想想"
          onConfirm={() => void confirm.run()}
          onCancel={() => {
            setConfirm(null);
            setDialog(confirm.back);
          }}
          onClose={() => setConfirm(null)}
        />
      ) : null}
    </PageShell>
  );
}
