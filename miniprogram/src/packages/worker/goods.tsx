import { Image, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useState } from 'react';
import type { GoodsView, RedemptionStatus, RedemptionView } from '../../../../types/points';
import { ApiCallError, call, errorMessage } from '../../api';
import { chooseAndUploadPhotos } from '../../api/upload';
import { Field, TextArea } from '../../components/Form';
import { PageShell } from '../../components/PageShell';
import { SegmentTabs, type Segment } from '../../components/SegmentTabs';
import { EmptyState, ErrorState, ListSkeleton, PagedBody } from '../../components/States';
import { TextDialog, usePendingText } from '../../components/TextDialog';
import { usePagedList } from '../../hooks/usePagedList';
import { Button } from '../../ui';
import { heading } from '../../utils/a11y';
import { formatInstant } from '../../utils/time';
import {
  CardHead,
  InfoLine,
  REDEMPTION_STATUS,
  SwitchRow,
  TextField,
  lengthError,
  useWorkerCommunity,
} from './volunteer-shared';

type Tab = 'goods' | 'redemptions';
const TABS: Segment<Tab>[] = [
  { value: 'goods', label: '商品' },
  { value: 'redemptions', label: '兑换记录' },
];
const STATUS_TABS: Segment<RedemptionStatus>[] = [
  { value: 'awaitingPickup', label: '待领取' },
  { value: 'pickedUp', label: '已领取' },
  { value: 'cancelled', label: '已取消' },
];
const PICKUP_PAGE = '/packages/worker/pickup';
const MAX_STOCK = 100000;

type StockMode = 'add' | 'remove';
const STOCK_MODES: Segment<StockMode>[] = [
  { value: 'add', label: '增加库存' },
  { value: 'remove', label: '减少库存' },
];

// ---------- add / edit ----------

interface GoodsForm {
  goodsId?: string;
  name: string;
  description: string;
  price: string;
  /** A new item's stock. */
  stock: string;
  /**
   * Editing: the stock when the item was opened (shown only), and how many to add or remove. The
   * server applies the change to the stock it holds then, so redemptions meanwhile are kept.
   */
  currentStock?: number;
  stockMode: StockMode;
  stockChange: string;
  onSale: boolean;
  imageId?: string;
  imageUrl?: string;
}
type GoodsErrors = Partial<Record<'name' | 'description' | 'price' | 'stock' | 'stockDelta', string>>;

const NEW_GOODS: GoodsForm = {
  name: '',
  description: '',
  price: '',
  stock: '',
  stockMode: 'add',
  stockChange: '',
  onSale: true,
};

function formOf(g: GoodsView): GoodsForm {
  return {
    goodsId: g._id,
    name: g.name,
    description: g.description,
    price: String(g.price),
    stock: '',
    currentStock: g.stock,
    stockMode: 'add',
    stockChange: '',
    onSale: g.onSale,
    imageUrl: g.imageUrl,
  };
}

function validateGoods(f: GoodsForm): GoodsErrors {
  const e: GoodsErrors = {
    name: lengthError('商品名称', f.name, 2, 30),
    description: f.description.trim().length > 500 ? '商品说明最多 500 字' : undefined,
  };
  if (!/^\d+$/.test(f.price.trim()) || Number(f.price) < 1) e.price = '请填写积分价格（至少 1 分的整数）';
  else if (Number(f.price) > 100000) e.price = '积分价格过高';
  if (f.goodsId === undefined) {
    if (!/^\d+$/.test(f.stock.trim())) e.stock = '请填写库存（不小于 0 的整数）';
    else if (Number(f.stock) > MAX_STOCK) e.stock = '库存过大';
  } else if (f.stockChange.trim()) {
    const n = Number(f.stockChange);
    if (!/^\d+$/.test(f.stockChange.trim())) e.stockDelta = '请填写件数（整数）';
    else if (f.stockMode === 'remove' && n > (f.currentStock ?? 0))
      e.stockDelta = `库存只剩 ${f.currentStock ?? 0} 件，不能减少 ${n} 件`;
    else if (f.stockMode === 'add' && n + (f.currentStock ?? 0) > MAX_STOCK) e.stockDelta = '库存过大';
  }
  return Object.fromEntries(Object.entries(e).filter(([, v]) => !!v)) as GoodsErrors;
}

/** A new item sends its stock; an edit sends only the change (never the stock it loaded). */
function stockPart(f: GoodsForm): { stock: number } | { stockDelta: number } | Record<string, never> {
  if (f.goodsId === undefined) return { stock: Number(f.stock) };
  const n = Number(f.stockChange.trim() || 0);
  if (n === 0) return {};
  return { stockDelta: f.stockMode === 'remove' ? -n : n };
}

function GoodsEditor({
  communityId,
  initial,
  onDone,
}: {
  communityId: string;
  initial: GoodsForm;
  onDone: (saved: boolean) => void;
}) {
  const [f, setF] = useState<GoodsForm>(initial);
  const [errors, setErrors] = useState<GoodsErrors>({});
  const [saving, setSaving] = useState(false);
  const [uploading, setUploading] = useState(false);

  const set = <K extends keyof GoodsForm>(k: K, v: GoodsForm[K]) => {
    setF((x) => ({ ...x, [k]: v }));
    const errorKey = k === 'stockChange' || k === 'stockMode' ? 'stockDelta' : k;
    if (errorKey in errors) setErrors((e) => ({ ...e, [errorKey]: undefined }));
  };

  const pickPhoto = async () => {
    if (uploading) return;
    setUploading(true);
    try {
      const [photo] = await chooseAndUploadPhotos(1);
      if (!photo) return;
      if (photo.fileId.length > 64) throw new Error('图片上传失败，请重试');
      setF((x) => ({ ...x, imageId: photo.fileId, imageUrl: photo.url }));
    } catch (err) {
      Taro.showToast({ title: errorMessage(err), icon: 'none' });
    } finally {
      setUploading(false);
    }
  };

  const save = async () => {
    if (saving) return;
    const e = validateGoods(f);
    setErrors(e);
    if (Object.keys(e).length > 0) return;
    setSaving(true);
    try {
      await call('points', 'saveGoods', {
        ...(f.goodsId ? { goodsId: f.goodsId } : {}),
        communityId,
        name: f.name.trim(),
        description: f.description.trim(),
        price: Number(f.price),
        ...stockPart(f),
        onSale: f.onSale,
        ...(f.imageId ? { imageId: f.imageId } : {}),
      });
      Taro.showToast({ title: '已保存', icon: 'success' });
      onDone(true);
    } catch (err) {
      if (err instanceof ApiCallError && err.fields) setErrors(err.fields as GoodsErrors);
      Taro.showToast({ title: errorMessage(err), icon: 'none', duration: 2500 });
    } finally {
      setSaving(false);
    }
  };

  return (
    <View id="goods-editor">
      <Text className="section-title" {...heading(2)}>
        {f.goodsId ? '编辑商品' : '添加商品'}
      </Text>
      <Field id="goods-name" label="商品名称" error={errors.name}>
        <TextField
          id="goods-name"
          label="商品名称"
          value={f.name}
          max={30}
          placeholder="如：环保购物袋"
          invalid={!!errors.name}
          onChange={(v) => set('name', v)}
        />
      </Field>
      <Field id="goods-description" label="商品说明（选填）" error={errors.description}>
        <TextArea
          id="goods-description"
          label="商品说明"
          value={f.description}
          max={500}
          placeholder="规格、领取地点和时间"
          onChange={(v) => set('description', v)}
        />
      </Field>
      <View className="form-row">
        <Field id="goods-price" label="积分价格" error={errors.price}>
          <TextField
            id="goods-price"
            label="积分价格"
            type="number"
            value={f.price}
            max={6}
            invalid={!!errors.price}
            onChange={(v) => set('price', v)}
          />
        </Field>
        {f.goodsId === undefined ? (
          <Field id="goods-stock" label="库存" error={errors.stock}>
            <TextField
              id="goods-stock"
              label="库存"
              type="number"
              value={f.stock}
              max={6}
              invalid={!!errors.stock}
              onChange={(v) => set('stock', v)}
            />
          </Field>
        ) : null}
      </View>
      {f.goodsId !== undefined ? (
        <View className="form-field">
          <Text className="form-label" id="goods-current-stock">
            {`当前库存 ${f.currentStock ?? 0} 件`}
          </Text>
          <SegmentTabs
            label="库存调整"
            idPrefix="goods-stock-mode"
            items={STOCK_MODES}
            value={f.stockMode}
            onChange={(v) => set('stockMode', v)}
          />
          <Field
            id="goods-stock-change"
            label={f.stockMode === 'add' ? '增加件数（不填则不变）' : '减少件数（不填则不变）'}
            error={errors.stockDelta}
          >
            <TextField
              id="goods-stock-change"
              label={f.stockMode === 'add' ? '增加件数' : '减少件数'}
              type="number"
              value={f.stockChange}
              max={6}
              placeholder="0"
              invalid={!!errors.stockDelta}
              onChange={(v) => set('stockChange', v)}
            />
          </Field>
          <Text className="vw-notice" id="goods-stock-note">
            保存时按最新库存增减，期间居民的兑换不会被覆盖
          </Text>
        </View>
      ) : null}
      <View className="form-field">
        <Text className="form-label">商品图片（选填）</Text>
        {f.imageUrl ? (
          <Image
            className="vw-goods-photo"
            src={f.imageUrl}
            mode="aspectFill"
            aria-label={`${f.name || '商品'}的图片`}
            nativeProps={{ alt: `${f.name || '商品'}的图片` }}
          />
        ) : null}
        <Button id="goods-photo" fill="outline" loading={uploading} onClick={() => void pickPhoto()}>
          {f.imageUrl ? '更换图片' : '上传图片'}
        </Button>
      </View>
      <View className="form-field">
        <SwitchRow
          id="goods-on-sale"
          label="上架（居民可以兑换）"
          checked={f.onSale}
          onChange={(v) => set('onSale', v)}
        />
      </View>
      <View className="vw-actions">
        <Button id="goods-cancel" fill="outline" disabled={saving} onClick={() => onDone(false)}>
          取消
        </Button>
        <Button id="goods-save" type="primary" loading={saving} disabled={saving} onClick={() => void save()}>
          保存商品
        </Button>
      </View>
    </View>
  );
}

// ---------- goods list ----------

function GoodsList({ communityId }: { communityId: string }) {
  const [editing, setEditing] = useState<GoodsForm | null>(null);
  const list = usePagedList(
    (cursor) =>
      call('points', 'listGoods', {
        communityId,
        includeOffSale: true,
        pageSize: 20,
        ...(cursor ? { cursor } : {}),
      }),
    communityId,
  );

  if (editing) {
    return (
      <GoodsEditor
        communityId={communityId}
        initial={editing}
        onDone={(saved) => {
          setEditing(null);
          if (saved) void list.reload();
        }}
      />
    );
  }

  return (
    <View id="goods-list" aria-live="polite">
      <View className="vw-actions vw-bottom-gap">
        <Button id="add-goods" type="primary" onClick={() => setEditing({ ...NEW_GOODS })}>
          添加商品
        </Button>
        <Button id="goods-pickup" fill="outline" onClick={() => Taro.navigateTo({ url: PICKUP_PAGE })}>
          核销取货
        </Button>
      </View>
      <PagedBody
        list={list}
        empty={
          <EmptyState
            id="goods-empty"
            text="积分超市还没有商品"
            actionText="添加第一件商品"
            onAction={() => setEditing({ ...NEW_GOODS })}
          />
        }
        renderItem={(g) => (
          <View key={g._id} id={`goods-${g._id}`} className="card">
            <CardHead
              title={g.name}
              label={g.onSale ? '上架中' : '已下架'}
              tone={g.onSale ? 'green' : 'grey'}
            />
            {g.imageUrl ? (
              <Image
                className="vw-goods-photo"
                src={g.imageUrl}
                mode="aspectFill"
                lazyLoad
                aria-label={`${g.name}的图片`}
                nativeProps={{ alt: `${g.name}的图片` }}
              />
            ) : null}
            {g.description ? <Text className="vw-card__text">{g.description}</Text> : null}
            <InfoLine label="积分" id={`goods-${g._id}-price`}>
              <Text className="vw-points">{`${g.price} 分`}</Text>
            </InfoLine>
            <InfoLine label="库存" id={`goods-${g._id}-stock`}>
              {g.stock > 0 ? `${g.stock} 件` : '已兑完'}
            </InfoLine>
            <InfoLine label="已兑换">{`${g.redeemedCount} 件`}</InfoLine>
            <View className="vw-actions">
              <Button
                id={`edit-goods-${g._id}`}
                fill="outline"
                aria-label={`编辑 ${g.name}`}
                onClick={() => setEditing(formOf(g))}
              >
                编辑
              </Button>
            </View>
          </View>
        )}
      />
    </View>
  );
}

// ---------- redemptions ----------

function Redemptions({ communityId }: { communityId: string }) {
  const [status, setStatus] = useState<RedemptionStatus>('awaitingPickup');
  const cancel = usePendingText<RedemptionView>();
  const [busy, setBusy] = useState(false);
  const list = usePagedList(
    (cursor) =>
      call('points', 'redemptions', {
        communityId,
        status,
        pageSize: 20,
        ...(cursor ? { cursor } : {}),
      }),
    `${communityId}|${status}`,
  );

  const submitCancel = async () => {
    if (busy) return;
    await cancel.submit(
      (reason) => lengthError('取消理由', reason, 2, 200),
      async (item, reason) => {
        setBusy(true);
        try {
          await call('points', 'cancelRedemption', { redemptionId: item._id, reason });
          Taro.showToast({ title: '已取消，积分已退回', icon: 'none' });
          void list.reload();
        } finally {
          setBusy(false);
        }
      },
    );
  };

  return (
    <View id="redemption-list" aria-live="polite">
      <SegmentTabs
        label="兑换状态"
        idPrefix="redemptions-status"
        items={STATUS_TABS}
        value={status}
        onChange={setStatus}
      />
      <PagedBody
        list={list}
        empty={
          <EmptyState
            id="redemptions-empty"
            text={status === 'awaitingPickup' ? '没有待领取的兑换' : '这里还没有记录'}
          />
        }
        renderItem={(r) => {
          const st = REDEMPTION_STATUS[r.status];
          return (
            <View key={r._id} id={`redemption-${r._id}`} className="card">
              <CardHead title={r.goodsName} label={st.label} tone={st.tone} />
              <InfoLine label="兑换人">{r.nickName || '居民'}</InfoLine>
              <InfoLine label="积分">
                <Text className="vw-points">{`${r.price} 分`}</Text>
              </InfoLine>
              <InfoLine label="兑换时间">{formatInstant(r.createdAt)}</InfoLine>
              {r.pickedUpAt ? <InfoLine label="领取时间">{formatInstant(r.pickedUpAt)}</InfoLine> : null}
              {r.cancelledAt ? (
                <InfoLine label="取消">
                  {`${formatInstant(r.cancelledAt)}${r.cancelledBy === 'self' ? '（本人取消）' : ''}${r.cancelReason ? `：${r.cancelReason}` : ''}`}
                </InfoLine>
              ) : null}
              {r.status === 'awaitingPickup' ? (
                <View className="vw-actions">
                  <Button
                    id={`cancel-redemption-${r._id}`}
                    fill="outline"
                    aria-label={`取消 ${r.nickName || '居民'} 兑换的 ${r.goodsName}`}
                    onClick={() => cancel.open(r)}
                  >
                    取消兑换
                  </Button>
                </View>
              ) : null}
            </View>
          );
        }}
      />
      {cancel.pending && cancel.bind ? (
        <TextDialog
          title="取消兑换"
          textLabel="取消理由（兑换人会看到）"
          {...cancel.bind}
          placeholder="如：商品已停产，积分退回"
          max={200}
          busy={busy}
          submitText="确认取消兑换"
          submitId="cancel-redemption-submit"
          danger
          onSubmit={() => void submitCancel()}
        >
          <Text className="vw-notice" id="cancel-redemption-notice">
            {`取消 ${cancel.pending.item.nickName || '居民'} 兑换的「${cancel.pending.item.goodsName}」后，${cancel.pending.item.price} 积分退回对方，库存加回 1 件。取消后不能恢复。`}
          </Text>
        </TextDialog>
      ) : null}
    </View>
  );
}

export default function GoodsPage() {
  const router = useRouter();
  const [tab, setTab] = useState<Tab>(router.params.tab === 'redemptions' ? 'redemptions' : 'goods');
  const { communityId, error, retry } = useWorkerCommunity();

  let body;
  if (error) body = <ErrorState message={error} onRetry={retry} />;
  else if (!communityId) body = <ListSkeleton />;
  else if (tab === 'goods') body = <GoodsList communityId={communityId} />;
  else body = <Redemptions communityId={communityId} />;

  return (
    <PageShell id="goods-page">
      <Text className="page-title" {...heading(1)}>
        积分超市管理
      </Text>
      <SegmentTabs label="积分超市管理" idPrefix="goods-tab" items={TABS} value={tab} onChange={setTab} />
      {body}
    </PageShell>
  );
}
