import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../app/context';
import { registerErrorHandling } from './plugins/errors';
import { registerAuth } from './plugins/auth';
import { metricsToken, registerMetrics } from './plugins/metrics';
import { ROUTES } from './routes';

z.config(z.locales.zhCN());

export interface ServerOptions {
  logger?: boolean | { level: string };
  /** Folder of the built web app (default web/dist). */
  webDir?: string;
  trustProxy?: boolean;
  /** Turns on the operator's /metrics endpoint, scraped with this bearer token (default FAZHI_METRICS_TOKEN). */
  metricsToken?: string | null;
}

const here = path.dirname(fileURLToPath(import.meta.url));
export const DEFAULT_WEB_DIR = path.resolve(here, '../../web/dist');

/** Builds the HTTP server. It keeps no state of its own: sessions and jobs live in the database. */
export async function buildServer(ctx: AppContext, opts: ServerOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: 1024 * 1024,
    trustProxy: opts.trustProxy ?? process.env.FAZHI_TRUST_PROXY === '1',
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app);
  // Import files are posted as text; they may be large.
  app.addContentTypeParser(['application/x-ndjson', 'text/plain'], { parseAs: 'string', bodyLimit: 100 * 1024 * 1024 }, (_req, body, done) =>
    done(null, body),
  );
  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      info: { title: 'Fazhi 法治台账 API', description: '法治政府建设台账与年度报告平台的接口。所有接口需登录（会话 Cookie）。', version: '0.1.0' },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  registerAuth(app, ctx);
  const token = opts.metricsToken === undefined ? metricsToken() : opts.metricsToken;
  if (token) registerMetrics(app, ctx, token);
  for (const r of ROUTES) await app.register(r(ctx));

  const webDir = opts.webDir ?? DEFAULT_WEB_DIR;
  const hasWeb = fs.existsSync(path.join(webDir, 'index.html'));
  // wildcard: files are looked up per request, so a rebuilt web app is served without a restart.
  if (hasWeb) await app.register(fastifyStatic, { root: webDir, wildcard: true });
  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api/') || req.url.startsWith('/assets/') || req.method !== 'GET') {
      return reply.status(404).send({ error: { code: 'NOT_FOUND', message: `接口不存在：${req.method} ${req.url.split('?')[0]}` } });
    }
    if (!hasWeb) return reply.status(404).type('text/plain; charset=utf-8').send('前端尚未构建：请运行 npm run build:web');
    // The web app routes on the client: every other page gets index.html.
    return reply.type('text/html; charset=utf-8').sendFile('index.html');
  });
  return app;
}
