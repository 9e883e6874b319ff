/** 行政执法案件 (三项制度) and the 行政复议/行政诉讼 cases in which the town is the respondent. */
import { addDays, dueAfter, minDate, nextWorkdayOnOrAfter, randomWorkday } from '../dates';
import type { ExchangeLine } from '../exchange';
import { partyName } from '../names';
import { DEPT } from '../town';
import { choose, type GenContext, type MatterGen } from './context';

const PENALTY_CAUSES: readonly (readonly [string, number, number])[] = [
  // cause, usual fine from, to (yuan)
  ['占道经营', 200, 2000], ['跨门营业', 200, 1000], ['乱设摊', 50, 500], ['擅自倾倒建筑垃圾', 5000, 50000],
  ['未按规定分类投放生活垃圾', 100, 5000], ['损毁绿化', 500, 5000], ['擅自设置户外广告', 1000, 10000],
  ['无证收购废旧物品', 500, 3000], ['渣土运输车辆未密闭', 2000, 20000], ['施工工地扬尘污染', 10000, 100000],
  ['擅自占用道路堆物', 200, 2000], ['餐饮油烟直排', 5000, 50000], ['违法搭建', 10000, 100000], ['居住房屋群租', 10000, 100000],
  ['夜间施工噪声扰民', 2000, 20000], ['擅自拆除环境卫生设施', 1000, 10000],
];
const OTHER_CAUSES: Record<string, readonly string[]> = {
  行政强制: ['强制拆除违法建筑', '查封无证经营场所', '扣押占道经营工具', '代履行清除违法堆物'],
  行政检查: ['餐饮单位油烟排放检查', '建筑工地文明施工检查', '户外招牌设施安全检查', '沿街商户门责制落实检查', '渣土运输车辆专项检查'],
  行政许可: ['临时占用道路许可', '户外广告设施设置许可', '城市道路挖掘许可', '建筑垃圾处置核准'],
  其他: ['责令限期改正', '违法建筑认定'],
};
const MAJOR_CAUSES = ['违法搭建', '居住房屋群租', '施工工地扬尘污染', '擅自倾倒建筑垃圾', '餐饮油烟直排', '强制拆除违法建筑'];

function roundFine(x: number): number {
  const step = x >= 10000 ? 1000 : x >= 1000 ? 100 : 50;
  return Math.max(step, Math.round(x / step) * step);
}

/**
 * An enforcement decision taken on `start`. Preset `isMajor: true` makes it a major decision with a
 * legal review before it (preset `legalReviewOn` to fix that date, e.g. to cross a year boundary).
 */
export const enforcementCaseGen: MatterGen = {
  kind: 'enforcement_case',
  create(ctx, start, preset) {
    const { rng, town } = ctx;
    const year = start.slice(0, 4);
    const isMajor = choose(preset, 'isMajor', () => false);
    const actionType = choose(preset, 'actionType', () =>
      isMajor ? rng.weighted([['行政处罚', 4], ['行政强制', 1]] as const) : rng.weighted([['行政处罚', 14], ['行政检查', 4], ['行政强制', 1], ['行政许可', 2], ['其他', 0.5]] as const),
    );
    let cause: string;
    let amount: number | undefined;
    if (actionType === '行政处罚') {
      const pool = isMajor ? PENALTY_CAUSES.filter(([c]) => MAJOR_CAUSES.includes(c)) : PENALTY_CAUSES;
      const [c, lo, hi] = rng.pick(pool);
      cause = c;
      amount = roundFine(isMajor ? rng.int(Math.max(lo, 30000), Math.max(hi, 50000)) : lo + (hi - lo) * rng.next() ** 2);
    } else {
      cause = isMajor ? '强制拆除违法建筑' : rng.pick(OTHER_CAUSES[actionType] ?? OTHER_CAUSES.其他 ?? []);
    }
    const where = rng.chance(0.5) ? rng.pick(town.roads) : rng.pick(town.communities);
    const serial = ctx.next(`enforcement:${year}`);
    const line: ExchangeLine = {
      kind: 'enforcement_case',
      dept: DEPT.enforcement,
      caseNumber: `沪宝${town.short}执${actionType === '行政处罚' ? '罚' : actionType === '行政许可' ? '许' : actionType === '行政检查' ? '检' : '强'}〔${year}〕${String(serial).padStart(4, '0')}号`,
      cause: `${where}${cause}`,
      actionType,
      party: partyName(rng),
      filedOn: actionType === '行政检查' ? start : addDays(start, -rng.int(7, 60)),
      decidedOn: start,
      isMajor,
      recorded: isMajor || rng.chance(0.93),
      amount,
      reconsideration: '无',
      litigation: '无',
    };
    if (isMajor) {
      line.legalReviewOn = choose(preset, 'legalReviewOn', () => nextWorkdayOnOrAfter(addDays(start, -rng.int(6, 16))));
      line.legalReviewResult = '通过';
      if ((line.filedOn as string) > (line.legalReviewOn as string)) line.filedOn = addDays(line.legalReviewOn as string, -rng.int(20, 60));
    }
    return line;
  },
  start: (line) => line.decidedOn as string,
  due: (line) =>
    dueAfter(line.decidedOn as string, { amount: ['行政处罚', '行政许可'].includes(line.actionType as string) ? 7 : 20, unit: 'working_days' }),
  done: (line) => line.disclosedOn !== undefined,
  finish(_ctx, line, on) {
    line.disclosedOn = on;
  },
};

/** Marks a decided case as challenged, with the result of the reconsideration or suit. */
export function challenge(line: ExchangeLine, via: 'reconsideration' | 'litigation', result: '维持' | '驳回' | '纠错'): ExchangeLine {
  line[via] = result;
  return line;
}

const LITIGATION_CAUSES = [
  '不服违法建筑拆除决定', '不服行政处罚决定', '政府信息公开答复', '请求履行法定职责', '不服强制拆除行为', '旧住房改造补偿决定',
  '不服责令限期改正通知', '请求确认行政行为违法', '举报答复', '不服扣押决定',
];

export const litigationGen: MatterGen = {
  kind: 'litigation',
  create(ctx, start, preset) {
    const { rng } = ctx;
    const year = start.slice(0, 4);
    const caseType = choose(preset, 'caseType', () => rng.weighted([['行政复议', 5], ['行政诉讼一审', 4], ['行政诉讼二审', 1]] as const));
    const n = ctx.next(`litigation:${year}:${caseType}`);
    const caseNumber =
      caseType === '行政复议' ? `沪宝府复字〔${year}〕第${rng.int(10, 30) * 10 + n}号`
        : caseType === '行政诉讼一审' ? `（${year}）沪0113行初${rng.int(10, 60) * 10 + n}号`
          : `（${year}）沪03行终${rng.int(5, 40) * 10 + n}号`;
    const cause = rng.pick(LITIGATION_CAUSES);
    return {
      kind: 'litigation',
      dept: cause.includes('信息公开') ? DEPT.office : cause.includes('补偿') ? DEPT.construction : DEPT.enforcement,
      caseNumber,
      caseType,
      cause,
      receivedOn: start,
      outcome: '审理中',
      // Deterministic (no draw from the town's RNG): the annual disclosure report's table 四 counts these.
      disclosureRelated: cause.includes('信息公开') ? true : undefined,
      afterReconsideration: caseType === '行政诉讼一审' && cause.includes('信息公开') ? n % 2 === 0 : undefined,
    };
  },
  start: (line) => line.receivedOn as string,
  due: (line) =>
    line.caseType === '行政复议'
      ? dueAfter(line.receivedOn as string, { amount: 10, unit: 'working_days' })
      : dueAfter(line.receivedOn as string, { amount: 15, unit: 'calendar_days' }),
  done: (line) => line.defendedOn !== undefined,
  finish(ctx, line, on) {
    const { rng, town } = ctx;
    line.defendedOn = on;
    const isSuit = line.caseType !== '行政复议';
    // Reconsiderations are mostly decided on the papers; suits are heard.
    if (isSuit || rng.chance(0.25)) {
      const hearingOn = randomWorkday(rng, addDays(on, 14), addDays(on, 70));
      if (hearingOn <= ctx.asOf) {
        line.hearingOn = hearingOn;
        line.leaderAppeared = isSuit ? rng.chance(0.9) : rng.chance(0.5);
        if (line.leaderAppeared) line.leaderName = rng.pick(town.leaders);
      }
    }
    const closeFrom = (line.hearingOn as string | undefined) ?? addDays(on, 20);
    const closedOn = randomWorkday(rng, addDays(closeFrom, 7), addDays(closeFrom, 60));
    if (closedOn <= ctx.asOf) {
      line.closedOn = minDate(closedOn, ctx.asOf);
      line.outcome = isSuit
        ? rng.weighted([['驳回', 6], ['维持', 2], ['调解撤诉', 2], ['撤销', 0.4], ['确认违法', 0.3]] as const)
        : rng.weighted([['维持', 6], ['驳回', 2], ['调解撤诉', 1.5], ['撤销', 0.4], ['责令履行', 0.3]] as const);
    }
  },
};
