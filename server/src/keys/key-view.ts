/**
 * Stored pairs as JocKeyPair answers: null fields omitted, `keyID` the certificate's subject,
 * `validUntil` its notAfter, and the private key only for callers allowed to see it.
 */
import type { JocKeyPair, JocKeyType, JocSecurityLevel } from '../../../src/contract';
import { readCertificate } from '../../../src/pki';
import type { KeyRepository, StoredCa, StoredPair } from '../store';

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

/**
 * `/profile/key` answers as JSON text, remembered with the version of the row they are made from.
 * `/profile/key` is the console's most frequent call; reading the row's version (a few bytes)
 * instead of its ~5 kB of PEM text turned into strings is about a tenth more calls per second
 * (BENCHMARKS.md). Every call reads the version, and every write of the row, by any connection,
 * gives it a new one: an answer is never older than the database.
 */
export class PairAnswers {
  /** By owner, level and whether the private key is shown: a few per configured account. */
  private readonly remembered = new Map<
    string,
    { readonly version: string; readonly json: string }
  >();

  constructor(private readonly keys: KeyRepository) {}

  async json(owner: string, level: JocSecurityLevel, revealPrivateKey: boolean): Promise<string> {
    const version = this.keys.version(owner, level);
    if (version === undefined) return '{}';
    const slot = `${owner}\n${level}\n${revealPrivateKey ? 'private' : 'public'}`;
    const hit = this.remembered.get(slot);
    if (hit?.version === version) return hit.json;
    const pair = this.keys.get(owner, level);
    if (!pair) return '{}';
    const json = JSON.stringify(await pairAnswer(pair, revealPrivateKey));
    this.remembered.set(slot, { version: pair.version, json });
    return json;
  }
}
