import { HttpErrorResponse } from '@angular/common/http';
import type { JocError420 } from '../../../contract';

/**
 * Every way a JOC API call can fail, mapped once from HTTP (see {@link toJocError}); components
 * switch on `kind` and show `message`, which is always written for a person.
 */
export type JocError =
  | { readonly kind: 'network'; readonly message: string }
  | { readonly kind: 'unauthenticated'; readonly message: string }
  | { readonly kind: 'session-expired'; readonly message: string }
  | { readonly kind: 'forbidden'; readonly message: string }
  | { readonly kind: 'invalid'; readonly code: string; readonly message: string }
  | { readonly kind: 'not-found'; readonly message: string }
  | { readonly kind: 'server'; readonly message: string };

/** The answer of a call: its value, or the mapped failure. Calls never throw. */
export type ApiResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: JocError };

/** The JOC envelope's message, when the body is one. */
function envelopeMessage(body: unknown): { code?: string; message?: string } {
  const error = (body as Partial<JocError420> | null)?.error;
  return typeof error === 'object' && error !== null && typeof error.message === 'string'
    ? { code: String(error.code ?? ''), message: error.message }
    : {};
}

/** Maps an HTTP failure to a {@link JocError}: the one place where status codes are read. */
export function toJocError(response: HttpErrorResponse): JocError {
  const { code, message } = envelopeMessage(response.error);
  switch (response.status) {
    case 0:
      return {
        kind: 'network',
        message: 'The server cannot be reached: check the network connection and try again.',
      };
    case 401:
      return { kind: 'unauthenticated', message: message ?? 'You are not logged in.' };
    case 440:
      return { kind: 'session-expired', message: 'Your session has expired' };
    case 403:
      return {
        kind: 'forbidden',
        message: message ?? 'Your account lacks the permission for this action.',
      };
    case 404:
      return { kind: 'not-found', message: message ?? 'The server does not offer this call.' };
    case 420:
    case 400:
      return {
        kind: 'invalid',
        code: code || `HTTP ${response.status}`,
        message: message ?? 'The server refused the request.',
      };
    default:
      return {
        kind: 'server',
        message:
          message ??
          `The server failed to answer (HTTP ${response.status}${response.statusText ? ' ' + response.statusText : ''}): try again later.`,
      };
  }
}
