import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStorage, testDialects, type TestStorage } from './testing';
import { insertRecordRows, type NewRecordRow } from './records-repo';
import { dataColumn, jsonText } from './json';

/** Rows unlike each other in every column the bulk path writes, nulls and awkward text included. */
function rowsOf(n: number, orgId: number, deptId: number, tag: string): NewRecordRow[] {
  return Array.from({ length: n }, (_, i) => ({
    kind: i % 3 ? 'training' : 'enforcement_case',
    org_id: orgId,
    dept_id: deptId,
    occurred_on: `2025-01-${String((i % 28) + 1).padStart(2, '0')}`,
    status: i % 4 ? null : '已受理',
    due_on: i % 5 ? null : '2025-03-01',
    closed_on: null,
    deadline_state: i % 5 ? null : '正常',
    deadline_rule: i % 5 ? null : 'disclose',
    data: JSON.stringify({ title: `${tag}第${i}条\t“引号”\\`, attendees: i }),
    pii_index: i % 7 ? null : JSON.stringify({ party: `h${i}` }),
    clock: null,
    version: 1,
    deleted_at: null,
    created_by: null,
    created_at: `2025-06-01T00:00:00.${String(i % 1000).padStart(3, '0')}Z`,
    updated_by: null,
    updated_at: '2025-06-01T00:00:00.000Z',
  }));
}

describe.each(testDialects())('bulk insert of records on %s', (dialect) => {
  let s: TestStorage;
  let orgId = 0;
  let deptId = 0;
  beforeAll(async () => {
    s = await openTestStorage(dialect);
    orgId = (await s.db.insertInto('org_units').values({ code: 't', name: '甲镇', level: '镇', parent_id: null, path: '/1/' }).returning('id').executeTakeFirstOrThrow()).id;
    deptId = (await s.db.insertInto('departments').values({ org_id: orgId, name: '司法所' }).returning('id').executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => s.dispose());

  // SQLite writes 100 rows per statement: fewer than one statement, exactly one, and several with a remainder.
  it.each([0, 1, 99, 100, 250])('%i rows arrive whole and in order, every column as given', async (n) => {
    const tag = `批${n}`;
    const rows = rowsOf(n, orgId, deptId, tag);
    await s.db.transaction().execute((trx) => insertRecordRows(s, trx, rows));
    const back = await s.db
      .selectFrom('records')
      .select(['id', 'kind', 'org_id', 'dept_id', 'occurred_on', 'status', 'due_on', 'closed_on', 'deadline_state', 'deadline_rule', 'pii_index', 'clock', 'version', 'deleted_at', 'created_by', 'created_at', 'updated_by', 'updated_at'])
      .select(dataColumn(dialect).as('data'))
      .where(jsonText(dialect, 'title'), 'like', `%${tag}第%`)
      .orderBy('id')
      .execute();
    expect(back).toHaveLength(n);
    back.forEach((r, i) => {
      const { data, id: _id, ...cols } = r;
      const { data: want, ...wantCols } = rows[i]!;
      expect(cols).toEqual(wantCols);
      expect(typeof data === 'string' ? JSON.parse(data) : data).toEqual(JSON.parse(want));
    });
  });

  it('a failing row leaves none of the batch behind (the caller’s transaction rolls back)', async () => {
    const rows = rowsOf(150, orgId, deptId, '回滚');
    rows[120] = { ...rows[120]!, dept_id: 999_999 }; // no such department: the foreign key refuses it
    await expect(s.db.transaction().execute((trx) => insertRecordRows(s, trx, rows))).rejects.toThrow();
    const left = await s.db.selectFrom('records').select('id').where(jsonText(dialect, 'title'), 'like', '%回滚第%').execute();
    expect(left).toEqual([]);
  });
});
