import type { CliCommand } from './index';
import { req } from '../args';
import { systemActor } from '../../app/context';
import { orgByCode } from '../../app/orgs';
import { overdueReport, type OverdueReport } from '../../app/todo';
import { runSweep } from '../../jobs';
import { finishLease, tryLease } from '../../jobs/lease';
import { instanceId } from '../../jobs/runner';

/** Display width: CJK characters take two columns in a terminal. */
function width(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return w;
}
const pad = (s: string, w: number) => s + ' '.repeat(Math.max(0, w - width(s)));

/** A plain-text table of the overdue report, one line per department, then a total line. */
export function formatOverdueTable(r: OverdueReport, kindLabels: ReadonlyMap<string, string>): string[] {
  const header = ['部门', '逾期', '临期', '逾期按类型'];
  const body = r.depts.map((d) => [
    d.dept,
    String(d.overdue),
    String(d.nearDue),
    Object.entries(d.byKind)
      .map(([k, n]) => `${kindLabels.get(k) ?? k} ${n}`)
      .join('，') || '-',
  ]);
  const total = ['合计', String(r.depts.reduce((s, d) => s + d.overdue, 0)), String(r.depts.reduce((s, d) => s + d.nearDue, 0)), ''];
  const rows = [header, ...body, total];
  const widths = header.map((_, i) => Math.max(...rows.map((row) => width(row[i]!))));
  const line = (row: string[]) => row.map((c, i) => (i === 0 || i === row.length - 1 ? pad(c, widths[i]!) : ' '.repeat(widths[i]! - width(c)) + c)).join('  ').trimEnd();
  return [`${r.orgName}逾期情况`, line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line), line(total)];
}

const overdueCommand: CliCommand = {
  usage: 'overdue --org CODE                               各部门逾期、临期事项统计',
  matches: (p) => p.positionals[0] === 'overdue',
  async run(ctx, p) {
    const org = await orgByCode(ctx.storage.db, req(p, 'org'));
    const report = await overdueReport(ctx, systemActor(), org.id);
    const labels = new Map((await ctx.registry.all()).map((d) => [d.kind, d.label]));
    for (const l of formatOverdueTable(report, labels)) console.log(l);
  },
};

const sweepCommand: CliCommand = {
  usage: 'sweep                                            立即执行一次期限提醒扫描',
  matches: (p) => p.positionals[0] === 'sweep',
  async run(ctx) {
    // The sweep is idempotent, so running it beside a server's is harmless; the lease is taken
    // when free only to record the run in `jobs` like the server's runs.
    const owner = instanceId();
    const leased = await tryLease(ctx.storage.db, 'deadline_sweep', owner, ctx.now(), 10 * 60_000);
    const text = await runSweep(ctx);
    if (leased) await finishLease(ctx.storage.db, 'deadline_sweep', owner, ctx.now(), ctx.now(), `命令行：${text}`);
    console.log(text);
  },
};

export const OVERDUE_COMMANDS: CliCommand[] = [overdueCommand, sweepCommand];
