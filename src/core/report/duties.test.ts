import { describe, expect, it } from 'vitest';
import { dutyText, openReportDuties } from './duties';
import { reportDueOn } from './templates';

describe('report duties', () => {
  it('are due by 31 January (disclosure, 条例 art. 49) and 1 April (rule of law) of the next year', () => {
    expect(reportDueOn('disclosure', 2023)).toBe('2024-01-31');
    expect(reportDueOn('rule_of_law', 2023)).toBe('2024-04-01');
  });
  it('remind from 1 January, 逾期 after the deadline, gone once finalised', () => {
    expect(openReportDuties('2024-01-01', new Set()).map((d) => [d.type, d.year, d.state])).toEqual([
      ['rule_of_law', 2023, '临期'],
      ['disclosure', 2023, '临期'],
    ]);
    expect(openReportDuties('2024-01-31', new Set()).find((d) => d.type === 'disclosure')!.state).toBe('临期');
    expect(openReportDuties('2024-02-01', new Set()).map((d) => [d.type, d.state])).toEqual([
      ['rule_of_law', '临期'],
      ['disclosure', '逾期'],
    ]);
    expect(openReportDuties('2024-04-02', new Set(['disclosure:2023'])).map((d) => [d.type, d.state])).toEqual([['rule_of_law', '逾期']]);
  });
  it('say what is owed and by when', () => {
    const [d] = openReportDuties('2024-02-01', new Set(['rule_of_law:2023']));
    expect(dutyText('庙行镇', d!)).toEqual({
      title: '已逾期：庙行镇2023年政府信息公开工作年度报告',
      body: '庙行镇2023年政府信息公开工作年度报告应于2024-01-31前定稿并向社会公布（《中华人民共和国政府信息公开条例》第四十九条），目前尚未定稿，已逾期。',
    });
  });
});
