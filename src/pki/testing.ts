/**
 * Test support for src/pki: fixture files and time-relative certificates made at test time.
 * Used by node:test suites in src/pki and server/test; never imported by the app.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSigningPair } from './generate';
import type { GeneratedPair, IssuerPem, KeyAlgorithm } from './types';

const DIR = join(__dirname, 'testdata');
const DAY = 86_400_000;

/** A committed fixture as text. */
export function fixtureText(name: string): string {
  return readFileSync(join(DIR, name), 'utf8');
}

/** A committed fixture as bytes. */
export function fixtureBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(DIR, name)));
}

/** Path of a committed fixture (for OpenSSL). */
export function fixturePath(name: string): string {
  return join(DIR, name);
}

/**
 * A key pair whose certificate's validity is given in days relative to now
 * (e.g. `-400, -35` for one that expired 35 days ago).
 */
export async function pairValidBetween(
  fromDays: number,
  untilDays: number,
  options: { algorithm?: KeyAlgorithm; dn?: string; issuer?: IssuerPem } = {},
): Promise<GeneratedPair> {
  const now = Date.now();
  const result = await generateSigningPair({
    algorithm: options.algorithm ?? 'ECDSA',
    dn: options.dn ?? 'CN=fixture,OU=JOC,O=JS7',
    now: new Date(now + fromDays * DAY),
    notAfter: new Date(now + untilDays * DAY),
    issuer: options.issuer,
  });
  if (!result.ok) throw new Error(result.message);
  return result.value;
}
