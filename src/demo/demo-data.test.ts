import { describe, expect, it } from 'vitest';
import { BUILTIN_LEDGERS } from '../core/ledgers/kinds';
import type { Condition, LedgerDef } from '../core/ledgers/types';
import { dueAfter, workdaysBetween } from './dates';
import { DEMO_ORG, DEMO_SECOND_TOWN, DEMO_TOWNS, generateDemoData, generateDemoTowns } from './demo-data';
import type { ExchangeLine } from './exchange';
import { inYear, ofKind } from './test-helpers';
import { validateLines } from './validate';

const TODAY = '2026-11-27';
const opts = { year: 2026, today: TODAY, seed: 7 };
const miaohang = generateDemoData(opts);
const dachang = generateDemoData({ ...opts, town: 'dachang' });

function holds(c: Condition, line: ExchangeLine): boolean {
  const v = line[c.field];
  if ('eq' in c) return v === c.eq;
  if ('in' in c) return c.in.includes(v as string);
  if ('notIn' in c) return !c.notIn.includes(v as string);
  return (v !== undefined) === c.present;
}

/**
 * The dashboard state of a record on `today`, derived from the kind's deadline rules alone (not from
 * the generators): the running rule is the first applicable one whose done field is empty.
 */
function deadlineState(def: LedgerDef, line: ExchangeLine, today: string): string | null {
  const rules = (def.deadlines ?? []).filter((r) => (r.when ?? []).every((c) => holds(c, line)));
  if (rules.length === 0) return null;
  if (def.flow?.states.find((s) => s.key === line.status)?.stopsClock) return '暂停';
  const running = rules.find((r) => line[r.doneField] === undefined);
  const rule = running ?? rules[rules.length - 1];
  if (!rule) return null;
  const variant = rule.variants?.find((v) => v.when.every((c) => holds(c, line)));
  const base = variant?.period ?? rule.period;
  const extended = rule.extension?.flagField !== undefined && line[rule.extension.flagField] === true;
  const period = extended && rule.extension ? { amount: base.amount + rule.extension.period.amount, unit: base.unit } : base;
  const due = dueAfter(String(line[rule.startField]), period);
  if (!running) return String(line[rule.doneField]) <= due ? '按期办结' : '逾期办结';
  if (due < today) return '逾期';
  return workdaysBetween(today, due) <= 3 ? '临期' : '正常';
}

describe('generateDemoData', () => {
  it('is valid against the ledger definitions for both towns', () => {
    expect(validateLines(miaohang, BUILTIN_LEDGERS, DEMO_ORG.depts)).toEqual([]);
    expect(validateLines(dachang, BUILTIN_LEDGERS, DEMO_SECOND_TOWN.depts)).toEqual([]);
  });

  it('exports the district, the two towns and their departments', () => {
    expect(DEMO_ORG.district).toEqual({ code: 'baoshan', name: '宝山区' });
    expect(DEMO_ORG.town).toEqual({ code: 'miaohang', name: '庙行镇' });
    expect(DEMO_SECOND_TOWN.town).toEqual({ code: 'dachang', name: '大场镇' });
    expect(DEMO_ORG.depts).toContain('司法所');
    expect(DEMO_TOWNS.map((t) => t.code)).toEqual(['miaohang', 'dachang']);
    const both = generateDemoTowns(opts);
    expect(both[0]?.lines).toEqual(miaohang);
    expect(both[1]?.lines).toEqual(dachang);
  });

  it('has every kind, a few thousand records, and a smaller second town', () => {
    for (const def of BUILTIN_LEDGERS) {
      expect(ofKind(miaohang, def.kind).filter((l) => inYear(l[def.occurredOn], 2026)).length, def.kind).toBeGreaterThan(0);
      expect(ofKind(dachang, def.kind).length, def.kind).toBeGreaterThan(0);
    }
    expect(miaohang.length).toBeGreaterThan(1500);
    expect(miaohang.length + dachang.length).toBeLessThan(6000);
    expect(dachang.length).toBeLessThan(miaohang.length * 0.7);
    // The previous year is there too, for year-on-year figures.
    expect(ofKind(miaohang, 'publicity_activity').filter((l) => inYear(l.heldOn, 2025)).length).toBeGreaterThan(100);
    // Two fraud indicators monthly; since the disclosure report, the fee indicators quarterly and yearly (4 + 1).
    expect(ofKind(miaohang, 'indicator').filter((l) => inYear(l.period, 2025) && String(l.code).startsWith('fraud_')).length).toBe(24);
    expect(ofKind(miaohang, 'indicator').filter((l) => inYear(l.period, 2025)).length).toBe(29);
  });

  it('dates nothing after today except future deadlines', () => {
    const future = new Set(['dueOn', 'expiresOn', 'effectiveOn']);
    for (const l of [...miaohang, ...dachang]) {
      for (const [k, v] of Object.entries(l)) {
        if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && !future.has(k)) expect(v <= TODAY, `${l.kind}.${k}=${v}`).toBe(true);
      }
    }
  });

  it('has matters in every deadline state for every kind with a time limit', () => {
    for (const def of BUILTIN_LEDGERS.filter((d) => (d.deadlines ?? []).length > 0)) {
      const states = new Set(ofKind(miaohang, def.kind).map((l) => deadlineState(def, l, TODAY)));
      for (const s of ['正常', '临期', '逾期', '按期办结', '逾期办结']) expect(states.has(s), `${def.kind} ${s}`).toBe(true);
    }
    // Mostly closed on time, as in a working town.
    const reviews = ofKind(miaohang, 'legality_review');
    const def = BUILTIN_LEDGERS.find((d) => d.kind === 'legality_review') as LedgerDef;
    expect(reviews.filter((l) => deadlineState(def, l, TODAY) === '按期办结').length / reviews.length).toBeGreaterThan(0.8);
  });

  it('shows open matters in several flow states', () => {
    const states = (kind: string): Set<unknown> => new Set(ofKind(miaohang, kind).map((l) => l.status));
    expect(states('legality_review')).toEqual(new Set(['送审', '审核中', '出具意见', '办结']));
    expect(states('petition')).toEqual(new Set(['登记', '受理', '办理中', '办结']));
    expect([...states('deputy_suggestion')]).toEqual(expect.arrayContaining(['办理中', '已答复', '已反馈']));
    expect([...states('disclosure_request')]).toEqual(expect.arrayContaining(['收到', '已答复']));
  });

  it('gives both towns a year of disclosure requests with every outcome of the national format', () => {
    for (const lines of [miaohang, dachang]) {
      const replied = ofKind(lines, 'disclosure_request').filter((l) => inYear(l.repliedOn, 2025));
      expect(new Set(replied.map((l) => l.replyType))).toEqual(new Set(['予以公开', '部分公开', '不予公开', '无法提供', '不予处理', '其他处理']));
      expect(replied.every((l) => typeof l.applicantType === 'string')).toBe(true);
      // Requests cross the year boundary (结转下年度, then 上年结转), into and out of the complete year.
      expect(ofKind(lines, 'disclosure_request').some((l) => inYear(l.receivedOn, 2025) && inYear(l.repliedOn, 2026))).toBe(true);
      expect(ofKind(lines, 'disclosure_request').some((l) => inYear(l.receivedOn, 2024) && inYear(l.repliedOn, 2025))).toBe(true);
      expect(ofKind(lines, 'litigation').some((l) => l.disclosureRelated === true && inYear(l.receivedOn, 2025))).toBe(true);
    }
  });

  it('is deterministic per seed and differs between seeds', () => {
    expect(generateDemoData(opts)).toEqual(miaohang);
    expect(generateDemoData({ ...opts, seed: 8 })).not.toEqual(miaohang);
  });

  it('works early in a year and refuses a today before the year', () => {
    const early = generateDemoData({ year: 2026, today: '2026-01-06', seed: 1 });
    expect(validateLines(early, BUILTIN_LEDGERS, DEMO_ORG.depts)).toEqual([]);
    expect(early.every((l) => Object.entries(l).every(([k, v]) => k === 'dueOn' || k === 'expiresOn' || k === 'effectiveOn' || typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v) || v <= '2026-01-06'))).toBe(true);
    expect(() => generateDemoData({ year: 2027, today: TODAY })).toThrow();
  });
});
