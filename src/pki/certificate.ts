import * as asn1js from 'asn1js';
import { algorithmOid, decodeDer, encode, isContext, unsignedIntBytes } from './asn1';
import { toArrayBuffer, toHex } from './bytes';
import { attributeName, formatDn, type DnAttribute } from './dn';
import { describeSpki } from './key';
import { toPem } from './pem';
import { fail, succeed } from './result';
import type { Certificate, Failure, Result, ValidityStatus } from './types';
import { type DayNumber, calendarDays, utcDayNumber } from './days';
import { hasNoExpiry } from './no-expiry';

/*
 * Certificates are read with asn1js alone (RFC 5280 §4.1), not pkijs: the Signature tab reads the
 * stored certificate before it first shows its row, and pkijs (most of the tab's JavaScript, and a
 * schema comparison per parse) is loaded only for what needs it: generation and signature checks.
 * The fields and their strictness are those of pkijs' Certificate.
 */

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

const STRING_TYPES = [
  asn1js.Utf8String,
  asn1js.BmpString,
  asn1js.UniversalString,
  asn1js.NumericString,
  asn1js.PrintableString,
  asn1js.TeletexString,
  asn1js.VideotexString,
  asn1js.IA5String,
  asn1js.GraphicString,
  asn1js.VisibleString,
  asn1js.GeneralString,
  asn1js.CharacterString,
];

/** One attribute of a Name as encoded (ASN.1 order: most significant first). */
interface NameAttribute {
  readonly oid: string;
  readonly value: asn1js.AsnType;
}

const sequenceItems = (node: unknown): asn1js.AsnType[] | undefined =>
  node instanceof asn1js.Sequence ? (node.valueBlock.value as asn1js.AsnType[]) : undefined;

/** A Name: SEQUENCE OF SET OF SEQUENCE { type OID, value ANY }, flattened. */
function readName(node: unknown): NameAttribute[] | undefined {
  const rdns = sequenceItems(node);
  if (!rdns) return undefined;
  const attributes: NameAttribute[] = [];
  for (const rdn of rdns) {
    if (!(rdn instanceof asn1js.Set)) return undefined;
    for (const pair of rdn.valueBlock.value) {
      const items = sequenceItems(pair);
      if (!items || items.length !== 2 || !(items[0] instanceof asn1js.ObjectIdentifier))
        return undefined;
      attributes.push({ oid: items[0].valueBlock.toString(), value: items[1] });
    }
  }
  return attributes;
}

/** The RFC 2253 string of a Name (RFC 2253 writes the most significant attribute last). */
function nameToString(name: readonly NameAttribute[]): string {
  const attributes: DnAttribute[] = name.map((a) => ({
    oid: a.oid,
    name: attributeName(a.oid),
    value: String((a.value as { valueBlock?: { value?: unknown } }).valueBlock?.value ?? ''),
  }));
  return formatDn(attributes.reverse());
}

/** One of the string types by its exact type (asn1js' time and date types extend them, pkijs did not count those). */
const isString = (node: asn1js.AsnType) => STRING_TYPES.some((type) => node.constructor === type);

/** RFC 5280 §7.1 in the simple form pkijs used: trimmed, inner spaces collapsed, case ignored. */
const prepared = (value: unknown) =>
  String(value ?? '')
    .trim()
    .replace(/ +/g, ' ')
    .toLowerCase();

/** Whether two Names are equal as pkijs compared them (strings prepared, other values by their bytes). */
function namesEqual(a: readonly NameAttribute[], b: readonly NameAttribute[]): boolean {
  return (
    a.length === b.length &&
    a.every((x, i) => {
      const y = b[i];
      if (x.oid !== y.oid || isString(x.value) !== isString(y.value)) return false;
      if (isString(x.value)) {
        return (
          prepared((x.value as asn1js.Utf8String).valueBlock.value) ===
          prepared((y.value as asn1js.Utf8String).valueBlock.value)
        );
      }
      const xs = x.value.valueBeforeDecodeView;
      const ys = y.value.valueBeforeDecodeView;
      return xs.length === ys.length && xs.every((byte, j) => byte === ys[j]);
    })
  );
}

function readTime(node: unknown): Date | undefined {
  if (node instanceof asn1js.UTCTime || node instanceof asn1js.GeneralizedTime) {
    const date = node.toDate();
    return Number.isNaN(date.getTime()) ? undefined : date;
  }
  return undefined;
}

/** An extension's value (the content of extnValue) decoded, or undefined when it is not DER. */
function extensionValue(octets: asn1js.OctetString): asn1js.AsnType | undefined {
  const decoded = asn1js.fromBER(toArrayBuffer(octets.valueBlock.valueHexView));
  return decoded.offset === -1 ? undefined : decoded.result;
}

interface Extensions {
  keyUsage: string[];
  extendedKeyUsage: string[];
  isCa: boolean;
  basicConstraints: boolean;
}

/** [3] EXPLICIT SEQUENCE OF Extension { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }. */
function readExtensions(node: asn1js.Constructed): Extensions | undefined {
  const found: Extensions = {
    keyUsage: [],
    extendedKeyUsage: [],
    isCa: false,
    basicConstraints: false,
  };
  const list = sequenceItems(node.valueBlock.value[0]);
  if (!list || node.valueBlock.value.length !== 1) return undefined;
  // RFC 5280 §4.2 allows each extension once, and Java refuses a certificate that has one twice
  // ("Duplicate extensions not allowed"): two basicConstraints never leave open which counts.
  const seen = new Set<string>();
  for (const extension of list) {
    const items = sequenceItems(extension);
    if (
      !items ||
      items.length < 2 ||
      items.length > 3 ||
      !(items[0] instanceof asn1js.ObjectIdentifier)
    )
      return undefined;
    if (items.length === 3 && !(items[1] instanceof asn1js.Boolean)) return undefined;
    const octets = items[items.length - 1];
    if (!(octets instanceof asn1js.OctetString)) return undefined;
    const id = items[0].valueBlock.toString();
    if (seen.has(id)) return undefined;
    seen.add(id);
    const value = extensionValue(octets);
    if (id === '2.5.29.15' && value instanceof asn1js.BitString) {
      const bits = value.valueBlock.valueHexView;
      found.keyUsage = KEY_USAGE_BITS.filter((_, i) => (bits[i >> 3] ?? 0) & (0x80 >> (i & 7)));
    }
    if (id === '2.5.29.37' && value) {
      const purposes = sequenceItems(value);
      if (purposes?.every((p) => p instanceof asn1js.ObjectIdentifier)) {
        found.extendedKeyUsage = purposes
          .map((p) => (p as asn1js.ObjectIdentifier).valueBlock.toString())
          .map((oid) => EXTENDED_KEY_USAGES[oid] ?? oid);
      }
    }
    if (id === '2.5.29.19') {
      // SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER OPTIONAL } and nothing
      // else: Java refuses a certificate whose basicConstraints differs, so no CA is read from it.
      const items = sequenceItems(value);
      if (!items) return undefined;
      const [cA, pathLen, ...more] =
        items[0] instanceof asn1js.Boolean ? items : [undefined, ...items];
      if (more.length || (pathLen !== undefined && !(pathLen instanceof asn1js.Integer)))
        return undefined;
      found.basicConstraints = true;
      found.isCa = cA instanceof asn1js.Boolean && cA.valueBlock.value;
    }
  }
  return found;
}

interface ParsedCertificate {
  readonly serial: asn1js.Integer;
  readonly issuer: NameAttribute[];
  readonly subject: NameAttribute[];
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly spki: Uint8Array;
  /** The OID of the certified key's algorithm. */
  readonly spkiAlgorithm: string;
  readonly extensions: Extensions;
}

/** Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue BIT STRING }. */
function parseCertificate(node: asn1js.AsnType): ParsedCertificate | undefined {
  const outer = sequenceItems(node);
  if (
    !outer ||
    outer.length !== 3 ||
    !sequenceItems(outer[1]) ||
    !(outer[2] instanceof asn1js.BitString)
  )
    return undefined;
  const tbs = sequenceItems(outer[0]);
  if (!tbs) return undefined;
  let i = isContext(tbs[0], 0) ? 1 : 0; // [0] EXPLICIT version, absent for v1
  const serial = tbs[i++];
  const signature = tbs[i++];
  const issuer = readName(tbs[i++]);
  const validity = sequenceItems(tbs[i++]);
  const subject = readName(tbs[i++]);
  const spki = sequenceItems(tbs[i]);
  const spkiNode = tbs[i++];
  if (
    !(serial instanceof asn1js.Integer) ||
    !sequenceItems(signature) ||
    !issuer ||
    !subject ||
    !validity ||
    validity.length !== 2
  )
    return undefined;
  if (
    !spki ||
    spki.length !== 2 ||
    !sequenceItems(spki[0]) ||
    !(spki[1] instanceof asn1js.BitString)
  )
    return undefined;
  const notBefore = readTime(validity[0]);
  const notAfter = readTime(validity[1]);
  if (!notBefore || !notAfter) return undefined;
  if (isContext(tbs[i], 1)) i++; // issuerUniqueID
  if (isContext(tbs[i], 2)) i++; // subjectUniqueID
  let extensions: Extensions | undefined = {
    keyUsage: [],
    extendedKeyUsage: [],
    isCa: false,
    basicConstraints: false,
  };
  if (isContext(tbs[i], 3)) extensions = readExtensions(tbs[i++] as asn1js.Constructed);
  if (!extensions || i !== tbs.length) return undefined;
  return {
    serial,
    issuer,
    subject,
    notBefore,
    notAfter,
    spki: encode(spkiNode),
    spkiAlgorithm: algorithmOid(spki[0]) ?? '',
    extensions,
  };
}

/**
 * A key JS7 cannot sign with, named as the summary's label from the refusal's values: "Ed25519",
 * "ECDSA secp256k1", or the OID when the algorithm or curve has no name.
 */
function unsupportedKeyLabel(refusal: Failure): string {
  const { algorithm, curve, oid } = refusal.params;
  if (algorithm !== undefined) return String(algorithm);
  if (refusal.code === 'unsupportedCurve') return `ECDSA ${curve}`;
  if (refusal.code === 'unsupportedCurveOid') return `ECDSA ${oid}`;
  if (refusal.code === 'explicitCurve') return 'ECDSA';
  return String(oid ?? refusal.message);
}

const CORRUPTED = 'The certificate is damaged: its structure is not a valid X.509 certificate.';

/** Parses one certificate from DER (`decoded`: the same DER already decoded) into the summary a person reads. */
export async function certificateFromDer(
  der: Uint8Array,
  decoded?: asn1js.AsnType,
): Promise<Result<Certificate>> {
  let cert: ParsedCertificate | undefined;
  try {
    const node = decoded ? succeed(decoded) : decodeDer(der);
    cert = node.ok ? parseCertificate(node.value) : undefined;
  } catch {
    cert = undefined;
  }
  if (!cert) return fail('corrupted', 'certificateStructure', CORRUPTED);
  const described = describeSpki(cert.spki);
  const publicKey = described.ok
    ? described.value
    : { algorithm: cert.spkiAlgorithm, label: unsupportedKeyLabel(described) };
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', toArrayBuffer(der)));
  return succeed({
    der,
    pem: toPem('CERTIFICATE', der),
    subject: nameToString(cert.subject),
    issuer: nameToString(cert.issuer),
    serialNumber: toHex(unsignedIntBytes(cert.serial)),
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    fingerprintSha256: toHex(digest, ':'),
    keyUsage: cert.extensions.keyUsage,
    extendedKeyUsage: cert.extensions.extendedKeyUsage,
    isCa: cert.extensions.isCa,
    basicConstraints: cert.extensions.basicConstraints,
    selfIssued: namesEqual(cert.subject, cert.issuer),
    publicKey,
    spki: cert.spki,
  });
}

/**
 * Where a certificate stands at `now`: valid, expiring (inside `warnDays`), expired, or not yet
 * valid, with the days left and the fraction of its period used (for the validity bar).
 * The days left count calendar dates in the zone of `dayNumber`, as a person counts them beside
 * the end date shown in that zone: a certificate made for 12 days has 12 left on its first day,
 * and one that ends tomorrow morning does not end "today". It is expiring once those days are
 * within `warnDays` (0: on its last day), whatever the hour it ends. One with RFC 5280's "no
 * well-defined expiration date" is valid from its start on, for good.
 */
export function certificateStatus(
  certificate: Pick<Certificate, 'notBefore' | 'notAfter'>,
  now: Date,
  warnDays: number,
  dayNumber: DayNumber = utcDayNumber,
): ValidityStatus {
  const start = certificate.notBefore.getTime();
  const end = certificate.notAfter.getTime();
  const t = now.getTime();
  const daysLeft = calendarDays(now, certificate.notAfter, dayNumber);
  if (hasNoExpiry(certificate.notAfter))
    return { state: t < start ? 'not-yet-valid' : 'valid', daysLeft, used: 0, noExpiry: true };
  const used = end <= start ? 1 : Math.min(1, Math.max(0, (t - start) / (end - start)));
  const state =
    t > end ? 'expired' : t < start ? 'not-yet-valid' : daysLeft <= warnDays ? 'expiring' : 'valid';
  return { state, daysLeft, used };
}
