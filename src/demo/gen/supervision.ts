/** 监督制约: deputies' suggestions, procuratorial recommendations, information-disclosure requests. */
import { addDays, addMonths, dueAfter } from '../dates';
import { deputyName, personName } from '../names';
import { DEPT } from '../town';
import { choose, type GenContext, type MatterGen } from './context';
import { applicantTypeOf, completeReply } from './disclosure';

const SUGGESTIONS: readonly (readonly [string, string])[] = [
  ['关于加快{c}加装电梯进度的建议', DEPT.construction], ['关于改善{r}交通秩序的建议', DEPT.enforcement],
  ['关于增设社区养老服务点的建议', DEPT.community], ['关于加强老旧小区消防安全管理的建议', DEPT.safety],
  ['关于缓解{c}停车难问题的建议', DEPT.construction], ['关于推进生活垃圾分类精细化管理的建议', DEPT.community],
  ['关于整治{r}沿线占道经营的建议', DEPT.enforcement], ['关于完善{p}配套公共交通的建议', DEPT.economy],
  ['关于加强电动自行车充电安全管理的建议', DEPT.safety], ['关于提升社区食堂服务质量的建议', DEPT.community],
  ['关于{r}积水点改造的建议', DEPT.construction], ['关于加大反诈宣传力度的建议', DEPT.safety],
  ['关于优化营商环境服务中小企业的建议', DEPT.economy], ['关于加强{c}物业管理的建议', DEPT.community],
];

function fillPlace(tpl: string, ctx: GenContext): string {
  const { rng, town } = ctx;
  return tpl.replace('{c}', rng.pick(town.communities)).replace('{r}', rng.pick(town.roads)).replace('{p}', rng.pick(town.parks));
}

function townDept(ctx: GenContext, wanted: string): string {
  return (ctx.town.depts as readonly string[]).includes(wanted) ? wanted : DEPT.office;
}

export const deputySuggestionGen: MatterGen = {
  kind: 'deputy_suggestion',
  create(ctx, start, preset) {
    const { rng } = ctx;
    const year = start.slice(0, 4);
    const [tpl, lead] = rng.pick(SUGGESTIONS);
    const source = choose(preset, 'source', () => rng.weighted([['区人大代表建议', 3], ['镇人大代表建议', 4], ['区政协委员提案', 2]] as const));
    const prefix = source === '区政协委员提案' ? '区政协提案' : source === '区人大代表建议' ? '区人大建议' : '镇人大建议';
    return {
      kind: 'deputy_suggestion',
      dept: DEPT.office,
      status: rng.chance(0.7) && start < ctx.asOf ? '办理中' : '交办',
      number: `${prefix}〔${year}〕${String(ctx.next(`deputy:${year}:${source}`) + rng.int(0, 3) * 10).padStart(3, '0')}号`,
      title: fillPlace(tpl, ctx),
      source,
      proposer: `${deputyName(rng)}${source === '区政协委员提案' ? '委员' : '代表'}`,
      receivedOn: start,
      leadDept: townDept(ctx, lead),
    };
  },
  start: (line) => line.receivedOn as string,
  due: (line) => dueAfter(line.receivedOn as string, { amount: line.extended === true ? 6 : 3, unit: 'months' }),
  done: (line) => line.repliedOn !== undefined,
  finish(ctx, line, on) {
    const { rng } = ctx;
    line.repliedOn = on;
    line.resultCategory = rng.weighted([['A 已解决或采纳', 5], ['B 正在解决或列入计划', 3], ['C 因条件限制暂不能解决', 1], ['D 留作参考', 0.5]] as const);
    line.status = '已答复';
    // Deputies give their feedback a couple of weeks after the reply.
    if (addDays(on, 20) <= ctx.asOf) {
      line.feedback = rng.weighted([['满意', 8], ['基本满意', 2], ['未反馈', 0.3]] as const);
      line.status = '已反馈';
    }
  },
};

const RECOMMENDATIONS: readonly (readonly [string, string, string])[] = [
  ['关于督促整治餐饮场所燃气安全隐患的检察建议', DEPT.safety, '联合市场监管、消防部门开展燃气安全专项检查，督促商户安装燃气泄漏报警装置。'],
  ['关于督促加强窨井盖安全管理的检察建议', DEPT.construction, '对辖区窨井盖开展全面排查，更换破损井盖并建立巡查台账。'],
  ['关于督促整改无障碍设施的检察建议', DEPT.construction, '对公共场所无障碍通道、盲道开展排查整改，纳入日常巡查。'],
  ['关于督促依法查处违法建筑的检察建议', DEPT.enforcement, '对涉案违法建筑依法立案查处并完成拆除，完善违建发现处置机制。'],
  ['关于加强电动自行车停放充电安全管理的检察建议', DEPT.safety, '推进小区非机动车集中充电设施建设，开展楼道堆物清理。'],
  ['关于督促整治河道违法排污的检察建议', DEPT.construction, '对排污口逐一溯源，封堵违法排口，落实河长巡河制度。'],
  ['关于规范行政执法案卷制作的检察建议', DEPT.enforcement, '开展执法案卷自查，完善法制审核和全过程记录。'],
  ['关于加强未成年人保护校园周边环境整治的检察建议', DEPT.community, '联合派出所、学校开展校园周边环境整治，清理违规销售烟酒商户。'],
  ['关于督促落实建筑工地扬尘管控的检察建议', DEPT.enforcement, '对在建工地开展扬尘专项检查，督促落实覆盖、冲洗等措施。'],
];

export const procuratorialRecommendationGen: MatterGen = {
  kind: 'procuratorial_recommendation',
  create(ctx, start, preset) {
    const { rng, town } = ctx;
    const year = start.slice(0, 4);
    const [subject, dept] = rng.pick(RECOMMENDATIONS);
    return {
      kind: 'procuratorial_recommendation',
      dept: townDept(ctx, dept),
      docNumber: `沪宝检行建〔${year}〕${ctx.next(`procuratorial:${year}`) * rng.int(2, 4) + rng.int(1, 3)}号`,
      procuratorate: `上海市${town.district}人民检察院`,
      subject,
      receivedOn: start,
      urgent: choose(preset, 'urgent', () => rng.chance(0.08)),
    };
  },
  start: (line) => line.receivedOn as string,
  due: (line) =>
    line.urgent === true
      ? dueAfter(line.receivedOn as string, { amount: 15, unit: 'calendar_days' })
      : dueAfter(line.receivedOn as string, { amount: 2, unit: 'months' }),
  done: (line) => line.repliedOn !== undefined,
  finish(ctx, line, on) {
    const rec = RECOMMENDATIONS.find(([s]) => s === line.subject);
    line.measures = rec?.[2] ?? '制定整改方案，明确责任部门和完成时限，逐项落实整改。';
    line.repliedOn = on;
    line.rectified = ctx.rng.chance(0.85);
  },
};

const DISCLOSURE_CONTENTS = [
  '申请公开{c}旧住房成套改造项目的居民意见征询结果', '申请公开{r}某处违法建筑拆除的执法依据及决定书', '申请公开本镇{y}年度财政预算执行情况',
  '申请公开{c}加装电梯项目财政补贴发放情况', '申请公开{c}美丽家园改造工程招标文件及中标结果', '申请公开本镇集体土地征收补偿安置方案',
  '申请公开{r}道路大修工程的立项批复', '申请公开本人房屋所在地块的规划许可文件', '申请公开{c}垃圾箱房选址的审批材料',
  '申请公开本镇{y}年度重大行政决策事项目录', '申请公开本镇对某物业公司投诉的调查处理结果', '申请公开{p}企业扶持资金拨付明细',
];

export const disclosureRequestGen: MatterGen = {
  kind: 'disclosure_request',
  create(ctx, start, preset) {
    const { rng, town } = ctx;
    const year = Number(start.slice(0, 4));
    const content = rng
      .pick(DISCLOSURE_CONTENTS)
      .replace('{c}', rng.pick(town.communities))
      .replace('{r}', rng.pick(town.roads))
      .replace('{p}', rng.pick(town.parks))
      .replace('{y}', String(rng.chance(0.5) ? year - 1 : year));
    const status = choose(preset, 'status', () =>
      start >= ctx.asOf ? '收到' : rng.weighted([['收到', 10], ['补正中', 1], ['征求第三方意见中', 0.6], ['延期', 1.2]] as const),
    );
    const line = {
      kind: 'disclosure_request',
      dept: DEPT.office,
      status,
      applicant: rng.chance(0.9) ? personName(rng) : `上海${rng.pick(['申衡', '立泓', '中沪'])}律师事务所`,
      receivedOn: start,
      content,
      extended: status === '延期' ? true : undefined,
    };
    return { ...line, applicantType: applicantTypeOf(line) };
  },
  start: (line) => line.receivedOn as string,
  // While the clock is stopped (补正, 征求第三方意见) the limit is not running: place it far ahead.
  due: (line) =>
    line.status === '补正中' || line.status === '征求第三方意见中'
      ? addMonths(line.receivedOn as string, 24)
      : dueAfter(line.receivedOn as string, { amount: line.extended === true ? 40 : 20, unit: 'working_days' }),
  done: (line) => line.repliedOn !== undefined,
  finish(ctx, line, on) {
    const { rng } = ctx;
    line.repliedOn = on;
    completeReply(line, rng.weighted([['予以公开', 8], ['部分公开', 3], ['无法提供', 3], ['不予公开', 1], ['不予处理', 1], ['其他', 0.5]] as const));
    line.status = '已答复';
    line.challenged = rng.chance(0.12);
    line.corrected = line.challenged && rng.chance(0.2);
  },
};

