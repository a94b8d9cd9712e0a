/**
 * The embedded JOC-compatible API server as a Fastify app (what tests build; `server.ts` only
 * listens). Routes under `/joc/api`, the built console (when present) everywhere else, strict
 * security headers on every answer, and one error handler producing JOC's envelope.
 */
import { mkdirSync } from 'node:fs';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import { registerAuth } from './auth';
import { ConsolePage, consoleIndex } from './console-page';
import { precompress } from './precompress';
import { loadConfig, type JocConfig } from './config';
import { errorBody, invalid, jocErrorHandler } from './errors';
import { auditLogRoutes } from './routes/audit-log';
import { authenticationRoutes } from './routes/authentication';
import type { RouteContext } from './routes/context';
import { profileCaRoutes } from './routes/profile-ca';
import { profileKeyRoutes } from './routes/profile-key';
import { propertiesRoutes } from './routes/properties';
import { createValidatorFactory } from './schemas';
import { SigningKeys } from './signing-keys';
import { SslCa } from './ssl-ca';
import { openStore } from './store';
import { LoginThrottle } from './throttle';
import { MAX_UPLOAD_BYTES } from './upload';

export const API_PREFIX = '/joc/api';

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
  /** Injectable sleep for the login throttle. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Login throttle tuning (ms). */
  readonly throttle?: { readonly baseMs?: number; readonly maxMs?: number };
  /** Make brotli/gzip copies of the console's files in the background (default true; precompress.ts). */
  readonly precompress?: boolean;
  /** Fastify logger options; off by default (tests). */
  readonly logger?: FastifyServerOptions['logger'];
}

/** Security headers on every answer: no inline scripts, no framing, no sniffing, no referrer. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; " +
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const config = options.config ?? (await loadConfig(options.dataDir, options.env ?? process.env)).config;
  const now = options.now ?? (() => new Date());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const store = openStore(options.dataDir);

  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 1024 * 1024,
    // Request bodies may hold private keys: Fastify never logs bodies, and the logger built in
    // server.ts also redacts the credentials headers.
  });
  const compile = createValidatorFactory();
  app.setValidatorCompiler(({ schema }) => compile(schema));
  app.setErrorHandler(jocErrorHandler(now));
  // A callback hook, not an async one: it runs on every answer, and a promise per answer showed
  // in the API benchmark's profile.
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.headers(SECURITY_HEADERS);
    if (request.url.startsWith(API_PREFIX)) reply.header('cache-control', 'no-store');
    done(null, payload);
  });
  app.addHook('onClose', async () => store.close());

  // JSON bodies: an empty body counts as {} (JOC's "show" calls and login send none); broken
  // JSON is a JOC-420 whose message does not echo the body.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = body as string;
    if (text.trim() === '') return done(null, {});
    try {
      done(null, JSON.parse(text));
    } catch (error) {
      const position = /position (\d+)/.exec((error as Error).message)?.[1];
      done(invalid('JOC-420', `The request body is not valid JSON${position ? ` (near character ${position})` : ''}.`), undefined);
    }
  });
  await app.register(multipart, {
    limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 8, parts: 10, fieldSize: 64 * 1024, headerPairs: 100 },
  });

  const serviceContext = { config, store, now };
  const ctx: RouteContext = {
    config,
    store,
    now,
    sleep,
    throttle: new LoginThrottle({ now: () => now().getTime(), ...options.throttle }),
    signingKeys: new SigningKeys(serviceContext),
    sslCa: new SslCa(serviceContext),
    compile,
  };

  await app.register(
    async (api) => {
      registerAuth(api, ctx);
      await api.register(authenticationRoutes(ctx));
      await api.register(propertiesRoutes(ctx));
      await api.register(profileKeyRoutes(ctx));
      await api.register(profileCaRoutes(ctx));
      await api.register(auditLogRoutes(ctx));
    },
    { prefix: API_PREFIX },
  );

  const staticDir = options.staticDir && consoleIndex(options.staticDir) ? options.staticDir : undefined;
  const page = staticDir ? new ConsolePage(staticDir, { landsOnPreferences: config.securityLevel === 'HIGH' }) : undefined;
  if (staticDir) {
    // Brotli and gzip copies of the scripts and styles, made in the background (precompress.ts).
    let closing = false;
    app.addHook('onClose', async () => {
      closing = true;
    });
    if (options.precompress !== false) void precompress(staticDir, () => closing).catch(() => undefined);
    await app.register(fastifyStatic, {
      root: staticDir,
      wildcard: true,
      preCompressed: true,
      setHeaders: (reply, path) => {
        if (path.endsWith('.html')) reply.header('cache-control', 'no-cache');
      },
    });
  }

  if (page) {
    // "/" is a route of the console like the others (it leads to the Profile page): with the preloads.
    app.get('/', (request, reply) => {
      reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(page.html('/'));
    });
  }

  // Not async: returning the reply from an async handler would make Fastify wait on it twice.
  app.setNotFoundHandler((request, reply) => {
    const isApi = request.url === API_PREFIX || request.url.startsWith(API_PREFIX + '/');
    const wantsPage = (request.method === 'GET' || request.method === 'HEAD') && !isApi;
    const path = request.url.split('?')[0];
    if (page && wantsPage && !/\.[a-z0-9]+$/i.test(path)) {
      // Single-page app: deep links such as /profile are answered with the console.
      reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(page.html(path));
      return;
    }
    const message = isApi
      ? `There is no API call ${request.method} ${request.url.split('?')[0]}${config.securityLevel === 'HIGH' && request.url.startsWith(`${API_PREFIX}/profile/key/generate`) ? ': at security level HIGH keys are generated outside JOC Cockpit' : ''}.`
      : `Not found: ${request.url.split('?')[0]}`;
    reply.code(404).send(errorBody(now(), 'JOC-404', message));
  });

  return app;
}
