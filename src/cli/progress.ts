import type { LedgerDef } from '../core/ledgers/types';
import type { ImportResult } from '../app/exchange';

/**
 * A progress line on a terminal (rewritten in place, at most ten times a second); nothing when the
 * output is a file or a pipe, so logs stay clean.
 */
export function progressLine(stream: NodeJS.WriteStream): ((text: string, fraction?: number) => void) & { done(): void } {
  let last = 0;
  let shown = false;
  const f = ((text: string, fraction?: number) => {
    if (!stream.isTTY) return;
    const now = Date.now();
    if (now - last < 100) return;
    last = now;
    const width = 24;
    const bar = fraction === undefined ? '' : `[${'#'.repeat(Math.round(fraction * width)).padEnd(width, '.')}] ${Math.floor(fraction * 100)}% `;
    stream.write(`\r\x1b[K${bar}${text}`);
    shown = true;
  }) as ((text: string, fraction?: number) => void) & { done(): void };
  f.done = () => {
    if (shown) stream.write('\r\x1b[K');
    shown = false;
  };
  return f;
}

/** `已导入 12 条记录（新增 10，更新 2，未变 3）：培训与学法 10，行政执法案件 2`. */
export function importSummary(r: ImportResult, defs: readonly LedgerDef[]): string {
  const label = (k: string) => defs.find((d) => d.kind === k)?.label ?? k;
  const kinds = Object.entries(r.byKind).map(([k, n]) => `${label(k)} ${n}`).join('，');
  return `已导入 ${r.imported} 条记录（新增 ${r.created}，更新 ${r.updated}，未变 ${r.unchanged}）${kinds ? `：${kinds}` : ''}`;
}
