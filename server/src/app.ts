/**
 * The embedded JOC-compatible API server as a Fastify app (what tests build; `server.ts` only
 * listens). Routes under `/joc/api`, the built console (when present) everywhere else, strict
 * security headers on every answer, and one error handler producing JOC's envelope.
 */
import { mkdirSync } from 'node:fs';
import http from 'node:http';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import { registerAuth } from './auth';
import { ConsolePage, consoleIndex } from './console-page';
import { PassThrough } from 'node:stream';
import {
  PAGE_COOKIE,
  PageRenderer,
  READ_CALLS,
  SERVER_DRAWN_PATHS,
  STALE_VIEW_SCRIPT_SOURCE,
  TAKE_VIEW_PATH,
  TAKE_VIEW_SCRIPT,
  clearedPageCookie,
  cookieValue,
  pageRest,
  pageStart,
  withDrawnFor,
} from './page-render';
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

/**
 * Security headers on every answer: no inline scripts (but the one of a page drawn on the server,
 * by its hash: page-render.ts), no framing, no sniffing, no referrer.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    `default-src 'self'; script-src 'self' ${STALE_VIEW_SCRIPT_SOURCE}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; ` +
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

/** Host and port of the server's own socket (an address every interface answers on, as loopback), if it listens. */
function ownAddress(app: FastifyInstance): { host: string; port: number } | undefined {
  const address = app.server.address();
  if (!address || typeof address !== 'object') return undefined;
  return { host: address.address === '0.0.0.0' ? '127.0.0.1' : address.address === '::' ? '::1' : address.address, port: address.port };
}

/** Connections kept between the pages drawn (Node's own HTTP client: fetch's would load undici, ~30 MB). */
const ownAgent = new http.Agent({ keepAlive: true, maxSockets: 4 });

function postOverSocket(own: { host: string; port: number }, path: string, headers: Record<string, string>, payload: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request({ ...own, path, method: 'POST', agent: ownAgent, headers: { ...headers, 'content-length': Buffer.byteLength(payload) } }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 500, text }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(payload);
  });
}

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
  // Made below, once the console's build is known; a login starts it (page-render.ts).
  let renderer: PageRenderer | undefined;
  const ctx: RouteContext = {
    config,
    store,
    now,
    sleep,
    throttle: new LoginThrottle({ now: () => now().getTime(), ...options.throttle }),
    signingKeys: new SigningKeys(serviceContext),
    sslCa: new SslCa(serviceContext),
    compile,
    loggedIn: () => renderer?.warm(),
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

  // The Signature tab drawn on the server for the session of the page cookie (page-render.ts); its
  // API calls are answered by the routes above (over the own socket), with the same checks as from a browser.
  renderer = staticDir
    ? PageRenderer.forBuild(staticDir, async (path, body, token) => {
        if (!READ_CALLS.has(path)) return { status: 403, body: errorBody(now(), 'JOC-403', 'Not available while drawing a page.') };
        const headers = { 'content-type': 'application/json', ...(token ? { 'x-access-token': token } : {}) };
        const payload = JSON.stringify(body ?? {});
        // Over the server's own socket when it listens: the API's hot paths then only ever see
        // Node's own request objects (app.inject's made the API ~15 % slower afterwards: BENCHMARKS.md).
        const own = ownAddress(app);
        const answer = own
          ? await postOverSocket(own, path, headers, payload)
          : await app.inject({ method: 'POST', url: path, headers, payload }).then((r) => ({ status: r.statusCode, text: r.body }));
        let parsed: unknown = {};
        try {
          parsed = answer.text ? JSON.parse(answer.text) : {};
        } catch {
          parsed = {};
        }
        return { status: answer.status, body: parsed };
      }, (reason) => app.log.warn(`drawing a page on the server: ${reason}; the browser draws it`))
    : undefined;
  app.addHook('onClose', async () => renderer?.close());
  const timeoutMs = config.sessionTimeoutSeconds * 1000;
  const secure = (request: FastifyRequest) => request.protocol === 'https';

  /** Answers a route of the console: drawn on the server when it can be, else the page the browser draws. */
  const sendPage = (request: FastifyRequest, reply: FastifyReply, path: string): void => {
    const built = page!;
    reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8');
    const drawer = renderer;
    const token = drawer && request.method === 'GET' && SERVER_DRAWN_PATHS.has(path) ? cookieValue(request.headers.cookie, PAGE_COOKIE) : undefined;
    if (!drawer || !token) {
      reply.send(built.html(path));
      return;
    }
    const session = store.sessions.use(token, now().getTime(), timeoutMs);
    if (session.state !== 'active' || !config.accounts.some((a) => a.account === session.account)) {
      // Logged out elsewhere or expired: forget the cookie; the browser's console says why.
      reply.header('set-cookie', clearedPageCookie(secure(request))).send(built.html(path));
      return;
    }
    if (!drawer.drawing) {
      // The renderer is starting (the first page since the server started or since it rested):
      // the browser alone draws this one sooner than waiting for it.
      drawer.warm();
      reply.send(built.html(path));
      return;
    }
    // The head goes at once (the browser fetches the console meanwhile), the drawn body when ready;
    // if it cannot be drawn, the body of the page the browser draws. A page drawn for one session
    // is nobody else's and is not kept.
    const template = built.html(path);
    const document = withDrawnFor(template, session.account);
    const body = new PassThrough();
    // A browser that went away while the page was drawn: nothing more to send, nothing to report.
    body.on('error', () => undefined);
    reply.header('cache-control', 'no-store').header('vary', 'cookie').send(body);
    body.write(pageStart(document));
    void drawer.render(document, path, { token, account: session.account }).then((html) => {
      if (!body.destroyed) body.end(pageRest(html ?? template));
    });
  };

  if (renderer) {
    app.get(TAKE_VIEW_PATH, (_request, reply) => {
      reply.header('cache-control', 'no-cache').type('text/javascript; charset=utf-8').send(TAKE_VIEW_SCRIPT);
    });
  }

  if (page) {
    // "/" is a route of the console like the others (it leads to the Profile page): with the preloads.
    app.get('/', (request, reply) => {
      sendPage(request, reply, '/');
    });
  }

  // Not async: returning the reply from an async handler would make Fastify wait on it twice.
  app.setNotFoundHandler((request, reply) => {
    const isApi = request.url === API_PREFIX || request.url.startsWith(API_PREFIX + '/');
    const wantsPage = (request.method === 'GET' || request.method === 'HEAD') && !isApi;
    const path = request.url.split('?')[0];
    if (page && wantsPage && !/\.[a-z0-9]+$/i.test(path)) {
      // Single-page app: deep links such as /profile are answered with the console.
      sendPage(request, reply, path);
      return;
    }
    const message = isApi
      ? `There is no API call ${request.method} ${request.url.split('?')[0]}${config.securityLevel === 'HIGH' && request.url.startsWith(`${API_PREFIX}/profile/key/generate`) ? ': at security level HIGH keys are generated outside JOC Cockpit' : ''}.`
      : `Not found: ${request.url.split('?')[0]}`;
    reply.code(404).send(errorBody(now(), 'JOC-404', message));
  });

  return app;
}
