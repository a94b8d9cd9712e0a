/**
 * Request bodies of the profile key and SSL CA calls (JOC schemas under `publish/` and `audit/`).
 * Type-only. Every request object is closed: unknown fields are answered JOC-420.
 */
import type { JocKeyAlgorithm, JocKeyPair } from './key-pair';

/** Audit block of every write (`audit/auditParams`). */
export interface AuditParams {
  /** At most 255 characters, no `<` or `>`. Required when `forceCommentsForAuditLog` is on. */
  readonly comment?: string;
  /** Minutes, integer >= 0. */
  readonly timeSpent?: number;
  /** At most 255 characters, no `<` or `>`. */
  readonly ticketLink?: string;
}

/** "Show" calls (`/profile/key`, `/profile/ca`, `/joc/properties`, ...) take an empty object. */
export type EmptyRequest = Record<string, never>;

/** `/profile/key/store` (`publish/setKeyFilter`). */
export interface SetKeyRequest {
  readonly keys: JocKeyPair;
  readonly auditLog?: AuditParams;
}

/** `/profile/key/generate` (`publish/generateKey`). */
export interface GenerateKeyRequest {
  readonly keyAlgorithm: JocKeyAlgorithm | string;
  /** Subject DN; default `CN=<account>,OU=JOC,O=JS7` (self-signed) or `CN=<account>` (useSslCa). */
  readonly dn?: string;
  /** ISO-8601 date-time; default now + 365 days (self-signed) or now + 2 years (useSslCa). */
  readonly validUntil?: string;
  /** Sign the certificate with the built-in SSL CA (`/profile/ca`). */
  readonly useSslCa?: boolean;
  readonly auditLog?: AuditParams;
}

/** `/profile/key/delete` (`publish/deleteKey`). */
export interface DeleteKeyRequest {
  readonly auditLog?: AuditParams;
}

/**
 * The `importKeyFilter` form field of `/profile/key/import`, sent as a JSON string
 * (`publish/importKeyFilter`). The other form fields are `file` (exactly one), and optionally
 * `password` (PKCS#12 / encrypted private key), `comment`, `timeSpent`, `ticketLink`.
 */
export interface ImportKeyFilter {
  readonly keyAlgorithm: JocKeyAlgorithm | string;
  readonly auditLog?: AuditParams;
}

/** `/profile/ca/generate` (`publish/generateCaFilter`). */
export interface GenerateCaRequest {
  readonly dn: string;
  readonly auditLog?: AuditParams;
}

/** `/profile/ca/store` (`publish/setRootCa`): PEM text. */
export interface SetRootCaRequest {
  readonly privateKey?: string;
  readonly certificate?: string;
  readonly auditLog?: AuditParams;
}

/**
 * The optional `importRootCaFilter` form field of `/profile/ca/import`, a JSON string
 * (`publish/importRootCaFilter`). Other form fields: `file`, `password?`, `comment?`,
 * `timeSpent?`, `ticketLink?`.
 */
export interface ImportRootCaFilter {
  readonly auditLog?: AuditParams;
}
