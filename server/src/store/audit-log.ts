/** The audit log: who changed which key, when, and why. Never key material. */
import type { AuditLogEntry } from '../../../src/contract';
import type { Db } from './database';

/** One audit row, written in the same transaction as the change it records. */
export interface AuditRecord {
  readonly account: string;
  readonly created: Date;
  /** The call without the `/joc/api/` prefix, e.g. "profile/key/store". */
  readonly request: string;
  /** Whose key was changed; undefined for the SSL CA. */
  readonly keyOwner?: string;
  readonly comment?: string;
  readonly timeSpent?: number;
  readonly ticketLink?: string;
}

interface Row {
  id: number;
  created_at: string;
  account: string;
  request: string;
  key_owner: string | null;
  comment: string | null;
  time_spent: number | null;
  ticket_link: string | null;
}

export class AuditLogRepository {
  private readonly insertStmt;
  private readonly listStmt;

  constructor(db: Db) {
    this.insertStmt = db.prepare(
      `INSERT INTO audit_log (created_at, account, request, key_owner, comment, time_spent, ticket_link)
       VALUES (@created_at, @account, @request, @key_owner, @comment, @time_spent, @ticket_link)`,
    );
    this.listStmt = db.prepare<[number], Row>('SELECT * FROM audit_log ORDER BY id DESC LIMIT ?');
  }

  /** Call inside the transaction of the change. */
  insert(record: AuditRecord): void {
    this.insertStmt.run({
      created_at: record.created.toISOString(),
      account: record.account,
      request: record.request,
      key_owner: record.keyOwner ?? null,
      comment: record.comment ?? null,
      time_spent: record.timeSpent ?? null,
      ticket_link: record.ticketLink ?? null,
    });
  }

  /** Newest first. */
  list(limit: number): AuditLogEntry[] {
    return this.listStmt.all(limit).map((row) => ({
      id: row.id,
      account: row.account,
      created: row.created_at,
      request: row.request,
      ...(row.key_owner !== null ? { keyOwner: row.key_owner } : {}),
      ...(row.comment !== null ? { comment: row.comment } : {}),
      ...(row.time_spent !== null ? { timeSpent: row.time_spent } : {}),
      ...(row.ticket_link !== null ? { ticketLink: row.ticket_link } : {}),
    }));
  }
}
