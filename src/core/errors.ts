import { z } from 'zod';

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

/** One field's problem: the field's key, its Chinese label, the Chinese message (also the API's error body, server/schemas.ts). */
export const ZFieldError = z.object({ field: z.string(), label: z.string(), message: z.string() }).meta({ id: 'FieldError' });
export type FieldError = z.infer<typeof ZFieldError>;

/** One line of an import file and its problem; a spreadsheet's also say where (the message already names sheet and row). */
export const ZLineError = z
  .object({
    line: z.number(),
    field: z.string().optional(),
    message: z.string(),
    sheet: z.string().optional(),
    row: z.number().optional(),
    /** Column letter, e.g. "D". */
    column: z.string().optional(),
    /** The column's Chinese label (the field's label, 部门 or 状态; the heading when it is unknown). */
    label: z.string().optional(),
  })
  .meta({ id: 'LineError' });
export type LineError = z.infer<typeof ZLineError>;

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
