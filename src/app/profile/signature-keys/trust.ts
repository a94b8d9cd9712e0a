import type { JocKeyPairAnswer } from '../../../contract';
// Deep imports: the tab's own chunk stays free of pkijs (readiness loads it on demand).
import { readCertificate, readCertificates } from '../../../pki/inspect';
import type { DayNumber } from '../../../pki/days';
import type { Certificate } from '../../../pki/types';
import { hasKeyPair } from '../../core/session/signing-key';
import { issuerExpiry, type IssuerExpiry } from '../key-tab/issuer-expiry';
import { certificateKeyStatus, type KeyStatus } from '../key-tab/key-summary';
import type { Coded } from './texts';

/** One certificate of the chain the Show dialog presents (certificate → CA). */
export interface ChainLink {
  readonly role: 'certificate' | 'issuer';
  readonly certificate: Certificate;
  readonly status: KeyStatus;
}

/**
 * Which certificate Controllers and Agents must hold for the signing certificate to be trusted:
 * - `self-signed`: the certificate itself;
 * - `issued`: the CA certificate that directly signed it, from the stored text or the SSL CA;
 * - `issuer-missing`: no certificate here can be named: `verdict` says why (the readiness check's
 *   `issuer` item); `refused` when Controllers would not accept the certificate at all;
 * - `none`: no certificate is stored (or it cannot be read).
 */
export type Trust =
  | { readonly kind: 'none' }
  | {
      readonly kind: 'self-signed' | 'issued';
      readonly anchor: Certificate;
      readonly source: 'self' | 'chain' | 'ssl-ca';
      /** The exact text to save: for the SSL CA, its certificate as `/profile/ca` returned it. */
      readonly pem: string;
      /** The file's name in the trust folder, from the certificate's CN. */
      readonly fileName: string;
      /** The anchor's fingerprint as Controllers and Agents log it ({@link js7Fingerprint}). */
      readonly logFingerprint: string;
      readonly chain: readonly ChainLink[];
      /** The issuing CA's end, when it has come or is within the warning threshold (`issued` only). */
      readonly issuerExpiry?: IssuerExpiry;
    }
  | {
      readonly kind: 'issuer-missing';
      readonly verdict: Coded;
      readonly refused: boolean;
      readonly chain: readonly ChainLink[];
    };

/** The CN of an RFC 2253 subject (unescaped), or undefined. */
export function commonName(subject: string): string | undefined {
  const rdn = subject.split(/(?<!\\),/).find((part) => /^\s*CN=/i.test(part));
  return (
    rdn
      ?.replace(/^\s*CN=/i, '')
      .replace(/\\(.)/g, '$1')
      .trim() || undefined
  );
}

/** Letters (with their accents) and digits: what a trust-folder file name keeps of a CN. */
const KEPT = /[\p{L}\p{M}\p{N}]/u;
/** Names Windows reserves for devices, with any extension ("CON.pem" too). */
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i;
/** The CN's first code points at most: RFC 5280's upper bound, far below 255 bytes in UTF-8. */
const MAX_NAME = 64;

/**
 * A file name for the trust folder, from the certificate's CN: letters and digits of every script
 * kept (Controllers and Agents run on Linux and Windows file systems, which take them), anything
 * else (spaces, commas, slashes, symbols) a single `_`, no separator or dot at either end (no
 * hidden file, no "..pem"). When little of the CN is left (under 3 letters or digits, or fewer
 * than were dropped, or it was cut) or it names a Windows device, 16 hex digits of the fingerprint
 * are added, so that two such CAs do not overwrite each other's file; they are the whole name
 * without a CN.
 */
export function trustFileName(certificate: Certificate): string {
  const cn = (commonName(certificate.subject) ?? '').normalize('NFC');
  const chars = Array.from(cn);
  const kept = chars.filter((c) => KEPT.test(c) && !/\p{M}/u.test(c)).length;
  const dropped = chars.filter((c) => !KEPT.test(c) && !/[\s._-]/u.test(c)).length;
  const trim = (name: string) => name.replace(/^[._-]+|[._-]+$/g, '');
  const base = trim(
    Array.from(
      trim(
        cn
          .replace(/[^\p{L}\p{M}\p{N}._-]+/gu, '_')
          // A run of separators and dots is one: "Inc., Ltd" is "Inc_Ltd", "a--b" is "a_b".
          .replace(/[._-]{2,}/g, '_'),
      ),
    )
      .slice(0, MAX_NAME)
      .join(''),
  );
  const fingerprint = certificate.fingerprintSha256.replace(/:/g, '').slice(0, 16);
  // Cut to MAX_NAME, two long CNs could share a name.
  const cut = Array.from(cn).length > MAX_NAME;
  if (!base) return `${fingerprint}.pem`;
  // Windows takes the part before the first dot for the device: the fingerprint goes before it.
  if (WINDOWS_DEVICE.test(base)) return `${base.replace(/^([^.]*)/, `$1_${fingerprint}`)}.pem`;
  const little = kept < 3 || kept < dropped || cut;
  return `${little ? `${base}_${fingerprint}` : base}.pem`;
}

/**
 * A certificate's fingerprint as JS7's Controllers and Agents write it in their log ("Trusting
 * signature keys: X.509 certificate … fingerprint=…"): SHA-1 of the DER, lower case, in groups of
 * four bytes; an operator matches the file they hold with it.
 */
export async function js7Fingerprint(certificate: Certificate): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest('SHA-1', new Uint8Array(certificate.der)),
  );
  const hex = Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
  return (hex.match(/.{1,8}/g) ?? []).join(' ');
}

/** Reads the signing pair and the SSL CA as the trust panel and the Show dialog present them. */
export async function trustOf(
  pair: JocKeyPairAnswer | undefined,
  ca: JocKeyPairAnswer | undefined,
  now: Date,
  warnDays: number,
  dayNumber?: DayNumber,
): Promise<Trust> {
  if (!hasKeyPair(pair) || !pair.certificate) return { kind: 'none' };
  const read = await readCertificates(pair.certificate);
  if (!read.ok || !read.value.length) return { kind: 'none' };
  const certificates = read.value;
  const leaf = certificates[0];
  const caCert =
    hasKeyPair(ca) && ca.certificate ? await readCertificate(ca.certificate) : undefined;
  const sslCa = caCert?.ok ? caCert.value : undefined;
  const { issuerCheck, trustPath } = await import('../../../pki/readiness');
  const path = (await trustPath(certificates, sslCa))!;
  const link = (role: ChainLink['role'], certificate: Certificate): ChainLink => ({
    role,
    certificate,
    status: certificateKeyStatus(certificate, now, warnDays, dayNumber).status,
  });
  if (path.kind !== 'issued' && path.kind !== 'self-issued') {
    const { code, params, message, notRun } = issuerCheck(path, leaf, sslCa);
    return {
      kind: 'issuer-missing',
      verdict: { code, params, message },
      refused: !notRun,
      chain: [link('certificate', leaf)],
    };
  }
  const anchor = path.anchor;
  if (anchor === leaf) {
    return {
      kind: 'self-signed',
      anchor,
      source: 'self',
      pem: leaf.pem,
      fileName: trustFileName(leaf),
      logFingerprint: await js7Fingerprint(leaf),
      chain: [link('certificate', leaf)],
    };
  }
  const fromSslCa =
    !!sslCa &&
    anchor.fingerprintSha256 === sslCa.fingerprintSha256 &&
    hasKeyPair(ca) &&
    !!ca.certificate;
  const source = fromSslCa ? 'ssl-ca' : 'chain';
  const expiry = issuerExpiry(anchor, source, now, warnDays, dayNumber, leaf.notAfter);
  return {
    kind: 'issued',
    anchor,
    source,
    pem: fromSslCa && hasKeyPair(ca) ? ca.certificate! : anchor.pem,
    fileName: trustFileName(anchor),
    logFingerprint: await js7Fingerprint(anchor),
    chain: [link('certificate', leaf), link('issuer', anchor)],
    ...(expiry ? { issuerExpiry: expiry } : {}),
  };
}
