import * as asn1js from 'asn1js';
import { children, decodeDer, encode, integerFromUnsigned, unsignedIntBytes } from './asn1';
import { toArrayBuffer } from './bytes';
import { describeSpki, webCryptoAlgorithm } from './key';
import type { KeyDescription, PrivateKey } from './types';

/** The signature algorithm JS7 deployment uses: SHA512withECDSA or SHA256withRSA. */
function signatureParams(
  key: Pick<KeyDescription, 'algorithm'>,
): AlgorithmIdentifier | EcdsaParams {
  return key.algorithm === 'RSA'
    ? { name: 'RSASSA-PKCS1-v1_5' }
    : { name: 'ECDSA', hash: 'SHA-512' };
}

function coordinateLength(key: Pick<KeyDescription, 'curve'>): number {
  return key.curve === 'P-521' ? 66 : key.curve === 'P-384' ? 48 : 32;
}

/** WebCrypto's r||s form to the DER SEQUENCE Java (and OpenSSL) write for ECDSA. */
export function p1363ToDer(signature: Uint8Array): Uint8Array {
  const half = signature.length / 2;
  return encode(
    new asn1js.Sequence({
      value: [
        integerFromUnsigned(signature.slice(0, half)),
        integerFromUnsigned(signature.slice(half)),
      ],
    }),
  );
}

/** DER ECDSA signature to WebCrypto's r||s form; `undefined` when it is not one. */
export function derToP1363(der: Uint8Array, length: number): Uint8Array | undefined {
  const node = decodeDer(der);
  if (!node.ok) return undefined;
  const [r, s] = children(node.value);
  if (!(r instanceof asn1js.Integer) || !(s instanceof asn1js.Integer)) return undefined;
  const out = new Uint8Array(length * 2);
  const rb = unsignedIntBytes(r);
  const sb = unsignedIntBytes(s);
  if (rb.length > length || sb.length > length) return undefined;
  out.set(rb, length - rb.length);
  out.set(sb, 2 * length - sb.length);
  return out;
}

/**
 * Signs bytes as JS7 deployment does (SHA512withECDSA with a DER signature, or SHA256withRSA),
 * so `openssl dgst -sha512 -verify` (or `-sha256` for RSA) accepts the result.
 */
export async function signDocument(key: PrivateKey, data: Uint8Array): Promise<Uint8Array> {
  const cryptoKey = await crypto.subtle.importKey(
    'pkcs8',
    toArrayBuffer(key.pkcs8),
    webCryptoAlgorithm(key),
    false,
    ['sign'],
  );
  const signature = new Uint8Array(
    await crypto.subtle.sign(signatureParams(key), cryptoKey, toArrayBuffer(data)),
  );
  return key.algorithm === 'ECDSA' ? p1363ToDer(signature) : signature;
}

/** Verifies a signature made by {@link signDocument} with a certificate's or public key's key. */
export async function verifyDocument(
  publicMaterial: { readonly spki: Uint8Array },
  data: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  const described = describeSpki(publicMaterial.spki);
  if (!described.ok) return false;
  const key = described.value;
  try {
    const cryptoKey = await crypto.subtle.importKey(
      'spki',
      toArrayBuffer(publicMaterial.spki),
      webCryptoAlgorithm(key),
      false,
      ['verify'],
    );
    const raw =
      key.algorithm === 'ECDSA' ? derToP1363(signature, coordinateLength(key)) : signature;
    if (!raw) return false;
    return await crypto.subtle.verify(
      signatureParams(key),
      cryptoKey,
      toArrayBuffer(raw),
      toArrayBuffer(data),
    );
  } catch {
    return false;
  }
}
