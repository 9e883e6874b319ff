import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUILTIN_LEDGERS } from '../core/ledgers/kinds';
import { MIAOHANG_FIXTURE } from '../../test/fixtures/build-miaohang';
import { parseJsonl } from './exchange';
import { generateMiaohang, MIAOHANG_2023_FIGURES, MIAOHANG_AS_OF, MIAOHANG_DEPTS, miaohangJsonl } from './miaohang';
import { indicatorYoy, inYear, ofKind, round3, sum } from './test-helpers';
import { validateLines } from './validate';

const committed = readFileSync(MIAOHANG_FIXTURE, 'utf8');
const lines = parseJsonl(committed);

describe('庙行镇 2022–2023 fixture', () => {
  it('is exactly the generator output (re-run test/fixtures/build-miaohang.ts after changes)', () => {
    expect(committed).toBe(miaohangJsonl());
    // Deterministic: a second run gives the same lines.
    expect(JSON.stringify(generateMiaohang())).toBe(JSON.stringify(parseJsonl(miaohangJsonl())));
  });

  it('is valid against the 16 built-in ledger definitions', () => {
    expect(validateLines(lines, BUILTIN_LEDGERS, MIAOHANG_DEPTS)).toEqual([]);
  });

  it('has every built-in kind in both years and uses several departments', () => {
    for (const def of BUILTIN_LEDGERS) {
      for (const year of [2022, 2023]) {
        const n = ofKind(lines, def.kind).filter((l) => inYear(l[def.occurredOn], year)).length;
        expect(n, `${def.kind} ${year}`).toBeGreaterThan(0);
      }
    }
    expect(new Set(lines.map((l) => l.dept)).size).toBe(MIAOHANG_DEPTS.length);
  });

  it('is realistic: no duplicated rows, varied titles, dates through the year, nothing after the as-of date', () => {
    expect(new Set(lines.map((l) => JSON.stringify(l))).size).toBe(lines.length);
    const pub = ofKind(lines, 'publicity_activity').filter((l) => inYear(l.heldOn, 2023));
    expect(new Set(pub.map((l) => l.title)).size).toBeGreaterThan(200);
    expect(new Set(pub.map((l) => l.activityType)).size).toBeGreaterThanOrEqual(8);
    expect(new Set(pub.map((l) => String(l.heldOn).slice(5, 7))).size).toBe(12);
    expect(new Set(pub.map((l) => l.participants)).size).toBeGreaterThan(15);
    const cases = ofKind(lines, 'enforcement_case').filter((l) => inYear(l.decidedOn, 2023));
    expect(new Set(cases.map((l) => l.cause)).size).toBeGreaterThan(40);
    expect(new Set(cases.map((l) => l.caseNumber)).size).toBe(cases.length);
    // Only future deadlines and validity dates may pass the as-of date.
    const future = new Set(['dueOn', 'expiresOn', 'effectiveOn']);
    for (const l of lines) {
      for (const [k, v] of Object.entries(l)) {
        if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && !future.has(k)) expect(v <= MIAOHANG_AS_OF, `${l.kind}.${k}=${v}`).toBe(true);
      }
    }
  });

  it('has open matters in realistic flow states and dates in order', () => {
    const statuses = (kind: string): Set<string> => new Set(ofKind(lines, kind).map((l) => String(l.status)));
    expect(statuses('legality_review')).toEqual(new Set(['办结', '出具意见']));
    expect([...statuses('petition')].sort()).toEqual(expect.arrayContaining(['办结']));
    expect(ofKind(lines, 'petition').some((l) => l.status !== '办结')).toBe(true);
    expect(ofKind(lines, 'disclosure_request').some((l) => l.status !== '已答复')).toBe(true);
    for (const def of BUILTIN_LEDGERS) {
      for (const rule of def.deadlines ?? []) {
        for (const l of ofKind(lines, def.kind)) {
          const start = l[rule.startField];
          const done = l[rule.doneField];
          if (typeof start === 'string' && typeof done === 'string' && def.kind !== 'task') expect(done >= start, `${def.kind} ${rule.doneField}`).toBe(true);
        }
      }
    }
  });

  it('reproduces every figure of the 2023 report', () => {
    const y = 2023;
    const fig: Record<string, number> = {};
    fig['indicator.fraud_110_calls_yoy'] = round3(indicatorYoy(lines, 'fraud_110_calls', y));
    fig['indicator.fraud_criminal_cases_yoy'] = round3(indicatorYoy(lines, 'fraud_criminal_cases', y));
    const events = ofKind(lines, 'work_event').filter((l) => inYear(l.happenedOn, y));
    const honours = events.filter((l) => l.category === '荣誉表彰');
    fig['work_event.honours'] = honours.length;
    const major = ofKind(lines, 'enforcement_case').filter((l) => l.isMajor === true && inYear(l.legalReviewOn, y));
    fig['enforcement_case.major_reviewed'] = major.length;
    fig['enforcement_case.major_corrected'] = major.filter((l) => l.reconsideration === '纠错' || l.litigation === '纠错').length;
    const enfTraining = ofKind(lines, 'training').filter((l) => inYear(l.heldOn, y) && l.trainingType === '执法人员培训');
    fig['training.enforcement_sessions'] = enfTraining.length;
    fig['training.enforcement_attendees'] = sum(enfTraining, 'attendees');
    const deputies = ofKind(lines, 'deputy_suggestion').filter((l) => inYear(l.receivedOn, y));
    fig['deputy_suggestion.handled'] = deputies.length;
    const answered = deputies.filter((l) => ['满意', '基本满意', '不满意'].includes(String(l.feedback)));
    fig['deputy_suggestion.satisfaction_rate'] = answered.filter((l) => l.feedback === '满意').length / answered.length;
    fig['procuratorial_recommendation.replied'] = ofKind(lines, 'procuratorial_recommendation').filter((l) => inYear(l.repliedOn, y)).length;
    const pub = ofKind(lines, 'publicity_activity').filter((l) => inYear(l.heldOn, y));
    fig['publicity_activity.count'] = pub.length;
    fig['publicity_activity.materials'] = sum(pub, 'materials');
    const consult = ofKind(lines, 'legal_consultation').filter((l) => inYear(l.consultedOn, y));
    fig['legal_consultation.persons'] = sum(consult, 'persons');
    fig.beneficiaries = sum(pub, 'participants') + sum(consult, 'persons');

    expect(fig).toEqual({ ...MIAOHANG_2023_FIGURES });
    // The spec's literal figures, so the exported constant cannot drift either.
    expect(MIAOHANG_2023_FIGURES).toMatchObject({
      'enforcement_case.major_reviewed': 19, 'training.enforcement_sessions': 35, 'training.enforcement_attendees': 751,
      'publicity_activity.count': 658, 'publicity_activity.materials': 11150, 'legal_consultation.persons': 3405, beneficiaries: 7580,
    });
    expect(sum(pub, 'participants')).toBe(4175);
    expect(honours[0]?.title).toContain('上海市平安示范社区');
    expect(new Set(events.map((l) => l.category)).size).toBeGreaterThanOrEqual(4);
    expect(deputies.every((l) => l.feedback === '满意')).toBe(true);
    expect(new Set(consult.map((l) => l.channel))).toEqual(new Set(['现场', '热线', '网络']));
    // Plenty of ordinary enforcement decisions beside the major ones.
    expect(ofKind(lines, 'enforcement_case').filter((l) => inYear(l.decidedOn, y) && l.isMajor !== true).length).toBeGreaterThan(100);
  });

  it('has the other 2023 ledgers a report describes', () => {
    const y = 2023;
    const reviews = ofKind(lines, 'legality_review').filter((l) => inYear(l.receivedOn, y));
    const byType = (t: string): number => reviews.filter((l) => l.reviewType === t).length;
    expect(byType('政府合同')).toBe(247);
    expect(byType('重大行政决策')).toBeGreaterThan(0);
    expect(byType('行政规范性文件')).toBeGreaterThan(0);
    expect(reviews.filter((l) => l.adviserInvolved === true).length / reviews.length).toBeGreaterThan(0.8);
    expect(ofKind(lines, 'training').some((l) => inYear(l.heldOn, y) && l.trainingType === '领导干部学法')).toBe(true);
    for (const kind of ['normative_document', 'disclosure_request', 'litigation', 'dispute', 'petition', 'enterprise_service', 'task']) {
      const def = BUILTIN_LEDGERS.find((d) => d.kind === kind);
      expect(ofKind(lines, kind).filter((l) => inYear(l[def?.occurredOn ?? ''], y)).length, kind).toBeGreaterThan(0);
    }
    const hearings = ofKind(lines, 'litigation').filter((l) => l.hearingOn !== undefined);
    expect(hearings.some((l) => l.leaderAppeared === true)).toBe(true);
    // Next year's tasks exist for part 4 of the report.
    expect(ofKind(lines, 'task').filter((l) => inYear(l.dueOn, 2024)).length).toBeGreaterThanOrEqual(4);
  });

  it('has different, plausible 2022 figures and the year-boundary cases', () => {
    const major2022 = ofKind(lines, 'enforcement_case').filter((l) => l.isMajor === true && inYear(l.legalReviewOn, 2022));
    expect(major2022.length).toBe(16);
    expect(major2022.some((l) => inYear(l.decidedOn, 2023))).toBe(true);
    const pub2022 = ofKind(lines, 'publicity_activity').filter((l) => inYear(l.heldOn, 2022));
    expect(pub2022.length).toBe(540);
    // The spring 2022 lockdown: few activities in April.
    expect(pub2022.filter((l) => String(l.heldOn).startsWith('2022-04')).length).toBeLessThan(15);
    const d2022 = ofKind(lines, 'deputy_suggestion').filter((l) => inYear(l.receivedOn, 2022));
    expect(d2022.filter((l) => l.feedback === '满意').length).toBeLessThan(d2022.length);
    const replied2023 = ofKind(lines, 'procuratorial_recommendation').filter((l) => inYear(l.repliedOn, 2023));
    expect(replied2023.some((l) => inYear(l.receivedOn, 2022))).toBe(true);
    expect(ofKind(lines, 'procuratorial_recommendation').some((l) => l.repliedOn === undefined)).toBe(true);
    const nonMajorCorrected = ofKind(lines, 'enforcement_case').filter((l) => inYear(l.decidedOn, 2023) && l.isMajor !== true && l.reconsideration === '纠错');
    expect(nonMajorCorrected.length).toBe(1);
  });
});
