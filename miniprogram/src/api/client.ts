import Taro from '@tarojs/taro';
import type {
  ActionName,
  ApiError,
  FunctionName,
  RequestOf,
  ResponseOf,
  Result,
  SinkRecord,
  UserView,
} from '../../../types/api';
import { ApiCallError, NETWORK_ERROR_MESSAGE } from './errors';
import { clearToken, getRefreshToken, getToken, redirectToLogin, setToken } from './session';

/** '' = same origin (H5 served by the local server). */
export const API_BASE = '';

/** Statuses the local server uses for `{ ok, data | error }` bodies. */
const RESULT_STATUSES = new Set([200, 400, 401, 403, 404, 409, 429, 500]);

function networkError(): ApiCallError {
  return new ApiCallError({ code: 'INTERNAL', message: NETWORK_ERROR_MESSAGE });
}

function isResult(body: unknown): body is Result<unknown> {
  return typeof body === 'object' && body !== null && typeof (body as { ok?: unknown }).ok === 'boolean';
}

let cloudReady = false;
/** Called once at launch in weapp. */
export function initCloud(): void {
  if (process.env.TARO_ENV !== 'weapp' || cloudReady) return;
  if (Taro.cloud && typeof Taro.cloud.init === 'function') {
    // The CloudBase environment id comes from the build (TARO_APP_CLOUD_ENV); without it
    // WeChat uses the mini-program's default environment.
    const env = process.env.TARO_APP_CLOUD_ENV;
    Taro.cloud.init({ traceUser: true, ...(env ? { env } : {}) });
  }
  cloudReady = true;
}

async function transport(fn: string, action: string, data: unknown): Promise<Result<unknown>> {
  if (process.env.TARO_ENV === 'weapp') {
    let res: { result?: unknown };
    try {
      res = await (Taro.cloud.callFunction({
        name: fn,
        data: { action, data },
      } as never) as unknown as Promise<{
        result?: unknown;
      }>);
    } catch {
      throw networkError();
    }
    if (!isResult(res.result)) throw networkError();
    return res.result;
  }
  if (!getToken()) {
    redirectToLogin();
    throw new ApiCallError({ code: 'UNAUTHENTICATED', message: '请先登录' });
  }
  const send = async (): Promise<Taro.request.SuccessCallbackResult<TaroGeneral.IAnyObject | string>> => {
    try {
      return await Taro.request({
        url: `${API_BASE}/api/call/${fn}`,
        method: 'POST',
        data: { action, data },
        header: { 'Content-Type': 'application/json', Authorization: `Bearer ${getToken()}` },
        dataType: 'json',
      });
    } catch {
      throw networkError();
    }
  };
  let res = await send();
  // The access token lives 2 hours: renew it with the refresh token once and repeat the call.
  if (res.statusCode === 401 && (await refreshSession())) res = await send();
  if (!RESULT_STATUSES.has(res.statusCode) || !isResult(res.data)) throw networkError();
  if (res.statusCode === 401 || (!res.data.ok && res.data.error.code === 'UNAUTHENTICATED')) {
    clearToken();
    redirectToLogin();
  }
  return res.data;
}

let refreshing: Promise<boolean> | undefined;

/**
 * H5: trades the refresh token for new tokens (one request however many calls got a 401 at
 * once). False when there is none or the server refused it (expired, or the user logged out).
 */
export function refreshSession(): Promise<boolean> {
  const refreshToken = getRefreshToken();
  if (!refreshToken) return Promise.resolve(false);
  refreshing ??= (async () => {
    try {
      const res = await Taro.request({
        url: `${API_BASE}/api/refresh`,
        method: 'POST',
        data: { refreshToken },
        header: { 'Content-Type': 'application/json' },
        dataType: 'json',
      });
      const body = res.data as { ok?: boolean; data?: { token?: string; refreshToken?: string } };
      if (res.statusCode !== 200 || !body?.ok || !body.data?.token) return false;
      setToken(body.data.token, body.data.refreshToken);
      return true;
    } catch {
      return false;
    } finally {
      refreshing = undefined;
    }
  })();
  return refreshing;
}

/**
 * Calls one action of one cloud function with the contract's request type and resolves with its
 * response type; throws ApiCallError (code, message, fields) on `{ ok: false }`.
 */
export async function call<F extends FunctionName, A extends ActionName<F>>(
  fn: F,
  action: A,
  data: RequestOf<F, A>,
): Promise<ResponseOf<F, A>> {
  const result = await transport(fn, action, data);
  if (!result.ok) throw new ApiCallError(result.error);
  return result.data as ResponseOf<F, A>;
}

// ---------- H5 login ----------
export interface LoginResult {
  token: string;
  refreshToken: string;
  expiresIn: number;
  user: UserView;
}

async function postJson<T>(
  url: string,
  method: 'GET' | 'POST',
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  let res: Taro.request.SuccessCallbackResult<TaroGeneral.IAnyObject | string>;
  try {
    res = await Taro.request({
      url: `${API_BASE}${url}`,
      method,
      data: body as never,
      header: { 'Content-Type': 'application/json', ...headers },
      dataType: 'json',
    });
  } catch {
    throw networkError();
  }
  if (!isResult(res.data)) throw networkError();
  if (!res.data.ok) throw new ApiCallError((res.data as { error: ApiError }).error);
  return res.data.data as T;
}

/** H5: log in with a code (`demo:<openid>` in demo mode) and keep the token. */
export async function login(code: string): Promise<LoginResult> {
  const data = await postJson<LoginResult>('/api/login', 'POST', { code });
  setToken(data.token, data.refreshToken);
  return data;
}

/** H5: server configuration (demo mode offers the demo users on the login page). */
export async function fetchConfig(): Promise<{ demo: boolean }> {
  return postJson<{ demo: boolean }>('/api/config', 'GET');
}

/** H5 demo mode: the subscription messages the local sink received, newest first. */
export async function fetchDevOutbox(): Promise<{ records: SinkRecord[] }> {
  const token = getToken();
  return postJson<{ records: SinkRecord[] }>(
    '/api/dev/outbox',
    'GET',
    undefined,
    token ? { Authorization: `Bearer ${token}` } : {},
  );
}

/**
 * H5: forgets the tokens here at once, then ends every session of this user on the server (all
 * their devices). Offline, the local tokens are gone anyway.
 */
export async function logout(): Promise<void> {
  const token = getToken();
  const refreshToken = getRefreshToken();
  clearToken();
  if (!token && !refreshToken) return;
  try {
    await Taro.request({
      url: `${API_BASE}/api/logout`,
      method: 'POST',
      data: { refreshToken },
      header: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      dataType: 'json',
    });
  } catch {
    /* offline: the tokens are already gone here */
  }
}
