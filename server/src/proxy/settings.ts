/**
 * Against a real JOC Cockpit: where it is and how to trust it, from the environment (JOC_URL,
 * JOC_CA_FILE, JOC_CLIENT_CERT, JOC_CLIENT_KEY, JOC_INSECURE_TLS) or `joc.json` (jocUrl,
 * jocCaFile, jocClientCert, jocClientKey, jocInsecureTls); the environment wins. Reading
 * `joc.json` here never creates or rewrites it: in this mode the server keeps nothing of its own.
 * The embedded server's settings in it are ignored, an unknown one is refused. Anything malformed
 * is a {@link ConfigError} naming the setting and the problem.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createSecureContext } from 'node:tls';
import { ConfigError, unknownSetting } from '../config';

/** The JOC Cockpit this server forwards `/joc/api` to. */
export interface JocTarget {
  /** Its address without a trailing slash, e.g. `https://joc.example.com:4443`. */
  readonly url: string;
  /** PEM certificates to trust for JOC's TLS certificate (instead of Node's built-in CAs). */
  readonly ca?: Buffer;
  /** A client certificate and its key (PEM) for JOC's mutual-TLS login. */
  readonly clientCert?: Buffer;
  readonly clientKey?: Buffer;
  /** Skips the verification of JOC's certificate (warned about at start). */
  readonly insecureTls: boolean;
  /** Where each TLS file came from, for the start message. */
  readonly files: {
    readonly ca?: string;
    readonly clientCert?: string;
    readonly clientKey?: string;
  };
}

type Env = Readonly<Record<string, string | undefined>>;

/** A setting's value and the name to cite when it is wrong. */
interface Setting<T> {
  readonly value: T;
  readonly name: string;
  /** Relative file paths resolve against this folder. */
  readonly base: string;
}

const SETTINGS = {
  url: { env: 'JOC_URL', file: 'jocUrl' },
  ca: { env: 'JOC_CA_FILE', file: 'jocCaFile' },
  clientCert: { env: 'JOC_CLIENT_CERT', file: 'jocClientCert' },
  clientKey: { env: 'JOC_CLIENT_KEY', file: 'jocClientKey' },
  insecure: { env: 'JOC_INSECURE_TLS', file: 'jocInsecureTls' },
} as const;

function readJocJson(file: string): Record<string, unknown> {
  if (!existsSync(file)) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new ConfigError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  return typeof raw === 'object' && raw !== null && !Array.isArray(raw)
    ? (raw as Record<string, unknown>)
    : {};
}

function pick(
  key: keyof typeof SETTINGS,
  env: Env,
  json: Record<string, unknown>,
  file: string,
  cwd: string,
): Setting<unknown> | undefined {
  const { env: envName, file: fileKey } = SETTINGS[key];
  const fromEnv = env[envName]?.trim();
  if (fromEnv) return { value: fromEnv, name: `environment ${envName}`, base: cwd };
  const fromFile = json[fileKey];
  if (fromFile === undefined || fromFile === null || fromFile === '') return undefined;
  return { value: fromFile, name: `${file}: "${fileKey}"`, base: dirname(file) };
}

function parseUrl(setting: Setting<unknown>): string {
  const fail = (problem: string): never => {
    throw new ConfigError(`${setting.name}: ${problem}`);
  };
  if (typeof setting.value !== 'string') fail('must be a string such as "https://joc:4443"');
  const text = setting.value as string;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return fail(`not an address (found "${text}"): give e.g. https://joc.example.com:4443`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    fail(`must start with https:// or http:// (found "${text}")`);
  if (url.username || url.password)
    fail('must not hold an account or password: the console logs in with each person’s own');
  if (url.search || url.hash) fail(`must not have a query or fragment (found "${text}")`);
  const path = url.pathname.replace(/\/+$/, '');
  if (/\/joc(\/api)?$/.test(path))
    fail(
      `give JOC Cockpit's address without "${path.slice(path.lastIndexOf('/joc'))}" ` +
        `(e.g. ${url.origin}): the console adds /joc/api itself`,
    );
  return url.origin + path;
}

function parseBoolean(setting: Setting<unknown> | undefined): boolean {
  if (!setting) return false;
  const { value } = setting;
  if (typeof value === 'boolean') return value;
  const text = typeof value === 'string' ? value.trim().toLowerCase() : '';
  if (['true', '1', 'yes', 'on'].includes(text)) return true;
  if (['false', '0', 'no', 'off'].includes(text)) return false;
  throw new ConfigError(`${setting.name}: must be true or false (found ${JSON.stringify(value)})`);
}

function readPem(setting: Setting<unknown>, what: string): { data: Buffer; path: string } {
  if (typeof setting.value !== 'string')
    throw new ConfigError(`${setting.name}: must be the path of ${what}`);
  const path = resolve(setting.base, setting.value);
  let data: Buffer;
  try {
    data = readFileSync(path);
  } catch (error) {
    throw new ConfigError(
      `${setting.name}: cannot read ${what} ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
  if (!data.toString('latin1').includes('-----BEGIN '))
    throw new ConfigError(`${setting.name}: ${path} is not PEM text (expected ${what})`);
  return { data, path };
}

/**
 * The JOC Cockpit to forward to, or `undefined` when none is set (the embedded server runs).
 * Reads `dataDir/joc.json` when it exists; creates nothing.
 */
export function loadJocTarget(
  dataDir: string,
  env: Env = process.env,
  cwd = process.cwd(),
): JocTarget | undefined {
  const file = join(resolve(dataDir), 'joc.json');
  const json = readJocJson(file);
  const get = (key: keyof typeof SETTINGS) => pick(key, env, json, file, cwd);
  const urlSetting = get('url');
  if (!urlSetting) return undefined;
  // A misspelt setting (jocCAFile) is refused as the embedded server refuses it, not left unused.
  const unknown = unknownSetting(json);
  if (unknown) throw new ConfigError(`${file}: ${unknown}`);
  const url = parseUrl(urlSetting);
  const https = url.startsWith('https:');
  const caSetting = get('ca');
  const certSetting = get('clientCert');
  const keySetting = get('clientKey');
  const insecureSetting = get('insecure');
  const insecureTls = parseBoolean(insecureSetting);
  if (!https) {
    const tlsSetting = caSetting ?? certSetting ?? keySetting ?? (insecureTls && insecureSetting);
    if (tlsSetting)
      throw new ConfigError(
        `${tlsSetting.name}: TLS settings apply only to an https:// JOC Cockpit (${urlSetting.name} is ${url})`,
      );
  }
  if (!!certSetting !== !!keySetting) {
    const given = (certSetting ?? keySetting) as Setting<unknown>;
    throw new ConfigError(
      `${given.name}: a client certificate needs its key and the key its certificate ` +
        `(set both ${SETTINGS.clientCert.env} and ${SETTINGS.clientKey.env}, or both jocClientCert and jocClientKey)`,
    );
  }
  const ca = caSetting && readPem(caSetting, 'a CA certificate file');
  const cert = certSetting && readPem(certSetting, 'a client certificate file');
  const key = keySetting && readPem(keySetting, 'a private key file');
  // Node checks the files now, so a wrong file stops the start with a message, not each login.
  try {
    createSecureContext({ ca: ca?.data, cert: cert?.data, key: key?.data });
  } catch (error) {
    const culprit = (cert && key ? keySetting : caSetting) ?? urlSetting;
    throw new ConfigError(
      `${culprit.name}: the TLS files cannot be used (${(error as Error).message})` +
        (cert && key ? ': does the key belong to the client certificate?' : ''),
    );
  }
  return {
    url,
    ca: ca?.data,
    clientCert: cert?.data,
    clientKey: key?.data,
    insecureTls,
    files: { ca: ca?.path, clientCert: cert?.path, clientKey: key?.path },
  };
}
