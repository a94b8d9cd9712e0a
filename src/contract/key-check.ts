/**
 * The deployment readiness check (`POST /joc/api/profile/key/check`, embedded server only;
 * a real JOC Cockpit lacks this call and the console runs the same checks in the browser).
 */

import type { ReadinessCheck, ReadinessCheckId } from '../pki/readiness';

/** Ids of the checks, in the order they are answered (the PKI core runs them). */
export type KeyCheckId = ReadinessCheckId;

/**
 * One item: its id, whether it passed (`notRun` when only the Controllers can tell), and the
 * reason written for a person.
 */
export type KeyCheck = ReadinessCheck;

/**
 * The request: `{}`, or the person's warning threshold (days before expiry; default 60) and the
 * IANA time zone whose calendar dates count the days left (default UTC).
 */
export interface KeyCheckRequest {
  readonly warnDays?: number;
  readonly timeZone?: string;
}

export interface KeyCheckResponse {
  readonly checks: readonly KeyCheck[];
  /**
   * The SHA-256 fingerprint ("AB:CD:…") of the certificate checked, when one is stored: the
   * console tells whether the verdict is about the certificate it shows.
   */
  readonly fingerprint?: string;
}
