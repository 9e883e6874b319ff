/** 合法性审核 and 行政规范性文件: what a town's 司法所 reviews and what the government issues. */
import { addDays, addMonths, dueAfter } from '../dates';
import type { ExchangeLine } from '../exchange';
import { DEPT } from '../town';
import { choose, type GenContext, type MatterGen, type Preset } from './context';

const CONTRACT_SUBJECTS = [
  '{c}加装电梯工程施工', '{c}雨污混接改造工程施工', '{c}老旧小区综合改造工程监理', '{c}美丽家园改造设计', '{r}道路大修工程施工',
  '{r}架空线入地及杆箱整治工程', '{r}沿线绿化养护', '{y}年度环境卫生保洁服务', '{y}年度生活垃圾短驳运输服务', '{y}年度城市网格化巡查服务',
  '{y}年度政府法律顾问服务', '{y}年度物业服务企业考核第三方评估', '{y}年度社区食堂委托运营', '{y}年度安保服务', '{y}年度河道养护服务',
  '{p}公共租赁房屋租赁', '{p}厂房租赁', '{p}党群服务站点运营', '{y}年度消防安全第三方检查服务', '{y}年度公共法律服务购买',
  '{c}睦邻中心委托管理', '{y}年度老年助餐服务', '{c}非机动车棚充电设施改造工程', '{y}年度信息化系统运维服务', '{y}年度应急物资采购',
];
const CONTRACT_FORMS = ['合同', '合同', '协议', '服务合同', '补充协议'];

const MAJOR_DECISIONS = [
  '{t}{y}年城市更新（旧住房成套改造）实施方案', '{t}老旧小区综合改造三年行动计划（{y}—{y2}年）', '{t}{y}年度镇级财政预算安排方案',
  '{t}集体资产处置方案', '{t}养老服务设施布局专项规划', '{t}{p}二期开发建设方案', '{t}公共停车资源统筹利用方案',
  '{t}“美丽家园”建设实施方案', '{t}生活垃圾分类长效管理实施方案',
];
const NORMATIVE_DRAFTS = [
  '{t}困难群众临时救助实施办法', '{t}居住区停车管理办法', '{t}集体经济组织收益分配管理办法', '{t}社区睦邻点建设管理办法',
  '{t}住宅小区综合治理考核办法', '{t}为老服务补贴发放管理办法', '{t}企业扶持资金管理办法', '{t}“美丽家园”建设资金管理办法',
];
const OTHER_MATTERS = [
  '关于{c}信访事项答复意见', '{t}{y}年度行政执法公示目录', '关于{r}违法建筑处置的法律意见', '{t}政府常务会议议题材料', '致{f}的律师函',
  '{t}权责清单调整', '关于{c}物业纠纷的处理意见', '{t}政府信息公开指南修订稿', '关于{p}企业诉求的答复意见',
];

const OPINIONS_OK = ['经审核，该事项主体适格、程序合法、内容符合法律法规规定，同意。', '经审核，合同主体、权利义务条款及违约责任约定明确，同意签订。', '法律顾问出具书面意见，未发现合法性问题。'];
const OPINIONS_FIX = [
  '建议补充争议解决条款，明确违约责任后签订。', '付款节点与验收条款不一致，修改后同意。', '建议删除限制公平竞争的条款，修改后同意。',
  '需补充风险评估报告和公众参与材料，修改后同意。', '部分表述超出法定权限，建议修改后提交。',
];

function fill(tpl: string, ctx: GenContext, year: number, firm: string): string {
  const { rng, town } = ctx;
  return tpl
    .replaceAll('{t}', town.name)
    .replaceAll('{c}', rng.pick(town.communities))
    .replaceAll('{r}', rng.pick(town.roads))
    .replaceAll('{p}', rng.pick(town.parks))
    .replaceAll('{y2}', String(year + 2))
    .replaceAll('{y}', String(year))
    .replaceAll('{f}', firm);
}

export const REVIEW_TYPES = ['重大行政决策', '行政规范性文件', '政府合同', '其他事项'] as const;

function reviewTitle(ctx: GenContext, type: string, year: number): string {
  const { rng } = ctx;
  const firm = `上海${rng.pick(['恒达', '佳禾', '众诚', '瑞丰', '锦程'])}物业管理有限公司`;
  if (type === '政府合同') {
    const subject = fill(rng.pick(CONTRACT_SUBJECTS), ctx, year, firm);
    // "2023年度保洁服务合同" reads as the town's own contract: prefix the town's name.
    const form = subject.endsWith('服务') ? rng.pick(['合同', '协议']) : rng.pick(CONTRACT_FORMS);
    return `${/^\d/.test(subject) ? ctx.town.name : ''}${subject}${form}`;
  }
  if (type === '重大行政决策') return fill(rng.pick(MAJOR_DECISIONS), ctx, year, firm);
  if (type === '行政规范性文件') return `${fill(rng.pick(NORMATIVE_DRAFTS), ctx, year, firm)}（送审稿）`;
  return fill(rng.pick(OTHER_MATTERS), ctx, year, firm);
}

function submitDeptFor(ctx: GenContext, type: string): string {
  const { rng, town } = ctx;
  const preferred: string[] =
    type === '政府合同' ? [DEPT.construction, DEPT.construction, DEPT.community, DEPT.office, DEPT.economy, DEPT.enforcement]
      : type === '重大行政决策' ? [DEPT.office, DEPT.construction, DEPT.economy]
        : type === '行政规范性文件' ? [DEPT.office, DEPT.community, DEPT.economy]
          : [DEPT.petitions, DEPT.enforcement, DEPT.office, DEPT.community];
  const inTown = preferred.filter((d) => (town.depts as readonly string[]).includes(d));
  return rng.pick(inTown.length > 0 ? inTown : town.depts);
}

export const legalityReviewGen: MatterGen = {
  kind: 'legality_review',
  create(ctx, start, preset) {
    const { rng, town } = ctx;
    const year = Number(start.slice(0, 4));
    const reviewType = choose(preset, 'reviewType', () => rng.weighted([['政府合同', 36], ['其他事项', 4], ['重大行政决策', 1], ['行政规范性文件', 1]] as const));
    const adviserInvolved = reviewType !== '其他事项' || rng.chance(0.6);
    const line: ExchangeLine = {
      kind: 'legality_review',
      dept: DEPT.justice,
      status: start >= ctx.asOf ? '送审' : rng.weighted([['审核中', 3], ['送审', 1]] as const),
      title: choose(preset, 'title', () => reviewTitle(ctx, reviewType, year)),
      reviewType,
      submitDept: submitDeptFor(ctx, reviewType),
      receivedOn: start,
      adviserInvolved,
      adviser: adviserInvolved ? rng.pick(town.advisers) : undefined,
      amount: reviewType === '政府合同' ? contractAmount(ctx) : undefined,
    };
    return line;
  },
  start: (line) => line.receivedOn as string,
  due: (line) => dueAfter(line.receivedOn as string, { amount: 7, unit: 'working_days' }),
  done: (line) => line.completedOn !== undefined,
  finish(ctx, line, on) {
    const { rng } = ctx;
    const conclusion = rng.weighted([['同意', 7], ['修改后同意', 3], ['不同意', 0.15]] as const);
    line.conclusion = conclusion;
    line.opinion = conclusion === '同意' ? rng.pick(OPINIONS_OK) : conclusion === '修改后同意' ? rng.pick(OPINIONS_FIX) : '该事项缺乏法定依据，不同意。';
    line.completedOn = on;
    line.status = '办结';
  },
};

/** An open review that already has an opinion and waits only for 办结 (flow state 出具意见). */
export function withOpinion(ctx: GenContext, line: ExchangeLine): ExchangeLine {
  line.conclusion = ctx.rng.weighted([['同意', 3], ['修改后同意', 1]] as const);
  line.opinion = line.conclusion === '同意' ? ctx.rng.pick(OPINIONS_OK) : ctx.rng.pick(OPINIONS_FIX);
  line.status = '出具意见';
  return line;
}

function contractAmount(ctx: GenContext): number {
  const { rng } = ctx;
  const base = rng.weighted([[rng.int(2, 20) * 1000, 3], [rng.int(20, 200) * 1000, 5], [rng.int(200, 3000) * 1000, 2], [rng.int(3000, 12000) * 1000, 0.5]] as const);
  return base + (rng.chance(0.3) ? rng.int(1, 99) * 10 + rng.int(0, 99) / 100 : 0);
}


/** A normative document issued on `start`, filed (报备) within 30 days unless late or open. */
export const normativeDocumentGen: MatterGen = {
  kind: 'normative_document',
  create(ctx, start, preset) {
    const { rng, town } = ctx;
    const year = Number(start.slice(0, 4));
    const effectiveOn = addDays(start, rng.pick([0, 10, 15, 30]));
    const years = rng.pick([2, 3, 5, 5]);
    return {
      kind: 'normative_document',
      dept: DEPT.office,
      docNumber: `${town.short}府规〔${year}〕${ctx.next(`normative:${year}`)}号`,
      title: choose(preset, 'title', () => fill(rng.pick(NORMATIVE_DRAFTS), ctx, year, '')),
      issuedOn: start,
      effectiveOn,
      expiresOn: addDays(addMonths(effectiveOn, 12 * years), -1),
      state: choose(preset, 'state', () => '有效'),
    };
  },
  start: (line) => line.issuedOn as string,
  due: (line) => dueAfter(line.issuedOn as string, { amount: 30, unit: 'calendar_days' }),
  done: (line) => line.filedOn !== undefined,
  finish(_ctx, line, on) {
    line.filedOn = on;
  },
};
