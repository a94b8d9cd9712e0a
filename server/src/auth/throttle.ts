/**
 * Slows down password guessing: every failed login for an account, and every failed login from an
 * address, makes the next attempt for that account / from that address wait (0.5 s, 1 s, 2 s, ...
 * capped). Attempts queue: parallel guesses each take their own slot instead of sharing one.
 * A success clears both counters. Attempts after the wait has passed are not delayed at all, and an
 * account or address without recent failures is never delayed.
 * The clock is injected so tests need not wait.
 */

export interface ThrottleOptions {
  readonly now: () => number;
  /** Delay after the first failure, ms. */
  readonly baseMs?: number;
  /** Longest delay, ms. */
  readonly maxMs?: number;
  /** Failures older than this are forgotten, ms. */
  readonly forgetAfterMs?: number;
  /** Most entries kept (memory bound against address spraying). */
  readonly maxEntries?: number;
}

interface Entry {
  failures: number;
  /** The next attempt may start at this time (ms). */
  nextAllowedAt: number;
  lastFailureAt: number;
}

export class LoginThrottle {
  private readonly entries = new Map<string, Entry>();
  private readonly baseMs: number;
  private readonly maxMs: number;
  private readonly forgetAfterMs: number;
  private readonly maxEntries: number;

  constructor(private readonly options: ThrottleOptions) {
    this.baseMs = options.baseMs ?? 500;
    this.maxMs = options.maxMs ?? 10_000;
    this.forgetAfterMs = options.forgetAfterMs ?? 15 * 60_000;
    this.maxEntries = options.maxEntries ?? 10_000;
  }

  /** The keys of one attempt: the account (case-folded) and the client address. */
  static keys(account: string, address: string): string[] {
    return [`account:${account.normalize('NFC').toLowerCase()}`, `address:${address}`];
  }

  delayFor(failures: number): number {
    return failures <= 0 ? 0 : Math.min(this.baseMs * 2 ** Math.min(failures - 1, 30), this.maxMs);
  }

  /**
   * How long this attempt must wait before the password is checked. Reserves the slot, so that a
   * parallel attempt waits one more delay.
   */
  begin(keys: readonly string[]): number {
    const now = this.options.now();
    this.prune(now);
    let start = now;
    for (const key of keys) {
      const entry = this.entries.get(key);
      if (entry) start = Math.max(start, entry.nextAllowedAt);
    }
    for (const key of keys) {
      const entry = this.entries.get(key);
      if (entry) entry.nextAllowedAt = start + this.delayFor(entry.failures);
    }
    return start - now;
  }

  failed(keys: readonly string[]): void {
    const now = this.options.now();
    for (const key of keys) {
      const entry = this.entries.get(key) ?? { failures: 0, nextAllowedAt: 0, lastFailureAt: now };
      entry.failures += 1;
      entry.lastFailureAt = now;
      entry.nextAllowedAt = Math.max(entry.nextAllowedAt, now + this.delayFor(entry.failures));
      this.entries.delete(key); // re-insert: Map order is then oldest failure first
      this.entries.set(key, entry);
    }
  }

  succeeded(keys: readonly string[]): void {
    for (const key of keys) this.entries.delete(key);
  }

  private prune(now: number): void {
    for (const [key, entry] of this.entries) {
      if (now - entry.lastFailureAt > this.forgetAfterMs && now >= entry.nextAllowedAt)
        this.entries.delete(key);
      else break; // ordered by last failure
    }
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }
}
