/**
 * JOC Cockpit's API under `/joc/api`: the calls (routes/), each behind the session check
 * (auth/session-check.ts), answers that are never cached (they may carry key material), and a
 * JOC 404 envelope naming an unknown call.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { registerSessionCheck } from '../auth/session-check';
import { auditLogRoutes } from '../routes/audit-log';
import { authenticationRoutes } from '../routes/authentication';
import type { RouteContext } from '../routes/context';
import { profileCaRoutes } from '../routes/profile-ca';
import { profileKeyRoutes } from '../routes/profile-key';
import { propertiesRoutes } from '../routes/properties';
import { errorBody } from './errors';

/** Where JOC Cockpit's API lives; everything else is the console. */
export const API_PREFIX = '/joc/api';

/** Register with `{ prefix: API_PREFIX }`. */
export function api(ctx: RouteContext): FastifyPluginAsync {
  return async (app) => {
    app.addHook('onSend', (_request, reply, payload, done) => {
      reply.header('cache-control', 'no-store');
      done(null, payload);
    });

    // The calls in their own scope, so that an unknown call is answered 404 without a session.
    await app.register(async (calls) => {
      registerSessionCheck(calls, ctx);
      await calls.register(authenticationRoutes(ctx));
      await calls.register(propertiesRoutes(ctx));
      await calls.register(profileKeyRoutes(ctx));
      await calls.register(profileCaRoutes(ctx));
      await calls.register(auditLogRoutes(ctx));
    });

    const unknownCall = (request: FastifyRequest, reply: FastifyReply) => {
      const path = request.url.split('?')[0];
      const atHigh =
        ctx.config.securityLevel === 'HIGH' &&
        path.startsWith(`${API_PREFIX}/profile/key/generate`);
      const why = atHigh ? ': at security level HIGH keys are generated outside JOC Cockpit' : '';
      reply
        .code(404)
        .send(
          errorBody(ctx.now(), 'JOC-404', `There is no API call ${request.method} ${path}${why}.`),
        );
    };
    app.setNotFoundHandler(unknownCall);
    // GET anywhere else is the console's (its files, its pages); here it is an unknown call too.
    app.get('/', unknownCall);
    app.get('/*', unknownCall);
  };
}
