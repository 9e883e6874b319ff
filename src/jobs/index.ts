import type { AppContext } from '../app/context';
import { sweepDeadlines, type SweepResult } from '../app/reminders';
import { sweepReportDuties } from '../app/report-duties';
import { startJobRunner, type Job, type JobsHandle } from './runner';
import { auditJobs } from './audit-jobs';
import { backupJob } from './backup-job';
import { plannerStatisticsJob } from './planner-statistics-job';
import { telemetry } from '../app/telemetry';

export { runIfDue, startJobRunner, instanceId, type Job, type JobsHandle, type RunOutcome } from './runner';
export { tryLease, finishLease, jobStatus } from './lease';

export const SWEEP_JOB = 'deadline_sweep';

/** One line for `jobs.last_result` and the logs. */
export function describeSweep(r: SweepResult): string {
  return (
    `${r.today}：转为临期${r.becameNear}件、逾期${r.becameOverdue}件，` +
    `停止计时重算${r.stopped.updated}/${r.stopped.candidates}件，临期逾期共${r.due}件，新建提醒${r.notified}条` +
    (r.failedDeliveries ? `，发送失败${r.failedDeliveries}条` : '')
  );
}

/** One round of reminders: records' deadlines, then the annual reports as dated duties. */
export async function runSweep(ctx: AppContext): Promise<string> {
  const r = await sweepDeadlines(ctx);
  telemetry.remindersCreated(r.notified);
  const line = describeSweep(r);
  // 政府信息公开工作年度报告 by 31 January, 法治政府建设情况报告 by 1 April of the next year.
  const duties = await sweepReportDuties(ctx);
  return duties.due ? `${line}；年度报告待完成${duties.due}项，新建提醒${duties.notified}条` : line;
}

/** The reminder sweep as a periodic job (every FAZHI_SWEEP_MINUTES minutes, default 5). */
export function sweepJob(intervalMs = Number(process.env.FAZHI_SWEEP_MINUTES ?? 5) * 60_000): Job {
  return {
    name: SWEEP_JOB,
    intervalMs: Math.max(10_000, intervalMs),
    timeoutMs: 10 * 60_000,
    run: runSweep,
  };
}

/** The server's background jobs; FAZHI_JOBS=off disables them (e.g. on a read-only replica). */
export function startJobs(ctx: AppContext, log?: (msg: string) => void): JobsHandle | null {
  if (process.env.FAZHI_JOBS === 'off') return null;
  const backup = backupJob();
  const statistics = ctx.storage.dialect === 'sqlite' ? [plannerStatisticsJob()] : [];
  return startJobRunner(ctx, [sweepJob(), ...auditJobs(log), ...(backup ? [backup] : []), ...statistics], log);
}
