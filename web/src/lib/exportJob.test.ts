import { describe, expect, it } from 'vitest';
import { exportProgress } from './exportJob';

describe('export jobs in the web app', () => {
  it('shows rows written of the total, never 100 % before the file is there', () => {
    expect(exportProgress({ state: 'running', done: 0, total: 0 })).toEqual({ percent: 0, text: '正在导出 0/0 条' });
    expect(exportProgress({ state: 'running', done: 25_000, total: 100_000 })).toEqual({ percent: 25, text: '正在导出 25000/100000 条' });
    expect(exportProgress({ state: 'running', done: 100_000, total: 100_000 })).toEqual({ percent: 99, text: '正在导出 100000/100000 条' });
    expect(exportProgress({ state: 'done', done: 100_000, total: 100_000 })).toEqual({ percent: 100, text: '正在下载文件' });
  });
});
