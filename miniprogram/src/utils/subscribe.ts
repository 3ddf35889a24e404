import Taro from '@tarojs/taro';
import { useCallback, useEffect, useRef } from 'react';
import type { SignUpStatus, SubscribeAnswer, SubscribeScene } from '../../../types/domain';
import { call } from '../api';

const ANSWERS: readonly string[] = ['accept', 'reject', 'ban', 'filter'] satisfies SubscribeAnswer[];

/** How long the sign-up waits for the subscribe dialog before going ahead anyway. */
const SUBSCRIBE_WAIT_MS = 20_000;

/** Subscription messages can only be requested in WeChat (not in H5). */
export function canAskSubscribe(): boolean {
  return process.env.TARO_ENV === 'weapp';
}

/**
 * Shows WeChat's subscribe dialog for `tmplIds` (must run synchronously inside the tap) and
 * reports the per-template answers to notify.subscribe without waiting for it. Resolves when the
 * user has answered (or the dialog failed); never rejects.
 */
export function askSubscribe(scene: SubscribeScene, tmplIds: string[]): Promise<void> {
  let asked: Promise<unknown>;
  try {
    asked = Promise.resolve(
      Taro.requestSubscribeMessage({ tmplIds } as unknown as Taro.requestSubscribeMessage.Option),
    );
  } catch (err) {
    asked = Promise.reject(err);
  }
  const answered = asked.then(
    (res) => {
      const answers = (res ?? {}) as Record<string, unknown>;
      const results: Record<string, SubscribeAnswer> = {};
      for (const id of tmplIds) {
        const a = answers[id];
        if (typeof a === 'string' && ANSWERS.includes(a)) results[id] = a as SubscribeAnswer;
      }
      if (Object.keys(results).length > 0) {
        call('notify', 'subscribe', { scene, results }).catch((err: unknown) =>
          console.warn('notify.subscribe failed', err),
        );
      }
    },
    (err: unknown) => console.warn('requestSubscribeMessage failed', err),
  );
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, SUBSCRIBE_WAIT_MS);
  });
  return Promise.race([answered, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Template ids of `scene` fetched ahead (in WeChat, once `enabled`; again after a failure), since
 * WeChat opens the subscribe dialog only from within the tap. The returned `ask()` must run first
 * thing in the tap: it shows the dialog (see askSubscribe), or returns null when there is nothing
 * to ask.
 */
export function useSubscribeAsk(scene: SubscribeScene, enabled = true): () => Promise<void> | null {
  const tmplIds = useRef<string[]>([]);
  const fetched = useRef(false);
  useEffect(() => {
    if (!enabled || !canAskSubscribe() || fetched.current) return;
    fetched.current = true;
    call('notify', 'templates', { scene })
      .then((r) => {
        tmplIds.current = r.templates.map((t) => t.templateId).slice(0, 3);
      })
      .catch((err: unknown) => {
        fetched.current = false;
        console.warn('notify.templates failed', err);
      });
  }, [scene, enabled]);
  return useCallback(() => {
    const ids = tmplIds.current;
    return canAskSubscribe() && ids.length > 0 ? askSubscribe(scene, ids) : null;
  }, [scene]);
}

/** The toast after signing up: 等待审核, 候补第 N 位 or 报名成功. */
export function showSignUpToast(r: { status: SignUpStatus; waitlistPosition?: number }): void {
  Taro.showToast({
    title:
      r.status === 'pending'
        ? '已提交申请，等待审核'
        : r.status === 'waitlisted'
          ? `已加入候补，第 ${r.waitlistPosition ?? '-'} 位`
          : '报名成功',
    icon: r.status === 'confirmed' ? 'success' : 'none',
  });
}
