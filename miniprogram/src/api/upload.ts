import Taro from '@tarojs/taro';
import { loadMe } from '../store/session';
import { ApiCallError, NETWORK_ERROR_MESSAGE } from './errors';
import { getToken } from './session';
import { API_BASE, refreshSession } from './client';

/** A photo the server can store: its file id (cloud:// or local) and a URL to show it. */
export interface UploadedPhoto {
  fileId: string;
  url: string;
}

export const MAX_PHOTOS = 9;

function failure(message: string = NETWORK_ERROR_MESSAGE): ApiCallError {
  return new ApiCallError({ code: 'INTERNAL', message });
}

/** True when the user closed the picker without choosing: not an error worth a toast. */
export function isCancel(err: unknown): boolean {
  const msg = (err as { errMsg?: unknown } | null)?.errMsg;
  return typeof msg === 'string' && /cancel/i.test(msg);
}

function extOf(path: string): string {
  const m = /\.([a-zA-Z0-9]{2,5})(?:\?|$)/.exec(path);
  return m ? m[1].toLowerCase() : 'jpg';
}

async function uploadWeapp(paths: string[]): Promise<UploadedPhoto[]> {
  const me = await loadMe();
  const openid = me.user.openid;
  const stamp = Date.now();
  const out: UploadedPhoto[] = [];
  for (let n = 0; n < paths.length; n++) {
    const filePath = paths[n];
    let res: { fileID?: string };
    try {
      res = (await Taro.cloud.uploadFile({
        cloudPath: `grievance/${openid}/${stamp}-${n}.${extOf(filePath)}`,
        filePath,
      })) as { fileID?: string };
    } catch {
      throw failure('图片上传失败，请重试');
    }
    if (!res.fileID) throw failure('图片上传失败，请重试');
    out.push({ fileId: res.fileID, url: filePath });
  }
  return out;
}

interface UploadBody {
  ok?: boolean;
  data?: { fileId?: string; url?: string };
  error?: { message?: string };
}

async function uploadH5(paths: string[]): Promise<UploadedPhoto[]> {
  const out: UploadedPhoto[] = [];
  for (const path of paths) {
    let body: UploadBody;
    try {
      const blob = await (await fetch(path)).blob();
      const send = () => {
        const token = getToken();
        return fetch(`${API_BASE}/api/upload`, {
          method: 'POST',
          body: blob,
          headers: {
            'Content-Type': blob.type || 'application/octet-stream',
            ...(token ? { Authorization: `Bearer ${token}` } : {}),
          },
        });
      };
      let res = await send();
      // An expired access token (2 h): renew it once and send again.
      if (res.status === 401 && (await refreshSession())) res = await send();
      body = (await res.json()) as UploadBody;
    } catch {
      throw failure();
    }
    if (!body.ok || !body.data?.fileId) throw failure(body.error?.message || '图片上传失败，请重试');
    out.push({ fileId: body.data.fileId, url: body.data.url || path });
  }
  return out;
}

/**
 * Lets the user pick up to `max` photos (camera or album) and uploads them: in WeChat to cloud
 * storage (`grievance/<openid>/<timestamp>-<n>.<ext>`), in H5 to the local server's /api/upload.
 * Resolves with [] when the user cancels; throws ApiCallError with a message to show otherwise.
 */
export async function chooseAndUploadPhotos(max: number): Promise<UploadedPhoto[]> {
  if (max <= 0) return [];
  let paths: string[];
  try {
    if (process.env.TARO_ENV === 'weapp') {
      const r = await Taro.chooseMedia({
        count: max,
        mediaType: ['image'],
        sourceType: ['album', 'camera'],
        sizeType: ['compressed'],
      });
      paths = r.tempFiles.map((f) => f.tempFilePath);
    } else {
      const r = await Taro.chooseImage({
        count: max,
        sizeType: ['compressed'],
        sourceType: ['album', 'camera'],
      });
      paths = r.tempFilePaths;
    }
  } catch (err) {
    if (isCancel(err)) return [];
    throw failure('没有取到图片，请重试');
  }
  paths = paths.slice(0, max);
  if (paths.length === 0) return [];
  return process.env.TARO_ENV === 'weapp' ? uploadWeapp(paths) : uploadH5(paths);
}
