import { describe, expect, it, vi } from 'vitest';
import { progressLine } from './progress';

const fakeStream = (isTTY: boolean) => {
  const out: string[] = [];
  return { out, stream: { isTTY, write: (s: string) => out.push(s) } as unknown as NodeJS.WriteStream };
};

describe('the progress line of the CLI', () => {
  it('draws a bar with the percentage on a terminal, rewritten in place, and clears it at the end', () => {
    vi.useFakeTimers();
    try {
      const { out, stream } = fakeStream(true);
      const bar = progressLine(stream);
      bar('导出 250/1000', 0.25);
      vi.advanceTimersByTime(50);
      bar('导出 300/1000', 0.3); // within 100 ms of the last: skipped
      vi.advanceTimersByTime(100);
      bar('导出 1000/1000', 1);
      bar.done();
      expect(out).toEqual([
        `\r\x1b[K[${'#'.repeat(6)}${'.'.repeat(18)}] 25% 导出 250/1000`,
        `\r\x1b[K[${'#'.repeat(24)}] 100% 导出 1000/1000`,
        '\r\x1b[K',
      ]);
    } finally {
      vi.useRealTimers();
    }
  });
  it('writes nothing when the output is a file or a pipe', () => {
    const { out, stream } = fakeStream(false);
    const bar = progressLine(stream);
    bar('导出 1/2', 0.5);
    bar.done();
    expect(out).toEqual([]);
  });
});
