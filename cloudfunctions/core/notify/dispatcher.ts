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
import { cmd, collection, transaction, type TxDocs } from '../db';
import { chunks, defineJob, mapLimit } from '../jobs';
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

/** Recipients written inside the causing transaction; more go to a fan-out job. */
export const INLINE_RECIPIENTS = 20;
/** Message entries created per transaction by a fan-out batch, and such transactions at once. */
const ENTRIES_PER_TX = 20;
const TX_CONCURRENCY = 5;
/** WeChat sends at once (each: claim, send, settle). */
export const SEND_CONCURRENCY = 10;
/** Wall time one sweep spends sending (the timer function's timeout is 10 s). */
export const SEND_TIME_BUDGET_MS = 2_500;

type EventLike = Pick<OutboxEvent, '_id' | 'kind' | 'payload' | 'createdAt'>;

/** The message-centre entry of an event for one recipient (not yet stored). */
export function buildMessage(event: EventLike, openid: string, now: number): Omit<StoredMessage, '_id'> {
  const spec = templateOf(event.kind);
  const text = spec.message(event.payload);
  return {
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
}

/**
 * Create the event's entries for `openids` where absent (a transaction per chunk, chunks in
 * parallel): running again, or alongside another runner, creates nothing twice. Returns the ids
 * created now.
 */
export async function createMessagesOnce(
  event: EventLike,
  openids: string[],
  now: number,
): Promise<string[]> {
  const created = await mapLimit(chunks([...new Set(openids)], ENTRIES_PER_TX), TX_CONCURRENCY, (part) =>
    transaction(async (t) => {
      const ids = part.map((o) => messageId(event._id, o));
      const existing = await Promise.all(ids.map((id) => t.get<StoredMessage>('messages', id)));
      const missing = part.filter((_, i) => !existing[i]);
      await Promise.all(
        missing.map((o) =>
          t.set(
            'messages',
            messageId(event._id, o),
            buildMessage(event, o, now) as unknown as Record<string, unknown>,
          ),
        ),
      );
      return missing.map((o) => messageId(event._id, o));
    }),
  );
  return created.flat();
}

/** What a fan-out job carries: the event itself (so a batch need not read the outbox). */
export type FanOutPayload = Pick<OutboxEvent, '_id' | 'kind' | 'payload' | 'recipients' | 'createdAt'>;

/** One page of an event's recipients after `cursor`: openids, and the cursor after them. */
async function recipientsPage(
  event: FanOutPayload,
  cursor: string | null,
  limit: number,
): Promise<{ openids: string[]; next: string | null; scanned: number }> {
  const r = event.recipients;
  if ('openids' in r) {
    const all = [...new Set(r.openids)];
    const from = cursor ? Number(cursor) : 0;
    const openids = all.slice(from, from + limit);
    const to = from + openids.length;
    return { openids, next: to < all.length ? String(to) : null, scanned: openids.length };
  }
  const signUps = await signUpsAfter(r.activityId, cursor, limit);
  const openids = signUps
    // Only those who had signed up when the event happened.
    .filter((s) => r.statuses.includes(s.status) && s.createdAt <= event.createdAt)
    .map((s) => s.openid);
  const last = signUps[signUps.length - 1];
  return { openids, next: signUps.length < limit || !last ? null : last._id, scanned: signUps.length };
}

/** An activity's sign-ups in `_id` order after `cursor` (keyset paging; no skip). */
export async function signUpsAfter(
  activityId: string,
  cursor: string | null,
  limit: number,
): Promise<SignUp[]> {
  const where: Record<string, unknown> = { activityId };
  if (cursor) where._id = cmd().gt(cursor);
  const { data } = await collection('signups').where(where).orderBy('_id', 'asc').limit(limit).get();
  return data as SignUp[];
}

/**
 * The fan-out job: an event's entries, a page of recipients per batch. The WeChat sends follow
 * from the sweep (pending entries are due at once).
 */
export const fanOutJob = defineJob<FanOutPayload>({
  kind: 'notifyFanOut',
  async batch(event, cursor, { now, limit }) {
    const page = await recipientsPage(event, cursor, limit);
    await createMessagesOnce(event, page.openids, now);
    return { next: page.next, processed: page.scanned };
  },
  async finish(event, { now }) {
    await collection('outbox').doc(event._id).update({ status: 'done', doneAt: now });
  },
});

/**
 * Replace a message's push state as a whole (`_.set`: a plain object would be merged field by
 * field and keep stale keys such as an old lease).
 */
function setPush(t: TxDocs, id: string, push: PushState): Promise<void> {
  const clean = Object.fromEntries(Object.entries(push).filter(([, v]) => v !== undefined));
  return t.update('messages', id, { push: cmd().set(clean) });
}

type Claim = { message: StoredMessage } | { outcome: 'skip' | 'noQuota' };

/** Who a message is for, known from the query that found it (so reads go together). */
export type MessageRef = Pick<StoredMessage, '_id' | 'openid' | 'kind'>;

/** Take one quota and a lease on the message, or record that there is no quota. */
async function claim(ref: MessageRef, now: number): Promise<Claim> {
  const id = ref._id;
  return transaction(async (t): Promise<Claim> => {
    const [m, sub] = await Promise.all([
      t.get<StoredMessage>('messages', id),
      readSubscription(t, ref.openid, ref.kind),
    ]);
    if (!m || m.push.status !== 'pending' || (m.push.nextAttemptAt ?? 0) > now) return { outcome: 'skip' };
    if (sub.quota <= 0) {
      await setPush(t, id, { ...m.push, status: 'noQuota' });
      return { outcome: 'noQuota' };
    }
    const push: PushState = {
      ...m.push,
      status: 'sending',
      attempts: m.push.attempts + 1,
      leaseUntil: now + LEASE_MS,
    };
    await Promise.all([
      writeSubscription(t, { ...sub, quota: sub.quota - 1, updatedAt: now }),
      setPush(t, id, push),
    ]);
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
    const [current, sub] = await Promise.all([
      t.get<StoredMessage>('messages', m._id),
      readSubscription(t, m.openid, m.kind),
    ]);
    if (!current || current.push.status !== 'sending') return 'uncertain'; // lease expired meanwhile
    const { leaseUntil: _lease, ...base } = current.push;
    if (errCode === undefined) {
      await setPush(t, m._id, { ...base, status: 'sent', sentAt: now });
      return 'sent';
    }
    if (errCode === NO_QUOTA) {
      // WeChat says the user has no quota left: our count was wrong; trust WeChat.
      await Promise.all([
        writeSubscription(t, { ...sub, quota: 0, updatedAt: now }),
        setPush(t, m._id, { ...base, status: 'noQuota', errCode }),
      ]);
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
    const giveBack = writeSubscription(t, { ...sub, quota: sub.quota + 1, updatedAt: now });
    if (current.push.attempts >= MAX_ATTEMPTS) {
      await Promise.all([
        giveBack,
        setPush(t, m._id, {
          ...base,
          status: 'failed',
          errCode,
          reason: `重试 ${MAX_ATTEMPTS} 次仍失败：${errMsg}`,
        }),
      ]);
      return 'failed';
    }
    const delay = BACKOFF_MS[Math.min(current.push.attempts, BACKOFF_MS.length) - 1] ?? 30_000;
    await Promise.all([
      giveBack,
      setPush(t, m._id, {
        ...base,
        status: 'pending',
        errCode,
        reason: errMsg,
        nextAttemptAt: now + delay,
      }),
    ]);
    return 'retried';
  });
}

/** Try to deliver one message's WeChat subscription message. */
export async function deliver(ref: MessageRef, now: number): Promise<keyof DispatchReport | 'skip'> {
  const claimed = await claim(ref, now);
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

/**
 * The sweep (timer): leases that expired because a run stopped mid-send become `uncertain`, and
 * messages due for a (first or later) try are sent, SEND_CONCURRENCY at a time, within a time
 * budget (what is left is due again on the next run).
 */
export async function sweep(
  now: number,
  opts: { limit?: number; budgetMs?: number } = {},
): Promise<DispatchReport> {
  const limit = opts.limit ?? 500;
  const budget = opts.budgetMs ?? SEND_TIME_BUDGET_MS;
  const started = Date.now();
  const _ = cmd();
  const report = emptyReport();
  const [{ data: stuck }, { data: due }] = await Promise.all([
    collection('messages')
      .where({ 'push.status': 'sending', 'push.leaseUntil': _.lt(now) })
      .limit(limit)
      .get(),
    collection('messages')
      .where({ 'push.status': 'pending', 'push.nextAttemptAt': _.lte(now) })
      .orderBy('push.nextAttemptAt', 'asc')
      .limit(limit)
      .get(),
  ]);
  await mapLimit(stuck as StoredMessage[], SEND_CONCURRENCY, async (m) => {
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
  });
  await mapLimit(due as StoredMessage[], SEND_CONCURRENCY, async (m) => {
    if (Date.now() - started >= budget) return;
    count(report, await deliver(m, now));
  });
  return report;
}

/**
 * For timer tasks that record events (grievance overdue reminders): nothing to do any more. Their
 * entries were written with the event (or by its fan-out job) and are due at once; the sweep,
 * which runs last in the same timer run, sends them.
 */
export async function dispatchEvents(eventIds: string[], _now: number): Promise<DispatchReport> {
  return { ...emptyReport(), events: eventIds.length };
}
