/**
 * `/authentication/login` (HTTP Basic, UTF-8), `/logout`, `/joc_cockpit_permissions`.
 * Failed logins are slowed down per account and per address (see auth/throttle.ts).
 */
import type { FastifyPluginAsync } from 'fastify';
import type { LoginResponse, Permissions } from '../../../src/contract';
import { DUMMY_HASH, verifyPassword } from '../auth/password';
import { permissionsAnswer, rolesOf } from '../auth/permissions';
import { credentialOf } from '../auth/session-check';
import { LoginThrottle } from '../auth/throttle';
import { unauthenticated } from '../http/errors';
import { EMPTY_REQUEST } from '../http/schemas';
import { okBody, type RouteContext } from './context';

/** `Authorization: Basic base64(utf8 "account:password")`; undefined when absent or malformed. */
export function parseBasic(
  header: string | undefined,
): { account: string; password: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  return { account: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export function authenticationRoutes(ctx: RouteContext): FastifyPluginAsync {
  return async (app) => {
    const timeoutMs = ctx.config.sessionTimeoutSeconds * 1000;

    app.post(
      '/authentication/login',
      { config: { access: 'public' } },
      async (request, reply): Promise<LoginResponse> => {
        const credentials = parseBasic(request.headers.authorization);
        if (!credentials)
          throw unauthenticated('Log in with an account and password (HTTP Basic authorization).');
        const keys = LoginThrottle.keys(credentials.account, request.ip);
        const wait = ctx.throttle.begin(keys);
        if (wait > 0) await ctx.sleep(wait);
        const entry = ctx.config.accounts.find((a) => a.account === credentials.account);
        // Unknown accounts cost the same time as wrong passwords.
        const valid =
          (await verifyPassword(credentials.password, entry?.passwordHash ?? DUMMY_HASH)) &&
          entry !== undefined;
        if (!valid) {
          ctx.throttle.failed(keys);
          throw unauthenticated('Wrong account or password.');
        }
        ctx.throttle.succeeded(keys);
        const now = ctx.now().getTime();
        ctx.store.sessions.purge(now - timeoutMs - 24 * 3600 * 1000);
        const token = ctx.store.sessions.create(
          entry.account,
          now,
          credentialOf(ctx.config, entry.account),
        );
        reply.header('X-Access-Token', token);
        return {
          accessToken: token,
          account: entry.account,
          isAuthenticated: true,
          sessionTimeout: timeoutMs,
          role: rolesOf(ctx.config, entry.account),
        };
      },
    );

    app.post(
      '/authentication/logout',
      {
        config: { access: 'session' },
        // Logging out always ends the session, whatever the body holds: it ends before the body
        // is read (right after the session check), and the body is not checked.
        onRequest: (request, _reply, done) => {
          ctx.store.sessions.delete(request.accessToken);
          done();
        },
      },
      async () => okBody(ctx.now()),
    );

    app.post(
      '/authentication/joc_cockpit_permissions',
      { config: { access: 'session' }, schema: { body: EMPTY_REQUEST } },
      async (request): Promise<Permissions> => permissionsAnswer(ctx.config, request.account),
    );
  };
}
