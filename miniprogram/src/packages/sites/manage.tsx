import { Input, View } from '@tarojs/components';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import { useCallback, useEffect, useState } from 'react';
import type { BookingView } from '../../../../types/sites';
import { call, errorMessage } from '../../api';
import { Field } from '../../components/Form';
import { PageShell } from '../../components/PageShell';
import { SegmentTabs } from '../../components/SegmentTabs';
import { EmptyState, ErrorState, ListSkeleton } from '../../components/States';
import { reasonError, TextDialog, useConfirm, usePendingText } from '../../components/TextDialog';
import { currentCommunity, isWorker, loadMe, staffUnitId } from '../../store/session';
import { Button } from '../../ui';
import { useSubscribeAsk } from '../../utils/subscribe';
import { BookingCard, whenText } from './shared';
import '../../styles/grievance.scss';
import '../../styles/alliance.scss';
import './sites.scss';

type Tab = 'pending' | 'confirmed' | 'checkedIn';
const TABS: { value: Tab; label: string }[] = [
  { value: 'pending', label: '待审核' },
  { value: 'confirmed', label: '待签到' },
  { value: 'checkedIn', label: '已签到' },
];
type Pending = { b: BookingView; kind: 'reject' | 'cancel' | 'code' };

/**
 * 阵地预约管理 for the site's managers: the community's workers (its rooms) or a unit's staff (the
 * venues it opened) — approve or turn down, check people in with their code, cancel with a reason.
 */
export default function ManageBookingsPage() {
  const [tab, setTab] = useState<Tab>('pending');
  const [items, setItems] = useState<BookingView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const dialog = usePendingText<Pending>();
  const { confirm, confirmDialog } = useConfirm();
  // Managers are told of new bookings awaiting approval: asked when they review one (WeChat only).
  const askToSubscribe = useSubscribeAsk('siteManage');

  const load = useCallback(async () => {
    setError(null);
    try {
      const m = await loadMe();
      const unitId = staffUnitId(m);
      const communityId = isWorker(m)
        ? (m.user.roles.find((r) => r.role === 'worker')?.communityId ?? currentCommunity(m)?._id)
        : undefined;
      const scope = communityId ? { communityId } : unitId ? { unitId } : null;
      if (!scope) {
        setItems([]);
        return;
      }
      const page = await call('sites', 'managed', { ...scope, status: tab, pageSize: 50 });
      setItems(page.items);
    } catch (err) {
      setError(errorMessage(err));
    }
  }, [tab]);
  useEffect(() => {
    setItems(null);
    void load();
  }, [load]);
  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh());
  });

  const run = async (work: () => Promise<unknown>, done: string): Promise<string | null> => {
    setBusy(true);
    try {
      await work();
      Taro.showToast({ title: done, icon: 'success' });
      await load();
      return null;
    } catch (err) {
      return errorMessage(err);
    } finally {
      setBusy(false);
    }
  };

  const approve = async (b: BookingView) => {
    if (busy) return;
    const asked = askToSubscribe(); // still inside the tap
    if (asked) await asked;
    if (
      !(await confirm('通过预约？', `${b.siteName}\n${whenText(b)}\n${b.purpose}（${b.people} 人）`, '通过'))
    )
      return;
    const failed = await run(() => call('sites', 'review', { bookingId: b._id, approve: true }), '已通过');
    if (failed) Taro.showToast({ title: failed, icon: 'none', duration: 3000 });
  };

  const submitDialog = () =>
    void dialog.submit(
      (text) => {
        const kind = dialog.pending?.item.kind;
        if (kind === 'code') return /^\d{6}$/.test(text) ? undefined : '请输入 6 位签到码';
        return reasonError(text, kind === 'reject' ? '请填写不通过的原因' : '请填写取消的原因') || undefined;
      },
      ({ b, kind }, text) =>
        run(
          () =>
            kind === 'code'
              ? call('sites', 'checkIn', { bookingId: b._id, code: text })
              : kind === 'reject'
                ? call('sites', 'review', { bookingId: b._id, approve: false, reason: text })
                : call('sites', 'cancel', { bookingId: b._id, reason: text }),
          kind === 'code' ? '签到成功' : kind === 'reject' ? '已退回' : '已取消',
        ),
    );

  const kind = dialog.pending?.item.kind;
  return (
    <PageShell id="manage-bookings-page">
      <View className="sites-top">
        <Button
          id="manage-setup"
          fill="outline"
          onClick={() => Taro.navigateTo({ url: '/packages/sites/setup' })}
        >
          开放预约设置
        </Button>
      </View>
      <SegmentTabs idPrefix="manage-tab" label="预约状态" items={TABS} value={tab} onChange={setTab} />
      {error && !items ? (
        <ErrorState message={error} onRetry={() => void load()} />
      ) : !items ? (
        <ListSkeleton rows={2} />
      ) : items.length === 0 ? (
        <EmptyState id="manage-empty" text={tab === 'pending' ? '暂无待审核的预约' : '暂无预约'} />
      ) : (
        <View id="manage-list">
          {items.map((b) => (
            <BookingCard key={b._id} b={b} showBooker>
              {b.status === 'pending' ? (
                <>
                  <Button
                    id={`booking-${b._id}-approve`}
                    type="primary"
                    size="small"
                    disabled={busy}
                    onClick={() => void approve(b)}
                  >
                    通过
                  </Button>
                  <Button
                    id={`booking-${b._id}-reject`}
                    fill="outline"
                    size="small"
                    disabled={busy}
                    onClick={() => dialog.open({ b, kind: 'reject' })}
                  >
                    不通过
                  </Button>
                </>
              ) : null}
              {b.status === 'confirmed' ? (
                <Button
                  id={`booking-${b._id}-code`}
                  type="primary"
                  size="small"
                  disabled={busy}
                  onClick={() => dialog.open({ b, kind: 'code' })}
                >
                  输入签到码
                </Button>
              ) : null}
              {b.canCancel && b.status !== 'pending' ? (
                <Button
                  id={`booking-${b._id}-cancel`}
                  type="danger"
                  fill="outline"
                  size="small"
                  disabled={busy}
                  onClick={() => dialog.open({ b, kind: 'cancel' })}
                >
                  取消预约
                </Button>
              ) : null}
            </BookingCard>
          ))}
        </View>
      )}
      {dialog.pending && dialog.bind ? (
        kind === 'code' ? (
          <TextDialog
            title="输入签到码"
            busy={busy}
            error={dialog.bind.error}
            submitText="签到"
            onSubmit={submitDialog}
            onClose={dialog.bind.onClose}
          >
            <Field id="manage-code" label={`${dialog.pending.item.b.bookerName} 出示的 6 位签到码`}>
              <Input
                id="manage-code-input"
                className="form-input"
                type="number"
                maxlength={6}
                value={dialog.bind.text}
                aria-label="签到码"
                nativeProps={{ 'aria-label': '签到码' }}
                onInput={(e) => dialog.bind!.onText(e.detail.value)}
              />
            </Field>
          </TextDialog>
        ) : (
          <TextDialog
            title={kind === 'reject' ? '不通过预约' : '取消预约'}
            textLabel={kind === 'reject' ? '不通过的原因（必填）' : '取消的原因（必填，将告知预约人）'}
            {...dialog.bind}
            max={100}
            busy={busy}
            submitText={kind === 'reject' ? '不通过' : '取消预约'}
            danger
            onSubmit={submitDialog}
          />
        )
      ) : null}
      {confirmDialog}
    </PageShell>
  );
}
