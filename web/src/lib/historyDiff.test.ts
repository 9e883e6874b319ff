import { describe, expect, it } from 'vitest';
import { BUILTIN_LEDGERS } from '../../../src/core/ledgers/kinds';
import { actionLabel, diffEntry } from './historyDiff';

const petition = BUILTIN_LEDGERS.find((d) => d.kind === 'petition')!;

describe('diffEntry', () => {
  it('lists changed fields with labels, in definition order, ignoring bookkeeping columns', () => {
    const before = { id: 1, version: 1, status: '登记', data: { subject: '噪音', acceptedOn: null, extended: false } };
    const after = { id: 1, version: 2, status: '受理', updatedAt: 'x', data: { subject: '噪音扰民', acceptedOn: '2023-03-02', extended: false } };
    expect(diffEntry(petition, before, after)).toEqual([
      { key: 'subject', label: '事项', before: '噪音', after: '噪音扰民' },
      { key: 'acceptedOn', label: '受理日期', before: '', after: '2023-03-02' },
      { key: 'status', label: '状态', before: '登记', after: '受理' },
    ]);
  });
  it('shows every field of a creation and treats empty string and null alike', () => {
    const rows = diffEntry(petition, null, { channel: '来信', extended: true, subject: '' });
    expect(rows).toEqual([
      { key: 'channel', label: '方式', before: '', after: '来信' },
      { key: 'extended', label: '延长办理期限', before: '', after: '是' },
    ]);
  });
});

describe('diffEntry with names', () => {
  it('shows department names instead of ids', () => {
    const names = new Map([[2, '党政办公室'], [3, '司法所']]);
    const resolve = (key: string, v: unknown) => (key === 'deptId' && typeof v === 'number' ? names.get(v) : undefined);
    expect(diffEntry(petition, { deptId: 2 }, { deptId: 3 }, resolve)).toEqual([{ key: 'deptId', label: '责任部门', before: '党政办公室', after: '司法所' }]);
  });
});

describe('actionLabel', () => {
  it('names actions in Chinese', () => {
    expect(actionLabel('update')).toBe('修改');
    expect(actionLabel('transition:accept')).toBe('流转');
    expect(actionLabel('weird')).toBe('weird');
  });
});
