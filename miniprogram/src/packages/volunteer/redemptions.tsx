import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import type { RedemptionStatus, RedemptionView } from '../../../../types/points';
import { call, errorMessage } from '../../api';
import { PageShell } from '../../components/PageShell';
import { SegmentTabs } from '../../components/SegmentTabs';
import { EmptyState, PagedBody } from '../../components/States';
import { StatusTag } from '../../components/StatusTag';
import { useConfirm } from '../../components/TextDialog';
import { usePagedList } from '../../hooks/usePagedList';
import { Button } from '../../ui';
import { heading, roleProps } from '../../utils/a11y';
import { formatInstant } from '../../utils/time';
import { Line, Qr, REDEMPTION_STATUS, openVolunteer } from './shared';
import '../../styles/grievance.scss';
import './volunteer.scss';

type Tab = 'all' | RedemptionStatus;
const TABS: { value: Tab; label: string }[] = [
  { value: 'all', label: '全部' },
  { value: 'awaitingPickup', label: '待领取' },
  { value: 'pickedUp', label: '已领取' },
  { value: 'cancelled', label: '已取消' },
];

function RedemptionCard({
  item,
  busy,
  onCancel,
}: {
  item: RedemptionView;
  busy: boolean;
  onCancel: (r: RedemptionView) => void;
}) {
  const [showQr, setShowQr] = useState(false);
  const st = REDEMPTION_STATUS[item.status];
  const waiting = item.status === 'awaitingPickup';
  return (
    <View className="card" id={`redemption-${item._id}`}>
      <View className="vol-head">
        <Text className="vol-title" {...roleProps('heading', { 'aria-level': 2 })}>
          {item.goodsName}
        </Text>
        <StatusTag id={`redemption-${item._id}-status`} label={st.label} tone={st.tone} />
      </View>
      <Line label="花费积分">
        <Text className="vol-gold">{item.price} 积分</Text>
      </Line>
      <Line label="兑换时间">
        <Text>{formatInstant(item.createdAt)}</Text>
      </Line>
      {item.status === 'pickedUp' && item.pickedUpAt ? (
        <Line label="领取时间">
          <Text>{formatInstant(item.pickedUpAt)}</Text>
        </Line>
      ) : null}
      {item.status === 'cancelled' ? (
        <Line label="取消">
          <Text>
            {item.cancelledBy === 'worker' ? '社区已取消' : '已自行取消'}
            {item.cancelReason ? `：${item.cancelReason}` : ''}，积分已退回
          </Text>
        </Line>
      ) : null}
      {waiting ? (
        <>
          <Text className="muted">取货码</Text>
          <Text
            className="vol-code"
            id={`redemption-${item._id}-code`}
            aria-label={`取货码 ${item.pickupCode.split('').join(' ')}`}
            {...roleProps('img')}
          >
            {item.pickupCode}
          </Text>
          {showQr ? <Qr value={item.pickupQr} size={320} label={`${item.goodsName}的取货二维码`} /> : null}
          <View className="vol-actions">
            <Button
              id={`redemption-${item._id}-qr`}
              type="primary"
              fill="outline"
              onClick={() => setShowQr((v) => !v)}
            >
              {showQr ? '收起二维码' : '出示二维码'}
            </Button>
            <Button
              id={`redemption-${item._id}-cancel`}
              type="danger"
              fill="outline"
              disabled={busy}
              onClick={() => onCancel(item)}
            >
              取消兑换
            </Button>
          </View>
        </>
      ) : null}
    </View>
  );
}

/** 我的兑换: status tabs, pickup code and QR while waiting, 取消兑换 with a confirmation. */
export default function RedemptionsPage() {
  const [tab, setTab] = useState<Tab>('awaitingPickup');
  const [busy, setBusy] = useState(false);
  const { confirm, confirmDialog } = useConfirm();
  const list = usePagedList(
    (cursor) =>
      call('points', 'myRedemptions', {
        ...(tab !== 'all' ? { status: tab } : {}),
        pageSize: 20,
        ...(cursor ? { cursor } : {}),
      }),
    tab,
  );

  const cancel = async (r: RedemptionView) => {
    if (busy) return;
    const ok = await confirm(
      '取消兑换？',
      `取消后「${r.goodsName}」退回库存，${r.price} 积分退回你的账户。`,
      '取消兑换',
    );
    if (!ok) return;
    setBusy(true);
    try {
      await call('points', 'cancelRedemption', { redemptionId: r._id });
      Taro.showToast({ title: `已取消，${r.price} 积分已退回`, icon: 'none' });
      await list.reload();
    } catch (err) {
      Taro.showToast({ title: errorMessage(err), icon: 'none', duration: 2500 });
    } finally {
      setBusy(false);
    }
  };

  return (
    <PageShell id="volunteer-redemptions-page">
      <Text className="page-title" {...heading(1)}>
        我的兑换
      </Text>
      <SegmentTabs label="兑换状态" idPrefix="redemption-tab" items={TABS} value={tab} onChange={setTab} />
      <View id="redemption-list" aria-live="polite">
        <PagedBody
          list={list}
          empty={
            <EmptyState
              id="redemptions-empty"
              text={tab === 'awaitingPickup' ? '没有待领取的兑换' : '暂无兑换记录'}
              actionText="去积分超市看看"
              onAction={() => openVolunteer('mall')}
            />
          }
          renderItem={(r) => (
            <RedemptionCard key={r._id} item={r} busy={busy} onCancel={(x) => void cancel(x)} />
          )}
        />
      </View>
      {confirmDialog}
    </PageShell>
  );
}
