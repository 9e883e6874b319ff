/** Generated tables in the HTML preview: merged headers as in the national format, counted cells carry `data-figure`. */
import type { DocTable } from '../core/report';
import { escapeHtml } from './report-html';

export const TABLE_STYLE = `
table.gen{border-collapse:collapse;width:100%;margin:4pt 0 12pt;font-family:"仿宋_GB2312","仿宋","FangSong","Noto Serif CJK SC",serif;font-size:12pt;line-height:18pt}
table.gen td,table.gen th{border:1px solid #000;padding:2pt 4pt;text-align:center;font-weight:normal}
table.gen th.long{text-align:left}
table.gen tr{break-inside:avoid}
table.gen td.figure{cursor:pointer}
p.table-note{font-size:12pt;text-indent:0;text-align:center}
`;

export function tableHtml(t: DocTable): string {
  const rows = t.rows
    .map((row, i) => {
      const cells = row
        .map((c) => {
          const span = `${c.colSpan && c.colSpan > 1 ? ` colspan="${c.colSpan}"` : ''}${c.rowSpan && c.rowSpan > 1 ? ` rowspan="${c.rowSpan}"` : ''}`;
          if (c.header) return `<th${span}${c.text.length > 12 ? ' class="long"' : ''}>${escapeHtml(c.text)}</th>`;
          const fig = c.figure ? ` class="figure" data-figure="${escapeHtml(c.figure)}"` : '';
          return `<td${span}${fig}>${escapeHtml(c.text)}</td>`;
        })
        .join('');
      return i < t.headerRows ? `<tr class="head">${cells}</tr>` : `<tr>${cells}</tr>`;
    })
    .join('\n');
  const note = t.note ? `<p class="table-note">${escapeHtml(t.note)}</p>\n` : '';
  return `${note}<table class="gen" data-table="${escapeHtml(t.id)}">\n${rows}\n</table>`;
}
