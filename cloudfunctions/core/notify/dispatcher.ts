/**
 * The dispatcher: turns outbox events into messages and sends the WeChat subscription messages.
 *
 * Guarantees, whatever crashes or runs twice:
 * - one message-centre entry per event per recipient (deterministic ids, created in a transaction
 *   only when absent), whether or not WeChat delivery is possible;
 * - at most one WeChat message per entry: an entry is claimed (quota taken, lease set) in a
 *   transaction before sending; a run that dies mid-send leaves a lease that expires into
 *   `uncertain`, never a second send;
 * - no send without quota; 43101 sets the quota to zero; transient errors retry with backoff
 *   (quota returned); permanent errors are recorded and not retried.
 */
import type { Message, PushState, SignUp } from '../../../types/domain';
import { cmd, collection, getAll, getById, transaction, type TxDocs } from '../db';
import { runtime } from '../runtime';
import type { OutboxEvent } from './outbox';
import { readSubscription, writeSubscription } from './subscriptions';
import { templateOf } from './templates';

/** Errors WeChat will answer the same way however often we retry. */
export const PERMANENT_ERRORS: Record<number, string> = {
  40003: 'openid 无效',
  40037: '模板 id 无效',
  47003: '模板参数不正确',
  41030: '跳转页面不存在',
};
export const NO_QUOTA = 43101;
export const LEASE_MS = 60_000;
export const MAX_ATTEMPTS = 6;
/** Retry delays after the 1st, 2nd, … failed attempt. */
export const BACKOFF_MS = [30_000, 120_000, 600_000, 1_800_000, 3_600_000];

export interface DispatchReport {
  events: number;
  messages: number;
  sent: number;
  noQuota: number;
  failed: number;
  retried: number;
  uncertain: number;
}

const emptyReport = (): DispatchReport => ({
  events: 0,
  messages: 0,
  sent: 0,
  noQuota: 0,
  failed: 0,
  retried: 0,
  uncertain: 0,
});

/** The stored message also carries what is needed to build the WeChat message later. */
export interface StoredMessage extends Message {
  read: boolean;
  payload: OutboxEvent['payload'];
}

export const messageId = (eventId: string, openid: string) => `${eventId}_${openid}`;

async function recipientsOf(event: OutboxEvent): Promise<string[]> {
  const r = event.recipients;
  if ('openids' in r) return [...new Set(r.openids)];
  const signUps = await getAll<SignUp>(
    collection('signups').where({ activityId: r.activityId, status: cmd().in(r.statuses) }),
  );
  // Only those who had signed up when the event happened.
  return signUps.filter((s) => s.createdAt <= event.createdAt).map((s) => s.openid);
}

/** Create the event's messages (idempotently) and mark it done. Returns the new message ids. */
export async function fanOut(event: OutboxEvent, now: number): Promise<string[]> {
  const spec = templateOf(event.kind);
  const text = spec.message(event.payload);
  const created: string[] = [];
  for (const openid of await recipientsOf(event)) {
    const id = messageId(event._id, openid);
    const doc: Omit<StoredMessage, '_id'> = {
      eventId: event._id,
      openid,
      kind: event.kind,
      title: text.title,
      body: text.body,
      page: spec.page(event.payload),
      createdAt: event.createdAt,
      read: false,
      payload: event.payload,
      push: { status: 'pending', attempts: 0, nextAttemptAt: now },
    };
    const isNew = await transaction(async (t) => {
      if (await t.get('messages', id)) return false;
      await t.set('messages', id, doc as unknown as Record<string, unknown>);
      return true;
    });
    if (isNew) created.push(id);
  }
  await collection('outbox')
    .doc(event._id)
    .update({ status: 'done', doneAt: now, fannedOut: created.length });
  return created;
}

/**
 * Replace a message's push state as a whole (`_.set`: a plain object would be merged field by
 * field and keep stale keys such as an old lease).
 */
function setPush(t: TxDocs, id: string, push: PushState): Promise<void> {
  const clean = Object.fromEntries(Object.entries(push).filter(([, v]) => v !== undefined));
  return t.update('messages', id, { push: cmd().set(clean) });
}

type Claim = { message: StoredMessage } | { outcome: 'skip' | 'noQuota' };

/** Take one quota and a lease on the message, or record that there is no quota. */
async function claim(id: string, now: number): Promise<Claim> {
  return transaction(async (t): Promise<Claim> => {
    const m = await t.get<StoredMessage>('messages', id);
    if (!m || m.push.status !== 'pending' || (m.push.nextAttemptAt ?? 0) > now) return { outcome: 'skip' };
    const sub = await readSubscription(t, m.openid, m.kind);
    if (sub.quota <= 0) {
      await setPush(t, id, { ...m.push, status: 'noQuota' });
      return { outcome: 'noQuota' };
    }
    await writeSubscription(t, { ...sub, quota: sub.quota - 1, updatedAt: now });
    const push: PushState = {
      ...m.push,
      status: 'sending',
      attempts: m.push.attempts + 1,
      leaseUntil: now + LEASE_MS,
    };
    await setPush(t, id, push);
    return { message: { ...m, push } };
  });
}

async function settle(
  m: StoredMessage,
  errCode: number | undefined,
  errMsg: string,
  now: number,
): Promise<keyof DispatchReport> {
  return transaction(async (t) => {
    const current = await t.get<StoredMessage>('messages', m._id);
    if (!current || current.push.status !== 'sending') return 'uncertain'; // lease expired meanwhile
    const { leaseUntil: _lease, ...base } = current.push;
    if (errCode === undefined) {
      await setPush(t, m._id, { ...base, status: 'sent', sentAt: now });
      return 'sent';
    }
    const sub = await readSubscription(t, m.openid, m.kind);
    if (errCode === NO_QUOTA) {
      // WeChat says the user has no quota left: our count was wrong; trust WeChat.
      await writeSubscription(t, { ...sub, quota: 0, updatedAt: now });
      await setPush(t, m._id, { ...base, status: 'noQuota', errCode });
      return 'noQuota';
    }
    if (PERMANENT_ERRORS[errCode]) {
      await setPush(t, m._id, {
        ...base,
        status: 'failed',
        errCode,
        reason: `${PERMANENT_ERRORS[errCode]}：${errMsg}`,
      });
      return 'failed';
    }
    // Transient: WeChat did not deliver, so the quota was not used.
    await writeSubscription(t, { ...sub, quota: sub.quota + 1, updatedAt: now });
    if (current.push.attempts >= MAX_ATTEMPTS) {
      await setPush(t, m._id, {
        ...base,
        status: 'failed',
        errCode,
        reason: `重试 ${MAX_ATTEMPTS} 次仍失败：${errMsg}`,
      });
      return 'failed';
    }
    const delay = BACKOFF_MS[Math.min(current.push.attempts, BACKOFF_MS.length) - 1] ?? 30_000;
    await setPush(t, m._id, {
      ...base,
      status: 'pending',
      errCode,
      reason: errMsg,
      nextAttemptAt: now + delay,
    });
    return 'retried';
  });
}

/** Try to deliver one message's WeChat subscription message. */
export async function deliver(id: string, now: number): Promise<keyof DispatchReport | 'skip'> {
  const claimed = await claim(id, now);
  if ('outcome' in claimed) return claimed.outcome;
  const m = claimed.message;
  const rt = runtime();
  let errCode: number | undefined;
  let errMsg = '';
  try {
    await rt.messenger.send({
      touser: m.openid,
      templateId: rt.templateId(m.kind),
      page: m.page,
      data: templateOf(m.kind).data(m.payload),
    });
  } catch (err) {
    const e = err as { errCode?: number; errMsg?: string; message?: string };
    errCode = typeof e.errCode === 'number' ? e.errCode : -1; // network or SDK failure: transient
    errMsg = e.errMsg ?? e.message ?? String(err);
  }
  return settle(m, errCode, errMsg, now);
}

function count(report: DispatchReport, outcome: keyof DispatchReport | 'skip'): void {
  if (outcome !== 'skip') report[outcome] += 1;
}

/** Fan out the given events and deliver their messages (called right after the causing call). */
export async function dispatchEvents(eventIds: string[], now: number): Promise<DispatchReport> {
  const report = emptyReport();
  for (const id of eventIds) {
    const event = await getById<OutboxEvent>('outbox', id);
    if (!event || event.status !== 'pending') continue;
    const created = await fanOut(event, now);
    report.events += 1;
    report.messages += created.length;
    for (const m of created) count(report, await deliver(m, now));
  }
  return report;
}

/**
 * The sweep (timer): events not yet fanned out, messages due for a (re)try, and leases that
 * expired because a run stopped mid-send.
 */
export async function sweep(now: number, limit = 200): Promise<DispatchReport> {
  const _ = cmd();
  const report = emptyReport();
  const { data: events } = await collection('outbox')
    .where({ status: 'pending' })
    .orderBy('createdAt', 'asc')
    .limit(limit)
    .get();
  for (const event of events as OutboxEvent[]) {
    report.messages += (await fanOut(event, now)).length;
    report.events += 1;
  }
  const { data: stuck } = await collection('messages')
    .where({ 'push.status': 'sending', 'push.leaseUntil': _.lt(now) })
    .limit(limit)
    .get();
  for (const m of stuck as StoredMessage[]) {
    const marked = await transaction(async (t) => {
      const cur = await t.get<StoredMessage>('messages', m._id);
      if (!cur || cur.push.status !== 'sending' || (cur.push.leaseUntil ?? 0) >= now) return false;
      await setPush(t, m._id, {
        ...cur.push,
        status: 'uncertain',
        reason: '发送过程中断，为避免重复不再重发',
      });
      return true;
    });
    if (marked) report.uncertain += 1;
  }
  const { data: due } = await collection('messages')
    .where({ 'push.status': 'pending', 'push.nextAttemptAt': _.lte(now) })
    .orderBy('createdAt', 'asc')
    .limit(limit)
    .get();
  for (const m of due as StoredMessage[]) count(report, await deliver(m._id, now));
  return report;
}
