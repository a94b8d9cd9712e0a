/**
 * Who is calling: the `X-Access-Token` header is looked up in the session store on every API call
 * (401 unknown or missing, 440 idle too long or past the absolute lifetime), then the route's
 * permission is checked (403).
 * Routes declare what they need in `config.access`; API routes without it need a session.
 */
import { hash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { JocConfig } from '../config';
import { ApiError, forbidden, sessionExpired, unauthenticated } from '../http/errors';
import type { Store } from '../store';
import { hasPermission, PERMISSION_NAMES, type Permission } from './permissions';
import { RefusalAudit } from './refusal-audit';

export type Access = 'public' | 'session' | Permission;

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /** The call ends the caller's session (logout), whether it is still active or has expired. */
    endsSession?: boolean;
  }
  interface FastifyRequest {
    /** The logged-in account ('' on public routes). */
    account: string;
    /** The caller's access token ('' on public routes). */
    accessToken: string;
  }
}

export interface AuthContext {
  readonly config: JocConfig;
  readonly store: Store;
  readonly now: () => Date;
}

/**
 * What an account's password and roles are, as one opaque string: a session made with another
 * (the password or the roles changed in joc.json since the login) ends at its next call.
 */
export function credentialOf(config: JocConfig, account: string): string {
  const entry = config.accounts.find((a) => a.account === account);
  return entry ? hash('sha256', [entry.passwordHash, ...entry.roles].join('\n'), 'base64url') : '';
}

/** Register in the scope of the API calls only: static files, the console's pages and unknown calls stay public. */
export function registerSessionCheck(app: FastifyInstance, ctx: AuthContext): void {
  app.decorateRequest('account', '');
  app.decorateRequest('accessToken', '');
  const timeoutMs = ctx.config.sessionTimeoutSeconds * 1000;
  const maxLifetimeMs = ctx.config.sessionMaxLifetimeSeconds * 1000;
  const refusals = new RefusalAudit(ctx);
  // The configuration does not change while the server runs.
  const credentials = new Map(
    ctx.config.accounts.map((a) => [a.account, credentialOf(ctx.config, a.account)]),
  );
  const authenticate = (request: FastifyRequest): void => {
    const access: Access = request.routeOptions.config?.access ?? 'session';
    if (access === 'public') return;
    const header = request.headers['x-access-token'];
    const token = Array.isArray(header) ? header[0] : header;
    if (!token)
      throw unauthenticated('You are not logged in: the X-Access-Token header is missing.');
    const session = ctx.store.sessions.use(token, ctx.now().getTime(), timeoutMs, maxLifetimeMs);
    // Before any answer, so that a logout after a 440 still forgets the session at once.
    if (request.routeOptions.config?.endsSession) ctx.store.sessions.delete(token);
    if (session.state === 'unknown')
      throw unauthenticated(
        'You are not logged in: the access token is unknown (logged out, or the server was reset).',
      );
    if (session.state === 'expired')
      throw session.why === 'idle' ? sessionExpired() : lifetimeOver(maxLifetimeMs);
    if (!ctx.config.accounts.some((a) => a.account === session.account)) {
      throw unauthenticated(`The account "${session.account}" no longer exists.`);
    }
    if (session.credential !== credentials.get(session.account)) {
      ctx.store.sessions.delete(token);
      throw unauthenticated(
        `The password or the roles of "${session.account}" have changed since this login: log in again.`,
      );
    }
    request.account = session.account;
    request.accessToken = token;
    if (
      (access === 'view' || access === 'manage') &&
      !hasPermission(ctx.config, session.account, access)
    ) {
      const call = (request.routeOptions.url ?? '').replace(/^\/joc\/api\//, '');
      try {
        refusals.forbidden(session.account, call, request.ip, PERMISSION_NAMES[access]);
      } catch (error) {
        // The refusal stands even when it cannot be recorded.
        request.log.warn({ err: error }, 'the audit log could not record a refused call');
      }
      throw forbidden(PERMISSION_NAMES[access]);
    }
  };
  // A callback hook, not an async one: it runs on every API call, and an async hook costs a
  // promise each time.
  app.addHook('onRequest', (request, _reply, done) => {
    try {
      authenticate(request);
    } catch (error) {
      return done(error as Error);
    }
    done();
  });
}

/** 440 as for an idle session, saying why: the session is as old as a session may be. */
function lifetimeOver(maxLifetimeMs: number): ApiError {
  const hours = maxLifetimeMs / 3_600_000;
  const age = Number.isInteger(hours) ? `${hours} h` : `${Math.round(maxLifetimeMs / 60_000)} min`;
  return new ApiError(
    440,
    'JOC-440',
    `Your session expired: it began ${age} ago, the longest a session lasts. Log in again.`,
  );
}
