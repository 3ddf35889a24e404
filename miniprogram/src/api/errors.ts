import type { ApiError, ErrorCode } from '../../../types/api';

/** Thrown by `call` when the server answers `{ ok: false }` or the transport fails. */
export class ApiCallError extends Error implements ApiError {
  code: ErrorCode;
  fields?: Record<string, string>;

  constructor(error: ApiError) {
    super(error.message);
    this.name = 'ApiCallError';
    this.code = error.code;
    this.fields = error.fields;
  }
}

export const NETWORK_ERROR_MESSAGE = '网络不稳定，请重试';

/** A message for the user from any thrown value. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiCallError) return err.message || NETWORK_ERROR_MESSAGE;
  return NETWORK_ERROR_MESSAGE;
}
