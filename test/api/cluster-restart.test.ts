/**
 * A worker that keeps crashing (two workers; their TLS files are missing, so every start fails) is restarted
 * with a growing delay, and the primary gives up after FAZHI_WORKER_MAX_CRASHES crashes within the
 * window, logging why and exiting 1 (src/server/cluster.ts, the policy in restart-policy.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fazhi-cluster-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the cluster primary', () => {
  it('backs off a crashing worker and stops with exit code 1 after N crashes', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, FAZHI_DATA: dir, FAZHI_WORKERS: '2', FAZHI_WORKER_MAX_CRASHES: '3', FAZHI_TLS_CERT: path.join(dir, 'missing.pem'), FAZHI_TLS_KEY: path.join(dir, 'missing.key') };
    delete env.DATABASE_URL;
    const p = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src/cli/main.ts'), 'serve', '--port', '0', '--host', '127.0.0.1'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    p.stderr.on('data', (b: Buffer) => (err += b.toString()));
    p.stdout.on('data', (b: Buffer) => (err += b.toString()));
    const code = await new Promise<number | null>((resolve) => p.on('exit', resolve));
    expect(code, err).toBe(1);
    expect(err).toMatch(/工作进程 [01] 退出（1），0\.5秒后重启（60秒内第1次）/);
    expect(err).toMatch(/工作进程 [01] 退出（1），1\.0秒后重启（60秒内第2次）/);
    expect(err).toMatch(/工作进程 [01] 在60秒内退出3次，不再重启，服务停止/);
    // Stopped at the third crash: no fourth restart was announced.
    expect(err).not.toMatch(/第3次）/);
  }, 180_000);
});
