/**
 * The audit log of the embedded server (`POST /joc/api/audit_log`). Type-only.
 * Real JOC Cockpit has a richer filter and answer; this is the subset the console shows.
 */

/** Request: `{}` (or a `limit`, 1..1000, default 1000). */
export interface AuditLogRequest {
  readonly limit?: number;
}

export interface AuditLogEntry {
  readonly id: number;
  readonly account: string;
  /** ISO-8601 UTC. */
  readonly created: string;
  /** The call, e.g. "profile/key/store". */
  readonly request: string;
  /** Whose key the call acted on ("" for the SSL CA). */
  readonly keyOwner?: string;
  readonly comment?: string;
  /** Minutes. */
  readonly timeSpent?: number;
  readonly ticketLink?: string;
}

/** Newest first. */
export interface AuditLogResponse {
  readonly auditLog: readonly AuditLogEntry[];
}
