import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, START, canonical, checkEntry, digest, entryHash, hashAlgFrom, type ChainedEntry } from './chain';
import { maskAuditValue } from './mask';

function entry(seq: number, prev: string, over: Partial<ChainedEntry> = {}): ChainedEntry {
  const content = { seq, at: '2026-01-01T00:00:00.000Z', user_id: 1, username: 'u', ip: null, action: 'create', entity: 'record', entity_id: String(seq), kind: 'training', org_id: 2, before: null, after: '{"a":1}', detail: null, prev_hash: prev };
  return { ...content, id: seq, alg: 'sm3', hash: entryHash('sm3', content), ...over };
}

describe('audit chain', () => {
  it('uses SM3 as specified in GB/T 32905-2016 (test vector "abc") and SHA-256 when selected', () => {
    expect(digest('sm3', 'abc')).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
    expect(digest('sha256', 'abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hashAlgFrom(undefined)).toBe('sm3');
    expect(hashAlgFrom('SHA256')).toBe('sha256');
    expect(() => hashAlgFrom('md5')).toThrow(/sm3 或 sha256/);
  });

  it('hashes a canonical form independent of key order and of numbers read back as strings', () => {
    const e = entry(1, GENESIS_HASH);
    const shuffled = { prev_hash: e.prev_hash, detail: e.detail, after: e.after, before: e.before, org_id: '2' as unknown as number, kind: e.kind, entity_id: e.entity_id, entity: e.entity, action: e.action, ip: e.ip, username: e.username, user_id: e.user_id, at: e.at, seq: '1' as unknown as number };
    expect(canonical(shuffled)).toBe(canonical(e));
  });

  it('accepts a chain and names an edited entry, a gap, a step back and a broken link', () => {
    const a = entry(1, GENESIS_HASH);
    const b = entry(2, a.hash);
    expect(checkEntry(START, a)).toBeNull();
    const cur = { seq: 1, id: 1, hash: a.hash };
    expect(checkEntry(cur, b)).toBeNull();
    expect(checkEntry(cur, { ...b, detail: '改过' })).toBe('edited');
    expect(checkEntry(cur, entry(3, b.hash))).toBe('missing');
    expect(checkEntry({ seq: 2, id: 2, hash: b.hash }, a)).toBe('reordered');
    expect(checkEntry(cur, entry(2, GENESIS_HASH))).toBe('link');
    expect(checkEntry(cur, { ...b, alg: 'md5' })).toBe('algorithm');
  });

  it('masks personal data in before/after values like the records', () => {
    expect(maskAuditValue({ deptId: 3, data: { petitioner: '张三', subject: '噪声' } }, ['petitioner'])).toEqual({ deptId: 3, data: { petitioner: '张*', subject: '噪声' } });
    expect(maskAuditValue({ petitioner: '欧阳娜娜' }, ['petitioner'])).toEqual({ petitioner: '欧***' });
    expect(maskAuditValue({ data: { a: '张三' } }, [])).toEqual({ data: { a: '张三' } });
  });
});
