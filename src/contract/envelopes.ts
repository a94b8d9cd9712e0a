/**
 * JOC Cockpit's answer envelopes (schemas `common/ok` and `common/error420`). Type-only.
 */

/** Both timestamps are ISO-8601 UTC. */
export interface JocTimestamps {
  readonly deliveryDate: string;
  readonly surveyDate?: string;
}

/** 200 answer of every write (store, import, delete). */
export interface JocOk extends JocTimestamps {
  readonly ok: true;
}

/**
 * Error codes the profile key calls answer with (HTTP 420 unless noted):
 * - JOC-406 missing parameter ("No key was provided")
 * - JOC-411 key or certificate not valid
 * - JOC-414 wrong or unsupported key type
 * - JOC-003 no SSL CA configured
 * - JOC-300 a comment is required for the audit log but missing
 * - JOC-420 schema violation / anything else
 * - JOC-401 (HTTP 401), JOC-403 (HTTP 403), JOC-404 (HTTP 404), JOC-440 (HTTP 440): the embedded
 *   server also answers these statuses in the envelope.
 */
export type JocErrorCode =
  | 'JOC-406'
  | 'JOC-411'
  | 'JOC-414'
  | 'JOC-003'
  | 'JOC-300'
  | 'JOC-420'
  | 'JOC-401'
  | 'JOC-403'
  | 'JOC-404'
  | 'JOC-440'
  | 'JOC-500';

export interface JocErrorBody {
  readonly code: JocErrorCode | string;
  /** Written for a person: names the field, what was found, what was expected. */
  readonly message: string;
}

/** Business error answer (HTTP 420; the embedded server also uses it for 401/403/404/440). */
export interface JocError420 extends JocTimestamps {
  readonly error: JocErrorBody;
}
