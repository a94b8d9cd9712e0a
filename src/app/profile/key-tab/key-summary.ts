import type { JocKeyPairAnswer } from '../../../contract';
// Deep imports: the row is drawn before pkijs is loaded (certificates are read with asn1js).
import { certificateStatus } from '../../../pki/certificate';
import { readCertificate, readPrivateKey, readPublicKey } from '../../../pki/inspect';
import type { Certificate } from '../../../pki/types';
import { hasKeyPair } from '../../core/session/signing-key';

/** The row's status; each has an icon and words, never colour alone. */
export type KeyStatus =
  | { readonly kind: 'none' }
  | { readonly kind: 'no-certificate' }
  | { readonly kind: 'unreadable'; readonly message: string }
  | { readonly kind: 'valid'; readonly daysLeft: number }
  | { readonly kind: 'expiring'; readonly daysLeft: number }
  | { readonly kind: 'expired'; readonly since: Date }
  | { readonly kind: 'not-yet-valid'; readonly from: Date };

/** What the row and the Show dialog display about the stored pair, read in the browser with src/pki. */
export interface KeySummary {
  readonly status: KeyStatus;
  readonly hasPrivateKey: boolean;
  readonly certificate?: Certificate;
  /** "ECDSA P-256", "RSA 4096". */
  readonly algorithm?: string;
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
): Promise<KeySummary> {
  if (!hasKeyPair(answer)) return { status: { kind: 'none' }, hasPrivateKey: false };
  const hasPrivateKey = !!answer.privateKey;
  if (!answer.certificate)
    return {
      status: { kind: 'no-certificate' },
      hasPrivateKey,
      algorithm: (await keyLabel(answer)) ?? answer.keyAlgorithm,
    };
  const certificate = await readCertificate(answer.certificate);
  if (!certificate.ok) {
    return {
      status: { kind: 'unreadable', message: certificate.message },
      hasPrivateKey,
      algorithm: (await keyLabel(answer)) ?? answer.keyAlgorithm,
    };
  }
  const cert = certificate.value;
  const { status, used } = certificateKeyStatus(cert, now, warnDays);
  return { status, hasPrivateKey, certificate: cert, algorithm: cert.publicKey.label, used };
}

/** "ECDSA P-256" from the stored private or public key, when there is no readable certificate. */
async function keyLabel(answer: {
  privateKey?: string;
  publicKey?: string;
}): Promise<string | undefined> {
  const key = answer.privateKey
    ? await readPrivateKey(answer.privateKey)
    : answer.publicKey
      ? await readPublicKey(answer.publicKey)
      : undefined;
  return key?.ok ? key.value.label : undefined;
}

/** A certificate's status in the row's terms (also used for each link of a chain). */
export function certificateKeyStatus(
  cert: Certificate,
  now: Date,
  warnDays: number,
): { status: KeyStatus; used: number } {
  const validity = certificateStatus(cert, now, warnDays);
  const status: KeyStatus =
    validity.state === 'expired'
      ? { kind: 'expired', since: cert.notAfter }
      : validity.state === 'not-yet-valid'
        ? { kind: 'not-yet-valid', from: cert.notBefore }
        : { kind: validity.state, daysLeft: validity.daysLeft };
  return { status, used: validity.used };
}
