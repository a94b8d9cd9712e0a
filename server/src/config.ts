/**
 * `JOC_DATA_DIR/joc.json` + environment → typed configuration (contract §7).
 *
 * The file is written with defaults when absent; plain `password` entries are replaced by
 * `passwordHash` (scrypt) and the file is rewritten. Anything malformed is a {@link ConfigError}
 * whose message names the file and the problem, so `server.ts` can print one clear line.
 */
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import type { JocSecurityLevel } from '../../src/contract';
import { hashPassword, parsePasswordHash } from './auth/password';

export interface AccountConfig {
  readonly account: string;
  readonly passwordHash: string;
  readonly roles: readonly string[];
}

export interface JocConfig {
  readonly securityLevel: JocSecurityLevel;
  readonly defaultProfileAccount: string;
  readonly forceCommentsForAuditLog: boolean;
  readonly comments: readonly string[];
  readonly sessionTimeoutSeconds: number;
  /** Role name → permission strings (a permission implies every permission below it). */
  readonly roles: Readonly<Record<string, readonly string[]>>;
  readonly accounts: readonly AccountConfig[];
  // Session lifetime and the reverse proxy (issue 13): see sessionAndProxy below.
  /** A session ends this long after its login (s), however busy; idle ones end sooner. */
  readonly sessionMaxLifetimeSeconds: number;
  /** Fastify's `trustProxy`: whose X-Forwarded-For / -Proto / -Host to believe (README, Security). */
  readonly trustProxy: TrustProxy;
}

/** false: no proxy; true: any sender; else the proxies' addresses or CIDR blocks. */
export type TrustProxy = boolean | readonly string[];

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * The start warning when the default profile account is none of joc.json's accounts: accounts
 * come only from joc.json, so at LOW (one key, that account's) nobody could ever manage the key.
 * `from` names where the name was set (the joc.json setting or the environment variable).
 */
export function defaultAccountWarning(
  config: Pick<JocConfig, 'securityLevel' | 'defaultProfileAccount' | 'accounts'>,
  from: string,
): string | undefined {
  const name = config.defaultProfileAccount;
  if (config.accounts.some((a) => a.account === name)) return undefined;
  const names = config.accounts.map((a) => a.account);
  const known = names.length > 10 ? [...names.slice(0, 10), '…'] : names;
  const effect =
    config.securityLevel === 'LOW'
      ? "at security level LOW every deployment is signed with that account's key and only that " +
        'account may manage it, so nobody can'
      : `it takes effect at security level LOW only (now ${config.securityLevel}), where nobody could manage the key`;
  return (
    `the default profile account "${name}" (${from}) is none of the accounts in joc.json ` +
    `(${known.join(', ')}): ${effect}; name one of them, or add the account "${name}"`
  );
}

/** The file written when none exists (the password is stored hashed). */
export const DEFAULT_CONFIG = {
  securityLevel: 'LOW',
  defaultProfileAccount: 'root',
  forceCommentsForAuditLog: false,
  comments: ['Certificate renewal', 'Key rotation'],
  sessionTimeoutSeconds: 900,
  roles: {
    administrator: ['sos:products:joc:administration'],
    viewer: ['sos:products:joc:administration:certificates:view'],
  },
  accounts: [{ account: 'root', password: 'root', roles: ['administrator'] }],
  // 8 hours: a working day in one login, and a token that leaks is dead by the next day.
  sessionMaxLifetimeSeconds: 8 * 3600,
  trustProxy: false,
} as const;

const LEVELS: readonly JocSecurityLevel[] = ['LOW', 'MEDIUM', 'HIGH'];
/** The settings for running against a real JOC Cockpit: read by proxy/settings.ts, not here. */
export const JOC_TARGET_KEYS = [
  'jocUrl',
  'jocCaFile',
  'jocClientCert',
  'jocClientKey',
  'jocInsecureTls',
] as const;
const TOP_KEYS = new Set([...Object.keys(DEFAULT_CONFIG), ...JOC_TARGET_KEYS]);

/**
 * The problem with the first top-level key of joc.json that is no setting, or undefined. Both
 * modes accept every setting of both: one file serves either, and proxy mode ignores the
 * embedded server's.
 */
export function unknownSetting(obj: Record<string, unknown>): string | undefined {
  const key = Object.keys(obj).find((name) => !TOP_KEYS.has(name));
  return key === undefined
    ? undefined
    : `unknown setting "${key}" (known: ${[...TOP_KEYS].join(', ')})`;
}
const ACCOUNT_KEYS = new Set(['account', 'password', 'passwordHash', 'roles']);

type Raw = Record<string, unknown>;

function isObject(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string')
    return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value);
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

function stringList(value: unknown, where: string, fail: (m: string) => never): string[] {
  if (!Array.isArray(value) || value.some((x) => typeof x !== 'string'))
    fail(`"${where}" must be a list of strings (found ${describe(value)})`);
  return value as string[];
}

export interface ResolveOptions {
  /** Names the source in error messages (the file path, or "(inline)"). */
  readonly source?: string;
  /** Environment overrides (`JOC_SECURITY_LEVEL`, ...). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** scrypt cost for plain passwords (tests lower it). */
  readonly hashCost?: { N?: number };
}

export interface Resolved {
  readonly config: JocConfig;
  /** The raw object with plain passwords replaced by hashes, when any were replaced. */
  readonly rewritten?: Raw;
}

/** Validate a raw joc.json object, hash plain passwords, apply environment overrides. */
export async function resolveConfig(raw: unknown, options: ResolveOptions = {}): Promise<Resolved> {
  const source = options.source ?? '(inline configuration)';
  const fail = (problem: string): never => {
    throw new ConfigError(`${source}: ${problem}`);
  };
  if (!isObject(raw)) fail(`the top level must be a JSON object (found ${describe(raw)})`);
  const obj = raw as Raw;
  const unknown = unknownSetting(obj);
  if (unknown) fail(unknown);
  const pick = <T>(key: keyof typeof DEFAULT_CONFIG): T =>
    (key in obj ? obj[key] : DEFAULT_CONFIG[key]) as T;

  const securityLevel = pick<unknown>('securityLevel');
  if (typeof securityLevel !== 'string' || !LEVELS.includes(securityLevel as JocSecurityLevel)) {
    fail(`"securityLevel" must be one of LOW, MEDIUM, HIGH (found ${describe(securityLevel)})`);
  }
  const defaultProfileAccount = pick<unknown>('defaultProfileAccount');
  if (typeof defaultProfileAccount !== 'string' || defaultProfileAccount.trim() === '') {
    fail(
      `"defaultProfileAccount" must be a non-empty string (found ${describe(defaultProfileAccount)})`,
    );
  }
  const forceComments = pick<unknown>('forceCommentsForAuditLog');
  if (typeof forceComments !== 'boolean')
    fail(`"forceCommentsForAuditLog" must be true or false (found ${describe(forceComments)})`);
  const comments = stringList(pick('comments'), 'comments', fail);
  const timeout = pick<unknown>('sessionTimeoutSeconds');
  if (
    typeof timeout !== 'number' ||
    !Number.isInteger(timeout) ||
    timeout < 10 ||
    timeout > 7 * 24 * 3600
  ) {
    fail(
      `"sessionTimeoutSeconds" must be a whole number of seconds between 10 and 604800 (found ${describe(timeout)})`,
    );
  }

  const { sessionMaxLifetimeSeconds, trustProxy } = sessionAndProxy(
    'sessionMaxLifetimeSeconds' in obj ? obj['sessionMaxLifetimeSeconds'] : undefined,
    pick('trustProxy'),
    timeout as number,
    fail,
  );

  const rolesRaw = pick<unknown>('roles');
  if (!isObject(rolesRaw))
    fail(
      `"roles" must be an object mapping role names to lists of permissions (found ${describe(rolesRaw)})`,
    );
  const roles: Record<string, string[]> = {};
  for (const [name, perms] of Object.entries(rolesRaw as Raw)) {
    roles[name] = stringList(perms, `roles.${name}`, fail);
    for (const perm of roles[name]) {
      if (!/^[A-Za-z0-9_*-]+(:[A-Za-z0-9_*-]+)*$/.test(perm))
        fail(`"roles.${name}" has a malformed permission ${describe(perm)}`);
    }
  }

  if (!('accounts' in obj)) fail('"accounts" is missing: list at least one account');
  const accountsRaw = obj['accounts'];
  if (!Array.isArray(accountsRaw) || accountsRaw.length === 0)
    fail(`"accounts" must be a non-empty list (found ${describe(accountsRaw)})`);
  const accounts: AccountConfig[] = [];
  const rewrittenAccounts: Raw[] = [];
  let rewrote = false;
  const seen = new Set<string>();
  for (const [i, entry] of (accountsRaw as unknown[]).entries()) {
    const where = `accounts[${i}]`;
    if (!isObject(entry)) fail(`"${where}" must be an object (found ${describe(entry)})`);
    const e = entry as Raw;
    for (const key of Object.keys(e))
      if (!ACCOUNT_KEYS.has(key))
        fail(`"${where}" has an unknown setting "${key}" (known: ${[...ACCOUNT_KEYS].join(', ')})`);
    const account = e['account'];
    if (typeof account !== 'string' || account.trim() === '' || account.includes(':')) {
      fail(`"${where}.account" must be a non-empty name without ":" (found ${describe(account)})`);
    }
    const name = account as string;
    if (seen.has(name)) fail(`account "${name}" is listed twice`);
    seen.add(name);
    const accountRoles = stringList(e['roles'] ?? [], `${where}.roles`, fail);
    for (const role of accountRoles)
      if (!(role in roles))
        fail(
          `account "${name}" has the unknown role "${role}" (roles: ${Object.keys(roles).join(', ') || 'none'})`,
        );
    const hasPlain = 'password' in e;
    const hasHash = 'passwordHash' in e;
    if (hasPlain === hasHash)
      fail(`account "${name}" needs exactly one of "password" or "passwordHash"`);
    let passwordHash: string;
    if (hasHash) {
      if (typeof e['passwordHash'] !== 'string' || !parsePasswordHash(e['passwordHash'])) {
        fail(
          `account "${name}" has a malformed "passwordHash" (expected scrypt$N$r$p$salt$hash as this server writes it)`,
        );
      }
      passwordHash = e['passwordHash'] as string;
      rewrittenAccounts.push(e);
    } else {
      const plain = e['password'];
      if (typeof plain !== 'string' || plain === '')
        fail(`account "${name}" has an empty or non-string "password"`);
      passwordHash = await hashPassword(plain as string, options.hashCost);
      const { password: _drop, ...rest } = e;
      rewrittenAccounts.push({ ...rest, passwordHash });
      rewrote = true;
    }
    accounts.push({ account: name, passwordHash, roles: accountRoles });
  }

  const config = applyEnv(
    {
      securityLevel: securityLevel as JocSecurityLevel,
      defaultProfileAccount: defaultProfileAccount as string,
      forceCommentsForAuditLog: forceComments as boolean,
      comments,
      sessionTimeoutSeconds: timeout as number,
      roles,
      accounts,
      sessionMaxLifetimeSeconds,
      trustProxy,
    },
    options.env ?? {},
  );
  return rewrote ? { config, rewritten: { ...obj, accounts: rewrittenAccounts } } : { config };
}

// ---- Session lifetime and the reverse proxy (issue 13) ---------------------------------------

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];
/**
 * An address or CIDR block as Fastify's proxy-addr parses it. Node's own parser decides what an
 * address is: a loose pattern let "1:2" through, and proxy-addr then stopped the start.
 */
function isAddressOrBlock(entry: string): boolean {
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (!family || rest.length) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

function sessionAndProxy(
  given: unknown,
  proxy: unknown,
  timeout: number,
  fail: (problem: string) => never,
): { sessionMaxLifetimeSeconds: number; trustProxy: TrustProxy } {
  // Unset, it is never shorter than the idle timeout: a file valid before this setting stays valid.
  const lifetime =
    given === undefined ? Math.max(DEFAULT_CONFIG.sessionMaxLifetimeSeconds, timeout) : given;
  if (
    typeof lifetime !== 'number' ||
    !Number.isInteger(lifetime) ||
    lifetime < 60 ||
    lifetime > 30 * 24 * 3600
  )
    fail(
      `"sessionMaxLifetimeSeconds" must be a whole number of seconds between 60 and 2592000 (30 days) (found ${describe(lifetime)})`,
    );
  if ((lifetime as number) < timeout)
    fail(
      `"sessionMaxLifetimeSeconds" (${lifetime as number}) must not be shorter than "sessionTimeoutSeconds" (${timeout})`,
    );
  let trustProxy: TrustProxy;
  if (typeof proxy === 'boolean') trustProxy = proxy;
  else if (typeof proxy === 'number')
    // Fastify trusts nobody for a hop count (anyone could send that many hops).
    fail(
      `"trustProxy" takes the reverse proxy's addresses, not a number of hops (found ${describe(proxy)})`,
    );
  else if (typeof proxy === 'string' || Array.isArray(proxy)) {
    const list = (typeof proxy === 'string' ? proxy.split(',') : (proxy as unknown[])).map((x) =>
      typeof x === 'string' ? x.trim() : x,
    );
    const bad = list.find(
      (x) => typeof x !== 'string' || !(PROXY_NAMES.includes(x) || isAddressOrBlock(x)),
    );
    if (bad !== undefined || list.length === 0)
      fail(
        `"trustProxy" lists the reverse proxy's addresses or CIDR blocks (e.g. ["127.0.0.1", "10.0.0.0/8"], or "loopback"); ${list.length ? `${describe(bad)} is not one` : 'the list is empty'}`,
      );
    trustProxy = list as string[];
  } else
    fail(
      `"trustProxy" must be false, true, or the reverse proxy's addresses (found ${describe(proxy)})`,
    );
  return { sessionMaxLifetimeSeconds: lifetime as number, trustProxy };
}

/** `JOC_SECURITY_LEVEL`, `JOC_DEFAULT_PROFILE_ACCOUNT`, `JOC_FORCE_COMMENTS` override the file. */
export function applyEnv(
  config: JocConfig,
  env: Readonly<Record<string, string | undefined>>,
): JocConfig {
  let result = config;
  const level = env['JOC_SECURITY_LEVEL']?.trim();
  if (level) {
    const upper = level.toUpperCase() as JocSecurityLevel;
    if (!LEVELS.includes(upper))
      throw new ConfigError(
        `environment JOC_SECURITY_LEVEL: must be LOW, MEDIUM or HIGH (found "${level}")`,
      );
    result = { ...result, securityLevel: upper };
  }
  const account = env['JOC_DEFAULT_PROFILE_ACCOUNT']?.trim();
  if (account) result = { ...result, defaultProfileAccount: account };
  const force = env['JOC_FORCE_COMMENTS']?.trim().toLowerCase();
  if (force) {
    if (['true', '1', 'yes', 'on'].includes(force))
      result = { ...result, forceCommentsForAuditLog: true };
    else if (['false', '0', 'no', 'off'].includes(force))
      result = { ...result, forceCommentsForAuditLog: false };
    else
      throw new ConfigError(
        `environment JOC_FORCE_COMMENTS: must be true or false (found "${env['JOC_FORCE_COMMENTS']}")`,
      );
  }
  return result;
}

/**
 * Write JSON atomically (temp file + rename), readable by the owner only: it holds password hashes.
 * A symbolic link is followed: the file it points to is rewritten and the link kept (renamed over,
 * the link would become a copy and the file it pointed to keep the plain passwords). Returns the
 * path written.
 */
function writeJson(file: string, value: unknown): string {
  const target = existsSync(file) ? realpathSync(file) : file;
  const temp = `${target}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(value, null, 2) + '\n', { mode: 0o600 });
  renameSync(temp, target);
  return target;
}

/** Whether `file` is a symbolic link (to anything, or to nothing). */
function isLink(file: string): boolean {
  try {
    return lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

export interface LoadedConfig {
  readonly config: JocConfig;
  readonly dataDir: string;
  readonly file: string;
  /** What happened to the file, for one log line. */
  readonly note?: 'created' | 'passwords-hashed';
  /** The file written, when `file` is a symbolic link to it. */
  readonly writtenTo?: string;
}

/** Read (or create) `dataDir/joc.json`, creating `dataDir` when needed. Throws {@link ConfigError}. */
export async function loadConfig(
  dataDir: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<LoadedConfig> {
  const dir = resolve(dataDir);
  const file = join(dir, 'joc.json');
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new ConfigError(`${dir}: cannot create the data directory (${(error as Error).message})`);
  }
  let note: LoadedConfig['note'];
  let raw: unknown;
  if (!existsSync(file) && isLink(file)) {
    throw new ConfigError(
      `${file}: a symbolic link to ${readlinkSync(file)}, which does not exist: create that file, or remove the link to have a new joc.json written`,
    );
  }
  if (!existsSync(file)) {
    raw = DEFAULT_CONFIG;
    note = 'created';
  } else {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new ConfigError(`${file}: cannot be read (${(error as Error).message})`);
    }
    try {
      raw = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch (error) {
      throw new ConfigError(`${file}: not valid JSON (${(error as Error).message})`);
    }
  }
  const resolved = await resolveConfig(raw, { source: file, env });
  let writtenTo: string | undefined;
  if (resolved.rewritten) {
    try {
      const written = writeJson(file, resolved.rewritten);
      if (isLink(file)) writtenTo = written;
    } catch (error) {
      throw new ConfigError(`${file}: cannot be written (${(error as Error).message})`);
    }
    note ??= 'passwords-hashed';
  }
  return { config: resolved.config, dataDir: dir, file, note, ...(writtenTo ? { writtenTo } : {}) };
}
