/**
 * The paragraph editor's view of a paragraph: text and figures, each figure named by its metric's
 * Chinese name (and format), never as `{{key|format}}` syntax. The editor sends the same segments
 * back; they become the template syntax here, and the template parser checks them like any edit.
 */
import { describeFormat, parseParagraph, serializeParagraph, type Segment, type TemplateVariable } from '../core/report';
import { AppError } from '../core/errors';

/** Chinese names of the template variables. */
export const VARIABLE_LABELS: Record<TemplateVariable, string> = { org: '单位名称', year: '报告年度', nextYear: '下一年度', prevYear: '上一年度' };

/** What the editor sends back: the segments without their Chinese names. */
export type EditorSegmentInput =
  | { type: 'text'; text: string }
  | { type: 'var'; name: TemplateVariable }
  | { type: 'metric'; key: string; entry?: string; format: string };

export type EditorSegment =
  | { type: 'text'; text: string }
  | { type: 'var'; name: TemplateVariable; label: string }
  /** `format` in the syntax's words (int, pct, yoy:bare, …), `formatLabel` in Chinese. */
  | { type: 'metric'; key: string; entry?: string; format: string; label: string; formatLabel: string };

/** A paragraph source as editor segments (a source that does not parse is one text segment). */
export function editorSegments(source: string, labels: Readonly<Record<string, string>>): EditorSegment[] {
  const r = parseParagraph(source);
  if (!r.ok) return [{ type: 'text', text: source }];
  return r.segments.map((s): EditorSegment => {
    if (s.type === 'text') return s;
    if (s.type === 'var') return { type: 'var', name: s.name, label: VARIABLE_LABELS[s.name] };
    const name = labels[s.key] ?? s.key;
    const fmt = serializeParagraph([s]).replace(/^\{\{[^|]*\|/, '').replace(/\}\}$/, '');
    return {
      type: 'metric',
      key: s.key,
      ...(s.entry !== undefined ? { entry: s.entry } : {}),
      format: fmt,
      label: s.entry !== undefined ? `${name}（${s.entry}）` : name,
      formatLabel: describeFormat(s.format),
    };
  });
}

/** Editor segments back to the template syntax; a figure's format is checked by the parser. */
export function segmentsToSource(segments: readonly EditorSegmentInput[]): string {
  const out: Segment[] = [];
  for (const s of segments) {
    if (s.type === 'text') out.push({ type: 'text', text: s.text });
    else if (s.type === 'var') out.push({ type: 'var', name: s.name });
    else {
      const entry = s.entry !== undefined ? `[${s.entry}]` : '';
      const r = parseParagraph(`{{${s.key}${entry}|${s.format}}}`);
      if (!r.ok) throw new AppError('VALIDATION', r.errors.map((e) => e.message).join('；'), { fields: [{ field: 'segments', label: '段落内容', message: r.errors[0]!.message }] });
      out.push(...r.segments);
    }
  }
  // Adjacent text segments are joined so the syntax round-trips.
  const merged: Segment[] = [];
  for (const s of out) {
    const last = merged[merged.length - 1];
    if (s.type === 'text' && last?.type === 'text') last.text += s.text;
    else if (s.type !== 'text' || s.text !== '') merged.push(s.type === 'text' ? { ...s } : s);
  }
  return serializeParagraph(merged);
}
