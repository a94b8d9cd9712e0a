/**
 * Slows down password guessing without letting a stranger lock the owner out.
 *
 * Every failed login counts against the account and against the client's address. One mistake
 * costs nothing; after the n-th failure in a row (n ≥ 2) the next attempt for that account (from
 * that address) is refused until the failure is `base · 2^(n-2)` old, capped. The account's cap is short (a stranger can keep
 * the owner out for a few seconds at most) and the address's is long (the stranger's own address
 * is slowed down for minutes), so guessing needs many addresses while the owner, from another
 * address, gets in quickly.
 *
 * Attempts never wait on the server: an attempt during a delay is refused at once with the time
 * left, and a refused attempt changes nothing (it is not a failure and reserves nothing). Only a
 * few checks per account and per address run at the same time, so a burst of parallel guesses
 * costs the same as a few; and an account or address whose failures call for a delay has one
 * check at a time, so that parallel guesses sent when a delay ends get one password checked per
 * delay, not a few. A check frees its place when it ends, whether or not the client is still
 * there to read the answer; an aborted check still counts (its password was tried).
 *
 * Each account remembers the last {@link KNOWN_ADDRESSES_PER_ACCOUNT} addresses it logged in
 * from. An attempt from one of them counts against the account under a name of its own (account
 * and address); all other attempts share the account's name. Strangers failing from a few dozen
 * addresses (one IPv6 /56 holds 256 /64s) can keep the shared delay at its cap for as long as
 * they like, but they never delay the owner at an address the owner logged in from before, and
 * the owner's logins there do not clear the shared delay for them.
 *
 * Memory is bounded: failures are forgotten after a while, and each table keeps at most
 * `maxEntries` names, dropping the oldest failures first (the known addresses of as many
 * accounts, dropping those that logged in longest ago). IPv6 addresses count per /64, the
 * block one client usually holds. The clock is injected so tests need not wait.
 */

export interface ThrottleLimits {
  /** Delay after the second failure in a row, ms (the first costs nothing). */
  readonly baseMs: number;
  /** Longest delay, ms. */
  readonly maxMs: number;
}

export interface ThrottleOptions {
  readonly now: () => number;
  /** Per account (case-folded name). */
  readonly account?: Partial<ThrottleLimits>;
  /** Per client address (IPv6 per /64). */
  readonly address?: Partial<ThrottleLimits>;
  /** Most password checks running at once per account and per address (1 once delayed). */
  readonly maxInFlight?: number;
  /** Failures older than this are forgotten, ms. */
  readonly forgetAfterMs?: number;
  /** Most names kept per table (a bound against spraying names or addresses). */
  readonly maxEntries?: number;
}

/** The defaults, in ms (README, Security). */
export const THROTTLE_DEFAULTS = {
  account: { baseMs: 500, maxMs: 5_000 },
  address: { baseMs: 1_000, maxMs: 5 * 60_000 },
  maxInFlight: 4,
  forgetAfterMs: 15 * 60_000,
  maxEntries: 10_000,
} as const;

/** Who an attempt counts against. */
export interface ThrottleKeys {
  readonly account: string;
  readonly address: string;
}

/** Why an attempt is refused, and for how long (ms). */
export interface Refusal {
  readonly reason: 'account' | 'address' | 'busy';
  readonly retryAfterMs: number;
}

interface Entry {
  failures: number;
  lastFailureAt: number;
}

/** One table of failures (accounts or addresses), oldest failure first. */
class FailureTable {
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, number>();

  constructor(
    private readonly limits: ThrottleLimits,
    private readonly forgetAfterMs: number,
    private readonly maxEntries: number,
  ) {}

  delayFor(failures: number): number {
    return failures <= 1
      ? 0
      : Math.min(this.limits.baseMs * 2 ** Math.min(failures - 2, 30), this.limits.maxMs);
  }

  /** Time left until `key` may try again (0: now). */
  waitFor(key: string, now: number): number {
    const entry = this.entries.get(key);
    return entry ? Math.max(0, entry.lastFailureAt + this.delayFor(entry.failures) - now) : 0;
  }

  running(key: string): number {
    return this.inFlight.get(key) ?? 0;
  }

  /** Whether `key`'s failures call for a delay (over or not): then one check runs at a time. */
  delayed(key: string, now: number): boolean {
    const entry = this.entries.get(key);
    return (
      entry !== undefined &&
      now - entry.lastFailureAt <= this.forgetAfterMs &&
      this.delayFor(entry.failures) > 0
    );
  }

  /** Whether another check for `key` may start now. */
  hasRoom(key: string, now: number, maxInFlight: number): boolean {
    return this.running(key) < (this.delayed(key, now) ? 1 : maxInFlight);
  }

  start(key: string): void {
    this.inFlight.set(key, this.running(key) + 1);
  }

  end(key: string): void {
    const left = this.running(key) - 1;
    if (left > 0) this.inFlight.set(key, left);
    else this.inFlight.delete(key);
  }

  failed(key: string, now: number): void {
    const entry = this.entries.get(key);
    const failures = entry && now - entry.lastFailureAt <= this.forgetAfterMs ? entry.failures : 0;
    // Re-inserted, so that the Map's order stays oldest failure first.
    this.entries.delete(key);
    this.entries.set(key, { failures: failures + 1, lastFailureAt: now });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  forget(key: string): void {
    this.entries.delete(key);
  }

  prune(now: number): void {
    for (const [key, entry] of this.entries) {
      if (now - entry.lastFailureAt <= this.forgetAfterMs) break;
      this.entries.delete(key);
    }
  }

  get size(): number {
    return this.entries.size + this.inFlight.size;
  }
}

/** Addresses remembered per account as ones it logged in from. */
export const KNOWN_ADDRESSES_PER_ACCOUNT = 8;

export class LoginThrottle {
  private readonly accounts: FailureTable;
  private readonly addresses: FailureTable;
  private readonly maxInFlight: number;
  private readonly maxEntries: number;
  /** Per account, the addresses it last logged in from (newest last); accounts by last login. */
  private readonly known = new Map<string, string[]>();
  /** The account name each admitted attempt counts under (its address may become known meanwhile). */
  private readonly admitted = new WeakMap<ThrottleKeys, string>();

  constructor(private readonly options: ThrottleOptions) {
    const d = THROTTLE_DEFAULTS;
    const forget = options.forgetAfterMs ?? d.forgetAfterMs;
    this.maxEntries = options.maxEntries ?? d.maxEntries;
    this.accounts = new FailureTable({ ...d.account, ...options.account }, forget, this.maxEntries);
    this.addresses = new FailureTable(
      { ...d.address, ...options.address },
      forget,
      this.maxEntries,
    );
    this.maxInFlight = options.maxInFlight ?? d.maxInFlight;
  }

  /**
   * The name in the account table an attempt counts under; each kind prefixed and the pair
   * quoted, so that no account name a client sends can stand for another account's known address.
   */
  private accountKey(keys: ThrottleKeys): string {
    return this.known.get(keys.account)?.includes(keys.address)
      ? `known ${JSON.stringify([keys.account, keys.address])}`
      : `shared ${keys.account}`;
  }

  /** The keys of one attempt: the account (case-folded) and the client address (IPv6 per /64). */
  static keys(account: string, address: string): ThrottleKeys {
    return { account: account.normalize('NFC').toLowerCase(), address: addressKey(address) };
  }

  /**
   * Admits an attempt (its password may be checked; call {@link end} when the check is over) or
   * refuses it, changing nothing.
   */
  admit(keys: ThrottleKeys): Refusal | undefined {
    const now = this.options.now();
    this.accounts.prune(now);
    this.addresses.prune(now);
    const accountKey = this.accountKey(keys);
    const address = this.addresses.waitFor(keys.address, now);
    const account = this.accounts.waitFor(accountKey, now);
    if (address > 0 && address >= account) return { reason: 'address', retryAfterMs: address };
    if (account > 0) return { reason: 'account', retryAfterMs: account };
    if (
      !this.accounts.hasRoom(accountKey, now, this.maxInFlight) ||
      !this.addresses.hasRoom(keys.address, now, this.maxInFlight)
    )
      return { reason: 'busy', retryAfterMs: 1_000 };
    this.accounts.start(accountKey);
    this.addresses.start(keys.address);
    this.admitted.set(keys, accountKey);
    return undefined;
  }

  /**
   * The admitted attempt's check is over: a failure counts against the account and the address;
   * a success clears the failures counted under the same account name (not the address's:
   * logging in to an account of one's own must not reset the guessing of another's) and makes
   * the address a known one of the account; `none` (the check broke) only frees the place.
   */
  end(keys: ThrottleKeys, outcome: 'failed' | 'succeeded' | 'none'): void {
    const accountKey = this.admitted.get(keys) ?? this.accountKey(keys);
    this.admitted.delete(keys);
    this.accounts.end(accountKey);
    this.addresses.end(keys.address);
    const now = this.options.now();
    if (outcome === 'failed') {
      this.accounts.failed(accountKey, now);
      this.addresses.failed(keys.address, now);
    } else if (outcome === 'succeeded') {
      this.accounts.forget(accountKey);
      const seen = (this.known.get(keys.account) ?? []).filter((a) => a !== keys.address);
      seen.push(keys.address);
      // Re-inserted, so that the Map's order stays the accounts' last logins, oldest first.
      this.known.delete(keys.account);
      this.known.set(keys.account, seen.slice(-KNOWN_ADDRESSES_PER_ACCOUNT));
      for (const oldest of this.known.keys()) {
        if (this.known.size <= this.maxEntries) break;
        this.known.delete(oldest);
      }
    }
  }

  /** Names and checks held in memory (tests check the bound). */
  get size(): number {
    return this.accounts.size + this.addresses.size;
  }
}

/** IPv4 as is (also when mapped into IPv6); IPv6 by its first 64 bits. */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1];
  if (!address.includes(':')) return address;
  const [head, tail = ''] = address.toLowerCase().split('%')[0].split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::')
    ? [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
    : left;
  return groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')
    .concat('::/64');
}
