/**
 * Quick-start demo data: a 庙行镇-like town (and a smaller 大场镇, so the district comparison has
 * two towns) with the previous year complete and the current year up to `today`, in the `.jsonl`
 * exchange format. Besides ordinary closed matters, every kind with a time limit gets matters in each
 * deadline state relative to `today` — 正常, 临期 (due in 1–2 working days), 逾期, 按期办结, 逾期办结 —
 * so the dashboard, the to-do list and the reminders have something to show on the first login.
 */
import { addDays, addWorkdays, daysBetween, minDate, randomWorkday, ymd } from './dates';
import type { ExchangeLine } from './exchange';
import { createContext, matterInState, placeMatter, type DeadlineTarget, type GenContext, type MatterGen } from './gen/context';
import { enterpriseServices, indicatorRows, legalConsultations, monthlySplit, publicityActivities, trainings } from './gen/activities';
import { enforcementCaseGen, litigationGen } from './gen/enforcement';
import { disputeGen, petitionGen } from './gen/grassroots';
import { legalityReviewGen, normativeDocumentGen, withOpinion } from './gen/legality';
import { routineWorkEvents, TASK_TEMPLATES, taskDueOn, workEvent, yearTasks } from './gen/plans';
import { deputySuggestionGen, disclosureRequestGen, procuratorialRecommendationGen } from './gen/supervision';
import { sortLines } from './sort-lines';
import { disclosureYearLines } from './gen/disclosure';
import { createRng } from './prng';
import { DACHANG, DEPT, MIAOHANG, type TownProfile } from './town';

export const DEMO_ORG = {
  district: { code: 'baoshan', name: '宝山区' },
  town: { code: MIAOHANG.code, name: MIAOHANG.name },
  depts: [...MIAOHANG.depts] as string[],
};

/** The second, smaller town of the district. */
export const DEMO_SECOND_TOWN = {
  town: { code: DACHANG.code, name: DACHANG.name },
  depts: [...DACHANG.depts] as string[],
};

export type DemoTownCode = 'miaohang' | 'dachang';

export const DEMO_TOWNS: readonly { code: DemoTownCode; name: string; depts: string[] }[] = [
  { code: 'miaohang', name: MIAOHANG.name, depts: DEMO_ORG.depts },
  { code: 'dachang', name: DACHANG.name, depts: DEMO_SECOND_TOWN.depts },
];

export interface DemoOptions {
  /** The current year; the year before it is generated in full too (for year-on-year figures). */
  year: number;
  /** YYYY-MM-DD: no record is dated later (except future task deadlines); open matters are placed around it. */
  today: string;
  seed?: number;
  town?: DemoTownCode;
}

const PROFILES: Record<DemoTownCode, { profile: TownProfile; scale: number; perState: number }> = {
  miaohang: { profile: MIAOHANG, scale: 0.55, perState: 2 },
  dachang: { profile: DACHANG, scale: 0.25, perState: 1 },
};

const MATTER_GENS: readonly MatterGen[] = [
  legalityReviewGen, normativeDocumentGen, enforcementCaseGen, deputySuggestionGen, procuratorialRecommendationGen,
  disclosureRequestGen, litigationGen, disputeGen, petitionGen,
];
const TARGETS: readonly DeadlineTarget[] = ['正常', '临期', '逾期', '按期办结', '逾期办结'];

/** Yearly volumes of a full year at scale 1 (about 庙行镇's). */
const FULL_YEAR = {
  reviews: 270, normative: 3, cases: 170, disclosures: 20, litigations: 8, disputes: 250, petitions: 300,
  deputies: 7, recommendations: 5, publicity: 650, enterprise: 45, enforcementTrainings: 34,
} as const;

function count(n: number, scale: number, fraction: number): number {
  return Math.max(1, Math.round(n * scale * fraction));
}

/** Ordinary matters of one year's period: closed on time (mostly) or late; recent ones may be open. */
function periodMatters(ctx: GenContext, gen: MatterGen, n: number, from: string, to: string): ExchangeLine[] {
  const { rng } = ctx;
  return Array.from({ length: n }, () => {
    const start = randomWorkday(rng, from, to);
    const recent = daysBetween(start, ctx.asOf) < 45;
    const outcome = rng.weighted([['onTime', 90], ['late', 6], ['open', recent ? 25 : 0]] as const);
    return placeMatter(gen, ctx, start, outcome);
  });
}

function periodLines(ctx: GenContext, year: number, to: string, scale: number): ExchangeLine[] {
  const from = ymd(year, 1, 1);
  if (to < from) return [];
  const f = (daysBetween(from, to) + 1) / 365;
  const lines: ExchangeLine[] = [];
  const { rng } = ctx;
  const n = (x: number): number => count(x, scale, f);

  lines.push(...periodMatters(ctx, legalityReviewGen, n(FULL_YEAR.reviews), from, to));
  lines.push(...periodMatters(ctx, normativeDocumentGen, n(FULL_YEAR.normative), from, to));
  lines.push(...periodMatters(ctx, enforcementCaseGen, n(FULL_YEAR.cases), from, to));
  for (let i = 0; i < Math.max(1, Math.round(12 * scale * f)); i++) {
    lines.push(placeMatter(enforcementCaseGen, ctx, randomWorkday(rng, minDate(addDays(from, 20), to), to), 'onTime', { isMajor: true }));
  }
  lines.push(...periodMatters(ctx, deputySuggestionGen, n(FULL_YEAR.deputies), from, minDate(to, ymd(year, 9, 30))));
  lines.push(...periodMatters(ctx, procuratorialRecommendationGen, n(FULL_YEAR.recommendations), from, to));
  lines.push(...periodMatters(ctx, disclosureRequestGen, n(FULL_YEAR.disclosures), from, to));
  lines.push(...periodMatters(ctx, litigationGen, n(FULL_YEAR.litigations), from, to));
  lines.push(...periodMatters(ctx, disputeGen, n(FULL_YEAR.disputes), from, to));
  lines.push(...periodMatters(ctx, petitionGen, n(FULL_YEAR.petitions), from, to));

  lines.push(...trainings(ctx, { type: '执法人员培训', count: n(FULL_YEAR.enforcementTrainings), from, to }));
  for (const [type, k] of [['领导干部学法', 12], ['工作人员培训', 8], ['警示教育', 4], ['以案释法', 3]] as const) {
    lines.push(...trainings(ctx, { type, count: count(k, Math.max(0.5, scale), f), from, to }));
  }
  lines.push(...publicityActivities(ctx, { count: n(FULL_YEAR.publicity), from, to }));
  lines.push(...legalConsultations(ctx, { from, to, density: Math.min(1, scale * 1.2) }));
  lines.push(...enterpriseServices(ctx, n(FULL_YEAR.enterprise), from, to));

  // Indicators are reported monthly after the month ends.
  const lastMonth = to >= ymd(year, 12, 31) ? 12 : Number(to.slice(5, 7)) - 1;
  const base = 520 * scale * 2;
  for (const [code, total] of [['fraud_110_calls', Math.round(base * (year % 2 === 0 ? 1.1 : 0.95))], ['fraud_criminal_cases', Math.round(base * 0.24)]] as const) {
    if (lastMonth > 0) lines.push(...indicatorRows(ctx, code, year, monthlySplit(ctx, total), lastMonth));
  }
  lines.push(...routineWorkEvents(ctx, from, to, Math.max(2, Math.round(8 * f))));
  // The annual disclosure report of a full year shows every kind of outcome.
  // Its own RNG, so the town's other records are the same as before it was added.
  if (to >= ymd(year, 12, 31)) lines.push(...disclosureYearLines(createRng(year * 31 + ctx.town.name.length), year, ctx.asOf, DEPT.office, ctx.town.depts.includes(DEPT.safety) ? DEPT.safety : DEPT.office));
  return lines;
}

/** Matters in every deadline state around `today`, for each kind with a time limit. */
function scenarioLines(ctx: GenContext, perState: number): ExchangeLine[] {
  const lines: ExchangeLine[] = [];
  const { rng } = ctx;
  for (const gen of MATTER_GENS) {
    for (const target of TARGETS) {
      for (let i = 0; i < perState; i++) {
        const line = matterInState(gen, ctx, target, gen.kind === 'deputy_suggestion' ? 180 : 120);
        // Open reviews also show the state between opinion and 办结.
        if (gen === legalityReviewGen && line.completedOn === undefined) {
          if (target === '正常' && i === 0) line.status = '送审';
          else if (rng.chance(0.4)) withOpinion(ctx, line);
        }
        lines.push(line);
      }
    }
  }
  const today = ctx.asOf;
  // A suggestion replied days ago, still waiting for the deputy's feedback (已答复).
  const awaiting = deputySuggestionGen.create(ctx, addDays(today, -rng.int(40, 70)));
  deputySuggestionGen.finish(ctx, awaiting, addWorkdays(today, -rng.int(2, 6)));
  lines.push(awaiting);
  // Tasks: the plan's own deadlines, placed around today.
  const pick = (): (typeof TASK_TEMPLATES)[number] => rng.pick(TASK_TEMPLATES);
  for (let i = 0; i < perState; i++) {
    lines.push(taskDueOn(ctx, pick(), addWorkdays(today, rng.int(8, 40)), '推进中'));
    lines.push(taskDueOn(ctx, pick(), addWorkdays(today, rng.int(1, 2)), '推进中'));
    lines.push(taskDueOn(ctx, pick(), addWorkdays(today, -rng.int(3, 20)), '推进中'));
    const dueDone = addWorkdays(today, -rng.int(10, 40));
    lines.push(taskDueOn(ctx, pick(), dueDone, '已完成', addDays(dueDone, -rng.int(1, 20))));
    const dueLate = addWorkdays(today, -rng.int(20, 40));
    lines.push(taskDueOn(ctx, pick(), dueLate, '已完成', minDate(today, addWorkdays(dueLate, rng.int(2, 8)))));
  }
  return lines;
}

/** Exchange-format lines for one demo town. Deterministic for the same options. */
export function generateDemoData(opts: DemoOptions): ExchangeLine[] {
  const { year, today } = opts;
  if (Number(today.slice(0, 4)) < year) throw new Error(`today (${today}) is before the demo year ${year}`);
  const code = opts.town ?? 'miaohang';
  const { profile, scale, perState } = PROFILES[code];
  const ctx = createContext((opts.seed ?? 20240101) ^ (code === 'miaohang' ? 0 : 0x5eed), profile, today);
  const end = minDate(today, ymd(year, 12, 31));
  const lines = [
    ...periodLines(ctx, year - 1, ymd(year - 1, 12, 31), scale),
    ...periodLines(ctx, year, end, scale),
    ...yearTasks(ctx, year - 1),
    ...yearTasks(ctx, year),
    ...scenarioLines(ctx, perState),
  ];
  if (code === 'miaohang') {
    lines.push(
      workEvent({
        title: '上海市平安示范社区',
        on: randomWorkday(ctx.rng, ymd(year - 1, 11, 1), ymd(year - 1, 12, 20)),
        category: '荣誉表彰',
        level: '市级',
        dept: DEPT.safety,
        description: '经市平安建设领导小组评定，获评“上海市平安示范社区”。',
      }),
    );
  }
  return sortLines(lines);
}

/** Both demo towns with their departments and lines, for seeding a district. */
export function generateDemoTowns(opts: Omit<DemoOptions, 'town'>): { code: DemoTownCode; name: string; depts: string[]; lines: ExchangeLine[] }[] {
  return DEMO_TOWNS.map((t) => ({ ...t, lines: generateDemoData({ ...opts, town: t.code }) }));
}
