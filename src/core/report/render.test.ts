import { describe, expect, it } from 'vitest';
import { DEFAULT_TEMPLATE } from './default-template';
import { MIAOHANG_2023_PHRASES, MIAOHANG_2023_VALUES } from './reference-values';
import { documentFigures, paragraphText, renderReport } from './render';
import { compileTemplate, templateToSource } from './template';

const render = (values = MIAOHANG_2023_VALUES, extra = {}) =>
  renderReport(DEFAULT_TEMPLATE, { orgName: '庙行镇', year: 2023, values, ...extra });

describe('renderReport with the default template', () => {
  const doc = render();
  const text = [doc.title, ...doc.opening.map(paragraphText), ...doc.sections.flatMap((s) => [s.number + s.title, ...s.paragraphs.map(paragraphText)])].join('\n');

  it('titles and numbers the four statutory parts', () => {
    expect(doc.title).toBe('庙行镇2023年法治政府建设情况报告');
    expect(doc.sections.map((s) => s.number + s.title)).toEqual([
      '一、2023年度推进法治政府建设的主要举措和成效',
      '二、2023年度推进法治政府建设存在的不足和原因',
      // 《法治政府建设与责任落实督察工作规定》 art. 25 (3), with the org unit and the year as in the reference report.
      '三、庙行镇党政主要负责人2023年度履行推进法治建设第一责任人职责，加强法治政府建设的有关情况',
      '四、庙行镇2024年推进法治政府建设的主要安排',
    ]);
    const measures = doc.sections[0]!.paragraphs.filter((p) => p.heading).map((p) => p.heading!.number);
    expect(measures).toEqual(['（一）', '（二）', '（三）', '（四）', '（五）', '（六）']);
  });

  it('contains each figure of the reference report in its sentence', () => {
    for (const phrase of MIAOHANG_2023_PHRASES) expect(text).toContain(phrase);
    expect(text).toContain('同比分别下降12.3%、11.0%');
    expect(text).toContain('获评“上海市平安示范社区”');
    expect(text).toContain('全年组织领导干部学法8次');
    expect(text).toContain('政府合同247件');
    expect(doc.warnings).toEqual([]);
  });

  it('writes the second year-on-year figure by its direction', () => {
    const up = render({ ...MIAOHANG_2023_VALUES, 'indicator.fraud_criminal_cases_yoy': 0.05 });
    const duties = (d: typeof up) => paragraphText(d.sections[0]!.paragraphs.find((p) => p.id === 'duties')!);
    expect(duties(up)).toContain('同比分别下降12.3%、上升5.0%。');
    const none = render({ ...MIAOHANG_2023_VALUES, 'indicator.fraud_110_calls_yoy': null });
    // Issue 10: `…同比分别—、—。` printed a dash; the sentence is left out instead.
    expect(duties(none)).not.toMatch(/—|同比分别|无数据/);
    expect(duties(none)).toContain('减少恶劣天气和突发情况对群众生活的影响。');
  });

  it('writes the town’s own words from its records, each sentence only where records exist', () => {
    const duties = doc.sections[0]!.paragraphs.find((p) => p.id === 'duties')!;
    expect(paragraphText(duties)).toContain('推动建立“片长、路长、专员”联勤联动机制，按片区明确片长、路长和专员职责，联合巡查、联合处置城市管理和平安问题。持续开展轨交1号线站点周边环境专项治理、架空线入地和合杆整治。');
    expect(paragraphText(duties)).toContain('处置汛期暴雨积水和市政管网满管');
    expect(duties.generated).toBe(true);
    expect(text).toContain('回复上海市宝山区人民检察院检察建议书6份');
    const without = render({ ...MIAOHANG_2023_VALUES, 'work_event.joint_titles': [], 'work_event.joint_descriptions': [] });
    const d2 = paragraphText(without.sections[0]!.paragraphs.find((p) => p.id === 'duties')!);
    expect(d2).toBe('（二）坚持依法履职，提升服务保障水平。持续开展轨交1号线站点周边环境专项治理、架空线入地和合杆整治。加强应急抢险和救援队伍建设，应对低温雨雪冰冻天气、处置汛期暴雨积水和市政管网满管，减少恶劣天气和突发情况对群众生活的影响。把打击治理电信网络诈骗作为守护群众财产安全的重点工作，健全宣传、劝阻、打击联动机制，全镇诈骗类“110”警情接警数和诈骗类刑事案件数同比分别下降12.3%、11.0%。');
  });

  it('marks figure runs with their metric key so the UI can link them', () => {
    const figures = documentFigures(doc);
    const major = figures.find((f) => f.metricKey === 'enforcement_case.major_reviewed');
    expect(major).toMatchObject({ display: '19', text: '19', noData: false, value: 19 });
    const contracts = figures.find((f) => f.entry === '政府合同');
    expect(contracts).toMatchObject({ metricKey: 'legality_review.by_reviewType', display: '247' });
  });

  it('draws part 4 from next year’s tasks only when they are given', () => {
    expect(doc.sections[3]!.paragraphs.map((p) => p.id)).not.toContain('plan-tasks');
    const withTasks = render({ ...MIAOHANG_2023_VALUES, 'task.next_year_titles': ['法治讲座进园区', '执法人员轮训'] });
    const plans = withTasks.sections[3]!.paragraphs;
    expect(plans[0]!.id).toBe('plan-tasks');
    expect(paragraphText(plans[0]!)).toBe('2024年，我镇已将“法治讲座进园区”、“执法人员轮训”等列为年度法治政府建设重点任务，明确牵头部门和完成时限，逐项推进落实。');
    expect(plans[1]!.heading?.number).toBe('（一）');
  });

  it('leaves a sentence with a figure without data out of the text, listed in the warnings (no dash)', () => {
    const values = { ...MIAOHANG_2023_VALUES, 'deputy_suggestion.satisfaction_rate': null };
    delete (values as Record<string, unknown>)['work_event.honour_titles'];
    const d = render(values);
    const oversight = d.sections[0]!.paragraphs.find((p) => p.id === 'oversight')!;
    const printed = paragraphText(oversight);
    expect(printed).not.toMatch(/—|满意率|无数据/);
    // Only the clause (up to ；) goes: the next one, about the 检察建议, stays.
    expect(printed).toBe('（五）自觉接受各方监督，规范行政权力运行。回复上海市宝山区人民检察院检察建议书6份，对所提问题逐项整改到位。依法办理政府信息公开申请12件。落实行政机关负责人出庭应诉制度，全年应对行政复议、行政诉讼案件3件。');
    expect(oversight.warnings).toEqual([
      { paragraphId: 'oversight', metricKey: 'deputy_suggestion.satisfaction_rate', message: '指标“deputy_suggestion.satisfaction_rate”无数据，所在句子未写入报告', kind: 'omitted' },
    ]);
    // The sentence is kept for the editor, where it stood, with the mark.
    expect(oversight.withheld).toHaveLength(1);
    expect(oversight.withheld![0]!.at).toBe(0);
    expect(oversight.withheld![0]!.runs.map((r) => r.text).join('')).toBe('主动接受人大监督、民主监督、司法监督和社会监督，全年办理区、镇人大代表建议和区政协委员提案6件，代表委员对办理结果满意率【无数据】；');
    // A clause left out before the sentence's end: the clause before it ends the sentence instead.
    const lastClause = render({ ...MIAOHANG_2023_VALUES, 'legal_consultation.persons': null });
    const grassroots = paragraphText(lastClause.sections[0]!.paragraphs.find((p) => p.id === 'grassroots')!);
    expect(grassroots).toContain('发放宣传资料和宣传品11150份。坚持和发展新时代');
    expect(d.sections[0]!.paragraphs.map((p) => p.id)).not.toContain('honours');
    expect(d.warnings).toHaveLength(1);
  });

  it('in mark mode keeps the same printed text and makes the warning a blocking noData one', () => {
    const values = { ...MIAOHANG_2023_VALUES, 'deputy_suggestion.satisfaction_rate': null };
    const omit = render(values);
    const mark = render(values, { noData: 'mark' });
    expect(mark.sections.map((s) => s.paragraphs.map(paragraphText))).toEqual(omit.sections.map((s) => s.paragraphs.map(paragraphText)));
    expect(mark.warnings.map((w) => w.kind)).toEqual(['noData']);
  });

  it('attaches consistency warnings by paragraph id or by the figure they concern', () => {
    const d = render(MIAOHANG_2023_VALUES, {
      warnings: [
        { metricKey: 'legality_review.by_reviewType', message: '各类型合计（260）与总数不一致' },
        { paragraphId: 'shortcomings', metricKey: 'x', message: '提示' },
        { paragraphId: 'nowhere', metricKey: 'y', message: '孤立' },
      ],
      nextYear: 2025,
    });
    const rules = d.sections[0]!.paragraphs.find((p) => p.id === 'rules')!;
    expect(rules.warnings.map((w) => w.message)).toEqual(['各类型合计（260）与总数不一致']);
    expect(d.sections[1]!.paragraphs[0]!.warnings.map((w) => w.message)).toEqual(['提示']);
    expect(d.warnings.map((w) => w.message)).toContain('孤立');
    expect(d.sections[3]!.title).toBe('庙行镇2025年推进法治政府建设的主要安排');
  });
});

describe('compileTemplate', () => {
  it('round-trips the default template through its editable source', () => {
    const r = compileTemplate(templateToSource(DEFAULT_TEMPLATE));
    expect(r).toEqual({ ok: true, template: DEFAULT_TEMPLATE });
  });

  it('checks the statutory structure, ids and syntax, in Chinese', () => {
    const src = templateToSource(DEFAULT_TEMPLATE);
    src.parts = [src.parts[0]!, src.parts[2]!, src.parts[1]!, src.parts[3]!];
    src.parts[0]!.paragraphs[1]!.id = 'organisation';
    src.parts[0]!.paragraphs[0]!.text = '共{{training.count|pct:x}}';
    src.parts[0]!.paragraphs[0]!.heading = '{{training.count}}';
    src.title = '{{org}}{{year}}年{{training.count}}';
    const r = compileTemplate(src);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const messages = r.errors.map((e) => `${e.path}: ${e.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^parts: 报告应依次包含四个法定部分/),
        expect.stringMatching(/^parts\[0\]\.paragraphs\[1\]\.id: 段落编号“organisation”重复/),
        expect.stringMatching(/^parts\[0\]\.paragraphs\[0\]\.text: .*小数位数/),
        expect.stringMatching(/^parts\[0\]\.paragraphs\[0\]\.heading: .*只能使用变量/),
        expect.stringMatching(/^title: .*只能使用变量/),
      ]),
    );
  });

  it('accepts the optional fifth part and rejects unknown metrics given a catalog', () => {
    const src = templateToSource(DEFAULT_TEMPLATE);
    src.parts.push({ key: 'other', heading: '其他需要报告的情况', paragraphs: [{ id: 'other', text: '无。' }] });
    expect(compileTemplate(src).ok).toBe(true);
    const r = compileTemplate(src, { isKnownMetric: (k) => k !== 'beneficiaries' && k !== 'task.next_year_titles' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.message)).toEqual([
        expect.stringContaining('未知的指标“beneficiaries”'),
        expect.stringContaining('未知的指标“task.next_year_titles”'),
        '显示条件中的指标“task.next_year_titles”未知',
      ]);
  });
});
