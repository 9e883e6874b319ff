import { describe, expect, it } from 'vitest';
import { BUILTIN_LEDGERS } from '../../../src/core/ledgers/kinds';
import { actionLabel, conflictRows, describeEntry, diffEntry } from './historyDiff';

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
    expect(actionLabel('read_pii')).toBe('查看个人信息');
    expect(actionLabel('denied')).toBe('拒绝访问');
    // An action the screen does not know is never shown by its key.
    expect(actionLabel('weird_action')).toBe('操作');
  });
});

describe('describeEntry: a record history entry in Chinese', () => {
  const RAW = /\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b|\b[a-z]+[A-Z][A-Za-z0-9]*\b/;
  const text = (v: ReturnType<typeof describeEntry>) => [v.label, v.note, ...v.rows.flatMap((r) => [r.label, r.before, r.after])].join(' ');

  it('names an attachment by its file and size, never by its keys', () => {
    const up = describeEntry(petition, { action: 'attach', before: null, after: { attachmentId: 7, filename: '答复书.pdf', size: 20480 } });
    expect(up).toEqual({ label: '上传附件', note: '文件：答复书.pdf（20.0KB）', rows: [] });
    const down = describeEntry(petition, { action: 'download', before: null, after: null, detail: JSON.stringify({ attachmentId: 7, filename: '答复书.pdf' }) });
    expect(down).toEqual({ label: '下载附件', note: '文件：答复书.pdf', rows: [] });
    const gone = describeEntry(petition, { action: 'detach', before: { attachmentId: 7, filename: '答复书.pdf' }, after: null });
    expect(gone).toEqual({ label: '删除附件', note: '文件：答复书.pdf', rows: [] });
  });
  it('names a flow step, its reason and the fields it set by their labels', () => {
    const v = describeEntry(petition, {
      action: 'transition',
      before: { status: '登记', data: { subject: '噪音', acceptedOn: null } },
      after: { status: '受理', data: { subject: '噪音', acceptedOn: '2026-03-16' } },
      detail: '受理：材料齐全',
    });
    expect(v).toEqual({
      label: '流转',
      note: '受理：材料齐全',
      rows: [
        { key: 'acceptedOn', label: '受理日期', before: '', after: '2026-03-16' },
        { key: 'status', label: '状态', before: '登记', after: '受理' },
      ],
    });
  });
  it('says a read or a refusal in its sentence; a key no definition names is 其他信息', () => {
    const read = describeEntry(petition, { action: 'read_pii', before: null, after: null, detail: '查看记录（个人信息字段：信访人）：记录 12' });
    expect(read).toEqual({ label: '查看个人信息', note: '查看记录（个人信息字段：信访人）：记录 12', rows: [] });
    const odd = describeEntry(petition, { action: 'update', before: { data: { oldField_x: 1 } }, after: { data: { oldField_x: 2 } } });
    expect(odd.rows).toEqual([{ key: 'oldField_x', label: '其他信息', before: '1', after: '2' }]);
    for (const v of [read, odd]) expect(text(v)).not.toMatch(RAW);
  });
});

describe('conflictRows', () => {
  it('lists only the fields where the form and the saved version differ, by label', () => {
    const rows = conflictRows(
      petition,
      { deptId: 3, data: { subject: '噪音扰民', channel: '来信', extended: false } },
      { deptId: 3, data: { subject: '噪音', channel: '来信' } },
    );
    // The saved record never had 延长办理期限: the form's 否 is no difference.
    expect(rows).toEqual([{ key: 'subject', label: '事项', before: '噪音扰民', after: '噪音' }]);
  });
});
