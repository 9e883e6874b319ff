/**
 * The integrator guide cannot rot: every `bash` block of docs/integration.md runs here, in order, with
 * curl against a listening test server and a real API token of a 法治办 service account, and every
 * `# 输出含：…` line of a block must appear in that block's output. On SQLite and PostgreSQL.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../../src/db/testing';
import { startApi, type ApiHarness } from '../support/api';

const run = promisify(execFile);
const GUIDE = path.resolve(import.meta.dirname, '../../docs/integration.md');

interface Block {
  line: number;
  script: string;
  expects: string[];
}

function guideBlocks(): Block[] {
  const text = fs.readFileSync(GUIDE, 'utf8');
  const blocks: Block[] = [];
  for (const m of text.matchAll(/```bash\n([\s\S]*?)```/g)) {
    const script = m[1]!;
    const expects = [...script.matchAll(/^# 输出含：(.+)$/gm)].map((x) => x[1]!.trim());
    blocks.push({ line: text.slice(0, m.index).split('\n').length, script, expects });
  }
  return blocks;
}

describe('the guide reads its own blocks', () => {
  it('finds runnable examples, each with the output it promises', () => {
    const blocks = guideBlocks();
    expect(blocks.length).toBeGreaterThanOrEqual(10);
    for (const b of blocks) expect(b.expects.length, `block at line ${b.line}`).toBeGreaterThan(0);
  });
});

describe.each(testDialects())('docs/integration.md against a server on %s', (dialect) => {
  let h: ApiHarness;
  let env: Record<string, string>;
  let dir: string;

  beforeAll(async () => {
    h = await startApi(dialect);
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (h.app.server.address() as AddressInfo).port;
    const admin = await h.login('admin');
    const r = await h.req(admin, 'POST', '/api/tokens', { account: 'guide-svc', displayName: '对接指南', role: 'office', orgId: await h.orgId('town_a'), name: '对接指南示例', expiresInDays: 30 });
    expect(r.statusCode, r.body).toBe(201);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fazhi-guide-'));
    env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, LANG: 'C.UTF-8', FAZHI_URL: `http://127.0.0.1:${port}`, FAZHI_TOKEN: r.json().token };
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('runs every example and gets the output the guide shows', async () => {
    for (const b of guideBlocks()) {
      let out: string;
      try {
        // Asynchronously: the server answering curl runs in this very process.
        out = (await run('bash', ['-c', `set -euo pipefail\n${b.script}`], { cwd: dir, env, timeout: 60_000 })).stdout;
      } catch (e) {
        const x = e as { stdout?: string; stderr?: string; message: string };
        throw new Error(`docs/integration.md block at line ${b.line} failed: ${x.message}\n${x.stdout ?? ''}\n${x.stderr ?? ''}`);
      }
      if (process.env.FAZHI_GUIDE_DEBUG) console.log(`--- line ${b.line}\n${out}`);
      for (const want of b.expects) expect(out, `block at line ${b.line}`).toContain(want);
    }
    // The examples wrote through the token: the audit log names the service account for each use.
    const uses = await h.storage.db.selectFrom('audit_log').select('id').where('action', '=', 'token_use').where('username', '=', 'guide-svc').execute();
    expect(uses.length).toBeGreaterThanOrEqual(guideBlocks().length);
  }, 180_000);
});
