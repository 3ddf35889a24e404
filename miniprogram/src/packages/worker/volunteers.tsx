import { Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh, useRouter } from '@tarojs/taro';
import { useCallback, useEffect, useState } from 'react';
import type {
  CorrectionStatus,
  CorrectionView,
  MakeupStatus,
  MakeupView,
  RegistrationStatus,
  RegistrationView,
  VolunteerSettings,
} from '../../../../types/volunteer';
import { ApiCallError, call, errorMessage } from '../../api';
import { Field } from '../../components/Form';
import { DataTable } from '../../components/DataTable';
import { PageShell } from '../../components/PageShell';
import { SegmentTabs, type Segment } from '../../components/SegmentTabs';
import { EmptyState, ErrorState, ListSkeleton, PagedBody } from '../../components/States';
import { TextDialog, reasonError, useConfirm, usePendingText } from '../../components/TextDialog';
import { usePagedList } from '../../hooks/usePagedList';
import { Button, Dialog } from '../../ui';
import { heading, roleProps } from '../../utils/a11y';
import { formatInstant, formatRange } from '../../utils/time';
import {
  CORRECTION_FIELD,
  CORRECTION_STATUS,
  CardHead,
  InfoLine,
  MAKEUP_STATUS,
  REGISTRATION_STATUS,
  SwitchRow,
  TextField,
  lengthError,
  useWorkerCommunity,
} from './volunteer-shared';
import { openExport } from './export-flow';

type Tab = RegistrationStatus | 'corrections' | 'makeups' | 'settings';
const TABS: Segment<Tab>[] = [
  { value: 'pending', label: '待审核' },
  { value: 'approved', label: '已通过' },
  { value: 'rejected', label: '未通过' },
  { value: 'corrections', label: '更正申请' },
  { value: 'makeups', label: '补卡申请' },
  { value: 'settings', label: '积分规则' },
];
const isTab = (v: string | undefined): v is Tab => TABS.some((t) => t.value === v);

const toast = (title: string) => Taro.showToast({ title, icon: 'none', duration: 2500 });

function Tags({ items, empty }: { items: string[]; empty: string }) {
  if (items.length === 0) return <Text>{empty}</Text>;
  return (
    <View className="vw-tags">
      {items.map((s) => (
        <Text key={s} className="vw-chip">
          {s}
        </Text>
      ))}
    </View>
  );
}

/** Cursor-paged `pageSize: 20` request of one community's items in one status. */
const pageOf = <S extends string>(communityId: string, status: S, cursor: string | undefined) => ({
  communityId,
  status,
  pageSize: 20,
  ...(cursor ? { cursor } : {}),
});

/**
 * 通过 (after a confirmation) / 不通过 (with a reason) of one item through `send`; the list is
 * reloaded after either. `rejectDialog` renders the reason dialog while it is open.
 */
function useReview<T>(
  send: (item: T, approve: boolean, reason?: string) => Promise<unknown>,
  approvedTitle: string,
  reload: () => Promise<void>,
) {
  const [busy, setBusy] = useState(false);
  const reject = usePendingText<T>();
  const { confirm, confirmDialog } = useConfirm();

  const review = async (item: T, approve: boolean, reason?: string): Promise<string | null> => {
    setBusy(true);
    try {
      await send(item, approve, reason);
      Taro.showToast({ title: approve ? approvedTitle : '已退回', icon: 'success' });
      void reload();
      return null;
    } catch (err) {
      return errorMessage(err);
    } finally {
      setBusy(false);
    }
  };

  const approve = async (item: T, title: string, message: string) => {
    if (!(await confirm(title, message, '通过'))) return;
    const error = await review(item, true);
    if (error) toast(error);
  };

  const rejectDialog = (texts: (item: T) => { title: string; textLabel: string; placeholder: string }) =>
    reject.pending && reject.bind ? (
      <TextDialog
        {...texts(reject.pending.item)}
        {...reject.bind}
        max={200}
        busy={busy}
        submitText="不通过"
        danger
        onSubmit={() =>
          void reject.submit(
            (reason) => reasonError(reason, '请填写不通过的理由'),
            (item, reason) => review(item, false, reason),
          )
        }
      />
    ) : null;

  return { busy, setBusy, approve, openReject: reject.open, rejectDialog, confirmDialog };
}

/** The 通过 / 不通过 pair of a pending item (aria-labels name the item when `what` is given). */
function ReviewButtons({
  approveId,
  rejectId,
  what,
  busy,
  approveText = '通过',
  rejectText = '不通过',
  onApprove,
  onReject,
}: {
  approveId: string;
  rejectId: string;
  what?: string;
  busy: boolean;
  approveText?: string;
  rejectText?: string;
  onApprove: () => void;
  onReject: () => void;
}) {
  return (
    <>
      <Button
        id={approveId}
        type="primary"
        disabled={busy}
        aria-label={what ? `${approveText} ${what}` : undefined}
        onClick={onApprove}
      >
        {approveText}
      </Button>
      <Button
        id={rejectId}
        fill="outline"
        disabled={busy}
        aria-label={what ? `${rejectText} ${what}` : undefined}
        onClick={onReject}
      >
        {rejectText}
      </Button>
    </>
  );
}

// ---------- registrations (待审核 / 已通过 / 未通过) ----------

function Registrations({ communityId, status }: { communityId: string; status: RegistrationStatus }) {
  const reveal = usePendingText<RegistrationView>();
  const [revealed, setRevealed] = useState<{ name: string; idNumber: string; phone: string } | null>(null);
  const list = usePagedList(
    (cursor) => call('volunteer', 'listRegistrations', pageOf(communityId, status, cursor)),
    `${communityId}|${status}`,
  );
  const { busy, setBusy, approve, openReject, rejectDialog, confirmDialog } = useReview(
    (r: RegistrationView, ok, reason) =>
      call('volunteer', 'reviewRegistration', {
        openid: r.openid,
        approve: ok,
        ...(reason ? { reason } : {}),
      }),
    '已通过',
    list.reload,
  );

  const submitReveal = () =>
    reveal.submit(
      (purpose) => lengthError('查看用途', purpose, 2, 100),
      async (item, purpose) => {
        setBusy(true);
        try {
          setRevealed(await call('volunteer', 'revealIdentity', { openid: item.openid, purpose }));
        } finally {
          setBusy(false);
        }
      },
    );

  return (
    <View id="registration-list" aria-live="polite">
      <DataTable
        id="registration-table"
        caption="志愿者登记"
        rows={list.items}
        rowKey={(r) => r.openid}
        total={list.total}
        hasMore={list.hasMore}
        onLoadMore={() => void list.loadMore()}
        columns={[
          { key: 'name', title: '姓名', render: (r) => r.name, sortValue: (r) => r.name },
          { key: 'id', title: '身份证', render: (r) => r.idMasked },
          { key: 'phone', title: '手机', render: (r) => r.phoneMasked },
          { key: 'skills', title: '技能特长', render: (r) => r.skills.join('、') || '未填写' },
          {
            key: 'submitted',
            title: '提交时间',
            render: (r) => formatInstant(r.submittedAt),
            sortValue: (r) => r.submittedAt,
          },
          {
            key: 'status',
            title: '状态',
            render: (r) => REGISTRATION_STATUS[r.status].label,
            sortValue: (r) => r.status,
          },
          {
            key: 'actions',
            title: '操作',
            render: (r) => (
              <View className="data-table__actions">
                {r.status === 'pending' ? (
                  <ReviewButtons
                    approveId={`approve-desk-${r.openid}`}
                    rejectId={`reject-desk-${r.openid}`}
                    what={`${r.name} 的登记`}
                    busy={busy}
                    onApprove={() =>
                      void approve(
                        r,
                        '通过实名登记',
                        `确认 ${r.name} 的登记信息无误并通过？通过后对方会收到通知，可以报名志愿服务。`,
                      )
                    }
                    onReject={() => openReject(r)}
                  />
                ) : null}
                <Button
                  id={`reveal-desk-${r.openid}`}
                  fill="outline"
                  size="small"
                  disabled={busy}
                  aria-label={`查看 ${r.name} 的完整身份信息`}
                  onClick={() => reveal.open(r)}
                >
                  查看完整信息
                </Button>
              </View>
            ),
          },
        ]}
      >
        <PagedBody
          list={list}
          empty={
            <EmptyState
              id="registrations-empty"
              text={
                status === 'pending'
                  ? '没有待审核的志愿者登记'
                  : status === 'approved'
                    ? '还没有通过审核的志愿者'
                    : '没有未通过的登记'
              }
              hint={status === 'pending' ? '居民提交实名登记后会出现在这里' : undefined}
            />
          }
          renderItem={(r) => {
            const st = REGISTRATION_STATUS[r.status];
            return (
              <View key={r.openid} id={`registration-${r.openid}`} className="card">
                <CardHead title={r.name} label={st.label} tone={st.tone} />
                <InfoLine label="身份证" id={`registration-${r.openid}-id`}>
                  {r.idMasked}
                </InfoLine>
                <InfoLine label="手机" id={`registration-${r.openid}-phone`}>
                  {r.phoneMasked}
                </InfoLine>
                <InfoLine label="技能特长">
                  <Tags items={r.skills} empty="未填写" />
                </InfoLine>
                {r.preferences.length > 0 ? (
                  <InfoLine label="服务意向">
                    <Tags items={r.preferences} empty="未填写" />
                  </InfoLine>
                ) : null}
                <InfoLine label="提交时间">{formatInstant(r.submittedAt)}</InfoLine>
                {r.status === 'rejected' && r.rejectReason ? (
                  <InfoLine label="未通过理由">{r.rejectReason}</InfoLine>
                ) : null}
                <View className="vw-actions">
                  {r.status === 'pending' ? (
                    <ReviewButtons
                      approveId={`approve-${r.openid}`}
                      rejectId={`reject-${r.openid}`}
                      what={`${r.name} 的登记`}
                      busy={busy}
                      onApprove={() =>
                        void approve(
                          r,
                          '通过实名登记',
                          `确认 ${r.name} 的登记信息无误并通过？通过后对方会收到通知，可以报名志愿服务。`,
                        )
                      }
                      onReject={() => openReject(r)}
                    />
                  ) : null}
                  <Button
                    id={`reveal-${r.openid}`}
                    fill="outline"
                    disabled={busy}
                    aria-label={`查看 ${r.name} 的完整身份信息`}
                    onClick={() => reveal.open(r)}
                  >
                    查看完整信息
                  </Button>
                </View>
              </View>
            );
          }}
        />
      </DataTable>
      {rejectDialog((r) => ({
        title: `不通过 ${r.name} 的登记`,
        textLabel: '不通过的理由（对方会看到，修改后可重新提交）',
        placeholder: '如：身份证号码与姓名不一致，请核对后重新提交',
      }))}
      {reveal.pending && reveal.bind ? (
        <TextDialog
          title="查看完整信息"
          textLabel="查看用途（必填）"
          {...reveal.bind}
          placeholder="如：为其开具志愿服务证明"
          max={100}
          busy={busy}
          submitText="查看"
          submitId="reveal-submit"
          onSubmit={() => void submitReveal()}
        >
          <Text className="vw-notice" id="reveal-notice">
            {`将显示 ${reveal.pending.item.name} 的完整身份证号码和手机号码。每次查看都会记入审计日志（查看人、时间、用途），请仅在确有需要时查看。`}
          </Text>
        </TextDialog>
      ) : null}
      {revealed ? (
        <Dialog
          id="reveal-dialog"
          visible
          title="完整身份信息"
          closeOnOverlayClick={false}
          onClose={() => setRevealed(null)}
          footer={
            <Button id="reveal-close" type="primary" onClick={() => setRevealed(null)}>
              关闭
            </Button>
          }
          content={
            <View className="vw-reveal" {...roleProps('group', { 'aria-label': '完整身份信息' })}>
              <InfoLine label="姓名">{revealed.name}</InfoLine>
              <InfoLine label="身份证">
                <Text className="vw-reveal__value" id="revealed-id">
                  {revealed.idNumber}
                </Text>
              </InfoLine>
              <InfoLine label="手机">
                <Text className="vw-reveal__value" id="revealed-phone">
                  {revealed.phone}
                </Text>
              </InfoLine>
              <Text className="muted">关闭后不再显示。请勿截屏、拍照或转发。</Text>
            </View>
          }
        />
      ) : null}
      {confirmDialog}
    </View>
  );
}

// ---------- corrections (更正申请) ----------

const CORRECTION_TABS: Segment<CorrectionStatus>[] = [
  { value: 'pending', label: '待处理' },
  { value: 'accepted', label: '已采纳' },
  { value: 'declined', label: '未采纳' },
];

function Corrections({ communityId }: { communityId: string }) {
  const [status, setStatus] = useState<CorrectionStatus>('pending');
  const [busy, setBusy] = useState(false);
  const reply = usePendingText<{ correction: CorrectionView; accept: boolean }>();
  const list = usePagedList(
    (cursor) => call('volunteer', 'listCorrections', pageOf(communityId, status, cursor)),
    `${communityId}|${status}`,
  );

  const submit = () =>
    reply.submit(
      (text) => lengthError('答复', text, 2, 300),
      async ({ correction, accept }, text) => {
        setBusy(true);
        try {
          await call('volunteer', 'handleCorrection', { correctionId: correction._id, accept, reply: text });
          Taro.showToast({ title: accept ? '已采纳' : '已答复', icon: 'success' });
          void list.reload();
        } finally {
          setBusy(false);
        }
      },
    );

  const accept = reply.pending?.item.accept;
  return (
    <View id="correction-list" aria-live="polite">
      <SegmentTabs
        label="更正申请状态"
        idPrefix="corrections-status"
        items={CORRECTION_TABS}
        value={status}
        onChange={setStatus}
      />
      <PagedBody
        list={list}
        empty={
          <EmptyState
            id="corrections-empty"
            text={status === 'pending' ? '没有待处理的更正申请' : '这里还没有记录'}
          />
        }
        renderItem={(c) => {
          const st = CORRECTION_STATUS[c.status];
          return (
            <View key={c._id} id={`correction-${c._id}`} className="card">
              <CardHead
                title={`${c.nickName || '志愿者'} · 更正${CORRECTION_FIELD[c.field]}`}
                label={st.label}
                tone={st.tone}
              />
              <Text className="vw-card__text">{c.message}</Text>
              <InfoLine label="提交时间">{formatInstant(c.createdAt)}</InfoLine>
              {c.reply ? <InfoLine label="答复">{c.reply}</InfoLine> : null}
              {c.status === 'pending' ? (
                <View className="vw-actions">
                  <ReviewButtons
                    approveId={`correction-accept-${c._id}`}
                    rejectId={`correction-decline-${c._id}`}
                    approveText="采纳"
                    rejectText="不采纳"
                    busy={busy}
                    onApprove={() => reply.open({ correction: c, accept: true })}
                    onReject={() => reply.open({ correction: c, accept: false })}
                  />
                </View>
              ) : null}
            </View>
          );
        }}
      />
      {reply.bind ? (
        <TextDialog
          title={accept ? '采纳更正申请' : '不采纳更正申请'}
          textLabel="答复（志愿者会看到）"
          {...reply.bind}
          placeholder={accept ? '如：已按您提供的信息更正' : '如：经核对原记录无误'}
          max={300}
          busy={busy}
          submitText={accept ? '采纳' : '不采纳'}
          onSubmit={() => void submit()}
        />
      ) : null}
    </View>
  );
}

// ---------- makeups (补卡申请) ----------

const MAKEUP_TABS: Segment<MakeupStatus>[] = [
  { value: 'pending', label: '待审核' },
  { value: 'approved', label: '已通过' },
  { value: 'rejected', label: '未通过' },
];

function Makeups({ communityId }: { communityId: string }) {
  const [status, setStatus] = useState<MakeupStatus>('pending');
  const list = usePagedList(
    (cursor) => call('volunteer', 'listMakeups', pageOf(communityId, status, cursor)),
    `${communityId}|${status}`,
  );
  const { busy, approve, openReject, rejectDialog, confirmDialog } = useReview(
    (m: MakeupView, ok, reason) =>
      call('volunteer', 'reviewMakeup', { makeupId: m._id, approve: ok, ...(reason ? { reason } : {}) }),
    '已通过补卡',
    list.reload,
  );

  return (
    <View id="makeup-list" aria-live="polite">
      <SegmentTabs
        label="补卡申请状态"
        idPrefix="makeups-status"
        items={MAKEUP_TABS}
        value={status}
        onChange={setStatus}
      />
      <PagedBody
        list={list}
        empty={
          <EmptyState
            id="makeups-empty"
            text={status === 'pending' ? '没有待审核的补卡申请' : '这里还没有记录'}
          />
        }
        renderItem={(m) => {
          const st = MAKEUP_STATUS[m.status];
          return (
            <View key={m._id} id={`makeup-${m._id}`} className="card">
              <CardHead
                title={`${m.nickName || '志愿者'} · ${m.activityTitle}`}
                label={st.label}
                tone={st.tone}
              />
              <InfoLine label="补卡时段">{formatRange(m.checkInAt, m.checkOutAt)}</InfoLine>
              <InfoLine label="理由">{m.reason}</InfoLine>
              <InfoLine label="提交时间">{formatInstant(m.createdAt)}</InfoLine>
              {m.rejectReason ? <InfoLine label="未通过理由">{m.rejectReason}</InfoLine> : null}
              {m.status === 'pending' ? (
                <View className="vw-actions">
                  <ReviewButtons
                    approveId={`makeup-approve-${m._id}`}
                    rejectId={`makeup-reject-${m._id}`}
                    busy={busy}
                    onApprove={() =>
                      void approve(
                        m,
                        '通过补卡申请',
                        `通过后将按 ${formatRange(m.checkInAt, m.checkOutAt)} 记录 ${m.nickName || '志愿者'} 的服务时长和积分，不能撤销。`,
                      )
                    }
                    onReject={() => openReject(m)}
                  />
                </View>
              ) : null}
            </View>
          );
        }}
      />
      {rejectDialog(() => ({
        title: '不通过补卡申请',
        textLabel: '不通过的理由（志愿者会看到）',
        placeholder: '如：当天签到记录显示未到场',
      }))}
      {confirmDialog}
    </View>
  );
}

// ---------- settings (积分规则) ----------

function PointsRules({ communityId }: { communityId: string }) {
  const [settings, setSettings] = useState<VolunteerSettings | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [perHour, setPerHour] = useState('1');
  const [expires, setExpires] = useState(false);
  const [expiry, setExpiry] = useState('12-31');
  const [errors, setErrors] = useState<{ perHour?: string; expiry?: string }>({});
  const [saving, setSaving] = useState(false);

  const load = useCallback(async () => {
    setLoadError(null);
    try {
      const s = await call('volunteer', 'settings', { communityId });
      setSettings(s);
      setPerHour(String(s.pointsPerHour));
      setExpires(!!s.pointsExpiry);
      setExpiry(s.pointsExpiry ?? '12-31');
    } catch (err) {
      setLoadError(errorMessage(err));
    }
  }, [communityId]);
  useEffect(() => {
    void load();
  }, [load]);
  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh());
  });

  const save = async () => {
    if (saving) return;
    const e: { perHour?: string; expiry?: string } = {};
    if (!/^\d+$/.test(perHour.trim())) e.perHour = '请填写整数（0 表示不计积分）';
    else if (Number(perHour) > 100) e.perHour = '每小时最多 100 分';
    const mmdd = expiry.trim();
    if (expires && !/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(mmdd))
      e.expiry = '请按 月-日 填写，如 12-31';
    setErrors(e);
    if (Object.keys(e).length > 0) return;
    setSaving(true);
    try {
      const s = await call('volunteer', 'configure', {
        communityId,
        pointsPerHour: Number(perHour),
        pointsExpiry: expires ? mmdd : null,
      });
      setSettings(s);
      Taro.showToast({ title: '积分规则已保存', icon: 'success' });
    } catch (err) {
      if (err instanceof ApiCallError && err.fields)
        setErrors({ perHour: err.fields.pointsPerHour, expiry: err.fields.pointsExpiry });
      toast(errorMessage(err));
    } finally {
      setSaving(false);
    }
  };

  if (loadError) return <ErrorState message={loadError} onRetry={() => void load()} />;
  if (!settings) return <ListSkeleton rows={1} />;
  return (
    <View id="points-rules">
      <Text className="vw-notice">
        志愿者签退后按实际服务时长（信用时长）获得积分；荣誉时长不计积分。修改只影响以后的签退。
      </Text>
      <Field id="rule-per-hour" label="每服务 1 小时获得积分" error={errors.perHour}>
        <TextField
          id="rule-per-hour"
          label="每服务 1 小时获得积分"
          type="number"
          value={perHour}
          max={3}
          invalid={!!errors.perHour}
          onChange={(v) => {
            setPerHour(v);
            setErrors((x) => ({ ...x, perHour: undefined }));
          }}
        />
      </Field>
      <View className="form-field">
        <SwitchRow id="rule-expires" label="未使用的积分每年清零" checked={expires} onChange={setExpires} />
        {expires ? (
          <Field
            id="rule-expiry"
            label="清零日期（月-日）"
            error={errors.expiry}
            hint="如 12-31：每年 12 月 31 日清零"
          >
            <TextField
              id="rule-expiry"
              label="清零日期（月-日）"
              value={expiry}
              max={5}
              placeholder="12-31"
              invalid={!!errors.expiry}
              onChange={(v) => {
                setExpiry(v);
                setErrors((x) => ({ ...x, expiry: undefined }));
              }}
            />
          </Field>
        ) : (
          <Text className="form-hint">积分长期有效</Text>
        )}
      </View>
      <Button
        id="rules-save"
        className="block-btn"
        type="primary"
        block
        loading={saving}
        disabled={saving}
        onClick={() => void save()}
      >
        保存积分规则
      </Button>
    </View>
  );
}

export default function VolunteersPage() {
  const router = useRouter();
  const [tab, setTab] = useState<Tab>(isTab(router.params.tab) ? router.params.tab : 'pending');
  const { communityId, error, retry } = useWorkerCommunity();

  let body;
  if (error) body = <ErrorState message={error} onRetry={retry} />;
  else if (!communityId) body = <ListSkeleton />;
  else if (tab === 'corrections') body = <Corrections communityId={communityId} />;
  else if (tab === 'makeups') body = <Makeups communityId={communityId} />;
  else if (tab === 'settings') body = <PointsRules communityId={communityId} />;
  else body = <Registrations communityId={communityId} status={tab} />;

  return (
    <PageShell id="volunteers-page">
      <View className="grievance-page-head">
        <Text className="page-title" {...heading(1)}>
          志愿者管理
        </Text>
        {communityId ? (
          <Button
            id="volunteers-export"
            size="small"
            type="primary"
            fill="outline"
            onClick={() => openExport({ kinds: ['roster', 'hours'], communityId })}
          >
            导出 Excel
          </Button>
        ) : null}
      </View>
      <SegmentTabs
        label="志愿者管理"
        idPrefix="volunteers-tab"
        items={TABS}
        value={tab}
        onChange={setTab}
        scroll
      />
      {body}
    </PageShell>
  );
}
