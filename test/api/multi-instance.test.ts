import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openStorage, type Storage } from '../../src/db/connect';
import { openTestStorage, testDialects, type TestStorage } from '../../src/db/testing';
import { migrate } from '../../src/db/migrations';
import { createContext } from '../../src/app/context';
import { seedOrgsAndUsers } from '../../src/app/seed';
import { buildServer } from '../../src/server/app';
import { PASSWORD, TEST_ORGS, TEST_USERS } from '../support/api';
import { totpCode } from '../support/totp';

/**
 * Two server instances on one database, as behind a load balancer: nothing a request needs may live
 * in one instance's memory.
 */
describe.each(testDialects())('two instances on one %s database', (dialect) => {
  let owner: TestStorage | null = null;
  let dir = '';
  const storages: Storage[] = [];
  let a: FastifyInstance, b: FastifyInstance;

  beforeAll(async () => {
    let url = '';
    if (dialect === 'postgres') {
      owner = await openTestStorage('postgres');
      url = owner.describe;
    } else dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fazhi-multi-'));
    const open = () => (dialect === 'postgres' ? openStorage({ databaseUrl: url }) : openStorage({ dataDir: dir, databaseUrl: '' }));
    const s1 = open();
    const s2 = open();
    storages.push(s1, s2);
    await migrate(s1.db, s1.dialect);
    await migrate(s2.db, s2.dialect); // the second start finds nothing to do
    const c1 = createContext(s1);
    await seedOrgsAndUsers(c1, TEST_ORGS, TEST_USERS);
    a = await buildServer(c1, { webDir: '/nonexistent' });
    b = await buildServer(createContext(s2), { webDir: '/nonexistent' });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    for (const s of storages) await s.close();
    await owner?.dispose();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('shares sessions, records, custom kinds and versions between instances', async () => {
    const login = await a.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: PASSWORD } });
    const cookie = `fazhi_sid=${login.cookies.find((c) => c.name === 'fazhi_sid')!.value}`;
    // The administrator binds its second factor: started on B, confirmed on A (the secret lives in the database).
    expect(login.json().pending).toBe('enrol');
    const enrol = await b.inject({ method: 'POST', url: '/api/auth/totp/enrol', headers: { cookie } });
    const confirm = await a.inject({ method: 'POST', url: '/api/auth/totp/confirm', headers: { cookie }, payload: { code: totpCode(enrol.json().secret, new Date()) } });
    expect(confirm.statusCode, confirm.body).toBe(200);
    const me = await b.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
    expect(me.json().user.username).toBe('admin');
    expect(me.json().pending).toBeNull();

    const def = {
      kind: 'visit_log',
      label: '走访记录',
      occurredOn: 'visitedOn',
      fields: [{ key: 'visitedOn', label: '走访日期', type: 'date', required: true }],
    };
    expect((await a.inject({ method: 'POST', url: '/api/ledgers', headers: { cookie }, payload: def })).statusCode).toBe(201);
    const orgs = (await b.inject({ method: 'GET', url: '/api/orgs', headers: { cookie } })).json().items as { code: string; id: number; depts: { id: number }[] }[];
    const town = orgs.find((o) => o.code === 'town_a')!;
    const created = await b.inject({ method: 'POST', url: '/api/records/visit_log', headers: { cookie }, payload: { orgId: town.id, deptId: town.depts[0]!.id, data: { visitedOn: '2026-05-01' } } });
    expect(created.statusCode).toBe(201);
    const id = created.json().id;
    // An edit on A bumps the version; B then refuses the stale version it was given.
    expect((await a.inject({ method: 'PUT', url: `/api/records/visit_log/${id}`, headers: { cookie }, payload: { version: 1, data: { visitedOn: '2026-05-02' } } })).statusCode).toBe(200);
    const stale = await b.inject({ method: 'PUT', url: `/api/records/visit_log/${id}`, headers: { cookie }, payload: { version: 1, data: { visitedOn: '2026-05-03' } } });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.current.data.visitedOn).toBe('2026-05-02');

    // Logging out on B ends the session on A too.
    await b.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } });
    expect((await a.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(401);
  });
});
