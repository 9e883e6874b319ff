/**
 * The 庙行镇 2022–2023 acceptance fixture: a deterministic, realistic dataset whose 2023 figures are
 * those of the real 庙行镇2023年法治政府建设情况报告 (`MIAOHANG_2023_FIGURES`), with 2022 figures that
 * differ plausibly (2022 had the spring lockdown in Shanghai: few on-site activities in April–May).
 * Edge cases a correct metric engine must get right are built in on purpose:
 * - a major enforcement decision reviewed on 2022-12-27 and decided in 2023 counts for 2022's
 *   `major_reviewed` (by legalReviewOn), not 2023's;
 * - a procuratorial recommendation received in December 2022 and replied in January 2023 counts for
 *   2023's `replied`, and one received in December 2023 is still open;
 * - a non-major enforcement case corrected on reconsideration does not count in `major_corrected`;
 * - next year's (2024) tasks exist, for part 4 of the report.
 */
import { addDays, randomWorkday, ymd } from './dates';
import { toJsonl, type ExchangeLine } from './exchange';
import { createContext, placeMatter, type GenContext, type MatterGen, type Outcome } from './gen/context';
import { legalityReviewGen, normativeDocumentGen, withOpinion } from './gen/legality';
import { challenge, enforcementCaseGen, litigationGen } from './gen/enforcement';
import { deputySuggestionGen, disclosureRequestGen, procuratorialRecommendationGen } from './gen/supervision';
import { disputeGen, petitionGen } from './gen/grassroots';
import { enterpriseServices, indicatorRows, legalConsultations, monthlySplit, publicityActivities, trainings } from './gen/activities';
import { TASK_TEMPLATES, taskDueOn, workEvent, yearTasks } from './gen/plans';
import { sortLines } from './sort-lines';
import { DEPT, MIAOHANG } from './town';

export const MIAOHANG_DEPTS: readonly string[] = MIAOHANG.depts;
export const MIAOHANG_ORG = { district: { code: 'baoshan', name: '宝山区' }, town: { code: 'miaohang', name: '庙行镇' } } as const;
export const MIAOHANG_SEED = 20231231;
/** The fixture is as the ledgers stood when the 2023 report was written. */
export const MIAOHANG_AS_OF = '2024-01-15';

/** The reference report's 2023 figures, as metric keys of the spec (rates and changes as fractions). */
export const MIAOHANG_2023_FIGURES = {
  'indicator.fraud_110_calls_yoy': -0.123,
  'indicator.fraud_criminal_cases_yoy': -0.11,
  'work_event.honours': 1,
  'enforcement_case.major_reviewed': 19,
  'enforcement_case.major_corrected': 0,
  'training.enforcement_sessions': 35,
  'training.enforcement_attendees': 751,
  'deputy_suggestion.handled': 6,
  'deputy_suggestion.satisfaction_rate': 1,
  'procuratorial_recommendation.replied': 6,
  'publicity_activity.count': 658,
  'publicity_activity.materials': 11150,
  'legal_consultation.persons': 3405,
  beneficiaries: 7580,
} as const;

/** Yearly volumes; the 2023 ones that appear in the report are exact, the rest are plausible. */
interface YearPlan {
  year: number;
  fraudCalls: number;
  fraudCases: number;
  majorCases: number;
  otherCases: number;
  enforcementTrainings: number;
  enforcementAttendees: number;
  deputySuggestions: number;
  publicity: number;
  materials: number;
  participants: number;
  consultationPersons: number;
  reviews: { 政府合同: number; 重大行政决策: number; 行政规范性文件: number; 其他事项: number };
  disclosures: number;
  litigations: number;
  disputes: number;
  petitions: number;
  enterpriseServices: number;
  lockdown?: readonly [string, string];
}

const PLANS: readonly YearPlan[] = [
  {
    year: 2022, fraudCalls: 716, fraudCases: 173, majorCases: 15, otherCases: 128, enforcementTrainings: 28, enforcementAttendees: 602,
    deputySuggestions: 8, publicity: 540, materials: 9320, participants: 3610, consultationPersons: 2890,
    reviews: { 政府合同: 215, 重大行政决策: 4, 行政规范性文件: 2, 其他事项: 15 },
    disclosures: 17, litigations: 7, disputes: 228, petitions: 276, enterpriseServices: 36, lockdown: ['2022-03-28', '2022-05-31'],
  },
  {
    year: 2023, fraudCalls: 628, fraudCases: 154, majorCases: 19, otherCases: 152, enforcementTrainings: 35, enforcementAttendees: 751,
    deputySuggestions: 6, publicity: 658, materials: 11150, participants: 4175, consultationPersons: 3405,
    reviews: { 政府合同: 246, 重大行政决策: 6, 行政规范性文件: 3, 其他事项: 18 },
    disclosures: 21, litigations: 9, disputes: 262, petitions: 311, enterpriseServices: 48,
  },
];

function usualOutcome(ctx: GenContext): Outcome {
  return ctx.rng.weighted([['onTime', 94], ['late', 6]] as const);
}

/** `n` matters of `gen` starting on working days of the year (before `ctx.asOf`). */
function matters(ctx: GenContext, gen: MatterGen, n: number, from: string, to: string, preset?: Parameters<typeof placeMatter>[4]): ExchangeLine[] {
  return Array.from({ length: n }, () => placeMatter(gen, ctx, randomWorkday(ctx.rng, from, to), usualOutcome(ctx), preset));
}

function yearLines(ctx: GenContext, plan: YearPlan): ExchangeLine[] {
  const { rng } = ctx;
  const y = plan.year;
  const jan1 = ymd(y, 1, 1);
  const dec31 = ymd(y, 12, 31);
  const lines: ExchangeLine[] = [];
  const lockdown = plan.lockdown;
  const inLockdown = (d: string): boolean => lockdown !== undefined && d >= lockdown[0] && d <= lockdown[1];

  // Indicators (外部数据): monthly figures from the police station.
  lines.push(...indicatorRows(ctx, 'fraud_110_calls', y, monthlySplit(ctx, plan.fraudCalls)));
  lines.push(...indicatorRows(ctx, 'fraud_criminal_cases', y, monthlySplit(ctx, plan.fraudCases)));

  // Legality reviews by type; the newest of the year still open when the fixture was taken.
  for (const [reviewType, n] of Object.entries(plan.reviews)) {
    lines.push(...matters(ctx, legalityReviewGen, n, jan1, addDays(dec31, -10), { reviewType }));
  }
  lines.push(legalityReviewGen.create(ctx, ymd(y, 12, 29), { reviewType: '政府合同' }));
  lines[lines.length - 1] = withOpinion(ctx, lines[lines.length - 1] as ExchangeLine);
  // Normative documents follow their own reviews by a month or two.
  const normativeCount = plan.reviews.行政规范性文件;
  for (let i = 0; i < normativeCount; i++) {
    const issued = randomWorkday(rng, ymd(y, 2 + Math.floor((10 * i) / normativeCount), 1), ymd(y, 2 + Math.floor((10 * (i + 1)) / normativeCount), 1));
    lines.push(placeMatter(normativeDocumentGen, ctx, issued, y === 2022 && i === 0 ? 'late' : 'onTime'));
  }

  // Enforcement: major decisions reviewed in the year, and many ordinary ones.
  for (let i = 0; i < plan.majorCases; i++) {
    const decided = randomWorkday(rng, ymd(y, 1, 25), ymd(y, 12, 22));
    const c = placeMatter(enforcementCaseGen, ctx, decided, 'onTime', { isMajor: true });
    if (i === 2) challenge(c, 'reconsideration', '维持');
    if (i === 7) challenge(c, 'litigation', '驳回');
    lines.push(c);
  }
  for (const c of matters(ctx, enforcementCaseGen, plan.otherCases, jan1, addDays(dec31, -3))) {
    if (c.actionType === '行政处罚' && rng.chance(0.03)) challenge(c, rng.chance(0.5) ? 'reconsideration' : 'litigation', rng.pick(['维持', '驳回'] as const));
    lines.push(c);
  }
  const ordinaryPenalty = lines.find((l) => l.kind === 'enforcement_case' && l.isMajor === false && l.actionType === '行政处罚' && l.reconsideration === '无');
  if (y === 2023 && ordinaryPenalty) challenge(ordinaryPenalty, 'reconsideration', '纠错');

  // Trainings.
  lines.push(...trainings(ctx, { type: '执法人员培训', count: plan.enforcementTrainings, attendees: plan.enforcementAttendees, from: jan1, to: dec31 }));
  lines.push(...trainings(ctx, { type: '领导干部学法', count: y === 2022 ? 10 : 12, from: jan1, to: dec31 }));
  lines.push(...trainings(ctx, { type: '工作人员培训', count: y === 2022 ? 6 : 8, from: jan1, to: dec31 }));
  lines.push(...trainings(ctx, { type: '警示教育', count: y === 2022 ? 3 : 4, from: jan1, to: dec31 }));
  lines.push(...trainings(ctx, { type: '以案释法', count: y === 2022 ? 2 : 3, from: jan1, to: dec31 }));
  lines.push(...trainings(ctx, { type: '其他', count: 2, from: jan1, to: dec31 }));

  // Deputies' suggestions: handed over after the spring sessions, replied within three months.
  for (let i = 0; i < plan.deputySuggestions; i++) {
    const received = randomWorkday(rng, ymd(y, 2, 20), ymd(y, 4, 20));
    const s = placeMatter(deputySuggestionGen, ctx, received, 'onTime');
    s.status = '已反馈';
    s.feedback = y === 2023 ? '满意' : i === 3 ? '基本满意' : '满意';
    lines.push(s);
  }

  // Procuratorial recommendations.
  const recs = y === 2023 ? 5 : 4;
  for (let i = 0; i < recs; i++) {
    const received = randomWorkday(rng, ymd(y, 1 + Math.floor((9 * i) / recs), 5), ymd(y, 1 + Math.floor((9 * (i + 1)) / recs), 25));
    lines.push(placeMatter(procuratorialRecommendationGen, ctx, received, 'onTime'));
  }

  // Disclosure requests and the town's defence in reconsideration and suits.
  lines.push(...matters(ctx, disclosureRequestGen, plan.disclosures, jan1, addDays(dec31, -8)));
  lines.push(placeMatter(disclosureRequestGen, ctx, ymd(y, 12, 26), 'open'));
  lines.push(...matters(ctx, litigationGen, plan.litigations, jan1, addDays(dec31, -20)));

  // Publicity and consultations (the report's 658场次 / 11150份 / 3405人次 / 7580人 in 2023).
  const monthWeights = y === 2022 ? [0.7, 0.7, 0.6, 0.1, 0.2, 1.2, 1.1, 1, 1.2, 1.2, 1.1, 1.5] : undefined;
  lines.push(...publicityActivities(ctx, { count: plan.publicity, materials: plan.materials, participants: plan.participants, from: jan1, to: dec31, monthWeights }));
  lines.push(...legalConsultations(ctx, { persons: plan.consultationPersons, from: jan1, to: dec31, noOnSite: plan.lockdown }));

  // Disputes and petitions (registered all year; a few at the year's end still open).
  for (const gen of [disputeGen, petitionGen]) {
    const n = gen === disputeGen ? plan.disputes : plan.petitions;
    const starts = Array.from({ length: n }, () => randomWorkday(rng, jan1, dec31)).filter((d) => !inLockdown(d) || rng.chance(0.4));
    for (const d of starts) lines.push(placeMatter(gen, ctx, d, d > ymd(y, 12, 20) && rng.chance(0.3) ? 'open' : usualOutcome(ctx)));
  }

  lines.push(...enterpriseServices(ctx, plan.enterpriseServices, jan1, dec31));
  lines.push(...yearTasks(ctx, y));
  lines.push(...workEvents(y));
  return lines;
}

function workEvents(year: number): ExchangeLine[] {
  if (year === 2022) {
    return [
      workEvent({ title: '疫情防控期间保障居民基本生活法律服务', on: '2022-04-18', category: '应急处置', level: '镇级', dept: DEPT.justice, description: '开通线上法律咨询专线，为封控小区居民解答租赁、劳动用工等法律问题。' }),
      workEvent({ title: '共康路沿线违法建筑专项整治', on: '2022-08-16', category: '专项治理', level: '镇级', dept: DEPT.enforcement, description: '拆除沿线违法建筑，恢复绿化，建立长效巡查机制。' }),
      workEvent({ title: '场北村获评“上海市民主法治示范村”', on: '2022-11-25', category: '荣誉表彰', level: '市级', dept: DEPT.community, description: '场北村以村规民约修订和法律顾问进村为抓手，获评上海市民主法治示范村。' }),
      workEvent({ title: '印发《庙行镇政府合同管理办法》', on: '2022-06-30', category: '制度建设', level: '镇级', dept: DEPT.justice, description: '规范合同起草、审核、签订、履行和归档全过程，合同合法性审核实现全覆盖。' }),
      workEvent({ title: '应对台风“梅花”防汛防台', on: '2022-09-14', category: '应急处置', level: '镇级', dept: DEPT.safety, description: '启动防汛防台预案，转移安置危房居民，排查处置积水点。' }),
    ];
  }
  return [
    workEvent({ title: '应对低温雨雪冰冻天气', on: '2023-01-24', category: '应急处置', level: '镇级', dept: DEPT.safety, description: '启动应急预案，撒布融雪剂，排查老旧小区水管冻裂隐患，保障居民出行和用水。' }),
    workEvent({ title: '建立“片长、路长、专员”联勤联动机制', on: '2023-03-21', category: '联勤联动', level: '镇级', dept: DEPT.safety, description: '按片区明确片长、路长和专员职责，联合巡查、联合处置城市管理和平安问题。' }),
    workEvent({ title: '轨交1号线站点周边环境专项治理', on: '2023-05-16', category: '专项治理', level: '镇级', dept: DEPT.enforcement, description: '整治共康路、通河新村站点周边非机动车乱停放、占道经营和黑车揽客。' }),
    workEvent({ title: '架空线入地和合杆整治', on: '2023-06-27', category: '专项治理', level: '区级', dept: DEPT.construction, description: '完成长江西路、场北路架空线入地和杆箱整治。' }),
    workEvent({ title: '处置汛期暴雨积水和市政管网满管', on: '2023-07-30', category: '应急处置', level: '镇级', dept: DEPT.construction, description: '调度排水泵车和应急抢险队伍，对积水点抽排，协调排水公司疏通满管管网。' }),
    workEvent({ title: '建立电信网络诈骗宣传劝阻联动机制', on: '2023-04-11', category: '制度建设', level: '镇级', dept: DEPT.safety, description: '派出所、平安办、居村委联动，对预警对象当日上门劝阻。' }),
    workEvent({ title: '上海市平安示范社区', on: '2023-12-08', category: '荣誉表彰', level: '市级', dept: DEPT.safety, description: '经市平安建设领导小组评定，庙行镇获评“上海市平安示范社区”。' }),
    workEvent({ title: '召开2023年度法治政府建设推进会', on: '2023-09-12', category: '其他', level: '镇级', dept: DEPT.justice, description: '通报重点任务推进情况，部署第四季度法治政府建设工作。' }),
  ];
}

/** The matters that cross the year boundary on purpose (see the module comment). */
function boundaryLines(ctx: GenContext): ExchangeLine[] {
  const crossMajor = placeMatter(enforcementCaseGen, ctx, '2023-01-06', 'onTime', { isMajor: true, legalReviewOn: '2022-12-27' });
  const lateRec = placeMatter(procuratorialRecommendationGen, ctx, '2022-12-12', 'open');
  procuratorialRecommendationGen.finish(ctx, lateRec, '2023-01-30');
  const openRec = procuratorialRecommendationGen.create(ctx, '2023-12-18', { urgent: false });
  const nextYear = [
    TASK_TEMPLATES.find(([, t]) => t.includes('应知应会')),
    TASK_TEMPLATES.find(([, t]) => t.includes('执法人员专题培训')),
    TASK_TEMPLATES.find(([, t]) => t.includes('宪法宣传周')),
    TASK_TEMPLATES.find(([, t]) => t.includes('法治体检')),
    TASK_TEMPLATES.find(([, t]) => t.includes('工作要点')),
  ].flatMap((t) => (t ? [t] : []));
  const tasks2024 = nextYear.map((t, i) => taskDueOn(ctx, t, ['2024-03-29', '2024-12-25', '2024-12-25', '2024-11-28', '2024-03-29'][i] ?? '2024-12-25', i === 4 ? '推进中' : '未开始'));
  return [crossMajor, lateRec, openRec, ...tasks2024];
}

/** The whole fixture, in catalog order of kinds, then by date. */
export function generateMiaohang(): ExchangeLine[] {
  const ctx = createContext(MIAOHANG_SEED, MIAOHANG, MIAOHANG_AS_OF);
  const lines = PLANS.flatMap((plan) => yearLines(ctx, plan));
  lines.push(...boundaryLines(ctx));
  return sortLines(lines);
}

export function miaohangJsonl(): string {
  return toJsonl(generateMiaohang());
}
