/**
 * `/joc/api/*` forwarded to a real JOC Cockpit with undici: a body read whole (uploads too) before
 * JOC is asked, within a budget for the bodies held at once (and for those of one client address);
 * logins on connections of their own; calls waiting for a connection take turns by client address
 * and leave the line at once when their client leaves; every
 * request header passed on but those of the client's connection (Host is JOC's) and JOC's answer
 * headers but those that speak for the console's origin (security headers, cookies, CORS), JOC's
 * status codes and bodies unchanged, each answer within a deadline. When JOC cannot be reached,
 * answers too late or with a redirect, or breaks off its answer, the person gets JOC's error
 * envelope with a message naming the cause, and the log the same line.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { PassThrough } from 'node:stream';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { Pool, type Dispatcher } from 'undici';
import { addressKey } from '../auth/throttle';
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
    // Reached, but what came back is no HTTP answer undici can pass on.
    case code.startsWith('UND_ERR_RES_') ||
      code.startsWith('HPE_') ||
      code === 'UND_ERR_HEADERS_OVERFLOW' ||
      code === 'ERR_ASSERTION':
      return {
        status: 502,
        message: `${at} answers with an invalid HTTP response (${code === 'ERR_ASSERTION' ? 'malformed answer' : code}).`,
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
 * How long JOC Cockpit may take for its whole answer, from the call read whole here (a wait for a
 * free connection to JOC included) to the answer's last byte. JOC answers every call the console
 * makes within seconds (an RSA key generation is the slowest; four-eyes approval answers 433 at
 * once), so a minute is room for a busy JOC, and a JOC that accepts the connection but never
 * answers, or trickles its answer, gets the person a 504 "did not answer in time" after it (or,
 * once the answer has begun, an ended connection), rather than a spinner, and frees its connection
 * to JOC.
 */
export const JOC_ANSWER_TIMEOUT_MS = 60_000;

export interface ForwardOptions extends Record<string, unknown> {
  readonly target: JocTarget;
  readonly now: () => Date;
  /** {@link JOC_ANSWER_TIMEOUT_MS} unless given (tests shorten it). */
  readonly answerTimeout?: number;
  /** {@link BODY_BUDGET_BYTES} unless given (tests shorten it). */
  readonly bodyBudget?: number;
  /** {@link BODY_BUDGET_PER_ADDRESS_BYTES} unless given (tests shorten it). */
  readonly bodyBudgetPerAddress?: number;
}

/** JOC's answer past its deadline before any of its body was passed on: answered 504. */
class AnswerTimeout extends Error {
  constructor(readonly failure: Failure) {
    super(failure.message);
  }
}

/**
 * The path to forward, or undefined when it could leave `/joc/api` once JOC's base URL resolves
 * it: the URL parser reads `\` as `/` and `%2e%2e` as `..`, so a backslash, a `;` or a dot segment
 * in any spelling, an absolute target (`http://host/joc/api/...`) and anything outside the API are
 * refused.
 */
function apiPath(path: string): string | undefined {
  if (!path.startsWith(`${API_PREFIX}/`) && path !== API_PREFIX) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return undefined;
  }
  // `;` too: Jetty and Tomcat read `..;` as `..` (a path parameter), and JOC's API has none.
  if (
    decoded.includes('\\') ||
    decoded.includes(';') ||
    [...decoded].some((c) => c.charCodeAt(0) < 0x20)
  )
    return undefined;
  return decoded.split('/').some((segment) => segment === '.' || segment === '..')
    ? undefined
    : path;
}

/**
 * Headers that describe one connection (RFC 9110 7.6.1), not the answer; also what the client
 * asks of this server's transfer (TE: JOC's answer in a transfer coding passed on unmarked),
 * and credentials meant for a proxy on its way here.
 */
const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
  'proxy-authorization',
  'proxy-authenticate',
];

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
 * The client's request headers for JOC: all but those of its connection to this server
 * ({@link HOP_BY_HOP} and those its `Connection` lists), Host (JOC's own), Content-Length (undici
 * gives the length of the body read here) and `Expect: 100-continue` (the body is read whole
 * already, so it is answered here; undici refuses to send it on).
 */
export function requestHeaders(headers: IncomingHttpHeaders, host: string) {
  const listed = String(headers['connection'] ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers))
    if (
      value !== undefined &&
      !HOP_BY_HOP.includes(name) &&
      !listed.includes(name) &&
      !['host', 'content-length', 'expect'].includes(name)
    )
      out[name] = value;
  out['host'] = host;
  return out;
}

/**
 * The largest request body forwarded. The console's largest call stores a private key and a
 * certificate of at most 1 MiB each (the browser refuses larger ones) as JSON text, its line
 * breaks escaped; an import sends one such file.
 */
export const MAX_FORWARDED_BODY_BYTES = 4 * 1024 * 1024;

/**
 * All request bodies held here at once, counted as their bytes arrive until their call has ended
 * (answered, failed, or its client gone): sixteen of the largest, far more than the people using
 * one console send at once, while strangers sending or abandoning big bodies cannot make this
 * server's memory grow beyond it. A body that does not fit is refused with a 503 "busy". Bytes
 * are counted as they arrive, not as announced: a Content-Length alone, never sent, holds nothing.
 */
export const BODY_BUDGET_BYTES = 64 * 1024 * 1024;
/**
 * The part of {@link BODY_BUDGET_BYTES} the bodies from one client address may hold: two of the
 * largest. One stranger's uploads then cannot take the room of everyone else's calls.
 */
export const BODY_BUDGET_PER_ADDRESS_BYTES = 2 * MAX_FORWARDED_BODY_BYTES;
/** Bodies up to this size are not counted: the console's calls but a store or an import. */
export const SMALL_BODY_BYTES = 64 * 1024;

/**
 * Connections to JOC Cockpit for the calls under `/authentication` (login, permissions, logout),
 * apart from the {@link API_CONNECTIONS} of every other call: when a slow JOC holds all of those,
 * a person can still log in (and the login page does not spin behind other people's calls).
 */
export const LOGIN_CONNECTIONS = 16;
/** Connections for every other call. */
export const API_CONNECTIONS = 128;

/** Why a call is refused at once: this server or JOC Cockpit has no room for it now. */
class Busy extends Error {}

/** A request body larger than {@link MAX_FORWARDED_BODY_BYTES}: answered 420. */
class TooLarge extends Error {}

/**
 * The bytes of all request bodies held here ({@link BODY_BUDGET_BYTES}). Each request keeps
 * count of its own and gives them back once, when its call ends.
 */
class BodyBudget {
  private used = 0;
  private readonly byAddress = new Map<string, number>();
  constructor(
    readonly limit: number,
    readonly perAddress: number,
  ) {}
  take(address: string, bytes: number): boolean {
    const mine = this.byAddress.get(address) ?? 0;
    if (this.used + bytes > this.limit || mine + bytes > this.perAddress) return false;
    this.used += bytes;
    this.byAddress.set(address, mine + bytes);
    return true;
  }
  give(address: string, bytes: number): void {
    if (!bytes) return;
    this.used -= bytes;
    const left = (this.byAddress.get(address) ?? 0) - bytes;
    if (left > 0) this.byAddress.set(address, left);
    else this.byAddress.delete(address);
  }
}

/**
 * The connections to JOC for one kind of call and the calls waiting for one. undici's own line
 * keeps a call whose client left until its turn (then only skips it), so a call gets to undici only
 * with a connection free and waits here, where leaving takes it out at once. Waiting calls take
 * turns by client address: one address's many calls wait behind each other, not in front of
 * everyone else's, so a stranger sending call after call delays others by one call's turn at most
 * per free connection. None is refused for want of room; the answer's deadline bounds the wait.
 */
class JocConnections {
  private taken = 0;
  /** Waiting calls by client address, each address's in order; addresses in the order of turns. */
  private readonly lines = new Map<string, Set<() => void>>();

  constructor(
    readonly pool: Pool,
    readonly size: number,
  ) {}

  /**
   * A connection: 'taken' (give it back with {@link give}), or 'stopped' when `stop` aborts while
   * waiting (the client left) or after `waitMs`.
   */
  take(stop: AbortSignal, waitMs: number, address: string): Promise<'taken' | 'stopped'> {
    if (this.taken < this.size) {
      this.taken++;
      return Promise.resolve('taken');
    }
    if (stop.aborted) return Promise.resolve('stopped');
    return new Promise((resolve) => {
      let line = this.lines.get(address);
      if (!line) this.lines.set(address, (line = new Set()));
      const mine = line;
      const end = (outcome: 'taken' | 'stopped') => {
        clearTimeout(timer);
        stop.removeEventListener('abort', leave);
        mine.delete(turn);
        if (!mine.size && this.lines.get(address) === mine) this.lines.delete(address);
        resolve(outcome);
      };
      // `give` hands its connection over: `taken` stays as it is.
      const turn = () => end('taken');
      const leave = () => end('stopped');
      const timer = setTimeout(leave, waitMs);
      stop.addEventListener('abort', leave);
      mine.add(turn);
    });
  }

  give(): void {
    const next = this.lines.entries().next();
    if (next.done) {
      this.taken--;
      return;
    }
    const [address, line] = next.value;
    const [turn] = line;
    // The address's next call, if any, waits for the turn after every other address's.
    this.lines.delete(address);
    if (line.size > 1) this.lines.set(address, line);
    turn?.();
  }
}

/** Register with `{ prefix: API_PREFIX }`: every call below it goes to JOC Cockpit. */
export const jocForward: FastifyPluginAsync<ForwardOptions> = async (
  app,
  {
    target,
    now,
    answerTimeout = JOC_ANSWER_TIMEOUT_MS,
    bodyBudget = BODY_BUDGET_BYTES,
    bodyBudgetPerAddress = BODY_BUDGET_PER_ADDRESS_BYTES,
  },
) => {
  const at = `JOC Cockpit at ${target.url}`;
  const budget = new BodyBudget(bodyBudget, Math.min(bodyBudget, bodyBudgetPerAddress));
  /** The body bytes each request holds, given back when its call ends. */
  const held = new WeakMap<FastifyRequest, { bytes: number; ended: boolean }>();
  app.addHook('onRequest', (request, reply, done) => {
    const hold = { bytes: 0, ended: false };
    held.set(request, hold);
    const address = addressKey(request.ip);
    // 'close' comes once the answer is sent or the client's connection is gone.
    reply.raw.once('close', () => {
      hold.ended = true;
      budget.give(address, hold.bytes);
      hold.bytes = 0;
    });
    done();
  });

  // A body is read whole (within the limit) before the call takes a connection to JOC: streamed,
  // a client trickling a byte every few seconds held one of them for the whole request time, and
  // a few hundred such uploads, without any account, left no connection for anyone's login.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (request, payload, done) => {
    // (Every request has its hold from onRequest.)
    const hold = held.get(request) ?? { bytes: 0, ended: true };
    const length = Number(request.headers['content-length']);
    if (length > MAX_FORWARDED_BODY_BYTES) {
      done(new TooLarge(), undefined);
      return;
    }
    const address = addressKey(request.ip);
    const mib = (bytes: number) => `${bytes / 1024 / 1024} MiB`;
    const noRoom = () =>
      new Busy(
        `This server is busy: the request bodies it holds for ${at} take all the room it has for them (${mib(budget.limit)}, ${mib(budget.perAddress)} from one client address). Try again in a moment.`,
      );
    // Counted as they arrive: an announced length that never comes holds no room. Joined at the
    // end, a body takes twice its size for a moment.
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (error: Error | null, body?: Buffer) => {
      payload.off('data', onData);
      payload.off('end', onEnd);
      payload.off('error', finish);
      payload.off('close', onClose);
      done(error, body);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_FORWARDED_BODY_BYTES) return finish(new TooLarge());
      // A small body (every call of the console but a store or an import) is never refused
      // for room: bodies that stop arriving cannot make an ordinary call "busy". Past the small
      // size, all of it counts.
      const uncounted = size - hold.bytes;
      if (size > SMALL_BODY_BYTES && (hold.ended || !budget.take(address, uncounted)))
        return finish(noRoom());
      if (size > SMALL_BODY_BYTES) hold.bytes += uncounted;
      chunks.push(chunk);
    };
    const onEnd = () => finish(null, Buffer.concat(chunks, size));
    // The client's connection closed before the body was complete: nothing to forward.
    const onClose = () => finish(new Error('the request body did not arrive whole'));
    payload.on('data', onData);
    payload.on('end', onEnd);
    payload.on('error', finish);
    payload.on('close', onClose);
  });

  const fail = (reply: FastifyReply, failure: Failure) => {
    reply.log.error(failure.logged ?? {}, failure.message);
    reply
      .code(failure.status)
      .header('content-type', 'application/json; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(errorBody(now(), `JOC-${failure.status}`, failure.message));
  };
  /** A call refused for want of room: a warning, as neither JOC_URL nor JOC is at fault. */
  const busy = (reply: FastifyReply, error: Busy, status = 503) => {
    reply.log.warn(error.message);
    reply
      .code(status)
      .header('content-type', 'application/json; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(errorBody(now(), `JOC-${status}`, error.message));
  };
  // A client that closed its connection (a closed tab) has nobody to answer, and JOC's failure
  // that follows is no fault of JOC_URL: an info line without advice.
  const clientLeft = (reply: FastifyReply) => reply.log.info('the client left before JOC answered');

  /** JOC's connection lost during its answer: said so, with the cause's code. */
  const brokenAnswer = (error: unknown): Failure => {
    const cause = (error as { cause?: unknown }).cause ?? error;
    const code = String((cause as { code?: unknown }).code ?? '');
    const detail = cause instanceof Error ? cause.message : String(cause);
    return {
      status: 502,
      message: `${at} closed the connection before its answer was complete (${code ? `${code}: ` : ''}${detail}).`,
    };
  };

  /** JOC's answer headers on a reply whose answer is being passed on (none belongs to an error). */
  const answering = new WeakMap<FastifyRequest, readonly string[]>();
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
    // JOC's answer failed before any of its body went out: the person gets the cause instead.
    const jocHeaders = answering.get(request);
    if (jocHeaders) {
      for (const name of jocHeaders) reply.removeHeader(name);
      fail(reply, error instanceof AnswerTimeout ? error.failure : brokenAnswer(error));
      return;
    }
    if (error instanceof Busy) {
      busy(reply, error);
      return;
    }
    if (error instanceof TooLarge) {
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

  const tooLate = `${at} did not answer in time (its answer was not complete within ${answerTimeout / 1000} s)`;
  const late: Failure = { status: 504, message: `${tooLate}.` };

  const origin = new URL(target.url).origin;
  const host = new URL(target.url).host;
  const pool = (connections: number) =>
    new JocConnections(
      new Pool(origin, {
        connections,
        connectTimeout: 10_000,
        headersTimeout: answerTimeout,
        // The answer's deadline (below) bounds the body as a whole.
        bodyTimeout: 0,
        connect: {
          rejectUnauthorized: !target.insecureTls,
          ca: target.ca,
          cert: target.clientCert,
          key: target.clientKey,
        },
      }),
      connections,
    );
  const logins = pool(LOGIN_CONNECTIONS);
  const others = pool(API_CONNECTIONS);
  // Closing the server closes its connections to JOC, also those still waiting for an answer.
  app.addHook('onClose', async () => {
    await Promise.all([logins.pool.destroy(), others.pool.destroy()]);
  });

  /**
   * One call to JOC: a connection (or a place in the line), JOC's answer passed on unless it is a
   * redirect (304 is an answer, not a redirect), all of it within `answerTimeout` of its arrival
   * here: undici bounds the wait for the headers and the pause between two parts of the body,
   * not the whole, so a JOC trickling a byte now and then would keep the person waiting, and the
   * connection to JOC taken, for good. A client that leaves ends its call at any point: out of
   * the line, or its request to JOC aborted, which frees the connection.
   */
  const call = async (
    request: FastifyRequest,
    reply: FastifyReply,
    connections: JocConnections,
    path: string,
  ) => {
    const deadline = performance.now() + answerTimeout;
    const left = new AbortController();
    reply.raw.once('close', () => {
      if (!reply.raw.writableFinished) left.abort();
    });
    if (reply.raw.destroyed) return clientLeft(reply);
    const turn = await connections.take(left.signal, answerTimeout, addressKey(request.ip));
    if (turn === 'stopped')
      return left.signal.aborted
        ? clientLeft(reply)
        : busy(
            reply,
            new Busy(
              `This server's ${connections.size} connections to ${at} were all taken for ${answerTimeout / 1000} s, with calls waiting for them: JOC was not asked this call. Try again in a moment.`,
            ),
            504,
          );
    let given = false;
    const give = () => {
      if (given) return;
      given = true;
      connections.give();
    };
    const query = request.url.indexOf('?');
    // Relative to the base, so a JOC_URL with a path (behind a reverse proxy) keeps that path.
    const url = new URL(path.replace(/^\/+/, ''), `${target.url}/`);
    // The body as it came, byte for byte, with its own Content-Type.
    const body = Buffer.isBuffer(request.body) ? request.body : undefined;
    let answer: Dispatcher.ResponseData;
    try {
      answer = await connections.pool.request({
        path: url.pathname + (query < 0 ? '' : request.url.slice(query)),
        method: request.method as Dispatcher.HttpMethod,
        headers: requestHeaders(request.headers, host),
        body,
        signal: left.signal,
        headersTimeout: Math.max(1, Math.round(deadline - performance.now())),
      });
    } catch (error) {
      give();
      return left.signal.aborted ? clientLeft(reply) : fail(reply, describeFailure(target, error));
    }
    const { statusCode: status, headers, body: stream } = answer;
    // Its errors reach the error handler through Fastify once it is passed on, and do not matter
    // when it is destroyed here unread (undici then reports an abort): never an uncaught error.
    stream.on('error', () => undefined);
    stream.once('close', give);
    if (left.signal.aborted) {
      stream.destroy();
      return clientLeft(reply);
    }
    if (status > 599) {
      stream.destroy();
      return fail(reply, {
        status: 502,
        message: `${at} answers with an invalid status code (${status}).`,
      });
    }
    if (status < 300 || status > 399 || status === 304) {
      const jocHeaders = answerHeaders(headers);
      answering.set(request, Object.keys(jocHeaders));
      // JOC's body goes out through a stream of this server's own. Broken off before any of it
      // went out, the error handler answers instead (502, or 504 past the deadline); once part
      // of it went out, only an ended connection tells the browser that it is incomplete, and
      // the log has one line naming JOC (handed to Fastify, the failure was logged again by it,
      // with a stack).
      const passed = new PassThrough();
      let ended = false;
      const breakOff = (error: Error, logged: string | undefined) => {
        if (ended) return;
        ended = true;
        if (!reply.raw.headersSent) {
          passed.destroy(error);
          return;
        }
        if (logged && !left.signal.aborted)
          reply.log.error(`${logged}: the connection to the browser was ended.`);
        passed.destroy();
        reply.raw.destroy();
      };
      stream.on('error', (error: Error) =>
        breakOff(error, brokenAnswer(error).message.replace(/\.$/, '')),
      );
      const cut = setTimeout(
        () => {
          breakOff(new AnswerTimeout(late), tooLate);
          stream.destroy();
        },
        Math.max(0, deadline - performance.now()),
      );
      stream.once('close', () => clearTimeout(cut));
      stream.pipe(passed);
      reply.headers(jocHeaders).code(status).send(passed);
      return;
    }
    // Not read: a body trickled in would hold the connection to JOC.
    stream.destroy();
    const location = headers['location'];
    fail(
      reply,
      describeRedirect(target, status, Array.isArray(location) ? location[0] : location, path),
    );
  };

  const forward =
    (connections: JocConnections) => (request: FastifyRequest, reply: FastifyReply) => {
      const query = request.url.indexOf('?');
      const path = apiPath(query < 0 ? request.url : request.url.slice(0, query));
      if (!path) {
        reply
          .code(404)
          .header('content-type', 'application/json; charset=utf-8')
          .send(errorBody(now(), 'JOC-404', 'There is no such JOC API call.'));
        return;
      }
      void call(request, reply, connections, path).catch((error: unknown) => {
        reply.log.error(error, 'forwarding failed');
        if (!reply.sent && !reply.raw.destroyed)
          fail(reply, { status: 502, message: `${at} could not be asked: ${String(error)}.` });
      });
    };
  app.all('/authentication/*', forward(logins));
  app.all('/', forward(others));
  app.all('/*', forward(others));
};
