import fs from 'node:fs';
import path from 'node:path';
import { opt, UsageError, type Parsed } from '../args';
import { openStorage } from '../../db/connect';
import { migrate } from '../../db/migrations';
import { createBackup, restoreBackup, verifyBackup, type BackupManifest } from '../../app/backup/backup';
import { ensureDataKey, generateKey, parseKey, writeKeyFile } from '../../app/crypto/data-key';
import { createDataCipher, type CipherAlg } from '../../app/crypto/data-cipher';
import { resealAll } from '../../app/crypto/reseal';

/** Commands that manage the data folder or database itself, so they run without an app context. */
export interface StandaloneCommand {
  usage: string;
  matches(p: Parsed): boolean;
  run(p: Parsed): Promise<void>;
}

const describeManifest = (m: BackupManifest) =>
  `${m.dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'}，${m.createdAt}；记录${m.counts.records}条、附件${m.counts.attachments}个、审计日志${m.counts.audit_log}条` +
  (m.dataKey ? `；个人信息用 ${m.dataKey.alg} 加密，需要编号 ${m.dataKey.keyId} 的数据密钥（不在备份中）` : '');

const backup: StandaloneCommand = {
  usage: 'backup --out FILE.tar.gz | backup --verify FILE   在线备份（服务运行中也可执行，含附件和校验清单）/ 校验备份',
  matches: (p) => p.positionals[0] === 'backup',
  async run(p) {
    const verify = opt(p, 'verify');
    if (verify) {
      const r = await verifyBackup(verify);
      console.log(`备份校验通过：${describeManifest(r.manifest)}`);
      return;
    }
    const out = opt(p, 'out');
    if (!out) throw new UsageError('缺少参数 --out FILE 或 --verify FILE');
    if (fs.existsSync(out)) throw new UsageError(`文件已存在：${out}（备份不覆盖已有文件）`);
    const storage = openStorage();
    try {
      const m = await createBackup(storage, out);
      console.log(`已备份到 ${out}：${describeManifest(m)}`);
    } finally {
      await storage.close();
    }
  },
};

const restore: StandaloneCommand = {
  usage: 'restore FILE.tar.gz [--data DIR]             恢复到空的数据目录（SQLite）或空数据库（DATABASE_URL）',
  matches: (p) => p.positionals[0] === 'restore',
  async run(p) {
    const file = p.positionals[1];
    if (!file) throw new UsageError('缺少备份文件：restore FILE.tar.gz');
    const url = process.env.DATABASE_URL;
    const target = url && /^postgres(ql)?:\/\//.test(url) ? { databaseUrl: url } : { dataDir: opt(p, 'data') ?? process.env.FAZHI_DATA ?? path.resolve('data') };
    const m = await restoreBackup(file, target);
    console.log(`已恢复：${describeManifest(m)}`);
    console.log('启动前请提供加密时使用的数据密钥（FAZHI_DATA_KEY、FAZHI_DATA_KEY_FILE 或数据目录中的 fazhi.key）。');
  },
};

const keyRotate: StandaloneCommand = {
  usage: 'key rotate [--new-key-file FILE] [--cipher sm4|aes-256-gcm]   更换数据密钥并重新加密全部个人信息和附件（须先停止服务）',
  matches: (p) => p.positionals[0] === 'key' && p.positionals[1] === 'rotate',
  async run(p) {
    const storage = openStorage();
    try {
      await migrate(storage.db, storage.dialect);
      const cur = await ensureDataKey(storage, (m) => console.error(m));
      const alg = (opt(p, 'cipher') ?? cur.cipher.alg) as CipherAlg;
      if (alg !== 'sm4' && alg !== 'aes-256-gcm') throw new UsageError('--cipher 只能是 sm4 或 aes-256-gcm');
      const named = opt(p, 'new-key-file');
      let key: Buffer;
      let pending: string | null = null; // the default key file is swapped only after the commit
      if (named) {
        if (fs.existsSync(named)) key = parseKey(fs.readFileSync(named, 'utf8'), `密钥文件 ${named} `);
        else writeKeyFile(named, (key = generateKey()));
      } else if (cur.source.file && !process.env.FAZHI_DATA_KEY_FILE) {
        pending = `${cur.source.file}.new`;
        fs.rmSync(pending, { force: true });
        writeKeyFile(pending, (key = generateKey()));
      } else throw new UsageError(`当前密钥来自 ${cur.source.source}：请用 --new-key-file FILE 指定（或生成）新密钥文件，完成后改用新密钥启动`);
      const next = createDataCipher(key, alg);
      if (next.checkValue === cur.cipher.checkValue && alg === cur.cipher.alg) throw new UsageError('新密钥与当前密钥相同');
      const n = await resealAll(storage, cur.cipher, next);
      if (pending) fs.renameSync(pending, cur.source.file!);
      console.log(`已更换数据密钥（${cur.cipher.keyId} → ${next.keyId}，${alg}）：重新加密记录${n.records}条、审计条目${n.auditEntries}条、附件（含文件名）${n.attachments}个、动态验证码密钥${n.secrets}个、定稿报告${n.reports}份。`);
      console.log(pending ? `新密钥已写入 ${cur.source.file}，请重新备份该文件并销毁旧密钥的副本。` : `新密钥在 ${named}：请改用它启动（FAZHI_DATA_KEY_FILE=${named}），并销毁旧密钥。`);
    } finally {
      await storage.close();
    }
  },
};

export const STANDALONE_COMMANDS: StandaloneCommand[] = [backup, restore, keyRotate];
