/**
 * 导出 Excel: starts an export (report.startExport) — at once, or after the worker picks what to
 * export (kind, period, and for the roster whether it carries full identity, which needs a purpose
 * and a confirmation because it is recorded) — then polls exportStatus with a progress bar
 * (rows done / total) and hands the finished file on (weapp: openDocument; H5: download).
 * Opened from the participants, volunteers, grievance stats and alliance pages (./export-flow).
 */
import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ExportKind, ExportView } from '../../../../types/report';
import { call, errorMessage } from '../../api';
import { Field } from '../../components/Form';
import { PageShell } from '../../components/PageShell';
import { SegmentTabs, type Segment } from '../../components/SegmentTabs';
import { ErrorState, ListSkeleton } from '../../components/States';
import { useConfirm } from '../../components/TextDialog';
import { Button } from '../../ui';
import { heading, roleProps } from '../../utils/a11y';
import { formatInstant } from '../../utils/time';
import {
  ExportFileError,
  exportPeriod,
  nextPollDelay,
  openExportFile,
  PERIOD_LABEL,
  takesPeriod,
  type ExportPeriodChoice,
} from './export-flow';
import { SwitchRow, TextField, useWorkerCommunity } from './volunteer-shared';
import './export.scss';

/** The names of types/report EXPORT_KIND_NAMES (the app compiles only src/, so types are imported as types). */
const EXPORT_KIND_NAMES: Record<ExportKind, string> = {
  participants: '活动报名与签到',
  hours: '志愿服务时长',
  roster: '志愿者名册',
  grievances: '诉求台账',
  units: '共建单位记录',
  members: '在职党员报到记录',
};
const KINDS = Object.keys(EXPORT_KIND_NAMES) as ExportKind[];
const isKind = (v: string): v is ExportKind => (KINDS as string[]).includes(v);

/** 时长统计 goes by month or year; the other period kinds also by year. */
const PERIOD_CHOICES: ExportPeriodChoice[] = ['thisMonth', 'lastMonth', 'thisYear', 'lastYear'];

const KIND_LABEL: Partial<Record<ExportKind, string>> = { hours: '时长统计' };
const kindLabel = (k: ExportKind) => KIND_LABEL[k] ?? EXPORT_KIND_NAMES[k];

const decode = (v: string | undefined) => (v ? decodeURIComponent(v) : '');

export const PURPOSE_MIN = 2;

type Phase =
  | { at: 'choose' }
  | { at: 'starting' }
  | { at: 'running' | 'done' | 'failed'; view: ExportView }
  | { at: 'startError'; message: string };

function Progress({ view }: { view: ExportView }) {
  const pct = view.rowsTotal > 0 ? Math.min(100, Math.round((view.rowsDone / view.rowsTotal) * 100)) : 0;
  return (
    <View className="card export-card">
      <Text className="export-title">{view.title}</Text>
      <View
        className="progress"
        id="export-progress"
        aria-label="导出进度"
        {...roleProps('progressbar', {
          'aria-valuemin': 0,
          'aria-valuemax': view.rowsTotal,
          'aria-valuenow': view.rowsDone,
        })}
      >
        <View className="progress__bar" style={{ width: `${pct}%` }} />
      </View>
      <Text className="muted" id="export-rows" aria-live="polite">
        {view.rowsTotal > 0 ? `正在生成：已处理 ${view.rowsDone} / ${view.rowsTotal} 行` : '正在生成表格…'}
      </Text>
      <Text className="form-hint">可以留在本页等待，数据多时需要几十秒。</Text>
    </View>
  );
}

export default function ExportPage() {
  const router = useRouter();
  const kinds = decode(router.params.kinds ?? router.params.kind)
    .split(',')
    .filter(isKind);
  const activityId = decode(router.params.activityId);
  const askedPeriod = decode(router.params.period);
  const routeCommunity = decode(router.params.communityId);
  const worker = useWorkerCommunity();
  const communityId = routeCommunity || worker.communityId;

  const [kind, setKind] = useState<ExportKind | undefined>(kinds[0]);
  const [periodChoice, setPeriodChoice] = useState<ExportPeriodChoice>('thisMonth');
  const [fullIdentity, setFullIdentity] = useState(false);
  const [purpose, setPurpose] = useState('');
  const [purposeError, setPurposeError] = useState<string | undefined>();
  const [opening, setOpening] = useState(false);
  const [openError, setOpenError] = useState<string | null>(null);
  const { confirm, confirmDialog } = useConfirm();

  // Asks first when there is a choice to make; otherwise starts as soon as the community is known.
  const needsChoice = kinds.length > 1 || kind === 'roster' || (!!kind && takesPeriod(kind) && !askedPeriod);
  const [phase, setPhase] = useState<Phase>(needsChoice ? { at: 'choose' } : { at: 'starting' });

  const alive = useRef(true);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const stopPolling = () => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
  };
  useEffect(
    () => () => {
      alive.current = false;
      stopPolling();
    },
    [],
  );

  const poll = useCallback((exportId: string, polls: number, failures: number) => {
    timer.current = setTimeout(
      () => {
        timer.current = null;
        call('report', 'exportStatus', { exportId })
          .then((view) => {
            if (!alive.current) return;
            setPhase({ at: view.status, view });
            if (view.status === 'running') poll(exportId, polls + 1, 0);
          })
          .catch(() => {
            // A dropped poll is retried, more slowly each time; the export goes on meanwhile.
            if (alive.current) poll(exportId, polls + 1, Math.min(failures + 1, 4));
          });
      },
      nextPollDelay(polls, failures),
    );
  }, []);

  const start = useCallback(
    async (withPurpose?: string) => {
      if (!kind || !communityId) return;
      stopPolling();
      setOpenError(null);
      setPhase({ at: 'starting' });
      try {
        const period = takesPeriod(kind) ? askedPeriod || exportPeriod(periodChoice) : undefined;
        const view = await call('report', 'startExport', {
          kind,
          communityId,
          ...(kind === 'participants' ? { activityId } : {}),
          ...(period ? { period } : {}),
          ...(withPurpose ? { fullIdentity: true, purpose: withPurpose } : {}),
        });
        if (!alive.current) return;
        setPhase({ at: view.status, view });
        if (view.status === 'running') poll(view.exportId, 0, 0);
      } catch (err) {
        if (alive.current) setPhase({ at: 'startError', message: errorMessage(err) });
      }
    },
    [kind, communityId, askedPeriod, periodChoice, activityId, poll],
  );

  // Nothing to choose: start once the community is known.
  const autoStarted = useRef(false);
  useEffect(() => {
    if (needsChoice || autoStarted.current || !communityId || !kind) return;
    autoStarted.current = true;
    void start();
  }, [needsChoice, communityId, kind, start]);

  const submit = async () => {
    if (kind === 'roster' && fullIdentity) {
      const p = purpose.trim();
      if (p.length < PURPOSE_MIN) {
        setPurposeError('请填写导出用途（至少 2 个字），如：区民政局年度志愿者备案');
        return;
      }
      const ok = await confirm(
        '导出完整身份信息',
        `表格将包含志愿者的身份证号和手机号。本次导出的人员、时间和用途「${p}」会记入审计日志。请妥善保管文件，用完及时删除。`,
        '确认导出',
      );
      if (!ok) return;
      void start(p);
      return;
    }
    void start();
  };

  const openFile = async (view: ExportView) => {
    setOpening(true);
    setOpenError(null);
    try {
      // A link about to expire is renewed first (exportStatus signs a fresh one).
      let current = view;
      if (!current.url || (current.urlExpiresAt ?? 0) - Date.now() < 60_000) {
        current = await call('report', 'exportStatus', { exportId: view.exportId });
        if (alive.current) setPhase({ at: current.status, view: current });
      }
      if (!current.url) throw new ExportFileError('文件还没有生成好，请稍候');
      const outcome = await openExportFile(current.url, current.fileName);
      if (outcome === 'downloaded') Taro.showToast({ title: '已开始下载', icon: 'none' });
    } catch (err) {
      if (alive.current) setOpenError(err instanceof ExportFileError ? err.message : errorMessage(err));
    } finally {
      if (alive.current) setOpening(false);
    }
  };

  let body;
  if (!kind)
    body = <ErrorState message="没有找到要导出的内容，请返回重试" onRetry={() => Taro.navigateBack()} />;
  else if (!communityId && worker.error) body = <ErrorState message={worker.error} onRetry={worker.retry} />;
  else if (phase.at === 'choose') {
    const kindItems: Segment<ExportKind>[] = kinds.map((k) => ({ value: k, label: kindLabel(k) }));
    const periodItems: Segment<ExportPeriodChoice>[] = PERIOD_CHOICES.map((c) => ({
      value: c,
      label: PERIOD_LABEL[c],
    }));
    body = (
      <View id="export-choose">
        {kinds.length > 1 ? (
          <SegmentTabs
            label="导出内容"
            idPrefix="export-kind"
            items={kindItems}
            value={kind}
            onChange={setKind}
          />
        ) : null}
        {takesPeriod(kind) && !askedPeriod ? (
          <Field id="export-period" label={kind === 'hours' ? '统计期间（按月或按年）' : '期间'}>
            <SegmentTabs
              label="期间"
              idPrefix="export-period"
              items={periodItems}
              value={periodChoice}
              onChange={setPeriodChoice}
            />
          </Field>
        ) : null}
        {kind === 'roster' ? (
          <View className="form-field">
            <SwitchRow
              id="export-full-identity"
              label="含完整身份信息"
              checked={fullIdentity}
              onChange={(v) => {
                setFullIdentity(v);
                setPurposeError(undefined);
              }}
            />
            {fullIdentity ? (
              <>
                <Text className="export-warning" id="export-full-warning">
                  完整的身份证号和手机号只用于备案等必要用途。导出人、时间和用途会记入审计日志。
                </Text>
                <Field id="export-purpose" label="导出用途" error={purposeError}>
                  <TextField
                    id="export-purpose-input"
                    label="导出用途"
                    value={purpose}
                    max={100}
                    placeholder="如：区民政局年度志愿者备案"
                    invalid={!!purposeError}
                    onChange={(v) => {
                      setPurpose(v);
                      setPurposeError(undefined);
                    }}
                  />
                </Field>
              </>
            ) : (
              <Text className="form-hint">默认导出脱敏名册：身份证号、手机号只显示首尾几位。</Text>
            )}
          </View>
        ) : null}
        <Button
          id="export-start"
          className="block-btn export-btn"
          type="primary"
          block
          disabled={!communityId}
          onClick={() => void submit()}
        >
          开始导出
        </Button>
      </View>
    );
  } else if (phase.at === 'starting') body = <ListSkeleton rows={2} />;
  else if (phase.at === 'startError')
    body = (
      <ErrorState
        id="export-error"
        message={phase.message}
        onRetry={() => (needsChoice ? setPhase({ at: 'choose' }) : void start())}
      />
    );
  else if (phase.at === 'running') body = <Progress view={phase.view} />;
  else if (phase.at === 'failed')
    body = (
      <ErrorState
        id="export-error"
        message={phase.view.error ?? '导出失败，请重新导出'}
        onRetry={() => (needsChoice ? setPhase({ at: 'choose' }) : void start())}
      />
    );
  else {
    const { view } = phase;
    const weapp = process.env.TARO_ENV === 'weapp';
    body = (
      <View className="card export-card" id="export-done">
        <Text className="export-title">{view.title}</Text>
        <Text className="export-file" id="export-file-name">
          {view.fileName}
        </Text>
        <Text className="muted" id="export-rows">{`已生成，共 ${view.rowsTotal} 行`}</Text>
        {view.fullIdentity ? (
          <Text className="export-warning">含完整身份信息，请妥善保管，用完及时删除。</Text>
        ) : null}
        {view.urlExpiresAt ? (
          <Text className="form-hint">{`下载链接 ${formatInstant(view.urlExpiresAt)} 前有效，过期后点按钮会自动更新`}</Text>
        ) : null}
        {openError ? (
          <Text className="form-error" id="export-open-error" {...roleProps('alert')}>
            {openError}
          </Text>
        ) : null}
        <Button
          id="export-open"
          className="block-btn export-btn"
          type="primary"
          block
          loading={opening}
          disabled={opening}
          onClick={() => void openFile(view)}
        >
          {weapp ? '打开文件' : '下载文件'}
        </Button>
      </View>
    );
  }

  return (
    <PageShell id="export-page">
      <Text className="page-title" {...heading(1)}>
        {kind ? `导出${kindLabel(kind)}` : '导出 Excel'}
      </Text>
      <View id="export-body">{body}</View>
      {confirmDialog}
    </PageShell>
  );
}
