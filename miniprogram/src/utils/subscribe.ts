import Taro from '@tarojs/taro';
import type { SubscribeAnswer, SubscribeScene } from '../../../types/domain';
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
