/**
 * Templates as towns edit them: the same structure with paragraph text in the compact syntax
 * (`syntax.ts`). `compileTemplate` parses and checks one; `templateToSource` is its inverse.
 */
import { parseParagraph, serializeParagraph, type ParseOptions } from './syntax';
import {
  DISCLOSURE_PART_KEYS,
  PART_KEYS,
  PART_LABELS,
  type ParagraphCondition,
  type PartKey,
  type ReportTemplate,
  type ReportType,
  type Segment,
  type TemplateParagraph,
  type TemplatePart,
} from './types';

export interface ParagraphSource {
  id: string;
  heading?: string;
  text: string;
  when?: ParagraphCondition;
  /** The words come from the records (list figures): not template text to be completed. */
  generated?: boolean;
  /** The town has written or rewritten this paragraph (so it is no longer 待完善 template text). */
  edited?: boolean;
}

export interface TemplateSource {
  id: string;
  /** Which statutory report; absent = rule_of_law. */
  type?: ReportType;
  name: string;
  title: string;
  opening: ParagraphSource[];
  parts: { key: PartKey; heading: string; table?: string; paragraphs: ParagraphSource[] }[];
}

export interface TemplateIssue {
  /** Where: e.g. `parts[0].paragraphs[2].text`. */
  path: string;
  /** Paragraph id when the issue is in a paragraph. */
  paragraphId?: string;
  message: string;
}

export type CompileResult = { ok: true; template: ReportTemplate } | { ok: false; errors: TemplateIssue[] };

const REQUIRED_PARTS: readonly PartKey[] = ['measures', 'shortcomings', 'responsibility', 'plans'];

/** Structural rules: the four statutory parts in order, the optional fifth last, unique paragraph ids. */
export function checkStructure(t: {
  type?: ReportType;
  opening: readonly { id: string }[];
  parts: readonly { key: PartKey; paragraphs: readonly { id: string }[] }[];
}): TemplateIssue[] {
  const issues: TemplateIssue[] = [];
  const keys = t.parts.map((p) => p.key);
  const expected = keys.length === 5 ? [...REQUIRED_PARTS, 'other'] : REQUIRED_PARTS;
  if (t.type === 'disclosure') {
    // The six parts of the national format (国办公开办函〔2021〕30号), all of them, in order.
    if (keys.length !== DISCLOSURE_PART_KEYS.length || keys.some((k, i) => k !== DISCLOSURE_PART_KEYS[i]))
      issues.push({ path: 'parts', message: `报告应依次包含六个部分：${DISCLOSURE_PART_KEYS.map((k) => PART_LABELS[k]).join('；')}` });
  } else if (keys.length < 4 || keys.length > 5 || keys.some((k, i) => k !== expected[i])) {
    issues.push({
      path: 'parts',
      message: `报告应依次包含四个法定部分：${REQUIRED_PARTS.map((k) => PART_LABELS[k]).join('；')}；可在最后加上“${PART_LABELS.other}”`,
    });
  }
  for (const [i, k] of keys.entries()) {
    if (!(t.type === 'disclosure' ? (DISCLOSURE_PART_KEYS as readonly string[]) : (PART_KEYS as readonly string[])).includes(k)) issues.push({ path: `parts[${i}].key`, message: `未知的部分“${k}”` });
  }
  const seen = new Set<string>();
  const all = [
    ...t.opening.map((p, j) => ({ p, path: `opening[${j}]` })),
    ...t.parts.flatMap((part, i) => part.paragraphs.map((p, j) => ({ p, path: `parts[${i}].paragraphs[${j}]` }))),
  ];
  for (const { p, path } of all) {
    if (!/^[A-Za-z0-9_-]+$/.test(p.id)) issues.push({ path: `${path}.id`, message: `段落编号“${p.id}”只能包含字母、数字、下划线和连字符` });
    if (seen.has(p.id)) issues.push({ path: `${path}.id`, paragraphId: p.id, message: `段落编号“${p.id}”重复` });
    seen.add(p.id);
  }
  return issues;
}

export function compileTemplate(src: TemplateSource, opts: Pick<ParseOptions, 'isKnownMetric'> = {}): CompileResult {
  const errors: TemplateIssue[] = [];
  const parse = (text: string, path: string, allowMetrics: boolean, paragraphId?: string): Segment[] => {
    const r = parseParagraph(text, { ...opts, allowMetrics });
    if (r.ok) return r.segments;
    for (const e of r.errors) errors.push({ path, message: e.message, ...(paragraphId ? { paragraphId } : {}) });
    return [];
  };
  const paragraph = (p: ParagraphSource, path: string): TemplateParagraph => {
    const out: TemplateParagraph = { id: p.id, segments: parse(p.text, `${path}.text`, true, p.id) };
    if (p.heading !== undefined) out.heading = parse(p.heading, `${path}.heading`, false, p.id);
    if (p.when) {
      if (opts.isKnownMetric && !opts.isKnownMetric(p.when.metricKey)) {
        errors.push({ path: `${path}.when`, paragraphId: p.id, message: `显示条件中的指标“${p.when.metricKey}”未知` });
      }
      out.when = { ...p.when };
    }
    if (p.generated) out.generated = true;
    return out;
  };
  const template: ReportTemplate = {
    id: src.id,
    ...(src.type ? { type: src.type } : {}),
    name: src.name,
    title: parse(src.title, 'title', false),
    opening: src.opening.map((p, j) => paragraph(p, `opening[${j}]`)),
    parts: src.parts.map(
      (part, i): TemplatePart => ({
        key: part.key,
        ...(part.table ? { table: part.table } : {}),
        heading: parse(part.heading, `parts[${i}].heading`, false),
        paragraphs: part.paragraphs.map((p, j) => paragraph(p, `parts[${i}].paragraphs[${j}]`)),
      }),
    ),
  };
  if (src.title.trim() === '') errors.push({ path: 'title', message: '报告标题不能为空' });
  errors.push(...checkStructure(src));
  return errors.length > 0 ? { ok: false, errors } : { ok: true, template };
}

export function templateToSource(t: ReportTemplate): TemplateSource {
  const paragraph = (p: TemplateParagraph): ParagraphSource => ({
    id: p.id,
    ...(p.heading ? { heading: serializeParagraph(p.heading) } : {}),
    text: serializeParagraph(p.segments),
    ...(p.when ? { when: { ...p.when } } : {}),
    ...(p.generated ? { generated: true } : {}),
  });
  return {
    id: t.id,
    ...(t.type ? { type: t.type } : {}),
    name: t.name,
    title: serializeParagraph(t.title),
    opening: t.opening.map(paragraph),
    parts: t.parts.map((part) => ({
      key: part.key,
      ...(part.table ? { table: part.table } : {}),
      heading: serializeParagraph(part.heading),
      paragraphs: part.paragraphs.map(paragraph),
    })),
  };
}

/** Template text the town has not edited yet (the editor marks it 【待完善】, 审核 lists it). */
export function isUnedited(p: ParagraphSource): boolean {
  return !p.edited && !p.generated;
}

/** Every metric key a template uses (placeholders and display conditions), for computing only those. */
export function templateMetricKeys(t: ReportTemplate): string[] {
  const keys = new Set<string>();
  const paragraphs = [...t.opening, ...t.parts.flatMap((p) => p.paragraphs)];
  for (const p of paragraphs) {
    for (const s of p.segments) if (s.type === 'metric') keys.add(s.key);
    if (p.when) keys.add(p.when.metricKey);
  }
  return [...keys];
}
