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
  /**
   * Role names of the account: real JOC Cockpit joins them into one string (`"all, administrator"`),
   * the embedded server before it did so sent a list; clients accept both.
   */
  readonly role: string | readonly string[];
  /** JOC Cockpit: the password must be changed first (its own UI asks for a new one). */
  readonly forcePasswordChange?: boolean;
  /**
   * JOC Cockpit's two-factor login: the first factor passed, `accessToken` is "" and this names the
   * identity service of the second factor.
   */
  readonly secondFactoridentityService?: string;
  /** JOC Cockpit: a note on the login ("Second factor needed"). */
  readonly message?: string;
}

/** `POST /joc/api/authentication/logout`: JOC Cockpit answers the account, now logged out. */
export interface LogoutResponse {
  readonly account: string;
  readonly accessToken: '';
  readonly isAuthenticated: false;
  readonly isPermitted: false;
  readonly hasRole: false;
  readonly isApprover?: false;
  readonly isApprovalRequestor?: false;
  readonly forcePasswordChange?: false;
  readonly enableTouch?: boolean;
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
  /**
   * Ours: `true` from the embedded server alone, so that the console knows where JOC Cockpit's
   * behaviour differs (e.g. Generate honours the end date). Real JOC Cockpit never sends it.
   */
  readonly embeddedServer?: true;
  /** JOC Cockpit's version, e.g. "2.9.0" (real JOC Cockpit sends it; the embedded server not). */
  readonly apiVersion?: string;
}
