import { describe, expect, it } from 'vitest';
import { DEFAULT_TEMPLATE } from './default-template';
import { MIAOHANG_2023_VALUES } from './reference-values';
import { renderReport } from './render';
import { finalizeBlockers, type FinalizeCheck } from './workflow';

const render = (values = MIAOHANG_2023_VALUES, extra = {}) => renderReport(DEFAULT_TEMPLATE, { orgName: '庙行镇', year: 2023, values, ...extra });

describe('finalize guard', () => {
  it('lets a complete report be frozen by a second person only', () => {
    const document = render();
    expect(finalizeBlockers({ document, submittedBy: 1, approverId: 2 })).toEqual([]);
    expect(finalizeBlockers({ document, submittedBy: 1, approverId: 1 }).map((b) => b.code)).toEqual(['second_person']);
  });

  it('refuses 定稿 while a sentence waits for data (mark mode) or a consistency check fails', () => {
    const values = { ...MIAOHANG_2023_VALUES, 'deputy_suggestion.satisfaction_rate': null };
    expect(finalizeBlockers({ document: render(values), submittedBy: 1, approverId: 2 })).toEqual([]);
    const marked = finalizeBlockers({ document: render(values, { noData: 'mark' }), submittedBy: 1, approverId: 2 });
    expect(marked).toEqual([expect.objectContaining({ code: 'no_data', paragraphId: 'oversight' })]);
    const inconsistent = render(MIAOHANG_2023_VALUES, { warnings: [{ metricKey: 'dispute.by_result', message: '各项之和与总数不符', kind: 'consistency' }] });
    expect(finalizeBlockers({ document: inconsistent, submittedBy: 1, approverId: 2 })).toEqual([
      expect.objectContaining({ code: 'consistency', message: '各项之和与总数不符' }),
    ]);
  });

  it('takes the checks a report type adds', () => {
    const noTables: FinalizeCheck = () => [{ code: 'table', message: '表格未填写' }];
    expect(finalizeBlockers({ document: render(), submittedBy: 1, approverId: 2 }, [noTables]).map((b) => b.code)).toEqual(['table']);
  });
});
