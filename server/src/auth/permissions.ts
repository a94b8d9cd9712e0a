/**
 * Permissions (contract §6): `sos:products:joc:administration:certificates:view` and `...:manage`.
 * A granted permission implies every permission below it, so granting
 * `sos:products:joc:administration` grants both.
 */
import type { Permissions } from '../../../src/contract';
import type { JocConfig } from '../config';

export const VIEW = 'sos:products:joc:administration:certificates:view';
export const MANAGE = 'sos:products:joc:administration:certificates:manage';

export type Permission = 'view' | 'manage';
export const PERMISSION_NAMES: Readonly<Record<Permission, string>> = {
  view: VIEW,
  manage: MANAGE,
};

/** Does one granted permission imply the wanted one? `a:b` implies `a:b` and `a:b:c`, not `a:bc`. */
export function implies(granted: string, wanted: string): boolean {
  return wanted === granted || wanted.startsWith(granted + ':');
}

/** The permission strings of an account, through its roles. */
export function grantsOf(config: JocConfig, account: string): string[] {
  const entry = config.accounts.find((a) => a.account === account);
  if (!entry) return [];
  return entry.roles.flatMap((role) => config.roles[role] ?? []);
}

export function rolesOf(config: JocConfig, account: string): string[] {
  return [...(config.accounts.find((a) => a.account === account)?.roles ?? [])];
}

export function hasPermission(config: JocConfig, account: string, wanted: Permission): boolean {
  return grantsOf(config, account).some((g) => implies(g, PERMISSION_NAMES[wanted]));
}

/** The `joc_cockpit_permissions` answer. */
export function permissionsAnswer(config: JocConfig, account: string): Permissions {
  return {
    roles: rolesOf(config, account),
    joc: {
      administration: {
        certificates: {
          view: hasPermission(config, account, 'view'),
          manage: hasPermission(config, account, 'manage'),
        },
      },
    },
  };
}
