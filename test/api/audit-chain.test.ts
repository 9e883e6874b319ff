import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { testDialects } from '../../src/db/testing';
import { startApi, type ApiHarness } from '../support/api';
import { verifyAuditChain } from '../../src/app/audit-verify';
import { pruneAudit } from '../../src/app/audit-retention';
import { audit } from '../../src/app/audit';
import { systemActor } from '../../src/app/context';

const training = { title: '宪法学习', heldOn: '2023-03-14', trainingType: '执法人员培训', attendees: 24 };

describe.each(testDialects())('the audit chain (%s)', (dialect) => {
  let h: ApiHarness;
  let sfs: string;
  let sfsDept: number;
  let clock = new Date('2026-06-01T02:00:00Z');
  const db = () => h.storage.db;

  /** An attacker with write access to the database first removes the append-only triggers. */
  async function dropGuards() {
    if (dialect === 'sqlite') {
      await sql`drop trigger if exists audit_log_no_update`.execute(db());
      await sql`drop trigger if exists audit_log_prune_only`.execute(db());
    } else {
      await sql`drop trigger if exists audit_log_guard on audit_log`.execute(db());
    }
  }

  beforeAll(async () => {
    h = await startApi(dialect, () => clock);
    sfs = await h.login('clerk_sfs');
    sfsDept = await h.deptId('town_a', '司法所');
    for (let i = 0; i < 5; i++) {
      const r = await h.req(sfs, 'POST', '/api/records/training', { deptId: sfsDept, data: { ...training, attendees: 10 + i } });
      expect(r.statusCode).toBe(201);
    }
  });
  afterAll(async () => h?.close());

  it('chains every entry with SM3 and verifies', async () => {
    const rows = await db().selectFrom('audit_log').select(['seq', 'alg', 'hash', 'prev_hash']).orderBy('id').execute();
    expect(rows.length).toBeGreaterThanOrEqual(6);
    expect(rows.map((r) => Number(r.seq))).toEqual(rows.map((_, i) => i + 1));
    expect(rows.every((r) => r.alg === 'sm3' && /^[0-9a-f]{64}$/.test(r.hash!))).toBe(true);
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
    const v = await verifyAuditChain(db());
    expect(v).toMatchObject({ ok: true, checked: rows.length, headSeq: rows.length, headHash: rows.at(-1)!.hash });
  });

  it('refuses an update or a delete of an entry in the database itself', async () => {
    await expect(db().updateTable('audit_log').set({ detail: '篡改' }).where('seq', '=', 2).execute()).rejects.toThrow(/只可追加/);
    await expect(db().deleteFrom('audit_log').where('seq', '=', 2).execute()).rejects.toThrow(/只可追加/);
    expect((await verifyAuditChain(db())).ok).toBe(true);
  });

  it('chains concurrent writers one after another', async () => {
    const rs = await Promise.all(Array.from({ length: 12 }, (_, i) => h.req(sfs, 'POST', '/api/records/training', { deptId: sfsDept, data: { ...training, attendees: 100 + i } })));
    expect(rs.map((r) => r.statusCode)).toEqual(rs.map(() => 201));
    // And entries written outside a command's transaction (e.g. an export) at the same time.
    await Promise.all(Array.from({ length: 6 }, (_, i) => audit(db(), systemActor(), clock.toISOString(), { action: 'export', entity: 'records', detail: String(i) })));
    const v = await verifyAuditChain(db());
    expect(v.ok, v.problem?.message).toBe(true);
    const seqs = (await db().selectFrom('audit_log').select('seq').orderBy('seq').execute()).map((r) => Number(r.seq));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs.at(-1)).toBe(seqs.length);
  });

  it('masks personal data in the stored before/after values', async () => {
    const office = await h.login('office');
    const zfDept = await h.deptId('town_a', '综合行政执法队');
    const r = await h.req(office, 'POST', '/api/records/petition', { deptId: zfDept, data: { registeredOn: '2026-05-20', channel: '来访', petitioner: '欧阳娜娜', subject: '噪声' } });
    expect(r.statusCode).toBe(201);
    const e = await db().selectFrom('audit_log').selectAll().where('entity', '=', 'record').where('entity_id', '=', String(r.json().id)).executeTakeFirstOrThrow();
    expect(e.after).toContain('欧***');
    expect(e.after).not.toContain('欧阳娜娜');
    expect(e.after).toContain('噪声');
  });

  describe('with the guards removed by an attacker', () => {
    beforeAll(dropGuards);

    it('names an edited entry', async () => {
      const row = await db().selectFrom('audit_log').selectAll().where('action', '=', 'create').where('entity', '=', 'record').orderBy('seq').limit(1).executeTakeFirstOrThrow();
      const forged = row.after!.replace('"attendees":10', '"attendees":99');
      expect(forged).not.toBe(row.after);
      await db().updateTable('audit_log').set({ after: forged }).where('id', '=', row.id).execute();
      const v = await verifyAuditChain(db());
      expect(v.ok).toBe(false);
      expect(v.problem).toMatchObject({ kind: 'edited', seq: row.seq, id: row.id });
      expect(v.problem!.message).toContain(`第 ${row.seq} 条`);
      expect(v.problem!.message).toContain('被修改');
      await db().updateTable('audit_log').set({ after: row.after }).where('id', '=', row.id).execute();
      expect((await verifyAuditChain(db())).ok).toBe(true);
    });

    it('names a deleted entry, also at the end of the chain', async () => {
      const row = await db().selectFrom('audit_log').selectAll().where('seq', '=', 4).executeTakeFirstOrThrow();
      await db().deleteFrom('audit_log').where('id', '=', row.id).execute();
      const v = await verifyAuditChain(db());
      expect(v.problem).toMatchObject({ kind: 'missing', seq: 5 });
      expect(v.problem!.message).toContain('第 4 条缺失');
      await db().insertInto('audit_log').values(row).execute();
      expect((await verifyAuditChain(db())).ok).toBe(true);

      const last = await db().selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
      await db().deleteFrom('audit_log').where('id', '=', last.id).execute();
      const tail = await verifyAuditChain(db());
      expect(tail.problem).toMatchObject({ kind: 'missing' });
      expect(tail.problem!.message).toContain(`第 ${last.seq} 条`);
      await db().insertInto('audit_log').values(last).execute();
      expect((await verifyAuditChain(db())).ok).toBe(true);
    });

    it('names reordered entries', async () => {
      const a = await db().selectFrom('audit_log').selectAll().where('seq', '=', 2).executeTakeFirstOrThrow();
      const b = await db().selectFrom('audit_log').selectAll().where('seq', '=', 3).executeTakeFirstOrThrow();
      // Swap the two entries' places (their ids, the order they were written in).
      await db().deleteFrom('audit_log').where('id', 'in', [a.id, b.id]).execute();
      await db().insertInto('audit_log').values([{ ...b, id: a.id }, { ...a, id: b.id }]).execute();
      const v = await verifyAuditChain(db());
      expect(v.problem).toMatchObject({ kind: 'reordered', seq: 3, id: a.id });
      expect(v.problem!.message).toContain('顺序被调换');
      await db().deleteFrom('audit_log').where('id', 'in', [a.id, b.id]).execute();
      await db().insertInto('audit_log').values([a, b]).execute();
      expect((await verifyAuditChain(db())).ok).toBe(true);
    });
  });

  describe('retention', () => {
    it('refuses less than 180 days and never deletes younger entries; the rest still verifies', async () => {
      await expect(pruneAudit(h.ctx, systemActor(), 179)).rejects.toThrow(/180/);
      const total = (await db().selectFrom('audit_log').select('id').execute()).length;
      expect((await pruneAudit(h.ctx, systemActor(), 180)).pruned).toBe(0);
      // 200 days later, new entries; then everything older than 180 days goes.
      clock = new Date(clock.getTime() + 200 * 86_400_000);
      await h.req(await h.login('clerk_sfs'), 'POST', '/api/records/training', { deptId: sfsDept, data: training });
      const young = await db().selectFrom('audit_log').select('id').where('at', '>=', new Date(clock.getTime() - 180 * 86_400_000).toISOString()).execute();
      const r = await pruneAudit(h.ctx, systemActor(), 180);
      // The first prune (of nothing) left a young prune entry itself; everything before that goes.
      expect(r.pruned).toBe(total);
      const left = await db().selectFrom('audit_log').select(['id', 'action']).orderBy('id').execute();
      expect(left.map((x) => x.id).slice(0, young.length)).toEqual(young.map((x) => x.id));
      expect(left.at(-1)!.action).toBe('prune');
      const v = await verifyAuditChain(db());
      expect(v.ok, v.problem?.message).toBe(true);
      expect(v.checkpoint?.throughSeq).toBe(r.throughSeq);
    });

    it('names a forged checkpoint', async () => {
      await db().updateTable('audit_checkpoints').set({ through_hash: '1'.repeat(64) }).execute();
      const v = await verifyAuditChain(db());
      expect(v.problem).toMatchObject({ kind: 'checkpoint' });
    });
  });
});
