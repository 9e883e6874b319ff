import type { Job } from './runner';
import { refreshPlannerStatistics } from '../db/planner-statistics';

export const PLANNER_STATISTICS_JOB = 'planner_statistics';

/**
 * SQLite's planner statistics brought up to date every FAZHI_STATISTICS_HOURS hours (default 6), as
 * SQLite advises for long-lived connections; usually a no-op (db/planner-statistics.ts). Not run on
 * PostgreSQL, whose autovacuum analyses the tables itself.
 */
export function plannerStatisticsJob(env: NodeJS.ProcessEnv = process.env): Job {
  const hours = Number(env.FAZHI_STATISTICS_HOURS ?? 6);
  if (!Number.isFinite(hours) || hours <= 0) throw new Error('FAZHI_STATISTICS_HOURS 必须是正数');
  return {
    name: PLANNER_STATISTICS_JOB,
    intervalMs: Math.max(60_000, hours * 3_600_000),
    timeoutMs: 30 * 60_000,
    async run(ctx) {
      const t = performance.now();
      await refreshPlannerStatistics(ctx.storage);
      return `查询统计信息已更新（${Math.round(performance.now() - t)} ms）`;
    },
  };
}
