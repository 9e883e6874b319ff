/** A failure the user can act on: carries an HTTP status, a code and a Chinese message. */
export type ErrorCode =
  | 'VALIDATION'
  | 'NOT_FOUND'
  | 'FORBIDDEN'
  | 'UNAUTHENTICATED'
  | 'CONFLICT'
  | 'BAD_REQUEST'
  | 'LOCKED'
  | 'TOO_LARGE'
  | 'UNSUPPORTED'
  | 'TOO_MANY_REQUESTS';

export interface FieldError {
  field: string;
  label: string;
  message: string;
}

export interface LineError {
  line: number;
  field?: string;
  message: string;
}

const STATUS: Record<ErrorCode, number> = {
  VALIDATION: 400,
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  TOO_LARGE: 413,
  UNSUPPORTED: 415,
  LOCKED: 423,
  TOO_MANY_REQUESTS: 429,
};

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: { fields?: FieldError[]; lines?: LineError[]; current?: unknown } = {},
  ) {
    super(message);
    this.status = STATUS[code];
  }
}

export const notFound = (what: string) => new AppError('NOT_FOUND', `${what}不存在或已被删除`);
export const forbidden = (message = '无权进行此操作') => new AppError('FORBIDDEN', message);
