/**
 * The server's log: never credentials or key material (nor cookies: other sites on this host may
 * send theirs), and no query strings of API calls (a client may put anything there).
 */
import type { FastifyRequest, FastifyServerOptions } from 'fastify';
import { ConfigError } from '../config';
import { API_PREFIX } from './api';

/** The address of a request as logged: an API call's query string is replaced. */
export function loggedUrl(url: string): string {
  const query = url.indexOf('?');
  if (query < 0 || !url.startsWith(API_PREFIX)) return url;
  return `${url.slice(0, query)}?[redacted]`;
}

/** Pino's levels, most to least severe; `silent` logs nothing. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * `LOG_LEVEL` as a pino level (default `info`; upper case accepted). Pino's own message for an
 * unknown level ("default level:verbose must be included in custom levels") names no setting.
 */
export function logLevel(value: string | undefined): string {
  const level = value?.trim().toLowerCase() ?? '';
  if (level === '') return 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(level))
    throw new ConfigError(
      `environment LOG_LEVEL: not a log level ("${value}"; one of ${LOG_LEVELS.join(', ')})`,
    );
  return level;
}

/** Pino's options as Fastify takes them (its `logger` option, less `true`/`false`). */
type LoggerOptions = Exclude<NonNullable<FastifyServerOptions['logger']>, boolean>;

/** Fastify logger options for `npm start` (pino, at `level`). */
export function serverLogger(level: string): LoggerOptions {
  return {
    level,
    serializers: {
      req: (request: FastifyRequest) => ({
        method: request.method,
        url: loggedUrl(request.url),
        host: request.host,
        remoteAddress: request.ip,
        remotePort: request.socket?.remotePort,
      }),
    },
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers["x-access-token"]',
        'res.headers["x-access-token"]',
        'req.headers.cookie',
        'req.body',
        'body',
      ],
      censor: '[redacted]',
    },
  };
}
