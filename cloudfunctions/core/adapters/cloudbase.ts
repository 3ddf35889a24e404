/**
 * Production adapters: Tencent CloudBase. The database is node-sdk's (the same @cloudbase/database
 * query builder the local engine drives); the caller's openid comes from the WeChat context that
 * CloudBase puts in the function's environment (WX_CONTEXT_KEYS / WX_OPENID), never from the event.
 */
import tcb from '@cloudbase/node-sdk';
import type { Runtime } from '../runtime';
import type { Database } from '../db-types';

export function createCloudbaseRuntime(): Runtime {
  const app = tcb.init({ env: tcb.SYMBOL_CURRENT_ENV });
  const db = app.database() as unknown as Database;
  return {
    db,
    identity: {
      callerOpenid() {
        const info = app.auth().getUserInfo() as { openId?: string };
        return info.openId || undefined;
      },
    },
    now: () => Date.now(),
    log(level, message, extra) {
      // CloudBase collects console output into the function's logs.
      console[level](JSON.stringify({ level, message, ...extra }));
    },
  };
}
