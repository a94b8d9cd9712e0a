/**
 * Every security-level difference of the signing key calls, in one place (contract §6): whose key
 * a call acts on and what it may do with it. (The console's `keyPolicy` decides what is shown.)
 */
import type { JocSecurityLevel } from '../../../src/contract';
import type { JocConfig } from '../config';

/** What the signing key calls do for one caller at the configured security level. */
export interface KeyRules {
  readonly level: JocSecurityLevel;
  /** Whose key the calls act on. */
  readonly owner: string;
  /** May `/profile/key` (and generate) hand out the private key to this caller? */
  readonly revealPrivateKey: boolean;
  /** Private keys are stored (LOW, MEDIUM) or refused (HIGH: public key / certificate only). */
  readonly storesPrivateKey: boolean;
  /** `/profile/key/generate` exists. */
  readonly canGenerate: boolean;
}

/**
 * LOW: always the default profile account's key; only that account receives its private key.
 * MEDIUM: the caller's own key. HIGH: the caller's public key or certificate; no generation.
 */
export function keyRules(
  config: Pick<JocConfig, 'securityLevel' | 'defaultProfileAccount'>,
  account: string,
): KeyRules {
  switch (config.securityLevel) {
    case 'LOW':
      return {
        level: 'LOW',
        owner: config.defaultProfileAccount,
        revealPrivateKey: account === config.defaultProfileAccount,
        storesPrivateKey: true,
        canGenerate: true,
      };
    case 'MEDIUM':
      return {
        level: 'MEDIUM',
        owner: account,
        revealPrivateKey: true,
        storesPrivateKey: true,
        canGenerate: true,
      };
    case 'HIGH':
      return {
        level: 'HIGH',
        owner: account,
        revealPrivateKey: false,
        storesPrivateKey: false,
        canGenerate: false,
      };
  }
}
