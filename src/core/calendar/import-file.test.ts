import { describe, expect, it } from 'vitest';
import { parseCalendarImport } from './import-file';

describe('parseCalendarImport', () => {
  it('reads a JSON array and covers its years', () => {
    const r = parseCalendarImport(
      JSON.stringify([
        { date: '2027-01-01', kind: 'holiday', name: '元旦' },
        { date: '2027-02-06', kind: 'workday', name: '春节' },
        { date: '2027-02-07', kind: '放假', name: '春节' },
      ]),
    );
    expect(r.errors).toEqual([]);
    expect(r.years).toEqual([2027]);
    expect(r.entries).toEqual([
      { date: '2027-01-01', kind: 'holiday', name: '元旦' },
      { date: '2027-02-06', kind: 'workday', name: '春节' },
      { date: '2027-02-07', kind: 'holiday', name: '春节' },
    ]);
    expect(r.warnings).toEqual([]);
  });

  it('reads a JSON object with declared years', () => {
    const r = parseCalendarImport('{"years":[2027,2028],"days":[{"date":"2027-10-01","kind":"holiday"}]}');
    expect(r.years).toEqual([2027, 2028]);
    expect(r.warnings).toEqual(['2028年没有任何放假日期，请确认是否为完整的年度安排']);
  });

  it('reads CSV with a Chinese header and a BOM', () => {
    const r = parseCalendarImport('\uFEFF日期,类型,名称\n2027-10-01,放假,国庆节\n\n2027-09-26,上班,国庆节\n');
    expect(r.errors).toEqual([]);
    expect(r.entries).toHaveLength(2);
    expect(r.entries[1]).toEqual({ date: '2027-09-26', kind: 'workday', name: '国庆节' });
  });

  it('reports each bad line in Chinese', () => {
    const r = parseCalendarImport('date,kind,name\n2027-02-30,holiday,x\n2027-03-01,maybe\n2027-10-01,holiday\n2027-10-01,workday\n');
    expect(r.errors).toEqual([
      '第2行：日期「2027-02-30」无效，应为YYYY-MM-DD格式的真实日期',
      '第3行：类型「maybe」无效，应为 holiday（放假）或 workday（上班）',
      '第5行：日期2027-10-01与第4行重复',
    ]);
  });

  it('reports bad JSON', () => {
    expect(parseCalendarImport('[{"date": 1').errors[0]).toMatch(/^文件不是有效的JSON/);
    expect(parseCalendarImport('{"days": 3}').errors[0]).toMatch(/文件内容应为日期列表/);
    expect(parseCalendarImport('[{"kind":"holiday"}]').errors).toEqual(['第1条：日期「」无效，应为YYYY-MM-DD格式的真实日期']);
    expect(parseCalendarImport('[]').errors).toEqual(['文件中没有任何日期']);
    expect(parseCalendarImport('{"years":["x"],"days":[]}').errors[0]).toBe('years 应为年份数组，如 [2027]');
  });
});
