export { call, login, logout, fetchConfig, fetchDevOutbox, initCloud, API_BASE } from './client';
export type { LoginResult } from './client';
export { ApiCallError, errorMessage, NETWORK_ERROR_MESSAGE } from './errors';
export { getToken, setToken, clearToken, onTokenChange, redirectToLogin, LOGIN_PAGE } from './session';
