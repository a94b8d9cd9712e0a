/** The server's storage: one SQLite database with its repositories. */
import { AuditLogRepository, type AuditRecord } from './audit-log';
import { openDatabase, type Db } from './database';
import { KeyRepository } from './keys';
import { SessionRepository } from './sessions';

/**
 * The database and its repositories. Nothing stored is kept in memory: every read asks SQLite, so
 * a write on any connection (this server, another process on the same file, a restore) is seen by
 * the next read.
 */
export interface Store {
  readonly db: Db;
  readonly keys: KeyRepository;
  readonly sessions: SessionRepository;
  readonly auditLog: AuditLogRepository;
  close(): void;
}

/** `announce` is told of each audit record once it is written (the server log, app.ts). */
export function openStore(dataDir: string, announce?: (record: AuditRecord) => void): Store {
  const db = openDatabase(dataDir);
  const auditLog = new AuditLogRepository(db, announce);
  return {
    db,
    auditLog,
    keys: new KeyRepository(db, auditLog),
    sessions: new SessionRepository(db),
    close: () => db.close(),
  };
}

export type { AuditRecord } from './audit-log';
export { UNKNOWN_ACCOUNT, auditLine } from './audit-log';
export type { KeyRepository, StoredPair, StoredCa, StoredAlgorithm } from './keys';
