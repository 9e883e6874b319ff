/**
 * Spreadsheet cells as the values the exchange engine expects: real Excel dates and dates written as
 * text (2023-03-14, 2023/3/14, 2023.3.14, 2023年3月14日), 是/否/√/×, numbers with thousands separators
 * or stored as text, enum values with stray spaces or full-width characters matched to their option.
 * A value that cannot be read is passed on as written (trimmed), so the engine refuses it with the
 * field's usual message: nothing is ever changed into something else (2023-02-30 stays 2023-02-30).
 */
import type { FieldDef } from '../core/ledgers/types';
import { normalizeValue } from '../core/ledgers/headers';
import { optionByName } from '../core/ledgers/dictionary';

/** A cell without formulas, rich text or hyperlinks around it; `error` for #DIV/0! and the like. */
export type Plain = string | number | boolean | Date | null | { error: string };
export type CellError = { error: string };

export const isCellError = (v: Plain): v is CellError => typeof v === 'object' && v !== null && !(v instanceof Date);

/** The value of an exceljs cell (or a CSV field) with what surrounds it taken away. */
export function plain(v: unknown): Plain {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v.trim() === '' ? null : v;
  if (typeof v === 'number') return Number.isNaN(v) ? { error: '#VALUE!' } : v;
  if (typeof v === 'boolean' || v instanceof Date) return v;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.error === 'string') return { error: o.error };
    if (Array.isArray(o.richText)) return plain((o.richText as { text?: string }[]).map((r) => r.text ?? '').join(''));
    // A formula gives its computed value; one never computed (no cached result) cannot be read.
    if ('formula' in o || 'sharedFormula' in o) return 'result' in o && o.result !== undefined ? plain(o.result) : { error: '公式没有计算结果' };
    if ('result' in o) return plain(o.result);
    if ('text' in o) return plain(o.text);
  }
  return String(v);
}

const pad = (n: number) => String(n).padStart(2, '0');
export const ymd = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;

/** Excel's day serial (1900 system, with its phantom 1900-02-29) as a UTC date. */
export function serialToDate(n: number): Date | null {
  if (!Number.isFinite(n) || n < 1 || n > 2958465) return null;
  return new Date(Math.round((n - 25569) * 86400000));
}

/** 2023-03-14, 2023/3/14, 2023.3.14, 2023年3月14日 (and a midnight time after it) as YYYY-MM-DD; anything else unchanged. */
export function dateText(s: string): string {
  const t = s.normalize('NFKC').trim();
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+0{1,2}:00(?::00)?)?$/.exec(t);
  return m ? `${m[1]}-${pad(Number(m[2]))}-${pad(Number(m[3]))}` : s.trim();
}

export function monthText(s: string): string {
  const t = s.normalize('NFKC').trim();
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$/.exec(t);
  if (m) return `${m[1]}-${pad(Number(m[2]))}`;
  return s.trim();
}

/** `1,234`, `１２`, ` 12 ` as numbers; anything else unchanged (the engine says it is not a number). */
export function numberText(s: string): number | string {
  const t = s.normalize('NFKC').trim().replace(/(\d)[,，](?=\d{3}(\D|$))/g, '$1').replace(/\s/g, '');
  return /^[-+]?(\d+(\.\d*)?|\.\d+)$/.test(t) ? Number(t) : s.trim();
}

const TRUE_TEXT = new Set(['是', 'true', 'y', 'yes', '1', '√', '✓', '✔', '有']);
const FALSE_TEXT = new Set(['否', 'false', 'n', 'no', '0', '×', '✗', '✘', 'x', '无']);
const LIST_SPLIT = /[、,，;；\n]/;

export function asText(v: Exclude<Plain, null | CellError>): string {
  if (v instanceof Date) return ymd(v);
  if (typeof v === 'boolean') return v ? '是' : '否';
  return String(v).trim();
}

/**
 * The option an enum cell means: the stored value or its shown name (the 字典's, e.g.
 * 诈骗类110接警数 for fraud_110_calls, as exports write it), equal once spaces and full-width
 * characters are folded.
 */
export function matchOption(field: Pick<FieldDef, 'options' | 'optionLabels'>, text: string): string {
  const options = field.options;
  if (!options?.length) return text;
  if (options.includes(text)) return text;
  const named = optionByName(field, text);
  if (named !== undefined) return named;
  const n = normalizeValue(text);
  const hits = options.filter((o) => normalizeValue(o) === n || (field.optionLabels?.[o] !== undefined && normalizeValue(field.optionLabels[o]!) === n));
  return hits.length === 1 ? hits[0]! : text;
}

const splitList = (v: Exclude<Plain, null | CellError>) =>
  asText(v)
    .split(LIST_SPLIT)
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * One cell as the value the exchange engine expects for a field. `undefined` for an empty cell; an
 * error cell is returned as is for the caller to report.
 */
export function cellToValue(field: FieldDef, raw: unknown): unknown {
  const v = plain(raw);
  if (v === null) return undefined;
  if (isCellError(v)) return v;
  switch (field.type) {
    case 'date':
      if (v instanceof Date) return ymd(v);
      if (typeof v === 'number') {
        const d = serialToDate(v);
        return d && Number.isInteger(v) ? ymd(d) : String(v);
      }
      return typeof v === 'string' ? dateText(v) : asText(v);
    case 'month':
      if (v instanceof Date) return ymd(v).slice(0, 7);
      return typeof v === 'string' ? monthText(v) : asText(v);
    case 'int':
    case 'number':
    case 'money':
    case 'ref':
      return typeof v === 'string' ? numberText(v) : typeof v === 'number' ? v : asText(v);
    case 'bool': {
      if (typeof v === 'boolean') return v;
      const t = asText(v).normalize('NFKC').toLowerCase();
      return TRUE_TEXT.has(t) ? true : FALSE_TEXT.has(t) ? false : asText(v);
    }
    case 'enum':
      return matchOption(field, asText(v));
    case 'multienum':
      return splitList(v).map((s) => matchOption(field, s));
    case 'depts':
      return splitList(v);
    case 'files':
      return typeof v === 'number' ? [v] : splitList(v).map(numberText);
    case 'longtext':
      return typeof v === 'string' ? v.replace(/\r\n/g, '\n').trim() : asText(v);
    default:
      return asText(v);
  }
}
