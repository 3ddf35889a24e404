import type { MessageView, NotifyPreference } from '../../types/api';
import { NOTIFY_KINDS, type NotifyKind } from '../../types/domain';
import { notifySchemas } from '../../types/schemas';
import { cmd, collection, transaction } from '../core/db';
import { invalid } from '../core/errors';
import { defineActions } from '../core/function';
import type { StoredMessage } from '../core/notify/dispatcher';
import { changeSubscription, readSubscription, type Subscription } from '../core/notify/subscriptions';
import { SCENES, TEMPLATES } from '../core/notify/templates';
import { queryPage } from '../core/paging';
import { runtime } from '../core/runtime';

export const schemas = notifySchemas;

const toView = (m: StoredMessage): MessageView => ({
  _id: m._id,
  kind: m.kind,
  title: m.title,
  body: m.body,
  page: m.page,
  createdAt: m.createdAt,
  read: m.read,
});

async function unreadOf(openid: string): Promise<number> {
  const { total } = (await collection('messages').where({ openid, read: false }).count()) as {
    total: number;
  };
  return total;
}

async function subscriptionsOf(openid: string): Promise<Subscription[]> {
  return transaction(async (t) => Promise.all(NOTIFY_KINDS.map((kind) => readSubscription(t, openid, kind))));
}

async function preferences(openid: string): Promise<{ items: NotifyPreference[] }> {
  const subs = await subscriptionsOf(openid);
  return {
    items: subs.map((s) => ({
      kind: s.kind,
      label: TEMPLATES[s.kind].label,
      description: TEMPLATES[s.kind].description,
      ask: s.ask,
      quota: s.quota,
    })),
  };
}

export const actions = defineActions('notify', {
  templates: {
    roles: 'any',
    async handler({ caller }, { scene }) {
      const subs = await subscriptionsOf(caller.openid);
      const rt = runtime();
      return {
        templates: SCENES[scene]
          .filter((kind) => subs.find((s) => s.kind === kind)?.ask !== false)
          .map((kind) => ({ kind, templateId: rt.templateId(kind), label: TEMPLATES[kind].label })),
      };
    },
  },

  subscribe: {
    roles: 'any',
    async handler({ caller, now }, { scene, results }) {
      const rt = runtime();
      const byTemplate = new Map<string, NotifyKind>(
        SCENES[scene].map((kind) => [rt.templateId(kind), kind]),
      );
      const unknown = Object.keys(results).filter((id) => !byTemplate.has(id));
      if (unknown.length) throw invalid(`未知的消息模板：${unknown.join('、')}`);
      const quotas = [];
      for (const [templateId, answer] of Object.entries(results)) {
        const kind = byTemplate.get(templateId) as NotifyKind;
        // One accept allows exactly one message; other answers leave earlier accepts intact.
        const sub = await changeSubscription(
          caller.openid,
          kind,
          (s) => ({ quota: s.quota + (answer === 'accept' ? 1 : 0), lastAnswer: answer }),
          now,
        );
        quotas.push({ kind, quota: sub.quota, answer });
      }
      return { quotas };
    },
  },

  list: {
    roles: 'any',
    async handler({ caller }, input) {
      const where: Record<string, unknown> = { openid: caller.openid };
      if (input.unreadOnly) where.read = false;
      const [page, unread] = await Promise.all([
        queryPage(
          collection('messages').where(where),
          { field: 'createdAt', order: 'desc' },
          input,
          (docs: StoredMessage[]) => docs.map(toView),
        ),
        unreadOf(caller.openid),
      ]);
      return { ...page, unread };
    },
  },

  unreadCount: {
    roles: 'any',
    async handler({ caller }) {
      return { unread: await unreadOf(caller.openid) };
    },
  },

  markRead: {
    roles: 'any',
    async handler({ caller, now }, { ids }) {
      // The openid condition keeps everyone to their own messages.
      const where: Record<string, unknown> = { openid: caller.openid, read: false };
      if (ids) where._id = cmd().in(ids);
      await collection('messages').where(where).update({ read: true, readAt: now });
      return { unread: await unreadOf(caller.openid) };
    },
  },

  preferences: {
    roles: 'any',
    async handler({ caller }) {
      return preferences(caller.openid);
    },
  },

  setPreference: {
    roles: 'any',
    async handler({ caller, now }, { kind, ask }) {
      await changeSubscription(caller.openid, kind, () => ({ ask }), now);
      return preferences(caller.openid);
    },
  },
});
