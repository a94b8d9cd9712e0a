/**
 * Sessions in SQLite. Only a SHA-256 of the access token is stored, so a copy of the database
 * does not hand out live sessions.
 */
import { hash, randomBytes } from 'node:crypto';
import type { Db } from './database';

export type SessionLookup =
  | { readonly state: 'active'; readonly account: string; readonly credential: string }
  | {
      readonly state: 'expired';
      readonly account: string;
      /** Idle too long, or older than the absolute lifetime. */
      readonly why: 'idle' | 'lifetime';
    }
  | { readonly state: 'unknown' };

/** How often, at most, an active session's last-seen time is written. */
export const TOUCH_EVERY_MS = 5_000;

/**
 * The most sessions one account keeps: a login beyond it ends that account's oldest session, so
 * that an account logging in again and again cannot grow the table until the daily purge. Far more
 * than the browsers one account is open in at a time.
 */
export const MAX_SESSIONS_PER_ACCOUNT = 64;

const hashToken = (token: string) => hash('sha256', token, 'base64url');

export class SessionRepository {
  private readonly insertStmt;
  private readonly getStmt;
  private readonly touchStmt;
  private readonly deleteStmt;
  private readonly purgeStmt;
  private readonly trimStmt;

  constructor(db: Db) {
    this.insertStmt = db.prepare(
      'INSERT INTO sessions (token_hash, account, created_at, last_seen, credential) VALUES (?, ?, ?, ?, ?)',
    );
    this.getStmt = db.prepare<
      [string],
      { account: string; created_at: number; last_seen: number; credential: string }
    >('SELECT account, created_at, last_seen, credential FROM sessions WHERE token_hash = ?');
    this.touchStmt = db.prepare('UPDATE sessions SET last_seen = ? WHERE token_hash = ?');
    this.deleteStmt = db.prepare('DELETE FROM sessions WHERE token_hash = ?');
    this.purgeStmt = db.prepare('DELETE FROM sessions WHERE last_seen < ? OR created_at < ?');
    this.trimStmt = db.prepare(
      `DELETE FROM sessions WHERE account = ? AND token_hash NOT IN
         (SELECT token_hash FROM sessions WHERE account = ? ORDER BY created_at DESC, rowid DESC LIMIT ?)`,
    );
  }

  /**
   * A new session; returns the access token (256 random bits). `credential` stands for the
   * account's password and roles at login: a session whose account has changed since ends.
   */
  create(account: string, now: number, credential = ''): string {
    const token = randomBytes(32).toString('base64url');
    this.insertStmt.run(hashToken(token), account, now, now, credential);
    this.trimStmt.run(account, account, MAX_SESSIONS_PER_ACCOUNT);
    return token;
  }

  /**
   * Look a token up. An active session's idle timer restarts; a session idle longer than
   * `timeoutMs`, or older than `maxLifetimeMs` since its login however busy, is expired and stays
   * known (so every call answers 440, not 401) until {@link purge} removes it.
   */
  use(token: string, now: number, timeoutMs: number, maxLifetimeMs = Infinity): SessionLookup {
    const hash = hashToken(token);
    const row = this.getStmt.get(hash);
    if (!row) return { state: 'unknown' };
    if (now - row.created_at > maxLifetimeMs)
      return { state: 'expired', account: row.account, why: 'lifetime' };
    if (now - row.last_seen > timeoutMs)
      return { state: 'expired', account: row.account, why: 'idle' };
    // The idle timer restarts at most every few seconds: a synchronous write per request would
    // dominate every call, and timeouts are minutes long.
    if (now - row.last_seen >= TOUCH_EVERY_MS) this.touchStmt.run(now, hash);
    return { state: 'active', account: row.account, credential: row.credential };
  }

  delete(token: string): void {
    this.deleteStmt.run(hashToken(token));
  }

  /** Forget sessions idle since before `before`, or made before `createdBefore` (ms). */
  purge(before: number, createdBefore = -Infinity): void {
    this.purgeStmt.run(before, createdBefore);
  }
}
