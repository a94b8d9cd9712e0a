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

/** The request: `{}`, or the person's warning threshold (days before expiry; default 60). */
export interface KeyCheckRequest {
  readonly warnDays?: number;
}

export interface KeyCheckResponse {
  readonly checks: readonly KeyCheck[];
}
