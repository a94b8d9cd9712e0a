import type { Permissions } from '../../../contract';

/** What the SSL Key Management tab shows to one account. */
export interface CaPolicy {
  readonly showTab: boolean;
  /** Update, Import and Generate are present. */
  readonly canManage: boolean;
  readonly canGenerate: boolean;
  /** Why the tab's content is absent (a catalog key); undefined when it is shown. */
  readonly notice?: 'ssl.tab.noView';
}

/**
 * The SSL CA is the installation's, not an account's, and not a signing key: at every level, HIGH
 * too (JOC Cockpit issues Controller and Agent certificates from it), every account with
 * certificates.view sees it (manage for the buttons).
 */
export function caPolicy(
  permissions: Permissions['joc']['administration']['certificates'],
): CaPolicy {
  if (!permissions.view) {
    return {
      showTab: false,
      canManage: false,
      canGenerate: false,
      notice: 'ssl.tab.noView',
    };
  }
  return { showTab: true, canManage: permissions.manage, canGenerate: permissions.manage };
}
