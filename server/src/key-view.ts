/**
 * Stored pairs as JocKeyPair answers: null fields omitted, `keyID` the certificate's subject,
 * `validUntil` its notAfter, and the private key only for callers allowed to see it.
 */
import type { JocKeyPair, JocKeyType } from '../../src/contract';
import { readCertificate } from '../../src/pki';
import type { StoredCa, StoredPair } from './store';

type CertificateFields = Pick<JocKeyPair, 'keyID' | 'validUntil'>;

/**
 * Parsed fields by certificate PEM. `/profile/key` is the console's most frequent call and the
 * parse dominated it (see BENCHMARKS.md); a stored PEM never changes, so its fields never do.
 */
const fieldsCache = new Map<string, CertificateFields>();
const FIELDS_CACHE_SIZE = 256;

async function certificateFields(pem: string | undefined): Promise<CertificateFields> {
  if (!pem) return {};
  const cached = fieldsCache.get(pem);
  if (cached) return cached;
  const cert = await readCertificate(pem);
  const fields: CertificateFields = cert.ok ? { keyID: cert.value.subject, validUntil: cert.value.notAfter.toISOString() } : {};
  if (fieldsCache.size >= FIELDS_CACHE_SIZE) fieldsCache.delete(fieldsCache.keys().next().value!);
  fieldsCache.set(pem, fields);
  return fields;
}

/** A signing key pair as answered by `/profile/key` and `/profile/key/generate`. */
export async function pairAnswer(pair: StoredPair | undefined, revealPrivateKey: boolean): Promise<JocKeyPair | Record<string, never>> {
  if (!pair) return {};
  const keyType: JocKeyType = pair.privateKey ? 'PRIVATE' : pair.certificate ? 'X509' : 'PUBLIC';
  return {
    ...(pair.privateKey && revealPrivateKey ? { privateKey: pair.privateKey } : {}),
    ...(pair.publicKey ? { publicKey: pair.publicKey } : {}),
    ...(await certificateFields(pair.certificate)),
    ...(pair.certificate ? { certificate: pair.certificate } : {}),
    keyType,
    keyAlgorithm: pair.keyAlgorithm,
  };
}

/** The SSL CA as answered by `/profile/ca` and `/profile/ca/generate`. */
export async function caAnswer(ca: StoredCa | undefined, revealPrivateKey: boolean): Promise<JocKeyPair | Record<string, never>> {
  if (!ca || (!ca.privateKey && !ca.certificate)) return {};
  return {
    ...(ca.privateKey && revealPrivateKey ? { privateKey: ca.privateKey } : {}),
    ...(await certificateFields(ca.certificate)),
    ...(ca.certificate ? { certificate: ca.certificate } : {}),
    keyType: 'CA',
    keyAlgorithm: 'ECDSA',
  };
}
