import { describe, expect, it } from 'vitest';
import { importTarget } from './exchangeFiles';

describe('importTarget', () => {
  it('sends workbooks and JSON lines to their endpoints with the org unit', () => {
    expect(importTarget('台账.XLSX', 3)).toEqual({ path: '/import.xlsx?orgId=3', contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
    expect(importTarget('records.jsonl', 3)).toEqual({ path: '/import?orgId=3', contentType: 'application/x-ndjson' });
  });
  it('refuses other files', () => {
    expect(importTarget('a.csv', 3)).toBeNull();
  });
});
