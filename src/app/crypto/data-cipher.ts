import crypto from 'node:crypto';

/**
 * The one crypto interface of the platform (GB/T 39786-2021, application and data layer):
 * authenticated encryption of personal data and attachments at rest, and a keyed blind index
 * for equality filters on encrypted fields.
 *
 * - `sm4` (default): SM4-CBC (GB/T 32907) with a random IV, then HMAC-SM3 (GB/T 32905) over
 *   header, IV, ciphertext and the associated data: encrypt-then-MAC, because node's OpenSSL has
 *   no SM4-GCM. The tag is checked (in constant time) before anything is decrypted.
 * - `aes-256-gcm`: selectable where a deployment is not bound to the national algorithms.
 *
 * One 32-byte master key; the encryption, MAC, blind-index and key-check keys are derived from
 * it with HKDF-SM3 under distinct labels, so no key is used for two purposes.
 */
export type CipherAlg = 'sm4' | 'aes-256-gcm';

export interface DataCipher {
  readonly alg: CipherAlg;
  /** Short public id of the master key (from its check value), stored in every envelope. */
  readonly keyId: string;
  /** Key check value: proves at start-up that the configured key is the one the data was written with. */
  readonly checkValue: string;
  seal(plain: Buffer, aad: string): Buffer;
  /** Throws DataKeyError when the tag does not match (wrong key, or the bytes were changed). */
  open(sealed: Buffer, aad: string): Buffer;
  /** HMAC-SM3 of a normalised value under the blind-index key, hex. */
  blind(scope: string, value: string): string;
}

export class DataKeyError extends Error {}

const VERSION = 1;
const ALG_CODE: Record<CipherAlg, number> = { sm4: 1, 'aes-256-gcm': 2 };
const HEADER = 1 + 1 + 4; // version, algorithm, key id
const SM4_IV = 16;
const SM3_TAG = 32;
const GCM_IV = 12;
const GCM_TAG = 16;

export const MASTER_KEY_BYTES = 32;

function derive(master: Buffer, label: string, length: number): Buffer {
  return Buffer.from(crypto.hkdfSync('sm3', master, Buffer.alloc(0), `fazhi/${label}`, length));
}

export function createDataCipher(master: Buffer, alg: CipherAlg = 'sm4'): DataCipher {
  if (master.length !== MASTER_KEY_BYTES) throw new DataKeyError(`数据密钥长度应为${MASTER_KEY_BYTES}字节（64位十六进制），实际为${master.length}字节`);
  // KeyObjects: the key is imported into OpenSSL once, not per value.
  const macKey = crypto.createSecretKey(derive(master, 'mac/hmac-sm3', 32));
  const blindKey = crypto.createSecretKey(derive(master, 'blind-index/hmac-sm3', 32));
  const checkValue = crypto.createHmac('sm3', derive(master, 'key-check', 32)).update('fazhi data key check').digest('hex');
  const keyIdBytes = Buffer.from(checkValue.slice(0, 8), 'hex');
  const keyId = checkValue.slice(0, 8);
  const encKey = alg === 'sm4' ? derive(master, 'enc/sm4-cbc', 16) : derive(master, 'enc/aes-256-gcm', 32);
  const header = Buffer.from([VERSION, ALG_CODE[alg], ...keyIdBytes]);
  const cbcOpen = alg === 'sm4' ? sm4CbcDecryptor(encKey) : null;
  const cbcSeal = alg === 'sm4' ? sm4CbcEncryptor(encKey) : null;
  const randomIv = randomPool();

  const mac = (parts: Buffer[], aad: string) => {
    const h = crypto.createHmac('sm3', macKey);
    for (const p of parts) h.update(p);
    // Length-prefixed associated data: a field's value cannot be moved to another field.
    const a = Buffer.from(aad, 'utf8');
    const len = Buffer.alloc(4);
    len.writeUInt32BE(a.length);
    return h.update(len).update(a).digest();
  };

  return {
    alg,
    keyId,
    checkValue,
    seal(plain, aad) {
      if (alg === 'sm4') {
        const iv = randomIv(SM4_IV);
        const body = cbcSeal!(iv, plain);
        return Buffer.concat([header, iv, body, mac([header, iv, body], aad)]);
      }
      const iv = crypto.randomBytes(GCM_IV);
      const c = crypto.createCipheriv('aes-256-gcm', encKey, iv);
      c.setAAD(Buffer.concat([header, Buffer.from(aad, 'utf8')]));
      const body = Buffer.concat([c.update(plain), c.final()]);
      return Buffer.concat([header, iv, body, c.getAuthTag()]);
    },
    open(sealed, aad) {
      if (sealed.length < HEADER || sealed[0] !== VERSION) throw new DataKeyError('密文格式不正确');
      if (sealed[1] !== ALG_CODE[alg]) throw new DataKeyError('密文的算法与配置的算法不一致（FAZHI_CIPHER）');
      if (!sealed.subarray(2, HEADER).equals(keyIdBytes)) throw new DataKeyError(`密文使用的密钥（${sealed.subarray(2, HEADER).toString('hex')}）不是当前数据密钥（${keyId}）`);
      const head = sealed.subarray(0, HEADER);
      if (alg === 'sm4') {
        if (sealed.length < HEADER + SM4_IV + 16 + SM3_TAG) throw new DataKeyError('密文长度不正确');
        const iv = sealed.subarray(HEADER, HEADER + SM4_IV);
        const body = sealed.subarray(HEADER + SM4_IV, sealed.length - SM3_TAG);
        const tag = sealed.subarray(sealed.length - SM3_TAG);
        if (!crypto.timingSafeEqual(tag, mac([head, iv, body], aad))) throw new DataKeyError('密文校验失败（密钥不正确或数据被篡改）');
        return cbcOpen!(iv, body);
      }
      if (sealed.length < HEADER + GCM_IV + GCM_TAG) throw new DataKeyError('密文长度不正确');
      const iv = sealed.subarray(HEADER, HEADER + GCM_IV);
      const body = sealed.subarray(HEADER + GCM_IV, sealed.length - GCM_TAG);
      const d = crypto.createDecipheriv('aes-256-gcm', encKey, iv);
      d.setAAD(Buffer.concat([head, Buffer.from(aad, 'utf8')]));
      d.setAuthTag(sealed.subarray(sealed.length - GCM_TAG));
      try {
        return Buffer.concat([d.update(body), d.final()]);
      } catch {
        throw new DataKeyError('密文校验失败（密钥不正确或数据被篡改）');
      }
    },
    blind(scope, value) {
      return crypto.createHmac('sm3', blindKey).update(scope).update('\u0000').update(value.normalize('NFC'), 'utf8').digest('hex');
    },
  };
}

/**
 * SM4-CBC decryption on one long-lived SM4-ECB context: P[i] = D(C[i]) xor C[i-1]. Creating a
 * cipher context per value costs OpenSSL 3 an algorithm fetch (about 3x the decryption of a name),
 * and lists open every personal value they show. Only ever called on authenticated ciphertext (the
 * HMAC-SM3 tag is checked first); the result equals node's `sm4-cbc` (known-answer test beside).
 */
function sm4CbcDecryptor(key: Buffer): (iv: Buffer, body: Buffer) => Buffer {
  const ecb = crypto.createDecipheriv('sm4-ecb', key, null);
  ecb.setAutoPadding(false); // without padding, ECB returns every full block at once
  return (iv, body) => {
    if (body.length === 0 || body.length % 16 !== 0) throw new DataKeyError('密文长度不正确');
    const raw = ecb.update(body);
    if (raw.length !== body.length) throw new DataKeyError('密文长度不正确');
    for (let i = 0; i < raw.length; i++) raw[i]! ^= i < 16 ? iv[i]! : body[i - 16]!;
    const pad = raw[raw.length - 1]!;
    if (pad < 1 || pad > 16 || !raw.subarray(raw.length - pad).every((b) => b === pad)) throw new DataKeyError('密文填充不正确');
    return raw.subarray(0, raw.length - pad);
  };
}

/**
 * SM4-CBC encryption with PKCS#7 padding on one long-lived SM4-ECB context: C[i] = E(P[i] xor C[i-1]),
 * C[-1] = IV. The same reason as the decryptor: a bulk import seals a hundred thousand small values,
 * and a cipher context per value was a good part of its time. Equals node's `sm4-cbc` (test beside).
 */
function sm4CbcEncryptor(key: Buffer): (iv: Buffer, plain: Buffer) => Buffer {
  const ecb = crypto.createCipheriv('sm4-ecb', key, null);
  ecb.setAutoPadding(false);
  return (iv, plain) => {
    const pad = 16 - (plain.length % 16);
    const out = Buffer.alloc(plain.length + pad, pad);
    plain.copy(out);
    let prev: Buffer = iv;
    for (let off = 0; off < out.length; off += 16) {
      for (let i = 0; i < 16; i++) out[off + i]! ^= prev[i]!;
      const c = ecb.update(out.subarray(off, off + 16));
      if (c.length !== 16) throw new Error('SM4-ECB returned a partial block');
      c.copy(out, off);
      prev = out.subarray(off, off + 16);
    }
    return out;
  };
}

/**
 * Random bytes drawn from the CSPRNG 4 KB at a time and handed out in slices (IVs): one call into
 * OpenSSL per 256 IVs instead of one per value. Every slice is used once.
 */
function randomPool(): (n: number) => Buffer {
  let buf = Buffer.alloc(0);
  let off = 0;
  return (n) => {
    if (off + n > buf.length) {
      buf = crypto.randomBytes(4096);
      off = 0;
    }
    const out = buf.subarray(off, off + n);
    off += n;
    return out;
  };
}

/** The key id written in a sealed value, to tell which key it needs. */
export function sealedKeyId(sealed: Buffer): string | null {
  return sealed.length >= HEADER && sealed[0] === VERSION ? sealed.subarray(2, HEADER).toString('hex') : null;
}
