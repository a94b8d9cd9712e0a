/**
 * The SQLite database (better-sqlite3): WAL journal, synchronous=FULL (a committed write survives
 * power loss, not only a crash), a busy timeout for concurrent processes, and a versioned schema.
 */
import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, openSync } from 'node:fs';
import { join } from 'node:path';

export type Db = Database.Database;

/** The database file inside the data directory. */
export const DATABASE_FILE = 'joc.sqlite';

const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE signing_keys (
    owner          TEXT NOT NULL,
    security_level TEXT NOT NULL CHECK (security_level IN ('LOW', 'MEDIUM', 'HIGH')),
    key_algorithm  TEXT NOT NULL CHECK (key_algorithm IN ('RSA', 'ECDSA')),
    private_key    TEXT,
    public_key     TEXT,
    certificate    TEXT,
    updated_at     TEXT NOT NULL,
    PRIMARY KEY (owner, security_level)
  );
  CREATE TABLE ssl_ca (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    private_key TEXT,
    certificate TEXT,
    updated_at  TEXT NOT NULL
  );
  CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    account    TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_seen  INTEGER NOT NULL
  );
  CREATE INDEX sessions_last_seen ON sessions (last_seen);
  CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at  TEXT NOT NULL,
    account     TEXT NOT NULL,
    request     TEXT NOT NULL,
    key_owner   TEXT,
    comment     TEXT,
    time_spent  INTEGER,
    ticket_link TEXT
  );
  `,
  // What the account's password and roles were at login (session-check.ts): sessions from before
  // this column end at their next call.
  `ALTER TABLE sessions ADD COLUMN credential TEXT NOT NULL DEFAULT ''`,
  // The audit log as JOC Cockpit answers it: a category per entry, and the certificate a change
  // left in place (its subject and SHA-256 fingerprint) for the History panel.
  `
  ALTER TABLE audit_log ADD COLUMN category TEXT NOT NULL DEFAULT 'CERTIFICATES';
  ALTER TABLE audit_log ADD COLUMN subject TEXT;
  ALTER TABLE audit_log ADD COLUMN fingerprint TEXT;
  CREATE INDEX audit_log_category ON audit_log (category, id);
  `,
  // Refused logins and calls (auth/refusal-audit.ts) record the client's address.
  `ALTER TABLE audit_log ADD COLUMN address TEXT`,
  // A signing key row's version, new with every write of the row whoever makes it (this server,
  // another process, a restore with the sqlite3 shell): /profile/key reads it, not the whole row,
  // to know whether the answer it made last is still the row's (key-view.ts).
  `
  ALTER TABLE signing_keys ADD COLUMN version TEXT;
  UPDATE signing_keys SET version = hex(randomblob(16));
  CREATE TRIGGER signing_keys_inserted AFTER INSERT ON signing_keys BEGIN
    UPDATE signing_keys SET version = hex(randomblob(16)) WHERE rowid = NEW.rowid;
  END;
  CREATE TRIGGER signing_keys_updated
  AFTER UPDATE OF owner, security_level, key_algorithm, private_key, public_key, certificate, updated_at
  ON signing_keys BEGIN
    UPDATE signing_keys SET version = hex(randomblob(16)) WHERE rowid = NEW.rowid;
  END;
  `,
];

/**
 * The database holds private keys: its file, and the `-wal` and `-shm` files SQLite keeps beside
 * it, are readable by the server's user alone, whatever the umask or the folder's mode.
 */
function ownerOnly(file: string): void {
  if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
  for (const path of [file, `${file}-wal`, `${file}-shm`]) {
    if (existsSync(path)) chmodSync(path, 0o600);
  }
}

/** Open (creating when needed) and migrate the database in `dataDir`, or at `file` when given. */
export function openDatabase(dataDirOrFile: string, options: { file?: boolean } = {}): Db {
  const file = options.file ? dataDirOrFile : join(dataDirOrFile, DATABASE_FILE);
  let db: Db | undefined;
  try {
    ownerOnly(file);
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    // SQLite makes the -wal and -shm files with the database file's mode; existing ones are set here.
    ownerOnly(file);
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    migrate(db);
    return db;
  } catch (error) {
    db?.close();
    // SQLite's messages ("file is not a database", "attempt to write a readonly database") name
    // no file; Node's (EACCES) do, and are left as they are.
    const message = error instanceof Error ? error.message : String(error);
    throw message.includes(file) ? error : new Error(`${file}: ${message}`, { cause: error });
  }
}

/**
 * A current schema needs no lock. Otherwise one immediate transaction reads the version again and
 * applies what is missing: a second server process starting on the same fresh data directory
 * waits, then finds the schema current (read only before the lock, both would run the first
 * migration and one would fail on its existing table).
 */
function migrate(db: Db): void {
  const schema = () => db.pragma('user_version', { simple: true }) as number;
  if (schema() === MIGRATIONS.length) return;
  db.transaction(() => {
    const version = schema();
    if (version > MIGRATIONS.length) {
      throw new Error(
        `the database was written by a newer server (schema ${version}, this server knows ${MIGRATIONS.length})`,
      );
    }
    for (let v = version; v < MIGRATIONS.length; v++) {
      db.exec(MIGRATIONS[v]);
      db.pragma(`user_version = ${v + 1}`);
    }
  }).immediate();
}
