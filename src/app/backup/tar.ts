import crypto from 'node:crypto';
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';

/**
 * A minimal ustar writer and reader for the backup archive (`.tar.gz`, readable with `tar xzf`).
 * Regular files only, names under 100 bytes: the archive holds a manifest and one or two data files.
 */
const BLOCK = 512;

/** A backup, verify or restore that cannot go on; the message (Chinese) says why. */
export class BackupError extends Error {}

function header(name: string, size: number, mtime: Date): Buffer {
  const h = Buffer.alloc(BLOCK, 0);
  if (Buffer.byteLength(name) >= 100) throw new BackupError(`tar: name too long: ${name}`);
  h.write(name, 0, 'utf8');
  h.write('0000600\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(size.toString(8).padStart(11, '0') + '\0', 124);
  h.write(Math.floor(mtime.getTime() / 1000).toString(8).padStart(11, '0') + '\0', 136);
  h.write('        ', 148); // checksum field counts as spaces
  h.write('0', 156);
  h.write('ustar\u000000', 257, 'binary');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
  return h;
}

export interface TarEntry {
  name: string;
  /** A file to copy, or bytes. */
  file?: string;
  bytes?: Buffer;
}

/** Writes entries into a gzip'd tar at `out` (through a temp file renamed at the end: never half an archive). */
export async function writeTarGz(out: string, entries: TarEntry[]): Promise<void> {
  const tmp = `${out}.part-${process.pid}`;
  const now = new Date();
  async function* chunks(): AsyncGenerator<Buffer> {
    for (const e of entries) {
      const size = e.bytes ? e.bytes.length : fs.statSync(e.file!).size;
      yield header(e.name, size, now);
      if (e.bytes) yield e.bytes;
      else for await (const c of fs.createReadStream(e.file!)) yield c as Buffer;
      const pad = (BLOCK - (size % BLOCK)) % BLOCK;
      if (pad) yield Buffer.alloc(pad, 0);
    }
    yield Buffer.alloc(BLOCK * 2, 0);
  }
  try {
    await pipeline(Readable.from(chunks()), zlib.createGzip(), fs.createWriteStream(tmp, { mode: 0o600 }));
    const fd = fs.openSync(tmp, 'r');
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(tmp, out);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

export interface ExtractedEntry {
  name: string;
  path: string;
  size: number;
  sha256: string;
}

/** Extracts a gzip'd tar into `dir` (which must exist), hashing each file on the way. */
export async function extractTarGz(archive: string, dir: string): Promise<ExtractedEntry[]> {
  const tarFile = `${dir}/.archive.tar`;
  await pipeline(fs.createReadStream(archive), zlib.createGunzip(), fs.createWriteStream(tarFile));
  const fd = fs.openSync(tarFile, 'r');
  const out: ExtractedEntry[] = [];
  try {
    const total = fs.fstatSync(fd).size;
    let pos = 0;
    const h = Buffer.alloc(BLOCK);
    while (pos + BLOCK <= total) {
      fs.readSync(fd, h, 0, BLOCK, pos);
      if (h.every((b) => b === 0)) break;
      const name = h.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
      const size = parseInt(h.subarray(124, 136).toString('ascii').replace(/\0.*$/s, '').trim(), 8);
      if (!name || !/^[A-Za-z0-9._-]+$/.test(name) || !Number.isFinite(size)) throw new BackupError('备份文件格式不正确（不是本平台的备份归档）');
      pos += BLOCK;
      const dest = `${dir}/${name}`;
      const wfd = fs.openSync(dest, 'w', 0o600);
      const hash = crypto.createHash('sha256');
      const buf = Buffer.alloc(1 << 20);
      let left = size;
      let at = pos;
      while (left > 0) {
        const n = fs.readSync(fd, buf, 0, Math.min(buf.length, left), at);
        if (n <= 0) throw new BackupError('备份文件不完整（归档被截断）');
        hash.update(buf.subarray(0, n));
        fs.writeSync(wfd, buf, 0, n);
        left -= n;
        at += n;
      }
      fs.closeSync(wfd);
      out.push({ name, path: dest, size, sha256: hash.digest('hex') });
      pos += Math.ceil(size / BLOCK) * BLOCK;
    }
  } finally {
    fs.closeSync(fd);
    fs.rmSync(tarFile, { force: true });
  }
  return out;
}

export async function sha256File(file: string): Promise<string> {
  const h = crypto.createHash('sha256');
  for await (const c of fs.createReadStream(file)) h.update(c as Buffer);
  return h.digest('hex');
}
