import { civilFromDays, tryParseDate } from './dates';
import type { CalendarDayEntry, CalendarDayKind } from './types';

/**
 * A calendar import file: one year's (or several years') complete State Council schedule,
 * i.e. every holiday and every adjusted working day. Importing it marks its years as covered.
 *
 * Accepted forms:
 * - JSON array: `[{"date":"2027-01-01","kind":"holiday","name":"元旦"}, ...]`
 * - JSON object: `{"years":[2027], "days":[...]}` (declares the years explicitly)
 * - CSV with a header line `date,kind,name` (or `日期,类型,名称`)
 * `kind` may be workday/holiday or 工作日/上班/调休上班 and 节假日/假日/放假/休息.
 */
export interface CalendarImportResult {
  entries: CalendarDayEntry[];
  /** Years the import covers (declared, or those of its entries). */
  years: number[];
  /** Chinese messages, each naming the line or entry; the import must be refused if any. */
  errors: string[];
  /** Chinese messages that do not block the import. */
  warnings: string[];
}

const KIND_WORDS: Record<string, CalendarDayKind> = {
  workday: 'workday',
  work: 'workday',
  工作日: 'workday',
  上班: 'workday',
  调休上班: 'workday',
  holiday: 'holiday',
  rest: 'holiday',
  节假日: 'holiday',
  假日: 'holiday',
  放假: 'holiday',
  休息: 'holiday',
  休息日: 'holiday',
};

export function parseCalendarKind(raw: string): CalendarDayKind | null {
  return KIND_WORDS[raw.trim().toLowerCase()] ?? null;
}

interface RawRow {
  where: string;
  date: unknown;
  kind: unknown;
  name: unknown;
}

export function parseCalendarImport(text: string, format?: 'json' | 'csv'): CalendarImportResult {
  const body = text.replace(/^\uFEFF/, '');
  const fmt = format ?? (/^\s*[[{]/.test(body) ? 'json' : 'csv');
  const errors: string[] = [];
  let rows: RawRow[] = [];
  let declaredYears: number[] | null = null;

  if (fmt === 'json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch (e) {
      return { entries: [], years: [], errors: [`文件不是有效的JSON：${(e as Error).message}`], warnings: [] };
    }
    let list: unknown = parsed;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      const obj = parsed as { years?: unknown; days?: unknown };
      list = obj.days;
      if (obj.years !== undefined) {
        if (!Array.isArray(obj.years) || !obj.years.every((y) => Number.isInteger(y) && y >= 1990 && y <= 2150)) {
          errors.push('years 应为年份数组，如 [2027]');
        } else declaredYears = obj.years as number[];
      }
    }
    if (!Array.isArray(list)) {
      return { entries: [], years: [], errors: [...errors, '文件内容应为日期列表：[{"date":"2027-01-01","kind":"holiday","name":"元旦"}]'], warnings: [] };
    }
    rows = list.map((item: unknown, i) => {
      const o = (item && typeof item === 'object' ? item : {}) as Record<string, unknown>;
      return { where: `第${i + 1}条`, date: o.date ?? o['日期'], kind: o.kind ?? o['类型'], name: o.name ?? o['名称'] };
    });
  } else {
    const lines = body.split(/\r?\n/);
    let first = true;
    lines.forEach((line, i) => {
      if (!line.trim() || line.trim().startsWith('#')) return;
      const cells = line.split(/[,，\t]/).map((c) => c.trim());
      if (first) {
        first = false;
        if (/^(date|日期)$/i.test(cells[0] ?? '')) return;
      }
      rows.push({ where: `第${i + 1}行`, date: cells[0], kind: cells[1], name: cells[2] });
    });
  }

  const entries: CalendarDayEntry[] = [];
  const seen = new Map<string, string>();
  for (const r of rows) {
    if (typeof r.date !== 'string' || Number.isNaN(tryParseDate(r.date.trim()))) {
      errors.push(`${r.where}：日期「${String(r.date ?? '')}」无效，应为YYYY-MM-DD格式的真实日期`);
      continue;
    }
    const date = r.date.trim();
    const day = tryParseDate(date);
    const year = civilFromDays(day)[0];
    if (year < 1990 || year > 2150) {
      errors.push(`${r.where}：日期「${date}」超出支持范围（1990—2150年）`);
      continue;
    }
    const kind = typeof r.kind === 'string' ? parseCalendarKind(r.kind) : null;
    if (!kind) {
      errors.push(`${r.where}：类型「${String(r.kind ?? '')}」无效，应为 holiday（放假）或 workday（上班）`);
      continue;
    }
    if (r.name !== undefined && r.name !== null && typeof r.name !== 'string') {
      errors.push(`${r.where}：名称应为文字`);
      continue;
    }
    const prev = seen.get(date);
    if (prev) {
      errors.push(`${r.where}：日期${date}与${prev}重复`);
      continue;
    }
    seen.set(date, r.where);
    const name = typeof r.name === 'string' && r.name.trim() ? r.name.trim() : undefined;
    entries.push(name ? { date, kind, name } : { date, kind });
  }

  const entryYears = [...new Set(entries.map((e) => civilFromDays(tryParseDate(e.date))[0]))].sort((a, b) => a - b);
  const years = [...new Set(declaredYears ?? entryYears)].sort((a, b) => a - b);
  const warnings: string[] = [];
  if (rows.length === 0) errors.push('文件中没有任何日期');
  for (const y of years) {
    const holidays = entries.filter((e) => e.kind === 'holiday' && e.date.startsWith(`${y}-`)).length;
    if (holidays === 0) warnings.push(`${y}年没有任何放假日期，请确认是否为完整的年度安排`);
  }
  if (declaredYears) {
    for (const y of entryYears) {
      if (!declaredYears.includes(y)) warnings.push(`${y}年的日期不在 years 声明中，该年不会标记为已有数据`);
    }
  }
  return { entries, years, errors, warnings };
}
