import type { JocSecurityLevel, Permissions } from '../../../contract';

/** What the console shows of the Signature Key Management tab, for one account. */
export interface KeyPolicy {
  /** The tab is present. */
  readonly showTab: boolean;
  /** Buttons that change the key (Update, Import, Generate, Delete) are present. */
  readonly canManage: boolean;
  /** Generate exists at this level (HIGH has no /profile/key/generate). */
  readonly canGenerate: boolean;
  /** Whose key the calls act on. */
  readonly keyOwner: string;
  /**
   * The key that signs this account's deployments is read for the banner's expiry warning: the
   * tab's, or at LOW the default account's, which signs every account's deployments.
   */
  readonly readsKey: boolean;
  /** One sentence saying why the tab is absent; undefined when it is shown. */
  readonly notice?: PolicyNotice;
}

/**
 * The notice as a catalog key (`profile.notice.…`) with its parameters, and its English text:
 * the page shows it with `I18n.message`, in the person's language.
 */
export interface PolicyNotice {
  readonly code: string;
  readonly params?: Readonly<Record<string, string>>;
  readonly message: string;
}

/**
 * The one place where security level, account and permissions decide what is shown (contract §6):
 * - LOW: the default profile account's key signs every deployment; only that account sees the tab.
 * - MEDIUM: every account with certificates.view sees its own key.
 * - HIGH: signing happens outside the console; no tab.
 * Buttons that change something need certificates.manage in every case.
 */
export function keyPolicy(
  level: JocSecurityLevel,
  account: string,
  permissions: Permissions['joc']['administration']['certificates'],
  defaultProfileAccount = 'root',
  ignoreCase = false,
): KeyPolicy {
  const hidden = (notice: PolicyNotice, keyOwner = account, readsKey = false): KeyPolicy => ({
    showTab: false,
    canManage: false,
    canGenerate: false,
    keyOwner,
    readsKey,
    notice,
  });
  if (level === 'HIGH') {
    return hidden({
      code: 'profile.notice.high',
      message:
        'At security level HIGH signing keys are managed outside the console: deployments are signed before they reach JOC Cockpit.',
    });
  }
  if (!permissions.view) {
    return hidden({
      code: 'profile.notice.noView',
      message:
        'Your account lacks the permission to view certificates (sos:products:joc:administration:certificates:view).',
    });
  }
  if (level === 'LOW') {
    // A real JOC Cockpit reports the account as typed at login, where LDAP may ignore its case.
    const same = ignoreCase
      ? account.toLowerCase() === defaultProfileAccount.toLowerCase()
      : account === defaultProfileAccount;
    if (!same) {
      return hidden(
        {
          code: 'profile.notice.low',
          params: { owner: defaultProfileAccount },
          message: `At security level LOW the key of the account ${defaultProfileAccount} signs every deployment; only that account manages it.`,
        },
        defaultProfileAccount,
        true,
      );
    }
    return {
      showTab: true,
      canManage: permissions.manage,
      canGenerate: permissions.manage,
      keyOwner: defaultProfileAccount,
      readsKey: true,
    };
  }
  return {
    showTab: true,
    canManage: permissions.manage,
    canGenerate: permissions.manage,
    keyOwner: account,
    readsKey: true,
  };
}
