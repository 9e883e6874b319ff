/**
 * Traceability of a report's figures: each figure carries its metric's Chinese definition and the
 * ids of the records it counts, so the JSON and HTML say where every number comes from.
 */
import { documentFigures } from './render';
import type { FigureRun, ReportDocument } from './types';

/** The key records are looked up by: `key`, or `key[entry]` for one value of a `by_` metric. */
export function figureKey(f: Pick<FigureRun, 'metricKey' | 'entry'>): string {
  return f.entry !== undefined ? `${f.metricKey}[${f.entry}]` : f.metricKey;
}

/** Every distinct figure key of a document (printed and left-out sentences alike). */
export function documentFigureKeys(doc: ReportDocument): string[] {
  const withheld = [...doc.opening, ...doc.sections.flatMap((s) => s.paragraphs)].flatMap((p) => (p.withheld ?? []).flatMap((w) => w.runs));
  const figs = [...documentFigures(doc), ...withheld.filter((r): r is FigureRun => r.type === 'figure')];
  return [...new Set(figs.map(figureKey))];
}

/** Writes the definitions (by metric key) and record ids (by figure key) into the document's figures. */
export function attachTrace(doc: ReportDocument, definitions: Readonly<Record<string, string>>, records: Readonly<Record<string, readonly number[]>>): ReportDocument {
  for (const f of documentFigures(doc)) {
    const def = Object.hasOwn(definitions, f.metricKey) ? definitions[f.metricKey] : undefined;
    if (def !== undefined) f.definition = def;
    const key = figureKey(f);
    const ids = Object.hasOwn(records, key) ? records[key] : undefined;
    if (ids !== undefined) f.recordIds = [...ids];
  }
  return doc;
}
