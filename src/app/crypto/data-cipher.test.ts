import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createDataCipher, DataKeyError, sealedKeyId, type CipherAlg } from './data-cipher';
import { redactUrl } from '../../server/plugins/transport';

const K1 = Buffer.alloc(32, 1);
const K2 = Buffer.alloc(32, 2);

describe.each<CipherAlg>(['sm4', 'aes-256-gcm'])('data cipher %s', (alg) => {
  const c = createDataCipher(K1, alg);

  it('round-trips, with a fresh IV each time, and names its key', () => {
    const plain = Buffer.from('"张三丰"', 'utf8');
    const a = c.seal(plain, 'field:petitioner');
    const b = c.seal(plain, 'field:petitioner');
    expect(a.equals(b)).toBe(false);
    expect(a.includes(plain)).toBe(false);
    expect(c.open(a, 'field:petitioner').toString('utf8')).toBe('"张三丰"');
    expect(sealedKeyId(a)).toBe(c.keyId);
  });

  it('refuses a changed byte, another field and another key (the tag is checked first)', () => {
    const s = c.seal(Buffer.from('李四'), 'field:applicant');
    const flipped = Buffer.from(s);
    flipped[flipped.length - 20]! ^= 1;
    expect(() => c.open(flipped, 'field:applicant')).toThrow(DataKeyError);
    expect(() => c.open(s, 'field:party')).toThrow(/校验失败/);
    expect(() => createDataCipher(K2, alg).open(s, 'field:applicant')).toThrow(/不是当前数据密钥/);
  });

  it('gives a keyed, deterministic blind index per scope', () => {
    expect(c.blind('petition.petitioner', '王五')).toBe(c.blind('petition.petitioner', '王五'));
    expect(c.blind('petition.petitioner', '王五')).not.toBe(c.blind('dispute.party', '王五'));
    expect(c.blind('petition.petitioner', '王五')).not.toBe(createDataCipher(K2, alg).blind('petition.petitioner', '王五'));
    expect(c.blind('petition.petitioner', '王五')).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('data cipher', () => {
  it('SM4 is the default, and a key of the wrong length is refused', () => {
    expect(createDataCipher(K1).alg).toBe('sm4');
    expect(() => createDataCipher(Buffer.alloc(16))).toThrow(/32字节/);
  });
  it('an SM4 envelope is not opened by the AES cipher of the same key', () => {
    const s = createDataCipher(K1, 'sm4').seal(Buffer.from('x'), 'a');
    expect(() => createDataCipher(K1, 'aes-256-gcm').open(s, 'a')).toThrow(/算法/);
  });
});

describe('SM4-CBC opening', () => {
  it('equals node\'s sm4-cbc on every length (known-answer against the OpenSSL mode)', () => {
    // The same derivation the cipher uses, so its ciphertext can be made independently here.
    const c = createDataCipher(K1, 'sm4');
    for (const len of [0, 1, 15, 16, 17, 31, 32, 33, 100, 1000]) {
      const plain = crypto.randomBytes(len);
      const sealed = c.seal(plain, 'x');
      expect(c.open(sealed, 'x').equals(plain), `length ${len}`).toBe(true);
    }
    const encKey = Buffer.from(crypto.hkdfSync('sm3', K1, Buffer.alloc(0), 'fazhi/enc/sm4-cbc', 16));
    const sealed = c.seal(Buffer.from('核对'), 'x');
    const iv = sealed.subarray(6, 22);
    const body = sealed.subarray(22, sealed.length - 32);
    const d = crypto.createDecipheriv('sm4-cbc', encKey, iv);
    expect(Buffer.concat([d.update(body), d.final()]).toString()).toBe('核对');
  });
});

describe('SM4-CBC sealing', () => {
  it("gives what node's sm4-cbc gives for the same IV, on every length, and a fresh IV every time", () => {
    const c = createDataCipher(K1, 'sm4');
    const encKey = Buffer.from(crypto.hkdfSync('sm3', K1, Buffer.alloc(0), 'fazhi/enc/sm4-cbc', 16));
    const ivs = new Set<string>();
    for (const len of [0, 1, 15, 16, 17, 31, 32, 33, 100, 1000]) {
      for (let rep = 0; rep < 40; rep++) {
        const plain = crypto.randomBytes(len);
        const sealed = c.seal(plain, 'x');
        const iv = sealed.subarray(6, 22);
        ivs.add(iv.toString('hex'));
        const e = crypto.createCipheriv('sm4-cbc', encKey, iv);
        expect(sealed.subarray(22, sealed.length - 32).equals(Buffer.concat([e.update(plain), e.final()])), `length ${len}`).toBe(true);
      }
    }
    // 400 seals across more than one 4 KB pool refill: no IV handed out twice.
    expect(ivs.size).toBe(400);
  });
});

describe('request URLs in logs', () => {
  it('keep paging and sorting, and hide every field filter value', () => {
    expect(redactUrl('/api/records/petition?page=2&f.petitioner=%E5%BC%A0%E4%B8%89&sort=id')).toBe('/api/records/petition?page=2&f.petitioner=***&sort=id');
    expect(redactUrl('/api/records/petition')).toBe('/api/records/petition');
    expect(redactUrl('/api/auth/login?password=secret')).not.toContain('secret');
  });
});
