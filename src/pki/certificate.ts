import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { unsignedIntBytes } from './asn1';
import { toArrayBuffer, toHex } from './bytes';
import { attributeName, formatDn, type DnAttribute } from './dn';
import { describeSpki } from './key';
import { toPem } from './pem';
import { fail, succeed } from './result';
import type { Certificate, Result, ValidityStatus } from './types';

const KEY_USAGE_BITS = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
];

const EXTENDED_KEY_USAGES: Record<string, string> = {
  '1.3.6.1.5.5.7.3.1': 'serverAuth',
  '1.3.6.1.5.5.7.3.2': 'clientAuth',
  '1.3.6.1.5.5.7.3.3': 'codeSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection',
  '1.3.6.1.5.5.7.3.8': 'timeStamping',
  '1.3.6.1.5.5.7.3.9': 'OCSPSigning',
  '2.5.29.37.0': 'anyExtendedKeyUsage',
};

const DAY_MS = 86_400_000;

/** The RFC 2253 string of a pkijs name (ASN.1 order is most significant first; RFC 2253 reverses it). */
export function nameToString(name: pkijs.RelativeDistinguishedNames): string {
  const attributes: DnAttribute[] = name.typesAndValues.map((tv) => ({
    oid: tv.type,
    name: attributeName(tv.type),
    value: String((tv.value as { valueBlock?: { value?: unknown } }).valueBlock?.value ?? ''),
  }));
  return formatDn(attributes.reverse());
}

function keyUsageOf(ext: pkijs.Extension): string[] {
  const bits = ext.parsedValue instanceof asn1js.BitString ? ext.parsedValue.valueBlock.valueHexView : new Uint8Array();
  return KEY_USAGE_BITS.filter((_, i) => (bits[i >> 3] ?? 0) & (0x80 >> (i & 7)));
}

/** Parses one certificate from DER into the summary a person reads. */
export async function certificateFromDer(der: Uint8Array): Promise<Result<Certificate>> {
  let cert: pkijs.Certificate;
  try {
    cert = pkijs.Certificate.fromBER(toArrayBuffer(der));
  } catch {
    return fail('corrupted', 'The certificate is damaged: its structure is not a valid X.509 certificate.');
  }
  const spki = new Uint8Array(cert.subjectPublicKeyInfo.toSchema().toBER(false));
  const described = describeSpki(spki);
  const publicKey = described.ok
    ? described.value
    : { algorithm: cert.subjectPublicKeyInfo.algorithm.algorithmId, label: described.message.replace(/ keys are not supported.*$/, '') };
  let keyUsage: string[] = [];
  let extendedKeyUsage: string[] = [];
  let isCa = false;
  for (const ext of cert.extensions ?? []) {
    if (ext.extnID === '2.5.29.15') keyUsage = keyUsageOf(ext);
    if (ext.extnID === '2.5.29.37' && ext.parsedValue instanceof pkijs.ExtKeyUsage) {
      extendedKeyUsage = ext.parsedValue.keyPurposes.map((oid) => EXTENDED_KEY_USAGES[oid] ?? oid);
    }
    if (ext.extnID === '2.5.29.19' && ext.parsedValue instanceof pkijs.BasicConstraints) isCa = Boolean(ext.parsedValue.cA);
  }
  const subject = nameToString(cert.subject);
  const issuer = nameToString(cert.issuer);
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', toArrayBuffer(der)));
  return succeed({
    der,
    pem: toPem('CERTIFICATE', der),
    subject,
    issuer,
    serialNumber: toHex(unsignedIntBytes(cert.serialNumber)),
    notBefore: cert.notBefore.value,
    notAfter: cert.notAfter.value,
    fingerprintSha256: toHex(digest, ':'),
    keyUsage,
    extendedKeyUsage,
    isCa,
    selfIssued: cert.subject.isEqual(cert.issuer),
    publicKey,
    spki,
  });
}

/**
 * Where a certificate stands at `now`: valid, expiring (inside `warnDays`), expired, or not yet
 * valid, with whole days left and the fraction of its period used (for the validity bar).
 */
export function certificateStatus(
  certificate: Pick<Certificate, 'notBefore' | 'notAfter'>,
  now: Date,
  warnDays: number,
): ValidityStatus {
  const start = certificate.notBefore.getTime();
  const end = certificate.notAfter.getTime();
  const t = now.getTime();
  const daysLeft = Math.floor((end - t) / DAY_MS);
  const used = end <= start ? 1 : Math.min(1, Math.max(0, (t - start) / (end - start)));
  const state = t > end ? 'expired' : t < start ? 'not-yet-valid' : end - t <= warnDays * DAY_MS ? 'expiring' : 'valid';
  return { state, daysLeft, used };
}
