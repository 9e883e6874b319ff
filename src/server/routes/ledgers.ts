import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app/context';
import { actorOf } from '../plugins/auth';
import { forbidden } from '../../core/errors';
import { audit } from '../../app/audit';
import { ZLedgerDef } from '../../app/view-schemas';
import { itemsOf } from '../schemas';

export const ledgerRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get('/api/ledgers', { schema: { tags: ['ledgers'], summary: '台账类型（定义）列表', response: { 200: itemsOf(ZLedgerDef) } } }, async () => ({ items: await ctx.registry.all() }));
    app.get(
      '/api/ledgers/:kind',
      { schema: { tags: ['ledgers'], summary: '台账类型定义', response: { 200: ZLedgerDef }, params: z.object({ kind: z.string().max(60) }) } },
      async (req) => ctx.registry.get(req.params.kind),
    );
    app.post(
      '/api/ledgers',
      {
        schema: {
          tags: ['ledgers'],
          summary: '新增自定义台账类型或其新版本', response: { 201: ZLedgerDef },
          body: z.record(z.string(), z.unknown()),
        },
      },
      async (req, reply) => {
        const who = actorOf(req);
        if (who.role !== 'admin') throw forbidden('只有系统管理员可以定义台账类型');
        const at = ctx.now().toISOString();
        const def = await ctx.storage.db.transaction().execute(async (trx) => {
          const d = await ctx.registry.define(trx, req.body, who.userId, at);
          await audit(trx, who, at, { action: 'define', entity: 'ledger_def', entityId: `${d.kind}@${d.version}`, kind: d.kind, after: d });
          return d;
        });
        return reply.status(201).send(def);
      },
    );
  };
