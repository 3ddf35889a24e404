import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useCallback, useEffect, useState } from 'react';
import type { ServiceDetail } from '../../../../types/service';
import { call, errorMessage } from '../../api';
import { Choices } from '../../components/Form';
import { PageShell } from '../../components/PageShell';
import { PhotoEditor, PhotoGrid } from '../../components/PhotoEditor';
import type { UploadedPhoto } from '../../api/upload';
import { StatusTag } from '../../components/StatusTag';
import { ErrorState, ListSkeleton } from '../../components/States';
import { TextDialog, useConfirm } from '../../components/TextDialog';
import { Button } from '../../ui';
import { heading } from '../../utils/a11y';
import { RATING_TAGS, STAGE_NAME, STAGE_TONE, whenText } from './labels';

const STARS = ['1', '2', '3', '4', '5'].map((v) => ({ value: v, label: `${v} 星` }));

/** The hours a taker can state: 0.5 h steps up to the planned duration (the cap on recorded hours). */
export const hourChoices = (planned: number) =>
  Array.from({ length: Math.max(1, Math.round(planned / 0.5)) }, (_, i) => {
    const h = (i + 1) * 0.5;
    return { value: String(h), label: `${h} 小时` };
  });

/** 需求详情: key facts, then the step the viewer can take (take / mark done / confirm and rate), the timeline. */
export default function ServiceRequestDetail() {
  const id = useRouter().params.id ?? '';
  const [d, setD] = useState<ServiceDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [stars, setStars] = useState('5');
  const [tags, setTags] = useState<string[]>([]);
  const { confirm, confirmDialog } = useConfirm();
  /** Reject (a reason) or dispatch (a choice of person or unit): the worker's dialogs; complete:
   *  the taker's done form (a note, the hours spent, up to 9 photos). */
  const [dialog, setDialog] = useState<null | 'reject' | 'dispatch' | 'complete'>(null);
  const [doneHours, setDoneHours] = useState('');
  const [donePhotos, setDonePhotos] = useState<UploadedPhoto[]>([]);
  const [reason, setReason] = useState('');
  const [dialogError, setDialogError] = useState('');
  const [options, setOptions] = useState<{ value: string; label: string }[]>([]);
  const [target, setTarget] = useState('');
  async function openDispatch() {
    setDialog('dispatch');
    setDialogError('');
    try {
      // The community's dispatch targets (workers, members, allied units) are the grievance ones.
      const { handlers } = await call('grievance', 'handlers', { communityId: d?.communityId });
      setOptions(
        handlers.map((o) => ({
          value: `${o.kind === 'unit' ? 'unit' : 'person'}:${o.id}`,
          label: `${o.name}（${o.description}）`,
        })),
      );
    } catch (e) {
      setDialogError(errorMessage(e));
    }
  }
  async function submitDialog() {
    setBusy(true);
    try {
      if (dialog === 'reject') {
        if (reason.trim().length < 2) return setDialogError('请填写未通过的原因');
        setD(await call('service', 'reject', { requestId: id, reason: reason.trim() }));
      } else if (dialog === 'complete') {
        if (reason.trim().length < 2) return setDialogError('请填写服务情况');
        setD(
          await call('service', 'complete', {
            requestId: id,
            note: reason.trim(),
            hours: Number(doneHours),
            photos: donePhotos.map((p) => p.fileId),
          }),
        );
      } else {
        if (!target) return setDialogError('请选择接单人');
        const [kind, who] = target.split(':') as ['person' | 'unit', string];
        setD(await call('service', 'dispatch', { requestId: id, to: { kind, id: who } }));
      }
      setDialog(null);
    } catch (e) {
      setDialogError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }
  const load = useCallback(() => {
    call('service', 'detail', { requestId: id })
      .then(setD)
      .catch((e) => setError(errorMessage(e)));
  }, [id]);
  useEffect(load, [load]);

  async function run(title: string, text: string, fn: () => Promise<ServiceDetail>) {
    if (!(await confirm(title, text, title))) return;
    setBusy(true);
    try {
      setD(await fn());
    } catch (e) {
      void Taro.showToast({ title: errorMessage(e), icon: 'none' });
    } finally {
      setBusy(false);
    }
  }

  if (error)
    return (
      <PageShell id="service-detail-page">
        <ErrorState message={error} onRetry={load} />
      </PageShell>
    );
  if (!d)
    return (
      <PageShell id="service-detail-page">
        <ListSkeleton />
      </PageShell>
    );
  const rating = { stars: Number(stars), tags };
  return (
    <PageShell id="service-detail-page">
      <View className="card">
        <View className="card-row">
          <Text className="page-title" {...heading(1)}>
            {d.categoryName}
          </Text>
          <StatusTag id="service-stage" label={d.stageName} tone={STAGE_TONE[d.stage]} />
        </View>
        <Text className="card-line">
          时间：{whenText(d.startAt)}（约 {d.durationHours} 小时）
        </Text>
        <Text className="card-line">地点：{d.address ?? d.area}</Text>
        {d.phoneMasked ? (
          <Text className="card-line">联系电话：{d.phoneMasked}（请通过站内消息联系）</Text>
        ) : null}
        <Text className="card-line">
          接单：{d.taken}/{d.slots}
          {d.takers.length ? ` · ${d.takers.map((t) => t.name).join('、')}` : ''}
        </Text>
        <Text className="card-body">{d.text}</Text>
        <PhotoGrid id="service-photos" urls={d.photoUrls} label="需求图片" />
        {d.rejectReason ? <Text className="form-error">未通过原因：{d.rejectReason}</Text> : null}
        {d.result ? (
          <>
            <Text className="card-line">
              服务情况：{d.result.note}（{d.result.hours} 小时）
            </Text>
            <PhotoGrid id="service-result-photos" urls={d.result.photoUrls} label="服务照片" />
          </>
        ) : null}
        {d.rating ? (
          <Text className="card-line">
            评价：{d.rating.stars} 星 {d.rating.tags.join('、')}
          </Text>
        ) : null}
      </View>
      {d.can.confirm || d.can.rate ? (
        <View className="card" id="service-rate">
          <Text className="section-title" {...heading(2)}>
            评价服务
          </Text>
          <Choices idPrefix="service-stars" label="评分" items={STARS} value={stars} onChange={setStars} />
          <Choices
            idPrefix="service-tags"
            label="标签"
            items={RATING_TAGS.map((t) => ({ value: t, label: t }))}
            value={tags}
            onChange={(t) => setTags((old) => (old.includes(t) ? old.filter((x) => x !== t) : [...old, t]))}
          />
        </View>
      ) : null}
      <View className="card" id="service-timeline">
        <Text className="section-title" {...heading(2)}>
          进度
        </Text>
        {d.timeline.map((e, i) => (
          <Text key={i} className="card-line">
            {whenText(e.at)} {e.note ?? ''}（{STAGE_NAME[e.stageAfter]}）
          </Text>
        ))}
      </View>
      <View className="bottom-actions">
        {d.can.approve ? (
          <Button
            id="service-approve"
            type="primary"
            block
            disabled={busy}
            onClick={() =>
              void run('审核通过', '通过后需求将公开，等待接单。', () =>
                call('service', 'approve', { requestId: id }),
              )
            }
          >
            审核通过
          </Button>
        ) : null}
        {d.can.reject ? (
          <Button
            id="service-reject"
            block
            disabled={busy}
            onClick={() => {
              setReason('');
              setDialogError('');
              setDialog('reject');
            }}
          >
            不通过
          </Button>
        ) : null}
        {d.can.dispatch ? (
          <Button id="service-dispatch" block disabled={busy} onClick={() => void openDispatch()}>
            派单
          </Button>
        ) : null}
        {d.can.take ? (
          <Button
            id="service-take"
            type="primary"
            block
            disabled={busy}
            onClick={() =>
              void run('确认接单', '接单后请按约定时间提供服务。', () =>
                call('service', 'take', { requestId: id }),
              )
            }
          >
            我来接单
          </Button>
        ) : null}
        {d.can.complete ? (
          <Button
            id="service-complete"
            type="primary"
            block
            disabled={busy}
            onClick={() => {
              setReason('');
              setDoneHours(String(d.durationHours));
              setDonePhotos([]);
              setDialogError('');
              setDialog('complete');
            }}
          >
            标记完成
          </Button>
        ) : null}
        {d.can.confirm ? (
          <Button
            id="service-confirm"
            type="primary"
            block
            disabled={busy}
            onClick={() =>
              void run('确认完成', '确认后将记录志愿服务时长，评价只能提交一次。', () =>
                call('service', 'confirm', { requestId: id, rating }),
              )
            }
          >
            确认完成并评价
          </Button>
        ) : null}
        {d.can.rate ? (
          <Button
            id="service-rate-submit"
            type="primary"
            block
            disabled={busy}
            onClick={() =>
              void run('提交评价', '评价只能提交一次。', () =>
                call('service', 'rate', { requestId: id, rating }),
              )
            }
          >
            提交评价
          </Button>
        ) : null}
        {d.can.cancel ? (
          <Button
            id="service-cancel"
            block
            disabled={busy}
            onClick={() =>
              void run('取消需求', '取消后不能恢复。', () => call('service', 'cancel', { requestId: id }))
            }
          >
            取消需求
          </Button>
        ) : null}
      </View>
      {dialog ? (
        <TextDialog
          title={dialog === 'reject' ? '不通过审核' : dialog === 'complete' ? '标记完成' : '派单'}
          {...(dialog === 'reject'
            ? { textLabel: '未通过的原因', text: reason, onText: setReason, max: 200, danger: true }
            : dialog === 'complete'
              ? { textLabel: '服务情况（2–300 字）', text: reason, onText: setReason, max: 300 }
              : {})}
          error={dialogError}
          busy={busy}
          submitText={dialog === 'reject' ? '确定不通过' : dialog === 'complete' ? '确认完成' : '确定派单'}
          onSubmit={() => void submitDialog()}
          onClose={() => setDialog(null)}
        >
          {dialog === 'complete' ? (
            <>
              <Choices
                idPrefix="service-done-hours"
                label="服务时长"
                items={hourChoices(d.durationHours)}
                value={doneHours}
                onChange={setDoneHours}
              />
              <Text className="form-hint">照片（可不传，最多 9 张）</Text>
              <PhotoEditor id="service-done-photos" value={donePhotos} onChange={setDonePhotos} />
            </>
          ) : null}
          {dialog === 'dispatch' ? (
            <Choices
              idPrefix="service-dispatch-to"
              label="接单人"
              items={options}
              value={target}
              onChange={setTarget}
            />
          ) : null}
        </TextDialog>
      ) : null}
      {confirmDialog}
    </PageShell>
  );
}
