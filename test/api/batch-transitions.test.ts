import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../../src/db/testing';
import { countRows, startApi, type ApiHarness } from '../support/api';

// Monday 2026-03-16, 14:05 Shanghai.
const NOW = () => new Date('2026-03-16T06:05:00Z');

describe.each(testDialects())('a batch flow step that asks for fields, on %s', (dialect) => {
  let h: ApiHarness;
  let office = '', sfs = '', zf = '';
  const ids: Record<string, number> = {};
  const batch = (who: string, key: string, body: unknown) => h.req(who, 'POST', `/api/records/deputy_suggestion/transitions/${key}`, body);
  const rec = async (id: number) => (await h.req(office, 'GET', `/api/records/deputy_suggestion/${id}`)).json() as { status: string; data: Record<string, unknown> };

  beforeAll(async () => {
    h = await startApi(dialect, NOW);
    [office, sfs, zf] = await h.logins('office', 'clerk_sfs', 'clerk_zf');
    const sfsDept = await h.deptId('town_a', '司法所');
    const add = async (title: string, extra: Record<string, unknown> = {}) => {
      const r = await h.req(office, 'POST', '/api/records/deputy_suggestion', { deptId: sfsDept, data: { title, source: '镇人大代表建议', receivedOn: '2026-03-02', ...extra } });
      expect(r.statusCode, r.body).toBe(201);
      return (r.json() as { id: number }).id;
    };
    ids.a = await add('建议甲');
    ids.b = await add('建议乙', { resultCategory: 'D 留作参考' });
    ids.late = await add('建议丙', { receivedOn: '2026-03-12' });
    ids.replied = await add('建议丁');
    expect((await h.req(office, 'POST', `/api/records/deputy_suggestion/${ids.replied}/transitions/reply`, { data: { resultCategory: 'A 已解决或采纳' }, on: '2026-03-10' })).statusCode).toBe(200);
  });
  afterAll(async () => h?.close());

  it('refuses a wrong value once, naming the field, and writes nothing', async () => {
    const before = await countRows(h, 'audit_log');
    const r = await batch(office, 'reply', { ids: [ids.a, ids.b], data: { resultCategory: 'E 其他' }, on: '2026-03-11' });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.fields).toEqual([expect.objectContaining({ field: 'resultCategory', label: '办理结果' })]);
    expect(r.json().error.message).toMatch(/^办理结果：/);
    expect(await countRows(h, 'audit_log')).toBe(before);
    expect((await rec(ids.a!)).status).toBe('交办');
  });

  it('performs the step where it applies with the one value and date, and says which records it refused and why', async () => {
    const r = await batch(office, 'reply', { ids: [ids.a, ids.b, ids.late, ids.replied], data: { resultCategory: 'B 正在解决或列入计划' }, on: '2026-03-11' });
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json() as { done: number[]; refused: { id: number; message: string }[] };
    expect(body.done).toEqual([ids.a, ids.b]);
    expect(body.refused.map((x) => x.id)).toEqual([ids.late, ids.replied]);
    // The single step's own reasons: a date before the record's start, a state the step does not leave from.
    expect(body.refused[0]!.message).toContain('交办日期');
    expect(body.refused[1]!.message).toContain('已答复');
    expect(await rec(ids.a!)).toMatchObject({ status: '已答复', data: { resultCategory: 'B 正在解决或列入计划', repliedOn: '2026-03-11' } });
    // A record that had its own 办理结果 keeps it: the value fills only what is missing.
    expect(await rec(ids.b!)).toMatchObject({ status: '已答复', data: { resultCategory: 'D 留作参考', repliedOn: '2026-03-11' } });
    expect(await rec(ids.late!)).toMatchObject({ status: '交办' });
    const history = (await h.req(office, 'GET', `/api/records/deputy_suggestion/${ids.a}/history`)).json() as { items: { action: string }[] };
    expect(history.items.map((i) => i.action)).toEqual(['create', 'transition']);
  });

  it("refuses another department's records to a clerk, and a batch without records", async () => {
    const r = await batch(zf, 'handle', { ids: [ids.late] });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ done: [], refused: [{ id: ids.late, message: expect.stringContaining('无权') }] });
    const own = await batch(sfs, 'handle', { ids: [ids.late] });
    expect(own.json()).toEqual({ done: [ids.late], refused: [] });
    const none = await batch(office, 'handle', { ids: [] });
    expect(none.statusCode).toBe(400);
    expect(none.json().error.message).toContain('请选择要办理的记录');
  });
});
