import { describe, expect, it } from 'vitest';
import { formatFigure, formatList, formatPercent, formatYoy, hasData } from './format';

describe('formatPercent', () => {
  it('trims to at most one decimal', () => {
    expect(formatPercent(1)).toBe('100%');
    expect(formatPercent(0.125)).toBe('12.5%');
    expect(formatPercent(1 / 3)).toBe('33.3%');
    expect(formatPercent(0.9996)).toBe('100%');
    expect(formatPercent(0)).toBe('0%');
  });
  it('writes fixed decimals when asked', () => {
    expect(formatPercent(1, 1)).toBe('100.0%');
    expect(formatPercent(0.98765, 2)).toBe('98.77%');
    expect(formatPercent(0.5, 0)).toBe('50%');
  });
});

describe('formatYoy', () => {
  it('words decreases, increases and no change', () => {
    expect(formatYoy(-0.123, 'full')).toBe('同比下降12.3%');
    expect(formatYoy(0.05, 'full')).toBe('同比上升5.0%');
    expect(formatYoy(0, 'full')).toBe('与上年持平');
    expect(formatYoy(0.0004, 'full')).toBe('与上年持平');
  });
  it('has a bare variant for 同比分别下降…、…', () => {
    expect(formatYoy(-0.11, 'bare')).toBe('下降11.0%');
    expect(formatYoy(1.5, 'bare')).toBe('上升150.0%');
    expect(formatYoy(-0.0001, 'bare')).toBe('持平');
  });
  it('drops the direction word when it repeats the previous figure’s (style same)', () => {
    expect(formatYoy(-0.11, 'same', -1)).toBe('11.0%');
    expect(formatYoy(0.05, 'same', -1)).toBe('上升5.0%');
    expect(formatYoy(-0.11, 'same', undefined)).toBe('下降11.0%');
    expect(formatYoy(0, 'same', 0)).toBe('持平');
  });
});

describe('formatFigure', () => {
  it('formats integers and fixed decimals', () => {
    expect(formatFigure('k', 751, { kind: 'int' })).toEqual({ noData: false, display: '751' });
    expect(formatFigure('k', 12.6, { kind: 'int' }).display).toBe('13');
    expect(formatFigure('k', 1234.5, { kind: 'num', decimals: 2 }).display).toBe('1234.50');
  });
  it('joins lists with 、 and quotes', () => {
    expect(formatList(['甲', '乙'], false)).toBe('“甲”、“乙”');
    expect(formatFigure('k', ['甲', '乙'], { kind: 'list', plain: true }).display).toBe('甲、乙');
  });
  it('picks one value of a by_ metric, missing values counting zero', () => {
    const v = { 政府合同: 247, 重大行政决策: 6 };
    expect(formatFigure('k', v, { kind: 'int' }, '政府合同').display).toBe('247');
    expect(formatFigure('k', v, { kind: 'int' }, '其他事项').display).toBe('0');
  });
  it('renders no data as the editor mark 【无数据】 with a Chinese reason, never as a number or a dash', () => {
    const r = formatFigure('deputy_suggestion.satisfaction_rate', null, { kind: 'pct' });
    expect(r).toEqual({ noData: true, display: '【无数据】', reason: '指标“deputy_suggestion.satisfaction_rate”无数据' });
    const missing = formatFigure('x.y', undefined, { kind: 'int' });
    expect(missing.noData && missing.reason).toContain('未提供');
    const wrong = formatFigure('x.y', ['a'], { kind: 'int' });
    expect(wrong.noData && wrong.reason).toContain('不是数值');
    const empty = formatFigure('x.y', [], { kind: 'list', plain: false });
    expect(empty.noData).toBe(true);
    expect(formatFigure('x.y', 3, { kind: 'int' }, '甲').noData).toBe(true);
    expect(formatFigure('x.y', null, { kind: 'int' }, undefined, '（无数据）').display).toBe('（无数据）');
  });
  it('writes record descriptions as sentences of their own (list:sentences)', () => {
    expect(formatFigure('k', ['按片区巡查。', '联合处置，'], { kind: 'list', plain: true, sentences: true }).display).toBe('按片区巡查。联合处置。');
  });
});

describe('hasData', () => {
  it('treats null, absent, empty lists and empty breakdowns as no data, and 0 as data', () => {
    expect(hasData(null)).toBe(false);
    expect(hasData(undefined)).toBe(false);
    expect(hasData([])).toBe(false);
    expect(hasData({})).toBe(false);
    expect(hasData(0)).toBe(true);
    expect(hasData(['a'])).toBe(true);
  });
});

describe('formatList nesting', () => {
  it('turns inner double quotes into single quotes inside a quoted item', () => {
    expect(formatList(['组织专家进园区开展“法治体检”', '普法'], false)).toBe('“组织专家进园区开展‘法治体检’”、“普法”');
    expect(formatList(['开展“法治体检”'], true)).toBe('开展“法治体检”');
  });
});
