/**
 * `/authentication/login` (HTTP Basic, UTF-8), `/logout`, `/joc_cockpit_permissions`.
 * Failed logins are slowed down per account and per address (see auth/throttle.ts): an attempt
 * during a delay is refused at once (420, with `Retry-After`), never queued.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { LoginResponse, LogoutResponse, Permissions } from '../../../src/contract';
import { DUMMY_HASH, verifyPassword } from '../auth/password';
import { permissionsAnswer, rolesOf } from '../auth/permissions';
import { credentialOf } from '../auth/session-check';
import { RefusalAudit } from '../auth/refusal-audit';
import { LoginThrottle, type Refusal } from '../auth/throttle';
import { errorBody, unauthenticated } from '../http/errors';
import { EMPTY_REQUEST } from '../http/schemas';
import type { RouteContext } from './context';

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

/** Says why the attempt was refused and when to try again; names no account. */
export function refusalMessage(refusal: Refusal, seconds: number): string {
  const when = `try again in ${seconds} s`;
  switch (refusal.reason) {
    case 'address':
      return `Too many failed logins from your address: ${when}.`;
    case 'account':
      return `Too many failed logins for this account: ${when}.`;
    default:
      return `Other logins for this account or from your address are being checked: ${when}.`;
  }
}

export function authenticationRoutes(ctx: RouteContext): FastifyPluginAsync {
  return async (app) => {
    const timeoutMs = ctx.config.sessionTimeoutSeconds * 1000;
    const refusals = new RefusalAudit(ctx);

    app.post(
      '/authentication/login',
      { config: { access: 'public' } },
      async (request, reply): Promise<LoginResponse | typeof reply> => {
        const credentials = parseBasic(request.headers.authorization);
        if (!credentials)
          throw unauthenticated('Log in with an account and password (HTTP Basic authorization).');
        const keys = LoginThrottle.keys(credentials.account, request.ip);
        const refusal = ctx.throttle.admit(keys);
        if (refusal) {
          // 420, not 401: the password was not looked at, and the console shows 420 messages as
          // they are (a 401 would read "wrong account or password").
          const seconds = Math.ceil(refusal.retryAfterMs / 1000);
          return reply
            .code(420)
            .header('retry-after', String(seconds))
            .send(errorBody(ctx.now(), 'JOC-420', refusalMessage(refusal, seconds)));
        }
        const entry = ctx.config.accounts.find((a) => a.account === credentials.account);
        let valid: boolean;
        try {
          // Unknown accounts cost the same time as wrong passwords.
          valid =
            (await verifyPassword(credentials.password, entry?.passwordHash ?? DUMMY_HASH)) &&
            entry !== undefined;
        } catch (error) {
          ctx.throttle.end(keys, 'none');
          throw error;
        }
        ctx.throttle.end(keys, valid ? 'succeeded' : 'failed');
        if (!valid || !entry) {
          // Every checked guess is recorded (the throttle bounds how many there are).
          try {
            refusals.loginFailed(credentials.account, entry !== undefined, request.ip);
          } catch (error) {
            // The refusal stands (401, not 500) even when it cannot be recorded.
            request.log.warn({ err: error }, 'the audit log could not record a failed login');
          }
          throw unauthenticated('Wrong account or password.');
        }
        const now = ctx.now().getTime();
        // Expired sessions are kept a day (their calls answer 440, not 401), then forgotten.
        ctx.store.sessions.purge(
          now - timeoutMs - 24 * 3600 * 1000,
          now - ctx.config.sessionMaxLifetimeSeconds * 1000 - 24 * 3600 * 1000,
        );
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
          // As JOC Cockpit sends it: one comma-joined string.
          role: rolesOf(ctx.config, entry.account).join(', '),
        };
      },
    );

    app.post(
      '/authentication/logout',
      {
        // Logging out always ends the session, whatever the body holds: the session check ends
        // it before the body is read (an expired one too, then answered 440), and the body is
        // not checked.
        config: { access: 'session', endsSession: true },
      },
      // JOC Cockpit answers the account, now logged out (SOSServicePermissionIam.logout).
      async (request): Promise<LogoutResponse> => ({
        account: request.account,
        isPermitted: false,
        hasRole: false,
        isApprover: false,
        isApprovalRequestor: false,
        isAuthenticated: false,
        forcePasswordChange: false,
        accessToken: '',
        enableTouch: true,
      }),
    );

    app.post(
      '/authentication/joc_cockpit_permissions',
      { config: { access: 'session' }, schema: { body: EMPTY_REQUEST } },
      async (request): Promise<Permissions> => permissionsAnswer(ctx.config, request.account),
    );
  };
}
