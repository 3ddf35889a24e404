import Taro from '@tarojs/taro';

/** H5 session tokens (weapp identity comes from WeChat itself): access (2 h) and refresh (30 days). */
const TOKEN_KEY = 'txy:token';
const REFRESH_KEY = 'txy:refresh';

type Listener = () => void;
const listeners = new Set<Listener>();

export function getToken(): string {
  try {
    return (Taro.getStorageSync(TOKEN_KEY) as string) || '';
  } catch {
    return '';
  }
}

export function getRefreshToken(): string {
  try {
    return (Taro.getStorageSync(REFRESH_KEY) as string) || '';
  } catch {
    return '';
  }
}

export function setToken(token: string, refreshToken?: string): void {
  Taro.setStorageSync(TOKEN_KEY, token);
  if (refreshToken) Taro.setStorageSync(REFRESH_KEY, refreshToken);
  listeners.forEach((l) => l());
}

export function clearToken(): void {
  try {
    Taro.removeStorageSync(TOKEN_KEY);
    Taro.removeStorageSync(REFRESH_KEY);
  } catch {
    /* ignore */
  }
  listeners.forEach((l) => l());
}

export function onTokenChange(l: Listener): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

export const LOGIN_PAGE = '/pages/login/index';

/** H5 only: go to the login page (when there is no token or the server answered 401). */
export function redirectToLogin(): void {
  if (process.env.TARO_ENV !== 'h5') return;
  const pages = Taro.getCurrentPages();
  const current = pages[pages.length - 1];
  if (current && `/${current.route}`.startsWith(LOGIN_PAGE)) return;
  Taro.reLaunch({ url: LOGIN_PAGE });
}
