import { Injectable, inject, signal } from '@angular/core';
import type { JocKeyPairAnswer } from '../../../contract';
import { JocApi } from '../api/joc-api';
import { Session } from './session';
import { hasKeyPair } from './signing-key';

/** What the console keeps of the SSL CA between pages: its certificate only, never its key. */
export interface SslCaCertificate {
  /** The CA's certificate as `/profile/ca` returned it; absent when there is no CA. */
  readonly certificate?: string;
}

/** How long a read CA serves the banner: the SSL tab hands over what it reads and changes. */
const MAX_AGE_MS = 5 * 60_000;

/**
 * The SSL CA's certificate as this session last read it: the banner on every page checks the
 * signing certificate's issuer against it. The SSL tab hands its answers to {@link seen}, so that
 * a CA renewed there reaches the banner at once; one changed elsewhere is read again after a
 * while, when the banner looks again (the signing key read again).
 */
@Injectable({ providedIn: 'root' })
export class SslCa {
  private readonly api = inject(JocApi);
  private readonly session = inject(Session);

  /** Counts the CA certificates handed to {@link seen} that differ from what a reader was given. */
  readonly changes = signal(0);
  private value: SslCaCertificate | undefined;
  private readAt = 0;
  private inFlight: Promise<SslCaCertificate> | undefined;
  /** Counts the resets: a read started before one belongs to the session that ended. */
  private generation = 0;
  /** The session token the CA was read with. */
  private readFor: string | undefined;

  /** The CA's certificate; a failed read counts as no CA (the banner then says less) and is not kept. */
  read(): Promise<SslCaCertificate> {
    // A session that ended (logged out or expired) leaves nothing to the next one.
    this.forOtherSession();
    if (this.value && Date.now() - this.readAt < MAX_AGE_MS) return Promise.resolve(this.value);
    if (!this.inFlight) {
      const generation = this.generation;
      const started = Date.now();
      const read = this.api.showCa().then((answer) => {
        const value = answer.ok ? certificateOf(answer.value) : {};
        if (generation === this.generation) {
          // What the SSL tab handed over meanwhile is newer.
          if (answer.ok && this.readAt <= started) this.keep(value);
          this.inFlight = undefined;
        }
        return value;
      });
      this.inFlight = read;
    }
    return this.inFlight;
  }

  /** A page read the CA (or changed it): kept, and the banner looks again when it differs. */
  seen(answer: JocKeyPairAnswer): void {
    this.forOtherSession();
    const next = certificateOf(answer);
    const before = this.value;
    this.keep(next);
    // A read still on its way answers what the server held before: its reader looks again too.
    if (before ? before.certificate !== next.certificate : this.inFlight)
      this.changes.update((n) => n + 1);
  }

  /** Forget the CA (after logout). */
  reset(): void {
    this.generation++;
    this.value = undefined;
    this.readAt = 0;
    this.inFlight = undefined;
  }

  private forOtherSession(): void {
    const token = this.session.token();
    if (token === this.readFor) return;
    this.reset();
    this.readFor = token;
  }

  private keep(value: SslCaCertificate): void {
    this.value = value;
    this.readAt = Date.now();
  }
}

function certificateOf(answer: JocKeyPairAnswer): SslCaCertificate {
  return hasKeyPair(answer) && answer.certificate ? { certificate: answer.certificate } : {};
}
