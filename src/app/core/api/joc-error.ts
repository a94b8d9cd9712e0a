import { HttpErrorResponse } from '@angular/common/http';
import type { JocError420 } from '../../../contract';

/** Who may approve a change JOC Cockpit holds back for four-eyes approval (its `approvers` list). */
export interface Approver {
  readonly accountName: string;
  readonly firstName?: string;
  readonly lastName?: string;
}

/**
 * Every way a JOC API call can fail, mapped once from HTTP (see {@link toJocError}); components
 * switch on `kind` and show `message`, which is always written for a person.
 * - `approval-required`: JOC Cockpit's four-eyes principle (HTTP 433); nothing was changed.
 * - `unsupported`: the server asks for something this console does not do (e.g. a second factor).
 */
export type JocError =
  | { readonly kind: 'network'; readonly message: string }
  | { readonly kind: 'unauthenticated'; readonly message: string }
  | { readonly kind: 'session-expired'; readonly message: string }
  | { readonly kind: 'forbidden'; readonly message: string }
  | {
      readonly kind: 'invalid';
      readonly code: string;
      readonly message: string;
      /** From `Retry-After`: the server refuses for this long (the login throttle). */
      readonly retryAfterSeconds?: number;
    }
  | { readonly kind: 'not-found'; readonly message: string }
  | {
      readonly kind: 'approval-required';
      readonly message: string;
      readonly approvers: readonly Approver[];
    }
  | { readonly kind: 'unsupported'; readonly message: string }
  | { readonly kind: 'server'; readonly message: string };

/** The answer of a call: its value, or the mapped failure. Calls never throw. */
export type ApiResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: JocError };

/**
 * The message of a failure body: the JOC envelope's `error.message` (420, and the embedded
 * server's 401/403/440), else the top-level `message` real JOC Cockpit sends with 401, 403, 433
 * and 440 (an account object without `error`).
 */
function bodyMessage(body: unknown): { code?: string; message?: string } {
  if (typeof body !== 'object' || body === null) return {};
  const error = (body as Partial<JocError420>).error;
  if (typeof error === 'object' && error !== null && typeof error.message === 'string')
    return { code: String(error.code ?? ''), message: error.message };
  const message = (body as { message?: unknown }).message;
  return typeof message === 'string' && message.trim() ? { message } : {};
}

/**
 * Whether a 420 means the session is gone: JOC Cockpit answers so when its session store no longer
 * knows the token, and its own UI treats that as a timeout (auth.interceptor.ts).
 */
export function isLostSession(response: Pick<HttpErrorResponse, 'status' | 'error'>): boolean {
  if (response.status !== 420) return false;
  const { message } = bodyMessage(response.error);
  return !!message && /UnknownSessionException|user is null/i.test(message);
}

/** The `approvers` of a 433 answer, kept to the fields a person can read (never an e-mail). */
function approversOf(body: unknown): Approver[] {
  const list = (body as { approvers?: unknown } | null)?.approvers;
  if (!Array.isArray(list)) return [];
  return list.flatMap((a: unknown) => {
    const item = a as Partial<Record<keyof Approver, unknown>> | null;
    if (!item || typeof item.accountName !== 'string') return [];
    return [
      {
        accountName: item.accountName,
        ...(typeof item.firstName === 'string' ? { firstName: item.firstName } : {}),
        ...(typeof item.lastName === 'string' ? { lastName: item.lastName } : {}),
      },
    ];
  });
}

/** "Anna Berg (anna)", or the account name alone. */
export function approverName(approver: Approver): string {
  const name = [approver.firstName, approver.lastName].filter((part) => part?.trim()).join(' ');
  return name ? `${name} (${approver.accountName})` : approver.accountName;
}

/** Maps an HTTP failure to a {@link JocError}: the one place where status codes are read. */
export function toJocError(response: HttpErrorResponse): JocError {
  const { code, message } = bodyMessage(response.error);
  switch (response.status) {
    case 0:
      return {
        kind: 'network',
        message: 'The server cannot be reached: check the network connection and try again.',
      };
    case 401:
      return { kind: 'unauthenticated', message: message ?? 'You are not logged in.' };
    case 440:
      return { kind: 'session-expired', message: message ?? 'Your session has expired' };
    case 403:
      return {
        kind: 'forbidden',
        message: message ?? 'Your account lacks the permission for this action.',
      };
    case 404:
      return { kind: 'not-found', message: message ?? 'The server does not offer this call.' };
    case 433:
      return {
        kind: 'approval-required',
        message:
          message ?? 'This change needs the approval of another person (four-eyes principle).',
        approvers: approversOf(response.error),
      };
    case 420:
    case 400:
      if (isLostSession(response))
        return { kind: 'session-expired', message: message ?? 'Your session has expired' };
      return {
        kind: 'invalid',
        code: code || `HTTP ${response.status}`,
        message: message ?? 'The server refused the request.',
        ...retryAfter(response),
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

/** `Retry-After` in seconds (the form our throttle sends; an HTTP date is not used by JOC). */
function retryAfter(response: HttpErrorResponse): { retryAfterSeconds?: number } {
  const value = response.headers?.get('Retry-After')?.trim();
  return value && /^\d{1,6}$/.test(value) ? { retryAfterSeconds: Number(value) } : {};
}
