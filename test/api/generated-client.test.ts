/**
 * The typed API (issue 13): every route declares its answer, and the web's generated types
 * (web/src/api/generated/api.ts, from scripts/gen-api.ts) are those of the server as it is now.
 */
import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { GENERATED_FILE, generateApiTypes, openApiDocument, type OpenApiDocument } from '../../scripts/gen-api';
import { ROUTE_ACCESS } from '../../src/server/plugins/access';

let doc: OpenApiDocument;
beforeAll(async () => {
  doc = await openApiDocument();
}, 120_000);

/** 'GET /api/reports/:id' → the document's operation ('/api/reports/{id}', 'get'). */
function operation(route: string) {
  const [method, url] = route.split(' ') as [string, string];
  return doc.paths[url.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()];
}

describe('the OpenAPI document', () => {
  it('declares an answer (a 2xx response with content) and the error body for every route of the access table', () => {
    const routes = Object.keys(ROUTE_ACCESS).filter((r) => !r.startsWith('GET /api/docs'));
    expect(routes.length).toBeGreaterThan(80);
    const missing = routes.filter((r) => {
      const op = operation(r);
      const ok = Object.entries(op?.responses ?? {}).find(([code]) => /^2\d\d$/.test(code));
      return !ok?.[1].content || !op?.responses?.['4XX'];
    });
    expect(missing, `routes without a response schema: ${missing.join(', ')}`).toEqual([]);
  });

  it('describes file downloads as binary content of their type, and public routes as needing no session', () => {
    const xlsx = operation('GET /api/supervision.xlsx')?.responses?.['200']?.content;
    expect(Object.keys(xlsx ?? {})).toEqual(['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']);
    expect(Object.values(xlsx ?? {})[0]?.schema).toMatchObject({ type: 'string', format: 'binary' });
    expect(Object.keys(operation('GET /api/reports/:id/export')?.responses?.['200']?.content ?? {})).toContain('application/pdf');
    expect((operation('POST /api/auth/login') as { security?: unknown }).security).toEqual([]);
    expect((operation('GET /api/supervision') as { security?: unknown }).security).toBeUndefined();
  });

  it('gives every route that takes a file its request body: the types it accepts, bytes or text', () => {
    type Body = { requestBody?: { content: Record<string, { schema: unknown }> } };
    const body = (r: string) => (operation(r) as Body | undefined)?.requestBody?.content ?? {};
    const binary = { type: 'string', format: 'binary' };
    expect(body('POST /api/records/:kind/:id/attachments')).toEqual({ 'application/octet-stream': { schema: binary }, '*/*': { schema: binary } });
    expect(Object.keys(body('POST /api/import-jobs'))).toEqual(['application/octet-stream', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'text/csv']);
    expect(body('POST /api/import-jobs')['text/csv']?.schema).toEqual({ type: 'string' });
    expect(body('POST /api/import.xlsx')['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']?.schema).toEqual(binary);
    expect(body('POST /api/import')).toEqual({ 'application/x-ndjson': { schema: { type: 'string' } } });
    expect(body('POST /api/calendar/import')).toEqual({ 'application/json': { schema: {} }, 'text/csv': { schema: { type: 'string' } } });
    // Every other write either takes JSON described by its zod schema, or nothing at all.
    const writes = Object.keys(ROUTE_ACCESS).filter((r) => /^(POST|PUT|PATCH) /.test(r));
    const strange = writes.filter((r) => Object.keys(body(r)).some((t) => t !== 'application/json') && !/attachments$|import-jobs$|import\.xlsx$|\/import$/.test(r));
    expect(strange).toEqual([]);
  });
});

describe('the generated web client', () => {
  it('is up to date with the server (run `npm run gen:api` after changing a route or a view schema)', () => {
    const fresh = generateApiTypes(doc);
    const committed = fs.existsSync(GENERATED_FILE) ? fs.readFileSync(GENERATED_FILE, 'utf8') : '';
    expect(committed === fresh, 'web/src/api/generated/api.ts is stale: run `npm run gen:api` and commit the result').toBe(true);
  });

  it('turns a small document into types: $ref, nullable, enums, optional properties, maps, files', () => {
    const text = generateApiTypes({
      paths: {
        '/api/things/{id}': {
          get: {
            summary: '一件',
            parameters: [
              { in: 'path', name: 'id', required: true, schema: { type: 'integer' } },
              { in: 'query', name: 'q', schema: { type: 'string' } },
            ],
            responses: { '200': { content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } } },
          },
        },
        '/api/things/{id}/file': { get: { responses: { '200': { content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } } } } },
      },
      components: {
        schemas: {
          Thing: {
            type: 'object',
            properties: { state: { type: 'string', enum: ['草稿', '定稿'] }, note: { type: 'string', nullable: true }, counts: { type: 'object', additionalProperties: { type: 'number' } } },
            required: ['state', 'note'],
            additionalProperties: false,
          },
          Unused: { type: 'string' },
        },
      },
    });
    expect(text).toContain('export type Thing = {\n  state: "草稿" | "定稿";\n  note: string | null;\n  counts?: { [key: string]: number };\n};');
    expect(text).toContain('  /** 一件 */\n  "GET /api/things/:id": {\n    params: {\n      id: number;\n    };\n    query?: {\n      q?: string;\n    };\n    response: Thing;\n  };');
    expect(text).toContain('"GET /api/things/:id/file": {\n    response: Blob;\n  };');
    expect(text).not.toContain('Unused');
  });
});
