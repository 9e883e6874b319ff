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
      '三、庙行镇党政主要负责人履行推进法治建设第一责任人职责的情况',
      '四、2024年推进法治政府建设的主要安排',
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
    expect(duties(none)).toContain('同比分别—、下降11.0%。');
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

  it('prints no-data figures as a dash with a warning beside the paragraph', () => {
    const values = { ...MIAOHANG_2023_VALUES, 'deputy_suggestion.satisfaction_rate': null };
    delete (values as Record<string, unknown>)['work_event.honour_titles'];
    const d = render(values);
    const oversight = d.sections[0]!.paragraphs.find((p) => p.id === 'oversight')!;
    expect(paragraphText(oversight)).toContain('满意率—；');
    expect(oversight.warnings).toEqual([
      { paragraphId: 'oversight', metricKey: 'deputy_suggestion.satisfaction_rate', message: '指标“deputy_suggestion.satisfaction_rate”无数据' },
    ]);
    expect(d.sections[0]!.paragraphs.map((p) => p.id)).not.toContain('honours');
    expect(d.warnings).toHaveLength(1);
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
    expect(d.sections[3]!.title).toBe('2025年推进法治政府建设的主要安排');
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
