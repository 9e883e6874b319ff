/**
 * Nothing lost (GB/T 22239 数据备份恢复): `fazhi backup` run as its own process while this one
 * keeps writing; the restored copy holds every write acknowledged before the backup began and an
 * audit log identical to the source's; verify catches a damaged archive; restore never overwrites;
 * scheduled backups keep the newest FAZHI_BACKUP_KEEP.
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStorage, type Storage } from '../../src/db/connect';
import { openTestStorage, testDialects, type TestStorage } from '../../src/db/testing';
import { migrate } from '../../src/db/migrations';
import { createContext, systemActor, type AppContext } from '../../src/app/context';
import { seedOrgsAndUsers } from '../../src/app/seed';
import { createRecord } from '../../src/app/records';
import { restoreBackup, verifyBackup } from '../../src/app/backup/backup';
import { backupJob } from '../../src/jobs/backup-job';
import { runIfDue } from '../../src/jobs';
import { TEST_ORGS, TEST_USERS } from '../support/api';

const root = path.resolve(import.meta.dirname, '../..');

function cli(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src/cli/main.ts'), ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`fazhi ${args.join(' ')} failed (${code}): ${err}${out}`))));
  });
}

async function pgDatabase(admin: string, name: string, drop = false): Promise<string> {
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  await c.query(drop ? `drop database if exists ${name} with (force)` : `create database ${name}`);
  await c.end();
  const u = new URL(admin);
  u.pathname = `/${name}`;
  return u.toString();
}

describe.each(testDialects())('online backup and restore (%s)', (dialect) => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'fazhi-backup-test-'));
  let owner: TestStorage | null = null;
  let storage: Storage;
  let ctx: AppContext;
  let env: NodeJS.ProcessEnv;
  const archive = path.join(work, 'b.tar.gz');
  const restoredDb = `fazhi_r_${crypto.randomBytes(5).toString('hex')}`;
  let clock = new Date('2026-06-01T02:00:00Z');

  beforeAll(async () => {
    if (dialect === 'postgres') {
      owner = await openTestStorage('postgres');
      storage = owner;
      env = { DATABASE_URL: owner.pgUrl! };
    } else {
      storage = openStorage({ dataDir: path.join(work, 'src'), databaseUrl: '' });
      await migrate(storage.db, storage.dialect);
      env = { FAZHI_DATA: path.join(work, 'src'), DATABASE_URL: '' };
    }
    ctx = createContext(storage, () => clock);
    await seedOrgsAndUsers(ctx, TEST_ORGS, TEST_USERS);
  });
  afterAll(async () => {
    if (owner) await owner.dispose();
    else await storage?.close();
    if (dialect === 'postgres') await pgDatabase(process.env.FAZHI_TEST_PG_URL!, restoredDb, true);
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('keeps every write acknowledged before the backup began, while writes go on during it', async () => {
    const orgId = (await storage.db.selectFrom('org_units').select('id').where('code', '=', 'town_a').executeTakeFirstOrThrow()).id;
    const deptId = (await storage.db.selectFrom('departments').select('id').where('org_id', '=', orgId).where('name', '=', '司法所').executeTakeFirstOrThrow()).id;
    const acked: { id: number; at: number }[] = [];
    let stop = false;
    let n = 0;
    const write = async () => {
      const r = await createRecord(ctx, systemActor(), 'petition', { orgId, deptId, data: { registeredOn: '2025-01-02', channel: '来访', petitioner: `备份测试${n}`, subject: `事项${n++}` } });
      acked.push({ id: r.id, at: Date.now() });
    };
    for (let i = 0; i < 30; i++) await write();
    const writer = (async () => {
      while (!stop) {
        await write();
        // better-sqlite3 answers synchronously: let timers and the child's events run between writes.
        await new Promise((r) => setImmediate(r));
      }
    })();
    await new Promise((r) => setTimeout(r, 100));
    const began = Date.now();
    const out = await cli(['backup', '--out', archive], env).finally(() => (stop = true));
    await writer;
    expect(out).toContain('已备份到');
    const before = acked.filter((a) => a.at < began);
    const during = acked.filter((a) => a.at >= began);
    expect(during.length).toBeGreaterThan(0); // the server really was writing while the backup ran

    expect((await verifyBackup(archive)).manifest.dialect).toBe(dialect);
    let restored: Storage;
    if (dialect === 'postgres') {
      const url = await pgDatabase(process.env.FAZHI_TEST_PG_URL!, restoredDb);
      await restoreBackup(archive, { databaseUrl: url });
      restored = openStorage({ databaseUrl: url });
    } else {
      const dir = path.join(work, 'restored');
      await restoreBackup(archive, { dataDir: dir });
      restored = openStorage({ dataDir: dir, databaseUrl: '' });
    }
    try {
      const ids = new Set((await restored.db.selectFrom('records').select('id').execute()).map((r) => r.id));
      for (const a of before) expect(ids.has(a.id), `record ${a.id} acknowledged before the backup`).toBe(true);
      // The restored audit log is the source's, entry for entry, up to the snapshot.
      const copy = await restored.db.selectFrom('audit_log').selectAll().orderBy('id').execute();
      const last = copy[copy.length - 1]!.id;
      const src = await storage.db.selectFrom('audit_log').selectAll().where('id', '<=', last).orderBy('id').execute();
      expect(copy).toEqual(src);
      expect(copy.filter((e) => e.action === 'create' && e.entity === 'record').length).toBe(ids.size);
      // Personal data stays sealed in the copy and opens with the same key.
      const one = await restored.db.selectFrom('records').select('pii_index').where('id', '=', before[0]!.id).executeTakeFirstOrThrow();
      expect(one.pii_index).toMatch(/petitioner/);
    } finally {
      await restored.close();
    }
  }, 120_000);

  it('refuses a damaged archive and a target that is not empty', async () => {
    const bad = path.join(work, 'bad.tar.gz');
    const bytes = fs.readFileSync(archive);
    bytes[Math.floor(bytes.length / 2)]! ^= 0xff;
    fs.writeFileSync(bad, bytes);
    await expect(verifyBackup(bad)).rejects.toThrow();
    await expect(cli(['backup', '--verify', bad], env)).rejects.toThrow();
    if (dialect === 'postgres') await expect(restoreBackup(archive, { databaseUrl: owner!.pgUrl! })).rejects.toThrow(/不是空的/);
    else await expect(restoreBackup(archive, { dataDir: path.join(work, 'src') })).rejects.toThrow(/不是空的/);
  });

  it('runs scheduled backups through the job lease and keeps the newest FAZHI_BACKUP_KEEP', async () => {
    const dir = path.join(work, 'scheduled');
    const job = backupJob({ FAZHI_BACKUP_DIR: dir, FAZHI_BACKUP_KEEP: '2' })!;
    const results: string[] = [];
    for (let day = 0; day < 3; day++) {
      clock = new Date(Date.UTC(2026, 5, 1 + day, 2));
      const o = await runIfDue(ctx, job, 'test-instance');
      expect(o).toMatchObject({ ran: true, ok: true });
      results.push(o.ran ? o.result : '');
      // A second instance the same day finds the lease taken.
      expect(await runIfDue(ctx, job, 'other-instance')).toEqual({ ran: false });
    }
    expect(fs.readdirSync(dir).sort()).toEqual(['fazhi-20260602T020000Z.tar.gz', 'fazhi-20260603T020000Z.tar.gz']);
    expect(results[2]).toContain('删除旧备份1个');
    await verifyBackup(path.join(dir, 'fazhi-20260603T020000Z.tar.gz'));
  }, 120_000);
});
