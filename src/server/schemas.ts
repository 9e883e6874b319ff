import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler } from 'fastify-type-provider-zod';
import { ZFieldError, ZLineError } from '../core/errors';
import { routeRule } from './plugins/access';

/**
 * Response shapes shared by the routes. A view's own schema lives beside the view (src/app/…), its
 * TypeScript type derived from it with z.infer; these are the HTTP-only ones. The OpenAPI document
 * (/api/docs/json) is built from them, and web/src/api/generated/ is generated from that (npm run gen:api).
 */

/** The one error body (plugins/errors.ts sendError); the request id is missing only on the import size refusal. */
export const ZErrorBody = z
  .object({
    error: z.object({
      code: z.string().meta({ description: 'VALIDATION、NOT_FOUND、FORBIDDEN、UNAUTHENTICATED、CONFLICT、BAD_REQUEST、LOCKED、TOO_LARGE、UNSUPPORTED、TOO_MANY_REQUESTS、UNAVAILABLE、INTERNAL 等' }),
      message: z.string().meta({ description: '中文错误说明' }),
      requestId: z.string().optional(),
      fields: z.array(ZFieldError).optional(),
      lines: z.array(ZLineError).optional(),
      /** For 409 CONFLICT: the record as it is now. */
      current: z.unknown().optional(),
    }),
  })
  .meta({ id: 'ErrorBody', description: '错误：code 为错误类别，message 为中文说明，fields 为各字段的问题，lines 为导入文件各行的问题' });
export type ErrorBody = z.infer<typeof ZErrorBody>;

export const ZOk = z.object({ ok: z.boolean() }).meta({ id: 'Ok' });

/** `{ items: [...] }`, the answer of most lists without paging. */
export const itemsOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });

/** A page of a list: items, the total and the page asked for. */
export const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), total: z.number(), page: z.number(), pageSize: z.number() });

// Typed as what the handlers send (fastify passes Buffers, streams and strings through untouched);
// the schema itself only documents the bytes as a binary string in OpenAPI.
const ZBinary = z.string().meta({ format: 'binary' }) as unknown as z.ZodType<Buffer | NodeJS.ReadableStream | string>;

/**
 * A file download, described in OpenAPI as binary content of these types. Fastify never runs a
 * serializer on a Buffer, stream or string, so the schema documents the answer without touching it.
 */
export const fileResponse = (description: string, ...contentTypes: string[]) => ({
  description,
  content: Object.fromEntries(contentTypes.map((t) => [t.split(';')[0]!, { schema: ZBinary }])),
});

/**
 * The OpenAPI transform: the zod schemas as JSON Schema (fastify-type-provider-zod), and for a route
 * whose body is a file — it names the body's types in `consumes` and has no zod body, because the
 * bytes go to a content-type parser of its own, not to a validator — a request body of those types,
 * so a generated client knows what to send.
 */
export const openApiTransform: typeof jsonSchemaTransform = (doc) => {
  const out = jsonSchemaTransform(doc);
  const schema = out.schema as { body?: unknown; consumes?: readonly string[] } | undefined;
  if (schema?.consumes?.length && schema.body === undefined) {
    // Text formats (CSV, JSON Lines) are strings, a JSON file any JSON document, the rest bytes.
    const of = (t: string) => (t === 'application/json' ? {} : t.startsWith('text/') || t === 'application/x-ndjson' ? { type: 'string' } : { type: 'string', format: 'binary' });
    schema.body = { content: Object.fromEntries(schema.consumes.map((t) => [t, { schema: of(t) }])) };
  }
  return out;
};

/** The error statuses every route may answer with (the 4xx of the checks in plugins/, and 5xx). */
const ERROR_RESPONSES = { '4xx': ZErrorBody, '5xx': ZErrorBody };

/**
 * Gives every route with a schema the error body for 4xx and 5xx, so the document names it once for
 * all and the server checks its own errors against it; a public route (ROUTE_ACCESS) needs no session
 * in the document either. Call before @fastify/swagger is registered.
 */
export function addErrorResponses(app: FastifyInstance): void {
  app.addHook('onRoute', (r) => {
    if (!r.schema || r.schema.hide) return;
    r.schema.response = { ...ERROR_RESPONSES, ...(r.schema.response as object | undefined) };
    const methods = Array.isArray(r.method) ? r.method : [r.method];
    if (methods.every((m) => routeRule(m, r.url) === 'public')) r.schema.security = [];
  });
}

/** Paths of the properties in `sent` that `kept` lacks (both plain JSON). */
function droppedPaths(sent: unknown, kept: unknown, at: string, out: string[]): string[] {
  if (Array.isArray(sent) && Array.isArray(kept)) sent.forEach((v, i) => droppedPaths(v, kept[i], `${at}[${i}]`, out));
  else if (sent && kept && typeof sent === 'object' && typeof kept === 'object') {
    for (const [k, v] of Object.entries(sent)) {
      if (!(k in kept)) out.push(at ? `${at}.${k}` : k);
      else droppedPaths(v, (kept as Record<string, unknown>)[k], at ? `${at}.${k}` : k, out);
    }
  }
  return out;
}

type SerializerCompiler = typeof serializerCompiler;

/**
 * fastify-type-provider-zod's serializer: the answer is encoded with its schema, so properties the
 * schema does not declare are dropped. With `strict` (FAZHI_STRICT_RESPONSES=1, set by the test
 * configurations) a dropped property is an error instead, naming it: a field added to a view without
 * its schema fails the tests rather than silently vanishing from the API.
 */
export function responseSerializer(strict: boolean): SerializerCompiler {
  if (!strict) return serializerCompiler;
  return (route) => {
    const encode = serializerCompiler(route);
    return (data) => {
      const text = encode(data);
      const dropped = droppedPaths(JSON.parse(JSON.stringify(data)) as unknown, JSON.parse(text) as unknown, '', []);
      if (dropped.length) throw new Error(`${route.method} ${route.url}: the answer has properties its response schema does not declare: ${dropped.slice(0, 10).join(', ')}`);
      return text;
    };
  };
}
