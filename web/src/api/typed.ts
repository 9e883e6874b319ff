import { request } from './client';
import type { Operations } from './generated/api';

/**
 * A typed call of the API by its route, e.g. `call('GET /api/supervision', { query: { orgId } })`:
 * path parameters, query, body and answer are the types generated from the server's schemas
 * (generated/api.ts, `npm run gen:api`). It goes through client.ts's `request`, so it sends the
 * CSRF header and turns an error answer into an ApiError with the server's Chinese message.
 */
export type Route = keyof Operations;

/** Routes answering JSON (files are fetched with client.ts's `download`). */
export type JsonRoute = { [K in Route]: Operations[K]['response'] extends Blob ? never : K }[Route];

export type CallArgs<K extends Route> = Omit<Operations[K], 'response'> & {
  /** Do not trigger the global 401 handler (the session probe and login). */
  quiet401?: boolean;
};

export type Answer<K extends Route> = Operations[K]['response'];

type Loose = { params?: Record<string, string | number>; query?: Record<string, string | number | boolean | null | undefined>; body?: unknown; quiet401?: boolean };

/** The path of a route with its parameters filled in, without the /api prefix (client.ts adds it). */
export function routePath(route: Route, params: Record<string, string | number> = {}): string {
  const path = route.slice(route.indexOf(' ') + 1).replace(/^\/api/, '');
  return path.replace(/:(\w+)/g, (_, name: string) => {
    const v = params[name];
    if (v === undefined) throw new Error(`missing path parameter ${name} of ${route}`);
    return encodeURIComponent(String(v));
  });
}

export function call<K extends JsonRoute>(route: K, ...args: object extends CallArgs<K> ? [args?: CallArgs<K>] : [args: CallArgs<K>]): Promise<Answer<K>> {
  const a = (args[0] ?? {}) as Loose;
  const method = route.slice(0, route.indexOf(' '));
  // As api.post/put do: a state-changing request always carries a JSON body.
  const body = a.body ?? (method === 'POST' || method === 'PUT' ? {} : undefined);
  return request<Answer<K>>(method, routePath(route, a.params), { query: a.query, body, quiet401: a.quiet401 });
}
