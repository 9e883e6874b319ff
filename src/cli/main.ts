import fs from 'node:fs';
import { parseArgs, UsageError, opt, req, readStdin, type Parsed } from './args';
import { openStorage, type Storage } from '../db/connect';
import { migrate } from '../db/migrations';
import { createContext, systemActor, type AppContext } from '../app/context';
import { addDept, addOrg, orgByCode } from '../app/orgs';
import { createUser } from '../app/users';
import { openOrgExport } from '../app/exchange';
import { importFile, templateWorkbook } from '../app/exchange-file';
import { importSummary, progressLine } from './progress';
import { audit } from '../app/audit';
import { AppError } from '../core/errors';
import { startServer } from '../server/start';
import { serveCluster, workerCount } from '../server/cluster';
import { demoBanner } from '../app/demo';
import { EXTRA_COMMANDS } from './commands';
import { STANDALONE_COMMANDS } from './commands/data-safety';
import { BackupError } from '../app/backup/backup';
import { ensureDataKey } from '../app/crypto/data-key';
import { DataKeyError } from '../app/crypto/data-cipher';
import { maxImportBytes, streamXlsxExport, tooLarge } from '../documents/xlsx-exchange';
import { VERSION } from '../version';

const HELP = `用法：npm run fazhi -- <命令> [参数]

  --version                                        显示版本
  serve [--port 3000] [--host 127.0.0.1] [--demo]   启动服务（--demo：空数据库时写入演示数据）
  migrate                                         执行数据库迁移
  org add --code CODE --name 名称 [--level 镇] [--parent CODE]
  dept add --org CODE --name 名称
  user add --username U --role ROLE --org CODE [--dept 部门] [--name 姓名]   密码从标准输入读取，或自动生成并打印
  import FILE.xlsx|FILE.csv|FILE.jsonl --org CODE [--kind KIND]
                                                  导入（全部成功或全部不写入；.xlsx 每个台账一个工作表；
                                                  .csv 一个台账，由 --kind 或文件名确定；按案号/文号/编号更新，相同记录跳过）
  template --kind KIND --out FILE.xlsx | template --all --out FILE.xlsx
                                                  生成导入模板（填写说明、必填标记、下拉选项、列映射）
  export --org CODE [--kind KIND] [--year YYYY] --out FILE.jsonl|FILE.xlsx
  ledger define FILE.json                          新增自定义台账类型或其新版本
${EXTRA_COMMANDS.map((c) => `  ${c.usage}`).join('\n')}
${STANDALONE_COMMANDS.map((c) => `  ${c.usage}`).join('\n')}

数据库：默认 SQLite（./data/fazhi.db，或 FAZHI_DATA 指定的目录）；设置 DATABASE_URL=postgres://… 使用 PostgreSQL。`;

export async function withContext<T>(fn: (ctx: AppContext, storage: Storage) => Promise<T>): Promise<T> {
  const storage = openStorage();
  try {
    await migrate(storage.db, storage.dialect);
    await ensureDataKey(storage, (m) => console.error(m));
    return await fn(createContext(storage), storage);
  } finally {
    await storage.close();
  }
}

async function run(p: Parsed): Promise<void> {
  const [cmd, sub] = p.positionals;
  const key = [cmd, sub].filter(Boolean).join(' ');
  const standalone = STANDALONE_COMMANDS.find((c) => c.matches(p));
  if (standalone) return standalone.run(p);
  switch (cmd) {
    case 'serve': {
      const startOpts = {
        port: Number(opt(p, 'port') ?? process.env.PORT ?? 3000),
        host: opt(p, 'host') ?? process.env.HOST ?? '127.0.0.1',
        seedDemo: p.options.demo === true,
        logger: p.options.quiet !== true,
      };
      const banner = (r: { url: string; dialect: string; describe: string; seeded: boolean; workers: number; notices: readonly string[] }) => {
        const db = r.dialect === 'sqlite' ? `SQLite（${r.describe}）` : `PostgreSQL（${r.describe}）`;
        console.log(`\n法治台账已启动：${r.url}\n数据库：${db}${r.workers > 1 ? `\n进程数：${r.workers}（FAZHI_WORKERS）` : ''}`);
        for (const n of r.notices) console.log(n);
        if (p.options.demo === true && !r.seeded) {
          console.log('数据库中已有数据，未写入演示数据（演示账号只在空数据库首次启动时创建）。');
        } else if (r.seeded) {
          for (const line of demoBanner()) console.log(line);
        }
      };
      const workers = workerCount();
      if (workers > 1) {
        await serveCluster(startOpts, workers, banner);
        return;
      }
      const s = await startServer(startOpts);
      banner({ url: s.url, dialect: s.ctx.storage.dialect, describe: s.ctx.storage.describe, seeded: s.seeded, workers: 1, notices: s.notices });
      const stop = async () => {
        await s.close();
        process.exit(0);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
      return;
    }
    case 'migrate': {
      // Not through withContext, which migrates first: this command reports what it applied.
      const storage = openStorage();
      try {
        const applied = await migrate(storage.db, storage.dialect);
        console.log(applied.length ? `已执行迁移：${applied.join(', ')}` : '数据库已是最新');
      } finally {
        await storage.close();
      }
      return;
    }
  }
  switch (key) {
    case 'org add':
      return withContext(async (ctx) => {
        const o = await addOrg(ctx, systemActor(), { code: req(p, 'code'), name: req(p, 'name'), level: opt(p, 'level') ?? '镇', parentCode: opt(p, 'parent') });
        console.log(`已添加组织 ${o.name}（${o.code}，编号 ${o.id}）`);
      });
    case 'dept add':
      return withContext(async (ctx) => {
        const org = await orgByCode(ctx.storage.db, req(p, 'org'));
        const d = await addDept(ctx, systemActor(), org.id, req(p, 'name'));
        console.log(`已添加部门 ${org.name}${d.name}（编号 ${d.id}）`);
      });
    case 'user add':
      return withContext(async (ctx) => {
        const stdin = (await readStdin()).trim();
        const r = await createUser(ctx, systemActor(), {
          username: req(p, 'username'),
          displayName: opt(p, 'name'),
          role: req(p, 'role'),
          orgCode: req(p, 'org'),
          deptName: opt(p, 'dept'),
          password: stdin || undefined,
        });
        console.log(`已创建用户 ${r.user.username}（${r.user.roleLabel}，${r.user.orgName}${r.user.deptName ?? ''}）`);
        if (r.password) console.log(`初始密码：${r.password}`);
      });
    case 'ledger define':
      return withContext(async (ctx) => {
        const file = p.positionals[2];
        if (!file) throw new UsageError('缺少定义文件：ledger define FILE.json');
        const input = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
        const at = new Date().toISOString();
        const def = await ctx.storage.db.transaction().execute(async (trx) => {
          const d = await ctx.registry.define(trx, input, null, at);
          await audit(trx, systemActor(), at, { action: 'define', entity: 'ledger_def', entityId: `${d.kind}@${d.version}`, kind: d.kind, after: d });
          return d;
        });
        console.log(`已定义台账“${def.label}”（${def.kind}，版本 ${def.version}，${def.fields.length} 个字段）`);
      });
  }
  // .xlsx, .csv and .jsonl: chosen by extension, one engine, messages with sheet, row and column.
  if (cmd === 'import') {
    const file = p.positionals[1];
    if (!file) throw new UsageError('缺少文件：import FILE.xlsx|FILE.csv|FILE.jsonl --org CODE');
    return withContext(async (ctx) => {
      const size = fs.statSync(file).size;
      if (size > maxImportBytes()) throw tooLarge(size);
      const bar = progressLine(process.stderr);
      try {
        const r = await importFile(ctx, systemActor(), req(p, 'org'), fs.readFileSync(file), {
          fileName: file,
          kind: opt(p, 'kind'),
          source: file,
          onProgress: (x) => bar(x.phase === 'read' ? `读取 ${x.done} 行` : `${x.phase === 'check' ? '校验' : '写入'} ${x.done}/${x.total}`, x.total ? x.done / x.total : undefined),
        });
        bar.done();
        console.log(importSummary(r, await ctx.registry.all()));
      } finally {
        bar.done();
      }
    });
  }
  if (cmd === 'template') {
    return withContext(async (ctx) => {
      const out = req(p, 'out');
      const kind = p.options.all === true ? undefined : req(p, 'kind');
      const { buf, label } = await templateWorkbook(ctx, systemActor(), kind);
      fs.writeFileSync(out, buf);
      console.log(`已生成${label}导入模板：${out}`);
    });
  }
  // .xlsx or .jsonl by the output's extension; progress (rows written of the total) on a terminal.
  if (cmd === 'export') {
    return withContext(async (ctx) => {
      const out = req(p, 'out');
      const year = opt(p, 'year');
      // Scope and org errors before the file is created.
      const { total, lines } = await openOrgExport(ctx, systemActor(), { orgCode: req(p, 'org'), kind: opt(p, 'kind'), year: year ? Number(year) : undefined, format: /\.xlsx$/i.test(out) ? 'xlsx' : 'jsonl' });
      const bar = progressLine(process.stderr);
      let n = 0;
      async function* counted() {
        for await (const l of lines) {
          yield l;
          bar(`导出 ${++n}/${total}`, total ? Math.min(1, n / total) : undefined);
        }
      }
      try {
        if (/\.xlsx$/i.test(out)) {
          const stream = fs.createWriteStream(out);
          const done = new Promise<void>((resolve, reject) => stream.on('finish', resolve).on('error', reject));
          await streamXlsxExport(counted(), await ctx.registry.all(), stream, { emptyKind: opt(p, 'kind') });
          await done;
        } else {
          const fd = fs.openSync(out, 'w');
          try {
            for await (const l of counted()) fs.writeSync(fd, JSON.stringify(l) + '\n');
          } finally {
            fs.closeSync(fd);
          }
        }
      } finally {
        bar.done();
      }
      console.log(`已导出 ${n} 条记录到 ${out}`);
    });
  }
  const extra = EXTRA_COMMANDS.find((c) => c.matches(p));
  if (extra) return withContext((ctx) => extra.run(ctx, p));
  throw new UsageError(cmd ? `未知命令：${key}` : '');
}

// `… | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

const parsed = parseArgs(process.argv.slice(2));
if (parsed.options.version === true) {
  console.log(`fazhi ${VERSION}`);
} else if (parsed.positionals.length === 0 || parsed.options.help) {
  console.log(HELP);
} else {
  run(parsed).catch((e: unknown) => {
    if (e instanceof UsageError) console.error(`${e.message}\n\n${HELP}`);
    else if (e instanceof DataKeyError || e instanceof BackupError) console.error(e.message);
    else if (e instanceof AppError) {
      console.error(e.message);
      for (const l of e.extra.lines ?? []) if (!e.message.includes(l.message)) console.error(l.message);
      for (const f of e.extra.fields ?? []) if (f.message !== e.message) console.error(f.message);
    } else console.error(e);
    process.exit(e instanceof UsageError ? 2 : 1);
  });
}
