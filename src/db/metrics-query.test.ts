import type { KyselyPlugin } from 'kysely';
import { NARRATIVE_METRICS } from '../core/metrics/narrative';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUILTIN_LEDGERS } from '../core/ledgers/kinds';
import { buildMetricCatalog } from '../core/metrics';
import type { Storage } from './connect';
import { compareTowns, computeMetrics, metricRecords } from './metrics-query';
import { insertRecord, MEDIATION_ROOM, ORG, seedOrgs } from './metrics-testdata';
import { openTestStorage, testDialects, type TestStorage } from './testing';

const Y2023 = { year: 2023 };

/** Counts the queries kysely sends (every query, raw SQL included, passes through plugins). */
function countingStorage(storage: Storage): { storage: Storage; count: () => number } {
  let n = 0;
  const plugin: KyselyPlugin = {
    transformQuery: (args) => {
      n++;
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  return { storage: { ...storage, db: storage.db.withPlugin(plugin) }, count: () => n };
}

describe.each(testDialects())('metrics on %s', (dialect) => {
  let s: TestStorage;
  beforeEach(async () => {
    s = await openTestStorage(dialect);
    await seedOrgs(s);
  });
  afterEach(async () => {
    await s.dispose();
  });

  const values = async (keys: string[], more: Partial<Parameters<typeof computeMetrics>[1]> = {}) =>
    (await computeMetrics(s, { orgId: ORG.townA, period: Y2023, keys, defs: [], ...more })).values;

  it('computes the spec table figures from the records', async () => {
    const ins = (kind: string, data: Record<string, unknown>) => insertRecord(s, kind, ORG.townA, data);
    for (const [period, v] of [['2022-01', 60], ['2022-06', 54], ['2023-02', 50], ['2023-11', 50]] as const)
      await ins('indicator', { code: 'fraud_110_calls', period, value: v });
    await ins('indicator', { code: 'fraud_criminal_cases', period: '2022-05', value: 100 });
    await ins('indicator', { code: 'fraud_criminal_cases', period: '2023-05', value: 89 });
    await ins('work_event', { title: '上海市平安示范社区', happenedOn: '2023-11-02', category: '荣誉表彰', level: '市级' });
    await ins('work_event', { title: '防汛演练', happenedOn: '2023-07-02', category: '应急处置' });
    // Major decisions counted by legalReviewOn, not decidedOn.
    await ins('enforcement_case', { caseNumber: 'A1', cause: '违法搭建', actionType: '行政强制', decidedOn: '2023-03-01', isMajor: true, legalReviewOn: '2023-02-20', reconsideration: '无', litigation: '纠错' });
    await ins('enforcement_case', { caseNumber: 'A2', cause: '违法搭建', actionType: '行政强制', decidedOn: '2024-01-05', isMajor: true, legalReviewOn: '2023-12-28', reconsideration: '维持', litigation: '无' });
    await ins('enforcement_case', { caseNumber: 'A3', cause: '违法搭建', actionType: '行政强制', decidedOn: '2023-01-05', isMajor: true, legalReviewOn: '2022-12-28' });
    await ins('enforcement_case', { caseNumber: 'A4', cause: '占道经营', actionType: '行政处罚', decidedOn: '2023-05-05', isMajor: false, legalReviewOn: '2023-05-01' });
    await ins('training', { title: '执法培训1', heldOn: '2023-03-14', trainingType: '执法人员培训', attendees: 24 });
    await ins('training', { title: '执法培训2', heldOn: '2023-09-14', trainingType: '执法人员培训', attendees: 30 });
    await ins('training', { title: '学法', heldOn: '2023-09-20', trainingType: '领导干部学法', attendees: 12 });
    for (const feedback of ['满意', '满意', '未反馈']) await ins('deputy_suggestion', { title: '建议', source: '镇人大代表建议', receivedOn: '2023-04-01', feedback });
    await ins('procuratorial_recommendation', { docNumber: 'J1', procuratorate: '区检察院', subject: '消防', receivedOn: '2022-11-20', repliedOn: '2023-01-10' });
    await ins('procuratorial_recommendation', { docNumber: 'J2', procuratorate: '区检察院', subject: '食品', receivedOn: '2023-12-01' });
    await ins('publicity_activity', { title: '宪法宣传', heldOn: '2023-12-04', activityType: '宪法宣传周', participants: 200, materials: 150 });
    await ins('publicity_activity', { title: '民法典', heldOn: '2023-05-20', activityType: '民法典宣传月', participants: 100 });
    await ins('legal_consultation', { consultedOn: '2023-06-01', channel: '热线', topic: '劳动争议', persons: 3 });
    await ins('legal_consultation', { consultedOn: '2023-06-02', channel: '现场', topic: '婚姻家庭', persons: 1 });

    const v = await values([
      'indicator.fraud_110_calls_yoy',
      'indicator.fraud_criminal_cases_yoy',
      'indicator.fraud_110_calls',
      'work_event.honours',
      'work_event.honour_titles',
      'enforcement_case.major_reviewed',
      'enforcement_case.major_corrected',
      'training.enforcement_sessions',
      'training.enforcement_attendees',
      'training.leader_sessions',
      'deputy_suggestion.handled',
      'deputy_suggestion.satisfaction_rate',
      'procuratorial_recommendation.replied',
      'publicity_activity.count',
      'publicity_activity.materials',
      'legal_consultation.persons',
      'beneficiaries',
    ]);
    expect(v['indicator.fraud_110_calls']).toBe(100);
    expect(v['indicator.fraud_110_calls_yoy']).toBeCloseTo((100 - 114) / 114, 10);
    expect(v['indicator.fraud_criminal_cases_yoy']).toBeCloseTo(-0.11, 10);
    expect(v['work_event.honours']).toBe(1);
    expect(v['work_event.honour_titles']).toEqual(['上海市平安示范社区']);
    expect(v['enforcement_case.major_reviewed']).toBe(2);
    expect(v['enforcement_case.major_corrected']).toBe(1);
    expect(v['training.enforcement_sessions']).toBe(2);
    expect(v['training.enforcement_attendees']).toBe(54);
    expect(v['training.leader_sessions']).toBe(1);
    expect(v['deputy_suggestion.handled']).toBe(3);
    expect(v['deputy_suggestion.satisfaction_rate']).toBe(1);
    expect(v['procuratorial_recommendation.replied']).toBe(1);
    expect(v['publicity_activity.count']).toBe(2);
    expect(v['publicity_activity.materials']).toBe(150);
    expect(v['legal_consultation.persons']).toBe(4);
    expect(v['beneficiaries']).toBe(304);
  });

  it('gives null for no data and 0 for an empty count', async () => {
    const v = await values(['training.count', 'deputy_suggestion.satisfaction_rate', 'indicator.fraud_110_calls', 'indicator.fraud_110_calls_yoy', 'publicity_activity.materials', 'work_event.honour_titles', 'beneficiaries']);
    expect(v).toEqual({
      'training.count': 0,
      'deputy_suggestion.satisfaction_rate': null,
      'indicator.fraud_110_calls': null,
      'indicator.fraud_110_calls_yoy': null,
      'publicity_activity.materials': 0,
      'work_event.honour_titles': [],
      beneficiaries: 0,
    });
    // A year with data against a last year of zero is still "no data" for the change.
    await insertRecord(s, 'indicator', ORG.townA, { code: 'fraud_110_calls', period: '2022-03', value: 0 });
    await insertRecord(s, 'indicator', ORG.townA, { code: 'fraud_110_calls', period: '2023-03', value: 7 });
    const w = await values(['indicator.fraud_110_calls_yoy', 'indicator.fraud_110_calls']);
    expect(w).toEqual({ 'indicator.fraud_110_calls_yoy': null, 'indicator.fraud_110_calls': 7 });
  });

  it('counts per enum and bool value with by_ metrics, and flags parts that do not add up', async () => {
    const review = (reviewType: string, adviserInvolved?: boolean) =>
      insertRecord(s, 'legality_review', ORG.townA, { title: '合同', reviewType, submitDept: '司法所', receivedOn: '2023-06-01', ...(adviserInvolved === undefined ? {} : { adviserInvolved }) });
    await review('政府合同', true);
    await review('政府合同', true);
    await review('重大行政决策', false);
    await review('行政规范性文件');
    const r = await computeMetrics(s, { orgId: ORG.townA, period: Y2023, defs: [], keys: ['legality_review.count', 'legality_review.by_reviewType', 'legality_review.by_adviserInvolved', 'legality_review.adviser_rate'] });
    expect(r.values['legality_review.by_reviewType']).toEqual({ 重大行政决策: 1, 行政规范性文件: 1, 政府合同: 2, 其他事项: 0 });
    expect(r.values['legality_review.by_adviserInvolved']).toEqual({ 是: 2, 否: 1 });
    expect(r.values['legality_review.adviser_rate']).toBe(0.5);
    expect(r.rateParts['legality_review.adviser_rate']).toEqual({ numerator: 2, denominator: 4 });
    expect(r.warnings).toEqual([]);

    // A value outside the options (say, from an older version of the kind) is fetched by a group-by
    // and the parts check still holds; a record without the type breaks it and is reported.
    await review('旧类型');
    await insertRecord(s, 'legality_review', ORG.townA, { title: '无类型', submitDept: '司法所', receivedOn: '2023-06-02' });
    const r2 = await computeMetrics(s, { orgId: ORG.townA, period: Y2023, defs: [], keys: ['legality_review.count', 'legality_review.by_reviewType'] });
    expect(r2.values['legality_review.by_reviewType']).toEqual({ 重大行政决策: 1, 行政规范性文件: 1, 政府合同: 2, 其他事项: 0, 旧类型: 1 });
    expect(r2.values['legality_review.count']).toBe(6);
    expect(r2.warnings).toHaveLength(1);
    expect(r2.warnings[0]?.metricKey).toBe('legality_review.by_reviewType');
    expect(r2.warnings[0]?.message).toContain('相差1');
  });

  it('reports records missing a field a metric needs', async () => {
    await insertRecord(s, 'training', ORG.townA, { title: '执法培训', heldOn: '2023-03-14', trainingType: '执法人员培训', attendees: 10 });
    await insertRecord(s, 'training', ORG.townA, { title: '执法培训（缺人次）', heldOn: '2023-04-14', trainingType: '执法人员培训' });
    const r = await computeMetrics(s, { orgId: ORG.townA, period: Y2023, defs: [], keys: ['training.enforcement_attendees'] });
    expect(r.values['training.enforcement_attendees']).toBe(10);
    expect(r.warnings).toEqual([{ metricKey: 'training.enforcement_attendees', message: '有1条“培训与学法”记录未填写“参训人次”，未计入「培训行政执法人员」' }]);
  });

  it('says when publicity activities lack the optional figures 发放资料 and 受众 that the report sums', async () => {
    await insertRecord(s, 'publicity_activity', ORG.townA, { title: '宪法宣传', heldOn: '2023-12-04', activityType: '宪法宣传周', participants: 100, materials: 50 });
    await insertRecord(s, 'publicity_activity', ORG.townA, { title: '普法讲座（未填数字）', heldOn: '2023-05-04', activityType: '法治讲座' });
    await insertRecord(s, 'legal_consultation', ORG.townA, { consultedOn: '2023-07-07', channel: '现场', topic: '劳动争议', persons: 3 });
    const r = await computeMetrics(s, { orgId: ORG.townA, period: Y2023, defs: [], keys: ['publicity_activity.materials', 'beneficiaries'] });
    expect(r.values).toEqual({ 'publicity_activity.materials': 50, beneficiaries: 103 });
    expect(r.warnings.map((w) => w.message).sort()).toEqual([
      '有1条“普法宣传活动”记录未填写“发放资料和宣传品份数”，未计入「发放宣传资料和宣传品」',
      '有1条“普法宣传活动”记录未填写“受众人数”，未计入「法治宣传教育受众」',
    ]);
  });

  it('puts 31 December in the year and 1 January in the next; quarters, months and ranges', async () => {
    const t = (heldOn: string) => insertRecord(s, 'training', ORG.townA, { title: heldOn, heldOn, trainingType: '其他', attendees: 1 });
    for (const d of ['2022-12-31', '2023-01-01', '2023-03-31', '2023-04-01', '2023-12-31', '2024-01-01']) await t(d);
    const count = async (period: Parameters<typeof computeMetrics>[1]['period']) =>
      (await computeMetrics(s, { orgId: ORG.townA, period, defs: [], keys: ['training.count'] })).values['training.count'];
    expect(await count({ year: 2023 })).toBe(4);
    expect(await count({ year: 2022 })).toBe(1);
    expect(await count({ year: 2023, quarter: 1 })).toBe(2);
    expect(await count({ year: 2023, quarter: 2 })).toBe(1);
    expect(await count({ year: 2023, month: 12 })).toBe(1);
    expect(await count({ from: '2022-12-31', to: '2023-01-01' })).toBe(2);
    // Titles of next year's tasks, by their due date.
    await insertRecord(s, 'task', ORG.townA, { title: '明年任务', area: '其他', leadDept: '司法所', dueOn: '2024-06-30', progress: '未开始' });
    await insertRecord(s, 'task', ORG.townA, { title: '今年任务', area: '其他', leadDept: '司法所', dueOn: '2023-06-30', progress: '已完成' });
    expect((await values(['task.next_year_titles']))['task.next_year_titles']).toEqual(['明年任务']);
  });

  it('excludes deleted records and follows the org scope', async () => {
    const t = (org: number, deleted = false) => insertRecord(s, 'training', org, { title: 'x', heldOn: '2023-05-01', trainingType: '其他', attendees: 5 }, { deleted });
    await t(ORG.townA);
    await t(ORG.townA, true);
    await t(ORG.villageA);
    await t(ORG.townB);
    await t(ORG.district);
    const c = async (orgId: number, includeDescendants: boolean) =>
      (await computeMetrics(s, { orgId, includeDescendants, period: Y2023, defs: [], keys: ['training.count', 'training.sum_attendees'] })).values;
    expect(await c(ORG.townA, false)).toEqual({ 'training.count': 1, 'training.sum_attendees': 5 });
    expect(await c(ORG.townA, true)).toEqual({ 'training.count': 2, 'training.sum_attendees': 10 });
    expect(await c(ORG.district, true)).toEqual({ 'training.count': 4, 'training.sum_attendees': 20 });
    expect(await c(ORG.district, false)).toEqual({ 'training.count': 1, 'training.sum_attendees': 5 });
  });

  it('computes on-time rates from deadline states, petitions accepted on time and litigation rates', async () => {
    const p = (registeredOn: string, acceptedOn: string | undefined, deadlineState: string, satisfaction?: string) =>
      insertRecord(s, 'petition', ORG.townA, { registeredOn, channel: '来访', petitioner: '张三', subject: '噪音', ...(acceptedOn ? { acceptedOn } : {}), ...(satisfaction ? { satisfaction } : {}) }, { deadlineState });
    await p('2023-03-01', '2023-03-16', '按期办结', '满意');
    await p('2023-03-01', '2023-03-17', '逾期办结', '不满意');
    await p('2023-05-01', undefined, '逾期');
    await p('2023-06-01', '2023-06-02', '正常', '未评价');
    const l = (hearingOn: string | undefined, leaderAppeared: boolean | undefined, outcome: string, closedOn?: string) =>
      insertRecord(s, 'litigation', ORG.townA, { caseNumber: 'L', caseType: '行政诉讼一审', cause: '拆违', receivedOn: '2023-01-10', outcome, ...(hearingOn ? { hearingOn } : {}), ...(leaderAppeared === undefined ? {} : { leaderAppeared }), ...(closedOn ? { closedOn } : {}) });
    await l('2023-04-01', true, '驳回', '2023-06-01');
    await l('2023-05-01', false, '撤销', '2023-08-01');
    await l(undefined, undefined, '审理中');
    const v = await values([
      'petition.on_time_rate',
      'petition.overdue',
      'petition.accepted_on_time',
      'petition.accepted_on_time_rate',
      'petition.satisfaction_rate',
      'litigation.leader_appearance_rate',
      'litigation.correction_rate',
      'litigation.hearings',
    ]);
    expect(v).toEqual({
      'petition.on_time_rate': 0.5,
      'petition.overdue': 1,
      'petition.accepted_on_time': 2,
      'petition.accepted_on_time_rate': 2 / 3,
      'petition.satisfaction_rate': 0.5,
      'litigation.leader_appearance_rate': 0.5,
      'litigation.correction_rate': 0.5,
      'litigation.hearings': 2,
    });
  });

  it('lists the records behind a figure, paginated', async () => {
    const ids: number[] = [];
    for (let i = 1; i <= 5; i++)
      ids.push(await insertRecord(s, 'enforcement_case', ORG.townA, { caseNumber: `C${i}`, cause: 'x', actionType: '行政处罚', decidedOn: `2023-0${i}-10`, isMajor: i % 2 === 1, legalReviewOn: `2023-0${i}-01` }));
    await insertRecord(s, 'enforcement_case', ORG.townA, { caseNumber: 'C9', cause: 'x', actionType: '行政处罚', decidedOn: '2023-09-10', isMajor: true, legalReviewOn: '2023-09-01' }, { deleted: true });
    const opts = { orgId: ORG.townA, period: Y2023, defs: [] };
    const all = await metricRecords(s, 'enforcement_case.major_reviewed', opts, { page: 1, pageSize: 10 });
    expect(all).toEqual({ ids: [ids[0], ids[2], ids[4]], total: 3, kinds: ['enforcement_case'] });
    const p2 = await metricRecords(s, 'enforcement_case.major_reviewed', opts, { page: 2, pageSize: 2 });
    expect(p2.ids).toEqual([ids[4]]);
    expect(p2.total).toBe(3);
    const byNo = await metricRecords(s, 'enforcement_case.by_isMajor', { ...opts, value: '否' });
    expect(byNo.ids).toEqual([ids[1], ids[3]]);
    // A composite lists the records of each of its parts.
    await insertRecord(s, 'legal_consultation', ORG.townA, { consultedOn: '2023-06-01', channel: '热线', topic: '其他', persons: 2 });
    await insertRecord(s, 'publicity_activity', ORG.townA, { title: 'a', heldOn: '2023-06-01', activityType: '其他', participants: 3 });
    const comp = await metricRecords(s, 'beneficiaries', opts);
    expect(comp.total).toBe(2);
    expect(comp.kinds).toEqual(['publicity_activity', 'legal_consultation']);
  });

  it('compares the towns of a district with totals and ranks', async () => {
    const d = (org: number, result: string) => insertRecord(s, 'dispute', org, { registeredOn: '2023-02-01', source: '群众申请', disputeType: '邻里', result });
    await d(ORG.townA, '调解成功');
    await d(ORG.villageA, '调解不成功');
    await d(ORG.townB, '调解成功');
    await d(ORG.townB, '调解成功');
    await d(ORG.district, '调解成功'); // the district's own record belongs to no town
    const c = await compareTowns(s, ORG.district, Y2023, ['dispute.count', 'dispute.mediated', 'dispute.mediation_success_rate', 'dispute.by_result'], { defs: [] });
    expect(c.towns.map((t) => t.name)).toEqual(['庙行镇', '大场镇']);
    const [a, b] = c.towns;
    expect(a?.values).toMatchObject({ 'dispute.count': 2, 'dispute.mediated': 1, 'dispute.mediation_success_rate': 0.5 });
    expect(b?.values).toMatchObject({ 'dispute.count': 2, 'dispute.mediated': 2, 'dispute.mediation_success_rate': 1 });
    expect(a?.ranks).toMatchObject({ 'dispute.count': 1, 'dispute.mediated': 2, 'dispute.mediation_success_rate': 2, 'dispute.by_result': null });
    expect(b?.ranks).toMatchObject({ 'dispute.count': 1, 'dispute.mediated': 1, 'dispute.mediation_success_rate': 1 });
    expect(c.totals).toMatchObject({ 'dispute.count': 4, 'dispute.mediated': 3, 'dispute.mediation_success_rate': 0.75 });
    expect(c.totals['dispute.by_result']).toMatchObject({ 调解成功: 3, 调解不成功: 1 });
    expect(c.labels['dispute.mediated']).toEqual({ label: '成功调解矛盾纠纷', unit: '件' });
  });

  it('computes the whole default set in a handful of queries', async () => {
    await insertRecord(s, 'training', ORG.townA, { title: 'x', heldOn: '2023-05-01', trainingType: '其他', attendees: 5 });
    const { catalog } = buildMetricCatalog(BUILTIN_LEDGERS);
    const counted = countingStorage(s);
    // From the records (summaries off): what the planner alone does.
    const r = await computeMetrics(counted.storage, { orgId: ORG.townA, period: Y2023, defs: [], summaries: false });
    expect(Object.keys(r.values)).toHaveLength(catalog.size);
    expect(catalog.size).toBeGreaterThan(120);
    // One scan per (kind, date field, period) — 16 kinds, a few other date fields, last year for
    // the yoy figures, next year for tasks — plus one query per list metric: the two of the spec, next
    // year's tasks with their progress notes (part 四) and the narrative lists of issue 10
    // (core/metrics/narrative.ts), which a report computes only when its template names them.
    const lists = [...catalog.values()].filter((d) => d.type === 'list').length;
    expect(lists).toBe(3 + NARRATIVE_METRICS.length);
    expect(counted.count()).toBeLessThanOrEqual(22 + lists);
    // From the summaries, once built: the same figures, one small read per group plus the freshness check.
    await computeMetrics(s, { orgId: ORG.townA, period: Y2023, defs: [] });
    const warm = countingStorage(s);
    const fromSummaries = await computeMetrics(warm.storage, { orgId: ORG.townA, period: Y2023, defs: [] });
    expect(fromSummaries.values).toEqual(r.values);
    expect(warm.count()).toBeLessThanOrEqual(22 + lists + 3);
    expect(r.values['training.count']).toBe(1);
    expect(r.sources['enforcement_case.major_reviewed']).toMatchObject({
      kind: 'enforcement_case',
      dateField: 'legalReviewOn',
      filters: [{ field: 'isMajor', eq: true }],
      period: { from: '2023-01-01', to: '2023-12-31' },
      orgScope: { orgId: ORG.townA, includeDescendants: false },
    });
    expect(r.sources['enforcement_case.major_reviewed']?.explain).toContain('法制审核日期在2023年');
  });

  it('computes custom metrics over a custom kind', async () => {
    const custom = MEDIATION_ROOM;
    const ledgers = [...BUILTIN_LEDGERS, custom];
    await insertRecord(s, 'mediation_room', ORG.townA, { day: '2023-02-01', visitors: 3, kind2: '家事', note: '甲', room: '一号' }, { ledgers });
    await insertRecord(s, 'mediation_room', ORG.townA, { day: '2023-02-02', visitors: 4, kind2: '邻里', note: '乙', room: '二号' }, { ledgers });
    await insertRecord(s, 'mediation_room', ORG.townA, { day: '2023-02-03', visitors: 5, kind2: '家事', room: '一号' }, { ledgers });
    const r = await computeMetrics(s, {
      orgId: ORG.townA,
      period: Y2023,
      ledgers,
      defs: [
        { key: 'mediation_room.family_visitors', type: 'sum', kind: 'mediation_room', field: 'visitors', filters: [{ field: 'kind2', eq: '家事' }], label: '家事调解人数', unit: '人' },
        { key: 'mediation_room.by_room', type: 'by', kind: 'mediation_room', field: 'room', label: '按调解室', unit: '件' },
        { key: 'mediation_room.notes', type: 'list', kind: 'mediation_room', label: '备注', unit: '' },
      ],
      keys: ['mediation_room.count', 'mediation_room.sum_visitors', 'mediation_room.by_kind2', 'mediation_room.family_visitors', 'mediation_room.by_room', 'mediation_room.notes'],
    });
    expect(r.values).toEqual({
      'mediation_room.count': 3,
      'mediation_room.sum_visitors': 12,
      'mediation_room.by_kind2': { 家事: 2, 邻里: 1 },
      'mediation_room.family_visitors': 8,
      'mediation_room.by_room': { 一号: 2, 二号: 1 },
      'mediation_room.notes': ['甲', '乙'],
    });
  });
});
