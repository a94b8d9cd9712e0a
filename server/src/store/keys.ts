/**
 * Signing keys (one pair per owner and security level) and the SSL CA (one per installation).
 * Every write is ONE immediate transaction holding the key, the certificate and the audit row,
 * so a failed or interrupted call never leaves one call's key beside another call's certificate.
 * Only PEM text that the PKI core has already checked is handed in here.
 */
import type { JocSecurityLevel } from '../../../src/contract';
import type { AuditLogRepository, AuditRecord } from './audit-log';
import type { Db } from './database';

export type StoredAlgorithm = 'RSA' | 'ECDSA';

export interface StoredPair {
  readonly keyAlgorithm: StoredAlgorithm;
  readonly privateKey?: string;
  readonly publicKey?: string;
  readonly certificate?: string;
}

/** A pair as read: with its row's version, which every write of the row changes (database.ts). */
export interface ReadPair extends StoredPair {
  readonly version: string;
}

export interface StoredCa {
  readonly privateKey?: string;
  readonly certificate?: string;
}

interface KeyRow {
  version: string;
  key_algorithm: StoredAlgorithm;
  private_key: string | null;
  public_key: string | null;
  certificate: string | null;
}

const present = <K extends string>(key: K, value: string | null): { [P in K]?: string } =>
  (value === null ? {} : { [key]: value }) as { [P in K]?: string };

/** Whether two reads of the SSL CA found the same (both none, or the same key and certificate). */
function sameCa(a: StoredCa | undefined, b: StoredCa | undefined): boolean {
  return a && b ? a.privateKey === b.privateKey && a.certificate === b.certificate : a === b;
}

export class KeyRepository {
  private readonly getStmt;
  private readonly versionStmt;
  private readonly upsertStmt;
  private readonly deleteStmt;
  private readonly getCaStmt;
  private readonly upsertCaStmt;

  constructor(
    private readonly db: Db,
    private readonly audit: AuditLogRepository,
  ) {
    this.getStmt = db.prepare<[string, string], KeyRow>(
      'SELECT version, key_algorithm, private_key, public_key, certificate FROM signing_keys WHERE owner = ? AND security_level = ?',
    );
    this.versionStmt = db
      .prepare<[string, string], string>(
        'SELECT version FROM signing_keys WHERE owner = ? AND security_level = ?',
      )
      .pluck();
    this.upsertStmt = db.prepare(
      `INSERT INTO signing_keys (owner, security_level, key_algorithm, private_key, public_key, certificate, updated_at)
       VALUES (@owner, @level, @algorithm, @privateKey, @publicKey, @certificate, @updatedAt)
       ON CONFLICT (owner, security_level) DO UPDATE SET key_algorithm = excluded.key_algorithm,
         private_key = excluded.private_key, public_key = excluded.public_key,
         certificate = excluded.certificate, updated_at = excluded.updated_at`,
    );
    this.deleteStmt = db.prepare('DELETE FROM signing_keys WHERE owner = ? AND security_level = ?');
    this.getCaStmt = db.prepare<[], { private_key: string | null; certificate: string | null }>(
      'SELECT private_key, certificate FROM ssl_ca WHERE id = 1',
    );
    this.upsertCaStmt = db.prepare(
      `INSERT INTO ssl_ca (id, private_key, certificate, updated_at) VALUES (1, @privateKey, @certificate, @updatedAt)
       ON CONFLICT (id) DO UPDATE SET private_key = excluded.private_key, certificate = excluded.certificate,
         updated_at = excluded.updated_at`,
    );
  }

  get(owner: string, level: JocSecurityLevel): ReadPair | undefined {
    const row = this.getStmt.get(owner, level);
    if (!row) return undefined;
    return {
      version: row.version,
      keyAlgorithm: row.key_algorithm,
      ...present('privateKey', row.private_key),
      ...present('publicKey', row.public_key),
      ...present('certificate', row.certificate),
    };
  }

  /** The version of the owner's pair (undefined: none stored): a read of a few bytes. */
  version(owner: string, level: JocSecurityLevel): string | undefined {
    return this.versionStmt.get(owner, level);
  }

  /**
   * Replace the owner's pair and record the audit row, atomically. With `basedOn` (the version of
   * the pair the new one was merged from, undefined when none was stored) nothing is written, and
   * false returned, when another write came in between.
   */
  put(
    owner: string,
    level: JocSecurityLevel,
    pair: StoredPair,
    audit: AuditRecord,
    basedOn?: { readonly version: string | undefined },
  ): boolean {
    const written = this.db
      .transaction(() => {
        if (basedOn && this.versionStmt.get(owner, level) !== basedOn.version) return false;
        this.upsertStmt.run({
          owner,
          level,
          algorithm: pair.keyAlgorithm,
          privateKey: pair.privateKey ?? null,
          publicKey: pair.publicKey ?? null,
          certificate: pair.certificate ?? null,
          updatedAt: audit.created.toISOString(),
        });
        this.audit.insert(audit);
        return true;
      })
      .immediate();
    if (written) this.audit.written(audit);
    return written;
  }

  /** Remove the owner's pair (if any) and record the audit row, atomically. */
  remove(owner: string, level: JocSecurityLevel, audit: AuditRecord): void {
    this.db
      .transaction(() => {
        this.deleteStmt.run(owner, level);
        this.audit.insert(audit);
      })
      .immediate();
    this.audit.written(audit);
  }

  getCa(): StoredCa | undefined {
    const row = this.getCaStmt.get();
    if (!row) return undefined;
    return {
      ...present('privateKey', row.private_key),
      ...present('certificate', row.certificate),
    };
  }

  /**
   * Replace the SSL CA and record the audit row, atomically. With `basedOn` (the CA the new one
   * was merged from, undefined when none was stored) nothing is written, and false returned,
   * when the stored CA is no longer that one.
   */
  putCa(
    ca: StoredCa,
    audit: AuditRecord,
    basedOn?: { readonly ca: StoredCa | undefined },
  ): boolean {
    const written = this.db
      .transaction(() => {
        if (basedOn && !sameCa(this.getCa(), basedOn.ca)) return false;
        this.upsertCaStmt.run({
          privateKey: ca.privateKey ?? null,
          certificate: ca.certificate ?? null,
          updatedAt: audit.created.toISOString(),
        });
        this.audit.insert(audit);
        return true;
      })
      .immediate();
    if (written) this.audit.written(audit);
    return written;
  }
}
