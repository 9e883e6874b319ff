import { formatFigure, hasData, NO_DATA_MARK, yoyDirection } from './format';
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
  /** What a figure without data prints as. Default `—`. */
  noDataMark?: string;
  /** Chinese names of metrics, for the reasons given with figures that have no data. */
  labels?: Readonly<Record<string, string>>;
  /** Generated tables by the name a template part gives (`TemplatePart.table`). */
  tables?: Readonly<Record<string, DocTable>>;
  /** The report type's own JSON (ReportDocument.data). */
  data?: unknown;
}

type Vars = Record<TemplateVariable, string>;

function plainText(segments: readonly Segment[], vars: Vars): string {
  return segments
    .map((s) => (s.type === 'text' ? s.text : s.type === 'var' ? vars[s.name] : `{{${s.key}}}`))
    .join('');
}

function pushText(runs: DocRun[], text: string): void {
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
      const f = formatFigure(s.key, value, s.format, s.entry, input.noDataMark ?? NO_DATA_MARK, previousYoy, input.labels?.[s.key]);
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
      if (f.noData) own.push({ paragraphId: p.id, metricKey: s.key, message: f.reason });
    }
  }
  warnings.push(...own);
  const para: DocParagraph = { id: p.id, runs, warnings: own };
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
      if (p.runs.some((r) => r.type === 'figure' && r.metricKey === w.metricKey)) p.warnings.push(w);
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
