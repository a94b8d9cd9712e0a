/**
 * `/joc/api/*` forwarded to a real JOC Cockpit with @fastify/reply-from: a body read whole
 * (uploads too) before JOC is asked, logins on connections of their own, every request header
 * passed on (reply-from drops only the hop-by-hop ones and sets Host to JOC's) and JOC's answer
 * headers but those that speak for the console's origin (security headers, cookies, CORS), JOC's
 * status codes and bodies unchanged, each answer within a deadline. When JOC cannot be reached,
 * answers too late or with a redirect, the person gets JOC's error envelope with a message naming
 * the cause, and the log the same line.
 */
import replyFrom from '@fastify/reply-from';
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { API_PREFIX } from '../http/api';
import { apiErrorHandler, errorBody } from '../http/errors';
import { SECURITY_HEADERS } from '../http/security-headers';
import type { JocTarget } from './settings';

/** Certificate problems Node reports by these codes: JOC's certificate is not trusted. */
const UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);

interface Failure {
  readonly status: number;
  readonly message: string;
  /** Details for the log line only, beside the message. */
  readonly logged?: Readonly<Record<string, string>>;
}

/** Why JOC could not be asked, for a person: the cause's code and what to check. */
export function describeFailure(target: JocTarget, error: unknown): Failure {
  const cause = (error as { cause?: unknown }).cause ?? error;
  const code = String((cause as { code?: unknown }).code ?? '');
  const detail = cause instanceof Error ? cause.message : String(cause);
  const at = `JOC Cockpit at ${target.url}`;
  const tlsHint = target.files.ca
    ? `the CA file ${target.files.ca} does not hold the CA that issued it`
    : 'give the CA that issued it with JOC_CA_FILE';
  switch (true) {
    case code === 'ECONNREFUSED':
      return {
        status: 502,
        message: `${at} is not reachable: ECONNREFUSED (nothing accepts connections there: is JOC Cockpit running, and is the port right?).`,
      };
    case code === 'ENOTFOUND' || code === 'EAI_AGAIN':
      return {
        status: 502,
        message: `${at} is not reachable: ${code} (the host name is not known: check JOC_URL).`,
      };
    case code === 'UND_ERR_CONNECT_TIMEOUT' ||
      code === 'ETIMEDOUT' ||
      code === 'EHOSTUNREACH' ||
      code === 'ENETUNREACH':
      return {
        status: 502,
        message: `${at} is not reachable: ${code} (no answer to the connection: check the address and the network).`,
      };
    case code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT':
      return { status: 504, message: `${at} did not answer in time (${code}).` };
    case UNTRUSTED.has(code) || code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID':
      return {
        status: 502,
        message: `${at} is not trusted: its TLS certificate failed verification (${code}: ${detail}); ${
          UNTRUSTED.has(code) ? tlsHint : 'JOC Cockpit needs a valid certificate'
        }.`,
      };
    case code === 'ERR_TLS_CERT_ALTNAME_INVALID':
      return {
        status: 502,
        message: `${at} is not trusted: its TLS certificate is not for this host name (${detail}).`,
      };
    case code === 'EPROTO' || code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS'):
      return {
        status: 502,
        message: `${at} is not reachable: the TLS handshake failed (${code}: ${detail}); if it asks for a client certificate, set JOC_CLIENT_CERT and JOC_CLIENT_KEY.`,
      };
    case code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE':
      return {
        status: 502,
        message: `${at} closed the connection (${code}: ${detail}): check that JOC_URL's http/https matches JOC Cockpit.`,
      };
    default:
      return {
        status: 502,
        message: `${at} is not reachable: ${code ? `${code}: ` : ''}${detail}.`,
      };
  }
}

/** A Location as shown to a person: absolute, without user and password, not overlong. */
function shownLocation(location: URL | string): string {
  if (typeof location === 'string')
    return location.length > 300 ? `${location.slice(0, 300)}…` : location;
  const shown = new URL(location.href);
  shown.username = '';
  shown.password = '';
  return shownLocation(shown.href);
}

/**
 * Why a redirect from JOC is not passed on, for a person: where it leads and, when it stays on
 * JOC_URL's host and port, what JOC_URL should be. Passed on, the browser follows it to another
 * origin and reports only a network failure. A redirect to another host or port gets no advice:
 * over plain http anyone on the way can inject one, and "set JOC_URL to" that address would send
 * everyone's passwords there. `path` is the API path asked for (`/joc/api/...`).
 */
export function describeRedirect(
  target: JocTarget,
  status: number,
  location: string | undefined,
  path: string,
): Failure {
  const at = `JOC Cockpit at ${target.url}`;
  const fix = 'set JOC_URL to the address where JOC Cockpit answers itself';
  if (!location?.trim())
    return {
      status: 502,
      message: `${at} answers with a redirect (HTTP ${status}) without a Location: ${fix}.`,
    };
  let resolved: URL;
  try {
    resolved = new URL(location.trim(), `${target.url}${path}`);
  } catch {
    return {
      status: 502,
      message: `${at} redirects to ${shownLocation(location.trim())} (HTTP ${status}): ${fix}.`,
    };
  }
  const own = new URL(target.url);
  // The port as written or the scheme's default: http://joc to https://joc keeps "the" port.
  // Another port only to https: TLS then checks that the host is JOC_URL's own (JOC's default
  // http://joc:4446 to https://joc:4443), so the advice cannot lead anyone to a stranger.
  const sameHost =
    (resolved.protocol === 'http:' || resolved.protocol === 'https:') &&
    resolved.hostname === own.hostname &&
    (resolved.port === own.port || resolved.protocol === 'https:');
  if (!sameHost)
    return {
      status: 502,
      message: `${at} (JOC_URL) answers with a redirect (HTTP ${status}) to another host, which this server does not follow: check that JOC_URL is the address where JOC Cockpit answers itself, and that nothing on the way to it redirects.`,
      // Where it led, for the administrator: in the log only, beside the message.
      logged: { location: shownLocation(resolved) },
    };
  // The same API call at another scheme or path prefix on JOC's host: that address is JOC_URL.
  const base = resolved.pathname.endsWith(path)
    ? `${resolved.origin}${resolved.pathname.slice(0, -path.length)}`
    : undefined;
  return {
    status: 502,
    message: `${at} redirects to ${shownLocation(resolved)} (HTTP ${status}): ${
      base && base !== target.url ? `set JOC_URL to ${shownLocation(base)}` : fix
    }.`,
  };
}

/**
 * How long JOC Cockpit may take for its whole answer, from the call leaving this server to the
 * answer's last byte. JOC answers every call the console makes within seconds (an RSA key
 * generation is the slowest; four-eyes approval answers 433 at once), so a minute is room for a
 * busy JOC, and a JOC that accepts the connection but never answers, or trickles its answer,
 * gets the person a 504 "did not answer in time" after it (or, once the answer has begun, an
 * ended connection), rather than a spinner, and frees its connection to JOC.
 */
export const JOC_ANSWER_TIMEOUT_MS = 60_000;

export interface ForwardOptions extends Record<string, unknown> {
  readonly target: JocTarget;
  readonly now: () => Date;
  /** {@link JOC_ANSWER_TIMEOUT_MS} unless given (tests shorten it). */
  readonly answerTimeout?: number;
}

/** JOC's answer past its deadline before any of its body was passed on: answered 504. */
class AnswerTimeout extends Error {
  constructor(
    readonly failure: Failure,
    /** JOC's headers already on the reply, none of which belongs to the 504. */
    readonly jocHeaders: readonly string[],
  ) {
    super(failure.message);
  }
}

/**
 * The path to forward, or undefined when it could leave `/joc/api` once JOC's base URL resolves
 * it: the URL parser reads `\` as `/` and `%2e%2e` as `..`, so a backslash or a dot segment in any
 * spelling, an absolute target (`http://host/joc/api/...`) and anything outside the API are refused.
 */
function apiPath(path: string): string | undefined {
  if (!path.startsWith(`${API_PREFIX}/`) && path !== API_PREFIX) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return undefined;
  }
  if (decoded.includes('\\') || [...decoded].some((c) => c.charCodeAt(0) < 0x20)) return undefined;
  return decoded.split('/').some((segment) => segment === '.' || segment === '..')
    ? undefined
    : path;
}

/** Headers that describe one connection (RFC 9110 7.6.1), not the answer. */
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade'];

/**
 * JOC's headers that would speak for the console's origin: its security headers (a JOC sending
 * `Content-Security-Policy: default-src *` or `X-Frame-Options: SAMEORIGIN` would loosen the
 * console's own, which security-headers.ts adds when none is set), its cookies (the console uses
 * none: the token travels as X-Access-Token, and a JSESSIONID would be stored for this origin), and
 * CORS (the console calls its own origin; `Access-Control-Allow-Origin: *` would let any site read
 * JOC's answers through a browser that reaches this server).
 */
const NOT_JOCS = new Set([
  ...Object.keys(SECURITY_HEADERS),
  'set-cookie',
  'set-cookie2',
  // Also policies and instructions for the whole origin: HSTS, wiping its storage on a JOC
  // logout, the browser's own login dialog on a 401, reports, alternative services, refresh.
  'strict-transport-security',
  'clear-site-data',
  'www-authenticate',
  'content-security-policy-report-only',
  'permissions-policy',
  'cross-origin-embedder-policy',
  'cross-origin-resource-policy',
  'refresh',
  'link',
  'alt-svc',
  'nel',
  'report-to',
  'reporting-endpoints',
]);

/**
 * JOC's answer headers without its connection's own and without those that belong to the
 * console's origin ({@link NOT_JOCS}, `Access-Control-*`). Passed on, JOC's `Connection:
 * keep-alive` kept a client's connection open after it had asked for `Connection: close`, and its
 * `Keep-Alive: timeout` told the client about a connection it does not have. What the console
 * reads (X-Access-Token, Content-Type, Content-Disposition, Retry-After) passes.
 */
export function answerHeaders<T extends Record<string, unknown>>(headers: T): T {
  const listed = String(headers['connection'] ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (
      !HOP_BY_HOP.includes(lower) &&
      !listed.includes(lower) &&
      !NOT_JOCS.has(lower) &&
      !lower.startsWith('access-control-')
    )
      out[name] = value;
  }
  return out as T;
}

/**
 * The largest request body forwarded. The console's largest call stores a private key and a
 * certificate of at most 1 MiB each (the browser refuses larger ones) as JSON text, its line
 * breaks escaped; an import sends one such file.
 */
export const MAX_FORWARDED_BODY_BYTES = 4 * 1024 * 1024;

/**
 * Connections to JOC Cockpit for the calls under `/authentication` (login, permissions, logout),
 * apart from the {@link API_CONNECTIONS} of every other call: when a slow JOC holds all of those,
 * a person can still log in (and the login page does not spin behind other people's calls).
 */
const LOGIN_CONNECTIONS = 16;
/** Connections for every other call (reply-from's default, said here beside the login's). */
const API_CONNECTIONS = 128;

/** Register with `{ prefix: API_PREFIX }`: every call below it goes to JOC Cockpit. */
export const jocForward: FastifyPluginAsync<ForwardOptions> = async (
  app,
  { target, now, answerTimeout = JOC_ANSWER_TIMEOUT_MS },
) => {
  // A body is read whole (within the limit) before the call takes a connection to JOC: streamed,
  // a client trickling a byte every few seconds held one of them for the whole request time, and
  // a few hundred such uploads, without any account, left no connection for anyone's login.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    '*',
    { parseAs: 'buffer', bodyLimit: MAX_FORWARDED_BODY_BYTES },
    (_request, body, done) => done(null, body),
  );
  type OnError = NonNullable<NonNullable<Parameters<FastifyReply['from']>[1]>['onError']>;
  type ProxiedReply = Parameters<OnError>[0];
  const fail = (reply: ProxiedReply, failure: Failure) => {
    reply.log.error(failure.logged ?? {}, failure.message);
    reply
      .code(failure.status)
      .header('content-type', 'application/json; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(errorBody(now(), `JOC-${failure.status}`, failure.message));
  };
  // A client that closed its connection (a closed tab) has nobody to answer, and JOC's failure
  // that follows is no fault of JOC_URL: an info line without advice.
  const onError: OnError = (reply, { error }) => {
    if (reply.raw.destroyed) reply.log.info('the client left before JOC answered');
    else fail(reply, describeFailure(target, error));
  };

  const apiErrors = apiErrorHandler(now);
  app.setErrorHandler(function (error, request, reply) {
    // Its connection closed: the client went away, or this server answered 408 to a request that
    // took too long to arrive (then its body stopped arriving and JOC was not asked).
    if (reply.raw.destroyed) {
      request.log.info(
        request.raw.complete
          ? 'the client left before JOC answered'
          : 'the client left before JOC answered (its request had not fully arrived; JOC was not asked)',
      );
      return;
    }
    if (error instanceof AnswerTimeout) {
      for (const name of error.jocHeaders) reply.removeHeader(name);
      fail(reply, error.failure);
      return;
    }
    if ((error as FastifyError).code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      reply
        .code(420)
        .header('content-type', 'application/json; charset=utf-8')
        .send(
          errorBody(
            now(),
            'JOC-420',
            `The request body is larger than ${MAX_FORWARDED_BODY_BYTES / 1024 / 1024} MiB, more than any call of this console sends (a key and a certificate of 1 MiB each at most).`,
          ),
        );
      return;
    }
    apiErrors.call(this, error as Error, request, reply);
  });

  type OnResponse = NonNullable<NonNullable<Parameters<FastifyReply['from']>[1]>['onResponse']>;
  const tooLate = `JOC Cockpit at ${target.url} did not answer in time (its answer was not complete within ${answerTimeout / 1000} s)`;
  const late: Failure = { status: 504, message: `${tooLate}.` };
  /**
   * JOC's answer passed on, unless it is a redirect (304 is an answer, not a redirect), and cut
   * off at `deadline` (performance.now()): undici bounds the wait for the headers and the pause
   * between two parts of the body, not the whole, so a JOC trickling a byte now and then would
   * keep the person waiting, and the connection to JOC taken, for good.
   */
  const onResponse =
    (path: string, deadline: number): OnResponse =>
    (_request, reply, raw) => {
      // reply-from's types call it a ServerResponse; it is JOC's answer: status, headers, body.
      const res = raw as unknown as {
        statusCode: number;
        headers: IncomingHttpHeaders;
        stream: Readable;
      };
      // Already answered (reply-from found JOC's status code invalid): JOC's body is not wanted.
      if (reply.sent) {
        res.stream.destroy();
        return;
      }
      const status = res.statusCode;
      if (status < 300 || status > 399 || status === 304) {
        const cut = setTimeout(
          () => {
            if (!reply.raw.headersSent) {
              // Nothing of it went out yet: the error handler answers 504 instead.
              res.stream.destroy(new AnswerTimeout(late, Object.keys(res.headers)));
              return;
            }
            // Part of it went out: only an ended connection tells the browser it is incomplete.
            reply.log.error(`${tooLate}: the connection to the browser was ended.`);
            res.stream.destroy();
            reply.raw.destroy();
          },
          Math.max(0, deadline - performance.now()),
        );
        res.stream.once('close', () => clearTimeout(cut));
        reply.send(res.stream);
        return;
      }
      // JOC's headers are already on the reply: none of them (Location, cookies) belongs to ours.
      for (const name of Object.keys(res.headers)) reply.removeHeader(name);
      // Not read: a body trickled in would hold the connection to JOC.
      res.stream.destroy();
      const location = res.headers['location'];
      fail(
        reply,
        describeRedirect(target, status, Array.isArray(location) ? location[0] : location, path),
      );
    };

  const forward = (request: FastifyRequest, reply: FastifyReply) => {
    const query = request.url.indexOf('?');
    const path = apiPath(query < 0 ? request.url : request.url.slice(0, query));
    if (!path) {
      reply
        .code(404)
        .header('content-type', 'application/json; charset=utf-8')
        .send(errorBody(now(), 'JOC-404', 'There is no such JOC API call.'));
      return;
    }
    // The body as it came, byte for byte: given as reply-from's `body` with its own Content-Type,
    // as reply-from would re-encode a JSON body it finds parsed.
    const body = Buffer.isBuffer(request.body) ? request.body : undefined;
    // Relative to the base, so a JOC_URL with a path (behind a reverse proxy) keeps that path.
    reply.from(path.replace(/^\/+/, ''), {
      ...(body && {
        body,
        contentType: request.headers['content-type'] ?? 'application/octet-stream',
      }),
      onError,
      onResponse: onResponse(path, performance.now() + answerTimeout),
      rewriteHeaders: answerHeaders,
      // The body is read whole already: `Expect: 100-continue` (curl -F) is answered here, and
      // undici refuses to send it on.
      rewriteRequestHeaders: (_request, headers) => {
        const { expect: _expect, ...rest } = headers;
        return rest;
      },
    });
  };

  /** reply-from in its own context with `connections` to JOC, serving `routes`. */
  const pool = (connections: number, routes: readonly string[]) =>
    app.register(async (calls) => {
      await calls.register(replyFrom, {
        base: `${target.url}/`,
        // reply-from's request lines would repeat Fastify's. (Its own warn line "response errored"
        // on a failure from JOC stays, beside the line logged above with the failure's cause.)
        disableRequestLogging: true,
        // Closing the server closes its connections to JOC, also those still waiting for an answer.
        destroyAgent: true,
        undici: {
          connections,
          connectTimeout: 10_000,
          headersTimeout: answerTimeout,
          // The answer's deadline (onResponse) bounds the body as a whole.
          bodyTimeout: 0,
          // reply-from turns TLS verification off for undici unless told otherwise: say it explicitly.
          connect: {
            rejectUnauthorized: !target.insecureTls,
            ca: target.ca,
            cert: target.clientCert,
            key: target.clientKey,
          },
        },
      });
      for (const route of routes) calls.all(route, forward);
    });
  await pool(LOGIN_CONNECTIONS, ['/authentication/*']);
  await pool(API_CONNECTIONS, ['/', '/*']);
};
