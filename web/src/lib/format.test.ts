import { describe, expect, it } from 'vitest';
import { deadlineTagType, describeUserAgent, dueText, formatDateTime, formatFigure, rateText, yoyText } from './format';
import { buildMenu } from './menu';
import { BUILTIN_LEDGERS } from '../../../src/core/ledgers/kinds';
import type { User } from '../api/types';

describe('format', () => {
  it('words year-on-year changes like the report', () => {
    expect(yoyText(-0.1234)).toBe('同比下降12.3%');
    expect(yoyText(0.05)).toBe('同比上升5.0%');
    expect(yoyText(0)).toBe('同比持平');
    expect(yoyText(null)).toBe('同比无数据');
  });
  it('shows rates with one decimal and no-data for empty denominators', () => {
    expect(rateText(1)).toBe('100.0%');
    expect(rateText(null)).toBe('无数据');
    expect(formatFigure(3405, '人次')).toBe('3,405人次');
    expect(formatFigure(null)).toBe('无数据');
  });
  it('colours deadline states', () => {
    expect(['正常', '临期', '逾期', '按期办结'].map(deadlineTagType)).toEqual(['success', 'warning', 'danger', 'info']);
  });
  it('words due dates relative to today', () => {
    const today = new Date(2024, 2, 10);
    expect(dueText('2024-03-12', today)).toBe('2天后到期');
    expect(dueText('2024-03-10', today)).toBe('今天到期');
    expect(dueText('2024-03-01', today)).toBe('已逾期9天');
  });
});

describe('buildMenu', () => {
  const base: User = {
    id: 1, username: 'u', displayName: 'u', role: 'clerk', roleLabel: '部门填报员', orgId: 1, orgName: '庙行镇', orgCode: 'mh',
    deptId: 1, deptName: '司法所', can: { write: true, review: false, admin: false, district: false },
  };
  it('shows a clerk only the home page, the ledgers and the 督办 of their department', () => {
    expect(buildMenu(base, BUILTIN_LEDGERS).map((g) => g.label)).toEqual(['工作台', '台账', '督办']);
    expect(buildMenu(base, BUILTIN_LEDGERS)[1]!.items).toHaveLength(16);
  });
  it('adds reports, district and administration by permission', () => {
    const admin = { ...base, role: 'admin' as const, can: { write: true, review: true, admin: true, district: true } };
    expect(buildMenu(admin, BUILTIN_LEDGERS).map((g) => g.label)).toEqual(['工作台', '台账', '督办', '报告', '区级对比', '系统管理']);
  });
  it('shows an adviser only the ledger the role may read, and no 督办', () => {
    const adviser = { ...base, role: 'adviser' as const, deptId: null, can: { write: false, review: false, admin: false, district: false } };
    const menu = buildMenu(adviser, BUILTIN_LEDGERS);
    expect(menu.map((g) => g.label)).toEqual(['工作台', '台账', '报告']);
    expect(menu[1]!.items.map((i) => i.label)).toEqual(['合法性审核']);
  });
});

describe('formatMetric', () => {
  it('words rates and year-on-year metrics as percentages', async () => {
    const { formatMetric } = await import('./format');
    expect(formatMetric('deputy_suggestion.satisfaction_rate', 0.8333)).toBe('83.3%');
    expect(formatMetric('indicator.fraud_110_calls_yoy', -0.123)).toBe('同比下降12.3%');
    expect(formatMetric('indicator.fraud_110_calls_yoy', null)).toBe('同比无数据');
    expect(formatMetric('publicity_activity.materials', 11150, '份')).toBe('11,150份');
  });
});

describe('formatDateTime', () => {
  it('shows a stored UTC instant as Beijing time, minutes only', () => {
    expect(formatDateTime('2026-03-16T06:05:41.123Z')).toBe('2026-03-16 14:05');
    // Past midnight in Beijing is the next day there.
    expect(formatDateTime('2026-03-16T16:30:00Z')).toBe('2026-03-17 00:30');
    expect(formatDateTime(null)).toBe('');
  });
});

describe('describeUserAgent', () => {
  it('names the browser and the system without machine tokens', () => {
    expect(describeUserAgent('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.6099.28 Safari/537.36')).toBe('Chrome 120（Linux）');
    expect(describeUserAgent('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36 Edg/124.0.2478.51')).toBe('Edge 124（Windows）');
    expect(describeUserAgent('Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47')).toBe('微信 8（iOS）');
    expect(describeUserAgent(null)).toBe('未知浏览器');
  });
});
