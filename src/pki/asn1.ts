import * as asn1js from 'asn1js';
import { toArrayBuffer } from './bytes';
import { fail, succeed } from './result';
import type { Result } from './types';

/** Object identifiers the core needs by name. */
export const OID = {
  rsaEncryption: '1.2.840.113549.1.1.1',
  ecPublicKey: '1.2.840.10045.2.1',
  p256: '1.2.840.10045.3.1.7',
  p384: '1.3.132.0.34',
  p521: '1.3.132.0.35',
  pkcs7Data: '1.2.840.113549.1.7.1',
  pkcs7SignedData: '1.2.840.113549.1.7.2',
  pbes2: '1.2.840.113549.1.5.13',
  scrypt: '1.3.6.1.4.1.11591.4.11',
} as const;

/** Key algorithms people may hold that JS7 cannot sign with, named for the message. */
const UNSUPPORTED_ALGORITHMS: Record<string, string> = {
  '1.3.101.112': 'Ed25519',
  '1.3.101.113': 'Ed448',
  '1.3.101.110': 'X25519',
  '1.3.101.111': 'X448',
  '1.2.840.10040.4.1': 'DSA',
  '1.2.840.10046.2.1': 'Diffie-Hellman',
  '1.2.840.113549.1.3.1': 'Diffie-Hellman',
  '1.2.840.113549.1.1.10': 'RSASSA-PSS',
  '1.2.156.10197.1.301': 'SM2',
  '1.2.643.7.1.1.1.1': 'GOST R 34.10-2012',
  '1.2.643.7.1.1.1.2': 'GOST R 34.10-2012',
  '2.16.840.1.101.3.4.3.17': 'ML-DSA-44',
  '2.16.840.1.101.3.4.3.18': 'ML-DSA-65',
  '2.16.840.1.101.3.4.3.19': 'ML-DSA-87',
};

/** Curves people may hold besides the three WebCrypto knows. */
const CURVE_NAMES: Record<string, string> = {
  [OID.p256]: 'P-256',
  [OID.p384]: 'P-384',
  [OID.p521]: 'P-521',
  '1.3.132.0.10': 'secp256k1',
  '1.3.36.3.3.2.8.1.1.7': 'brainpoolP256r1',
  '1.3.36.3.3.2.8.1.1.11': 'brainpoolP384r1',
  '1.3.36.3.3.2.8.1.1.13': 'brainpoolP512r1',
  '1.2.840.10045.3.1.1': 'P-192',
  '1.3.132.0.33': 'P-224',
};

/** The name of an unsupported key algorithm, or undefined when the OID is not one people know. */
export function algorithmName(oid: string): string | undefined {
  return UNSUPPORTED_ALGORITHMS[oid];
}

/** The name of a curve, or undefined when the OID is not one people know. */
export function curveName(oid: string): string | undefined {
  return CURVE_NAMES[oid];
}

/**
 * What a DER structure was read as, for the messages about it: an id (a catalog `select`
 * value) and, for a PEM block, its label.
 */
export interface Subject {
  readonly what:
    | 'data'
    | 'privateKey'
    | 'publicKey'
    | 'rsaPublicKey'
    | 'ecParameters'
    | 'file'
    | 'text'
    | 'pkcs12Key'
    | 'pkcs12Certificate'
    | 'block';
  readonly label?: string;
}

const SUBJECTS: Record<Subject['what'], string> = {
  data: 'The data',
  privateKey: 'The private key',
  publicKey: 'The public key',
  rsaPublicKey: 'The RSA public key',
  ecParameters: 'The EC PARAMETERS block',
  file: 'The file',
  text: 'The text',
  pkcs12Key: 'The key in the PKCS#12 file',
  pkcs12Certificate: 'A certificate in the PKCS#12 file',
  block: 'The block',
};

/** The subject in English, at the start of a sentence. */
export function subjectText(subject: Subject): string {
  return subject.what === 'block' ? `The "${subject.label}" block` : SUBJECTS[subject.what];
}

/** The subject as message values. */
export function subjectParams(subject: Subject): Record<string, string> {
  return subject.what === 'block'
    ? { what: 'block', label: subject.label ?? '' }
    : { what: subject.what };
}

/** Decodes one DER structure; truncated and damaged input become failures, never exceptions. */
export function decodeDer(
  der: Uint8Array,
  subject: Subject = { what: 'data' },
): Result<asn1js.AsnType> {
  const what = subjectText(subject);
  const params = subjectParams(subject);
  if (der.length === 0) return fail('empty', 'derEmpty', `${what} is empty.`, params);
  let decoded: ReturnType<typeof asn1js.fromBER>;
  try {
    decoded = asn1js.fromBER(toArrayBuffer(der));
  } catch {
    return fail('corrupted', 'derInvalid', `${what} is damaged: it is not valid DER.`, params);
  }
  if (decoded.offset === -1) {
    const error = String((decoded.result as { error?: string }).error ?? '');
    return /end of input|too short|length/i.test(error)
      ? fail(
          'truncated',
          'derCutOff',
          `${what} is cut off: it ends before its structure is complete.`,
          params,
        )
      : fail('corrupted', 'derInvalid', `${what} is damaged: it is not valid DER.`, params);
  }
  if (decoded.offset < der.length && der.slice(decoded.offset).some((b) => b !== 0)) {
    return fail(
      'corrupted',
      'derTrailing',
      `${what} is damaged: unexpected bytes follow its structure.`,
      params,
    );
  }
  return succeed(decoded.result);
}

/** What a DER structure is, judged by its shape (labels lie: JOC writes PKCS#8 under "EC PRIVATE KEY"). */
export type DerKind =
  | 'certificate'
  | 'csr'
  | 'pkcs8'
  | 'encrypted-pkcs8'
  | 'spki'
  | 'pkcs1-private'
  | 'pkcs1-public'
  | 'sec1'
  | 'pkcs12'
  | 'pkcs7'
  | 'ec-parameters'
  | 'unknown';

const isSeq = (n: unknown): n is asn1js.Sequence => n instanceof asn1js.Sequence;
const isInt = (n: unknown): n is asn1js.Integer => n instanceof asn1js.Integer;
/** A context-specific tag `[tag]`. */
export const isContext = (n: unknown, tag: number): n is asn1js.Constructed =>
  n instanceof asn1js.BaseBlock && n.idBlock.tagClass === 3 && n.idBlock.tagNumber === tag;

export function children(node: asn1js.AsnType): asn1js.AsnType[] {
  return isSeq(node) ? (node.valueBlock.value as asn1js.AsnType[]) : [];
}

export function smallInt(node: unknown): number | undefined {
  return isInt(node) && node.valueBlock.valueHexView.length <= 4
    ? node.valueBlock.valueDec
    : undefined;
}

/** The nodes inside a constructed node of any tag (a SEQUENCE, SET or `[n]`); none for a primitive one. */
export function childNodes(node: unknown): asn1js.AsnType[] {
  if (!(node instanceof asn1js.BaseBlock)) return [];
  const value = (node.valueBlock as { value?: unknown }).value;
  return Array.isArray(value) ? (value as asn1js.AsnType[]) : [];
}

/** The bytes of an OCTET STRING, primitive or constructed from chunks (BER). */
export function octetBytes(node: unknown): Uint8Array | undefined {
  if (!(node instanceof asn1js.OctetString)) return undefined;
  if (!node.valueBlock.isConstructed) return node.valueBlock.valueHexView;
  const parts = node.valueBlock.value.map(octetBytes);
  if (parts.some((p) => p === undefined)) return undefined;
  const out = new Uint8Array(parts.reduce((n, p) => n + p!.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p!, at);
    at += p!.length;
  }
  return out;
}

/** The OID of an AlgorithmIdentifier sequence, if it is one. */
export function algorithmOid(node: unknown): string | undefined {
  const first = isSeq(node) ? node.valueBlock.value[0] : undefined;
  return first instanceof asn1js.ObjectIdentifier ? first.valueBlock.toString() : undefined;
}

/**
 * The key derivation a PBES2-encrypted PKCS#8 key names (its OID), or undefined.
 * PBES2-params ::= SEQUENCE { keyDerivationFunc AlgorithmIdentifier, encryptionScheme ... }
 */
export function pbes2KdfOid(encryptedPkcs8: asn1js.AsnType): string | undefined {
  const algorithm = children(encryptedPkcs8)[0];
  if (algorithmOid(algorithm) !== OID.pbes2) return undefined;
  return algorithmOid(children(children(algorithm)[1])[0]);
}

export function classifyDer(node: asn1js.AsnType): DerKind {
  if (node instanceof asn1js.ObjectIdentifier) return 'ec-parameters';
  const v = children(node);
  if (v.length === 0) return 'unknown';
  if (v.length === 3 && isSeq(v[0]) && isSeq(v[1]) && v[2] instanceof asn1js.BitString) {
    const tbs = children(v[0]);
    if (tbs.length === 4 && isInt(tbs[0]) && isSeq(tbs[1]) && isSeq(tbs[2]) && isContext(tbs[3], 0))
      return 'csr';
    if (tbs.length >= 6) return 'certificate';
    return 'unknown';
  }
  if (v.length >= 3 && isInt(v[0]) && algorithmOid(v[1]) && v[2] instanceof asn1js.OctetString)
    return 'pkcs8';
  if (v.length === 2 && algorithmOid(v[0]) && v[1] instanceof asn1js.OctetString)
    return 'encrypted-pkcs8';
  if (v.length === 2 && algorithmOid(v[0]) && v[1] instanceof asn1js.BitString) return 'spki';
  if (v.length >= 9 && v.every(isInt) && smallInt(v[0]) === 0) return 'pkcs1-private';
  if (v.length === 2 && v.every(isInt)) return 'pkcs1-public';
  if (v.length >= 2 && smallInt(v[0]) === 1 && v[1] instanceof asn1js.OctetString) return 'sec1';
  if (v.length >= 2 && smallInt(v[0]) === 3 && isSeq(v[1]) && algorithmOid(v[1]) === OID.pkcs7Data)
    return 'pkcs12';
  // ContentInfo { signedData, [0] SignedData }: how a .p7b bundles certificates.
  if (
    v.length === 2 &&
    v[0] instanceof asn1js.ObjectIdentifier &&
    v[0].valueBlock.toString() === OID.pkcs7SignedData &&
    isContext(v[1], 0)
  )
    return 'pkcs7';
  return 'unknown';
}

/** The DER bytes of a node. */
export function encode(node: asn1js.AsnType): Uint8Array {
  return new Uint8Array(node.toBER(false));
}

/** Unsigned big-endian integer bytes without leading zero bytes. */
export function unsignedIntBytes(node: asn1js.Integer): Uint8Array {
  let bytes = node.valueBlock.valueHexView;
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  bytes = bytes.slice(i);
  return bytes;
}

/** An unsigned big-endian integer as a DER INTEGER (adds the sign byte when needed). */
export function integerFromUnsigned(bytes: Uint8Array): asn1js.Integer {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  const trimmed = bytes.slice(i);
  const value = trimmed[0] & 0x80 ? new Uint8Array([0, ...trimmed]) : trimmed;
  return new asn1js.Integer({ valueHex: toArrayBuffer(value) });
}
