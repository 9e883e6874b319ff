import type { CliCommand } from './index';
import { opt, UsageError } from '../args';
import { systemActor } from '../../app/context';
import { listLocks, unlock } from '../../app/identity/locks';
import { resetTotp } from '../../app/identity/totp';

/** The host operator's way in when no 安全管理员 can sign in: lift a lock, or remove a lost second factor. */
export const USER_COMMANDS: CliCommand[] = [
  {
    usage: 'user unlock USERNAME [--ip 地址] | --ip 地址 | --list   解除登录锁定（--list 列出当前锁定）',
    matches: (p) => p.positionals[0] === 'user' && p.positionals[1] === 'unlock',
    async run(ctx, p) {
      if (p.options.list === true) {
        const locks = await listLocks(ctx, systemActor());
        if (!locks.length) console.log('当前没有登录锁定');
        for (const l of locks) console.log(`${l.scope === 'address' ? '地址' : l.scope === 'totp' ? '验证码' : '账号'}  ${l.username ?? '-'}  ${l.ip ?? '-'}  锁定至 ${l.lockedUntil}`);
        return;
      }
      const username = p.positionals[2];
      const ip = opt(p, 'ip');
      if (!username && !ip) throw new UsageError('缺少用户名：user unlock USERNAME [--ip 地址]');
      const n = await unlock(ctx, systemActor(), { username, ip });
      console.log(n ? `已解除 ${n} 项锁定` : '没有需要解除的锁定');
    },
  },
  {
    usage: 'user reset-totp USERNAME                        重置用户的双因素认证（下次登录重新绑定）',
    matches: (p) => p.positionals[0] === 'user' && p.positionals[1] === 'reset-totp',
    async run(ctx, p) {
      const username = p.positionals[2];
      if (!username) throw new UsageError('缺少用户名：user reset-totp USERNAME');
      const u = await ctx.storage.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst();
      if (!u) throw new UsageError(`用户不存在：${username}`);
      await resetTotp(ctx, systemActor(), u.id);
      console.log(`已重置 ${username} 的双因素认证`);
    },
  },
];
