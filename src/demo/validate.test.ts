import { describe, expect, it } from 'vitest';
import { BUILTIN_LEDGERS } from '../core/ledgers/kinds';
import type { ExchangeLine } from './exchange';
import { validateLine, validateLines } from './validate';

const DEPTS = ['司法所', '党政办公室'];
const ok: ExchangeLine = { kind: 'training', dept: '司法所', title: '行政处罚法专题培训', heldOn: '2023-03-14', trainingType: '执法人员培训', attendees: 24 };

describe('validateLine', () => {
  it('accepts the spec example line', () => {
    expect(validateLine(ok, BUILTIN_LEDGERS, DEPTS)).toEqual([]);
  });

  it('names each problem: kind, field, type, enum, date, required, department', () => {
    expect(validateLine({ ...ok, kind: 'nope' }, BUILTIN_LEDGERS, DEPTS)).toEqual(['未知台账类型：nope']);
    expect(validateLine({ ...ok, colour: 'red' }, BUILTIN_LEDGERS, DEPTS)).toEqual(['未知字段：colour']);
    expect(validateLine({ ...ok, attendees: -1 }, BUILTIN_LEDGERS, DEPTS)).toEqual(['参训人次（attendees）：必须是不小于0的整数']);
    expect(validateLine({ ...ok, trainingType: '培训' }, BUILTIN_LEDGERS, DEPTS)[0]).toContain('不在可选值中');
    expect(validateLine({ ...ok, heldOn: '2023-02-30' }, BUILTIN_LEDGERS, DEPTS)[0]).toContain('有效日期');
    const { title: _title, ...noTitle } = ok;
    expect(validateLine(noTitle as ExchangeLine, BUILTIN_LEDGERS, DEPTS)).toEqual(['主题（title）：必填']);
    expect(validateLine({ ...ok, dept: '财政所' }, BUILTIN_LEDGERS, DEPTS)[0]).toContain('不是本单位的部门');
    expect(validateLine({ ...ok, organizer: '财政所' }, BUILTIN_LEDGERS, DEPTS)[0]).toContain('组织部门');
  });

  it('checks flow states against the kind and its closing date', () => {
    const base: ExchangeLine = { kind: 'deputy_suggestion', dept: '党政办公室', title: '关于增设养老服务点的建议', source: '镇人大代表建议', receivedOn: '2023-03-01' };
    expect(validateLine({ ...base, status: '办理中' }, BUILTIN_LEDGERS, DEPTS)).toEqual([]);
    // 已答复 is not final but comes after the reply, so the reply date must be there.
    expect(validateLine({ ...base, status: '已答复', repliedOn: '2023-05-01' }, BUILTIN_LEDGERS, DEPTS)).toEqual([]);
    expect(validateLine({ ...base, status: '已答复' }, BUILTIN_LEDGERS, DEPTS)).toHaveLength(1);
    expect(validateLine({ ...base, status: '办理中', repliedOn: '2023-05-01' }, BUILTIN_LEDGERS, DEPTS)).toHaveLength(1);
    expect(validateLine({ ...base, status: '结案' }, BUILTIN_LEDGERS, DEPTS)[0]).toContain('不是');
    expect(validateLine({ ...ok, status: '办结' }, BUILTIN_LEDGERS, DEPTS)[0]).toContain('没有办理流程');
  });

  it('numbers the lines in a batch', () => {
    expect(validateLines([ok, { ...ok, attendees: 1.5 }], BUILTIN_LEDGERS, DEPTS)).toEqual(['第2行 training：参训人次（attendees）：必须是不小于0的整数']);
  });
});
