import * as asn1js from 'asn1js';
import {
  OID,
  algorithmName,
  algorithmOid,
  children,
  classifyDer,
  curveName,
  decodeDer,
  encode,
  integerFromUnsigned,
  unsignedIntBytes,
} from './asn1';
import { base64Decode, bytesEqual, toArrayBuffer, toHex } from './bytes';
import { ecExplicitParametersFailure } from './commands';
import { toPem } from './pem';
import { fail, succeed } from './result';
import type {
  KeyAlgorithm,
  KeyDescription,
  NamedCurve,
  PrivateKey,
  PrivateKeyFormat,
  PublicKey,
  Result,
} from './types';

const CURVES: Record<string, NamedCurve> = {
  [OID.p256]: 'P-256',
  [OID.p384]: 'P-384',
  [OID.p521]: 'P-521',
};
const CURVE_BITS: Record<NamedCurve, number> = { 'P-256': 256, 'P-384': 384, 'P-521': 521 };
const CURVE_OIDS: Record<NamedCurve, string> = {
  'P-256': OID.p256,
  'P-384': OID.p384,
  'P-521': OID.p521,
};

/** Smallest RSA modulus accepted for signing. */
export const MIN_RSA_BITS = 2048;
/**
 * Largest RSA modulus accepted for signing. A signature's cost grows with the cube of the modulus
 * (a 32,768-bit key takes seconds of a thread the logins share), and the server signs with the
 * stored key at every key check. No common tool makes signing keys above 8192 bits.
 */
export const MAX_RSA_BITS = 8192;

/** Unsigned big-endian bytes as a bigint. */
const bigintOfBytes = (bytes: Uint8Array) => (bytes.length ? BigInt('0x' + toHex(bytes)) : 0n);

/** An RSAPrivateKey INTEGER as a bigint; -1 when the node is not an INTEGER. */
function bigintOf(node: asn1js.AsnType | undefined): bigint {
  return node instanceof asn1js.Integer ? bigintOfBytes(unsignedIntBytes(node)) : -1n;
}

/**
 * Whether a PKCS#1 RSAPrivateKey's numbers belong together (n = p·q, e·d ≡ 1 mod p−1 and q−1,
 * the CRT values). WebCrypto (OpenSSL) imports RSA keys without checking them: a key with n and e
 * copied from someone's certificate would "match" that certificate, and one with an even modulus
 * would make every signature throw.
 */
function rsaNumbersConsistent(numbers: readonly asn1js.AsnType[]): boolean {
  // No number of a sound key is longer than its modulus (d at most a byte more, if not reduced):
  // refuse longer ones before they are turned into bigints and multiplied on the caller's thread.
  const lengths = numbers
    .slice(1, 9)
    .map((x) => (x instanceof asn1js.Integer ? unsignedIntBytes(x).length : 0));
  if (lengths.some((length) => length > lengths[0] + 1)) return false;
  const [n, e, d, p, q, dp, dq, qi] = numbers.slice(1, 9).map(bigintOf);
  if (p < 3n || q < 3n || [e, d, dp, dq, qi].some((x) => x < 1n)) return false;
  if (n !== p * q || (n & 1n) === 0n) return false;
  const ed = e * d - 1n;
  return (
    ed % (p - 1n) === 0n &&
    ed % (q - 1n) === 0n &&
    dp % (p - 1n) === d % (p - 1n) &&
    dq % (q - 1n) === d % (q - 1n) &&
    (qi * q) % p === 1n
  );
}

/** WebCrypto import parameters for a key of this description (signing use). */
export function webCryptoAlgorithm(
  key: Pick<KeyDescription, 'algorithm' | 'curve'>,
): RsaHashedImportParams | EcKeyImportParams {
  return key.algorithm === 'RSA'
    ? { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }
    : { name: 'ECDSA', namedCurve: key.curve ?? 'P-256' };
}

function describe(algorithm: KeyAlgorithm, bits: number, curve?: NamedCurve): KeyDescription {
  return curve
    ? { algorithm, curve, bits, label: `${algorithm} ${curve}` }
    : { algorithm, bits, label: `${algorithm} ${bits}` };
}

function bitLength(bytes: Uint8Array): number {
  if (bytes.length === 0) return 0;
  return (bytes.length - 1) * 8 + (32 - Math.clz32(bytes[0]));
}

function algorithmIdentifier(oid: string, params: asn1js.AsnType): asn1js.Sequence {
  return new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: oid }), params] });
}

function spkiOf(algId: asn1js.Sequence, publicKey: Uint8Array): Uint8Array {
  return encode(
    new asn1js.Sequence({
      value: [algId, new asn1js.BitString({ valueHex: toArrayBuffer(publicKey) })],
    }),
  );
}

function rsaSpki(n: asn1js.Integer, e: asn1js.Integer): Uint8Array {
  const rsaPublicKey = encode(
    new asn1js.Sequence({
      value: [integerFromUnsigned(unsignedIntBytes(n)), integerFromUnsigned(unsignedIntBytes(e))],
    }),
  );
  return spkiOf(algorithmIdentifier(OID.rsaEncryption, new asn1js.Null()), rsaPublicKey);
}

function ecSpki(curveOid: string, point: Uint8Array): Uint8Array {
  return spkiOf(ecAlgorithm(curveOid), point);
}

function rsaDescription(modulus: asn1js.Integer): Result<KeyDescription> {
  const bits = bitLength(unsignedIntBytes(modulus));
  return succeed(describe('RSA', bits));
}

function unsupportedCurve(oid: string | undefined): Result<never> {
  if (!oid)
    return fail(
      'unsupported-algorithm',
      'explicitCurve',
      'This ECDSA key uses explicit curve parameters, which are not supported: use a named curve (P-256, P-384 or P-521).',
    );
  const curve = curveName(oid);
  return curve
    ? fail(
        'unsupported-algorithm',
        'unsupportedCurve',
        `ECDSA keys on the curve ${curve} are not supported: use P-256, P-384 or P-521.`,
        { curve },
      )
    : fail(
        'unsupported-algorithm',
        'unsupportedCurveOid',
        `ECDSA keys on the curve with OID ${oid} are not supported: use P-256, P-384 or P-521.`,
        { oid },
      );
}

function unsupportedAlgorithm(oid: string | undefined): Result<never> {
  const algorithm = algorithmName(oid ?? '?');
  return algorithm
    ? fail(
        'unsupported-algorithm',
        'unsupportedAlgorithm',
        `${algorithm} keys are not supported: JS7 signs with ECDSA or RSA keys.`,
        { algorithm },
      )
    : fail(
        'unsupported-algorithm',
        'unsupportedAlgorithmOid',
        `Keys of the algorithm with OID ${oid ?? '?'} are not supported: JS7 signs with ECDSA or RSA keys.`,
        { oid: oid ?? '?' },
      );
}

/** The curve OID inside an EC AlgorithmIdentifier's parameters. */
function curveOidOf(algId: asn1js.AsnType): string | undefined {
  const params = children(algId)[1];
  return params instanceof asn1js.ObjectIdentifier ? params.valueBlock.toString() : undefined;
}

/** PKCS#8 PrivateKeyInfo: version 0, the algorithm, and the inner key structure. */
function pkcs8Of(algorithm: asn1js.Sequence, inner: Uint8Array): Uint8Array {
  return encode(
    new asn1js.Sequence({
      value: [
        new asn1js.Integer({ value: 0 }),
        algorithm,
        new asn1js.OctetString({ valueHex: toArrayBuffer(inner) }),
      ],
    }),
  );
}

const ecAlgorithm = (curveOid: string) =>
  algorithmIdentifier(OID.ecPublicKey, new asn1js.ObjectIdentifier({ value: curveOid }));

/** Wraps a PKCS#1 RSAPrivateKey into PKCS#8. */
function wrapRsaPkcs1(pkcs1: Uint8Array): Uint8Array {
  return pkcs8Of(algorithmIdentifier(OID.rsaEncryption, new asn1js.Null()), pkcs1);
}

/** Wraps a SEC1 ECPrivateKey (curve given separately when it does not carry one) into PKCS#8. */
function wrapSec1(sec1: asn1js.AsnType, curveOid: string): Uint8Array {
  const v = children(sec1);
  const publicKey = v.find((n) => n.idBlock.tagClass === 3 && n.idBlock.tagNumber === 1);
  return pkcs8Of(
    ecAlgorithm(curveOid),
    encode(new asn1js.Sequence({ value: [v[0], v[1], ...(publicKey ? [publicKey] : [])] })),
  );
}

/**
 * The curve of an EC key given as explicit parameters, as {@link ecCurveOf} and
 * `privateKeyFromDer` write it; never an OID.
 */
export const EXPLICIT_CURVE = 'explicit';

/**
 * What EC parameters (ECPKParameters) say of the curve: its OID when they name it,
 * {@link EXPLICIT_CURVE} when they spell it out (a SEQUENCE: field, coefficients, base point,
 * order), else undefined.
 */
export function ecCurveOf(parameters: asn1js.AsnType | undefined): string | undefined {
  if (parameters instanceof asn1js.ObjectIdentifier) return parameters.valueBlock.toString();
  return parameters instanceof asn1js.Sequence ? EXPLICIT_CURVE : undefined;
}

function sec1Curve(sec1: asn1js.AsnType): string | undefined {
  const tagged = children(sec1).find((n) => n.idBlock.tagClass === 3 && n.idBlock.tagNumber === 0);
  return ecCurveOf(tagged instanceof asn1js.Constructed ? tagged.valueBlock.value[0] : undefined);
}

/**
 * Reads a private key from DER of any of the plain formats (PKCS#8, PKCS#1, SEC1), proves it
 * usable by importing it into WebCrypto, and returns it in canonical PKCS#8.
 * @param ecParametersOid the curve from a preceding `EC PARAMETERS` block, if any
 *   ({@link EXPLICIT_CURVE} when that block spells the curve out)
 * @param name the file's name, for the command that converts a key the console cannot read
 */
export async function privateKeyFromDer(
  der: Uint8Array,
  format?: PrivateKeyFormat,
  ecParametersOid?: string,
  name?: string,
): Promise<Result<PrivateKey>> {
  const decoded = decodeDer(der, { what: 'privateKey' });
  if (!decoded.ok) return decoded;
  const kind = classifyDer(decoded.value);
  if (kind === 'pkcs1-private') return pkcs8Key(wrapRsaPkcs1(der), format ?? 'PKCS#1');
  if (kind === 'sec1') {
    const curve = sec1Curve(decoded.value) ?? ecParametersOid;
    if (curve === EXPLICIT_CURVE) return ecExplicitParametersFailure(name);
    if (!curve)
      return fail(
        'corrupted',
        'ecCurveMissing',
        'The EC private key does not name its curve (no parameters inside it and no "EC PARAMETERS" block before it).',
      );
    if (!CURVES[curve]) return unsupportedCurve(curve);
    return pkcs8Key(wrapSec1(decoded.value, curve), format ?? 'SEC1');
  }
  if (kind === 'pkcs8') return pkcs8Key(der, format ?? 'PKCS#8', name);
  return fail(
    'corrupted',
    'privateKeyStructure',
    'The private key is damaged: its structure is not PKCS#8, PKCS#1 or SEC1.',
  );
}

async function pkcs8Key(
  pkcs8: Uint8Array,
  format: PrivateKeyFormat,
  name?: string,
): Promise<Result<PrivateKey>> {
  const node = decodeDer(pkcs8, { what: 'privateKey' });
  if (!node.ok) return node;
  const [, algId, octets] = children(node.value);
  const oid = algorithmOid(algId);
  const inner = decodeDer((octets as asn1js.OctetString).valueBlock.valueHexView.slice(), {
    what: 'privateKey',
  });
  if (oid === OID.rsaEncryption) {
    if (!inner.ok) return inner;
    const v = children(inner.value);
    if (classifyDer(inner.value) !== 'pkcs1-private')
      return fail(
        'corrupted',
        'rsaNumbersMissing',
        'The RSA private key is damaged: its numbers are missing.',
      );
    const description = rsaDescription(v[1] as asn1js.Integer);
    if (!description.ok) return description;
    const { bits, label } = description.value;
    if (bits < MIN_RSA_BITS)
      return fail(
        'rsa-too-small',
        'rsaTooSmall',
        `This RSA key has ${bits} bits; at least ${MIN_RSA_BITS} bits are required.`,
        { bits, min: MIN_RSA_BITS },
      );
    if (bits > MAX_RSA_BITS)
      return fail(
        'unsupported-algorithm',
        'rsaTooLarge',
        `This RSA key has ${bits} bits; at most ${MAX_RSA_BITS} bits are accepted.`,
        { bits, max: MAX_RSA_BITS },
      );
    if (!rsaNumbersConsistent(v)) return valuesInvalid(label);
    return finish(
      pkcs8,
      format,
      description.value,
      rsaSpki(v[1] as asn1js.Integer, v[2] as asn1js.Integer),
    );
  }
  if (oid === OID.ecPublicKey) {
    if (ecCurveOf(children(algId)[1]) === EXPLICIT_CURVE) return ecExplicitParametersFailure(name);
    const curveOid = curveOidOf(algId);
    const curve = curveOid ? CURVES[curveOid] : undefined;
    if (!curve) return unsupportedCurve(curveOid);
    if (!inner.ok) return inner;
    if (classifyDer(inner.value) !== 'sec1')
      return fail(
        'corrupted',
        'ecInnerStructure',
        'The EC private key is damaged: its inner structure is not an EC private key.',
      );
    // The public key is taken from the imported key (finish), not from the bytes embedded in
    // the file: those may be a compressed point, which compares unequal to a certificate's
    // uncompressed one and which Java cannot read.
    return finish(pkcs8, format, describe('ECDSA', CURVE_BITS[curve], curve), undefined);
  }
  return unsupportedAlgorithm(oid);
}

function valuesInvalid(key: string): Result<never> {
  return fail(
    'corrupted',
    'keyValuesInvalid',
    `The ${key} private key is damaged: its values are not a valid key.`,
    { key },
  );
}

/** Imports into WebCrypto (which refuses values it cannot use) and exports canonical PKCS#8. */
async function finish(
  pkcs8: Uint8Array,
  format: PrivateKeyFormat,
  description: KeyDescription,
  spki: Uint8Array | undefined,
): Promise<Result<PrivateKey>> {
  let canonical: Uint8Array;
  try {
    const key = await crypto.subtle.importKey(
      'pkcs8',
      toArrayBuffer(pkcs8),
      webCryptoAlgorithm(description),
      true,
      ['sign'],
    );
    if (description.algorithm === 'RSA') {
      canonical = new Uint8Array(await crypto.subtle.exportKey('pkcs8', key));
    } else {
      // Built by hand so that Node (OpenSSL) and Chromium (BoringSSL) give the same bytes:
      // the private scalar and the public point, the curve named once in the outer structure.
      const jwk = await crypto.subtle.exportKey('jwk', key);
      const [d, x, y] = [jwk.d, jwk.x, jwk.y].map((v) => base64Decode(base64urlToBase64(v ?? '')));
      if (!d || !x || !y) throw new Error('incomplete EC key');
      const point = new Uint8Array([4, ...x, ...y]);
      spki ??= ecSpki(CURVE_OIDS[description.curve!], point);
      canonical = ecPkcs8(CURVE_OIDS[description.curve!], d, point);
    }
  } catch {
    return valuesInvalid(description.label);
  }
  if (!spki)
    return fail(
      'corrupted',
      'keyPublicMissing',
      `The ${description.label} private key is damaged: its public key is missing.`,
      { key: description.label },
    );
  return succeed({
    ...description,
    format,
    pkcs8: canonical,
    pem: toPem('PRIVATE KEY', canonical),
    spki,
  });
}

function ecPkcs8(curveOid: string, d: Uint8Array, point: Uint8Array): Uint8Array {
  const inner = new asn1js.Sequence({
    value: [
      new asn1js.Integer({ value: 1 }),
      new asn1js.OctetString({ valueHex: toArrayBuffer(d) }),
      new asn1js.Constructed({
        idBlock: { tagClass: 3, tagNumber: 1 },
        value: [new asn1js.BitString({ valueHex: toArrayBuffer(point) })],
      }),
    ],
  });
  return pkcs8Of(ecAlgorithm(curveOid), encode(inner));
}

function base64urlToBase64(s: string): string {
  return s.replace(/-/g, '+').replace(/_/g, '/');
}

/** Reads a public key from SubjectPublicKeyInfo or PKCS#1 RSAPublicKey DER. */
export function publicKeyFromDer(der: Uint8Array): Result<PublicKey> {
  const decoded = decodeDer(der, { what: 'publicKey' });
  if (!decoded.ok) return decoded;
  const kind = classifyDer(decoded.value);
  let spki = der;
  if (kind === 'pkcs1-public') {
    const [n, e] = children(decoded.value) as asn1js.Integer[];
    spki = rsaSpki(n, e);
  } else if (kind !== 'spki') {
    return fail(
      'corrupted',
      'publicKeyStructure',
      'The public key is damaged: its structure is not SubjectPublicKeyInfo.',
    );
  }
  const description = describeSpki(spki);
  if (!description.ok) return description;
  return succeed({ ...description.value, spki, pem: toPem('PUBLIC KEY', spki) });
}

/** What key a SubjectPublicKeyInfo holds; unsupported algorithms and curves are failures. */
export function describeSpki(spki: Uint8Array): Result<KeyDescription> {
  const decoded = decodeDer(spki, { what: 'publicKey' });
  if (!decoded.ok) return decoded;
  const [algId, bitString] = children(decoded.value);
  const oid = algorithmOid(algId);
  if (oid === OID.rsaEncryption && bitString instanceof asn1js.BitString) {
    const inner = decodeDer(bitString.valueBlock.valueHexView.slice(), {
      what: 'rsaPublicKey',
    });
    if (!inner.ok) return inner;
    const modulus = children(inner.value)[0];
    if (!(modulus instanceof asn1js.Integer))
      return fail('corrupted', 'rsaPublicKeyDamaged', 'The RSA public key is damaged.');
    return rsaDescription(modulus);
  }
  if (oid === OID.ecPublicKey) {
    const curveOid = curveOidOf(algId);
    const curve = curveOid ? CURVES[curveOid] : undefined;
    return curve
      ? succeed(describe('ECDSA', CURVE_BITS[curve], curve))
      : unsupportedCurve(curveOid);
  }
  return unsupportedAlgorithm(oid);
}

/**
 * The prime and the constant b of each curve (y² = x³ − 3x + b mod p), to decompress points.
 * All three primes are 3 mod 4, so a square root is one exponentiation.
 */
const CURVE_EQUATIONS: Record<NamedCurve, { readonly p: bigint; readonly b: bigint }> = {
  'P-256': {
    p: 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn,
    b: 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn,
  },
  'P-384': {
    p: 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffffn,
    b: 0xb3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aefn,
  },
  'P-521': {
    p: (1n << 521n) - 1n,
    b: 0x0051953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef109e156193951ec7e937b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b503f00n,
  },
};

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
  }
  return result;
}

/**
 * An EC public point (SEC 1 §2.3.4: uncompressed 04‖x‖y, compressed 02/03‖x) as its x and y,
 * or undefined when it is neither or not on the curve.
 */
function decodePoint(curve: NamedCurve, point: Uint8Array): { x: bigint; y: bigint } | undefined {
  const { p, b } = CURVE_EQUATIONS[curve];
  const size = Math.ceil(CURVE_BITS[curve] / 8);
  if (point[0] === 4 && point.length === 1 + 2 * size)
    return {
      x: bigintOfBytes(point.subarray(1, 1 + size)),
      y: bigintOfBytes(point.subarray(1 + size)),
    };
  if ((point[0] !== 2 && point[0] !== 3) || point.length !== 1 + size) return undefined;
  const x = bigintOfBytes(point.subarray(1));
  if (x >= p) return undefined;
  const rhs = (((x * x * x - 3n * x + b) % p) + p) % p;
  const root = modPow(rhs, (p + 1n) / 4n, p);
  if ((root * root) % p !== rhs) return undefined;
  const odd = point[0] === 3;
  return { x, y: (root & 1n) === (odd ? 1n : 0n) ? root : p - root };
}

/** Whether a SubjectPublicKeyInfo holds an EC point in compressed form (02/03‖x). */
export function isCompressedEcKey(spki: Uint8Array): boolean {
  const decoded = decodeDer(spki);
  if (!decoded.ok) return false;
  const [algId, bitString] = children(decoded.value);
  if (algorithmOid(algId) !== OID.ecPublicKey || !(bitString instanceof asn1js.BitString))
    return false;
  const first = bitString.valueBlock.valueHexView[0];
  return first === 2 || first === 3;
}

/**
 * A comparable identity of a public key: the algorithm plus the key's numbers, so that two
 * encodings of one key (with or without RSA's NULL parameters, an EC point compressed or not)
 * compare equal.
 */
function publicKeyIdentity(spki: Uint8Array): string | undefined {
  const decoded = decodeDer(spki);
  if (!decoded.ok) return undefined;
  const [algId, bitString] = children(decoded.value);
  if (!(bitString instanceof asn1js.BitString)) return undefined;
  const oid = algorithmOid(algId);
  const bits = bitString.valueBlock.valueHexView;
  if (oid === OID.rsaEncryption) {
    const inner = decodeDer(bits.slice());
    if (!inner.ok) return undefined;
    const [n, e] = children(inner.value) as asn1js.Integer[];
    return n && e ? `RSA:${toHex(unsignedIntBytes(n))}:${toHex(unsignedIntBytes(e))}` : undefined;
  }
  const curveOid = curveOidOf(algId);
  const curve = oid === OID.ecPublicKey && curveOid ? CURVES[curveOid] : undefined;
  const point = curve ? decodePoint(curve, bits) : undefined;
  if (point) return `EC:${curve}:${point.x.toString(16)}:${point.y.toString(16)}`;
  return `${oid}:${curveOid ?? ''}:${toHex(bits)}`;
}

/** Whether a private (or public) key and a certificate hold the same public key. */
export function keyMatchesCertificate(
  key: { readonly spki: Uint8Array },
  certificate: { readonly spki: Uint8Array },
): boolean {
  if (bytesEqual(key.spki, certificate.spki)) return true;
  const a = publicKeyIdentity(key.spki);
  return a !== undefined && a === publicKeyIdentity(certificate.spki);
}
