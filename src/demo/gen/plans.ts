/** The year's key tasks (工作要点与责任分工) and other work records (应急处置, 专项治理, 荣誉…). */
import { addDays, nextWorkdayOnOrAfter, randomWorkday, ymd } from '../dates';
import type { ExchangeLine } from '../exchange';
import { DEPT } from '../town';
import type { GenContext } from './context';

/** [area, title, lead department, partner departments, due month]. */
type TaskTemplate = readonly [string, string, string, readonly string[], number];

export const TASK_TEMPLATES: readonly TaskTemplate[] = [
  ['组织保障', '制定{y}年度法治政府建设工作要点与责任分工', DEPT.justice, [DEPT.office], 3],
  ['组织保障', '召开党委常委会专题研究法治建设工作', DEPT.office, [DEPT.justice], 6],
  ['组织保障', '落实党政主要负责人年度述法', DEPT.office, [DEPT.justice], 12],
  ['组织保障', '制定领导干部年度学法计划和应知应会法律法规清单', DEPT.justice, [DEPT.office], 3],
  ['依法履职', '开展电信网络诈骗打击治理和宣传劝阻', DEPT.safety, [DEPT.community], 12],
  ['依法履职', '推进“片长、路长、专员”联勤联动机制建设', DEPT.safety, [DEPT.enforcement, DEPT.construction], 9],
  ['依法履职', '开展轨交站点周边环境专项治理', DEPT.enforcement, [DEPT.construction, DEPT.safety], 10],
  ['依法履职', '完成架空线入地和合杆整治年度任务', DEPT.construction, [DEPT.enforcement], 11],
  ['依法履职', '加强应急抢险救援队伍建设和防汛防台准备', DEPT.safety, [DEPT.construction], 5],
  ['制度体系', '完善重大行政决策合法性审核和公众参与机制', DEPT.justice, [DEPT.office], 6],
  ['制度体系', '开展行政规范性文件清理', DEPT.justice, [DEPT.office], 9],
  ['制度体系', '规范政府法律顾问工作，实现合同审核全覆盖', DEPT.justice, [DEPT.office], 12],
  ['规范执法', '落实行政执法公示、全过程记录、重大执法决定法制审核制度', DEPT.enforcement, [DEPT.justice], 12],
  ['规范执法', '组织行政执法人员专题培训', DEPT.enforcement, [DEPT.justice], 12],
  ['规范执法', '开展行政执法案卷评查', DEPT.justice, [DEPT.enforcement], 11],
  ['监督制约', '办理人大代表建议和政协委员提案', DEPT.office, [DEPT.construction, DEPT.community], 8],
  ['监督制约', '落实行政机关负责人出庭应诉', DEPT.justice, [DEPT.office], 12],
  ['监督制约', '推进政务公开标准化规范化建设', DEPT.office, [DEPT.justice], 10],
  ['基层治理', '深化派出所、司法所、律师事务所“三所联动”机制', DEPT.justice, [DEPT.safety], 6],
  ['基层治理', '推进信访“家门口”服务体系建设', DEPT.petitions, [DEPT.community], 9],
  ['基层治理', '组织专家法律服务团队进园区开展“法治体检”', DEPT.economy, [DEPT.justice], 11],
  ['基层治理', '开展民主法治示范社区创建', DEPT.community, [DEPT.justice], 11],
  ['基层治理', '开展宪法宣传周和民法典宣传月活动', DEPT.justice, [DEPT.community], 12],
];

const NOTES_DONE = ['已按计划完成，佐证材料已上传。', '已完成，相关制度文件已印发。', '已完成并通过区级检查。', '全年任务已完成，形成工作总结。'];
const NOTES_DOING = ['正在推进，已完成阶段性工作。', '已制定方案，正在组织实施。', '已召开推进会，按节点推进中。'];
const NOTES_MISSED = ['受项目审批进度影响未能按期完成，已调整至下一年度。', '部分指标未达成，正在整改。'];

/**
 * One task per template whose lead department exists in the town. Tasks due before `ctx.asOf` are
 * mostly 已完成 (a few late or 未完成); later ones are 未开始/推进中.
 */
export function yearTasks(ctx: GenContext, year: number, templates: readonly TaskTemplate[] = TASK_TEMPLATES): ExchangeLine[] {
  const { rng, town } = ctx;
  const depts = town.depts as readonly string[];
  return templates
    .filter(([, , lead]) => depts.includes(lead))
    .map(([area, title, lead, partners, month]) => {
      const dueOn = nextWorkdayOnOrAfter(ymd(year, month, month === 12 ? 25 : rng.pick([15, 28])));
      const line: ExchangeLine = {
        kind: 'task',
        dept: lead,
        title: title.replace('{y}', String(year)),
        area,
        leadDept: lead,
        partnerDepts: partners.filter((p) => depts.includes(p)),
        dueOn,
        progress: '未开始',
      };
      if (dueOn < ctx.asOf) {
        const outcome = rng.weighted([['done', 16], ['late', 1.5], ['missed', 0.7]] as const);
        if (outcome === 'missed') {
          line.progress = '未完成';
          line.progressNote = rng.pick(NOTES_MISSED);
        } else {
          const on = outcome === 'done' ? randomWorkday(rng, addDays(dueOn, -40), dueOn) : randomWorkday(rng, addDays(dueOn, 3), addDays(dueOn, 30));
          if (on <= ctx.asOf) {
            line.progress = '已完成';
            line.completedOn = on;
            line.progressNote = rng.pick(NOTES_DONE);
          } else {
            line.progress = '推进中';
            line.progressNote = rng.pick(NOTES_DOING);
          }
        }
      } else {
        line.progress = rng.chance(0.75) ? '推进中' : '未开始';
        if (line.progress === '推进中') line.progressNote = rng.pick(NOTES_DOING);
      }
      return line;
    });
}

/** A task due on a given day (for placing open tasks near `today` in the demo). */
export function taskDueOn(ctx: GenContext, template: TaskTemplate, dueOn: string, progress: '未开始' | '推进中' | '已完成' | '未完成', completedOn?: string): ExchangeLine {
  const [area, title, lead, partners] = template;
  const depts = ctx.town.depts as readonly string[];
  return {
    kind: 'task',
    dept: depts.includes(lead) ? lead : DEPT.office,
    title: title.replace('{y}', dueOn.slice(0, 4)),
    area,
    leadDept: depts.includes(lead) ? lead : DEPT.office,
    partnerDepts: partners.filter((p) => depts.includes(p)),
    dueOn,
    progress,
    completedOn,
    progressNote: progress === '已完成' ? ctx.rng.pick(NOTES_DONE) : progress === '未完成' ? ctx.rng.pick(NOTES_MISSED) : progress === '推进中' ? ctx.rng.pick(NOTES_DOING) : undefined,
  };
}

export interface WorkEventSpec {
  title: string;
  on: string;
  category: '应急处置' | '专项治理' | '荣誉表彰' | '制度建设' | '联勤联动' | '其他';
  level: '国家级' | '市级' | '区级' | '镇级' | '无';
  dept: string;
  description: string;
}

export function workEvent(spec: WorkEventSpec): ExchangeLine {
  return {
    kind: 'work_event',
    dept: spec.dept,
    title: spec.title,
    happenedOn: spec.on,
    category: spec.category,
    level: spec.level,
    description: spec.description,
  };
}

/** Ordinary work records (no honours) spread over [from, to], for towns without a scripted year. */
export function routineWorkEvents(ctx: GenContext, from: string, to: string, count: number): ExchangeLine[] {
  const { rng, town } = ctx;
  const pool: readonly (readonly [WorkEventSpec['category'], string, string, string])[] = [
    ['应急处置', '处置暴雨积水', DEPT.construction, '连夜调度排水泵车和应急队伍，对{r}积水点抽排，次日恢复通行。'],
    ['应急处置', '应对低温雨雪冰冻天气', DEPT.safety, '启动应急预案，撒布融雪剂，排查老旧小区水管冻裂隐患。'],
    ['应急处置', '处置市政管网满管', DEPT.construction, '协调排水公司疏通管网，{c}污水外溢问题当日解决。'],
    ['专项治理', '{r}沿线违法建筑专项整治', DEPT.enforcement, '拆除违法建筑，恢复绿化，建立长效巡查机制。'],
    ['专项治理', '{c}群租整治', DEPT.community, '联合派出所、执法队开展群租整治，落实房东责任。'],
    ['专项治理', '电动自行车安全隐患全链条整治', DEPT.safety, '排查楼道充电、飞线充电隐患，新增集中充电点。'],
    ['联勤联动', '{r}片区联勤联动巡查', DEPT.safety, '片长、路长、专员联合巡查，发现并处置问题。'],
    ['制度建设', '修订镇政府工作规则', DEPT.office, '明确重大事项集体决策和会前学法制度。'],
    ['制度建设', '印发合同管理办法', DEPT.justice, '规范合同起草、审核、签订、履行和归档全过程。'],
    ['其他', '召开法治政府建设推进会', DEPT.justice, '通报重点任务推进情况，部署下一阶段工作。'],
  ];
  return Array.from({ length: count }, () => {
    const [category, title, dept, description] = rng.pick(pool);
    const fill = (s: string): string => s.replace('{r}', rng.pick(town.roads)).replace('{c}', rng.pick(town.communities));
    return workEvent({
      title: fill(title),
      on: randomWorkday(rng, from, to),
      category,
      level: category === '联勤联动' || category === '其他' ? '镇级' : rng.pick(['镇级', '区级'] as const),
      dept: (town.depts as readonly string[]).includes(dept) ? dept : DEPT.office,
      description: fill(description),
    });
  }).sort((a, b) => String(a.happenedOn).localeCompare(String(b.happenedOn)));
}
