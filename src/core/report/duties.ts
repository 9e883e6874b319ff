/**
 * The statutory reports as dated duties of each town: the year's report is owed from 1 January of
 * the next year, 临期 until its deadline and 逾期 after it, until a version reaches 定稿.
 */
import { reportDueOn } from './templates';
import { REPORT_TYPE_LABELS, REPORT_TYPES, type ReportType } from './types';

export interface ReportDuty {
  type: ReportType;
  label: string;
  year: number;
  dueOn: string;
  state: '临期' | '逾期';
}

/** The duties open on `today` (YYYY-MM-DD) for a town that has finalised the reports in `finalised` (`type:year`). */
export function openReportDuties(today: string, finalised: ReadonlySet<string>): ReportDuty[] {
  const year = Number(today.slice(0, 4)) - 1;
  const out: ReportDuty[] = [];
  for (const type of REPORT_TYPES) {
    if (finalised.has(`${type}:${year}`)) continue;
    const dueOn = reportDueOn(type, year);
    out.push({ type, label: REPORT_TYPE_LABELS[type], year, dueOn, state: today > dueOn ? '逾期' : '临期' });
  }
  return out;
}

/** The reminder's text, e.g. `庙行镇2023年政府信息公开工作年度报告应于2024-01-31前定稿并公开（尚未定稿）`. */
export function dutyText(orgName: string, d: ReportDuty): { title: string; body: string } {
  const basis = d.type === 'disclosure' ? '《中华人民共和国政府信息公开条例》第四十九条' : '《法治政府建设与责任落实督察工作规定》';
  return {
    title: `${d.state === '逾期' ? '已逾期' : '待完成'}：${orgName}${d.year}年${d.label}`,
    body: `${orgName}${d.year}年${d.label}应于${d.dueOn}前定稿${d.type === 'disclosure' ? '并向社会公布' : '并报送'}（${basis}），目前尚未定稿${d.state === '逾期' ? '，已逾期' : ''}。`,
  };
}
