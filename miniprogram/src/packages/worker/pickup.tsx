import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import type { RedemptionView } from '../../../../types/points';
import { call, errorMessage } from '../../api';
import { isCancel } from '../../api/upload';
import { Field } from '../../components/Form';
import { PageShell } from '../../components/PageShell';
import { ErrorState, ListSkeleton } from '../../components/States';
import { useConfirm } from '../../components/TextDialog';
import { Button } from '../../ui';
import { heading, roleProps } from '../../utils/a11y';
import { formatInstant } from '../../utils/time';
import {
  CardHead,
  InfoLine,
  PICKUP_QR,
  REDEMPTION_STATUS,
  TextField,
  pickupCodeOf,
  useWorkerCommunity,
} from './volunteer-shared';

export default function PickupPage() {
  const { communityId, error: communityError, retry } = useWorkerCommunity();
  const [code, setCode] = useState('');
  const [inputError, setInputError] = useState('');
  const [error, setError] = useState('');
  const [found, setFound] = useState<RedemptionView | null>(null);
  const [justConfirmed, setJustConfirmed] = useState(false);
  const [busy, setBusy] = useState(false);
  const { confirm, confirmDialog } = useConfirm();

  const find = async (c: string) => {
    setBusy(true);
    setError('');
    setFound(null);
    setJustConfirmed(false);
    try {
      setFound(await call('points', 'findPickup', { ...(communityId ? { communityId } : {}), code: c }));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const lookUp = () => {
    if (busy) return;
    const c = pickupCodeOf(code);
    if (!c) return setInputError('请输入 8 位数字取货码');
    setInputError('');
    void find(c);
  };

  const scan = async () => {
    if (busy) return;
    let result: string;
    try {
      result = (await Taro.scanCode({ onlyFromCamera: true, scanType: ['qrCode'] })).result;
    } catch (err) {
      if (!isCancel(err)) setError('无法打开扫码，请直接输入取货码');
      return;
    }
    const c = PICKUP_QR.exec(result.trim())?.[1];
    if (!c) {
      setFound(null);
      setError('这不是同心圆的取货码，请扫描居民在“我的兑换”里出示的二维码');
      return;
    }
    setCode(c);
    setInputError('');
    void find(c);
  };

  const hand = async () => {
    if (!found || busy) return;
    const ok = await confirm(
      '确认发放',
      `确认已把「${found.goodsName}」交给 ${found.nickName || '兑换人'}？确认后取货码作废，不能撤销。`,
      '确认发放',
    );
    if (!ok) return;
    setBusy(true);
    setError('');
    try {
      setFound(await call('points', 'confirmPickup', { redemptionId: found._id }));
      setJustConfirmed(true);
      Taro.showToast({ title: '已发放', icon: 'success' });
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const next = () => {
    setFound(null);
    setJustConfirmed(false);
    setError('');
    setCode('');
  };

  if (communityError) {
    return (
      <PageShell id="pickup-page">
        <ErrorState message={communityError} onRetry={retry} />
      </PageShell>
    );
  }
  if (!communityId) {
    return (
      <PageShell id="pickup-page">
        <ListSkeleton rows={1} />
      </PageShell>
    );
  }

  const st = found ? REDEMPTION_STATUS[found.status] : null;

  return (
    <PageShell id="pickup-page">
      <Text className="page-title" {...heading(1)}>
        取货核销
      </Text>
      <Button
        id="pickup-scan"
        className="block-btn"
        type="primary"
        size="large"
        block
        onClick={() => void scan()}
      >
        扫码核销
      </Button>

      <Field id="pickup-code" label="或输入 8 位取货码" error={inputError}>
        <View className="vw-pickup-input">
          <TextField
            id="pickup-code"
            label="取货码"
            type="number"
            value={code}
            max={8}
            placeholder="居民“我的兑换”里的 8 位数字"
            invalid={!!inputError}
            onChange={(v) => {
              setCode(v);
              setInputError('');
            }}
          />
          <Button id="pickup-find" type="primary" fill="outline" loading={busy && !found} onClick={lookUp}>
            查询
          </Button>
        </View>
      </Field>

      {error ? (
        <Text className="form-error vw-notice" id="pickup-error" {...roleProps('alert')}>
          {error}
        </Text>
      ) : null}

      {found && st ? (
        <View className="card" id="pickup-result" aria-live="polite">
          <CardHead title={found.goodsName} label={st.label} tone={st.tone} level={2} tagId="pickup-status" />
          <InfoLine label="兑换人" id="pickup-nickname">
            {found.nickName || '居民'}
          </InfoLine>
          <InfoLine label="积分">
            <Text className="vw-points">{`${found.price} 分`}</Text>
          </InfoLine>
          <InfoLine label="取货码">{found.pickupCode}</InfoLine>
          <InfoLine label="兑换时间">{formatInstant(found.createdAt)}</InfoLine>
          {found.pickedUpAt ? <InfoLine label="领取时间">{formatInstant(found.pickedUpAt)}</InfoLine> : null}

          {found.status === 'awaitingPickup' ? (
            <View className="vw-actions">
              <Button
                id="pickup-confirm"
                className="block-btn"
                type="primary"
                size="large"
                block
                loading={busy}
                disabled={busy}
                onClick={() => void hand()}
              >
                确认发放
              </Button>
            </View>
          ) : justConfirmed ? (
            <Text className="signup-result" id="pickup-done" {...roleProps('status')}>
              已发放，取货码已作废
            </Text>
          ) : found.status === 'pickedUp' ? (
            <Text className="form-error" id="pickup-already" {...roleProps('alert')}>
              {`这件商品已于 ${found.pickedUpAt ? formatInstant(found.pickedUpAt) : '之前'} 领取，请勿重复发放`}
            </Text>
          ) : (
            <Text className="form-error" id="pickup-cancelled" {...roleProps('alert')}>
              这笔兑换已取消，不能发放
            </Text>
          )}
          {found.status !== 'awaitingPickup' ? (
            <View className="vw-actions">
              <Button id="pickup-next" fill="outline" onClick={next}>
                核销下一位
              </Button>
            </View>
          ) : null}
        </View>
      ) : null}
      {confirmDialog}
    </PageShell>
  );
}
