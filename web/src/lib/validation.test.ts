import { describe, expect, it } from 'vitest';
import { BUILTIN_LEDGERS } from '../../../src/core/ledgers/kinds';
import type { LedgerDef } from '@core/ledgers/types';
import { buildRules, serverFieldErrors, validateField, validateRecord } from './validation';
import { formModel, toPayload } from './fieldValues';

const training = BUILTIN_LEDGERS.find((d) => d.kind === 'training') as LedgerDef;
const field = (key: string) => training.fields.find((f) => f.key === key)!;

describe('validateField', () => {
  it('asks for required fields in Chinese, naming the label', () => {
    expect(validateField(field('title'), '')).toBe('请填写主题');
    expect(validateField(field('title'), '   ')).toBe('请填写主题');
    expect(validateField(field('hours'), null)).toBeNull();
  });
  it('checks integers, money, dates and months', () => {
    expect(validateField(field('attendees'), -1)).toBe('必须是不小于0的整数');
    expect(validateField(field('attendees'), 2.5)).toBe('必须是不小于0的整数');
    expect(validateField(field('attendees'), '24')).toBeNull();
    expect(validateField(field('attendees'), '-5')).toBe('必须是不小于0的整数');
    expect(validateField(field('attendees'), '2.5')).toBe('必须是不小于0的整数');
    expect(validateField({ key: 'a', label: '金额', type: 'money' }, 12.345)).toBe('金额最多两位小数');
    expect(validateField({ key: 'a', label: '金额', type: 'money' }, '-1')).toBe('金额不能为负数');
    expect(validateField({ key: 'a', label: '金额', type: 'money' }, 12.34)).toBeNull();
    // The server's messages (core validateRecordData), without the label the form item shows.
    expect(validateField(field('heldOn'), '2023-02-30')).toBe('不是有效日期（YYYY-MM-DD）');
    expect(validateField(field('heldOn'), '2023-2-3')).toBe('不是有效日期（YYYY-MM-DD）');
    expect(validateField(field('heldOn'), '2023-02-28')).toBeNull();
    expect(validateField({ key: 'p', label: '期间', type: 'month' }, '2023-13')).toMatch(/^不是有效月份|^必须是月份/);
  });
  it('only accepts listed options for enums', () => {
    expect(validateField(field('trainingType'), '培训')).toMatch(/^必须是以下之一：执法人员培训/);
    expect(validateField(field('trainingType'), '警示教育')).toBeNull();
    expect(validateField({ key: 'm', label: 'm', type: 'multienum', options: ['a', 'b'] }, ['a', 'c'])).toBe('每一项必须是以下之一：a、b');
  });
  it('enforces text length limits', () => {
    expect(validateField({ key: 't', label: 't', type: 'text', maxLength: 3 }, 'abcd')).toBe('不能超过3个字');
  });
});

describe('validateRecord and buildRules', () => {
  it('reports every invalid field of a new record', () => {
    const errors = validateRecord(training, formModel(training));
    expect(Object.keys(errors).sort()).toEqual(['attendees', 'heldOn', 'title', 'trainingType']);
  });
  it('produces one Element Plus validator per field that calls back with the message', () => {
    const rules = buildRules(training);
    expect(Object.keys(rules)).toEqual(training.fields.map((f) => f.key));
    const rule = rules.attendees![0]!;
    expect(rule.required).toBe(true);
    const seen: (string | undefined)[] = [];
    rule.validator(null, 'x', (e) => seen.push(e?.message));
    rule.validator(null, 3, (e) => seen.push(e?.message));
    expect(seen).toEqual(['必须是不小于0的整数', undefined]);
    expect(rules.trainingType![0]!.trigger).toEqual(['change']);
  });
});

describe('serverFieldErrors', () => {
  it('maps the API fields to form keys and drops the label prefix', () => {
    expect(
      serverFieldErrors([
        { field: 'attendees', label: '参训人次', message: '参训人次：必须是不小于0的整数' },
        { field: 'data.title', message: '不能为空' },
      ]),
    ).toEqual({ attendees: '必须是不小于0的整数', title: '不能为空' });
  });
});

describe('form model and payload', () => {
  it('fills defaults and turns blanks into nulls and numeric strings into numbers', () => {
    const consult = BUILTIN_LEDGERS.find((d) => d.kind === 'legal_consultation')!;
    const model = formModel(consult);
    expect(model.persons).toBe(1);
    const payload = toPayload(training, { ...formModel(training), title: ' 培训 ', attendees: '24', hours: '' });
    expect(payload).toMatchObject({ title: '培训', attendees: 24, hours: null, heldOn: null });
  });
});
