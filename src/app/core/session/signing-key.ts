import { Injectable, inject, signal } from '@angular/core';
import type { JocKeyPair, JocKeyPairAnswer } from '../../../contract';
import { JocApi } from '../api/joc-api';
import { parseJocDate } from '../api/joc-date';
import type { ApiResult, JocError } from '../api/joc-error';
import { type DayNumber, calendarDays, utcDayNumber } from '../../../pki/days';
import { Session } from './session';

/** Where a certificate's end date stands, from `validUntil` alone (no certificate parsing needed). */
export interface Expiry {
  readonly state: 'valid' | 'expiring' | 'expired';
  /** Calendar days to the end's date in the zone of `dayNumber` (0: today); negative when expired. */
  readonly daysLeft: number;
  readonly validUntil: Date;
}

/**
 * Pure: the expiry state of a certificate ending at `validUntil`, with a warning threshold in
 * days; its days left counted in calendar dates of the zone of `dayNumber`.
 */
export function expiryOf(
  validUntil: string | undefined,
  now: Date,
  warnDays: number,
  dayNumber: DayNumber = utcDayNumber,
): Expiry | undefined {
  // Real JOC Cockpit writes an offset instead of Z (or no zone): parseJocDate reads all of them.
  const end = parseJocDate(validUntil);
  if (!end) return undefined;
  const daysLeft = calendarDays(now, end, dayNumber);
  // Expiring by the days shown, not by hours: "1 day left" with a threshold of 1 warns.
  const state = end < now ? 'expired' : daysLeft <= warnDays ? 'expiring' : 'valid';
  return { state, daysLeft, validUntil: end };
}

/** True when the answer of `/profile/key` holds a key or certificate. */
export function hasKeyPair(answer: JocKeyPairAnswer | undefined): answer is JocKeyPair {
  return !!answer && ('privateKey' in answer || 'certificate' in answer || 'publicKey' in answer);
}

/**
 * The signing key pair of the account as the server last gave it: the tab shows it, and the
 * console's banner warns about its certificate on every page.
 */
@Injectable({ providedIn: 'root' })
export class SigningKey {
  private readonly api = inject(JocApi);
  private readonly session = inject(Session);

  /** `undefined` until loaded; `{}` when no key is stored. An equal answer is no change (no re-parse). */
  readonly pair = signal<JocKeyPairAnswer | undefined>(undefined, {
    equal: (a, b) => JSON.stringify(a) === JSON.stringify(b),
  });
  readonly loading = signal(false);
  readonly error = signal<JocError | undefined>(undefined);

  /**
   * The moment the pair is judged at (days left, expired or not): its read, then each new calendar
   * day in the person's zone and the certificate's end (follow-days.ts), so that a page left open
   * moves on without a new judgement every minute (which would re-read the certificate and the
   * readiness).
   */
  readonly now = signal(new Date());

  private inFlight: Promise<void> | undefined;
  private loadedAt = 0;
  /** Counts the reads started: only the latest one's answer is kept. */
  private reads = 0;
  /** The session token the pair was read with. */
  private readFor: string | undefined;

  /**
   * Reads the pair from the server, when this account may see it. Callers share a load in flight
   * and an answer younger than `maxAgeMs` (the shell and the tab both ask on the way in); after a
   * write, ask with `maxAgeMs: 0`.
   */
  load(options: { maxAgeMs?: number } = {}): Promise<void> {
    // After a session ended (logged out, or expired and logged in again, maybe as another
    // account), nothing read in it is served or kept.
    const token = this.session.token();
    if (token !== this.readFor) {
      this.reset();
      this.readFor = token;
    }
    const maxAgeMs = options.maxAgeMs ?? 30_000;
    if (this.inFlight && maxAgeMs > 0) return this.inFlight;
    if (this.pair() !== undefined && Date.now() - this.loadedAt < maxAgeMs)
      return Promise.resolve();
    const load = this.fetch().finally(() => {
      if (this.inFlight === load) this.inFlight = undefined;
    });
    this.inFlight = load;
    return load;
  }

  private async fetch(): Promise<void> {
    const policy = this.session.policy();
    // While a kept session is restored the policy is not known yet: the read starts anyway (when
    // the session saw the tab before) and its answer counts only once the policy allows it.
    const early = !policy && this.session.keyTabExpected();
    if (!policy?.readsKey && !early) {
      this.pair.set(undefined);
      return;
    }
    this.loading.set(true);
    const read = ++this.reads;
    const answer = await this.api.showKey();
    // A read started after a write may answer before an older one: the older answer is stale.
    if (read !== this.reads) return;
    if (early && !(await this.allowedAfterRestore(answer))) {
      this.loading.set(false);
      this.pair.set(undefined);
      return;
    }
    this.loading.set(false);
    if (answer.ok) {
      const before = this.pair();
      this.pair.set(
        this.session.policy()?.showTab ? answer.value : withoutPrivateKey(answer.value),
      );
      // Another pair is judged from its read on; the same pair keeps its judgement (no re-check).
      if (this.pair() !== before) this.now.set(new Date());
      this.loadedAt = Date.now();
      this.error.set(undefined);
    } else {
      this.error.set(answer.error);
    }
  }

  /**
   * Whether an answer read while the session was restored may be shown: the session is usable and
   * its policy shows the tab. The interceptor leaves a 401/440 during the restore to the route
   * guard; a read that alone was refused so sends the person to the login page here.
   */
  private async allowedAfterRestore(answer: ApiResult<JocKeyPairAnswer>): Promise<boolean> {
    if ((await this.session.ready()) !== 'ok' || !this.session.policy()?.readsKey) return false;
    if (
      !answer.ok &&
      (answer.error.kind === 'unauthenticated' || answer.error.kind === 'session-expired')
    ) {
      this.session.expire();
      return false;
    }
    return true;
  }

  /** Forget the pair (after logout). */
  reset(): void {
    // A read still on its way belongs to the session that ended.
    this.reads++;
    this.inFlight = undefined;
    this.loading.set(false);
    this.loadedAt = 0;
    this.pair.set(undefined);
    this.error.set(undefined);
  }
}

/**
 * What an account that reads another's key for the banner keeps of it (LOW, not the default
 * account): no private key, whatever the server sends.
 */
function withoutPrivateKey(answer: JocKeyPairAnswer): JocKeyPairAnswer {
  if (!hasKeyPair(answer) || !answer.privateKey) return answer;
  const { privateKey: _, ...rest } = answer;
  return rest;
}
