import fs from 'node:fs';
import path from 'node:path';
import type { Job } from './runner';
import { backupFileName, createBackup, pruneBackups } from '../app/backup/backup';

export const BACKUP_JOB = 'backup';

/**
 * Scheduled backups (GB/T 22239 数据备份恢复): when FAZHI_BACKUP_DIR is set, one archive every
 * FAZHI_BACKUP_HOURS hours (default 24) into that folder, keeping the newest FAZHI_BACKUP_KEEP
 * (default 7). The job lease makes one instance of several take each backup.
 */
export function backupJob(env: NodeJS.ProcessEnv = process.env): Job | null {
  const dir = env.FAZHI_BACKUP_DIR;
  if (!dir) return null;
  const keep = Number(env.FAZHI_BACKUP_KEEP ?? 7);
  if (!Number.isInteger(keep) || keep < 1) throw new Error('FAZHI_BACKUP_KEEP 必须是正整数');
  const hours = Number(env.FAZHI_BACKUP_HOURS ?? 24);
  return {
    name: BACKUP_JOB,
    intervalMs: Math.max(60_000, hours * 3_600_000),
    timeoutMs: 2 * 3_600_000,
    async run(ctx) {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      const at = ctx.now();
      const file = path.join(dir, backupFileName(at));
      const m = await createBackup(ctx.storage, file, at);
      const gone = pruneBackups(dir, keep);
      return `已备份到 ${file}（记录${m.counts.records}条、附件${m.counts.attachments}个）${gone.length ? `，按保留${keep}份删除旧备份${gone.length}个` : ''}`;
    },
  };
}
