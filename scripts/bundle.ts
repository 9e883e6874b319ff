/**
 * `npm run bundle [-- --with-node] [--out DIR]`: the offline installation bundle
 * `fazhi-<version>-linux-<arch>.tar.gz` for a government intranet machine without network.
 *
 * It holds the server compiled to plain JavaScript (one ES module, no tsx at run time), the built web
 * app, the production dependencies with their native parts (better-sqlite3, @node-rs/argon2) as built
 * on this machine for its architecture, optionally this machine's Node runtime, the `bin/fazhi`
 * launcher, a systemd unit and INSTALL.md. Build it on a machine of the target architecture (x64 or
 * arm64): native parts are not cross-built (see packaging/INSTALL.md).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
const withNode = argv.includes('--with-node');
const outIdx = argv.indexOf('--out');
const outDir = path.resolve(outIdx >= 0 && argv[outIdx + 1] ? argv[outIdx + 1]! : path.join(root, 'dist'));

const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as Record<string, unknown> & {
  name: string;
  version: string;
};
const arch = process.arch; // 'x64' | 'arm64' | …: the native parts copied below are this machine's
const name = `fazhi-${pkg.version}-linux-${arch}`;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'fazhi-bundle-'));
const stage = path.join(work, name);

function step(msg: string): void {
  console.log(`==> ${msg}`);
}

try {
  // Dependencies installed and web/dist current: the same check as the quick start and the tests.
  step('依赖与前端构建');
  execFileSync('bash', [path.join(root, 'scripts/ensure-deps.sh')], { stdio: 'inherit' });
  fs.mkdirSync(stage, { recursive: true });
  fs.cpSync(path.join(root, 'web/dist'), path.join(stage, 'web/dist'), { recursive: true });

  // The server sits at dist/server/ so that its paths relative to import.meta.url hold as in src/server/:
  // ../../web/dist is the web app, ./fonts/ the PDF font mapping, and package.json above names the version.
  step('编译服务端（esbuild → dist/server/fazhi.mjs）');
  await build({
    entryPoints: [path.join(root, 'src/cli/main.ts')],
    outfile: path.join(stage, 'dist/server/fazhi.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
  });
  fs.cpSync(path.join(root, 'src/documents/fonts'), path.join(stage, 'dist/server/fonts'), { recursive: true });

  step('生产依赖（含本机架构的原生模块）');
  // The installed package.json keeps name, version, type and dependencies; scripts and dev tools stay behind.
  const runtimePkg = Object.fromEntries(Object.entries(pkg).filter(([k]) => k !== 'devDependencies' && k !== 'scripts'));
  fs.writeFileSync(path.join(stage, 'package.json'), JSON.stringify(runtimePkg, null, 2) + '\n');
  fs.copyFileSync(path.join(root, 'package-lock.json'), path.join(stage, 'package-lock.json'));
  fs.cpSync(path.join(root, 'node_modules'), path.join(stage, 'node_modules'), {
    recursive: true,
    filter: (src) => !/[\\/]node_modules[\\/]\.(cache|vite|vite-temp)([\\/]|$)/.test(src),
  });
  // Removes the dev dependencies without the network: the copied tree already holds every production one.
  execFileSync('npm', ['prune', '--omit=dev', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: stage, stdio: 'inherit' });
  fs.rmSync(path.join(stage, 'package-lock.json'));
  execFileSync('find', [path.join(stage, 'node_modules'), '-type', 'd', '-empty', '-delete']);

  step('启动脚本、systemd 单元与安装说明');
  fs.mkdirSync(path.join(stage, 'bin'));
  fs.copyFileSync(path.join(root, 'packaging/fazhi'), path.join(stage, 'bin/fazhi'));
  fs.chmodSync(path.join(stage, 'bin/fazhi'), 0o755);
  fs.copyFileSync(path.join(root, 'packaging/fazhi.service'), path.join(stage, 'fazhi.service'));
  fs.copyFileSync(path.join(root, 'packaging/INSTALL.md'), path.join(stage, 'INSTALL.md'));
  for (const f of ['LICENSE', 'SECURITY.md']) {
    if (fs.existsSync(path.join(root, f))) fs.copyFileSync(path.join(root, f), path.join(stage, f));
  }
  if (withNode) {
    fs.mkdirSync(path.join(stage, 'node/bin'), { recursive: true });
    fs.copyFileSync(process.execPath, path.join(stage, 'node/bin/node'));
    fs.chmodSync(path.join(stage, 'node/bin/node'), 0o755);
  }
  // The launcher refuses a Node whose native-module ABI differs from the one the bundle was built with.
  const info = {
    name: pkg.name,
    version: pkg.version,
    arch,
    node: process.version,
    nodeModuleAbi: process.versions.modules,
    withNode,
    builtAt: new Date().toISOString(),
  };
  fs.writeFileSync(path.join(stage, 'BUILD-INFO.json'), JSON.stringify(info, null, 2) + '\n');

  step('打包');
  fs.mkdirSync(outDir, { recursive: true });
  const tarball = path.join(outDir, `${name}.tar.gz`);
  execFileSync('tar', ['-czf', tarball, '-C', work, name], { stdio: 'inherit' });
  const mb = (fs.statSync(tarball).size / 1024 / 1024).toFixed(1);
  console.log(`\n已生成离线安装包：${tarball}（${mb} MB）\n安装方法见包内 INSTALL.md。`);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
