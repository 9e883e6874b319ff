/**
 * Nothing half-written (GB/T 22239 数据完整性, 数据备份恢复): a process killed with SIGKILL in the
 * middle of an import or of a 定稿 leaves a database that passes `PRAGMA integrity_check`, with
 * every import all or nothing and every finalised report frozen with its audit entry.
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fazhi-crash-'));
const env = { ...process.env, FAZHI_DATA_KEY: crypto.randomBytes(32).toString('hex'), FAZHI_JOBS: 'off' };
const LINES = 20_000;

/** Runs the child; kills it `killAfterMs` after it printed `begin` (never, when null). Resolves with whether it finished. */
function runChild(args: string[], killAfterMs: number | null): Promise<{ finished: boolean }> {
  return new Promise((resolve, reject) => {
    // node with tsx's loader, not the tsx launcher: SIGKILL must reach the process doing the work.
    const p = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'test/support/crash-child.ts'), ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (killAfterMs !== null && out.includes('begin')) setTimeout(() => p.kill('SIGKILL'), killAfterMs).unref();
    });
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', reject);
    p.on('close', (code, signal) => {
      if (signal === 'SIGKILL' || code === 0) resolve({ finished: out.includes('done') });
      else reject(new Error(`child failed (${code}): ${err}`));
    });
  });
}

function inspect() {
  const db = new Database(path.join(dir, 'fazhi.db'), { readonly: true });
  try {
    const integrity = db.pragma('integrity_check', { simple: true });
    const records = Number((db.prepare(`select count(*) as n from records where kind = 'petition'`).get() as { n: number }).n);
    const imported = (db.prepare(`select after from audit_log where action = 'import'`).all() as { after: string }[]).map((r) => JSON.parse(r.after).count as number);
    const reports = db.prepare('select id, state, snapshot from reports').all() as { id: number; state: string; snapshot: string | null }[];
    const finalAudits = (db.prepare(`select entity_id from audit_log where entity = 'report' and action = 'state' and after like '%定稿%'`).all() as { entity_id: string }[]).map((r) => Number(r.entity_id));
    return { integrity, records, imported, reports, finalAudits };
  } finally {
    db.close();
  }
}

describe('SIGKILL mid-write (SQLite)', () => {
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('an import killed at any moment is all or nothing, and the database stays intact', async () => {
    let cut = 0;
    for (const ms of [400, 1500, 3500]) {
      const { finished } = await runChild(['import', dir, String(LINES), `run${ms}`], ms);
      if (!finished) cut++;
      const s = inspect();
      expect(s.integrity).toBe('ok');
      expect(s.imported.every((n) => n === LINES)).toBe(true);
      expect(s.records).toBe(s.imported.length * LINES); // every committed import whole, nothing of the killed one
    }
    expect(cut).toBeGreaterThan(0); // at least one run really was killed before it finished
  }, 120_000);

  it('a 定稿 killed at any moment leaves every report either unfrozen or frozen with its audit entry', async () => {
    let cut = 0;
    let year = 1990;
    for (const ms of [300, 1200]) {
      const { finished } = await runChild(['finalize', dir, String(year)], ms);
      if (!finished) cut++;
      year += 40;
      const s = inspect();
      expect(s.integrity).toBe('ok');
      expect(s.reports.length).toBeGreaterThan(0);
      for (const r of s.reports) {
        expect(['草稿', '审核', '定稿']).toContain(r.state);
        expect(r.snapshot !== null).toBe(r.state === '定稿');
      }
      expect(s.finalAudits.sort((a, b) => a - b)).toEqual(s.reports.filter((r) => r.state === '定稿').map((r) => r.id).sort((a, b) => a - b));
    }
    expect(cut).toBeGreaterThan(0);
  }, 120_000);
});
