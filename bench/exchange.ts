/**
 * Issue 12 benchmark: 100,000 rows × 12 columns (行政执法案件: 部门 and 11 fields) imported from .xlsx,
 * validated and written on SQLite (target < 5 s), printed as a ratio to exceljs's streaming read of
 * the same file alone; the same records exported to .xlsx (< 4 s), as a ratio to exceljs's streaming write of
 * the same rows alone; the same rows from CSV (< 3 s);
 * peak RSS under 500 MB for import and export. Each phase runs in its own process, so its peak RSS
 * is its own. Run alone: `npx tsx bench/exchange.ts`.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import ExcelJS from 'exceljs';
import { openStorage } from '../src/db/connect';
import { migrate } from '../src/db/migrations';
import { createContext, systemActor } from '../src/app/context';
import { seedOrgsAndUsers } from '../src/app/seed';
import { exportLines } from '../src/app/exchange';
import { importFile } from '../src/app/exchange-file';
import { streamXlsxExport } from '../src/documents/xlsx-writer';
import { useDataCipher } from '../src/app/crypto/active-key';
import { createDataCipher } from '../src/app/crypto/data-cipher';
import { fmt, report } from './util';

const ROWS = 100_000;
const DEPTS = ['综合行政执法队', '司法所', '平安办'];
const HEAD = ['责任部门', '案号', '案由', '执法类别', '当事人', '立案日期', '决定日期', '重大执法决定', '法制审核日期', '全过程记录', '公示日期', '罚没金额'];
const TYPES = ['行政处罚', '行政强制', '行政检查', '行政许可', '其他'];

function row(i: number): (string | number | Date)[] {
  const day = (plus: number) => new Date(Date.UTC(2024, 0, 1 + (i % 300) + plus));
  return [DEPTS[i % DEPTS.length]!, `沪宝执罚〔2024〕${i + 1}号`, `案由${i % 97}`, TYPES[i % 5]!, `当事人${i % 1000}`, day(0), day(5), i % 20 === 0 ? '是' : '否', day(4), '是', day(8), (i % 500) * 10];
}

/** The same rows through exceljs's streaming writer alone: the reference for the export. */
async function writeXlsx(xlsx: string, opts: { useSharedStrings: boolean; sharedStyle?: boolean }): Promise<void> {
  // The reference gives its date cells one shared style object, as the export does (the fast way in exceljs).
  const dateStyle: Partial<ExcelJS.Style> = { numFmt: 'yyyy-mm-dd' };
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: xlsx, useSharedStrings: opts.useSharedStrings, useStyles: true });
  const ws = wb.addWorksheet('行政执法案件');
  ws.addRow(HEAD).commit();
  for (let i = 0; i < ROWS; i++) {
    const r = ws.addRow(row(i));
    for (const c of [6, 7, 9, 11]) {
      if (opts.sharedStyle) r.getCell(c).style = dateStyle;
      else r.getCell(c).numFmt = 'yyyy-mm-dd';
    }
    r.commit();
  }
  ws.commit();
  await wb.commit();
}

export async function writeInputs(dir: string): Promise<{ xlsx: string; csv: string }> {
  const xlsx = path.join(dir, '行政执法案件.xlsx');
  await writeXlsx(xlsx, { useSharedStrings: true });
  const csv = path.join(dir, '行政执法案件.csv');
  const lines = [HEAD.join(',')];
  for (let i = 0; i < ROWS; i++) lines.push(row(i).map((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v))).join(','));
  fs.writeFileSync(csv, '\uFEFF' + lines.join('\r\n') + '\r\n');
  return { xlsx, csv };
}

async function context(dbDir: string, fresh: boolean) {
  process.env.FAZHI_DATA = dbDir;
  delete process.env.DATABASE_URL;
  const storage = openStorage();
  await migrate(storage.db, storage.dialect);
  const ctx = createContext(storage, () => new Date('2025-06-01T02:00:00Z'));
  if (fresh) await seedOrgsAndUsers(ctx, [{ code: 'town', name: '基准镇', level: '镇', depts: DEPTS }], []);
  return { ctx, storage };
}

/** One phase, in this process: prints `{"ms":…,"rssMb":…}` as its last line. */
async function phase(name: string, file: string, dbDir: string): Promise<void> {
  // The phases share a database: the parent's data key, so the export opens what the import sealed.
  if (process.env.FAZHI_BENCH_DATA_KEY) useDataCipher(createDataCipher(Buffer.from(process.env.FAZHI_BENCH_DATA_KEY, 'hex')));
  let ms = 0;
  if (name === 'inputs') {
    console.log(JSON.stringify(await writeInputs(file)));
    return;
  }
  if (name === 'write') {
    // Shared strings off, as the export writes.
    const t = performance.now();
    await writeXlsx(file, { useSharedStrings: false, sharedStyle: true });
    ms = performance.now() - t;
  } else if (name === 'read') {
    const t = performance.now();
    const r = new ExcelJS.stream.xlsx.WorkbookReader(fs.createReadStream(file), { sharedStrings: 'cache', styles: 'cache', worksheets: 'emit' });
    let n = 0;
    for await (const s of r) for await (const _ of s) n++;
    ms = performance.now() - t;
    if (n !== ROWS + 1) throw new Error(`read ${n} rows`);
  } else if (name === 'import' || name === 'csv') {
    const { ctx, storage } = await context(dbDir, true);
    const buf = fs.readFileSync(file);
    const t = performance.now();
    const r = await importFile(ctx, systemActor(), 'town', buf, { fileName: path.basename(file) });
    ms = performance.now() - t;
    await storage.close();
    if (r.created !== ROWS) throw new Error(`imported ${r.created}`);
  } else if (name === 'export') {
    const { ctx, storage } = await context(dbDir, false);
    const out = fs.createWriteStream(file);
    const done = new Promise<void>((resolve, reject) => out.on('finish', resolve).on('error', reject));
    const t = performance.now();
    const r = await streamXlsxExport(exportLines(ctx, systemActor(), { orgCode: 'town', kind: 'enforcement_case', format: 'xlsx' }), await ctx.registry.all(), out);
    await done;
    ms = performance.now() - t;
    await storage.close();
    if (r.rows !== ROWS) throw new Error(`exported ${r.rows}`);
  }
  console.log(JSON.stringify({ ms, rssMb: process.resourceUsage().maxRSS / 1024 }));
}

const benchKey = crypto.randomBytes(32).toString('hex');

function run(name: string, file: string, dbDir: string): { ms: number; rssMb: number } {
  const out = execFileSync(process.execPath, ['--import', 'tsx', new URL(import.meta.url).pathname, name, file, dbDir], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
    env: { ...process.env, FAZHI_BENCH_DATA_KEY: benchKey },
  });
  return JSON.parse(out.trim().split('\n').pop()!) as { ms: number; rssMb: number };
}

export async function benchExchange(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fazhi-bench-exchange-'));
  try {
    const t = performance.now();
    const { xlsx, csv } = await writeInputs(dir);
    console.log(`inputs: ${fmt(ROWS)} rows × ${HEAD.length} columns, .xlsx ${(fs.statSync(xlsx).size / 1048576).toFixed(1)} MB, .csv ${(fs.statSync(csv).size / 1048576).toFixed(1)} MB (${fmt(performance.now() - t)} ms to write)`);
    const read = run('read', xlsx, dir);
    report('exceljs streaming read alone (.xlsx)', `${fmt(read.ms)} ms`, 'reference', true);
    const db1 = fs.mkdtempSync(path.join(dir, 'db-'));
    const imp = run('import', xlsx, db1);
    report('.xlsx import, validated and written (SQLite)', `${fmt(imp.ms)} ms, ratio ${(imp.ms / read.ms).toFixed(2)}× the streaming read`, 'target < 5,000 ms', imp.ms < 5000);
    report('.xlsx import peak RSS', `${fmt(imp.rssMb)} MB`, 'target < 500 MB', imp.rssMb < 500);
    const exp = run('export', path.join(dir, 'export.xlsx'), db1);
    const write = run('write', path.join(dir, 'reference.xlsx'), dir);
    report('exceljs streaming write alone of the same rows (.xlsx)', `${fmt(write.ms)} ms`, 'reference', true);
    report('.xlsx export of the same records', `${fmt(exp.ms)} ms, ratio ${(exp.ms / write.ms).toFixed(2)}× the streaming write`, 'target < 4,000 ms', exp.ms < 4000);
    report('.xlsx export peak RSS', `${fmt(exp.rssMb)} MB`, 'target < 500 MB', exp.rssMb < 500);
    const db2 = fs.mkdtempSync(path.join(dir, 'db-'));
    const c = run('csv', csv, db2);
    report('.csv import of the same rows (SQLite)', `${fmt(c.ms)} ms`, 'target < 3,000 ms', c.ms < 3000);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  // `inputs DIR` writes the input files; `import|csv|export|read FILE DBDIR` runs one phase (e.g. under --cpu-prof).
  const [name, file, dbDir] = process.argv.slice(2);
  if (name) await phase(name, file!, dbDir!);
  else await benchExchange();
}
