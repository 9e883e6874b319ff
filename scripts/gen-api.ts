/**
 * Writes web/src/api/generated/api.ts: TypeScript types for every request and answer of the API,
 * generated from the server's own OpenAPI document (the zod schemas of the routes, built in memory
 * with an empty in-memory SQLite database; nothing is listened on). Run `npm run gen:api` after
 * changing a route or a view's schema; test/api/generated-client.test.ts fails while the committed
 * file is stale. The output is sorted (components by name, operations by path and method) so that
 * it only changes when the API does.
 *
 * Written here rather than taken from a package: the document uses a small part of OpenAPI 3.0
 * (objects, arrays, enums, unions, nullable, $ref to components), and the web needs one shape of
 * output, keyed like the route table ('GET /api/supervision'), for web/src/api/typed.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStorage } from '../src/db/connect';
import { migrate } from '../src/db/migrations';
import { createContext } from '../src/app/context';
import { buildServer } from '../src/server/app';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const GENERATED_FILE = path.join(root, 'web/src/api/generated/api.ts');

/** The subset of JSON Schema (OpenAPI 3.0 flavour) that zod's converter writes for our schemas. */
interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  format?: string;
  nullable?: boolean;
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  description?: string;
}

interface Parameter {
  in: 'query' | 'path' | 'header' | 'cookie';
  name: string;
  required?: boolean;
  schema: JsonSchema;
}

interface Operation {
  summary?: string;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema: JsonSchema }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema: JsonSchema }> }>;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

/** The server's OpenAPI document, from the app built in memory. */
export async function openApiDocument(): Promise<OpenApiDocument> {
  const storage = openStorage({ dataDir: ':memory:', databaseUrl: '' });
  try {
    await migrate(storage.db, storage.dialect);
    const app = await buildServer(createContext(storage), { webDir: '/nonexistent', metricsToken: null });
    try {
      await app.ready();
      return app.swagger() as unknown as OpenApiDocument;
    } finally {
      await app.close();
    }
  } finally {
    await storage.close();
  }
}

const IDENT = /^[A-Za-z_$][\w$]*$/;
const key = (k: string) => (IDENT.test(k) ? k : JSON.stringify(k));
const refName = (ref: string) => ref.replace('#/components/schemas/', '');
const comment = (text: string | undefined, pad: string) => (text ? `${pad}/** ${text.replace(/\*\//g, '*\\/').replace(/\s*\n\s*/g, ' ')} */\n` : '');

/** One schema as a TypeScript type; names every component it refers to in `refs`. */
function typeOf(s: JsonSchema, refs: Set<string>, pad: string): string {
  const t = bareType(s, refs, pad);
  return s.nullable ? `${t} | null` : t;
}

function bareType(s: JsonSchema, refs: Set<string>, pad: string): string {
  if (s.$ref) {
    const name = refName(s.$ref);
    refs.add(name);
    return name;
  }
  if (s.allOf?.length === 1) return typeOf(s.allOf[0]!, refs, pad);
  if (s.allOf) return s.allOf.map((m) => paren(typeOf(m, refs, pad))).join(' & ');
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) return alternatives.map((m) => typeOf(m, refs, pad)).join(' | ');
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (Array.isArray(s.type)) return s.type.map((t) => bareType({ ...s, type: t }, refs, pad)).join(' | ');
  switch (s.type) {
    case 'string':
      return s.format === 'binary' ? 'Blob' : 'string';
    case 'number':
    case 'integer':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'array':
      return `Array<${s.items ? typeOf(s.items, refs, pad) : 'unknown'}>`;
    case 'object':
      return objectType(s, refs, pad);
    default:
      return s.properties || s.additionalProperties !== undefined ? objectType(s, refs, pad) : 'unknown';
  }
}

const paren = (t: string) => (t.includes('|') ? `(${t})` : t);

function objectType(s: JsonSchema, refs: Set<string>, pad: string): string {
  const props = Object.entries(s.properties ?? {});
  const extra = s.additionalProperties;
  if (!props.length) {
    if (extra === false) return 'Record<string, never>';
    if (extra === undefined || extra === true || Object.keys(extra).length === 0) return '{ [key: string]: unknown }';
    return `{ [key: string]: ${typeOf(extra, refs, pad)} }`;
  }
  const inner = `${pad}  `;
  const required = new Set(s.required ?? []);
  const lines = props.map(([k, v]) => `${comment(v.description, inner)}${inner}${key(k)}${required.has(k) ? '' : '?'}: ${typeOf(v, refs, inner)};`);
  // Known properties beside others of any kind: the index signature has to admit them all.
  if (extra !== undefined && extra !== false) lines.push(`${inner}[key: string]: unknown;`);
  return `{\n${lines.join('\n')}\n${pad}}`;
}

/** The answer of an operation: its first 2xx, JSON or a file (Blob). */
function responseType(op: Operation, refs: Set<string>, pad: string): string {
  const ok = Object.keys(op.responses ?? {})
    .filter((c) => /^2\d\d$/.test(c))
    .sort()[0];
  const content = ok ? op.responses![ok]!.content : undefined;
  if (!content) return 'void';
  const json = content['application/json'];
  if (json && Object.keys(content).length === 1) return typeOf(json.schema, refs, pad);
  return 'Blob';
}

function paramsType(params: Parameter[], refs: Set<string>, pad: string): string {
  const inner = `${pad}  `;
  const lines = [...params].sort((a, b) => a.name.localeCompare(b.name)).map((p) => `${inner}${key(p.name)}${p.required ? '' : '?'}: ${typeOf(p.schema, refs, inner)};`);
  return `{\n${lines.join('\n')}\n${pad}}`;
}

const METHOD_ORDER = ['get', 'post', 'put', 'patch', 'delete'];

/** The generated module's text. Pure: the same document gives the same text. */
export function generateApiTypes(doc: OpenApiDocument): string {
  const refs = new Set<string>();
  const ops: string[] = [];
  const pad = '    ';
  for (const p of Object.keys(doc.paths).sort()) {
    const methods = Object.keys(doc.paths[p]!).sort((a, b) => METHOD_ORDER.indexOf(a) - METHOD_ORDER.indexOf(b));
    for (const m of methods) {
      const op = doc.paths[p]![m]!;
      const route = `${m.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`;
      const parts: string[] = [];
      const pathParams = (op.parameters ?? []).filter((x) => x.in === 'path');
      const query = (op.parameters ?? []).filter((x) => x.in === 'query');
      if (pathParams.length) parts.push(`${pad}params: ${paramsType(pathParams, refs, pad)};`);
      if (query.length) parts.push(`${pad}query${query.some((q) => q.required) ? '' : '?'}: ${paramsType(query, refs, pad)};`);
      const body = op.requestBody?.content['application/json'];
      if (body) parts.push(`${pad}body${op.requestBody?.required ? '' : '?'}: ${typeOf(body.schema, refs, pad)};`);
      parts.push(`${pad}response: ${responseType(op, refs, pad)};`);
      // The error body (4XX, 5XX) and its parts are emitted too, for the client's error handling.
      for (const r of Object.values(op.responses ?? {})) if (r.content?.['application/json']) typeOf(r.content['application/json'].schema, refs, pad);
      ops.push(`${comment(op.summary, '  ')}  ${JSON.stringify(route)}: {\n${parts.join('\n')}\n  };`);
    }
  }
  // Components reached from the operations, and those they reach in turn.
  const schemas = doc.components?.schemas ?? {};
  const emitted = new Map<string, string>();
  const queue = [...refs];
  while (queue.length) {
    const name = queue.shift()!;
    if (emitted.has(name)) continue;
    const s = schemas[name];
    if (!s) throw new Error(`OpenAPI document refers to a missing component: ${name}`);
    const more = new Set<string>();
    emitted.set(name, `${comment(s.description, '')}export type ${name} = ${typeOf(s, more, '')};`);
    queue.push(...more);
  }
  const types = [...emitted.keys()].sort().map((n) => emitted.get(n)!);
  return [
    '// Generated by scripts/gen-api.ts from the server\'s OpenAPI document (/api/docs/json). Do not edit:',
    '// change the route or view schema on the server and run `npm run gen:api`.',
    '/* eslint-disable */',
    '',
    ...types.flatMap((t) => [t, '']),
    '/** Every operation by its route (method and path as in src/server/plugins/access.ts): params, query, body, answer. */',
    'export interface Operations {',
    ...ops,
    '}',
    '',
  ].join('\n');
}

export async function generatedText(): Promise<string> {
  return generateApiTypes(await openApiDocument());
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const text = await generatedText();
  fs.mkdirSync(path.dirname(GENERATED_FILE), { recursive: true });
  fs.writeFileSync(GENERATED_FILE, text);
  console.log(`wrote ${path.relative(root, GENERATED_FILE)}`);
}
