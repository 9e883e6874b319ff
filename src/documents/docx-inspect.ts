/**
 * Reads back the layout of a generated .docx (page, margins, grid, styles, paragraphs, footers):
 * what the tests, and the acceptance test, assert on. Uses jszip (a dev dependency): test-side only.
 */
import JSZip from 'jszip';
import { elements, find, findAll, parseXml, wText, type XmlElement } from './docx-xml';

export interface InspectedStyle {
  id: string;
  type: string;
  name?: string;
  fonts?: Record<string, string>;
  /** Half-points. */
  size?: number;
  firstLineChars?: number;
  alignment?: string;
  line?: { line: number; rule: string };
}

export interface InspectedParagraph {
  style?: string;
  /** Direct paragraph formatting: w:jc and w:ind attributes (without the w: prefix). */
  alignment?: string;
  indent?: Record<string, string>;
  text: string;
  runs: { style?: string; text: string }[];
}

export interface InspectedDocx {
  pageSize: { width: number; height: number };
  margins: { top: number; bottom: number; left: number; right: number; footer: number };
  grid: { type?: string; linePitch?: number; charSpace?: number };
  evenAndOddHeaders: boolean;
  defaults: { fonts?: Record<string, string>; size?: number };
  styles: Map<string, InspectedStyle>;
  paragraphs: InspectedParagraph[];
  footers: { type: string; alignment?: string; text: string; fields: string[]; style?: string; indent: Record<string, string> }[];
}

const num = (s: string | undefined): number | undefined => (s === undefined ? undefined : Number(s));

function fontsOf(rPr: XmlElement | undefined): Record<string, string> | undefined {
  const f = rPr && find(rPr, 'w:rFonts');
  if (!f) return undefined;
  return Object.fromEntries(Object.entries(f.attrs).map(([k, v]) => [k.replace(/^w:/, ''), v]));
}

/** A property of the paragraph itself (its w:pPr), not of a run in it. */
function paragraphProp(p: XmlElement, name: string): XmlElement | undefined {
  const pPr = elements(p).find((e) => e.name === 'w:pPr');
  return pPr ? elements(pPr).find((e) => e.name === name) : undefined;
}

export async function inspectDocx(buf: Buffer | Uint8Array): Promise<InspectedDocx> {
  const zip = await JSZip.loadAsync(buf);
  const read = async (path: string) => {
    const f = zip.file(path);
    if (!f) throw new Error(`${path} missing from the .docx`);
    return parseXml(await f.async('string'));
  };
  const document = await read('word/document.xml');
  const styles = await read('word/styles.xml');
  const settings = await read('word/settings.xml');
  const rels = await read('word/_rels/document.xml.rels');

  const sectPr = findAll(document, 'w:sectPr').at(-1);
  if (!sectPr) throw new Error('no w:sectPr');
  const pgSz = find(sectPr, 'w:pgSz')!;
  const pgMar = find(sectPr, 'w:pgMar')!;
  const grid = find(sectPr, 'w:docGrid');

  const styleMap = new Map<string, InspectedStyle>();
  for (const s of findAll(styles, 'w:style')) {
    const rPr = find(s, 'w:rPr');
    const pPr = find(s, 'w:pPr');
    const ind = pPr && find(pPr, 'w:ind');
    const spacing = pPr && find(pPr, 'w:spacing');
    const st: InspectedStyle = { id: s.attrs['w:styleId']!, type: s.attrs['w:type']! };
    const name = find(s, 'w:name')?.attrs['w:val'];
    if (name) st.name = name;
    const fonts = fontsOf(rPr);
    if (fonts) st.fonts = fonts;
    const size = num(rPr && find(rPr, 'w:sz')?.attrs['w:val']);
    if (size !== undefined) st.size = size;
    const flc = num(ind?.attrs['w:firstLineChars']);
    if (flc !== undefined) st.firstLineChars = flc;
    const jc = pPr && find(pPr, 'w:jc')?.attrs['w:val'];
    if (jc) st.alignment = jc;
    if (spacing?.attrs['w:line']) st.line = { line: Number(spacing.attrs['w:line']), rule: spacing.attrs['w:lineRule'] ?? 'auto' };
    styleMap.set(st.id, st);
  }
  const defRPr = find(find(styles, 'w:rPrDefault') ?? styles, 'w:rPr');

  const body = find(document, 'w:body')!;
  const paragraphs = elements(body)
    .filter((e) => e.name === 'w:p')
    .map((p) => ({
      ...(find(p, 'w:pStyle') ? { style: find(p, 'w:pStyle')!.attrs['w:val']! } : {}),
      ...(paragraphProp(p, 'w:jc') ? { alignment: paragraphProp(p, 'w:jc')!.attrs['w:val']! } : {}),
      ...(paragraphProp(p, 'w:ind') ? { indent: Object.fromEntries(Object.entries(paragraphProp(p, 'w:ind')!.attrs).map(([k, v]) => [k.replace(/^w:/, ''), v])) } : {}),
      text: wText(p),
      runs: findAll(p, 'w:r').map((r) => ({
        ...(find(r, 'w:rStyle') ? { style: find(r, 'w:rStyle')!.attrs['w:val']! } : {}),
        text: wText(r),
      })),
    }));

  const targets = new Map(findAll(rels, 'Relationship').map((r) => [r.attrs.Id!, r.attrs.Target!]));
  const footers = [];
  for (const ref of findAll(sectPr, 'w:footerReference')) {
    const footer = await read(`word/${targets.get(ref.attrs['r:id']!)}`);
    const p = find(footer, 'w:p')!;
    const ind = find(p, 'w:ind');
    footers.push({
      type: ref.attrs['w:type']!,
      ...(find(p, 'w:jc') ? { alignment: find(p, 'w:jc')!.attrs['w:val']! } : {}),
      ...(find(p, 'w:pStyle') ? { style: find(p, 'w:pStyle')!.attrs['w:val']! } : {}),
      indent: Object.fromEntries(Object.entries(ind?.attrs ?? {}).map(([k, v]) => [k.replace(/^w:/, ''), v])),
      text: wText(p),
      fields: findAll(p, 'w:instrText').map((i) => i.children.filter((c): c is string => typeof c === 'string').join('').trim()),
    });
  }
  const defFonts = fontsOf(defRPr);
  const defSize = num(defRPr && find(defRPr, 'w:sz')?.attrs['w:val']);
  return {
    pageSize: { width: Number(pgSz.attrs['w:w']), height: Number(pgSz.attrs['w:h']) },
    margins: {
      top: Number(pgMar.attrs['w:top']),
      bottom: Number(pgMar.attrs['w:bottom']),
      left: Number(pgMar.attrs['w:left']),
      right: Number(pgMar.attrs['w:right']),
      footer: Number(pgMar.attrs['w:footer']),
    },
    grid: {
      ...(grid?.attrs['w:type'] ? { type: grid.attrs['w:type'] } : {}),
      ...(grid?.attrs['w:linePitch'] ? { linePitch: Number(grid.attrs['w:linePitch']) } : {}),
      ...(grid?.attrs['w:charSpace'] ? { charSpace: Number(grid.attrs['w:charSpace']) } : {}),
    },
    evenAndOddHeaders: find(settings, 'w:evenAndOddHeaders') !== undefined,
    defaults: { ...(defFonts ? { fonts: defFonts } : {}), ...(defSize !== undefined ? { size: defSize } : {}) },
    styles: styleMap,
    paragraphs,
    footers,
  };
}
