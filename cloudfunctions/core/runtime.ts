/**
 * The adapters a handler runs on. Handlers never know where they run: production installs the
 * CloudBase adapters (lazily, on first use), the local server and the tests install the embedded
 * ones. Only these adapters differ between environments; every rule and handler is shared.
 */
import type { NotifyKind } from '../../types/domain';
import type { Database } from './db-types';
import type { TemplateData } from './notify/templates';
import type { createCloudbaseRuntime as CreateCloudbaseRuntime } from './adapters/cloudbase';

export interface IdentityAdapter {
  /**
   * The caller's openid, from the platform — the WeChat context in production, the server's
   * session locally. Never from the request body. Undefined when nobody is logged in.
   */
  callerOpenid(context: unknown): string | undefined;
}

/** A WeChat subscription message, as wx-server-sdk's `subscribeMessage.send` takes it. */
export interface SubscribeMessage {
  touser: string;
  templateId: string;
  page: string;
  data: TemplateData;
  miniprogramState?: 'developer' | 'trial' | 'formal';
}

export interface MessageSender {
  /** Sends one message; throws `{ errCode, errMsg }` on failure, like wx-server-sdk. */
  send(message: SubscribeMessage): Promise<void>;
}

/**
 * Uploaded images. In WeChat the app uploads to cloud storage itself (`Taro.cloud.uploadFile`)
 * and passes file ids; locally the server's upload endpoint stores them. Either way a handler
 * only accepts ids this adapter vouches for.
 */
export interface FileStorage {
  /** True when `fileId` is an image that `openid` uploaded and that passed validation. */
  ownedBy(fileId: string, openid: string): Promise<boolean>;
  /** URLs to display the images (same order; temporary URLs in production). */
  urls(fileIds: string[]): Promise<string[]>;
  /**
   * Generated documents (report exports): store `bytes` as `name` (e.g. `名册.xlsx`) on behalf of
   * `owner` and return the file id. Cloud storage in production (`exports/<owner>/…`), the data
   * folder locally.
   */
  putDocument(bytes: Buffer, name: string, owner: string): Promise<string>;
  /** An expiring download link for a stored document (a temporary URL in production). */
  documentUrl(fileId: string, expiresInMs: number): Promise<string>;
}

/** Content security: WeChat's msgSecCheck / mediaCheckAsync in production, a word filter locally. */
export interface ContentCheck {
  /** `ok: false` with a Chinese reason when the text must not be published. */
  text(content: string, openid: string): Promise<{ ok: true } | { ok: false; reason: string }>;
  /** Starts checking images (asynchronous on WeChat's side); refused ones are reported later. */
  images(fileIds: string[], openid: string): Promise<void>;
}

export interface Runtime {
  db: Database;
  identity: IdentityAdapter;
  messenger: MessageSender;
  storage: FileStorage;
  contentCheck: ContentCheck;
  /** Demo mode (local server only): allows the built-in data secret for field encryption. */
  demo: boolean;
  /** The deployment's WeChat template id for a kind of notification. */
  templateId(kind: NotifyKind): string;
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
