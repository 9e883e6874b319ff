import { describe, expect, it } from 'vitest';
import { parseParagraph, parseParagraphOrThrow, serializeParagraph, TemplateSyntaxError } from './syntax';
import type { FigureFormat, Segment } from './types';

describe('parseParagraph', () => {
  it('parses text, metrics with formats, entries and variables', () => {
    const r = parseParagraph('{{year}}年组织专题培训{{training.enforcement_sessions|int}}期，满意率{{ deputy_suggestion.satisfaction_rate | pct }}，政府合同{{legality_review.by_reviewType[政府合同]}}件');
    expect(r).toEqual({
      ok: true,
      segments: [
        { type: 'var', name: 'year' },
        { type: 'text', text: '年组织专题培训' },
        { type: 'metric', key: 'training.enforcement_sessions', format: { kind: 'int' } },
        { type: 'text', text: '期，满意率' },
        { type: 'metric', key: 'deputy_suggestion.satisfaction_rate', format: { kind: 'pct' } },
        { type: 'text', text: '，政府合同' },
        { type: 'metric', key: 'legality_review.by_reviewType', entry: '政府合同', format: { kind: 'int' } },
        { type: 'text', text: '件' },
      ],
    });
  });

  it('knows every format and its arguments', () => {
    const fmt = (spec: string): FigureFormat => {
      const [s] = parseParagraphOrThrow(`{{a.b|${spec}}}`);
      if (s?.type !== 'metric') throw new Error('not a metric');
      return s.format;
    };
    expect(fmt('num')).toEqual({ kind: 'num', decimals: 2 });
    expect(fmt('num:0')).toEqual({ kind: 'num', decimals: 0 });
    expect(fmt('pct:1')).toEqual({ kind: 'pct', decimals: 1 });
    expect(fmt('yoy')).toEqual({ kind: 'yoy', style: 'full' });
    expect(fmt('yoy:bare')).toEqual({ kind: 'yoy', style: 'bare' });
    expect(fmt('yoy:same')).toEqual({ kind: 'yoy', style: 'same' });
    expect(fmt('list')).toEqual({ kind: 'list', plain: false });
    expect(fmt('list:plain')).toEqual({ kind: 'list', plain: true });
  });

  it('reports every problem in Chinese with its position', () => {
    const src = '共{{a.b|percent}}件，{{year|int}}，{{pct:9}}{{x.y|pct:9}}';
    const r = parseParagraph(src);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.offset)).toEqual(['{{a.b', '{{year', '{{pct', '{{x.y'].map((p) => src.indexOf(p)));
    expect(r.errors[0]!.message).toContain('未知的格式“percent”');
    expect(r.errors[0]!.message).toContain('第2个字符处');
    expect(r.errors[1]!.message).toContain('变量“year”不能带格式');
    expect(r.errors[2]!.message).toContain('指标名“pct:9”不合法');
    expect(r.errors[3]!.message).toContain('小数位数');
  });

  it('rejects unknown metric keys when given the catalog', () => {
    const known = new Set(['training.enforcement_sessions']);
    const r = parseParagraph('{{training.enforcement_sessions|int}}期{{training.sessions|int}}期', { isKnownMetric: (k) => known.has(k) });
    expect(r).toEqual({ ok: false, errors: [{ offset: 38, message: '第39个字符处：未知的指标“training.sessions”' }] });
  });

  it('rejects an unclosed placeholder, an empty one and metrics where only variables are allowed', () => {
    expect(parseParagraph('共{{a.b|int件')).toMatchObject({ ok: false, errors: [{ message: expect.stringContaining('缺少结尾') }] });
    expect(parseParagraph('{{ }}')).toMatchObject({ ok: false, errors: [{ message: expect.stringContaining('没有写指标名') }] });
    expect(parseParagraph('{{a.b|}}')).toMatchObject({ ok: false, errors: [{ message: expect.stringContaining('缺少格式') }] });
    expect(parseParagraph('{{org}}{{a.b}}', { allowMetrics: false })).toMatchObject({
      ok: false,
      errors: [{ message: expect.stringContaining('只能使用变量') }],
    });
    expect(() => parseParagraphOrThrow('{{a.b|foo}}')).toThrow(TemplateSyntaxError);
  });

  it('reads escapes and leaves lone braces alone', () => {
    expect(parseParagraphOrThrow('a\\{{b}} {c} \\\\ }}')).toEqual([{ type: 'text', text: 'a{{b}} {c} \\ }}' }]);
  });
});

describe('serializeParagraph', () => {
  const cases: Segment[][] = [
    [{ type: 'text', text: '全年组织专题培训' }, { type: 'metric', key: 'training.enforcement_sessions', format: { kind: 'int' } }, { type: 'text', text: '期' }],
    [
      { type: 'text', text: '同比分别' },
      { type: 'metric', key: 'indicator.fraud_110_calls_yoy', format: { kind: 'yoy', style: 'bare' } },
      { type: 'text', text: '、' },
      { type: 'metric', key: 'indicator.fraud_criminal_cases_yoy', format: { kind: 'yoy', style: 'same' } },
    ],
    [{ type: 'var', name: 'org' }, { type: 'text', text: '获评' }, { type: 'metric', key: 'work_event.honour_titles', format: { kind: 'list', plain: false } }],
    [{ type: 'metric', key: 'x.by_y', entry: '调解成功', format: { kind: 'pct', decimals: 2 } }, { type: 'var', name: 'nextYear' }],
    [{ type: 'text', text: '{' }, { type: 'metric', key: 'a.sum_b', format: { kind: 'num', decimals: 2 } }, { type: 'text', text: '}{{x}}\\{' }],
    [{ type: 'text', text: '结尾是反斜杠\\' }, { type: 'var', name: 'prevYear' }, { type: 'metric', key: 'beneficiaries', format: { kind: 'list', plain: true } }],
  ];
  it.each(cases.map((c, i) => [i, c] as const))('round-trips case %i', (_i, segments) => {
    const text = serializeParagraph(segments);
    expect(parseParagraphOrThrow(text)).toEqual(segments);
    expect(serializeParagraph(parseParagraphOrThrow(text))).toBe(text);
  });

  it('round-trips generated paragraphs', () => {
    // A deterministic generator: every combination of awkward characters next to placeholders.
    const pieces = ['{', '}', '\\', '{{', '}}', '件', ' ', '|', '[', ']'];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let n = 0; n < 300; n++) {
      const segs: Segment[] = [];
      const len = 1 + (next() % 5);
      for (let i = 0; i < len; i++) {
        if (next() % 2 === 0 && segs[segs.length - 1]?.type !== 'text') {
          const t = Array.from({ length: 1 + (next() % 4) }, () => pieces[next() % pieces.length]).join('');
          segs.push({ type: 'text', text: t });
        } else if (next() % 3 === 0) segs.push({ type: 'var', name: 'year' });
        else segs.push({ type: 'metric', key: 'k.count', format: { kind: 'pct' } });
      }
      expect(parseParagraphOrThrow(serializeParagraph(segs))).toEqual(segs);
    }
  });

  it('writes the canonical form of a bare metric', () => {
    expect(serializeParagraph(parseParagraphOrThrow('{{beneficiaries}}人'))).toBe('{{beneficiaries|int}}人');
  });
});
