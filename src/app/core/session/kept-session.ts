/**
 * The session kept in this browser tab (sessionStorage): its token survives a reload of the tab
 * but not the browser. Without Angular, so that the page's first module can read it too
 * (early-reads.ts).
 */
export const SESSION_STORAGE_KEY = 'joc-keys.session';

export interface StoredSession {
  readonly token: string;
  readonly account: string;
  /**
   * Whether the account saw the Signature tab when the session was last loaded: on a reload, the
   * signing key is read while the session is restored only when it may be shown (absent: yes).
   */
  readonly keyTab?: boolean;
}

/** The kept session, if this tab holds a well-formed one. */
export function readStoredSession(storage: Storage = sessionStorage): StoredSession | undefined {
  try {
    const value = JSON.parse(
      storage.getItem(SESSION_STORAGE_KEY) ?? 'null',
    ) as StoredSession | null;
    return value && typeof value.token === 'string' && typeof value.account === 'string'
      ? value
      : undefined;
  } catch {
    return undefined;
  }
}
