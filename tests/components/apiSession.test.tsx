/**
 * The H5 API client's session handling (issue 10): tokens from login, a transparent refresh when
 * the 2-hour access token has expired, back to login when the refresh is refused, and logout.
 */
import Taro from '@tarojs/taro';
import { call, login, logout } from '../../miniprogram/src/api/client';
import { getRefreshToken, getToken } from '../../miniprogram/src/api/session';

const request = Taro.request as unknown as jest.Mock;
type Opts = { url: string; data?: unknown; header?: Record<string, string> };
const ok = (data: unknown) => ({ statusCode: 200, data: { ok: true, data } });
const expired = {
  statusCode: 401,
  data: { ok: false, error: { code: 'UNAUTHENTICATED', message: '登录已过期，请重新登录' } },
};

afterEach(() => {
  request.mockReset();
  (Taro.reLaunch as unknown as jest.Mock | undefined)?.mockClear?.();
  Taro.removeStorageSync('txy:token');
  Taro.removeStorageSync('txy:refresh');
});

async function loggedIn() {
  request.mockImplementationOnce(async () =>
    ok({ token: 'access-1', refreshToken: 'refresh-1', expiresIn: 7200, user: { openid: 'demo-resident' } }),
  );
  await login('demo:demo-resident');
}

it('keeps the access and refresh tokens from login', async () => {
  await loggedIn();
  expect(getToken()).toBe('access-1');
  expect(getRefreshToken()).toBe('refresh-1');
});

it('refreshes an expired access token once and repeats the call', async () => {
  await loggedIn();
  const seen: string[] = [];
  request.mockImplementation(async (o: Opts) => {
    seen.push(`${o.url} ${o.header?.Authorization ?? JSON.stringify(o.data)}`);
    if (o.url === '/api/refresh')
      return ok({ token: 'access-2', refreshToken: 'refresh-2', expiresIn: 7200 });
    return o.header?.Authorization === 'Bearer access-2'
      ? ok({ user: { openid: 'demo-resident' } })
      : expired;
  });
  await expect(call('user', 'me', {})).resolves.toEqual({ user: { openid: 'demo-resident' } });
  expect(seen).toEqual([
    '/api/call/user Bearer access-1',
    '/api/refresh {"refreshToken":"refresh-1"}',
    '/api/call/user Bearer access-2',
  ]);
  expect(getToken()).toBe('access-2');
  expect(getRefreshToken()).toBe('refresh-2');
});

it('goes back to login when the refresh token is refused (logged out elsewhere)', async () => {
  await loggedIn();
  request.mockImplementation(async () => expired);
  await expect(call('user', 'me', {})).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  expect(request.mock.calls.map(([o]: [Opts]) => o.url)).toEqual([
    '/api/login',
    '/api/call/user',
    '/api/refresh',
  ]);
  expect(getToken()).toBe('');
  expect(getRefreshToken()).toBe('');
});

it('logout ends the sessions on the server and forgets the tokens', async () => {
  await loggedIn();
  request.mockImplementation(async () => ok({}));
  await logout();
  expect(request).toHaveBeenCalledWith(
    expect.objectContaining({
      url: '/api/logout',
      method: 'POST',
      data: { refreshToken: 'refresh-1' },
      header: expect.objectContaining({ Authorization: 'Bearer access-1' }),
    }),
  );
  expect(getToken()).toBe('');
  expect(getRefreshToken()).toBe('');
});
