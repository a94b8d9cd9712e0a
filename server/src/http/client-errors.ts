/**
 * Answers to requests that never became requests: the client took longer than the request time
 * (408), sent headers or an address beyond Node's 16 kB (431), or sent something that is not HTTP
 * (400). Node answers them before Fastify routes anything, where Fastify's default writes its own
 * JSON without the security headers; here they get JOC's envelope and the headers like every
 * answer.
 */
import type { Socket } from 'node:net';
import { errorBody } from './errors';
import { SECURITY_HEADERS } from './security-headers';

const ANSWERS: Record<string, readonly [number, string, (seconds: number) => string]> = {
  ERR_HTTP_REQUEST_TIMEOUT: [
    408,
    'Request Timeout',
    (seconds) => `The request did not arrive within ${seconds} s and was dropped: send it again.`,
  ],
  HPE_HEADER_OVERFLOW: [
    431,
    'Request Header Fields Too Large',
    () => 'The address or the request headers are too long: at most 16 kB in all.',
  ],
};
const BAD_REQUEST = [400, 'Bad Request', () => 'The request is not valid HTTP.'] as const;

/** Fastify's `clientErrorHandler` for an app whose requests may take `requestTimeoutMs` to arrive. */
export function clientErrorHandler(
  now: () => Date,
  requestTimeoutMs: number,
): (error: Error & { code?: string }, socket: Socket) => void {
  return (error, socket) => {
    // A reset connection has nobody to answer.
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const [status, reason, message] = ANSWERS[error.code ?? ''] ?? BAD_REQUEST;
    if (socket.writable) {
      const body = JSON.stringify(
        errorBody(now(), `JOC-${status}`, message(Math.round(requestTimeoutMs / 1000))),
      );
      const headers = {
        'content-type': 'application/json; charset=utf-8',
        'content-length': String(Buffer.byteLength(body)),
        'cache-control': 'no-store',
        connection: 'close',
        ...SECURITY_HEADERS,
      };
      socket.write(
        `HTTP/1.1 ${status} ${reason}\r\n` +
          Object.entries(headers)
            .map(([name, value]) => `${name}: ${value}\r\n`)
            .join('') +
          `\r\n${body}`,
      );
    }
    socket.destroy(error);
  };
}
