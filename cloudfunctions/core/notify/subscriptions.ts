/**
 * Per user and kind of notification: the one-time subscription quota WeChat granted (each accept
 * allows one message; there is no API to read it, so we count) and whether the app should ask.
 */
import type { NotifyKind, SubscribeAnswer } from '../../../types/domain';
import { transaction, type TxDocs } from '../db';

export interface Subscription {
  _id: string; // `${openid}_${kind}`
  openid: string;
  kind: NotifyKind;
  quota: number;
  /** Whether the app asks at the matching moment (default: yes). */
  ask: boolean;
  lastAnswer?: SubscribeAnswer;
  updatedAt: number;
}

export const subscriptionId = (openid: string, kind: NotifyKind) => `${openid}_${kind}`;

export async function readSubscription(t: TxDocs, openid: string, kind: NotifyKind): Promise<Subscription> {
  const found = await t.get<Subscription>('subscriptions', subscriptionId(openid, kind));
  return found ?? { _id: subscriptionId(openid, kind), openid, kind, quota: 0, ask: true, updatedAt: 0 };
}

export async function writeSubscription(t: TxDocs, sub: Subscription): Promise<void> {
  const { _id, ...doc } = sub;
  await t.set('subscriptions', _id, doc as unknown as Record<string, unknown>);
}

/** Apply a change to one subscription atomically; returns the new state. */
export function changeSubscription(
  openid: string,
  kind: NotifyKind,
  change: (sub: Subscription) => Partial<Subscription>,
  now: number,
): Promise<Subscription> {
  return transaction(async (t) => {
    const sub = await readSubscription(t, openid, kind);
    const next = { ...sub, ...change(sub), updatedAt: now };
    await writeSubscription(t, next);
    return next;
  });
}
