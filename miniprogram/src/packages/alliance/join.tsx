import { Input, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { call, errorMessage } from '../../api';
import { Field } from '../../components/Form';
import { PageShell } from '../../components/PageShell';
import { loadMe } from '../../store/session';
import { Button } from '../../ui';
import { heading } from '../../utils/a11y';
import { MY_UNIT_PAGE } from './shared';
import '../../styles/alliance.scss';

const CODE_LENGTH = 8;

/** What may be typed: letters and digits, upper-cased, at most 8. */
function normalizeCode(raw: string): string {
  return raw
    .replace(/[^A-Za-z0-9]/g, '')
    .toUpperCase()
    .slice(0, CODE_LENGTH);
}

/** 加入单位: redeem a one-time invite code from a community worker or the unit's admin. */
export default function JoinUnit() {
  const [code, setCode] = useState('');
  const [error, setError] = useState('');
  const [submitting, setSubmitting] = useState(false);

  const submit = async () => {
    if (submitting) return;
    if (code.length !== CODE_LENGTH) {
      setError('邀请码为 8 位字母或数字');
      return;
    }
    setError('');
    setSubmitting(true);
    try {
      const r = await call('alliance', 'redeemInvite', { code });
      await loadMe(true).catch(() => undefined);
      Taro.showToast({ title: `已加入${r.unit.name}`, icon: 'success' });
      Taro.redirectTo({ url: MY_UNIT_PAGE });
    } catch (err) {
      // The server says why: 邀请码已过期 / 已被使用 / 无效 / 已绑定其他单位.
      setError(errorMessage(err));
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <PageShell id="join-page">
      <Text className="page-title" {...heading(1)}>
        加入驻区单位
      </Text>
      <Text className="muted">请向社区工作者或本单位管理员索取邀请码。邀请码 7 天内有效，只能使用一次。</Text>
      <View className="section-title" />
      <Field id="join-code" label="邀请码（8 位）" error={error}>
        <Input
          id="join-code"
          className={`form-input code-input ${error ? 'form-invalid' : ''}`}
          value={code}
          maxlength={CODE_LENGTH}
          placeholder="如 AB12CD34"
          aria-label="邀请码"
          nativeProps={{ 'aria-label': '邀请码', autoCapitalize: 'characters', autoComplete: 'off' }}
          onInput={(e) => {
            const v = normalizeCode(e.detail.value);
            setCode(v);
            if (error) setError('');
            return v;
          }}
        />
        <Text className="form-hint" id="join-code-count" aria-live="polite">
          已输入 {code.length}/{CODE_LENGTH} 位
        </Text>
      </Field>
      <Button
        id="join-submit"
        className="block-btn"
        type="primary"
        size="large"
        block
        loading={submitting}
        disabled={submitting}
        onClick={() => void submit()}
      >
        加入单位
      </Button>
    </PageShell>
  );
}
