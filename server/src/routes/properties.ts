/** `/joc/properties`: the security level and audit settings the console adapts to. */
import type { FastifyPluginAsync } from 'fastify';
import type { JocProperties } from '../../../src/contract';
import { EMPTY_REQUEST } from '../http/schemas';
import type { RouteContext } from './context';

export function propertiesRoutes(ctx: RouteContext): FastifyPluginAsync {
  return async (app) => {
    app.post(
      '/joc/properties',
      { config: { access: 'session' }, schema: { body: EMPTY_REQUEST } },
      async (): Promise<JocProperties> => ({
        securityLevel: ctx.config.securityLevel,
        defaultProfileAccount: ctx.config.defaultProfileAccount,
        forceCommentsForAuditLog: ctx.config.forceCommentsForAuditLog,
        comments: ctx.config.comments,
      }),
    );
  };
}
