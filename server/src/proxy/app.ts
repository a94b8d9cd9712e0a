/**
 * The server against a real JOC Cockpit (`JOC_URL=… npm start`): the built console with its
 * security headers, and `/joc/api/*` forwarded to JOC (forward.ts). It keeps no accounts, keys or
 * sessions: no database is opened and nothing is written to the data folder.
 */
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyServerOptions,
} from 'fastify';
import { API_PREFIX } from '../http/api';
import { consolePages } from '../http/console-pages';
import { apiErrorHandler, errorBody } from '../http/errors';
import { SECURITY_HEADERS, securityHeaders } from '../http/security-headers';
import { requestTimeoutOptions } from '../http/timeouts';
import { jocForward } from './forward';
import type { JocTarget } from './settings';

export interface ProxyAppOptions {
  readonly target: JocTarget;
  /** The built console (`dist/joc-keys/browser`); served with SPA fallback when it exists. */
  readonly staticDir?: string;
  readonly now?: () => Date;
  /** Make brotli/gzip copies of the console's files in the background (default true). */
  readonly precompress?: boolean;
  /** Fastify logger options; off by default (tests). */
  readonly logger?: FastifyServerOptions['logger'];
  /** How long JOC may take to answer, in ms (forward.ts; tests shorten it). */
  readonly answerTimeout?: number;
  /** All request bodies held for JOC at once, in bytes (forward.ts; tests shorten it). */
  readonly bodyBudget?: number;
  /** The part of it one client address may hold, in bytes (forward.ts; tests shorten it). */
  readonly bodyBudgetPerAddress?: number;
  /** How long a request may take to arrive, in ms (timeouts.ts; tests shorten it). */
  readonly requestTimeoutMs?: number;
}

export async function buildProxyApp(options: ProxyAppOptions): Promise<FastifyInstance> {
  const { target } = options;
  const now = options.now ?? (() => new Date());
  const app = Fastify({
    logger: options.logger ?? false,
    // A client that stops sending mid-request is cut off, as by the embedded server.
    ...requestTimeoutOptions(options.requestTimeoutMs, now),
    // As the embedded server: a broken %-escape is answered in the envelope, not forwarded.
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
  if (target.insecureTls)
    app.log.warn(
      `JOC_INSECURE_TLS is on: the TLS certificate of JOC Cockpit at ${target.url} is NOT verified, ` +
        'so anyone on the network path can pose as JOC Cockpit and read passwords and keys; ' +
        'give its CA with JOC_CA_FILE instead',
    );
  await app.register(securityHeaders);
  await app.register(jocForward, {
    prefix: API_PREFIX,
    target,
    now,
    answerTimeout: options.answerTimeout,
    bodyBudget: options.bodyBudget,
    bodyBudgetPerAddress: options.bodyBudgetPerAddress,
  });
  await app.register(consolePages, {
    staticDir: options.staticDir,
    // JOC's security level is known only after login: "/" leads to the Profile page.
    landsOnPreferences: false,
    precompress: options.precompress,
    now,
  });
  return app;
}
