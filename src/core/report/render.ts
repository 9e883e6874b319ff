import { formatFigure, hasData, NO_DATA_MARK, yoyDirection, type FormattedFigure } from './format';
import { printable } from './printable';
import { firstLevelNumber, secondLevelNumber } from './numbering';
import type {
  DocParagraph,
  DocRun,
  DocSection,
  DocTable,
  MetricValue,
  ReportDocument,
  ReportTemplate,
  ReportWarning,
  Segment,
  TemplateParagraph,
  TemplateVariable,
} from './types';

export interface RenderInput {
  orgName: string;
  year: number;
  /** Metric key -> value, as computed by the metrics engine for this org unit and year. */
  values: Readonly<Record<string, MetricValue>>;
  /** Defaults to year + 1. */
  nextYear?: number;
  /** Consistency warnings from the metrics engine, shown beside the paragraphs they concern. */
  warnings?: readonly ReportWarning[];
  /** What a figure without data shows as in the editor (its sentence never prints). Default 【无数据】. */
  noDataMark?: string;
  /**
   * A sentence with a figure without data is left out of every output either way. `omit` (default):
   * listed in the warnings; `mark`: kept in the editor with the mark, and 定稿 is refused until the
   * data is there or the sentence is rewritten (the warning is of kind `noData`).
   */
  noData?: NoDataMode;
  /** Chinese names of metrics, for the reasons given with figures that have no data. */
  labels?: Readonly<Record<string, string>>;
  /** Generated tables by the name a template part gives (`TemplatePart.table`). */
  tables?: Readonly<Record<string, DocTable>>;
  /** The report type's own JSON (ReportDocument.data). */
  data?: unknown;
}

export const NO_DATA_MODES = ['omit', 'mark'] as const;
export type NoDataMode = (typeof NO_DATA_MODES)[number];

type Vars = Record<TemplateVariable, string>;

/**
 * A sentence ends at 。！？ (with the closing quotes or brackets right after it); a clause at ；
 * (so a figure without data takes only its clause with it: `满意率—；回复检察建议书6份。`).
 */
const SENTENCE_END = /[。！？；][”’」』）]*/gu;

/** Splits runs into sentences; a figure never splits, one ending in 。 (list:sentences) ends one. */
function sentences(runs: readonly DocRun[]): DocRun[][] {
  const out: DocRun[][] = [];
  let cur: DocRun[] = [];
  for (const r of runs) {
    if (r.type === 'figure') {
      cur.push(r);
      if (/[。！？；][”’」』）]*$/u.test(r.text)) {
        out.push(cur);
        cur = [];
      }
      continue;
    }
    let from = 0;
    for (const m of r.text.matchAll(SENTENCE_END)) {
      const end = m.index + m[0].length;
      cur.push({ type: 'text', text: r.text.slice(from, end) });
      out.push(cur);
      cur = [];
      from = end;
    }
    if (from < r.text.length) cur.push({ type: 'text', text: r.text.slice(from) });
  }
  if (cur.length) out.push(cur);
  return out;
}

/**
 * Leaves out every sentence holding a figure without data: a report never prints a dash or a
 * made-up figure in a sentence (`…同比分别—、—。`). Returns the printed runs and what was left out,
 * with the offset in the printed text where it stood.
 */
function withholdNoData(runs: readonly DocRun[]): { printed: DocRun[]; withheld: { offset: number; runs: DocRun[] }[] } {
  const printed: DocRun[] = [];
  const withheld: { offset: number; runs: DocRun[] }[] = [];
  let offset = 0;
  for (const sentence of sentences(runs)) {
    if (sentence.some((r) => r.type === 'figure' && r.noData)) {
      withheld.push({ offset, runs: sentence });
      // Leaving out the sentence after a clause (`…；` + `…。`) makes that clause end the sentence.
      const last = printed[printed.length - 1];
      const end = sentence[sentence.length - 1]?.text ?? '';
      if (last?.type === 'text' && last.text.endsWith('；') && /[。！？][”’」』）]*$/u.test(end)) last.text = `${last.text.slice(0, -1)}。`;
      continue;
    }
    for (const r of sentence) {
      if (r.type === 'text') pushText(printed, r.text);
      else printed.push(r);
      offset += r.text.length;
    }
  }
  return { printed, withheld };
}

function plainText(segments: readonly Segment[], vars: Vars): string {
  return printable(segments.map((s) => (s.type === 'text' ? s.text : s.type === 'var' ? vars[s.name] : `{{${s.key}}}`)).join(''));
}

function pushText(runs: DocRun[], raw: string): void {
  const text = printable(raw);
  const last = runs[runs.length - 1];
  if (last?.type === 'text') last.text += text;
  else if (text !== '') runs.push({ type: 'text', text });
}

function renderParagraph(
  p: TemplateParagraph,
  headingNo: number | undefined,
  input: RenderInput,
  vars: Vars,
  warnings: ReportWarning[],
): DocParagraph {
  const runs: DocRun[] = [];
  const own: ReportWarning[] = [];
  let previousYoy: -1 | 0 | 1 | undefined;
  for (const s of p.segments) {
    if (s.type === 'text') pushText(runs, s.text);
    else if (s.type === 'var') pushText(runs, vars[s.name]);
    else {
      const value = input.values[s.key];
      const f: FormattedFigure = formatFigure(s.key, value, s.format, s.entry, input.noDataMark ?? NO_DATA_MARK, previousYoy, input.labels?.[s.key]);
      f.display = printable(f.display); // a list figure prints records' own words
      // A list of sentences ends its sentence even without data, so only it is left out.
      if (f.noData && s.format.kind === 'list' && s.format.sentences) f.display += '。';
      if (s.format.kind === 'yoy') previousYoy = f.noData || typeof value !== 'number' ? undefined : yoyDirection(value);
      runs.push({
        type: 'figure',
        text: f.display,
        display: f.display,
        metricKey: s.key,
        ...(s.entry === undefined ? {} : { entry: s.entry }),
        value,
        noData: f.noData,
      });
      if (f.noData) {
        const mark = input.noData === 'mark';
        own.push({
          paragraphId: p.id,
          metricKey: s.key,
          message: mark ? `${f.reason}，所在句子暂不写入报告，补齐数据或改写该句后才能定稿` : `${f.reason}，所在句子未写入报告`,
          kind: mark ? 'noData' : 'omitted',
        });
      }
    }
  }
  warnings.push(...own);
  const { printed, withheld } = withholdNoData(runs);
  const para: DocParagraph = { id: p.id, runs: printed, warnings: own };
  if (withheld.length) para.withheld = withheld.map((w) => ({ at: w.offset, runs: w.runs }));
  if (p.generated) para.generated = true;
  if (p.heading && headingNo !== undefined) {
    para.heading = { number: secondLevelNumber(headingNo), text: plainText(p.heading, vars) };
  }
  return para;
}

function renderParagraphs(
  list: readonly TemplateParagraph[],
  input: RenderInput,
  vars: Vars,
  warnings: ReportWarning[],
): DocParagraph[] {
  let headingNo = 0;
  const out: DocParagraph[] = [];
  for (const p of list) {
    if (p.when && hasData(input.values[p.when.metricKey]) !== p.when.hasData) continue;
    const no = p.heading ? ++headingNo : undefined;
    out.push(renderParagraph(p, no, input, vars, warnings));
  }
  return out;
}

/** Attaches the given consistency warnings to the paragraphs they concern. */
function attachWarnings(paragraphs: DocParagraph[], given: readonly ReportWarning[]): void {
  const byId = new Map(paragraphs.map((p) => [p.id, p]));
  for (const w of given) {
    if (w.paragraphId !== undefined) {
      byId.get(w.paragraphId)?.warnings.push(w);
      continue;
    }
    for (const p of paragraphs) {
      const runs = [...p.runs, ...(p.withheld ?? []).flatMap((x) => x.runs)];
      if (runs.some((r) => r.type === 'figure' && r.metricKey === w.metricKey)) p.warnings.push(w);
    }
  }
}

/** Renders a template for an org unit and year: the words of the template, the figures of `values`. */
export function renderReport(template: ReportTemplate, input: RenderInput): ReportDocument {
  const vars: Vars = {
    org: input.orgName,
    year: String(input.year),
    nextYear: String(input.nextYear ?? input.year + 1),
    prevYear: String(input.year - 1),
  };
  const warnings: ReportWarning[] = [];
  const opening = renderParagraphs(template.opening, input, vars, warnings);
  const sections: DocSection[] = template.parts.map((part, i) => {
    const table = part.table !== undefined ? input.tables?.[part.table] : undefined;
    return {
      key: part.key,
      number: firstLevelNumber(i + 1),
      title: plainText(part.heading, vars),
      paragraphs: renderParagraphs(part.paragraphs, input, vars, warnings),
      ...(table ? { tables: [table] } : {}),
    };
  });
  const given = input.warnings ?? [];
  attachWarnings([...opening, ...sections.flatMap((s) => s.paragraphs)], given);
  return {
    ...(template.type ? { type: template.type } : {}),
    ...(input.data !== undefined ? { data: input.data } : {}),
    title: plainText(template.title, vars),
    orgName: input.orgName,
    year: input.year,
    opening,
    sections,
    warnings: [...warnings, ...given],
  };
}

/** Whether a paragraph prints at all (every sentence of it may have been left out). */
export function isPrinted(p: DocParagraph): boolean {
  return p.heading !== undefined || p.runs.length > 0;
}

/** The printed text of a paragraph's runs (without its heading). */
export function runsText(runs: readonly DocRun[]): string {
  return runs.map((r) => r.text).join('');
}

/** The full printed text of a paragraph, heading included. */
export function paragraphText(p: DocParagraph): string {
  return (p.heading ? p.heading.number + p.heading.text : '') + runsText(p.runs);
}

/** Every figure of a document, in reading order (for the UI's list of traceable figures). */
export function documentFigures(doc: ReportDocument): Extract<DocRun, { type: 'figure' }>[] {
  return [...doc.opening, ...doc.sections.flatMap((s) => s.paragraphs)].flatMap((p) =>
    p.runs.filter((r): r is Extract<DocRun, { type: 'figure' }> => r.type === 'figure'),
  );
}
