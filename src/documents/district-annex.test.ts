import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { writeDistrictAnnexDocx, writeDistrictAnnexXlsx, type DistrictComparison } from './district-annex';
import { inspectDocx } from './docx-inspect';

const comparison: DistrictComparison = {
  districtName: '宝山区',
  year: 2023,
  metrics: [
    // A count of work: no direction is better, so no rank (issue 10: the annex ranked petitions "more is better").
    { key: 'publicity_activity.count', label: '法治宣传教育活动', unit: '场次' },
    { key: 'deputy_suggestion.satisfaction_rate', label: '代表委员满意率', format: { kind: 'pct' }, rankOrder: 'desc' },
    { key: 'indicator.fraud_110_calls_yoy', label: '诈骗类110接警数同比', format: { kind: 'yoy', style: 'full' }, rankOrder: 'asc' },
  ],
  rows: [
    {
      orgName: '庙行镇',
      values: { 'publicity_activity.count': 658, 'deputy_suggestion.satisfaction_rate': 1, 'indicator.fraud_110_calls_yoy': -0.123 },
      // A stray rank of an undirected metric is not printed.
      ranks: { 'publicity_activity.count': 1, 'deputy_suggestion.satisfaction_rate': 1, 'indicator.fraud_110_calls_yoy': 1 },
    },
    {
      orgName: '大场镇',
      values: { 'publicity_activity.count': 512, 'deputy_suggestion.satisfaction_rate': null, 'indicator.fraud_110_calls_yoy': 0.05 },
      ranks: { 'deputy_suggestion.satisfaction_rate': null, 'indicator.fraud_110_calls_yoy': 2 },
    },
  ],
  totals: { 'publicity_activity.count': 1170, 'deputy_suggestion.satisfaction_rate': 1, 'indicator.fraud_110_calls_yoy': -0.04 },
};

describe('district annex .xlsx', () => {
  it('writes towns, totals and ranks with numbers kept as numbers', async () => {
    const wb = new ExcelJS.Workbook();
    // exceljs types its input as the old non-generic Buffer; the bytes are the same.
    await wb.xlsx.load((await writeDistrictAnnexXlsx(comparison)) as unknown as Parameters<typeof wb.xlsx.load>[0]);
    const ws = wb.getWorksheet('对比表')!;
    expect(ws.getCell('A1').value).toBe('宝山区2023年各镇（街道）法治政府建设主要指标对比表');
    const header = (ws.getRow(2).values as unknown[]).slice(1);
    expect(header).toEqual(['序号', '镇（街道）', '法治宣传教育活动（场次）', '代表委员满意率', '排名', '诈骗类110接警数同比', '排名']);
    expect((ws.getRow(3).values as unknown[]).slice(1)).toEqual([1, '庙行镇', 658, 1, 1, -0.123, 1]);
    expect((ws.getRow(4).values as unknown[]).slice(1)).toEqual([2, '大场镇', 512, '—', '—', 0.05, 2]);
    expect((ws.getRow(5).values as unknown[]).slice(2)).toEqual(['合计', 1170, 1, '—', -0.04, '—']);
    expect(ws.getCell('D3').numFmt).toBe('0.0%');
    expect(ws.getCell('C3').numFmt).toBe('0');
  });
});

describe('district annex .docx', () => {
  it('is a landscape A4 annex with the table in Chinese wording', async () => {
    const d = await inspectDocx(await writeDistrictAnnexDocx(comparison));
    expect(d.pageSize).toEqual({ width: 16838, height: 11906 });
    expect(d.margins).toMatchObject({ top: 1587, bottom: 1474, left: 2098, right: 1984 });
    expect(d.paragraphs[0]!.text).toBe('附件');
    expect(d.paragraphs[1]).toMatchObject({ style: 'GwTitle', text: '宝山区2023年各镇（街道）法治政府建设主要指标对比表' });
    expect(d.evenAndOddHeaders).toBe(true);
  });

  it('prints figures in their formats, no data as —', async () => {
    const { default: JSZip } = await import('jszip');
    const zip = await JSZip.loadAsync(await writeDistrictAnnexDocx(comparison));
    const xml = await zip.file('word/document.xml')!.async('string');
    const texts = [...xml.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((m) => m[1]);
    const row = (name: string) => texts.slice(texts.indexOf(name) - 1, texts.indexOf(name) + 6);
    expect(row('庙行镇')).toEqual(['1', '庙行镇', '658', '100%', '1', '下降12.3%', '1']);
    expect(row('大场镇')).toEqual(['2', '大场镇', '512', '—', '—', '上升5.0%', '2']);
    expect(row('合计')).toEqual(['', '合计', '1170', '100%', '', '下降4.0%', '']);
    expect(xml).toContain('不排名');
  });

  it('keeps the 合计 row with its table: every other row keeps with the next', async () => {
    const { default: JSZip } = await import('jszip');
    const xml = await (await JSZip.loadAsync(await writeDistrictAnnexDocx(comparison))).file('word/document.xml')!.async('string');
    const rows = [...xml.matchAll(/<w:tr>[\s\S]*?<\/w:tr>/g)].map((m) => m[0]);
    expect(rows).toHaveLength(4);
    for (const r of rows.slice(0, -1)) expect(r.match(/<w:keepNext\/>/g)?.length).toBe(r.match(/<w:p>/g)?.length);
    expect(rows.at(-1)).toContain('合计');
    expect(rows.at(-1)).not.toContain('<w:keepNext/>');
  });

  it('splits many metrics over several tables whose fixed columns fit the landscape line', async () => {
    const metrics = Array.from({ length: 18 }, (_, i) => ({ key: `k${i}`, label: `经重大法制审核后被复议、诉讼纠错的案件${i}`, unit: '件', rankOrder: 'desc' as const }));
    const many: DistrictComparison = {
      ...comparison,
      metrics: [...metrics.slice(0, 17), { key: 'k17', label: '诈骗类110接警数同比', format: { kind: 'yoy', style: 'bare' }, rankOrder: 'asc' }],
      rows: comparison.rows.map((r, t) => ({
        orgName: r.orgName,
        values: Object.fromEntries(metrics.map((m, i) => [m.key, i + t])),
        ranks: Object.fromEntries(metrics.map((m) => [m.key, t + 1])),
      })),
      totals: {},
    };
    const { default: JSZip } = await import('jszip');
    const xml = await (await JSZip.loadAsync(await writeDistrictAnnexDocx(many))).file('word/document.xml')!.async('string');
    const tables = [...xml.matchAll(/<w:tbl>[\s\S]*?<\/w:tbl>/g)].map((m) => m[0]);
    expect(tables).toHaveLength(4);
    const typeWidth = 16838 - 2098 - 1984;
    for (const t of tables) {
      expect(t).toContain('<w:tblLayout w:type="fixed"/>');
      const cols = [...t.matchAll(/<w:gridCol w:w="(\d+)"\/>/g)].map((m) => Number(m[1]));
      expect(cols.length === 2 + 5 * 2 || (t === tables[3] && cols.length === 2 + 3 * 2)).toBe(true);
      expect(cols.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(typeWidth);
      // A figure column holds at least five 五号 characters (10.5 pt = 210 twips) besides the cell margins.
      expect(Math.min(...cols.filter((w, i) => i > 1 && i % 2 === 0))).toBeGreaterThanOrEqual(5 * 210 + 2 * 108);
      // Each table repeats its header row on a new page.
      expect(t).toContain('<w:tblHeader/>');
    }
    const texts = [...xml.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');
    expect(texts).toContain('注：排名按数值从高到低（越高越好），其中“诈骗类110接警数同比”按数值从低到高（越低越好）');
  });
});
