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
        // Ours: tells the console it talks to the embedded server, not to a real JOC Cockpit
        // (whose Generate ignores the end date of self-signed certificates, for example).
        embeddedServer: true,
      }),
    );
  };
}
