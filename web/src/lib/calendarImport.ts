/** What the server answers to POST /api/calendar/import (CalendarImportOutcome in src/app/calendar-admin.ts). */
export interface CalendarImportOutcome {
  imported: number;
  years: number[];
  warnings: string[];
  recomputed: number;
  recordIds: number[];
  missingYears: number[];
}

/** The content type to post a calendar file with, by its name; null for files the server cannot read. */
export function calendarFileType(fileName: string): 'text/csv' | 'application/json' | null {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.csv') || lower.endsWith('.txt')) return 'text/csv';
  // JSON goes as its own type (text/plain is refused: a cross-site form can send it); the server's
  // import route reads the text itself and names a bad line in Chinese.
  if (lower.endsWith('.json')) return 'application/json';
  return null;
}

/**
 * The file's text. Calendar files are typed by hand or saved from Excel, which on a Chinese Windows
 * writes CSV in GBK: UTF-8 is tried first and GB18030 (a superset of GBK) when the bytes are not UTF-8.
 */
export function decodeCalendarFile(bytes: ArrayBuffer | Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

/** One Chinese sentence saying what an import changed. */
export function importSummary(o: CalendarImportOutcome): string {
  const years = o.years.map((y) => `${y}年`).join('、');
  const parts = [`已导入${years}节假日安排，共${o.imported}天`];
  parts.push(o.recomputed > 0 ? `重新计算了${o.recomputed}件记录的期限` : '没有记录的期限因此改变');
  if (o.missingYears.length) parts.push(`仍缺少${o.missingYears.map((y) => `${y}年`).join('、')}的安排`);
  return `${parts.join('，')}。`;
}
