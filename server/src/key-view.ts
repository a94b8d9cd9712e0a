/**
 * Stored pairs as JocKeyPair answers: null fields omitted, `keyID` the certificate's subject,
 * `validUntil` its notAfter, and the private key only for callers allowed to see it.
 */
import type { JocKeyPair, JocKeyType } from '../../src/contract';
import { readCertificate } from '../../src/pki';
import type { StoredCa, StoredPair } from './store';

async function certificateFields(pem: string | undefined): Promise<Pick<JocKeyPair, 'keyID' | 'validUntil'>> {
  if (!pem) return {};
  const cert = await readCertificate(pem);
  return cert.ok ? { keyID: cert.value.subject, validUntil: cert.value.notAfter.toISOString() } : {};
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
