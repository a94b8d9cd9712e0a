import { readStoredSession } from '../session/kept-session';
import { API_BASE } from './api-base';

/**
 * The first reads of a console page opened with a session kept in this browser tab (a reload, a
 * link followed in the same tab): the account's permissions, the security level and, when the
 * account saw the Signature tab, its key. The page's first module starts them, while the browser
 * still compiles and runs Angular and the route's code; the console's own calls for them then
 * take these answers (earlyReadsInterceptor) instead of asking only after the start-up. No other
 * module is imported here (Angular is not needed to ask), so this runs before any of them.
 */

/** The answer of one early read, as the HTTP layer needs it. */
export interface EarlyAnswer {
  readonly status: number;
  readonly statusText: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly body: string;
}

interface EarlyRead {
  readonly token: string;
  readonly startedAt: number;
  readonly answer: Promise<EarlyAnswer | undefined>;
}

/** An answer not asked for by then belongs to no call of this page any more (none is that late). */
export const EARLY_READ_MAX_AGE_MS = 10_000;

export const EARLY_READ_PATHS = [
  'authentication/joc_cockpit_permissions',
  'joc/properties',
  'profile/key',
] as const;

const reads = new Map<string, EarlyRead>();

/**
 * Starts the early reads when this tab keeps a session and the page is not the login page. What
 * is sent is what the console sends for these calls: an empty JSON body and the session's
 * `X-Access-Token` (never a cookie).
 */
export function startEarlyReads(
  path = location.pathname,
  storage: Storage = sessionStorage,
  send: typeof fetch = (input, init) => fetch(input, init),
  now = Date.now,
): void {
  const session = readStoredSession(storage);
  if (!session || path === '/login' || path.startsWith('/login/')) return;
  for (const call of EARLY_READ_PATHS) {
    // As the console itself: the key is read during the restore only when the tab was shown.
    if (call === 'profile/key' && session.keyTab === false) continue;
    const url = `${API_BASE}/${call}`;
    const answer = send(url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json, text/plain, */*',
        'X-Access-Token': session.token,
      },
      body: '{}',
    }).then(
      async (response) => ({
        status: response.status,
        statusText: response.statusText,
        headers: [...response.headers.entries()],
        body: await response.text(),
      }),
      // The console's own call then asks again and reports what happens to it.
      () => undefined,
    );
    const read = { token: session.token, startedAt: now(), answer };
    reads.set(url, read);
    // A key nobody asked for is not kept in memory.
    setTimeout(() => {
      if (reads.get(url) === read) reads.delete(url);
    }, EARLY_READ_MAX_AGE_MS);
  }
}

/**
 * The early answer for the console's call of `url` with `token`, handed out once; undefined when
 * there is none, it was taken, the token differs (another session) or it is too old.
 */
export function takeEarlyRead(
  url: string,
  token: string | null,
  now = Date.now,
): Promise<EarlyAnswer | undefined> | undefined {
  const read = reads.get(url);
  if (!read) return undefined;
  reads.delete(url);
  return read.token === token && now() - read.startedAt <= EARLY_READ_MAX_AGE_MS
    ? read.answer
    : undefined;
}

/** Forgets every early read not taken (the specs start each case clean). */
export function dropEarlyReads(): void {
  reads.clear();
}
