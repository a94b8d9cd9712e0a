/**
 * `POST /joc/api/audit_log` as JOC Cockpit defines it (audit/auditLogFilter, audit/auditLog,
 * audit/audit in joc-schemas). Type-only. The embedded server answers the same shape.
 */

/** The audit categories of JOC Cockpit; key and CA changes are `CERTIFICATES`. */
export type AuditCategory =
  | 'INVENTORY'
  | 'CONTROLLER'
  | 'DAILYPLAN'
  | 'OTHERS'
  | 'DEPLOYMENT'
  | 'DOCUMENTATIONS'
  | 'CERTIFICATES'
  | 'IDENTITY'
  | 'SETTINGS'
  | 'MONITORING'
  | 'UNKNOWN';

/** Request (audit/auditLogFilter): the fields the console sends. Every field is optional. */
export interface AuditLogFilter {
  readonly categories?: readonly AuditCategory[];
  /** Only the entries this account made. */
  readonly account?: string;
  /** At most this many entries, newest first; -1: all (JOC's default is 10000). */
  readonly limit?: number;
}

/** One entry (audit/audit). Never key material. */
export interface AuditLogItem {
  readonly id: number;
  readonly account: string;
  /** The call, as JOC writes it: "./profile/key/store". */
  readonly request: string;
  /** ISO-8601. */
  readonly created: string;
  readonly category: AuditCategory;
  readonly comment?: string;
  /**
   * A JSON object as a string. JOC Cockpit puts the request body here; the embedded server puts
   * what the change concerned: `{"keyOwner", "subject", "fingerprint"}` (see AuditedCertificate).
   */
  readonly parameters?: string;
  /** Minutes. */
  readonly timeSpent?: number;
  readonly ticketLink?: string;
}

/** What the embedded server writes into `parameters` of a key or CA change, or of a refusal. */
export interface AuditedChange {
  /** Whose key the call acted on (absent for the SSL CA and for refused logins). */
  readonly keyOwner?: string;
  /** The client's address, for a refused login or a call refused for a missing permission. */
  readonly address?: string;
  /** The certificate the change left in place: its subject and SHA-256 fingerprint (hex, colons). */
  readonly subject?: string;
  readonly fingerprint?: string;
}

/** Answer (audit/auditLog), newest first. */
export interface AuditLog {
  readonly deliveryDate: string;
  readonly auditLog: readonly AuditLogItem[];
}
