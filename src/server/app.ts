import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import { jsonSchemaTransformObject, validatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../app/context';
import crypto from 'node:crypto';
import { registerErrorHandling, sendError } from './plugins/errors';
import { registerAuth, SESSION_COOKIE } from './plugins/auth';
import { VERSION } from '../version';
import { collectRoutes } from './plugins/access';
import { registerCsrf } from './plugins/csrf';
import { registerSecurityHeaders } from './plugins/headers';
import { registerRateLimits } from './plugins/rate-limits';
import { registerInputChecks } from './plugins/input';
import { metricsToken, registerMetrics } from './plugins/metrics';
import { ROUTES } from './routes';
import { addErrorResponses, openApiTransform, responseSerializer } from './schemas';
import { logRequest } from './plugins/transport';

z.config(z.locales.zhCN());

export interface ServerOptions {
  /** fastify's logger options (level, and a stream in tests that read the log). */
  logger?: FastifyServerOptions['logger'];
  /** Folder of the built web app (default web/dist). */
  webDir?: string;
  trustProxy?: boolean;
  /** Serve HTTPS from this certificate (FAZHI_TLS_CERT / FAZHI_TLS_KEY, see plugins/transport.ts). */
  https?: { cert: Buffer; key: Buffer };
  /** Turns on the operator's /metrics endpoint, scraped with this bearer token (default FAZHI_METRICS_TOKEN). */
  metricsToken?: string | null;
  /** An answer with a property its schema does not declare is an error, not dropped (default FAZHI_STRICT_RESPONSES=1; the tests). */
  strictResponses?: boolean;
}

const here = path.dirname(fileURLToPath(import.meta.url));
export const DEFAULT_WEB_DIR = path.resolve(here, '../../web/dist');

/** Builds the HTTP server. It keeps no state of its own: sessions and jobs live in the database. */
export async function buildServer(ctx: AppContext, opts: ServerOptions = {}): Promise<FastifyInstance> {
  // The definitions with the 字典's names, loaded before the first request (ledger-registry.ts, get()).
  await ctx.registry.refresh(true);
  const common = {
    // Request lines are logged with filter values redacted: no personal data in the log (SECURITY.md).
    logger: opts.logger ? { ...(typeof opts.logger === 'object' ? opts.logger : {}), serializers: { req: logRequest } } : false,
    bodyLimit: 1024 * 1024,
    trustProxy: opts.trustProxy ?? process.env.FAZHI_TRUST_PROXY === '1',
    // Unique across instances (fastify's default counts per process); never taken from the client.
    requestIdHeader: false as const,
    genReqId: () => crypto.randomUUID(),
  };
  // Fastify types an HTTPS instance apart from an HTTP one; routes and plugins are the same for both.
  const app = (opts.https ? Fastify({ ...common, https: opts.https }) : Fastify(common)) as unknown as FastifyInstance;
  collectRoutes(app);
  addErrorResponses(app);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(responseSerializer(opts.strictResponses ?? process.env.FAZHI_STRICT_RESPONSES === '1'));
  registerErrorHandling(app, ctx);
  // Every answer names its request id, the one in the log lines of the request.
  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  // No text/plain: a cross-site form can post it without a preflight. Import files come as
  // application/x-ndjson (they may be large); .xlsx, CSV and attachments have their own parsers.
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser('application/x-ndjson', { parseAs: 'string', bodyLimit: 100 * 1024 * 1024 }, (_req, body, done) => done(null, body));
  await app.register(cookie);
  await registerSecurityHeaders(app);
  await registerRateLimits(app, ctx);
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Fazhi 法治台账 API',
        description: '法治政府建设台账与年度报告平台的接口。网页端以会话 Cookie 认证；其他系统以服务账号的 API 令牌认证（Authorization: Bearer，见 docs/integration.md）。',
        version: VERSION,
      },
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: '服务账号的 API 令牌（fzt_…），由系统管理员签发；不需要防跨站伪造请求头' },
          cookieAuth: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: '网页端登录会话；写操作还需 Origin 与 X-Fazhi-Request: 1' },
        },
      },
      security: [{ bearerAuth: [] }, { cookieAuth: [] }],
    },
    // File uploads get their binary request bodies (schemas.ts openApiTransform).
    transform: openApiTransform,
    // Schemas with an id (.meta({ id })) become components/schemas, so the generated client names them.
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  registerAuth(app, ctx);
  registerCsrf(app);
  registerInputChecks(app);
  const token = opts.metricsToken === undefined ? metricsToken() : opts.metricsToken;
  if (token) registerMetrics(app, ctx, token);
  for (const r of ROUTES) await app.register(r(ctx));

  const webDir = opts.webDir ?? DEFAULT_WEB_DIR;
  const hasWeb = fs.existsSync(path.join(webDir, 'index.html'));
  // wildcard: files are looked up per request, so a rebuilt web app is served without a restart.
  if (hasWeb) await app.register(fastifyStatic, { root: webDir, wildcard: true });
  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api/') || req.url.startsWith('/assets/') || req.method !== 'GET') {
      return sendError(req, reply, 404, 'NOT_FOUND', `接口不存在：${req.method} ${req.url.split('?')[0]}`);
    }
    if (!hasWeb) return reply.status(404).type('text/plain; charset=utf-8').send('前端尚未构建：请运行 npm run build:web');
    // The web app routes on the client: every other page gets index.html.
    return reply.type('text/html; charset=utf-8').sendFile('index.html');
  });
  return app;
}
