/**
 * Where the server listens, from the environment: `PORT` and `HOST`, and what a person must know
 * when the address serves other machines.
 */
import { BlockList, isIP } from 'node:net';
import { ConfigError } from './config';

/** The port when `PORT` is unset. */
export const DEFAULT_PORT = 4446;

/**
 * `PORT` as decimal digits, 0 to 65535 (0: any free port). Unset, empty or blank is
 * {@link DEFAULT_PORT}: service files and compose files often set a variable to nothing, and
 * Number('') is 0. Hex, exponents and fractions, which Number() also reads, are refused.
 */
export function parsePort(value: string | undefined): number {
  const text = value?.trim() ?? '';
  if (text === '') return DEFAULT_PORT;
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port <= 65535)) throw new ConfigError(`environment PORT: not a port number ("${value}")`);
  return port;
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');
LOOPBACK.addSubnet('::ffff:127.0.0.0', 104, 'ipv6');

/** Whether `host` reaches this machine alone (`localhost`, 127.0.0.0/8, `::1`). */
export function isLoopback(host: string): boolean {
  const name = host
    .trim()
    .replace(/^\[(.*)\]$/, '$1')
    .toLowerCase();
  if (name === 'localhost') return true;
  const family = isIP(name);
  return family !== 0 && LOOPBACK.check(name, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * The warning for a `HOST` that serves other machines over plain HTTP, or undefined for a
 * loopback address. Browsers give WebCrypto only to secure contexts (https:// or localhost), and
 * the console reads and checks keys with it; Basic-auth passwords and the private keys Show
 * returns would also cross the network in clear text.
 */
export function plainHttpWarning(host: string, mode: 'embedded' | 'proxy'): string | undefined {
  if (isLoopback(host)) return undefined;
  return (
    `HOST=${host} serves other machines over plain HTTP: browsers give a page from another machine ` +
    'over http:// no WebCrypto, so the console cannot read keys or certificates there, and ' +
    'passwords and private keys travel unencrypted. Unless a TLS reverse proxy in front ' +
    (mode === 'embedded' ? '(with "trustProxy" in joc.json) ' : '') +
    'is what colleagues open, over https://, put one there'
  );
}
