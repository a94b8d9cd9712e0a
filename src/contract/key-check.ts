/**
 * The deployment readiness check (`POST /joc/api/profile/key/check`, embedded server only;
 * a real JOC Cockpit lacks this call and the console runs the same checks in the browser).
 */

/** Ids of the checks, in the order they are answered. */
export type KeyCheckId =
  | 'key-present'
  | 'certificate-present'
  | 'pair-match'
  | 'valid-now'
  | 'valid-beyond-warning'
  | 'issuer'
  | 'issuer-valid'
  | 'sign-verify';

export interface KeyCheck {
  readonly id: KeyCheckId;
  readonly ok: boolean;
  /** Written for a person. */
  readonly message: string;
}

/** The request: `{}`, or the person's warning threshold (days before expiry; default 60). */
export interface KeyCheckRequest {
  readonly warnDays?: number;
}

export interface KeyCheckResponse {
  readonly checks: readonly KeyCheck[];
}
