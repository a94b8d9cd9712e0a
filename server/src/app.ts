/**
 * The embedded JOC-compatible API server as a Fastify app (what tests build; `server.ts` only
 * listens): the configuration, the database and the key services, then one plugin per concern
 * (http/): security headers, request bodies and schemas, the API under `/joc/api`, and the
 * console's pages and files everywhere else. One error handler answers JOC's envelope.
 */
import { mkdirSync } from 'node:fs';
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyServerOptions,
} from 'fastify';
import { LoginThrottle, type ThrottleOptions } from './auth/throttle';
import { loadConfig, type JocConfig } from './config';
import { api, API_PREFIX } from './http/api';
import { bodies } from './http/bodies';
import { consolePages } from './http/console-pages';
import { apiErrorHandler, errorBody } from './http/errors';
import { createValidatorFactory } from './http/schemas';
import { SECURITY_HEADERS, securityHeaders } from './http/security-headers';
import { requestTimeoutOptions } from './http/timeouts';
import { SigningKeys } from './keys/signing-keys';
import { SslCa } from './keys/ssl-ca';
import type { RouteContext } from './routes/context';
import { auditLine, openStore } from './store';

export { API_PREFIX } from './http/api';
export { SECURITY_HEADERS } from './http/security-headers';
export { REQUEST_TIMEOUT_MS } from './http/timeouts';

export interface AppOptions {
  /** Holds `joc.sqlite` (and `joc.json` when `config` is not given). Created when missing. */
  readonly dataDir: string;
  /** The configuration; default: `loadConfig(dataDir, env)`. */
  readonly config?: JocConfig;
  /** Environment for `loadConfig` (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The built console (`dist/joc-keys/browser`); served with SPA fallback when it exists. */
  readonly staticDir?: string;
  /** Injectable clock (sessions, audit, certificate validity). */
  readonly now?: () => Date;
  /** Login throttle tuning (auth/throttle.ts; the clock is `now`). */
  readonly throttle?: Omit<ThrottleOptions, 'now'>;
  /** Make brotli/gzip copies of the console's files in the background (default true; http/precompress.ts). */
  readonly precompress?: boolean;
  /** Fastify logger options; off by default (tests). */
  readonly logger?: FastifyServerOptions['logger'];
  /** How long a client may take to send its whole request, ms (default http/timeouts.ts). */
  readonly requestTimeoutMs?: number;
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const config =
    options.config ?? (await loadConfig(options.dataDir, options.env ?? process.env)).config;
  const now = options.now ?? (() => new Date());
  // Each audit record also becomes one info line in the server log (who, what, whose key).
  const store = openStore(options.dataDir, (record) => app.log.info(auditLine(record)));
  const compile = createValidatorFactory();
  const services = { config, store, now };
  const ctx: RouteContext = {
    ...services,
    throttle: new LoginThrottle({ now: () => now().getTime(), ...options.throttle }),
    signingKeys: new SigningKeys(services),
    sslCa: new SslCa(services),
    compile,
  };

  // Request bodies may hold private keys: Fastify never logs bodies, and the logger built in
  // server.ts also redacts the credentials headers.
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 1024 * 1024,
    ...requestTimeoutOptions(options.requestTimeoutMs, now),
    // Behind a TLS-terminating reverse proxy: the client's address (login throttle, audit log,
    // server log) and protocol come from its X-Forwarded-* headers, believed only from the proxy.
    trustProxy: typeof config.trustProxy === 'boolean' ? config.trustProxy : [...config.trustProxy],
    // A broken %-escape in the address is answered before routing: in the envelope, with the
    // security headers, and without echoing the address.
    frameworkErrors: (error, _request, reply) => {
      const badUrl = error.code === 'FST_ERR_BAD_URL';
      (reply as FastifyReply)
        .code(badUrl ? 420 : 500)
        .headers(SECURITY_HEADERS)
        .send(
          badUrl
            ? errorBody(now(), 'JOC-420', 'The address is not a valid URL (a broken %-escape).')
            : errorBody(now(), 'JOC-500', 'Internal error; the server log has the details.'),
        );
    },
  });
  app.setErrorHandler(apiErrorHandler(now));
  app.addHook('onClose', async () => store.close());
  await app.register(securityHeaders);
  await app.register(bodies, { compile });
  await app.register(api(ctx), { prefix: API_PREFIX });
  await app.register(consolePages, {
    staticDir: options.staticDir,
    landsOnPreferences: config.securityLevel === 'HIGH',
    precompress: options.precompress,
    now,
  });
  return app;
}
