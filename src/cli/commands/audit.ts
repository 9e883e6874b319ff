import type { CliCommand } from './index';
import { opt } from '../args';
import { systemActor } from '../../app/context';
import { describeVerify, verifyAuditChain } from '../../app/audit-verify';
import { pruneAudit, retentionDaysFrom } from '../../app/audit-retention';
import { AppError } from '../../core/errors';

const verifyCommand: CliCommand = {
  usage: 'audit verify [--json]                            校验整条审计链，指出第一条被修改、删除或调换的记录',
  matches: (p) => p.positionals[0] === 'audit' && p.positionals[1] === 'verify',
  async run(ctx, p) {
    const r = await verifyAuditChain(ctx.storage.db);
    console.log(p.options.json === true ? JSON.stringify(r, null, 2) : describeVerify(r));
    // A broken chain is a failure a script or monitor must notice.
    if (!r.ok) process.exitCode = 1;
  },
};

const pruneCommand: CliCommand = {
  usage: 'audit prune [--days N]                           清理超过保留期的审计记录（不少于180天，默认 FAZHI_AUDIT_RETENTION_DAYS）',
  matches: (p) => p.positionals[0] === 'audit' && p.positionals[1] === 'prune',
  async run(ctx, p) {
    const days = retentionDaysFrom(opt(p, 'days') ?? process.env.FAZHI_AUDIT_RETENTION_DAYS);
    if (!days) throw new AppError('VALIDATION', '审计保留天数：请以 --days 或 FAZHI_AUDIT_RETENTION_DAYS 指定（不少于180天）');
    const r = await pruneAudit(ctx, systemActor(), days);
    console.log(r.pruned ? `已清理${r.cutoff.slice(0, 10)}之前的审计记录${r.pruned}条（至第${r.throughSeq}条），其余审计链仍可校验` : `没有超过${days}天的审计记录`);
  },
};

export const AUDIT_COMMANDS: CliCommand[] = [verifyCommand, pruneCommand];
