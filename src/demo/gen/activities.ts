/**
 * Ledgers without time limits: trainings, publicity activities, legal consultations, enterprise
 * services, indicators and other work records. Callers give counts and, where a report needs an
 * exact figure, totals, which are split over the rows in proportion to what each row is like (a
 * school lecture reaches more people than a street stall).
 */
import { addDays, isWorkday, ymd } from '../dates';
import type { ExchangeLine } from '../exchange';
import { companyName } from '../names';
import { partition, randomWeights } from '../prng';
import { DEPT } from '../town';
import type { GenContext } from './context';

function has(ctx: GenContext, dept: string): boolean {
  return (ctx.town.depts as readonly string[]).includes(dept);
}

function deptOr(ctx: GenContext, dept: string): string {
  return has(ctx, dept) ? dept : DEPT.justice;
}

/** `n` dates in [from, to] (working days unless `anyDay`), sorted; `monthWeights` shapes the year. */
export function datesInRange(ctx: GenContext, n: number, from: string, to: string, anyDay = false, monthWeights?: readonly number[]): string[] {
  const { rng } = ctx;
  const days: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) if (anyDay || isWorkday(d)) days.push(d);
  if (days.length === 0) return [];
  const weighted = days.map((d) => [d, monthWeights?.[Number(d.slice(5, 7)) - 1] ?? 1] as const);
  return Array.from({ length: n }, () => rng.weighted(weighted)).sort();
}

// ---------- training ----------

const TRAINING_TITLES: Record<string, readonly string[]> = {
  执法人员培训: [
    '《行政处罚法》专题培训', '行政执法“三项制度”实务培训', '执法文书规范制作培训', '违法建筑查处实务培训', '执法全过程记录仪规范使用培训',
    '生活垃圾管理条例执法要点培训', '行政强制程序专题培训', '轻微违法行为免罚清单适用培训', '执法案卷评查问题讲评', '综合执法事项划转业务培训',
    '群租整治执法实务培训', '行政执法证件换证考试辅导', '执法人员职业道德和纪律教育', '扬尘污染防治执法培训', '行政复议应诉能力培训',
  ],
  领导干部学法: [
    '党委理论学习中心组专题学习习近平法治思想', '政府常务会议会前学法：{law}', '领导干部述法评议会', '党委中心组学习《中华人民共和国{law}》',
    '领导干部应知应会法律法规专题讲座', '镇领导旁听行政诉讼庭审',
  ],
  工作人员培训: ['机关工作人员依法行政培训', '政府信息公开业务培训', '合同管理与合法性审核培训', '信访工作条例专题培训', '村居法律顾问业务培训', '人民调解员业务培训'],
  警示教育: ['党风廉政警示教育大会', '观看警示教育片', '赴廉政教育基地开展警示教育', '典型违纪违法案例通报学习'],
  以案释法: ['行政诉讼败诉案例剖析会', '信息公开典型案例讲评', '执法争议典型案例研讨'],
  其他: ['公职人员网上学法考试', '法治文化阵地参观学习', '“八五”普法中期评估培训'],
};
const LAWS = ['行政复议法', '民法典', '安全生产法', '优化营商环境条例', '信访工作条例', '反电信网络诈骗法', '行政处罚法', '未成年人保护法'];

export interface TrainingSpec {
  type: string;
  count: number;
  from: string;
  to: string;
  /** Exact attendee total over the sessions (otherwise each session is drawn on its own). */
  attendees?: number;
}

export function trainings(ctx: GenContext, spec: TrainingSpec): ExchangeLine[] {
  const { rng } = ctx;
  const titles = TRAINING_TITLES[spec.type] ?? TRAINING_TITLES.其他 ?? [];
  const sizes: Record<string, readonly [number, number]> = {
    执法人员培训: [10, 40], 领导干部学法: [8, 25], 工作人员培训: [20, 80], 警示教育: [40, 120], 以案释法: [15, 40], 其他: [20, 100],
  };
  const [lo, hi] = sizes[spec.type] ?? [10, 40];
  const dates = datesInRange(ctx, spec.count, spec.from, spec.to);
  const counts = spec.attendees !== undefined ? partition(rng, spec.attendees, randomWeights(rng, spec.count, 0.5), Math.min(lo, Math.floor(spec.attendees / Math.max(1, spec.count)))) : dates.map(() => rng.int(lo, hi));
  const order = rng.shuffle(titles);
  return dates.map((heldOn, i) => {
    const title = (order[i % order.length] ?? '法治培训').replace('{law}', rng.pick(LAWS));
    return {
      kind: 'training',
      dept: spec.type === '执法人员培训' ? deptOr(ctx, DEPT.enforcement) : spec.type === '领导干部学法' || spec.type === '警示教育' ? DEPT.office : DEPT.justice,
      title: i >= order.length ? `${title}（第${Math.floor(i / order.length) + 1}期）` : title,
      heldOn,
      trainingType: spec.type,
      attendees: counts[i] ?? lo,
      hours: spec.type === '领导干部学法' ? rng.int(1, 2) : rng.weighted([[2, 5], [3, 2], [4, 2], [6, 1]] as const),
      organizer: spec.type === '执法人员培训' ? rng.weighted([[deptOr(ctx, DEPT.enforcement), 4], [DEPT.justice, 1]] as const) : rng.weighted([[DEPT.justice, 2], [DEPT.office, 2]] as const),
    };
  });
}

// ---------- publicity ----------

interface Theme {
  name: string;
  /** Months (1–12) where it is usually held; empty = all year. */
  months: readonly number[];
  organizer: string;
  group?: string;
}
const THEMES: readonly Theme[] = [
  { name: '反电信网络诈骗', months: [], organizer: DEPT.safety },
  { name: '防范养老诈骗', months: [9, 10], organizer: DEPT.safety },
  { name: '禁毒', months: [6], organizer: DEPT.safety },
  { name: '全民国家安全教育日', months: [4], organizer: DEPT.safety },
  { name: '防范非法集资', months: [5, 6], organizer: DEPT.economy },
  { name: '安全生产月', months: [6], organizer: DEPT.safety },
  { name: '消防安全', months: [11], organizer: DEPT.safety },
  { name: '生活垃圾分类', months: [], organizer: DEPT.enforcement },
  { name: '未成年人保护法', months: [5, 6, 9], organizer: DEPT.community, group: '青少年' },
  { name: '妇女权益保障法', months: [3], organizer: DEPT.community },
  { name: '消费者权益保护', months: [3], organizer: DEPT.economy },
  { name: '劳动用工法律知识', months: [], organizer: DEPT.justice },
  { name: '个人信息保护', months: [], organizer: DEPT.justice },
  { name: '物业管理条例', months: [], organizer: DEPT.community },
  { name: '优化营商环境条例', months: [], organizer: DEPT.economy, group: '企业' },
  { name: '信访工作条例', months: [5], organizer: DEPT.petitions },
  { name: '退役军人保障法', months: [7, 8], organizer: DEPT.community },
  { name: '网络安全宣传周', months: [9], organizer: DEPT.safety },
  { name: '平安建设', months: [], organizer: DEPT.safety },
  { name: '反家庭暴力法', months: [3, 11], organizer: DEPT.community },
];

/** Relative audience size and material use of each activity form. */
const FORMS: Record<string, { p: number; m: number }> = {
  主题宣传: { p: 1, m: 3 }, 法治讲座: { p: 5, m: 1 }, 以案释法: { p: 3, m: 1 }, 法律进社区: { p: 1.4, m: 2.2 }, 法律进园区: { p: 2, m: 1.5 },
  法律进校园: { p: 6, m: 1.2 }, 宪法宣传周: { p: 2, m: 3 }, 民法典宣传月: { p: 2, m: 3 }, 其他: { p: 1, m: 1 },
};

export interface PublicitySpec {
  count: number;
  from: string;
  to: string;
  /** Exact totals (otherwise drawn per activity). */
  participants?: number;
  materials?: number;
  /** Relative activity per month (Jan..Dec), e.g. low during a lockdown. */
  monthWeights?: readonly number[];
}

function publicityTitle(ctx: GenContext, form: string, theme: string, place: string): string {
  const { rng } = ctx;
  switch (form) {
    case '主题宣传':
      return rng.pick([`“${theme}”主题宣传活动`, `${place}${theme}宣传`, `${theme}宣传咨询摆摊（${place}）`]);
    case '法治讲座':
      return rng.pick([`${theme}专题法治讲座`, `“${theme}”法律知识讲座（${place}）`, `${place}法治大讲堂：${theme}`]);
    case '以案释法':
      return rng.pick([`${theme}以案释法活动`, `以案说法：${theme}典型案例解读`]);
    case '法律进社区':
      return `法律进社区——${place}${theme}宣传`;
    case '法律进园区':
      return rng.pick([`法律进园区——${place}企业合规讲座`, `法律进园区——${place}劳动用工风险提示`, `法律进园区——${place}${theme}宣传`]);
    case '法律进校园':
      return rng.pick([`法治进校园——${place}${theme}主题课`, `${place}“开学第一课”法治教育`, `${place}模拟法庭活动`]);
    case '宪法宣传周':
      return rng.pick([`“宪法宣传周”${place}宣传活动`, `宪法宣誓及宪法学习活动（${place}）`, `“宪法进万家”${place}宣传`]);
    case '民法典宣传月':
      return rng.pick([`“美好生活·民法典相伴”${place}宣传`, `民法典宣传月专题讲座（${place}）`, `民法典知识竞答（${place}）`]);
    default:
      return rng.pick([`${theme}普法微视频推送`, `${place}法治文艺汇演`, `${theme}普法有奖竞答`]);
  }
}

export function publicityActivities(ctx: GenContext, spec: PublicitySpec): ExchangeLine[] {
  const { rng, town } = ctx;
  const dates = datesInRange(ctx, spec.count, spec.from, spec.to, true, spec.monthWeights ?? [0.6, 0.6, 1.1, 1.1, 1.3, 1.3, 0.9, 0.8, 1, 1, 1, 1.4]);
  const rows = dates.map((heldOn) => {
    const month = Number(heldOn.slice(5, 7));
    const day = Number(heldOn.slice(8, 10));
    const seasonal = THEMES.filter((t) => t.months.includes(month));
    const theme = seasonal.length > 0 && rng.chance(0.55) ? rng.pick(seasonal) : rng.pick(THEMES.filter((t) => t.months.length === 0));
    let form = rng.weighted([['法律进社区', 6], ['主题宣传', 5], ['法治讲座', 2], ['以案释法', 1.2], ['法律进园区', 1], ['法律进校园', 0.8], ['其他', 1]] as const) as string;
    if (month === 12 && day <= 7 && rng.chance(0.7)) form = '宪法宣传周';
    if (month === 5 && rng.chance(0.4)) form = '民法典宣传月';
    if (theme.group === '青少年' && rng.chance(0.6)) form = '法律进校园';
    if (theme.group === '企业' && rng.chance(0.6)) form = '法律进园区';
    // Schools get topics for pupils, whatever the month's theme.
    const topic = form === '法律进校园' && theme.group !== '青少年' ? rng.pick(['未成年人保护法', '禁毒', '防范电信网络诈骗', '网络安全', '交通安全', '宪法']) : theme.name;
    const place = form === '法律进校园' ? rng.pick(town.schools) : form === '法律进园区' ? rng.pick(town.parks) : rng.pick(town.communities);
    const targetGroup = form === '法律进校园' ? '青少年' : form === '法律进园区' ? '企业' : form === '法治讲座' && rng.chance(0.15) ? rng.pick(['领导干部', '执法人员']) : rng.weighted([['居民', 9], ['其他', 1]] as const);
    const location = form === '法律进校园' || form === '法律进园区' ? place : `${place}${rng.pick(['居委会活动室', '党群服务站', '小区广场', '睦邻点'])}`;
    const w = FORMS[form] ?? { p: 1, m: 1 };
    return {
      line: {
        kind: 'publicity_activity',
        dept: DEPT.justice,
        title: publicityTitle(ctx, form, topic, place),
        heldOn,
        activityType: form,
        location,
        targetGroup,
        organizer: deptOr(ctx, theme.organizer),
      } as ExchangeLine,
      pw: w.p * Math.exp((rng.next() - 0.5) * 1.2),
      mw: w.m * Math.exp((rng.next() - 0.5) * 1.2),
    };
  });
  const participants = spec.participants !== undefined ? partition(rng, spec.participants, rows.map((r) => r.pw), 1) : rows.map((r) => Math.max(3, Math.round(r.pw * rng.int(6, 14))));
  const materials = spec.materials !== undefined ? partition(rng, spec.materials, rows.map((r) => r.mw), 0) : rows.map((r) => Math.round(r.mw * rng.int(5, 25)));
  return rows.map((r, i) => ({ ...r.line, participants: participants[i] ?? 0, materials: materials[i] ?? 0 }));
}

// ---------- legal consultation ----------

export interface ConsultationSpec {
  from: string;
  to: string;
  /** Exact person total (otherwise each day's tally is drawn on its own). */
  persons?: number;
  /** Busy-ness: probability that a channel has a tally on a working day. */
  density?: number;
  /** Days on which the on-site desk was closed (only hotline and online consultations). */
  noOnSite?: readonly [string, string];
}

const TOPICS = [['婚姻家庭', 5], ['劳动争议', 4], ['房产物业', 5], ['邻里纠纷', 3], ['合同债务', 3], ['侵权赔偿', 2], ['其他', 2]] as const;

export function legalConsultations(ctx: GenContext, spec: ConsultationSpec): ExchangeLine[] {
  const { rng, town } = ctx;
  const density = spec.density ?? 1;
  const rows: { line: ExchangeLine; w: number }[] = [];
  for (let d = spec.from; d <= spec.to; d = addDays(d, 1)) {
    const work = isWorkday(d);
    const onSiteClosed = spec.noOnSite !== undefined && d >= spec.noOnSite[0] && d <= spec.noOnSite[1];
    const channels: [string, number, number][] = work
      ? [['现场', onSiteClosed ? 0 : 0.75 * density, 1.6], ['热线', 0.5 * density, 1], ['网络', (onSiteClosed ? 0.8 : 0.35) * density, 0.8]]
      : [['网络', 0.15 * density, 0.6]];
    for (const [channel, p, w] of channels) {
      if (!rng.chance(Math.min(1, p))) continue;
      rows.push({
        line: {
          kind: 'legal_consultation',
          dept: DEPT.justice,
          consultedOn: d,
          channel,
          topic: rng.weighted(TOPICS),
          persons: 1,
          handler: channel === '现场' && rng.chance(0.4) ? rng.pick(town.advisers) : rng.pick(town.staff),
        },
        w: w * Math.exp((rng.next() - 0.5) * 1.4),
      });
    }
  }
  const persons = spec.persons !== undefined ? partition(rng, spec.persons, rows.map((r) => r.w), 1) : rows.map((r) => Math.max(1, Math.round(r.w * rng.int(1, 5))));
  return rows.map((r, i) => ({ ...r.line, persons: persons[i] ?? 1 }));
}

// ---------- enterprise service ----------

export function enterpriseServices(ctx: GenContext, count: number, from: string, to: string): ExchangeLine[] {
  const { rng, town } = ctx;
  return datesInRange(ctx, count, from, to).map((servedOn) => {
    const serviceType = rng.weighted([['法治体检', 4], ['合规指导', 3], ['法律讲座', 2], ['纠纷化解', 1.5], ['其他', 0.5]] as const);
    const issuesFound = serviceType === '法治体检' ? rng.int(1, 9) : serviceType === '合规指导' ? rng.int(0, 4) : serviceType === '纠纷化解' ? 1 : 0;
    return {
      kind: 'enterprise_service',
      dept: rng.chance(0.6) && has(ctx, DEPT.economy) ? DEPT.economy : DEPT.justice,
      servedOn,
      enterprise: companyName(rng),
      serviceType,
      team: rng.chance(0.7) ? `${rng.pick(town.lawFirms)}惠企法律服务团队` : `${town.name}专家法律服务团`,
      issuesFound,
      suggestions: issuesFound + rng.int(serviceType === '法律讲座' ? 0 : 1, 3),
    };
  });
}

// ---------- indicator ----------

/** Twelve monthly values summing to `total`, with a gentle seasonal shape. */
export function monthlySplit(ctx: GenContext, total: number): number[] {
  const shape = [1.05, 0.8, 1, 0.95, 1, 1, 1.05, 1.1, 0.95, 1, 1, 1.1].map((s) => s * Math.exp((ctx.rng.next() - 0.5) * 0.5));
  return partition(ctx.rng, total, shape, 0);
}

export function indicatorRows(ctx: GenContext, code: string, year: number, monthly: readonly number[], lastMonth = 12): ExchangeLine[] {
  return monthly.slice(0, lastMonth).map((value, i) => ({
    kind: 'indicator',
    dept: has(ctx, DEPT.safety) ? DEPT.safety : DEPT.office,
    code,
    period: ymd(year, i + 1, 1).slice(0, 7),
    value,
    source: ctx.town.policeStation,
  }));
}
