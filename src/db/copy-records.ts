import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql, type Transaction } from 'kysely';
import { from as copyFrom } from 'pg-copy-streams';
import type { DB } from './schema';
import type { Storage } from './connect';

/**
 * Bulk insert on PostgreSQL through `COPY records (…) FROM STDIN` on the connection of the import's
 * own transaction, so the rows, the audit entry and the metric-summary marks (the statement-level
 * INSERT triggers of migration 0090 fire for COPY too) commit or roll back together. The rows are
 * the very rows the INSERT path writes (derive.newRecordRow: validated data with personal fields
 * sealed, blind index, derived columns); only their way to the server differs. COPY's text format:
 * tab-separated columns, `\N` for NULL, backslash, tab, newline and carriage return escaped.
 */
export async function copyRows(storage: Storage, trx: Transaction<DB>, table: string, cols: readonly string[], rows: readonly Record<string, unknown>[]): Promise<boolean> {
  const client = await transactionClient(storage, trx);
  if (!client) return false;
  if (!/^[a-z_]+$/.test(table) || !cols.every((c) => /^[a-z_]+$/.test(c))) throw new Error('copyRows: bad identifier');
  const CHUNK = 500;
  async function* text() {
    for (let i = 0; i < rows.length; i += CHUNK) {
      let s = '';
      for (const r of rows.slice(i, i + CHUNK)) s += cols.map((c) => copyValue(r[c])).join('\t') + '\n';
      yield s;
    }
  }
  await pipeline(Readable.from(text()), client.query(copyFrom(`copy ${table} (${cols.join(', ')}) from stdin`)));
  return true;
}

/** The pool client the transaction runs on, found by its server process id. */
async function transactionClient(storage: Storage, trx: Transaction<DB>) {
  if (!storage.pgClientOf) return undefined;
  const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
  return storage.pgClientOf(Number(rows[0]!.pid));
}

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** One value in COPY's text format. */
export function copyValue(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  const s = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
  return /[\\\t\n\r]/.test(s) ? s.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c]!) : s;
}
