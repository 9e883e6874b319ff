import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { Storage } from '../../db/connect';
import { KEY_FILE } from '../crypto/data-key';
import { BackupError, extractTarGz, sha256File, writeTarGz } from './tar';

export { BackupError };

/**
 * Online backup, verification and restore (GB/T 22239 数据备份恢复). One archive file
 * (`.tar.gz`): `manifest.json` plus the database — a SQLite copy taken with the backup API
 * (consistent while the server writes) or a `pg_dump` custom-format dump taken in an exported
 * snapshot. Attachments live in the database, so they are in it. The manifest carries each file's
 * SHA-256, row counts and a digest of the whole audit log, all computed from the same snapshot,
 * so `verify` and `restore` can prove the copy is complete. The data key is never in the archive
 * (only its id): keep it apart, or the backup would decrypt itself.
 */
export const BACKUP_FORMAT = 'fazhi-backup';
const SQLITE_FILE = 'fazhi.db';
const PG_FILE = 'fazhi.pgdump';

export interface BackupFacts {
  counts: Record<string, number>;
  /** SHA-256 over every audit_log row in id order: the restored log is the same log. */
  auditDigest: string;
  migrations: string[];
  /** Id and algorithm of the data key the personal fields are sealed with (not the key). */
  dataKey: { alg: string; keyId: string } | null;
}

export interface BackupManifest extends BackupFacts {
  format: typeof BACKUP_FORMAT;
  version: 1;
  createdAt: string;
  dialect: Storage['dialect'];
  files: { name: string; size: number; sha256: string }[];
}

const COUNTED = ['org_units', 'departments', 'users', 'records', 'attachments', 'audit_log', 'reports', 'ledger_defs', 'metric_defs', 'settings'] as const;

type Query = (text: string) => Promise<Record<string, unknown>[]>;

async function factsOf(q: Query): Promise<BackupFacts> {
  const counts: Record<string, number> = {};
  for (const t of COUNTED) counts[t] = Number((await q(`select count(*) as n from ${t}`))[0]!.n);
  const h = crypto.createHash('sha256');
  let last = 0;
  for (;;) {
    const rows = await q(`select * from audit_log where id > ${last} order by id limit 5000`);
    if (!rows.length) break;
    for (const r of rows) h.update(JSON.stringify(Object.keys(r).sort().map((k) => [k, r[k] === null || r[k] === undefined ? null : String(r[k])])) + '\n');
    last = Number(rows[rows.length - 1]!.id);
  }
  const migrations = (await q('select name from schema_migrations order by name')).map((r) => String(r.name));
  const key = (await q(`select value from settings where key = 'data_key'`))[0];
  const k = key ? (JSON.parse(String(key.value)) as { alg: string; check: string }) : null;
  return { counts, auditDigest: h.digest('hex'), migrations, dataKey: k ? { alg: k.alg, keyId: k.check.slice(0, 8) } : null };
}

function sqliteQuery(db: Database.Database): Query {
  return async (text) => db.prepare(text).all() as Record<string, unknown>[];
}

function pgQuery(c: pg.Client | pg.PoolClient): Query {
  return async (text) => (await c.query(text)).rows as Record<string, unknown>[];
}

/** libpq environment for pg_dump / pg_restore: the password never appears on a command line. */
function pgEnv(url: string): NodeJS.ProcessEnv {
  const u = new URL(url);
  return {
    ...process.env,
    PGHOST: u.hostname,
    PGPORT: u.port || '5432',
    PGUSER: decodeURIComponent(u.username || 'postgres'),
    PGDATABASE: decodeURIComponent(u.pathname.slice(1) || 'postgres'),
    ...(u.password ? { PGPASSWORD: decodeURIComponent(u.password) } : {}),
  };
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', (e) => reject(new BackupError(`无法运行 ${cmd}：${e.message}（PostgreSQL 的备份恢复需要 ${cmd}，可用 FAZHI_PG_BIN 指定目录）`)));
    p.on('close', (code) => (code === 0 ? resolve() : reject(new BackupError(`${cmd} 失败（${code}）：${err.trim().slice(0, 500)}`))));
  });
}

const pgBin = (name: string) => (process.env.FAZHI_PG_BIN ? path.join(process.env.FAZHI_PG_BIN, name) : name);

function integrityCheck(file: string): void {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const r = db.pragma('integrity_check', { simple: true });
    if (r !== 'ok') throw new BackupError(`数据库完整性检查失败：${String(r)}`);
  } finally {
    db.close();
  }
}

async function sqliteFacts(file: string): Promise<BackupFacts> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return await factsOf(sqliteQuery(db));
  } finally {
    db.close();
  }
}

/** Takes a consistent online backup of the storage into one archive file. */
export async function createBackup(storage: Storage, out: string, now: Date = new Date()): Promise<BackupManifest> {
  const work = fs.mkdtempSync(path.join(path.dirname(path.resolve(out)), '.fazhi-backup-'));
  try {
    let file: string;
    let facts: BackupFacts;
    if (storage.sqlite) {
      file = path.join(work, SQLITE_FILE);
      // The backup API copies pages under a read transaction (WAL: writers go on); after the first
      // step the rest goes in one, so a busy server cannot keep restarting it.
      await storage.sqlite.backup(file, { progress: () => 1 << 30 });
      const copy = new Database(file);
      copy.pragma('journal_mode = DELETE'); // a self-contained file, no -wal beside it
      copy.close();
      integrityCheck(file);
      facts = await sqliteFacts(file);
    } else {
      file = path.join(work, PG_FILE);
      const url = pgUrlOf(storage);
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        // The dump and the facts read the same exported snapshot: what the manifest counts is what is dumped.
        await c.query('begin isolation level repeatable read read only');
        const snap = String((await c.query('select pg_export_snapshot() as s')).rows[0].s);
        await run(pgBin('pg_dump'), ['--format=custom', '--no-owner', '--no-privileges', `--snapshot=${snap}`, '--file', file], pgEnv(url));
        facts = await factsOf(pgQuery(c));
        await c.query('commit');
      } finally {
        await c.end();
      }
    }
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      version: 1,
      createdAt: now.toISOString(),
      dialect: storage.dialect,
      files: [{ name: path.basename(file), size: fs.statSync(file).size, sha256: await sha256File(file) }],
      ...facts,
    };
    await writeTarGz(out, [{ name: 'manifest.json', bytes: Buffer.from(JSON.stringify(manifest, null, 2)) }, { name: path.basename(file), file }]);
    return manifest;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function pgUrlOf(storage: Storage): string {
  const url = storage.pgUrl ?? process.env.DATABASE_URL;
  if (!url) throw new BackupError('PostgreSQL 备份需要 DATABASE_URL');
  return url;
}

interface Opened {
  manifest: BackupManifest;
  dataFile: string;
  dir: string;
}

/** Extracts an archive into a temp folder and checks the manifest and every checksum. */
async function openArchive(file: string, near: string): Promise<Opened> {
  if (!fs.existsSync(file)) throw new BackupError(`备份文件不存在：${file}`);
  const dir = fs.mkdtempSync(path.join(near, '.fazhi-restore-'));
  try {
    const entries = await extractTarGz(file, dir);
    const m = entries.find((e) => e.name === 'manifest.json');
    if (!m) throw new BackupError('备份文件缺少 manifest.json，不是本平台的备份');
    const manifest = JSON.parse(fs.readFileSync(m.path, 'utf8')) as BackupManifest;
    if (manifest.format !== BACKUP_FORMAT || manifest.version !== 1) throw new BackupError('备份文件格式或版本不受支持');
    for (const f of manifest.files) {
      const e = entries.find((x) => x.name === f.name);
      if (!e) throw new BackupError(`备份文件不完整：缺少 ${f.name}`);
      if (e.size !== f.size || e.sha256 !== f.sha256) throw new BackupError(`备份文件校验失败：${f.name} 的 SHA-256 与清单不符（文件已损坏或被修改）`);
    }
    return { manifest, dataFile: path.join(dir, manifest.files[0]!.name), dir };
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

function compareFacts(expected: BackupFacts, got: BackupFacts): void {
  for (const [t, n] of Object.entries(expected.counts))
    if (got.counts[t] !== n) throw new BackupError(`校验失败：${t} 应有 ${n} 行，实际 ${got.counts[t]} 行`);
  if (got.auditDigest !== expected.auditDigest) throw new BackupError('校验失败：审计日志与备份时不一致');
}

export interface VerifyResult {
  manifest: BackupManifest;
}

/** Checks an archive without restoring it: checksums; for SQLite also integrity_check, counts and the audit digest. */
export async function verifyBackup(file: string): Promise<VerifyResult> {
  const o = await openArchive(file, os.tmpdir());
  try {
    if (o.manifest.dialect === 'sqlite') {
      integrityCheck(o.dataFile);
      compareFacts(o.manifest, await sqliteFacts(o.dataFile));
    } else await run(pgBin('pg_restore'), ['--list', o.dataFile], process.env);
    return { manifest: o.manifest };
  } finally {
    fs.rmSync(o.dir, { recursive: true, force: true });
  }
}

export type RestoreTarget = { dataDir: string } | { databaseUrl: string };

/**
 * Restores an archive into an EMPTY data folder (SQLite; the key file may already be there) or an
 * EMPTY PostgreSQL database, then checks the restored copy against the manifest. Never overwrites.
 */
export async function restoreBackup(file: string, target: RestoreTarget): Promise<BackupManifest> {
  if ('dataDir' in target) {
    const dir = path.resolve(target.dataDir);
    const present = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f !== KEY_FILE) : [];
    if (present.length) throw new BackupError(`恢复目标目录不是空的：${dir}（含 ${present.slice(0, 5).join('、')}）。为防止覆盖现有数据，只能恢复到空目录。`);
    fs.mkdirSync(dir, { recursive: true });
    const o = await openArchive(file, dir);
    try {
      if (o.manifest.dialect !== 'sqlite') throw new BackupError('这是 PostgreSQL 的备份，请设置 DATABASE_URL 指向一个空数据库后恢复');
      integrityCheck(o.dataFile);
      compareFacts(o.manifest, await sqliteFacts(o.dataFile));
      fs.renameSync(o.dataFile, path.join(dir, SQLITE_FILE));
      return o.manifest;
    } finally {
      fs.rmSync(o.dir, { recursive: true, force: true });
    }
  }
  const c = new pg.Client({ connectionString: target.databaseUrl });
  await c.connect();
  try {
    const n = Number((await c.query(`select count(*) as n from information_schema.tables where table_schema = 'public'`)).rows[0].n);
    if (n) throw new BackupError(`恢复目标数据库不是空的（已有 ${n} 张表）。为防止覆盖现有数据，只能恢复到空数据库。`);
    const o = await openArchive(file, os.tmpdir());
    try {
      if (o.manifest.dialect !== 'postgres') throw new BackupError('这是 SQLite 的备份，请在未设置 DATABASE_URL 时恢复到空数据目录');
      await run(pgBin('pg_restore'), ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', '--dbname', pgEnv(target.databaseUrl).PGDATABASE!, o.dataFile], pgEnv(target.databaseUrl));
      compareFacts(o.manifest, await factsOf(pgQuery(c)));
      return o.manifest;
    } finally {
      fs.rmSync(o.dir, { recursive: true, force: true });
    }
  } finally {
    await c.end();
  }
}

/** Scheduled backups keep the newest `keep` archives of this naming in `dir`. */
export const BACKUP_NAME = /^fazhi-\d{8}T\d{6}Z\.tar\.gz$/;

export function backupFileName(at: Date): string {
  return `fazhi-${at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}.tar.gz`;
}

export function pruneBackups(dir: string, keep: number): string[] {
  const all = fs.readdirSync(dir).filter((f) => BACKUP_NAME.test(f)).sort();
  const gone = all.slice(0, Math.max(0, all.length - Math.max(1, keep)));
  for (const f of gone) fs.rmSync(path.join(dir, f), { force: true });
  return gone;
}
