/**
 * Refusals in the audit log (category IDENTITY, JOC Cockpit's category for logins and
 * permissions): a failed login (the account, never the password) and a call refused
 * for a missing permission (403), each with the time and the client's address. The address is in
 * the entry's `parameters` (`{"address": "…"}`), the reason in its `comment`.
 *
 * Logins refused by the throttle are not written: they cost the server nothing and come as fast
 * as anyone sends them, so writing each would let a stranger fill the disk. For the same reason a
 * 403 is written once per account, call and address per minute.
 */
import { UNKNOWN_ACCOUNT, type AuditRecord } from '../store';

export interface RefusalAuditContext {
  readonly store: { readonly auditLog: { record(record: AuditRecord): void } };
  readonly now: () => Date;
}

/** A 403 for the same account, call and address is written at most once in this time (ms). */
export const FORBIDDEN_REPEAT_MS = 60_000;
const MAX_REMEMBERED = 1_000;

/** Fits JOC's string255 (no `<` or `>`, at most 255 characters); control characters become `?`. */
export function auditText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return [...text.replace(/[<>\u0000-\u001f\u007f-\u009f]/g, '?')].slice(0, 255).join('');
}

export class RefusalAudit {
  /** When each (account, call, address) 403 was last written, oldest first. */
  private readonly lastForbidden = new Map<string, number>();

  constructor(private readonly ctx: RefusalAuditContext) {}

  /**
   * A login whose password was checked and found wrong, or whose account does not exist. A name
   * that is no account is not recorded: it is often a password typed into the account field, and
   * the audit log and the server log would keep it.
   */
  loginFailed(account: string, known: boolean, address: string): void {
    this.ctx.store.auditLog.record({
      account: known ? auditText(account) : UNKNOWN_ACCOUNT,
      created: this.ctx.now(),
      request: 'authentication/login',
      category: 'IDENTITY',
      address,
      comment: known
        ? 'Login refused: wrong password.'
        : 'Login refused: no such account (the name typed is not recorded).',
    });
  }

  /** A call refused because the account lacks `permission`; `request` as "profile/key/store". */
  forbidden(account: string, request: string, address: string, permission: string): void {
    const now = this.ctx.now();
    const key = JSON.stringify([account, request, address]);
    const last = this.lastForbidden.get(key);
    if (last !== undefined && now.getTime() - last < FORBIDDEN_REPEAT_MS) return;
    this.lastForbidden.delete(key);
    this.lastForbidden.set(key, now.getTime());
    for (const [old, at] of this.lastForbidden) {
      if (this.lastForbidden.size <= MAX_REMEMBERED && now.getTime() - at < FORBIDDEN_REPEAT_MS)
        break;
      this.lastForbidden.delete(old);
    }
    this.ctx.store.auditLog.record({
      account: auditText(account),
      created: now,
      request: auditText(request),
      category: 'IDENTITY',
      address,
      comment: auditText(`Refused: the account lacks the permission ${permission}.`),
    });
  }
}
