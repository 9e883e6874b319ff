import { describe, expect, it } from 'vitest';
import { countDisclosure, inForceOn, reviewOutcome, sumIndicator, type DisclosureInput, type RequestInput } from './count';
import { outcomeRow } from './groups';
import { checkRequestTable, failedCheckMessages, sumRequestTables } from './checks';
import { ALL_REPLY_REASONS, REPLY_REASONS } from './outcomes';

const base = (over: Partial<DisclosureInput> = {}): DisclosureInput => ({ year: 2023, requests: [], normativeDocuments: [], enforcement: [], indicators: [], litigation: [], ...over });
let nextId = 1;
const req = (o: Partial<RequestInput>): RequestInput => ({ id: nextId++, title: '申请', receivedOn: '2023-03-01', applicantType: '自然人', ...o });

describe('table 三: carried in and out across the year boundary', () => {
  it('counts a request received on 31 December and replied on 2 January as new and carried out, then carried in and handled next year', () => {
    const r = req({ receivedOn: '2023-12-31', repliedOn: '2024-01-02', replyType: '予以公开' });
    const y23 = countDisclosure(base({ requests: [r] }));
    expect(y23.requests.new.natural).toBe(1);
    expect(y23.requests.carriedOut.natural).toBe(1);
    expect(y23.requests.handledTotal.total).toBe(0);
    expect(y23.records['requests.carriedOut.natural']).toEqual([r.id]);
    const y24 = countDisclosure(base({ year: 2024, requests: [r] }));
    expect(y24.requests.new.total).toBe(0);
    expect(y24.requests.carriedIn.natural).toBe(1);
    expect(y24.requests.granted.natural).toBe(1);
    expect(y24.requests.carriedOut.total).toBe(0);
    // The previous year's record is what 上年结转 traces to.
    expect(y24.records['requests.carriedIn.total']).toEqual([r.id]);
    expect(y24.warnings).toEqual([]);
  });

  it('leaves out requests replied before the year and received after it; an unreplied old request is carried in and out', () => {
    const before = req({ receivedOn: '2022-05-01', repliedOn: '2022-05-20', replyType: '予以公开' });
    const after = req({ receivedOn: '2024-01-03' });
    const open = req({ receivedOn: '2022-12-20', applicantType: '商业企业' });
    const t = countDisclosure(base({ requests: [before, after, open] }));
    expect(t.requests.new.total).toBe(0);
    expect(t.requests.carriedIn).toEqual({ natural: 0, business: 1, research: 0, charity: 0, legal: 0, other: 0, total: 1 });
    expect(t.requests.carriedOut.business).toBe(1);
    expect(t.checks.every((c) => c.ok)).toBe(true);
  });

  it('decides by repliedOn, not the flow state: a reply type without a reply date is carried out', () => {
    const t = countDisclosure(base({ requests: [req({ replyType: '予以公开' })] }));
    expect(t.requests.carriedOut.total).toBe(1);
    expect(t.requests.granted.total).toBe(0);
  });
});

describe('table 三: outcomes and sub-items', () => {
  it('counts each of the 19 sub-items in its own row and (七) as the sum', () => {
    const reqs = Object.entries(REPLY_REASONS).flatMap(([type, items]) => items.map((reason) => req({ repliedOn: '2023-03-10', replyType: type, replyReason: reason, applicantType: '法律服务机构' })));
    reqs.push(req({ repliedOn: '2023-03-10', replyType: '予以公开' }), req({ repliedOn: '2023-03-10', replyType: '部分公开', applicantType: '科研机构' }));
    const t = countDisclosure(base({ requests: reqs }));
    expect(ALL_REPLY_REASONS).toHaveLength(19);
    for (const reason of REPLY_REASONS.不予公开) expect(t.requests.refused[reason]!.legal).toBe(1);
    for (const reason of REPLY_REASONS.无法提供) expect(t.requests.unavailable[reason]!.legal).toBe(1);
    for (const reason of REPLY_REASONS.不予处理) expect(t.requests.notProcessed[reason]!.legal).toBe(1);
    for (const reason of REPLY_REASONS.其他处理) expect(t.requests.otherHandling[reason]!.total).toBe(1);
    expect(t.requests.handledTotal).toEqual({ natural: 1, business: 0, research: 1, charity: 0, legal: 19, other: 0, total: 21 });
    expect(t.requests.new.total).toBe(21);
    expect(t.checks.filter((c) => !c.ok)).toEqual([]);
    expect(t.checks.filter((c) => c.rule === '一+二=三(七)+四')).toHaveLength(7);
    expect(t.checks.filter((c) => c.rule === '(七)=(一)+…+(六)')).toHaveLength(7);
    expect(t.checks.filter((c) => c.rule === '总计=各列之和')).toHaveLength(25);
  });

  it('reads the old value 其他 as 其他处理, which then needs its sub-item', () => {
    expect(outcomeRow('其他', '其他')).toEqual({ row: 'otherHandling.其他' });
    expect(outcomeRow('其他', undefined)).toEqual({ error: '答复类型为“其他处理”（旧值“其他”按“其他处理”计）但未填写具体情形' });
  });

  it('leaves out of every cell, with a warning naming the record: no applicant type, no outcome, a sub-item of another type', () => {
    const noType = req({ applicantType: undefined, title: '无类型' });
    const noOutcome = req({ repliedOn: '2023-04-01', title: '无结果' });
    const wrongSub = req({ repliedOn: '2023-04-01', replyType: '不予公开', replyReason: '重复申请', title: '错情形' });
    const noSub = req({ repliedOn: '2023-04-01', replyType: '无法提供', title: '缺情形' });
    const ok = req({ repliedOn: '2023-04-01', replyType: '不予处理', replyReason: '重复申请' });
    const t = countDisclosure(base({ requests: [noType, noOutcome, wrongSub, noSub, ok] }));
    expect(t.requests.new.total).toBe(1);
    expect(t.requests.notProcessed.重复申请!.natural).toBe(1);
    expect(t.warnings.map((w) => [w.recordId, w.message])).toEqual([
      [noType.id, '未填写申请人类型，未计入表三'],
      [noOutcome.id, '已答复但未填写答复类型，未计入表三'],
      [wrongSub.id, '具体情形“重复申请”不属于“不予公开”，未计入表三'],
      [noSub.id, '答复类型为“无法提供”但未填写具体情形，未计入表三'],
    ]);
    expect(t.checks.every((c) => c.ok)).toBe(true);
  });

  it('a request replied next year without an outcome is still placed this year (carried out)', () => {
    const t = countDisclosure(base({ requests: [req({ receivedOn: '2023-12-30', repliedOn: '2024-01-05' })] }));
    expect(t.requests.carriedOut.total).toBe(1);
    expect(t.warnings).toEqual([]);
  });
});

describe('cross-checks', () => {
  it('fail on a table whose cells do not add up, naming rule and column or row', () => {
    const t = countDisclosure(base({ requests: [req({ repliedOn: '2023-02-01', replyType: '予以公开' })] })).requests;
    t.granted.natural = 2;
    const failed = checkRequestTable(t).filter((c) => !c.ok);
    expect(failed).toEqual([
      { rule: '(七)=(一)+…+(六)', column: 'natural', ok: false },
      { rule: '总计=各列之和', row: 'granted', ok: false },
    ]);
  });

  it('name every failing check in words, which is what refuses 定稿', () => {
    const t = countDisclosure(base({ requests: [req({ repliedOn: '2023-02-01', replyType: '予以公开' })] })).requests;
    t.carriedOut.legal = 1;
    expect(failedCheckMessages(checkRequestTable(t))).toEqual(['表三勾稽关系“一+二=三(七)+四”不成立（法律服务机构列）', '表三勾稽关系“总计=各列之和”不成立（“四、结转下年度继续办理”行）']);
    expect(failedCheckMessages(countDisclosure(base()).checks)).toEqual([]);
  });

  it('hold again on the cell-wise sum of several tables', () => {
    const a = countDisclosure(base({ requests: [req({ repliedOn: '2023-02-01', replyType: '予以公开' })] })).requests;
    const b = countDisclosure(base({ requests: [req({ applicantType: '其他' })] })).requests;
    const sum = sumRequestTables([a, b], countDisclosure(base()).requests);
    expect(sum.new.total).toBe(2);
    expect(sum.carriedOut.other).toBe(1);
    expect(checkRequestTable(sum).every((c) => c.ok)).toBe(true);
  });
});

describe('table 二: documents in force on 31 December', () => {
  const doc = (o: Partial<Parameters<typeof inForceOn>[0]>) => ({ id: nextId++, title: '文件', issuedOn: '2021-01-01', ...o });
  it('in force when issued by then, not repealed on or before, not expired (有效期至 counts its last day)', () => {
    expect(inForceOn(doc({}), '2023-12-31')).toBe(true);
    expect(inForceOn(doc({ issuedOn: '2024-01-01' }), '2023-12-31')).toBe(false);
    expect(inForceOn(doc({ repealedOn: '2023-12-31' }), '2023-12-31')).toBe(false);
    expect(inForceOn(doc({ repealedOn: '2024-01-01' }), '2023-12-31')).toBe(true);
    expect(inForceOn(doc({ expiresOn: '2023-12-31' }), '2023-12-31')).toBe(true);
    expect(inForceOn(doc({ expiresOn: '2023-12-30' }), '2023-12-31')).toBe(false);
  });
  it('counts issued, repealed and in force; 已废止 without a date stays in force with a warning', () => {
    const issued = doc({ issuedOn: '2023-05-01' });
    const repealed = doc({ repealedOn: '2023-06-01', state: '已废止' });
    const noDate = doc({ state: '已废止' });
    const expired = doc({ expiresOn: '2022-12-31', state: '已失效' });
    const amended = doc({ state: '已修改' });
    const t = countDisclosure(base({ normativeDocuments: [issued, repealed, noDate, expired, amended] }));
    expect(t.proactive.normativeDocuments).toEqual({ issued: 1, repealed: 1, inForce: 3 });
    expect(t.records['proactive.normativeDocuments.inForce']).toEqual([issued.id, noDate.id, amended.id]);
    expect(t.warnings.map((w) => [w.recordId, w.kind])).toEqual([[noDate.id, 'normative_document']]);
    expect(t.proactive.regulations).toEqual({ issued: 0, repealed: 0, inForce: 0 });
  });
  it('counts enforcement decisions of the year by type and sums the fee indicator exactly', () => {
    const t = countDisclosure(
      base({
        enforcement: [
          { id: 1, actionType: '行政处罚', decidedOn: '2023-01-01' },
          { id: 2, actionType: '行政处罚', decidedOn: '2022-12-31' },
          { id: 3, actionType: '行政强制', decidedOn: '2023-12-31' },
          { id: 4, actionType: '行政许可', decidedOn: '2023-07-01' },
          { id: 5, actionType: '行政检查', decidedOn: '2023-07-01' },
        ],
        indicators: [
          { id: 6, code: 'admin_fees_wan', period: '2023-01', value: 0.1 },
          { id: 7, code: 'admin_fees_wan', period: '2023-02', value: 0.2005 },
          { id: 8, code: 'admin_fees_wan', period: '2022-12', value: 5 },
        ],
      }),
    );
    expect([t.proactive.penalties, t.proactive.coercion, t.proactive.licensing]).toEqual([1, 1, 1]);
    expect(t.proactive.feesWan).toBe(0.3005);
    expect(sumIndicator([{ id: 9, code: 'disclosure_fees_yuan', period: '2023-03', value: 12.5 }], 'disclosure_fees_yuan', 2023)).toEqual({ value: 12.5, ids: [9] });
  });
});

describe('table 四: the outcome mapping', () => {
  it('maps outcomes as of 31 December', () => {
    expect(reviewOutcome({ closedOn: '2023-05-01', outcome: '维持' }, 2023)).toBe('upheld');
    expect(reviewOutcome({ closedOn: '2023-05-01', outcome: '驳回' }, 2023)).toBe('upheld');
    for (const o of ['撤销', '确认违法', '变更', '责令履行']) expect(reviewOutcome({ closedOn: '2023-05-01', outcome: o }, 2023)).toBe('corrected');
    expect(reviewOutcome({ closedOn: '2023-05-01', outcome: '调解撤诉' }, 2023)).toBe('other');
    expect(reviewOutcome({ closedOn: '2024-01-02', outcome: '撤销' }, 2023)).toBe('pending');
    expect(reviewOutcome({ closedOn: null, outcome: '维持' }, 2023)).toBe('pending');
    expect(reviewOutcome({ closedOn: '2023-05-01', outcome: '审理中' }, 2023)).toBe('pending');
  });
  it('counts disclosure-related cases received in the year; 二审 not counted; after reconsideration by the flag', () => {
    const c = (o: object) => ({ id: nextId++, title: '案', caseType: '行政诉讼一审', receivedOn: '2023-03-01', disclosureRelated: true, ...o });
    const t = countDisclosure(
      base({
        litigation: [
          c({ caseType: '行政复议', closedOn: '2023-04-01', outcome: '维持' }),
          c({ closedOn: '2023-06-01', outcome: '撤销' }),
          c({ afterReconsideration: true }),
          c({ caseType: '行政诉讼二审', closedOn: '2023-08-01', outcome: '维持' }),
          c({ disclosureRelated: false }),
          c({ receivedOn: '2022-12-31' }),
        ],
      }),
    );
    expect(t.review.reconsideration).toEqual({ upheld: 1, corrected: 0, other: 0, pending: 0, total: 1 });
    expect(t.review.litigationDirect).toEqual({ upheld: 0, corrected: 1, other: 0, pending: 0, total: 1 });
    expect(t.review.litigationAfterReconsideration).toEqual({ upheld: 0, corrected: 0, other: 0, pending: 1, total: 1 });
  });
});
