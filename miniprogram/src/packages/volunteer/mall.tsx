import { Image, Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { GoodsView, RedemptionView } from '../../../../types/points';
import { call, errorMessage } from '../../api';
import { PageShell } from '../../components/PageShell';
import { EmptyState, PagedBody } from '../../components/States';
import { useConfirm } from '../../components/TextDialog';
import { usePagedList } from '../../hooks/usePagedList';
import { currentCommunity, loadMe, useSession } from '../../store/session';
import { Button, Dialog } from '../../ui';
import { heading, roleProps } from '../../utils/a11y';
import { openVolunteer } from './shared';
import '../../styles/grievance.scss';
import './volunteer.scss';
import { Icon } from '../../components/Icon';

function GoodsCard({
  item,
  busy,
  onRedeem,
}: {
  item: GoodsView;
  busy: boolean;
  onRedeem: (g: GoodsView) => void;
}) {
  const reason = item.canRedeem.ok ? '' : (item.canRedeem.reason ?? '暂不可兑换');
  return (
    <View className="card vol-goods__item" id={`goods-${item._id}`}>
      {item.imageUrl ? (
        <Image
          className="vol-goods__img"
          src={item.imageUrl}
          mode="aspectFill"
          lazyLoad
          aria-label={`${item.name}的图片`}
          nativeProps={{ alt: `${item.name}的图片` }}
        />
      ) : (
        <View
          className="vol-goods__placeholder"
          aria-label={`${item.name}（暂无图片）`}
          {...roleProps('img')}
        >
          <Icon name="gift" className="vol-goods__placeholder-icon" />
          <Text className="vol-goods__placeholder-text" aria-hidden="true">
            暂无图片
          </Text>
        </View>
      )}
      <Text className="vol-goods__name" {...roleProps('heading', { 'aria-level': 2 })}>
        {item.name}
      </Text>
      {item.description ? <Text className="muted">{item.description}</Text> : null}
      <Text className="vol-price" id={`goods-${item._id}-price`}>
        {item.price} 积分
      </Text>
      <Text className="muted" id={`goods-${item._id}-stock`}>
        {item.stock > 0 ? `库存 ${item.stock} 件` : '已兑完'}
      </Text>
      <Button
        id={`goods-${item._id}-redeem`}
        type="primary"
        disabled={!item.canRedeem.ok || busy}
        aria-disabled={!item.canRedeem.ok || busy}
        aria-label={item.canRedeem.ok ? `兑换${item.name}` : `${item.name}：${reason}`}
        onClick={() => onRedeem(item)}
      >
        兑换
      </Button>
      {reason ? (
        <Text className="form-hint" id={`goods-${item._id}-reason`}>
          {reason}
        </Text>
      ) : null}
    </View>
  );
}

/** 积分超市: my balance, the community's goods, redeem with a confirmation, then the pickup code. */
export default function MallPage() {
  const { me, meError } = useSession();
  const communityId = currentCommunity(me)?._id;
  const [balance, setBalance] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<RedemptionView | null>(null);
  const { confirm, confirmDialog } = useConfirm();
  const shown = useRef(false);

  useEffect(() => {
    loadMe().catch(() => undefined);
  }, []);
  const loadBalance = useCallback(() => {
    call('points', 'summary', {})
      .then((s) => setBalance(s.balance))
      .catch(() => undefined);
  }, []);
  useEffect(() => loadBalance(), [loadBalance]);

  const list = usePagedList(
    (cursor) =>
      call('points', 'listGoods', {
        ...(communityId ? { communityId } : {}),
        pageSize: 20,
        ...(cursor ? { cursor } : {}),
      }),
    communityId ?? '',
    !!me || !!meError,
  );
  useDidShow(() => {
    if (!shown.current) {
      shown.current = true;
      return;
    }
    loadBalance();
    void list.reload();
  });
  usePullDownRefresh(() => loadBalance());

  const redeem = async (g: GoodsView) => {
    if (busy || !g.canRedeem.ok) return;
    const ok = await confirm(
      '确认兑换？',
      `用 ${g.price} 积分兑换「${g.name}」。兑换后凭取货码到社区领取，领取前可以取消。`,
      '确认兑换',
    );
    if (!ok) return;
    setBusy(true);
    try {
      const r = await call('points', 'redeem', { goodsId: g._id });
      setDone(r);
      loadBalance();
      void list.reload();
    } catch (err) {
      Taro.showToast({ title: errorMessage(err), icon: 'none', duration: 3000 });
      void list.reload();
    } finally {
      setBusy(false);
    }
  };

  return (
    <PageShell id="volunteer-mall-page">
      <View className="card vol-switch-row" id="mall-balance">
        <View>
          <Text className="muted vol-block">我的积分</Text>
          <Text className="vol-big vol-big--gold vol-block" id="mall-balance-value">
            {balance ?? '—'}
          </Text>
        </View>
        <View className="vol-actions" style={{ marginTop: 0 }}>
          <Button id="mall-redemptions" fill="outline" onClick={() => openVolunteer('redemptions')}>
            我的兑换
          </Button>
          <Button id="mall-ledger" fill="none" onClick={() => openVolunteer('hours', { tab: 'points' })}>
            积分明细
          </Button>
        </View>
      </View>
      <Text className="section-title" {...heading(1)}>
        积分超市
      </Text>
      <View id="goods-list" aria-live="polite">
        <PagedBody
          list={list}
          skeletonRows={2}
          itemsClassName="vol-goods"
          empty={
            <EmptyState
              id="goods-empty"
              text="积分超市暂无商品，先去参加志愿服务攒积分吧"
              actionText="去找志愿服务"
              onAction={() => openVolunteer('services')}
            />
          }
          renderItem={(g) => <GoodsCard key={g._id} item={g} busy={busy} onRedeem={(x) => void redeem(x)} />}
        />
      </View>
      {confirmDialog}
      {done ? (
        <Dialog
          id="redeem-success"
          visible
          title="兑换成功"
          closeOnOverlayClick={false}
          onClose={() => setDone(null)}
          footer={
            <View className="grievance-actions">
              <Button
                id="redeem-success-list"
                fill="outline"
                onClick={() => {
                  setDone(null);
                  openVolunteer('redemptions');
                }}
              >
                查看我的兑换
              </Button>
              <Button id="redeem-success-close" type="primary" onClick={() => setDone(null)}>
                知道了
              </Button>
            </View>
          }
          content={
            <View className="action-dialog">
              <Text className="muted">「{done.goodsName}」取货码</Text>
              <Text
                className="vol-code"
                id="redeem-pickup-code"
                aria-label={`取货码 ${done.pickupCode.split('').join(' ')}`}
                {...roleProps('img')}
              >
                {done.pickupCode}
              </Text>
              <Text className="muted vol-block">凭取货码到社区领取；取货二维码在“我的兑换”中出示。</Text>
            </View>
          }
        />
      ) : null}
    </PageShell>
  );
}
