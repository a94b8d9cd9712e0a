import type { JocKeyPair, JocKeyPairAnswer } from '../../../contract';
// Deep imports: the row is drawn before pkijs is loaded (certificates are read with asn1js).
import { certificateStatus } from '../../../pki/certificate';
import { readCertificate, readPrivateKey, readPublicKey } from '../../../pki/inspect';
import { toPem } from '../../../pki/pem';
import type { DayNumber } from '../../../pki/days';
import type { Certificate } from '../../../pki/types';
import { parseJocDate } from '../../core/api/joc-date';
import { hasKeyPair } from '../../core/session/signing-key';

/** The row's status; each has an icon and words, never colour alone. */
export type KeyStatus =
  | { readonly kind: 'none' }
  | { readonly kind: 'no-certificate' }
  /** Only a certificate or public key is stored (`keyType` PUBLIC): nothing can sign. */
  | { readonly kind: 'no-private-key' }
  /**
   * A key JOC Cockpit knows but this console does not read (PGP, ML-DSA): what is stored, and the
   * end date JOC gave, if any.
   */
  | {
      readonly kind: 'foreign';
      readonly algorithm: ForeignAlgorithm;
      readonly stored: 'pair' | 'public-key';
      readonly validUntil?: Date;
      readonly expired: boolean;
    }
  /** The PKI core's reason, with its code and parameters when it gives them (translated at render). */
  | {
      readonly kind: 'unreadable';
      readonly message: string;
      readonly code?: string;
      readonly params?: Readonly<Record<string, unknown>>;
    }
  /** `noExpiry`: RFC 5280's "no well-defined expiration date", no day count to show. */
  | { readonly kind: 'valid'; readonly daysLeft: number; readonly noExpiry?: true }
  /** `until`: the certificate's end, written with its time when it is today or tomorrow. */
  | { readonly kind: 'expiring'; readonly daysLeft: number; readonly until?: Date }
  | { readonly kind: 'expired'; readonly since: Date }
  | { readonly kind: 'not-yet-valid'; readonly from: Date };

/** Algorithms JOC Cockpit signs with that this console leaves to JOC Cockpit, by their names. */
export type ForeignAlgorithm = 'PGP' | 'ML-DSA';

/** The foreign algorithm a pair names (`keyAlgorithm` "PGP" or "MLDSA"), if any. */
export function foreignAlgorithm(
  pair: Pick<JocKeyPair, 'keyAlgorithm'>,
): ForeignAlgorithm | undefined {
  const name = String(pair.keyAlgorithm ?? '')
    .toUpperCase()
    .replace(/[^A-Z]/g, '');
  return name === 'PGP' ? 'PGP' : name === 'MLDSA' ? 'ML-DSA' : undefined;
}

/**
 * Whether the server says no private key is stored: real JOC Cockpit answers `keyType` "PUBLIC" for
 * a certificate or public key alone, the embedded server before it did so "X509". A private key
 * the server keeps but does not send ("PRIVATE" without `privateKey`) is stored; so is the SSL CA's.
 */
export function privateKeyMissing(pair: JocKeyPair): boolean {
  return !pair.privateKey && (pair.keyType === 'PUBLIC' || pair.keyType === 'X509');
}

/** What the row and the Show dialog display about the stored pair, read in the browser with src/pki. */
export interface KeySummary {
  readonly status: KeyStatus;
  readonly hasPrivateKey: boolean;
  readonly certificate?: Certificate;
  /** "ECDSA P-256", "RSA 4096". */
  readonly algorithm?: string;
  /**
   * The public key as this browser derives it from the stored private key (no certificate only).
   * Real JOC Cockpit's `publicKey` is wrong for ECDSA keys (its curve's generator point), so the
   * Show dialog offers this one whenever a private key is stored.
   */
  readonly publicKey?: string;
  /** Fraction of the validity period used, 0..1. */
  readonly used?: number;
}

/**
 * Reads the stored pair as the row shows it, at `now` with the warning threshold `warnDays`.
 * The certificate names the key's algorithm; the key itself is read only when there is no
 * certificate (importing an RSA-4096 key into WebCrypto costs more than the whole row).
 */
export async function summarizeKey(
  answer: JocKeyPairAnswer | undefined,
  now: Date,
  warnDays: number,
  dayNumber?: DayNumber,
): Promise<KeySummary> {
  if (!hasKeyPair(answer)) return { status: { kind: 'none' }, hasPrivateKey: false };
  const hasPrivateKey = !!answer.privateKey;
  // PGP and ML-DSA: stated as JOC gave them, never read as X.509 (which would only fail).
  const foreign = foreignAlgorithm(answer);
  if (foreign) {
    const validUntil = parseJocDate(answer.validUntil);
    return {
      status: {
        kind: 'foreign',
        algorithm: foreign,
        stored: hasPrivateKey || answer.keyType === 'PRIVATE' ? 'pair' : 'public-key',
        validUntil,
        expired: !!validUntil && validUntil.getTime() < now.getTime(),
      },
      hasPrivateKey,
      algorithm: foreign,
    };
  }
  const missing = privateKeyMissing(answer);
  if (!answer.certificate) {
    const key = await readKey(answer);
    return {
      status: { kind: missing ? 'no-private-key' : 'no-certificate' },
      hasPrivateKey,
      algorithm: key?.label ?? answer.keyAlgorithm,
      ...(key?.fromPrivateKey ? { publicKey: toPem('PUBLIC KEY', key.spki) } : {}),
    };
  }
  const certificate = await readCertificate(answer.certificate);
  if (!certificate.ok) {
    return {
      status: { kind: 'unreadable', ...coded(certificate) },
      hasPrivateKey,
      algorithm: (await readKey(answer))?.label ?? answer.keyAlgorithm,
    };
  }
  const cert = certificate.value;
  const { status, used } = certificateKeyStatus(cert, now, warnDays, dayNumber);
  return {
    status: missing ? { kind: 'no-private-key' } : status,
    hasPrivateKey,
    certificate: cert,
    algorithm: cert.publicKey.label,
    used,
  };
}

/** A PKI failure's message with its code and parameters, when the PKI core gives them. */
function coded(failure: {
  readonly message: string;
  readonly code?: unknown;
  readonly params?: unknown;
}): { message: string; code?: string; params?: Readonly<Record<string, unknown>> } {
  return {
    message: failure.message,
    ...(typeof failure.code === 'string' ? { code: failure.code } : {}),
    ...(typeof failure.params === 'object' && failure.params !== null
      ? { params: failure.params as Readonly<Record<string, unknown>> }
      : {}),
  };
}

/**
 * The stored private key, else the stored public key, as read here (its label, e.g. "ECDSA P-256",
 * when there is no readable certificate); undefined when unreadable.
 */
async function readKey(answer: {
  privateKey?: string;
  publicKey?: string;
}): Promise<{ label: string; spki: Uint8Array; fromPrivateKey: boolean } | undefined> {
  const key = answer.privateKey
    ? await readPrivateKey(answer.privateKey)
    : answer.publicKey
      ? await readPublicKey(answer.publicKey)
      : undefined;
  return key?.ok
    ? { label: key.value.label, spki: key.value.spki, fromPrivateKey: !!answer.privateKey }
    : undefined;
}

/** A certificate's status in the row's terms (also used for each link of a chain). */
export function certificateKeyStatus(
  cert: Certificate,
  now: Date,
  warnDays: number,
  dayNumber?: DayNumber,
): { status: KeyStatus; used: number } {
  const validity = certificateStatus(cert, now, warnDays, dayNumber);
  const status: KeyStatus =
    validity.state === 'expired'
      ? { kind: 'expired', since: cert.notAfter }
      : validity.state === 'not-yet-valid'
        ? { kind: 'not-yet-valid', from: cert.notBefore }
        : validity.noExpiry
          ? { kind: 'valid', daysLeft: validity.daysLeft, noExpiry: true }
          : validity.state === 'expiring'
            ? { kind: 'expiring', daysLeft: validity.daysLeft, until: cert.notAfter }
            : { kind: 'valid', daysLeft: validity.daysLeft };
  return { status, used: validity.used };
}
