/**
 * The reference for `npm run bench -- load`: the physical limit of this machine for the same page — a
 * bare fastify server over one indexed table holding the same training records, no sessions, no
 * scope, no definitions. Started as its own process by bench/load.ts:
 *   BARE_SQLITE=/path/fazhi.db PORT=… npx tsx bench/bare-server.ts     (better-sqlite3)
 *   BARE_PG_URL=postgres://…   PORT=… npx tsx bench/bare-server.ts     (pg)
 * The table `bare_training` is created and filled by the bench from the platform's records.
 */
import Fastify from 'fastify';
import Database from 'better-sqlite3';
import pg from 'pg';

interface Row {
  id: number;
  org_id: number;
  dept_id: number;
  training_type: string;
  held_on: string;
  title: string;
  attendees: number;
  hours: number | null;
  version: number;
  created_at: string;
}

interface Store {
  page(orgId: number, type: string, from: string, to: string, limit: number, offset: number): Promise<{ total: number; items: Row[] }>;
  get(id: number): Promise<Row | undefined>;
  insert(r: Omit<Row, 'id'>): Promise<Row>;
}

function sqliteStore(file: string): Store {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  const count = db.prepare('select count(*) as n from bare_training where org_id = ? and training_type = ? and held_on >= ? and held_on <= ?');
  const page = db.prepare('select * from bare_training where org_id = ? and training_type = ? and held_on >= ? and held_on <= ? order by held_on desc, id desc limit ? offset ?');
  const get = db.prepare('select * from bare_training where id = ?');
  const ins = db.prepare(
    'insert into bare_training (org_id, dept_id, training_type, held_on, title, attendees, hours, version, created_at) values (@org_id, @dept_id, @training_type, @held_on, @title, @attendees, @hours, @version, @created_at) returning *',
  );
  return {
    page: async (o, t, f, to, l, off) => ({ total: (count.get(o, t, f, to) as { n: number }).n, items: page.all(o, t, f, to, l, off) as Row[] }),
    get: async (id) => get.get(id) as Row | undefined,
    insert: async (r) => ins.get(r) as Row,
  };
}

function pgStore(url: string): Store {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  pg.types.setTypeParser(20, (v) => Number(v));
  return {
    async page(o, t, f, to, l, off) {
      const args = [o, t, f, to];
      const [c, p] = await Promise.all([
        pool.query('select count(*) as n from bare_training where org_id = $1 and training_type = $2 and held_on >= $3 and held_on <= $4', args),
        pool.query('select * from bare_training where org_id = $1 and training_type = $2 and held_on >= $3 and held_on <= $4 order by held_on desc, id desc limit $5 offset $6', [...args, l, off]),
      ]);
      return { total: Number(c.rows[0].n), items: p.rows as Row[] };
    },
    get: async (id) => (await pool.query('select * from bare_training where id = $1', [id])).rows[0] as Row | undefined,
    async insert(r) {
      const q = await pool.query(
        'insert into bare_training (org_id, dept_id, training_type, held_on, title, attendees, hours, version, created_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning *',
        [r.org_id, r.dept_id, r.training_type, r.held_on, r.title, r.attendees, r.hours, r.version, r.created_at],
      );
      return q.rows[0] as Row;
    },
  };
}

const store = process.env.BARE_PG_URL ? pgStore(process.env.BARE_PG_URL) : sqliteStore(process.env.BARE_SQLITE ?? 'fazhi.db');
const app = Fastify({ logger: false });
app.get<{ Querystring: { orgId: string; type: string; year: string; page?: string } }>('/training', async (req) => {
  const page = Math.max(1, Number(req.query.page ?? 1));
  const y = Number(req.query.year);
  return store.page(Number(req.query.orgId), req.query.type, `${y}-01-01`, `${y}-12-31`, 20, (page - 1) * 20);
});
app.get<{ Params: { id: string } }>('/training/:id', async (req, reply) => (await store.get(Number(req.params.id))) ?? reply.status(404).send({ error: 'not found' }));
app.post<{ Body: { orgId: number; deptId: number; title: string; heldOn: string; trainingType: string; attendees: number } }>('/training', async (req, reply) => {
  const b = req.body;
  const row = await store.insert({ org_id: b.orgId, dept_id: b.deptId, training_type: b.trainingType, held_on: b.heldOn, title: b.title, attendees: b.attendees, hours: null, version: 1, created_at: new Date().toISOString() });
  return reply.status(201).send(row);
});
await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
console.log(`bare server listening`);
