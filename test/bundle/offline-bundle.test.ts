import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { openStorage } from '../../src/db/connect';
import { MIGRATIONS, migrate } from '../../src/db/migrations';
import { VERSION } from '../../src/version';

/**
 * Issue 13: the offline bundle. `npm run bundle -- --with-node` is built, unpacked into a fresh folder and
 * run inside a network namespace that has nothing but loopback (`unshare -rn`), over a data folder left by
 * an older version: it must migrate forward, start, serve the web app and log a user in, and every
 * connect() its processes make (traced with strace) must go to loopback or a local socket.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'fazhi-bundle-test-'));
const name = `fazhi-${VERSION}-linux-${process.arch}`;
const installed = path.join(work, 'opt', name);
const data = path.join(work, 'data');
const PORT = 39170 + (process.pid % 500);

/** Runs inside the namespace: the control connect, migrate, serve under strace, then requests to it. */
const NS_SCRIPT = `
set -u
ip link set lo up
cd "$1"; out="$2"; port="$3"
export FAZHI_DATA="$out/data"
# Positive control: a connection attempt to a loopback port must show up in the trace, or tracing is broken.
strace -f -qq -e trace=connect -e signal=none -o "$out/control.trace" env DATABASE_URL=postgres://x@127.0.0.1:9/x ./bin/fazhi migrate >/dev/null 2>&1
./bin/fazhi --version > "$out/version.txt"
./bin/fazhi migrate > "$out/migrate.txt" 2>&1
strace -f -qq -e trace=connect -e signal=none -o "$out/serve.trace" bash -c 'echo $$ > "$0/serve.pid"; exec ./bin/fazhi serve --port "$1" --demo --quiet' "$out" "$port" > "$out/serve.log" 2>&1 &
for i in $(seq 1 200); do curl -sf "http://127.0.0.1:$port/api/health" -o "$out/health.json" && break; sleep 0.2; done
curl -sf "http://127.0.0.1:$port/" -o "$out/index.html"
asset=$(grep -o '/assets/[^"]*\\.js' "$out/index.html" | head -1)
curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port$asset" > "$out/asset.status"
curl -s -o "$out/login.json" -w '%{http_code}' -H 'content-type: application/json' -H "origin: http://127.0.0.1:$port" \\
  -d '{"username":"fazhiban","password":"fazhi123!"}' "http://127.0.0.1:$port/api/auth/login" > "$out/login.status"
kill "$(cat "$out/serve.pid")"
wait
`;

function connects(file: string): string[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.includes('connect('));
}

describe('offline bundle (issue 13)', () => {
  beforeAll(async () => {
    execFileSync(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'scripts/bundle.ts', '--with-node', '--out', work], {
      cwd: root,
      stdio: 'pipe',
      maxBuffer: 64 * 1024 * 1024,
    });
    fs.mkdirSync(path.join(work, 'opt'));
    execFileSync('tar', ['-xzf', path.join(work, `${name}.tar.gz`), '-C', path.join(work, 'opt')]);
    // A data folder as an older version left it: every migration but the newest applied.
    const storage = openStorage({ dataDir: data });
    const older = MIGRATIONS.length > 1 ? MIGRATIONS[MIGRATIONS.length - 2]!.name : undefined;
    if (older) await migrate(storage.db, storage.dialect, { upTo: older });
    await storage.close();
    fs.writeFileSync(path.join(work, 'ns.sh'), NS_SCRIPT);
    execFileSync('unshare', ['-rn', 'bash', path.join(work, 'ns.sh'), installed, work, String(PORT)], { stdio: 'pipe', timeout: 240_000 });
  }, 300_000);

  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  it('holds a compiled server, the web app, the Node runtime and the install files, without tsx or dev tools', () => {
    for (const f of ['bin/fazhi', 'dist/server/fazhi.mjs', 'web/dist/index.html', 'node/bin/node', 'fazhi.service', 'INSTALL.md', 'BUILD-INFO.json']) {
      expect(fs.existsSync(path.join(installed, f)), f).toBe(true);
    }
    for (const dev of ['tsx', 'vite', 'vitest', 'typescript', 'vue', 'playwright-core']) {
      expect(fs.existsSync(path.join(installed, 'node_modules', dev)), dev).toBe(false);
    }
    const info = JSON.parse(fs.readFileSync(path.join(installed, 'BUILD-INFO.json'), 'utf8')) as Record<string, unknown>;
    expect(info).toMatchObject({ version: VERSION, arch: process.arch, nodeModuleAbi: process.versions.modules, withNode: true });
    expect(fs.readFileSync(path.join(installed, 'fazhi.service'), 'utf8')).toContain('ExecStart=/opt/fazhi/bin/fazhi serve');
    expect(fs.readFileSync(path.join(installed, 'INSTALL.md'), 'utf8')).toContain('ARM64');
  });

  it('names its version and migrates an older data folder forward', () => {
    expect(fs.readFileSync(path.join(work, 'version.txt'), 'utf8').trim()).toBe(`fazhi ${VERSION}`);
    const migrated = fs.readFileSync(path.join(work, 'migrate.txt'), 'utf8');
    expect(migrated).toContain(MIGRATIONS[MIGRATIONS.length - 1]!.name);
    const health = JSON.parse(fs.readFileSync(path.join(work, 'health.json'), 'utf8')) as { ok: boolean; version: string; migrations: string[] };
    expect(health.ok).toBe(true);
    expect(health.version).toBe(VERSION);
    expect(health.migrations).toEqual(MIGRATIONS.map((m) => m.name).sort());
  });

  it('serves the web app and logs a demo user in without any network', () => {
    expect(fs.readFileSync(path.join(work, 'index.html'), 'utf8')).toContain('<div id="app">');
    expect(fs.readFileSync(path.join(work, 'asset.status'), 'utf8')).toBe('200');
    expect(fs.readFileSync(path.join(work, 'login.status'), 'utf8')).toBe('200');
    expect(fs.readFileSync(path.join(work, 'login.json'), 'utf8')).toContain('fazhiban');
  });

  it('connects to nothing but loopback at run time (strace of every connect)', () => {
    // The control run tried 127.0.0.1:9: tracing works in the namespace.
    expect(connects(path.join(work, 'control.trace')).some((l) => l.includes('127.0.0.1'))).toBe(true);
    const outside = connects(path.join(work, 'serve.trace')).filter(
      (l) => !/sa_family=AF_UNIX|inet_addr\("127\.|inet_pton\(AF_INET6, "::1"|sa_family=AF_NETLINK/.test(l),
    );
    expect(outside).toEqual([]);
  });
});
