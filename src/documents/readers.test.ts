import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { openXlsx } from './xlsx-reader';
import { decodeCsv, openCsv, parseCsv } from './csv-reader';
import { cellToValue } from './cell-values';

async function streamed(names: string[]): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: true });
  for (const n of names) {
    const ws = wb.addWorksheet(n);
    ws.addRow(['部门', n]).commit();
    ws.commit();
  }
  await wb.commit();
  return Buffer.concat(chunks);
}

describe('the streaming .xlsx reader', () => {
  it('keeps sheet names and order right for any number of sheets (exceljs lost them past 3)', async () => {
    for (const n of [1, 4, 17]) {
      const names = Array.from({ length: n }, (_, i) => `台账${i + 1}`);
      for (const buf of [await streamed(names), await (async () => {
        const wb = new ExcelJS.Workbook();
        for (const name of names) wb.addWorksheet(name).addRow(['部门', name]);
        return Buffer.from(await wb.xlsx.writeBuffer());
      })()]) {
        const book = await openXlsx(buf);
        expect(book.sheets.map((s) => s.name)).toEqual(names);
        for (const s of book.sheets) {
          const rows = [];
          for await (const r of s.rows()) rows.push([...r.cells.values()]);
          expect(rows).toEqual([['部门', s.name]]);
        }
      }
    }
  });

  it('keeps characters whole across inflated chunks and reads merges', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('培训与学法');
    const long = '行政处罚法专题培训'.repeat(2000);
    ws.addRow([long]);
    ws.addRow(['甲', '乙']);
    ws.mergeCells('A2:A4');
    const book = await openXlsx(Buffer.from(await wb.xlsx.writeBuffer()));
    const rows = [];
    for await (const r of book.sheets[0]!.rows()) rows.push(r);
    expect(rows[0]!.cells.get(1)).toBe(long);
    expect(book.sheets[0]!.merges).toEqual([{ top: 2, left: 1, bottom: 4, right: 1 }]);
  });
});

describe('CSV', () => {
  it('detects UTF-8 with and without BOM and GBK', () => {
    const text = '部门,主题\n司法所,学法\n';
    expect(decodeCsv(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]))).toEqual({ text, encoding: 'utf-8' });
    expect(decodeCsv(Buffer.from(text))).toEqual({ text, encoding: 'utf-8' });
    // 部门,主题 in GBK
    const gbk = Buffer.from([0xb2, 0xbf, 0xc3, 0xc5, 0x2c, 0xd6, 0xf7, 0xcc, 0xe2]);
    expect(decodeCsv(gbk)).toEqual({ text: '部门,主题', encoding: 'gb18030' });
  });

  it('parses quotes, separators and line breaks inside fields', () => {
    const rows = [...parseCsv('a,"b,c","d ""e""\nf"\r\n\r\n1,,3')];
    expect(rows.map((r) => [r.row, Object.fromEntries(r.cells)])).toEqual([
      [1, { 1: 'a', 2: 'b,c', 3: 'd "e"\nf' }],
      [3, { 1: '1', 3: '3' }],
    ]);
    expect([...parseCsv('部门\t主题\n司法所\t学法')].map((r) => [...r.cells.values()])).toEqual([['部门', '主题'], ['司法所', '学法']]);
  });

  it('refuses a binary file', () => {
    expect(() => openCsv(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0xff, 0xfe]), '培训与学法')).toThrow('不是CSV文本文件');
  });
});

describe('cell values as Excel has them', () => {
  const date = { key: 'd', label: '日期', type: 'date' as const };
  const en = { key: 'e', label: '类型', type: 'enum' as const, options: ['警示教育', '以案释法'] };
  it('reads every date spelling and refuses impossible dates unchanged', () => {
    for (const v of ['2023-03-14', '2023/3/14', '2023.3.14', '2023年3月14日', '２０２３－０３－１４', new Date(Date.UTC(2023, 2, 14)), 44999]) expect(cellToValue(date, v)).toBe('2023-03-14');
    expect(cellToValue(date, '2023-02-30')).toBe('2023-02-30'); // the engine refuses it; never 2023-03-02
    expect(cellToValue(date, 44999.5)).toBe('44999.5');
  });
  it('matches enum values with stray or full-width spaces and keeps unknown ones for the engine to refuse', () => {
    expect(cellToValue(en, '警示教育 ')).toBe('警示教育');
    expect(cellToValue(en, '\u3000以案释法')).toBe('以案释法');
    expect(cellToValue(en, '专题讲座')).toBe('专题讲座');
  });
  it('reads 是/否/√/× and numbers with separators or as text', () => {
    const b = { key: 'b', label: 'b', type: 'bool' as const };
    expect(['是', '√', '×', '否'].map((v) => cellToValue(b, v))).toEqual([true, true, false, false]);
    const n = { key: 'n', label: 'n', type: 'int' as const };
    expect(['1,200', '１２', ' 7 ', '1,20'].map((v) => cellToValue(n, v))).toEqual([1200, 12, 7, '1,20']);
  });
});
