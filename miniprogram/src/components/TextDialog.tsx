import { Text, Textarea, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback, useState, type ReactNode } from 'react';
import { Button, Dialog } from '../ui';
import { roleProps } from '../utils/a11y';
import { formatInstant } from '../utils/time';
import { errorMessage } from '../api';
import { Field } from './Form';

/** What a TextDialog is open for: the target, the text typed so far and its error. */
export interface PendingText<T> {
  item: T;
  text: string;
  error: string;
}

/**
 * The state of a TextDialog opened for one item (a reason, a reply, a purpose): `open(item)`,
 * `bind` spreads text/onText/error/onClose into the dialog, and `submit(check, run)` trims the
 * text, shows `check`'s message or the error `run` returns or throws, and closes on success
 * (`run` returning `false` keeps the dialog open when it has told the user itself).
 */
export function usePendingText<T>() {
  const [pending, setPending] = useState<PendingText<T> | null>(null);
  const close = useCallback(() => setPending(null), []);
  const fail = (error: string) => setPending((p) => (p ? { ...p, error } : p));
  const submit = async (
    check: (text: string) => string | undefined,
    run: (item: T, text: string) => Promise<string | false | null | void>,
  ) => {
    if (!pending) return;
    const text = pending.text.trim();
    const invalid = check(text);
    if (invalid) return fail(invalid);
    let failed: string | false | null | void;
    try {
      failed = await run(pending.item, text);
    } catch (err) {
      failed = errorMessage(err);
    }
    if (failed === false) return;
    if (failed) fail(failed);
    else close();
  };
  return {
    pending,
    open: (item: T) => setPending({ item, text: '', error: '' }),
    close,
    submit,
    bind: pending
      ? {
          text: pending.text,
          onText: (text: string) => setPending((p) => (p ? { ...p, text, error: '' } : p)),
          error: pending.error,
          onClose: close,
        }
      : null,
  };
}

/** A reason of 2–200 characters: `missing` below that (e.g. "请填写不通过的理由"). */
export function reasonError(reason: string, missing: string): string {
  if (reason.length < 2) return missing;
  return reason.length > 200 ? '理由最多 200 字' : '';
}

/**
 * An input dialog: optional fields above, a text area (`#action-text`), an inline error and
 * 取消 / submit (`#action-dialog-submit` unless `submitId`) buttons. The caller owns the state.
 */
export function TextDialog({
  title,
  textLabel,
  text,
  onText,
  placeholder,
  max,
  error,
  busy,
  submitText,
  submitId = 'action-dialog-submit',
  danger = false,
  onSubmit,
  onClose,
  children,
}: {
  title: string;
  /** Omit for a dialog without the text area. */
  textLabel?: string;
  text?: string;
  onText?: (v: string) => void;
  placeholder?: string;
  max?: number;
  error?: string;
  busy: boolean;
  submitText: string;
  submitId?: string;
  danger?: boolean;
  onSubmit: () => void;
  onClose: () => void;
  children?: ReactNode;
}) {
  return (
    <Dialog
      id="action-dialog"
      visible
      title={title}
      closeOnOverlayClick={false}
      onClose={onClose}
      footer={
        <View className="grievance-actions">
          <Button id="action-dialog-cancel" fill="outline" onClick={onClose}>
            取消
          </Button>
          <Button
            id={submitId}
            type={danger ? 'danger' : 'primary'}
            loading={busy}
            disabled={busy}
            onClick={onSubmit}
          >
            {submitText}
          </Button>
        </View>
      }
      content={
        <View className="action-dialog">
          {children}
          {textLabel && onText ? (
            <Field id="action-text" label={textLabel}>
              <Textarea
                id="action-text"
                className="form-textarea"
                // grows with the text, so the start of a long plan never scrolls out of the box
                autoHeight
                value={text ?? ''}
                maxlength={max}
                placeholder={placeholder}
                aria-label={textLabel}
                nativeProps={{ 'aria-label': textLabel }}
                onInput={(e) => onText(e.detail.value)}
              />
            </Field>
          ) : null}
          {error ? (
            <Text className="form-error" id="action-dialog-error" {...roleProps('alert')}>
              {error}
            </Text>
          ) : null}
        </View>
      }
    />
  );
}

interface ConfirmState {
  title: string;
  content: string;
  confirmText: string;
  resolve: (ok: boolean) => void;
}

/**
 * Asks before an irreversible action with an in-page dialog (`#confirm-dialog`, buttons
 * `#confirm-dialog-ok` / `#confirm-dialog-cancel`): render `confirmDialog`, await `confirm(…)`.
 */
export function useConfirm(): {
  confirm: (title: string, content: string, confirmText: string) => Promise<boolean>;
  confirmDialog: ReactNode;
} {
  const [state, setState] = useState<ConfirmState | null>(null);
  const confirm = useCallback(
    (title: string, content: string, confirmText: string) =>
      new Promise<boolean>((resolve) => setState({ title, content, confirmText, resolve })),
    [],
  );
  const answer = (ok: boolean) => {
    state?.resolve(ok);
    setState(null);
  };
  const confirmDialog = state ? (
    <Dialog
      id="confirm-dialog"
      visible
      title={state.title}
      closeOnOverlayClick={false}
      onClose={() => answer(false)}
      footer={
        <View className="grievance-actions">
          <Button id="confirm-dialog-cancel" fill="outline" onClick={() => answer(false)}>
            再想想
          </Button>
          <Button id="confirm-dialog-ok" type="primary" onClick={() => answer(true)}>
            {state.confirmText}
          </Button>
        </View>
      }
      content={
        <Text className="confirm-dialog__text" id="confirm-dialog-text">
          {state.content}
        </Text>
      }
    />
  ) : null;
  return { confirm, confirmDialog };
}

/** A one-time invite code, shown once with a copy button. */
export function InviteCodeDialog({
  code,
  unitName,
  asAdmin,
  expiresAt,
  onClose,
}: {
  code: string;
  unitName: string;
  asAdmin: boolean;
  expiresAt: number;
  onClose: () => void;
}) {
  const copy = () => {
    Taro.setClipboardData({ data: code }).catch(() =>
      Taro.showToast({ title: '复制失败，请手动抄写', icon: 'none' }),
    );
  };
  return (
    <Dialog
      id="invite-dialog"
      visible
      title="邀请码"
      closeOnOverlayClick={false}
      onClose={onClose}
      footer={
        <View className="grievance-actions">
          <Button id="invite-copy" type="primary" onClick={copy}>
            复制邀请码
          </Button>
          <Button id="invite-close" fill="outline" onClick={onClose}>
            我已记下
          </Button>
        </View>
      }
      content={
        <View className="action-dialog">
          <Text className="invite-code" id="invite-code" aria-label={`邀请码 ${code.split('').join(' ')}`}>
            {code}
          </Text>
          <Text className="muted">
            {unitName}
            {asAdmin ? ' · 单位管理员' : ' · 工作人员'}
            {'\n'}
            {formatInstant(expiresAt)} 前有效，只能使用一次。{'\n'}关闭后不再显示，请先复制发给对方。
          </Text>
        </View>
      }
    />
  );
}
