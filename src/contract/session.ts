/**
 * Login, permissions and properties answers. Type-only. JOC Cockpit sends more fields than
 * these; clients must ignore what they do not know.
 */

export type JocSecurityLevel = 'LOW' | 'MEDIUM' | 'HIGH';

/** `POST /joc/api/authentication/login` (header `Authorization: Basic ...`, empty body). */
export interface LoginResponse {
  /** Also sent in the response header `X-Access-Token`; send it back in that header. */
  readonly accessToken: string;
  readonly account: string;
  readonly isAuthenticated: true;
  /** Idle timeout of the session in milliseconds, as JOC Cockpit gives it. */
  readonly sessionTimeout: number;
  /** Role names of the account. */
  readonly role: readonly string[];
}

/** `POST /joc/api/authentication/joc_cockpit_permissions`. */
export interface Permissions {
  readonly roles: readonly string[];
  readonly joc: {
    readonly administration: {
      readonly certificates: {
        readonly view: boolean;
        readonly manage: boolean;
      };
    };
  };
}

/** `POST /joc/api/joc/properties`. */
export interface JocProperties {
  readonly securityLevel: JocSecurityLevel;
  /** At LOW, the account whose key every deployment uses. */
  readonly defaultProfileAccount: string;
  /** When on, every write needs `auditLog.comment` (else JOC-300). */
  readonly forceCommentsForAuditLog: boolean;
  /** Suggested comments for the audit block. */
  readonly comments: readonly string[];
}
