import type { ApiError, ErrorCode } from '../../types/api';

/** A failure the caller should see, with a stable code and a specific Chinese message. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
  }

  toJSON(): ApiError {
    return this.fields
      ? { code: this.code, message: this.message, fields: this.fields }
      : { code: this.code, message: this.message };
  }
}

export const invalid = (message: string, fields?: Record<string, string>) =>
  new AppError('INVALID_INPUT', message, fields);
export const forbidden = (message = '没有权限执行此操作') => new AppError('FORBIDDEN', message);
export const notFound = (message: string) => new AppError('NOT_FOUND', message);
export const conflict = (message: string) => new AppError('CONFLICT', message);
