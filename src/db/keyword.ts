import { sql, type Expression, type SqlBool } from 'kysely';
import type { Dialect } from './connect';
import type { FieldDef, LedgerDef } from '../core/ledgers/types';
import { fieldCondition } from './records-repo';

/** Field types a list's keyword box searches. */
const TEXT_TYPES = new Set(['text', 'longtext', 'person']);

/**
 * The list's keyword box: the words appear in any text field of the record (or it is record #N).
 * Personal fields are searched only for roles that see them, or a search would reveal a masked name.
 */
export function keywordCondition(
  dialect: Dialect,
  def: LedgerDef,
  keyword: string,
  seesPii: boolean,
  /** A personal field's blind index of the keyword: encrypted at rest, it matches the whole value only. */
  blindOf: (f: FieldDef) => string,
): Expression<SqlBool> {
  const fields: FieldDef[] = def.fields.filter((f) => TEXT_TYPES.has(f.type) && (seesPii || !f.pii));
  const parts: Expression<SqlBool>[] = fields.map((field) =>
    field.pii ? fieldCondition(dialect, { field, op: 'eq', value: keyword, blind: [blindOf(field)] }) : fieldCondition(dialect, { field, op: 'contains', value: keyword }),
  );
  const asId = /^#?\d{1,15}$/.test(keyword) ? Number(keyword.replace('#', '')) : null;
  if (asId !== null) parts.push(sql<SqlBool>`records.id = ${asId}`);
  return parts.length ? sql<SqlBool>`(${sql.join(parts, sql` or `)})` : sql<SqlBool>`1 = 0`;
}
