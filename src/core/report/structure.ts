/**
 * Editing a report's structure: paragraphs added, moved and removed in any part (the opening
 * included), and the optional part 五 switched on or off. Pure functions over a template source that
 * return a new source; the result is checked by `compileTemplate` like any edit.
 */
import { OTHER_PART_SOURCE } from './default-template';
import type { ParagraphSource, TemplateSource } from './template';
import type { PartKey } from './types';

/** Where a paragraph lives: a part key, or `opening` for the text before part 一. */
export type ParagraphPlace = PartKey | 'opening';

export class StructureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StructureError';
  }
}

function copy(src: TemplateSource): TemplateSource {
  return structuredClone(src);
}

function listOf(src: TemplateSource, place: ParagraphPlace): ParagraphSource[] {
  if (place === 'opening') return src.opening;
  const part = src.parts.find((p) => p.key === place);
  if (!part) throw new StructureError(place === 'other' ? '报告未启用第五部分“其他需要报告的情况”，请先启用' : `报告没有“${place}”部分`);
  return part.paragraphs;
}

function locate(src: TemplateSource, pid: string): { list: ParagraphSource[]; index: number; place: ParagraphPlace } {
  const places: ParagraphPlace[] = ['opening', ...src.parts.map((p) => p.key)];
  for (const place of places) {
    const list = listOf(src, place);
    const index = list.findIndex((p) => p.id === pid);
    if (index >= 0) return { list, index, place };
  }
  throw new StructureError(`段落“${pid}”不存在`);
}

function clampIndex(index: number | undefined, length: number): number {
  if (index === undefined) return length;
  if (!Number.isInteger(index) || index < 0 || index > length) throw new StructureError(`位置${index}无效：应在0到${length}之间`);
  return index;
}

/** A fresh paragraph id (`p1`, `p2`, …) not used in the source. */
export function newParagraphId(src: TemplateSource): string {
  const used = new Set([...src.opening, ...src.parts.flatMap((p) => p.paragraphs)].map((p) => p.id));
  for (let n = 1; ; n++) if (!used.has(`p${n}`)) return `p${n}`;
}

/** Adds a paragraph the town writes (so it is never 待完善) at `index` of a part (default: last). */
export function addParagraph(
  src: TemplateSource,
  place: ParagraphPlace,
  p: { text: string; heading?: string },
  index?: number,
): { source: TemplateSource; id: string } {
  const out = copy(src);
  const list = listOf(out, place);
  const id = newParagraphId(out);
  const para: ParagraphSource = { id, text: p.text, edited: true, ...(p.heading?.trim() ? { heading: p.heading } : {}) };
  list.splice(clampIndex(index, list.length), 0, para);
  return { source: out, id };
}

/** Moves a paragraph to `index` of a part (the same or another). */
export function moveParagraph(src: TemplateSource, pid: string, place: ParagraphPlace, index: number): TemplateSource {
  const out = copy(src);
  const from = locate(out, pid);
  if (from.place !== 'opening' && from.list.length === 1 && from.place !== place) throw new StructureError('每个部分至少保留一段，不能移走该部分的最后一段');
  const [para] = from.list.splice(from.index, 1);
  const to = listOf(out, place);
  to.splice(clampIndex(index, to.length), 0, para!);
  return out;
}

/** Removes a paragraph; a statutory part keeps at least one. */
export function removeParagraph(src: TemplateSource, pid: string): TemplateSource {
  const out = copy(src);
  const at = locate(out, pid);
  if (at.place !== 'opening' && at.list.length === 1) throw new StructureError('每个部分至少保留一段，不能删除该部分的最后一段');
  at.list.splice(at.index, 1);
  return out;
}

/** Switches part 五 (其他需要报告的情况) on (with one paragraph to complete) or off. */
export function setOtherPart(src: TemplateSource, on: boolean): TemplateSource {
  const out = copy(src);
  const has = out.parts.some((p) => p.key === 'other');
  if (on && !has) {
    const part = structuredClone(OTHER_PART_SOURCE);
    // Keep ids unique if a paragraph called `other` was added elsewhere.
    for (const p of part.paragraphs) if ([...out.opening, ...out.parts.flatMap((x) => x.paragraphs)].some((x) => x.id === p.id)) p.id = newParagraphId(out);
    out.parts.push(part);
  }
  if (!on && has) out.parts = out.parts.filter((p) => p.key !== 'other');
  return out;
}
