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

/** The account of a refused login whose name is no account (auth/refusal-audit.ts). */
export const UNKNOWN_ACCOUNT = '(unknown account)';

/** What each audited call did, for the server log. */
const ACTIONS: Readonly<Record<string, string>> = {
  'profile/key/generate': 'generated the signing key',
  'profile/key/store': 'stored the signing key',
  'profile/key/import': 'imported the signing key',
  'profile/key/delete': 'deleted the signing key',
  'profile/ca/generate': 'generated the SSL CA',
  'profile/ca/store': 'stored the SSL CA',
  'profile/ca/import': 'imported the SSL CA',
};

/** A person's text quoted, and left out when it holds a PEM block: the log never holds a key. */
function quoted(text: string): string {
  return /-----BEGIN/i.test(text) ? '(not shown: it holds a PEM block)' : JSON.stringify(text);
}

/**
 * One line for the server log saying who did what to whose key, with the certificate left in
 * place, the client's address and the comment: what journald or a SIEM sees of the audit log.
 * Only the row's fields, which hold no key material, token or password.
 */
export function auditLine(record: AuditRecord): string {
  const who = quoted(record.account);
  const from = record.address ? ` from ${record.address}` : '';
  const why = [
    ...(record.comment ? [`comment ${quoted(record.comment)}`] : []),
    ...(record.ticketLink ? [`ticket ${quoted(record.ticketLink)}`] : []),
  ].join(', ');
  if (record.request === 'authentication/login')
    return `audit: login refused for ${record.account === UNKNOWN_ACCOUNT ? 'an unknown account' : `account ${who}`}${from}${why ? `: ${why}` : ''}`;
  if (record.category === 'IDENTITY')
    return `audit: ${who} was refused ${record.request}${from}${why ? `: ${why}` : ''}`;
  const action = ACTIONS[record.request] ?? `called ${record.request}`;
  const owner = record.keyOwner !== undefined ? ` of ${quoted(record.keyOwner)}` : '';
  const certificate = record.certificate
    ? `, certificate ${quoted(record.certificate.subject)}`
    : '';
  return `audit: ${who} ${action}${owner}${certificate}${from}${why ? `; ${why}` : ''}`;
}

export class AuditLogRepository {
  private readonly insertStmt;

  /** `announce` is told of each record once it is written (the server log, app.ts). */
  constructor(
    private readonly db: Db,
    private readonly announce: (record: AuditRecord) => void = () => undefined,
  ) {
    this.insertStmt = db.prepare(
      `INSERT INTO audit_log (created_at, account, request, category, key_owner, subject, fingerprint,
         address, comment, time_spent, ticket_link)
       VALUES (@created_at, @account, @request, @category, @key_owner, @subject, @fingerprint,
         @address, @comment, @time_spent, @ticket_link)`,
    );
  }

  /** A record on its own, outside any transaction: written, then announced. */
  record(record: AuditRecord): void {
    this.insert(record);
    this.announce(record);
  }

  /** Tell of a record written by {@link insert}, once its transaction has committed. */
  written(record: AuditRecord): void {
    this.announce(record);
  }

  /** Call inside the transaction of the change, and {@link written} after it has committed. */
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
