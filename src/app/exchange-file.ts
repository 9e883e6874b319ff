import type { AppContext } from './context';
import type { Actor } from '../core/access/policy';
import { readScope } from '../core/access/policy';
import { AppError, forbidden, type LineError } from '../core/errors';
import { importLines, parseJsonl, type ImportResult } from './exchange';
import { importTable, openImportFile, maxImportBytes, tooLarge, type ImportFormat } from '../documents/xlsx-exchange';
import { annotateBook } from '../documents/xlsx-annotate';
import { writeXlsxTemplate } from '../documents/xlsx-template';
import type { TableLineError } from '../documents/table-lines';

/**
 * A file as it comes in (.xlsx, .csv or .jsonl) through the one import path (importLines), and what
 * goes with it: the copy with the bad cells marked, and blank templates. Used by the CLI, the API and
 * import jobs alike.
 */

export type FileFormat = ImportFormat | 'jsonl';

export interface FileImportProgress {
  phase: 'read' | 'check' | 'write';
  done: number;
  /** Rows in the file (0 while still reading). */
  total: number;
}

export interface FileImportOptions {
  fileName?: string;
  format?: FileFormat;
  /** The kind of a CSV file or of a sheet whose name is not a kind. */
  kind?: string;
  source?: string;
  onProgress?: (p: FileImportProgress) => void;
}

export function fileFormat(fileName: string | undefined, contentType?: string): FileFormat | undefined {
  if (fileName && /\.jsonl$|\.ndjson$/i.test(fileName)) return 'jsonl';
  if (fileName && /\.csv$|\.txt$/i.test(fileName)) return 'csv';
  if (fileName && /\.xlsx$|\.xlsm$|\.xls$/i.test(fileName)) return 'xlsx';
  if (contentType?.includes('ndjson')) return 'jsonl';
  if (contentType?.includes('csv')) return 'csv';
  if (contentType?.includes('spreadsheetml')) return 'xlsx';
  return undefined;
}

/** Imports a whole file into an org unit: all or nothing, every problem listed with where it is. */
export async function importFile(ctx: AppContext, who: Actor, orgCode: string, buf: Buffer, opts: FileImportOptions = {}): Promise<ImportResult> {
  if (buf.length > maxImportBytes()) throw tooLarge(buf.length);
  const format = opts.format ?? fileFormat(opts.fileName);
  const source = opts.source ?? opts.fileName ?? format ?? 'file';
  if (format === 'jsonl') {
    if (buf.length === 0) throw new AppError('VALIDATION', '文件是空的，没有可导入的内容');
    const parsed = parseJsonl(buf.toString('utf8').replace(/^\uFEFF/, ''));
    return importLines(ctx, who, orgCode, parsed.lines, { source, parseErrors: parsed.errors, onProgress: opts.onProgress });
  }
  const defs = await ctx.registry.all();
  const book = await openImportFile(buf, { fileName: opts.fileName, format, kind: opts.kind, defs });
  let total = 0;
  return importTable(
    book,
    defs,
    (lines, parseErrors) => {
      total = lines.length;
      return importLines(ctx, who, orgCode, lines, {
        source,
        parseErrors,
        onProgress: (p) => opts.onProgress?.({ ...p, total: p.phase === 'check' ? total : p.total }),
      });
    },
    { kindHint: opts.kind, onRows: (rows) => opts.onProgress?.({ phase: 'read', done: rows, total: 0 }) },
  );
}

/** The file again, with every cell an import refused filled red and commented (an .xlsx, also for a CSV). */
export async function annotatedCopy(ctx: AppContext, buf: Buffer, errors: readonly LineError[], opts: { fileName?: string; format?: FileFormat; kind?: string }): Promise<Buffer> {
  const format = opts.format ?? fileFormat(opts.fileName);
  if (format === 'jsonl') throw new AppError('BAD_REQUEST', '.jsonl 文件没有单元格可标注，请按错误列表中的行号修改');
  const book = await openImportFile(buf, { fileName: opts.fileName, format, kind: opts.kind, defs: await ctx.registry.all() });
  return annotateBook(book, errors as TableLineError[]);
}

/**
 * A blank template for one kind (or, with `kind` absent, for every kind the actor may read), with the
 * departments the actor may fill in as the 部门 dropdown.
 */
export async function templateWorkbook(ctx: AppContext, who: Actor, kind?: string): Promise<{ buf: Buffer; label: string }> {
  const all = await ctx.registry.all();
  const defs = kind ? [await ctx.registry.get(kind)] : all.filter((d) => readScope(who, d.kind));
  if (kind && !readScope(who, defs[0]!.kind)) throw forbidden(`无权查看${defs[0]!.label}`);
  if (!defs.length) throw forbidden('无权查看任何台账');
  let q = ctx.storage.db.selectFrom('departments').select('name').where('org_id', '=', who.orgId);
  if (who.role === 'clerk' && who.deptId !== null) q = q.where('id', '=', who.deptId);
  const deptNames = (await q.orderBy('id').execute()).map((d) => d.name);
  const buf = await writeXlsxTemplate(kind ? defs[0]! : defs, { deptNames, defs: all });
  return { buf, label: kind ? defs[0]!.label : '全部台账' };
}
