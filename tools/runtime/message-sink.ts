/**
 * The local stand-in for WeChat's subscribeMessage.send: records every message in the `dev_sink`
 * collection (shown at GET /api/dev/outbox and on the app's dev page) and can be told to answer
 * with WeChat error codes, so tests can drive quota, permanent and transient failures.
 */
import { randomUUID } from 'node:crypto';
import type { SinkRecord } from '../../types/api';
import type { NotifyKind } from '../../types/domain';
import type { Database } from '../../cloudfunctions/core/db-types';
import type { MessageSender, SubscribeMessage } from '../../cloudfunctions/core/runtime';

export interface LocalSink extends MessageSender {
  /** The next `times` sends (to `touser`, or to anyone) answer with WeChat error `errCode`. */
  failNext(errCode: number, options?: { times?: number; touser?: string }): void;
  /** The next send is delivered but never returns (a dispatcher that dies mid-send). */
  hangNext(): void;
  records(limit?: number): Promise<SinkRecord[]>;
}

const ERR_MSG: Record<number, string> = {
  43101: 'user refuse to accept the msg',
  40003: 'invalid openid',
  40037: 'invalid template_id',
  47003: 'argument invalid! data.thing1.value too long',
  [-1]: 'system error',
};

export function createLocalSink(
  db: Database,
  now: () => number,
  kindOf: (templateId: string) => NotifyKind,
): LocalSink {
  const failures: { errCode: number; times: number; touser?: string }[] = [];
  let hang = false;
  return {
    failNext(errCode, options = {}) {
      failures.push({ errCode, times: options.times ?? 1, touser: options.touser });
    },
    hangNext() {
      hang = true;
    },
    async send(message: SubscribeMessage) {
      const failure = failures.find((f) => f.times > 0 && (!f.touser || f.touser === message.touser));
      if (failure) failure.times -= 1;
      const record: Omit<SinkRecord, '_id'> = {
        at: now(),
        touser: message.touser,
        templateId: message.templateId,
        kind: kindOf(message.templateId),
        page: message.page,
        data: message.data,
        result: failure ? failure.errCode : 'ok',
      };
      await db.collection('dev_sink').doc(randomUUID().replace(/-/g, '')).set(record);
      if (hang) {
        hang = false;
        await new Promise(() => undefined);
      }
      if (failure) throw { errCode: failure.errCode, errMsg: ERR_MSG[failure.errCode] ?? 'error' };
    },
    async records(limit = 100) {
      const { data } = await db.collection('dev_sink').orderBy('at', 'desc').limit(limit).get();
      return data as SinkRecord[];
    },
  };
}
