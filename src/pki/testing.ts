/**
 * Test support for src/pki, usable in Node and in Chromium: the committed fixtures (embedded in
 * testdata/fixtures.ts by make-fixtures.sh) and time-relative certificates made at test time.
 * Used by tests only; never imported by the app.
 */
import * as pkijs from 'pkijs';
import { base64Decode, bytesToText, toArrayBuffer } from './bytes';
import { certificateFromDer } from './certificate';
import { generateSigningPair } from './generate';
import { FIXTURES } from './testdata/fixtures';
import type { GeneratedPair, IssuerPem, KeyAlgorithm } from './types';

const DAY = 86_400_000;

/** A committed fixture as bytes. */
export function fixtureBytes(name: string): Uint8Array {
  const b64 = FIXTURES[name];
  if (b64 === undefined) throw new Error(`no fixture ${name}: run npm run fixtures`);
  return base64Decode(b64)!;
}

/** A committed fixture as text. */
export function fixtureText(name: string): string {
  return bytesToText(fixtureBytes(name));
}

/**
 * A key pair whose certificate's validity is given in days relative to now
 * (e.g. `-400, -35` for one that expired 35 days ago).
 */
/**
 * Days from now to the last second of the local calendar date `days` ahead: a certificate that
 * ends then has exactly `days` days left in the browser's zone (0: it ends today).
 */
export function untilEndOfDay(days: number): number {
  const now = new Date();
  const end = new Date(now.getFullYear(), now.getMonth(), now.getDate() + days, 23, 59, 59);
  return (end.getTime() - now.getTime()) / DAY;
}

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

/**
 * The CA `ca` again, valid from `fromDays` to `untilDays` relative to now, with its own key and
 * name (an ECDSA P-256 CA, as generateCa makes): what a stored CA becomes once it nears its end
 * or has expired. Certificates `ca` issued still verify with it; generateSigningPair refuses an
 * expired issuer and ends a certificate with its CA, so a test makes the certificate first.
 */
export async function caValidBetween(
  ca: GeneratedPair,
  fromDays: number,
  untilDays: number,
): Promise<GeneratedPair> {
  const now = Date.now();
  const cert = pkijs.Certificate.fromBER(toArrayBuffer(ca.certificate.der));
  const time = (days: number) => new pkijs.Time({ type: 0, value: new Date(now + days * DAY) });
  cert.notBefore = time(fromDays);
  cert.notAfter = time(untilDays);
  const key = await crypto.subtle.importKey(
    'pkcs8',
    toArrayBuffer(ca.privateKey.pkcs8),
    { name: 'ECDSA', namedCurve: 'P-256' },
    false,
    ['sign'],
  );
  await cert.sign(key, 'SHA-256');
  const made = await certificateFromDer(new Uint8Array(cert.toSchema(true).toBER(false)));
  if (!made.ok) throw new Error(made.message);
  return { ...ca, certificate: made.value };
}
