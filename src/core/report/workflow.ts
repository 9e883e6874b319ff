/**
 * The approval workflow every report type shares: 草稿 → 审核 → 定稿, a second person to approve,
 * and 定稿 refused while a blocking problem remains. A finalize guard is a list of checks: the
 * generic ones here, and any a report type adds (`finalizeBlockers(input, extraChecks)`).
 */
import { isUnedited, type ParagraphSource, type TemplateSource } from './template';
import type { ReportDocument } from './types';

export const REPORT_STATES = ['草稿', '审核', '定稿'] as const;
export type ReportState = (typeof REPORT_STATES)[number];

/** Allowed moves: submit for review, send back, approve and freeze. */
export const REPORT_MOVES: Readonly<Record<ReportState, readonly ReportState[]>> = { 草稿: ['审核'], 审核: ['草稿', '定稿'], 定稿: [] };

export interface ReportBlocker {
  /** `second_person`, `no_data`, `consistency`, `missing_metric`, or a report type's own code. */
  code: string;
  message: string;
  paragraphId?: string;
}

export interface FinalizeInput {
  /** The live document about to be frozen. */
  document: ReportDocument;
  /** The user who moved the report to 审核 (null for reports submitted before this was recorded). */
  submittedBy: number | null;
  /** The user approving now. */
  approverId: number;
}

export type FinalizeCheck = (input: FinalizeInput) => ReportBlocker[];

/** 审核 and 定稿 are two people: the one who submitted the report cannot approve it. */
export const secondPersonCheck: FinalizeCheck = ({ submittedBy, approverId }) =>
  submittedBy !== null && submittedBy === approverId
    ? [{ code: 'second_person', message: '提交审核的人不能自己定稿：请由另一位有权限的人员审核定稿' }]
    : [];

function allParagraphs(doc: ReportDocument) {
  return [...doc.opening, ...doc.sections.flatMap((s) => s.paragraphs)];
}

/**
 * No figure without data in the text: a printed figure without data (never produced by the
 * renderer, checked anyway) or a sentence kept for completion in `mark` mode (warning kind noData).
 */
export const noDataCheck: FinalizeCheck = ({ document }) => {
  const out: ReportBlocker[] = [];
  for (const p of allParagraphs(document)) {
    for (const r of p.runs) {
      if (r.type === 'figure' && r.noData) out.push({ code: 'no_data', paragraphId: p.id, message: `正文中的数字“${r.metricKey}”无数据` });
    }
  }
  for (const w of document.warnings) {
    if (w.kind === 'noData') out.push({ code: 'no_data', ...(w.paragraphId ? { paragraphId: w.paragraphId } : {}), message: w.message });
  }
  return out;
};

/** A failed consistency check (parts not adding up, …) or a metric the catalog lost blocks 定稿. */
export const consistencyCheck: FinalizeCheck = ({ document }) =>
  document.warnings
    .filter((w) => w.kind === 'consistency' || w.kind === 'missingMetric')
    .map((w) => ({ code: w.kind === 'consistency' ? 'consistency' : 'missing_metric', ...(w.paragraphId ? { paragraphId: w.paragraphId } : {}), message: w.message }));

export const GENERIC_FINALIZE_CHECKS: readonly FinalizeCheck[] = [secondPersonCheck, noDataCheck, consistencyCheck];

/** Every problem that keeps a report from 定稿: the generic checks, then a report type's own. */
export function finalizeBlockers(input: FinalizeInput, extra: readonly FinalizeCheck[] = []): ReportBlocker[] {
  return [...GENERIC_FINALIZE_CHECKS, ...extra].flatMap((check) => check(input));
}

export interface UneditedParagraph {
  id: string;
  /** Where it is, for the 审核 list: the part's heading source or 开头. */
  part: string;
  /** The first words, to recognise it. */
  excerpt: string;
}

/** Template text the town has not edited yet, listed at 审核 (not blocking: the town may keep it). */
export function uneditedParagraphs(src: TemplateSource): UneditedParagraph[] {
  const excerpt = (p: ParagraphSource) => (p.heading ?? p.text).replace(/\{\{[^}]*\}\}/g, '…').slice(0, 24);
  return [
    ...src.opening.filter(isUnedited).map((p) => ({ id: p.id, part: '开头', excerpt: excerpt(p) })),
    ...src.parts.flatMap((part) => part.paragraphs.filter(isUnedited).map((p) => ({ id: p.id, part: part.key, excerpt: excerpt(p) }))),
  ];
}
