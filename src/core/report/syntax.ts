/**
 * The compact paragraph syntax towns edit: plain words with placeholders, e.g.
 * `全年组织专题培训{{training.enforcement_sessions|int}}期，同比{{indicator.x_yoy|yoy:bare}}`.
 *
 * - `{{key|format}}` a metric (formats: int, num:N, pct, pct:N, yoy, yoy:bare, yoy:same, list, list:plain, list:sentences); `{{key[值]|int}}` one value of a `by_` metric; `{{key}}` = `|int`
 * - `{{org}}` `{{year}}` `{{nextYear}}` `{{prevYear}}` variables
 * - `\{` and `\\` write a literal brace or backslash
 */
import { FORMAT_LABELS } from './format';
import { TEMPLATE_VARIABLES, type FigureFormat, type Segment, type TemplateVariable } from './types';

export interface SyntaxIssue {
  /** Offset in the source text (0-based) where the problem starts. */
  offset: number;
  message: string;
}

export interface ParseOptions {
  /** Rejects unknown metric keys when given (the metric catalog's keys). */
  isKnownMetric?: (key: string) => boolean;
  /** Titles and headings take variables only. Default true. */
  allowMetrics?: boolean;
}

export type ParseResult = { ok: true; segments: Segment[] } | { ok: false; errors: SyntaxIssue[] };

const KEY_RE = /^[a-z][a-z0-9_]*(\.[A-Za-z0-9_]+)*$/;
const FORMAT_HELP =
  'int（整数）、num:2（两位小数）、pct（百分比，去掉多余的0）、pct:1（固定一位小数的百分比）、yoy（同比上升/下降）、yoy:bare（不带“同比”二字）、yoy:same（与前一个同比方向相同时只写百分数，如“下降12.3%、11.0%”）、list（带引号的列表）、list:plain（不带引号的列表）、list:sentences（每项一句，如记录的情况说明）';

export class TemplateSyntaxError extends Error {
  constructor(
    public readonly errors: SyntaxIssue[],
    public readonly source: string,
  ) {
    super(errors.map((e) => e.message).join('；'));
    this.name = 'TemplateSyntaxError';
  }
}

function isVariable(name: string): name is TemplateVariable {
  return (TEMPLATE_VARIABLES as readonly string[]).includes(name);
}

function parseFormat(spec: string): FigureFormat | string {
  const [name = '', arg, ...rest] = spec.split(':').map((s) => s.trim());
  if (rest.length > 0) return `格式“${spec}”多了参数`;
  const decimals = (): number | string => {
    if (arg === undefined || !/^[0-6]$/.test(arg)) return `格式“${name}”的小数位数应为0到6之间的整数，而不是“${arg ?? ''}”`;
    return Number(arg);
  };
  switch (name) {
    case 'int':
      return arg === undefined ? { kind: 'int' } : `格式“int”不带参数`;
    case 'num': {
      const d = arg === undefined ? 2 : decimals();
      return typeof d === 'string' ? d : { kind: 'num', decimals: d };
    }
    case 'pct': {
      if (arg === undefined) return { kind: 'pct' };
      const d = decimals();
      return typeof d === 'string' ? d : { kind: 'pct', decimals: d };
    }
    case 'yoy':
      if (arg === undefined) return { kind: 'yoy', style: 'full' };
      if (arg === 'bare' || arg === 'same') return { kind: 'yoy', style: arg };
      return `格式“yoy”只接受参数“bare”或“same”`;
    case 'list':
      if (arg === undefined || arg === 'plain') return { kind: 'list', plain: arg === 'plain' };
      if (arg === 'sentences') return { kind: 'list', plain: true, sentences: true };
      return `格式“list”只接受参数“plain”或“sentences”`;
    default:
      return `未知的格式“${spec}”，可用的格式：${FORMAT_HELP}`;
  }
}

function parsePlaceholder(body: string, offset: number, opts: ParseOptions): Segment | SyntaxIssue {
  const at = `第${offset + 1}个字符处`;
  const bar = body.indexOf('|');
  const target = (bar < 0 ? body : body.slice(0, bar)).trim();
  const formatSpec = bar < 0 ? undefined : body.slice(bar + 1).trim();
  if (target === '') return { offset, message: `${at}的占位符没有写指标名` };
  const m = /^([^[\]]+?)\s*(?:\[([^\]]*)\])?$/.exec(target);
  const key = m?.[1]?.trim() ?? '';
  const entry = m?.[2]?.trim();
  if (!m) return { offset, message: `${at}的占位符“${target}”写法有误，分类项应写作“指标名[取值]”` };
  if (isVariable(key)) {
    if (formatSpec !== undefined || entry !== undefined) return { offset, message: `${at}的变量“${key}”不能带格式或分类项` };
    return { type: 'var', name: key };
  }
  if (!KEY_RE.test(key)) return { offset, message: `${at}的指标名“${key}”不合法（应为小写字母、数字、下划线，以“.”分隔）` };
  if (opts.allowMetrics === false) {
    return { offset, message: `${at}：此处只能使用变量（${TEMPLATE_VARIABLES.join('、')}），不能使用指标“${key}”` };
  }
  if (opts.isKnownMetric && !opts.isKnownMetric(key)) return { offset, message: `${at}：未知的指标“${key}”` };
  if (entry === '') return { offset, message: `${at}的指标“${key}”分类项为空` };
  if (formatSpec === '') return { offset, message: `${at}的指标“${key}”在“|”后缺少格式，可用的格式：${FORMAT_HELP}` };
  const format = formatSpec === undefined ? ({ kind: 'int' } as const) : parseFormat(formatSpec);
  if (typeof format === 'string') return { offset, message: `${at}：${format}` };
  return entry === undefined ? { type: 'metric', key, format } : { type: 'metric', key, entry, format };
}

/** Parses paragraph text; collects every problem rather than stopping at the first. */
export function parseParagraph(source: string, opts: ParseOptions = {}): ParseResult {
  const segments: Segment[] = [];
  const errors: SyntaxIssue[] = [];
  let text = '';
  const flush = () => {
    if (text !== '') segments.push({ type: 'text', text });
    text = '';
  };
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (c === '\\' && i + 1 < source.length) {
      text += source[i + 1];
      i += 2;
    } else if (c === '{' && source[i + 1] === '{') {
      const end = source.indexOf('}}', i + 2);
      if (end < 0) {
        errors.push({ offset: i, message: `第${i + 1}个字符处的占位符缺少结尾的“}}”` });
        break;
      }
      const seg = parsePlaceholder(source.slice(i + 2, end), i, opts);
      if ('message' in seg) errors.push(seg);
      else {
        flush();
        segments.push(seg);
      }
      i = end + 2;
    } else {
      text += c;
      i += 1;
    }
  }
  flush();
  return errors.length > 0 ? { ok: false, errors } : { ok: true, segments };
}

export function parseParagraphOrThrow(source: string, opts: ParseOptions = {}): Segment[] {
  const r = parseParagraph(source, opts);
  if (!r.ok) throw new TemplateSyntaxError(r.errors, source);
  return r.segments;
}

export function serializeFormat(f: FigureFormat): string {
  switch (f.kind) {
    case 'int':
      return 'int';
    case 'num':
      return `num:${f.decimals}`;
    case 'pct':
      return f.decimals === undefined ? 'pct' : `pct:${f.decimals}`;
    case 'yoy':
      return f.style === 'full' ? 'yoy' : `yoy:${f.style}`;
    case 'list':
      return f.sentences ? 'list:sentences' : f.plain ? 'list:plain' : 'list';
  }
}

/** The inverse of `parseParagraph` (for normalised segments: no empty or adjacent text segments). */
export function serializeParagraph(segments: readonly Segment[]): string {
  return segments
    .map((s) => {
      if (s.type === 'text') return s.text.replace(/[\\{]/g, (ch) => `\\${ch}`);
      if (s.type === 'var') return `{{${s.name}}}`;
      const entry = s.entry === undefined ? '' : `[${s.entry}]`;
      return `{{${s.key}${entry}|${serializeFormat(s.format)}}}`;
    })
    .join('');
}

/** Chinese description of a format, for the template editor. */
export function describeFormat(f: FigureFormat): string {
  return `${FORMAT_LABELS[f.kind]}（${serializeFormat(f)}）`;
}
