/**
 * Helpers shared by the worker's volunteer-service pages (志愿者审核, 发布服务, 签到码, 签到记录,
 * 积分商品, 取货核销): the managed community, status labels, a label/value line and a text input.
 */
import { Text, View } from '@tarojs/components';
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { CorrectionField, RegistrationStatus } from '../../../../types/volunteer';
import { errorMessage } from '../../api';
import { loadMe } from '../../store/session';
import { Switch } from '../../ui';
import { StatusTag } from '../../components/StatusTag';
import { heading, keyboardActivatable, roleProps } from '../../utils/a11y';
import type { TagTone } from '../../utils/labels';
import { workerCommunityId } from './staff';
export { lengthError } from './volunteer-service-form';
export { TextField } from './fields';
export { CORRECTION_STATUS, MAKEUP_STATUS, REDEMPTION_STATUS } from '../../utils/labels';
// Dialog layouts (TextDialog / useConfirm: .grievance-actions, .action-dialog) live there.
import '../../styles/grievance.scss';
import './volunteer-worker.scss';

export const REGISTRATION_STATUS: Record<RegistrationStatus, { label: string; tone: TagTone }> = {
  pending: { label: '待审核', tone: 'orange' },
  approved: { label: '已通过', tone: 'green' },
  rejected: { label: '未通过', tone: 'grey' },
};

export const CORRECTION_FIELD: Record<CorrectionField, string> = {
  name: '姓名',
  idNumber: '身份证号码',
  phone: '手机号码',
  hours: '服务时长',
  other: '其他',
};

/** 2 → "2 小时", 1.5 → "1.5 小时". */
export function hoursText(h: number): string {
  return `${Math.round(h * 10) / 10} 小时`;
}

/**
 * The community the signed-in worker manages (their worker grant, else the community they
 * browse). `error` when loading failed or the user manages none.
 */
export function useWorkerCommunity(): { communityId: string; error: string | null; retry: () => void } {
  const [communityId, setCommunityId] = useState('');
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    setError(null);
    try {
      const me = await loadMe();
      const id = workerCommunityId(me);
      if (id) setCommunityId(id);
      else setError('没有找到你负责的社区，请联系街道管理员开通社区工作者权限');
    } catch (err) {
      setError(errorMessage(err));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  return { communityId, error, retry: () => void load() };
}

/** One "label  value" line of a card. */
export function InfoLine({ label, children, id }: { label: string; children: ReactNode; id?: string }) {
  return (
    <View className="vw-line" id={id}>
      <Text className="line-label">{label}</Text>
      <View className="vw-line__value">
        {typeof children === 'string' ? <Text>{children}</Text> : children}
      </View>
    </View>
  );
}

/** A card's title (a level-3 heading unless `level`) with its status tag on the right. */
export function CardHead({
  title,
  label,
  tone,
  level = 3,
  tagId,
}: {
  title: string;
  label: string;
  tone: TagTone;
  level?: 2 | 3;
  tagId?: string;
}) {
  return (
    <View className="vw-card__head">
      <Text className="vw-card__title" {...heading(level)}>
        {title}
      </Text>
      <StatusTag id={tagId} label={label} tone={tone} />
    </View>
  );
}

/** A labelled switch on one ≥88rpx row. */
export function SwitchRow({
  id,
  label,
  checked,
  onChange,
  disabled = false,
}: {
  id: string;
  label: string;
  checked: boolean;
  onChange: (v: boolean) => void;
  disabled?: boolean;
}) {
  return (
    <View className="vw-switch-row">
      <Text id={`${id}-label`} aria-hidden="true">
        {label}
      </Text>
      <Switch
        id={id}
        aria-label={label}
        {...roleProps('switch', { 'aria-checked': checked })}
        {...keyboardActivatable(() => !disabled && onChange(!checked))}
        checked={checked}
        disabled={disabled}
        onChange={(v: boolean) => onChange(v)}
      />
    </View>
  );
}

/** QR payload of a redemption's pickup code (RedemptionView.pickupQr). */
export const PICKUP_QR = /^tongxin:pickup:(\d{8})$/;

/** The 8-digit code of a scanned payload or typed text, or null. */
export function pickupCodeOf(text: string): string | null {
  const t = text.trim();
  const m = PICKUP_QR.exec(t);
  if (m) return m[1];
  return /^\d{8}$/.test(t) ? t : null;
}
