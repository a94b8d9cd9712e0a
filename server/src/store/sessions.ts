/**
 * Sessions in SQLite. Only a SHA-256 of the access token is stored, so a copy of the database
 * does not hand out live sessions.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from './database';

export interface SessionRow {
  readonly account: string;
  readonly createdAt: number;
  readonly lastSeen: number;
}

export type SessionLookup =
  | { readonly state: 'active'; readonly account: string }
  | { readonly state: 'expired'; readonly account: string }
  | { readonly state: 'unknown' };

/** How often, at most, an active session's last-seen time is written. */
export const TOUCH_EVERY_MS = 5_000;

const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('base64url');

/** Sessions remembered in memory, at most (the oldest are forgotten first). */
const CACHE_SIZE = 10_000;

interface CachedSession {
  readonly hash: string;
  readonly account: string;
  /** last_seen as stored. */
  lastSeen: number;
}

export class SessionRepository {
  /**
   * Sessions by access token. Every API call looks its token up, and the SHA-256 plus SELECT showed
   * in the API benchmark; the database stays the truth: the cache is dropped whenever another
   * connection has committed (SQLite's data_version: a logout or purge by another process).
   */
  private readonly cache = new Map<string, CachedSession>();
  private cacheVersion = -1;
  private readonly insertStmt;
  private readonly getStmt;
  private readonly touchStmt;
  private readonly deleteStmt;
  private readonly purgeStmt;

  /** `externalVersion()` changes whenever another connection has committed. */
  constructor(
    db: Db,
    private readonly externalVersion: () => number = () => 0,
  ) {
    this.insertStmt = db.prepare('INSERT INTO sessions (token_hash, account, created_at, last_seen) VALUES (?, ?, ?, ?)');
    this.getStmt = db.prepare<[string], { account: string; created_at: number; last_seen: number }>(
      'SELECT account, created_at, last_seen FROM sessions WHERE token_hash = ?',
    );
    this.touchStmt = db.prepare('UPDATE sessions SET last_seen = ? WHERE token_hash = ?');
    this.deleteStmt = db.prepare('DELETE FROM sessions WHERE token_hash = ?');
    this.purgeStmt = db.prepare('DELETE FROM sessions WHERE last_seen < ?');
  }

  /** A new session; returns the access token (256 random bits). */
  create(account: string, now: number): string {
    const token = randomBytes(32).toString('base64url');
    this.insertStmt.run(hashToken(token), account, now, now);
    return token;
  }

  /**
   * Look a token up. An active session's idle timer restarts; an expired one stays known (so
   * every call answers 440, not 401) until {@link purge} removes it.
   */
  use(token: string, now: number, timeoutMs: number): SessionLookup {
    const version = this.externalVersion();
    if (version !== this.cacheVersion) {
      this.cache.clear();
      this.cacheVersion = version;
    }
    let session = this.cache.get(token);
    if (!session) {
      const hash = hashToken(token);
      const row = this.getStmt.get(hash);
      if (!row) return { state: 'unknown' };
      session = { hash, account: row.account, lastSeen: row.last_seen };
      if (this.cache.size >= CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(token, session);
    }
    if (now - session.lastSeen > timeoutMs) return { state: 'expired', account: session.account };
    // The idle timer restarts at most every few seconds: a synchronous write per request
    // dominated every call (BENCHMARKS.md), and timeouts are minutes long.
    if (now - session.lastSeen >= TOUCH_EVERY_MS) {
      this.touchStmt.run(now, session.hash);
      session.lastSeen = now;
    }
    return { state: 'active', account: session.account };
  }

  delete(token: string): void {
    this.cache.delete(token);
    this.deleteStmt.run(hashToken(token));
  }

  /** Forget sessions idle since before `before` (ms). */
  purge(before: number): void {
    this.cache.clear();
    this.purgeStmt.run(before);
  }
}
