/** 基层治理 matters with time limits: disputes (三所联动) and petitions (信访“家门口”服务). */
import { addDays, dueAfter, minDate } from '../dates';
import type { ExchangeLine } from '../exchange';
import { personName } from '../names';
import { DEPT } from '../town';
import { choose, type GenContext, type MatterGen } from './context';

const DISPUTE_TYPES: readonly (readonly [string, number])[] = [
  ['邻里纠纷', 6], ['婚姻家庭纠纷', 4], ['物业纠纷', 4], ['劳动争议', 3], ['房屋租赁纠纷', 3], ['相邻关系纠纷', 2],
  ['装修扰民纠纷', 2], ['交通事故赔偿纠纷', 2], ['消费纠纷', 1.5], ['损害赔偿纠纷', 1.5], ['宠物饲养纠纷', 1], ['继承纠纷', 1],
];

const UNITS_BY_SOURCE: Record<string, readonly (readonly string[])[]> = {
  派出所移交: [['派出所', '司法所'], ['派出所', '司法所', '律师事务所']],
  司法所受理: [['司法所'], ['司法所', '律师事务所']],
  律师事务所: [['律师事务所', '司法所']],
  信访转办: [['司法所'], ['司法所', '律师事务所']],
  群众申请: [['司法所'], ['司法所', '派出所']],
  其他: [['司法所']],
};

export const disputeGen: MatterGen = {
  kind: 'dispute',
  create(ctx, start, preset) {
    const { rng } = ctx;
    const source = choose(preset, 'source', () =>
      rng.weighted([['派出所移交', 5], ['司法所受理', 3], ['群众申请', 3], ['信访转办', 1], ['律师事务所', 0.8], ['其他', 0.4]] as const),
    );
    const disputeType = rng.weighted(DISPUTE_TYPES);
    return {
      kind: 'dispute',
      dept: source === '派出所移交' && rng.chance(0.3) && (ctx.town.depts as readonly string[]).includes(DEPT.safety) ? DEPT.safety : DEPT.justice,
      registeredOn: start,
      source,
      disputeType,
      partiesCount: disputeType === '物业纠纷' && rng.chance(0.3) ? rng.int(3, 12) : rng.weighted([[2, 8], [3, 2], [4, 1]] as const),
      linkedUnits: [...rng.pick(UNITS_BY_SOURCE[source] ?? [['司法所']])],
      result: '调解中',
    };
  },
  start: (line) => line.registeredOn as string,
  due: (line) => dueAfter(line.registeredOn as string, { amount: 30, unit: 'calendar_days' }),
  done: (line) => line.closedOn !== undefined,
  finish(ctx, line, on) {
    line.closedOn = on;
    line.result = ctx.rng.weighted([['调解成功', 17], ['调解不成功', 2], ['引导诉讼', 1.5]] as const);
  },
};

const PETITION_SUBJECTS = [
  '反映{c}加装电梯意见分歧', '反映{r}夜间施工噪声扰民', '反映{c}停车难', '反映{c}群租问题', '反映{c}违法搭建', '反映{c}物业服务质量差',
  '反映被拖欠工资', '反映{r}道路积水', '反映{c}垃圾箱房异味', '咨询旧住房改造安置政策', '反映{r}违章停车', '反映{c}楼道堆物消防隐患',
  '反映{c}电动自行车充电难', '反映{r}沿街商铺油烟扰民', '反映{c}绿化养护不到位', '反映{c}维修资金使用问题', '反映{p}周边交通拥堵',
];

export const petitionGen: MatterGen = {
  kind: 'petition',
  create(ctx, start, preset) {
    const { rng, town } = ctx;
    const subject = rng
      .pick(PETITION_SUBJECTS)
      .replace('{c}', rng.pick(town.communities))
      .replace('{r}', rng.pick(town.roads))
      .replace('{p}', rng.pick(town.parks));
    const line: ExchangeLine = {
      kind: 'petition',
      dept: petitionDept(ctx, subject),
      status: '登记',
      registeredOn: start,
      channel: choose(preset, 'channel', () => rng.weighted([['网上', 5], ['来访', 3], ['电话', 2], ['来信', 1]] as const)),
      petitioner: personName(rng),
      subject,
    };
    // Most petitions are accepted within days; the newest may still wait for it.
    const acceptBy = minDate(addDays(start, rng.int(0, 6)), ctx.asOf);
    if (acceptBy > start || (acceptBy === start && rng.chance(0.3))) {
      line.acceptedOn = acceptBy;
      line.status = rng.chance(0.6) ? '办理中' : '受理';
    }
    return line;
  },
  start: (line) => (line.acceptedOn as string | undefined) ?? (line.registeredOn as string),
  due: (line) =>
    line.acceptedOn === undefined
      ? dueAfter(line.registeredOn as string, { amount: 15, unit: 'calendar_days' })
      : dueAfter(line.acceptedOn as string, { amount: line.extended === true ? 90 : 60, unit: 'calendar_days' }),
  done: (line) => line.closedOn !== undefined,
  finish(ctx, line, on) {
    const { rng } = ctx;
    if (line.acceptedOn === undefined) line.acceptedOn = minDate(on, addDays(line.registeredOn as string, rng.int(0, 5)));
    line.closedOn = on < (line.acceptedOn as string) ? (line.acceptedOn as string) : on;
    line.satisfaction = rng.weighted([['满意', 14], ['基本满意', 4], ['不满意', 1], ['未评价', 2]] as const);
    line.status = '办结';
  },
};

/** The department a petition is handed to, by what it is about. */
function petitionDept(ctx: GenContext, subject: string): string {
  const has = (d: string): boolean => (ctx.town.depts as readonly string[]).includes(d);
  const byTopic =
    /搭建|油烟|违章停车|施工/.test(subject) ? DEPT.enforcement
      : /电梯|积水|改造|绿化|维修资金/.test(subject) ? DEPT.construction
        : /物业|群租|垃圾|堆物|充电/.test(subject) ? DEPT.community
          : /工资/.test(subject) ? DEPT.justice
            : DEPT.petitions;
  // The 信访办 registers every petition and keeps those it handles itself.
  return ctx.rng.chance(0.45) || !has(byTopic) ? (has(DEPT.petitions) ? DEPT.petitions : DEPT.office) : byTopic;
}

