import { describe, expect, it } from 'vitest';
import { isImportFile, progressOf } from './importJob';

describe('import jobs in the web app', () => {
  it('takes .xlsx, .csv and .jsonl files', () => {
    expect(['台账.XLSX', 'training.csv', 'records.jsonl'].map(isImportFile)).toEqual([true, true, true]);
    expect(['a.xls', 'b.docx'].map(isImportFile)).toEqual([false, false]);
  });
  it('shows each phase of a job on one bar with its counts', () => {
    expect(progressOf({ phase: 'read', done: 0, total: 0 })).toEqual({ percent: 40, text: '正在读取文件' });
    expect(progressOf({ phase: 'read', done: 3000, total: 0 })).toEqual({ percent: 40, text: '正在读取文件，已读 3000 行' });
    expect(progressOf({ phase: 'check', done: 50_000, total: 100_000 })).toEqual({ percent: 65, text: '正在校验 50000/100000' });
    expect(progressOf({ phase: 'write', done: 100_000, total: 100_000 })).toEqual({ percent: 100, text: '正在写入 100000/100000' });
  });
});
