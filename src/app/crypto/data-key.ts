import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Storage } from '../../db/connect';
import { createDataCipher, DataKeyError, MASTER_KEY_BYTES, type CipherAlg, type DataCipher } from './data-cipher';
import { useDataCipher } from './active-key';

/**
 * Where the data key comes from (never the database): FAZHI_DATA_KEY (64 hex digits), or the file
 * named by FAZHI_DATA_KEY_FILE, or — for the embedded default on SQLite — `fazhi.key` in the data
 * folder, created with mode 0600 on first start so the two-command quick start keeps working.
 * The database keeps only the key's check value (`settings.data_key`), to refuse a wrong key.
 */
export const KEY_FILE = 'fazhi.key';
const SETTING = 'data_key';

export interface KeySource {
  key: Buffer;
  /** For messages: 'FAZHI_DATA_KEY', a file path. */
  source: string;
  /** The file the key came from, when it did (rotation rewrites it). */
  file?: string;
  generated: boolean;
}

export function cipherAlg(): CipherAlg {
  const v = (process.env.FAZHI_CIPHER ?? 'sm4').toLowerCase();
  if (v === 'sm4' || v === 'sm4-cbc') return 'sm4';
  if (v === 'aes-256-gcm' || v === 'aes') return 'aes-256-gcm';
  throw new DataKeyError(`FAZHI_CIPHER 只能是 sm4 或 aes-256-gcm，而不是“${v}”`);
}

export function parseKey(text: string, where: string): Buffer {
  const t = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : /^[A-Za-z0-9+/]{43}=$/.test(t) ? Buffer.from(t, 'base64') : null;
  if (!key || key.length !== MASTER_KEY_BYTES) throw new DataKeyError(`${where}中的数据密钥格式不正确：应为64位十六进制（32字节），可用 openssl rand -hex 32 生成`);
  return key;
}

export function generateKey(): Buffer {
  return crypto.randomBytes(MASTER_KEY_BYTES);
}

/** Writes a key file readable by its owner only; refuses to overwrite. */
export function writeKeyFile(file: string, key: Buffer): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const fd = fs.openSync(file, 'wx', 0o600);
  try {
    fs.writeSync(fd, key.toString('hex') + '\n');
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function readKeyFile(file: string): Buffer {
  const st = fs.statSync(file);
  // A key file others can read is not a secret any more (GB/T 39786 key protection).
  if (process.platform !== 'win32' && (st.mode & 0o077) !== 0)
    throw new DataKeyError(`数据密钥文件 ${file} 的权限过宽（${(st.mode & 0o777).toString(8)}），请执行 chmod 600 ${file}`);
  return parseKey(fs.readFileSync(file, 'utf8'), `密钥文件 ${file} `);
}

/** The SQLite data folder of a storage (null for PostgreSQL and in-memory databases). */
export function sqliteDataDir(storage: Storage): string | null {
  return storage.dialect === 'sqlite' && storage.describe !== ':memory:' ? path.dirname(storage.describe) : null;
}

/** The configured key, without looking at the database; null when none is configured. */
export function configuredKey(storage: Storage): KeySource | null {
  const env = process.env.FAZHI_DATA_KEY;
  if (env) return { key: parseKey(env, '环境变量 FAZHI_DATA_KEY '), source: 'FAZHI_DATA_KEY', generated: false };
  const named = process.env.FAZHI_DATA_KEY_FILE;
  if (named) {
    if (!fs.existsSync(named)) throw new DataKeyError(`FAZHI_DATA_KEY_FILE 指定的密钥文件不存在：${named}`);
    return { key: readKeyFile(named), source: named, file: named, generated: false };
  }
  const dir = sqliteDataDir(storage);
  if (dir) {
    const file = path.join(dir, KEY_FILE);
    if (fs.existsSync(file)) return { key: readKeyFile(file), source: file, file, generated: false };
  }
  return null;
}

interface StoredCheck {
  alg: CipherAlg;
  check: string;
}

export async function storedKeyCheck(storage: Storage): Promise<StoredCheck | null> {
  const row = await storage.db.selectFrom('settings').select('value').where('key', '=', SETTING).executeTakeFirst();
  return row ? (JSON.parse(row.value) as StoredCheck) : null;
}

export async function writeKeyCheck(db: Storage['db'], c: DataCipher): Promise<void> {
  const value = JSON.stringify({ alg: c.alg, check: c.checkValue } satisfies StoredCheck);
  await db.insertInto('settings').values({ key: SETTING, value }).onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute();
}

export interface EnsuredKey {
  cipher: DataCipher;
  source: KeySource;
  /** True on the first start with a key: existing plaintext must be sealed (see reseal.ts). */
  firstUse: boolean;
}

/**
 * Finds the data key and checks it against the database, before anything is read or written.
 * Refuses (DataKeyError, a Chinese message saying what to do) when the key is missing and the data
 * is encrypted, when it is not the key the data was written with, or when the algorithm differs.
 * Generates the key file only for a SQLite data folder whose database has never had a key.
 */
export async function resolveDataKey(storage: Storage): Promise<EnsuredKey> {
  const stored = await storedKeyCheck(storage);
  let src = configuredKey(storage);
  const dir = sqliteDataDir(storage);
  if (src && stored && dir && src.file === path.join(dir, KEY_FILE)) src = finishInterruptedRotation(src, stored);
  if (!src) {
    if (stored) throw new DataKeyError(`数据库中的个人信息已加密，但未提供数据密钥：请设置 FAZHI_DATA_KEY 或 FAZHI_DATA_KEY_FILE（密钥编号 ${stored.check.slice(0, 8)}）。拒绝启动。`);
    if (!dir) throw new DataKeyError('未配置数据密钥：PostgreSQL 部署请设置 FAZHI_DATA_KEY（64位十六进制，openssl rand -hex 32）或 FAZHI_DATA_KEY_FILE。拒绝启动。');
    const file = path.join(dir, KEY_FILE);
    const key = generateKey();
    writeKeyFile(file, key);
    src = { key, source: file, file, generated: true };
  }
  const alg = stored?.alg ?? cipherAlg();
  if (stored && process.env.FAZHI_CIPHER && cipherAlg() !== stored.alg)
    throw new DataKeyError(`数据库中的数据用 ${stored.alg} 加密，与 FAZHI_CIPHER=${process.env.FAZHI_CIPHER} 不一致；更换算法请用 fazhi key rotate。拒绝启动。`);
  const cipher = createDataCipher(src.key, alg);
  if (stored && stored.check !== cipher.checkValue)
    throw new DataKeyError(`数据密钥不正确：${src.source} 的密钥（编号 ${cipher.keyId}）不是加密这些数据的密钥（编号 ${stored.check.slice(0, 8)}）。拒绝启动，未写入任何数据。`);
  return { cipher, source: src, firstUse: !stored };
}

/**
 * `fazhi key rotate` writes the new key beside the old one (fazhi.key.new) before it commits; if
 * the process died after the commit, the new file is the right key: finish the swap.
 */
function finishInterruptedRotation(src: KeySource, stored: StoredCheck): KeySource {
  const next = `${src.file}.new`;
  if (!fs.existsSync(next) || createDataCipher(src.key, stored.alg).checkValue === stored.check) return src;
  const key = readKeyFile(next);
  if (createDataCipher(key, stored.alg).checkValue !== stored.check) return src;
  fs.renameSync(next, src.file!);
  return { ...src, key };
}

/** Resolves the key, seals any plaintext on first use, and installs it for this process. */
export async function ensureDataKey(storage: Storage, log: (msg: string) => void = () => undefined): Promise<EnsuredKey> {
  const k = await resolveDataKey(storage);
  if (k.firstUse) {
    const { resealAll } = await import('./reseal');
    const n = await resealAll(storage, null, k.cipher);
    if (n.records || n.attachments) log(`已加密原有的个人信息：记录${n.records}条、附件${n.attachments}个`);
  } else {
    const { sealPendingTexts } = await import('./reseal');
    const n = await sealPendingTexts(storage, k.cipher);
    if (n.secrets || n.names || n.reports) log(`已加密原有的动态验证码密钥${n.secrets}个、附件文件名${n.names}个、定稿报告中的记录${n.reports}份`);
  }
  if (k.source.generated) log(`已生成数据密钥文件 ${k.source.source}（权限600）。请妥善备份该文件：丢失后加密的个人信息和附件无法恢复；它不包含在数据库备份中。`);
  useDataCipher(k.cipher);
  return k;
}
