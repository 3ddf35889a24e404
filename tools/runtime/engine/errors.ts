/** Errors shaped like CloudBase's (`code` + `message`), which the query builder and handlers inspect. */
export class EngineError extends Error {
  readonly code: string;
  requestId?: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'EngineError';
    this.code = code;
  }
}

export const CONFLICT = 'DATABASE_TRANSACTION_CONFLICT';
