/** Element Plus tag type for a deadline state. */
export type TagType = 'success' | 'warning' | 'danger' | 'info' | 'primary';

export function deadlineTagType(state: string | null | undefined): TagType {
  switch (state) {
    case '正常':
      return 'success';
    case '临期':
      return 'warning';
    case '逾期':
    case '逾期办结':
      return 'danger';
    case '按期办结':
      return 'info';
    default:
      return 'info';
  }
}

/**
 * Year-on-year change as the report words it: 同比上升/下降 X.X% (one decimal). `yoy` is a ratio
 * ((this - last) / last); null means no figure last year.
 */
export function yoyText(yoy: number | null | undefined): string {
  if (yoy === null || yoy === undefined || !Number.isFinite(yoy)) return '同比无数据';
  const pct = Math.round(Math.abs(yoy) * 1000) / 10;
  if (pct === 0) return '同比持平';
  return `同比${yoy > 0 ? '上升' : '下降'}${pct.toFixed(1)}%`;
}

export function formatFigure(value: unknown, unit?: string): string {
  if (value === null || value === undefined) return '无数据';
  if (typeof value === 'number') {
    if (unit === '%') return `${(Math.round(value * 1000) / 10).toFixed(1)}%`;
    return `${value.toLocaleString('zh-CN')}${unit ?? ''}`;
  }
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k} ${String(v)}`)
      .join('，');
  }
  return `${String(value)}${unit ?? ''}`;
}

/** A rate (0..1) as a percentage with one decimal; null rates (empty denominator) read 无数据. */
export function rateText(rate: number | null | undefined): string {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) return '无数据';
  return `${(Math.round(rate * 1000) / 10).toFixed(1)}%`;
}

const SHANGHAI = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/**
 * A stored instant (UTC ISO) as Beijing time, `2026-03-16 14:05`: the law's days and the clerk's
 * clock are Beijing's, whatever time zone the browser's machine is set to.
 */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = Object.fromEntries(SHANGHAI.formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** Days from today to a YYYY-MM-DD date (negative when past), for 待办 wording. */
export function daysUntil(date: string, today: Date = new Date()): number {
  const [y, m, d] = date.split('-').map(Number);
  const target = Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1);
  const now = Date.UTC(today.getFullYear(), today.getMonth(), today.getDate());
  return Math.round((target - now) / 86_400_000);
}

export function dueText(date: string | null | undefined, today?: Date): string {
  if (!date) return '';
  const n = daysUntil(date, today);
  if (n === 0) return '今天到期';
  return n > 0 ? `${n}天后到期` : `已逾期${-n}天`;
}

/** A metric value worded by what its key says it is: year-on-year changes and rates read as percentages. */
export function formatMetric(key: string, value: unknown, unit?: string): string {
  if (key.endsWith('_yoy')) return typeof value === 'number' || value === null ? yoyText(value as number | null) : formatFigure(value, unit);
  if ((/(^|[._])rate($|[._])|_rate$/.test(key) || unit === '%') && (typeof value === 'number' || value === null)) return rateText(value as number | null);
  return formatFigure(value, unit);
}

/**
 * A browser's user-agent string as people name it, e.g. `Chrome 120（Linux）`: the raw string is full of
 * machine tokens (x86_64, AppleWebKit). Unknown parts are left out, never shown raw.
 */
export function describeUserAgent(ua: string | null | undefined): string {
  if (!ua) return '未知浏览器';
  const version = (re: RegExp) => ua.match(re)?.[1]?.split('.')[0] ?? '';
  const browser = /MicroMessenger/i.test(ua)
    ? `微信 ${version(/MicroMessenger\/([\d.]+)/)}`
    : /Edg\//.test(ua)
      ? `Edge ${version(/Edg\/([\d.]+)/)}`
      : /Firefox\//.test(ua)
        ? `Firefox ${version(/Firefox\/([\d.]+)/)}`
        : /Chrome\//.test(ua)
          ? `Chrome ${version(/Chrome\/([\d.]+)/)}`
          : /Safari\//.test(ua)
            ? `Safari ${version(/Version\/([\d.]+)/)}`
            : '其他浏览器';
  const os = /Android/.test(ua) ? 'Android' : /iPhone|iPad/.test(ua) ? 'iOS' : /Windows/.test(ua) ? 'Windows' : /Mac OS X/.test(ua) ? 'macOS' : /Linux/.test(ua) ? 'Linux' : '';
  return `${browser.trim()}${os ? `（${os}）` : ''}`;
}
