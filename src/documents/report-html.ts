/** A self-contained HTML preview of a report: figures carry `data-metric`, warnings sit beside paragraphs. */
import { addresseeLine, isPrinted, type DocParagraph, type ReportDocument, type ReportWarning } from '../core/report';
import { TABLE_STYLE, tableHtml } from './report-html-table';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const STYLE = `
body{margin:0;background:#f2f2f2;color:#000}
.page{box-sizing:border-box;width:210mm;min-height:297mm;margin:16px auto;padding:37mm 26mm 35mm 28mm;background:#fff;box-shadow:0 1px 4px rgba(0,0,0,.2)}
h1{font-family:"方正小标宋简体","FZXiaoBiaoSong-B05S","Noto Serif CJK SC","Source Han Serif SC",serif;font-size:22pt;font-weight:normal;text-align:center;line-height:28.95pt;margin:0 0 28.95pt}
h2{font-family:"黑体","SimHei","Noto Sans CJK SC","Source Han Sans SC",sans-serif;font-size:16pt;font-weight:normal;text-indent:2em;line-height:28.95pt;margin:0}
p{font-family:"仿宋_GB2312","仿宋","FangSong","Noto Serif CJK SC",serif;font-size:16pt;text-indent:2em;text-align:justify;line-height:28.95pt;margin:0}
.h2{font-family:"楷体_GB2312","楷体","KaiTi","Noto Serif CJK SC",serif}
.figure{background:#fff3c4;border-bottom:1px solid #d4a500}
.figure.no-data{background:#ffd9d9;border-bottom-color:#c00}
.para{position:relative}
.addressee{text-indent:0}
.signature p{text-indent:0}
.signature .issuer{text-align:right}
.warnings{font:12px/1.5 sans-serif;color:#a15c00;background:#fff8e6;border-left:3px solid #e6a23c;margin:4px 0 8px 2em;padding:4px 8px;list-style:none}
@media print{body{background:none}.page{margin:0;box-shadow:none}.figure{background:none;border:0}.warnings{display:none}}
`;

function warningsHtml(ws: readonly ReportWarning[]): string {
  if (ws.length === 0) return '';
  const items = ws.map((w) => `<li data-metric="${escapeHtml(w.metricKey)}">${escapeHtml(w.message)}</li>`).join('');
  return `<ul class="warnings" role="note" aria-label="提示">${items}</ul>`;
}

function paragraphHtml(p: DocParagraph): string {
  const heading = p.heading ? `<span class="h2">${escapeHtml(p.heading.number + p.heading.text)}</span>` : '';
  const runs = p.runs
    .map((r) => {
      if (r.type === 'text') return escapeHtml(r.text);
      const cls = r.noData ? 'figure no-data' : 'figure';
      const entry = r.entry === undefined ? '' : ` data-entry="${escapeHtml(r.entry)}"`;
      // Traceability: the metric's definition (as a tooltip) and the records the figure counts.
      const def = r.definition === undefined ? '' : ` title="${escapeHtml(r.definition)}" data-definition="${escapeHtml(r.definition)}"`;
      const ids = r.recordIds === undefined ? '' : ` data-records="${r.recordIds.join(',')}"`;
      return `<span class="${cls}" data-metric="${escapeHtml(r.metricKey)}"${entry}${def}${ids}>${escapeHtml(r.display)}</span>`;
    })
    .join('');
  return `<div class="para" data-paragraph="${escapeHtml(p.id)}"><p>${heading}${runs}</p>${warningsHtml(p.warnings)}</div>`;
}

export function renderReportHtml(doc: ReportDocument): string {
  const attached = new Set(
    [...doc.opening, ...doc.sections.flatMap((s) => s.paragraphs)].flatMap((p) => p.warnings),
  );
  const loose = doc.warnings.filter((w) => !attached.has(w));
  const sig = doc.signature;
  // The date starts two characters right of the 署名's first (GB/T 9704 §7.3.5.2): the block is
  // right-aligned two characters in, the date indented two within it.
  const signature = sig
    ? `<div class="signature" style="display:flex;justify-content:flex-end;margin-top:28.95pt;padding-right:2em"><div><p class="issuer">${escapeHtml(sig.issuer)}</p>${
        sig.date ? `<p class="date" style="padding-left:2em">${escapeHtml(sig.date)}</p>` : ''
      }</div></div>`
    : '';
  const body = [
    `<h1>${escapeHtml(doc.title)}</h1>`,
    ...(sig?.addressee ? [`<p class="addressee">${escapeHtml(addresseeLine(sig.addressee))}</p>`] : []),
    ...doc.opening.filter(isPrinted).map(paragraphHtml),
    ...doc.sections.flatMap((s) => [
      `<h2 data-part="${s.key}">${escapeHtml(s.number + s.title)}</h2>`,
      ...s.paragraphs.filter(isPrinted).map(paragraphHtml),
      ...(s.tables ?? []).map(tableHtml),
    ]),
    signature,
    warningsHtml(loose),
  ].join('\n');
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(doc.title)}</title>
<style>${STYLE}${TABLE_STYLE}</style>
</head>
<body>
<article class="page">
${body}
</article>
</body>
</html>
`;
}
