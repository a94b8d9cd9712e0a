import { HttpErrorResponse } from '@angular/common/http';
import type { JocError420 } from '../../../contract';

/** Who may approve a change JOC Cockpit holds back for four-eyes approval (its `approvers` list). */
export interface Approver {
  readonly accountName: string;
  readonly firstName?: string;
  readonly lastName?: string;
}

/**
 * The console's own words for a failure whose reason it knows: a catalog key (`errors.…`) and its
 * parameters. `I18n.message(error)` shows it in the person's language; without it (or for a key
 * the catalog lacks) the `message` is shown as is.
 */
export interface ErrorText {
  readonly code?: string;
  readonly params?: Readonly<Record<string, string | number>>;
}

/**
 * Every way a JOC API call can fail, mapped once from HTTP (see {@link toJocError}); components
 * switch on `kind` and show `i18n.message(error)`: the console's translation where it knows the
 * reason (`code` names an `errors.…` key, `params` its arguments), else `message` as the server
 * wrote it. `message` is always English written for a person (the server's text, else ours).
 * - `approval-required`: JOC Cockpit's four-eyes principle (HTTP 433); nothing was changed.
 * - `unsupported`: the server asks for something this console does not do (e.g. a second factor).
 * - `invalid`: `jocCode` is JOC's error code (`JOC-420`…, `browser` for a failure the dialog
 *   found itself); the server's reason is shown as the server wrote it, the console's own
 *   sentence when it gave none.
 */
export type JocError =
  | ({ readonly kind: 'network'; readonly message: string } & ErrorText)
  | ({ readonly kind: 'unauthenticated'; readonly message: string } & ErrorText)
  | ({ readonly kind: 'session-expired'; readonly message: string } & ErrorText)
  | ({ readonly kind: 'forbidden'; readonly message: string } & ErrorText)
  | ({
      readonly kind: 'invalid';
      readonly jocCode: string;
      readonly message: string;
      /** From `Retry-After`: the server refuses for this long (the login throttle). */
      readonly retryAfterSeconds?: number;
    } & ErrorText)
  | ({ readonly kind: 'not-found'; readonly message: string } & ErrorText)
  | ({
      readonly kind: 'approval-required';
      readonly message: string;
      readonly approvers: readonly Approver[];
    } & ErrorText)
  | ({ readonly kind: 'unsupported'; readonly message: string } & ErrorText)
  | ({ readonly kind: 'server'; readonly message: string } & ErrorText);

/** The answer of a call: its value, or the mapped failure. Calls never throw. */
export type ApiResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: JocError };

/**
 * The message of a failure body: the JOC envelope's `error.message` (420, and the embedded
 * server's 401/403/440), else the top-level `message` real JOC Cockpit sends with 401, 403, 433
 * and 440 (an account object without `error`).
 */
function bodyMessage(body: unknown): { code?: string; message?: string } {
  if (typeof body !== 'object' || body === null || notJson(body)) return {};
  const error = (body as Partial<JocError420>).error;
  if (typeof error === 'object' && error !== null && typeof error.message === 'string')
    return { code: String(error.code ?? ''), message: error.message };
  const message = (body as { message?: unknown }).message;
  return typeof message === 'string' && message.trim() ? { message } : {};
}

/** An answer that arrived but cannot be used (not JSON, cut off, not an object). */
export function unreadable(detail: string): JocError {
  return {
    kind: 'server',
    code: 'errors.unreadable',
    params: { detail },
    message: `The answer could not be read: ${detail}`,
  };
}

/**
 * Angular's answer to a success status whose body is not JSON (`{error: SyntaxError, text}`): a
 * web page where JOC Cockpit's API should be, e.g. a single-sign-on proxy's login page or an
 * address that serves the web UI instead of `/joc/api`.
 */
function notJson(body: unknown): boolean {
  const parsed = body as { error?: unknown; text?: unknown } | null;
  return !!parsed && parsed.error instanceof Error && typeof parsed.text === 'string';
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

/** The English texts of `errors.unauthenticated` and `errors.sessionExpired` (session.ts reads them). */
export const NOT_LOGGED_IN = 'You are not logged in.';
export const SESSION_EXPIRED = 'Your session has expired';

/**
 * A failure whose reason the status tells: the console's sentence (`errors.<key>`) when the server
 * gave no text; with the server's text, `errors.<key>Said`, which English shows as the server
 * wrote it and the other languages as the console's sentence followed by the server's words.
 */
function known(
  key: string,
  english: string,
  server: string | undefined,
): { readonly message: string } & ErrorText {
  return server === undefined
    ? { code: `errors.${key}`, message: english }
    : { code: `errors.${key}Said`, params: { server }, message: server };
}

/** Maps an HTTP failure to a {@link JocError}: the one place where status codes are read. */
export function toJocError(response: HttpErrorResponse): JocError {
  if (notJson(response.error)) {
    // JSON cut off or damaged begins as JSON; anything else (a login proxy's page, the wrong
    // address) did not come from the API. The parser's words would quote the answer: left out.
    const { text } = response.error as { text: string };
    if (/^\s*[{[]/.test(text)) return unreadable('the JSON is cut off or damaged');
    const status = `${response.status}${response.statusText ? ' ' + response.statusText : ''}`;
    return {
      kind: 'server',
      code: 'errors.notJoc',
      params: { status },
      message: `The answer did not come from JOC Cockpit's API (HTTP ${status} with a web page instead of JSON): a proxy in between may be asking for a login, or the console is connected to the wrong address.`,
    };
  }
  const { code, message } = bodyMessage(response.error);
  switch (response.status) {
    case 0:
      return {
        kind: 'network',
        code: 'errors.network',
        message: 'The server cannot be reached: check the network connection and try again.',
      };
    case 401:
      return { kind: 'unauthenticated', ...known('unauthenticated', NOT_LOGGED_IN, message) };
    case 440:
      return { kind: 'session-expired', ...known('sessionExpired', SESSION_EXPIRED, message) };
    case 403:
      return {
        kind: 'forbidden',
        ...known('forbidden', 'Your account lacks the permission for this action.', message),
      };
    case 404:
      return {
        kind: 'not-found',
        ...known('notFound', 'The server does not offer this call.', message),
      };
    case 433:
      return {
        kind: 'approval-required',
        ...known(
          'approvalRequired',
          'This change needs the approval of another person (four-eyes principle).',
          message,
        ),
        approvers: approversOf(response.error),
      };
    case 420:
    case 400:
      if (isLostSession(response))
        return { kind: 'session-expired', ...known('sessionExpired', SESSION_EXPIRED, message) };
      return {
        kind: 'invalid',
        jocCode: code || `HTTP ${response.status}`,
        ...(message === undefined
          ? { code: 'errors.refused', message: 'The server refused the request.' }
          : { message }),
        ...retryAfter(response),
      };
    default: {
      // The server's own text says more than the console knows; without one the status is all.
      if (message !== undefined) return { kind: 'server', message };
      const status = `${response.status}${response.statusText ? ' ' + response.statusText : ''}`;
      return {
        kind: 'server',
        code: 'errors.serverFailed',
        params: { status },
        message: `The server failed to answer (HTTP ${status}): try again later.`,
      };
    }
  }
}

/** `Retry-After` in seconds (the form our throttle sends; an HTTP date is not used by JOC). */
function retryAfter(response: HttpErrorResponse): { retryAfterSeconds?: number } {
  const value = response.headers?.get('Retry-After')?.trim();
  return value && /^\d{1,6}$/.test(value) ? { retryAfterSeconds: Number(value) } : {};
}
