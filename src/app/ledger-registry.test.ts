import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStorage, testDialects, type TestStorage } from '../db/testing';
import { LedgerRegistry } from './ledger-registry';

const visit = {
  kind: 'visit_log',
  label: '来访登记',
  occurredOn: 'visitedOn',
  fields: [
    { key: 'visitedOn', label: '来访日期', type: 'date', required: true },
    { key: 'subject', label: '事项', type: 'text', required: true },
  ],
};

describe.each(testDialects())('ledger registry (%s)', (dialect) => {
  let s: TestStorage;
  beforeAll(async () => {
    s = await openTestStorage(dialect);
    await new LedgerRegistry(s).define(s.db, visit, null, '2026-01-01T00:00:00Z');
  });
  afterAll(async () => s?.dispose());

  it("finds a custom kind for every one of a fresh process's concurrent first requests", async () => {
    // A new instance, as in a freshly started worker: the requests arrive before its cache is loaded.
    const fresh = new LedgerRegistry(s);
    const defs = await Promise.all(Array.from({ length: 8 }, () => fresh.get('visit_log')));
    expect(defs.map((d) => d.label)).toEqual(new Array(8).fill('来访登记'));
    await expect(fresh.get('nope')).rejects.toThrow('台账类型“nope”不存在');
  });
});
