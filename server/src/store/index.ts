/** The server's storage: one SQLite database with its repositories. */
import { AuditLogRepository } from './audit-log';
import { openDatabase, type Db } from './database';
import { KeyRepository } from './keys';
import { SessionRepository } from './sessions';

export interface Store {
  readonly db: Db;
  readonly keys: KeyRepository;
  readonly sessions: SessionRepository;
  readonly auditLog: AuditLogRepository;
  /**
   * SQLite's data_version: changes whenever another connection (another process, a restore) has
   * committed, never for this connection's own writes. In-memory caches of stored rows compare it.
   */
  externalVersion(): number;
  close(): void;
}

export function openStore(dataDir: string): Store {
  const db = openDatabase(dataDir);
  const auditLog = new AuditLogRepository(db);
  // Prepared once: `db.pragma()` prepares on every call, which showed in the API benchmark. Read
  // at most once per turn of the event loop (then each API call read it twice, 17 % of the
  // server's busy time under load): a request handled in the same turn as another connection's
  // commit may see the state just before it, as it could have by arriving a moment earlier.
  const dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
  let version: number | undefined;
  const forget = () => {
    version = undefined;
  };
  const externalVersion = () => {
    if (version === undefined) {
      version = dataVersion.get() as number;
      setImmediate(forget).unref();
    }
    return version;
  };
  return {
    db,
    auditLog,
    keys: new KeyRepository(db, auditLog),
    sessions: new SessionRepository(db, externalVersion),
    externalVersion,
    close: () => db.close(),
  };
}

export type { AuditRecord } from './audit-log';
export type { StoredPair, StoredCa, StoredAlgorithm } from './keys';
