/**
 * Production adapters: Tencent CloudBase. The database is node-sdk's (the same @cloudbase/database
 * query builder the local engine drives); the caller's openid comes from the WeChat context that
 * CloudBase puts in the function's environment (WX_CONTEXT_KEYS / WX_OPENID), never from the event;
 * subscription messages go through wx-server-sdk's openapi (the function's config.json grants it).
 */
import tcb from '@cloudbase/node-sdk';
import * as cloud from 'wx-server-sdk';
import type { Runtime } from '../runtime';
import type { Database } from '../db-types';
import { templateIdFor } from '../notify/templates';

export function createCloudbaseRuntime(): Runtime {
  const app = tcb.init({ env: tcb.SYMBOL_CURRENT_ENV });
  const db = app.database() as unknown as Database;
  let cloudReady = false;
  return {
    db,
    identity: {
      callerOpenid() {
        const info = app.auth().getUserInfo() as { openId?: string };
        return info.openId || undefined;
      },
    },
    messenger: {
      async send(message) {
        if (!cloudReady) {
          // The typings say string; the SDK documents this symbol for "the current environment".
          cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string });
          cloudReady = true;
        }
        await cloud.openapi.subscribeMessage.send({
          ...message,
          miniprogramState:
            message.miniprogramState ??
            (process.env.WX_MINIPROGRAM_STATE as 'formal' | undefined) ??
            'formal',
          lang: 'zh_CN',
        });
      },
    },
    templateId: (kind) => templateIdFor(kind, process.env),
    now: () => Date.now(),
    log(level, message, extra) {
      // CloudBase collects console output into the function's logs.
      console[level](JSON.stringify({ level, message, ...extra }));
    },
  };
}
