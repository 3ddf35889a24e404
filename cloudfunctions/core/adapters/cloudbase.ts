/**
 * Production adapters: Tencent CloudBase. The database is node-sdk's (the same @cloudbase/database
 * query builder the local engine drives); the caller's openid comes from the WeChat context that
 * CloudBase puts in the function's environment (WX_CONTEXT_KEYS / WX_OPENID), never from the event;
 * subscription messages and content security go through wx-server-sdk's openapi (the function's
 * config.json grants it: subscribeMessage.send, security.msgSecCheck, security.mediaCheckAsync).
 * Images live in cloud storage: the app uploads them itself (`Taro.cloud.uploadFile`) to
 * `grievance/<openid>/<name>` and passes the file ids.
 */
import tcb from '@cloudbase/node-sdk';
import * as cloud from 'wx-server-sdk';
import type { ContentCheck, FileStorage, Runtime } from '../runtime';
import type { Database } from '../db-types';
import { templateIdFor } from '../notify/templates';

/** Same wording as the local word filter, so residents see one message whatever rejected them. */
export const CONTENT_REJECTED = '内容包含不适宜发布的词语，请修改后再提交';

const OPENID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * True when `fileId` is a cloud file under `grievance/<openid>/`: `cloud://<env>.<bucket>/grievance/<openid>/<name>`.
 * The folder is the app's convention, so this holds only while the storage security rules let a
 * user write (and overwrite) only their own files; it stops anyone citing someone else's upload.
 */
export function cloudFileOwnedBy(fileId: string, openid: string): boolean {
  if (!OPENID.test(openid)) return false;
  const match = /^cloud:\/\/[^/]+\/(.+)$/.exec(fileId);
  if (!match) return false;
  const rest = match[1];
  const prefix = `grievance/${openid}/`;
  if (!rest.startsWith(prefix)) return false;
  const name = rest.slice(prefix.length);
  // One plain file name: no sub-folders, no dot segments, nothing that could climb out of the folder.
  return /^[^/\\]+$/.test(name) && name !== '.' && name !== '..';
}

/** wx-server-sdk's `openapi.security`, typed (the SDK types openapi as `any`). Keys are camelCase:
 * the SDK converts them to the HTTP API's snake_case (media_url, …) and the answers back. */
interface SecurityApi {
  msgSecCheck(params: {
    openid: string;
    scene: 1 | 2 | 3 | 4;
    version: 2;
    content: string;
  }): Promise<{ errCode?: number; result?: { suggest?: string; label?: number } }>;
  mediaCheckAsync(params: {
    mediaUrl: string;
    mediaType: 1 | 2;
    version: 2;
    scene: 1 | 2 | 3 | 4;
    openid: string;
  }): Promise<{ errCode?: number; traceId?: string }>;
}

/** msgSecCheck takes at most ~2,500 characters per call; stay well below. */
const TEXT_CHUNK = 2000;
/** getTempFileURL answers for at most 50 files per request. */
const URL_BATCH = 50;

export function createCloudbaseRuntime(): Runtime {
  const app = tcb.init({ env: tcb.SYMBOL_CURRENT_ENV });
  const db = app.database() as unknown as Database;
  let cloudReady = false;
  const ensureCloud = () => {
    if (!cloudReady) {
      // The typings say string; the SDK documents this symbol for "the current environment".
      cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string });
      cloudReady = true;
    }
  };
  const log: Runtime['log'] = (level, message, extra) => {
    // CloudBase collects console output into the function's logs.
    console[level](JSON.stringify({ level, message, ...extra }));
  };
  const security = () => {
    ensureCloud();
    return (cloud.openapi as { security: SecurityApi }).security;
  };

  const urls = async (fileIds: string[]): Promise<string[]> => {
    const out: string[] = [];
    for (let i = 0; i < fileIds.length; i += URL_BATCH) {
      const batch = fileIds.slice(i, i + URL_BATCH);
      const { fileList } = await app.getTempFileURL({ fileList: batch });
      // Answers carry their fileID; map by it rather than trusting the order.
      const byId = new Map(fileList.map((f) => [f.fileID, f.code === 'SUCCESS' ? f.tempFileURL : '']));
      out.push(...batch.map((id) => byId.get(id) ?? ''));
    }
    return out;
  };

  const storage: FileStorage = {
    async ownedBy(fileId, openid) {
      return cloudFileOwnedBy(fileId, openid);
    },
    urls,
    // Exports: written by the function itself under exports/<owner>/, read back only through a
    // temporary URL (maxAge in seconds) handed to the worker who asked for it.
    async putDocument(bytes, name, owner) {
      const safe = name.replace(/[^\w\u4e00-\u9fa5.-]/g, '_');
      const { fileID } = await app.uploadFile({
        cloudPath: `exports/${owner}/${Date.now()}-${safe}`,
        fileContent: bytes,
      });
      return fileID;
    },
    async documentUrl(fileId, expiresInMs) {
      const { fileList } = await app.getTempFileURL({
        fileList: [{ fileID: fileId, maxAge: Math.max(60, Math.round(expiresInMs / 1000)) }],
      });
      const file = fileList[0];
      return file?.code === 'SUCCESS' ? file.tempFileURL : '';
    },
  };

  const contentCheck: ContentCheck = {
    async text(content, openid) {
      for (let i = 0; i < content.length; i += TEXT_CHUNK) {
        try {
          const res = await security().msgSecCheck({
            openid,
            scene: 1,
            version: 2,
            content: content.slice(i, i + TEXT_CHUNK),
          });
          if (res.result?.suggest !== 'pass') {
            log('info', 'msgSecCheck rejected text', {
              suggest: res.result?.suggest,
              label: res.result?.label,
            });
            return { ok: false, reason: CONTENT_REJECTED };
          }
        } catch (err) {
          // The check itself failed (WeChat outage, quota, a user not seen in the last two hours,
          // missing permission): log it and let the text through. Blocking residents' grievances on
          // a WeChat outage is worse than publishing unchecked text; staff review every grievance.
          const { errCode, errMsg } = err as { errCode?: number; errMsg?: string };
          log('warn', 'msgSecCheck failed; text allowed', { errCode, errMsg });
          return { ok: true };
        }
      }
      return { ok: true };
    },
    async images(fileIds, openid) {
      if (fileIds.length === 0) return;
      let list: string[];
      try {
        list = await urls(fileIds);
      } catch (err) {
        log('error', 'getTempFileURL failed; images not submitted for checking', {
          error: String((err as Error).message ?? err),
        });
        return;
      }
      // Results arrive within ~30 minutes as a `wxa_media_check` event push, matched by traceId.
      for (const [index, mediaUrl] of list.entries()) {
        if (!mediaUrl) {
          log('error', 'mediaCheckAsync skipped: no temporary URL', { index });
          continue;
        }
        try {
          const res = await security().mediaCheckAsync({
            mediaUrl,
            mediaType: 2,
            version: 2,
            scene: 1,
            openid,
          });
          log('info', 'mediaCheckAsync submitted', { index, traceId: res.traceId });
        } catch (err) {
          const { errCode, errMsg } = err as { errCode?: number; errMsg?: string };
          log('error', 'mediaCheckAsync failed', { index, errCode, errMsg });
        }
      }
    },
  };

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
        ensureCloud();
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
    storage,
    contentCheck,
    demo: false,
    templateId: (kind) => templateIdFor(kind, process.env),
    now: () => Date.now(),
    log,
  };
}
