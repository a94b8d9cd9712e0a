/**
 * Stored pairs as JocKeyPair answers: null fields omitted, `keyID` the certificate's subject,
 * `validUntil` its notAfter, and the private key only for callers allowed to see it.
 */
import type { JocKeyPair, JocKeyType } from '../../../src/contract';
import { readCertificate } from '../../../src/pki';
import type { StoredCa, StoredPair } from '../store';

type Answer = JocKeyPair | Record<string, never>;

/** A signing key pair as answered by `/profile/key` and `/profile/key/generate`. */
export async function pairAnswer(
  pair: StoredPair | undefined,
  revealPrivateKey: boolean,
): Promise<Answer> {
  if (!pair) return {};
  // As real JOC Cockpit answers (ShowKeyImpl): a certificate or public key alone is "PUBLIC".
  const keyType: JocKeyType = pair.privateKey ? 'PRIVATE' : 'PUBLIC';
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
export async function caAnswer(
  ca: StoredCa | undefined,
  revealPrivateKey: boolean,
): Promise<Answer> {
  if (!ca || (!ca.privateKey && !ca.certificate)) return {};
  return {
    ...(ca.privateKey && revealPrivateKey ? { privateKey: ca.privateKey } : {}),
    ...(await certificateFields(ca.certificate)),
    ...(ca.certificate ? { certificate: ca.certificate } : {}),
    keyType: 'CA',
    keyAlgorithm: 'ECDSA',
  };
}

async function certificateFields(
  pem: string | undefined,
): Promise<Pick<JocKeyPair, 'keyID' | 'validUntil'>> {
  if (!pem) return {};
  const cert = await readCertificate(pem);
  return cert.ok
    ? { keyID: cert.value.subject, validUntil: cert.value.notAfter.toISOString() }
    : {};
}

interface Remembered {
  readonly pair: StoredPair;
  readonly json: string;
}

const samePair = (a: StoredPair, b: StoredPair) =>
  a.certificate === b.certificate &&
  a.privateKey === b.privateKey &&
  a.publicKey === b.publicKey &&
  a.keyAlgorithm === b.keyAlgorithm;

/**
 * `/profile/key` answers as JSON text, remembered by the stored text they are made from. Parsing
 * the certificate and serialising the answer cost more than reading the row, and `/profile/key`
 * is the console's most frequent call. The caller reads the row on every call and passes it in,
 * so an answer is never older than the database: a changed row simply misses.
 */
export class PairAnswers {
  /** Without and with the private key, by the pair's certificate (else public, else private key). */
  private readonly remembered = [new Map<string, Remembered>(), new Map<string, Remembered>()];

  constructor(private readonly size = 256) {}

  async json(pair: StoredPair | undefined, revealPrivateKey: boolean): Promise<string> {
    if (!pair) return '{}';
    const remembered = this.remembered[revealPrivateKey ? 1 : 0];
    const key = pair.certificate ?? pair.publicKey ?? pair.privateKey ?? '';
    const hit = remembered.get(key);
    if (hit && samePair(hit.pair, pair)) return hit.json;
    const json = JSON.stringify(await pairAnswer(pair, revealPrivateKey));
    if (!hit && remembered.size >= this.size) remembered.delete(remembered.keys().next().value!);
    remembered.set(key, { pair, json });
    return json;
  }
}
