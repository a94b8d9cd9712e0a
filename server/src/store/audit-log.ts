/** The audit log: who changed which key, when, and why. Never key material. */
import type { AuditCategory, AuditedChange, AuditLogItem } from '../../../src/contract';
import type { Db } from './database';

/** One audit row, written in the same transaction as the change it records. */
export interface AuditRecord {
  readonly account: string;
  readonly created: Date;
  /** The call without the `/joc/api/` prefix, e.g. "profile/key/store". */
  readonly request: string;
  /** JOC Cockpit's category; key and CA changes are CERTIFICATES (the default). */
  readonly category?: AuditCategory;
  /** Whose key was changed; undefined for the SSL CA. */
  readonly keyOwner?: string;
  /** The certificate the change left in place (none after a delete). */
  readonly certificate?: { readonly subject: string; readonly fingerprint: string };
  /** The client's address: recorded for refusals (auth/refusal-audit.ts). */
  readonly address?: string;
  readonly comment?: string;
  readonly timeSpent?: number;
  readonly ticketLink?: string;
}

/** Which entries `/audit_log` answers: JOC's auditLogFilter fields this server knows. */
export interface AuditQuery {
  readonly categories?: readonly AuditCategory[];
  readonly account?: string;
  /** At most this many, newest first; undefined: all. */
  readonly limit?: number;
}

interface Row {
  id: number;
  created_at: string;
  account: string;
  request: string;
  category: AuditCategory;
  key_owner: string | null;
  subject: string | null;
  fingerprint: string | null;
  address: string | null;
  comment: string | null;
  time_spent: number | null;
  ticket_link: string | null;
}

export class AuditLogRepository {
  private readonly insertStmt;

  constructor(private readonly db: Db) {
    this.insertStmt = db.prepare(
      `INSERT INTO audit_log (created_at, account, request, category, key_owner, subject, fingerprint,
         address, comment, time_spent, ticket_link)
       VALUES (@created_at, @account, @request, @category, @key_owner, @subject, @fingerprint,
         @address, @comment, @time_spent, @ticket_link)`,
    );
  }

  /** Call inside the transaction of the change. */
  insert(record: AuditRecord): void {
    this.insertStmt.run({
      created_at: record.created.toISOString(),
      account: record.account,
      request: record.request,
      category: record.category ?? 'CERTIFICATES',
      key_owner: record.keyOwner ?? null,
      subject: record.certificate?.subject ?? null,
      fingerprint: record.certificate?.fingerprint ?? null,
      address: record.address ?? null,
      comment: record.comment ?? null,
      time_spent: record.timeSpent ?? null,
      ticket_link: record.ticketLink ?? null,
    });
  }

  /** Newest first, as JOC Cockpit's audit/audit entries (`request` as JOC writes it: "./…"). */
  list(query: AuditQuery = {}): AuditLogItem[] {
    const where: string[] = [];
    const args: Array<string | number> = [];
    if (query.categories?.length) {
      where.push(`category IN (${query.categories.map(() => '?').join(', ')})`);
      args.push(...query.categories);
    }
    if (query.account !== undefined) {
      where.push('account = ?');
      args.push(query.account);
    }
    const sql = `SELECT * FROM audit_log ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
      ORDER BY id DESC ${query.limit !== undefined ? 'LIMIT ?' : ''}`;
    if (query.limit !== undefined) args.push(query.limit);
    return (this.db.prepare(sql).all(...args) as Row[]).map(entry);
  }
}

function entry(row: Row): AuditLogItem {
  const change: AuditedChange = {
    ...(row.key_owner !== null ? { keyOwner: row.key_owner } : {}),
    ...(row.subject !== null ? { subject: row.subject } : {}),
    ...(row.fingerprint !== null ? { fingerprint: row.fingerprint } : {}),
    ...(row.address !== null ? { address: row.address } : {}),
  };
  return {
    id: row.id,
    account: row.account,
    request: `./${row.request}`,
    created: row.created_at,
    category: row.category,
    ...(Object.keys(change).length ? { parameters: JSON.stringify(change) } : {}),
    ...(row.comment !== null ? { comment: row.comment } : {}),
    ...(row.time_spent !== null ? { timeSpent: row.time_spent } : {}),
    ...(row.ticket_link !== null ? { ticketLink: row.ticket_link } : {}),
  };
}
