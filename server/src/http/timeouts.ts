/**
 * How long a client may take to send one whole request (headers and body; not the time the
 * server takes to answer). Fastify's default is no limit: a client that sends half a body and
 * then nothing more keeps its connection, and its memory, for good, so anyone could hold open
 * connections until the server runs out of them, without logging in. A minute sends the largest
 * upload (1 MiB) at 150 kbit/s.
 */
import type { ServerOptions } from 'node:http';
import { clientErrorHandler } from './client-errors';

export const REQUEST_TIMEOUT_MS = 60_000;

/**
 * The Fastify options that bound a request's arrival to `requestTimeout` ms, and answer a request
 * that is cut off (or never was one) in JOC's envelope (client-errors.ts).
 */
export function requestTimeoutOptions(
  requestTimeout = REQUEST_TIMEOUT_MS,
  now: () => Date = () => new Date(),
): {
  requestTimeout: number;
  http: ServerOptions;
  clientErrorHandler: ReturnType<typeof clientErrorHandler>;
} {
  return {
    requestTimeout,
    clientErrorHandler: clientErrorHandler(now, requestTimeout),
    http: {
      // Node holds a request to the longer of its headers and request timeouts: the headers' (60 s
      // by default) must not be the longer. Node checks for requests past their time every 30 s;
      // a shorter limit (tests) is checked more often, so it holds to within a quarter.
      headersTimeout: Math.min(60_000, requestTimeout),
      connectionsCheckingInterval: Math.min(30_000, Math.max(50, requestTimeout / 4)),
    },
  };
}
