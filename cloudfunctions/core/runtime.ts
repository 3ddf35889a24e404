/**
 * The adapters a handler runs on. Handlers never know where they run: production installs the
 * CloudBase adapters (lazily, on first use), the local server and the tests install the embedded
 * ones. Only these adapters differ between environments; every rule and handler is shared.
 */
import type { Database } from './db-types';
import type { createCloudbaseRuntime as CreateCloudbaseRuntime } from './adapters/cloudbase';

export interface IdentityAdapter {
  /**
   * The caller's openid, from the platform — the WeChat context in production, the server's
   * session locally. Never from the request body. Undefined when nobody is logged in.
   */
  callerOpenid(context: unknown): string | undefined;
}

export interface Runtime {
  db: Database;
  identity: IdentityAdapter;
  /** Current time in epoch ms; tests and the local scheduler may control it. */
  now(): number;
  /** Where the runtime writes diagnostics; never given personal data. */
  log(level: 'info' | 'warn' | 'error', message: string, extra?: Record<string, unknown>): void;
}

let current: Runtime | undefined;

export function installRuntime(runtime: Runtime): void {
  current = runtime;
}

export function runtime(): Runtime {
  if (!current) {
    // Production: the function was deployed to CloudBase and nothing installed a runtime.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { createCloudbaseRuntime } = require('./adapters/cloudbase') as {
      createCloudbaseRuntime: typeof CreateCloudbaseRuntime;
    };
    current = createCloudbaseRuntime();
  }
  return current;
}
