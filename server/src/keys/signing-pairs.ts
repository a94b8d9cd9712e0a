/**
 * What a signing key call stores: each function makes one decision (what a file replaces, what
 * the PKI core accepts, which subject, issuer and expiry a new certificate gets). Only PEM text
 * the PKI core has checked leaves here; every refusal is an ApiError with a person's message.
 */
import type { JocKeyPair } from '../../../src/contract';
import {
  checkPublicMaterial,
  checkSigningPair,
  declaredAlgorithm,
  formatDn,
  keyMatchesCertificate,
  parseDn,
  readCertificate,
  readPublicKey,
  type Certificate,
  type KeyMaterial,
  type PrivateKey,
} from '../../../src/pki';
import { failureToApiError, invalid, orThrow } from '../http/errors';
import { MAX_MAIN_THREAD_BYTES } from './decrypt-off-thread';
import type { StoredAlgorithm, StoredPair } from '../store';

const DAY_MS = 24 * 3600 * 1000;

/** PEM text given for a pair (a request's fields, or what an import merged), not yet checked. */
interface GivenPair {
  readonly privateKey?: string;
  readonly publicKey?: string;
  readonly certificate?: string;
}

const refuse = (
  reason:
    | 'public-key-not-private'
    | 'private-key-not-public'
    | 'unsupported-algorithm'
    | 'key-certificate-mismatch',
  message: string,
) => failureToApiError({ reason, message });

/** The algorithm a request names: only ECDSA and RSA are supported (JOC-414 otherwise; the PKI core's words). */
export function requestedAlgorithm(value: string): StoredAlgorithm {
  const declared = orThrow(declaredAlgorithm(value));
  if (!declared)
    throw refuse('unsupported-algorithm', 'No key algorithm was given: use ECDSA or RSA.');
  return declared;
}

/**
 * The most certificates stored with a key: the certificate and its chain up to the root. Each is
 * read again by every /profile/key/check; a megabyte of them costs seconds of CPU per
 * call, and no real chain is that long.
 */
export const MAX_CHAIN_CERTIFICATES = 10;

/** Refuses more certificates than a chain has; counted before they are read. */
function checkChainLength(count: number): void {
  if (count > MAX_CHAIN_CERTIFICATES)
    throw invalid(
      'JOC-411',
      `Certificate: ${count} certificates were given; give the certificate and its chain, at most ${MAX_CHAIN_CERTIFICATES}.`,
    );
}

/**
 * The most certificate text stored with a key, or as the SSL CA's certificate. The count alone
 * does not bound the work: a certificate can carry thousands of alternative names, and every
 * /profile/key/check, a call any account with view may send, reads the stored ones again. A real
 * chain of ten RSA-4096 certificates is about 20 kB.
 */
export const MAX_CHAIN_CHARS = 64 * 1024;

/** Refuses more certificate text than a chain has; measured before it is read. */
export function checkChainSize(chars: number): void {
  if (chars > MAX_CHAIN_CHARS)
    throw invalid(
      'JOC-411',
      `Certificate: ${Math.ceil(chars / 1024)} kB of certificates were given; a certificate with its chain is at most ${MAX_CHAIN_CHARS / 1024} kB.`,
    );
}

/**
 * The characters of `text` inside its PEM blocks (BEGIN line to END line): what is stored of it.
 * Text around the blocks (`openssl x509 -text` dumps, which `openssl ca` writes by default, bag
 * attributes, comments) is not stored and does not count. Without a block: the whole text.
 */
export function pemBlocksLength(text: string | undefined): number {
  if (!text) return 0;
  let length = 0;
  let at = text.indexOf('-----BEGIN ');
  if (at < 0) return text.length;
  while (at >= 0) {
    const end = text.indexOf('-----END ', at);
    const close = end < 0 ? -1 : text.indexOf('-----', end + 9);
    const after = close < 0 ? text.length : close + 5;
    length += after - at;
    at = text.indexOf('-----BEGIN ', after);
  }
  return length;
}

/**
 * The most text of a key field (a key, perhaps with its certificate and chain) read on the event
 * loop: as much as an upload read there (decrypt-off-thread.ts). Every block in it is parsed.
 */
export function checkKeyTextSize(field: string, text: string | undefined): void {
  if ((text?.length ?? 0) > MAX_MAIN_THREAD_BYTES)
    throw invalid(
      'JOC-411',
      `${field}: ${Math.ceil(text!.length / 1024)} kB of text were given; a key with its certificate and chain is at most ${MAX_MAIN_THREAD_BYTES / 1024} kB.`,
    );
}

/** The PEM certificate blocks in `text` (not certificate requests), without reading them. */
function pemCertificateCount(text: string | undefined): number {
  let count = 0;
  for (const [, label] of (text ?? '').matchAll(/-----BEGIN ([A-Z0-9 ]*)-----/g))
    if (label.endsWith('CERTIFICATE')) count++;
  return count;
}

/** A private key and its certificate (if any) as stored (LOW, MEDIUM), once the PKI core accepts them. */
async function checkedSigningPair(
  given: GivenPair,
  keyAlgorithm: string,
  now: Date,
): Promise<{ pair: StoredPair; key: PrivateKey }> {
  const checked = orThrow(
    await checkSigningPair({
      privateKey: given.privateKey,
      certificate: given.certificate,
      keyAlgorithm,
      now,
    }),
  );
  // The certificate for the key alone, as canonical PEM (certificateFor): JOC hands it to the
  // Controllers as it is, and they read one.
  return {
    pair: {
      keyAlgorithm: checked.key.algorithm,
      privateKey: checked.key.pem,
      certificate: checked.certificate?.pem,
    },
    key: checked.key,
  };
}

/** A public key and/or certificate as stored (HIGH), once the PKI core accepts them. */
async function checkedPublicPair(
  given: GivenPair,
  keyAlgorithm: string,
  now: Date,
): Promise<StoredPair> {
  const checked = orThrow(
    await checkPublicMaterial({
      publicKey: given.publicKey,
      certificate: given.certificate,
      keyAlgorithm,
      now,
    }),
  );
  const algorithm = checked.key?.algorithm ?? checked.certificate?.publicKey.algorithm;
  if (algorithm !== 'RSA' && algorithm !== 'ECDSA')
    throw refuse('unsupported-algorithm', 'The key is neither ECDSA nor RSA.');
  return {
    keyAlgorithm: algorithm,
    publicKey: checked.key?.pem,
    certificate: checked.certificate?.pem,
  };
}

/**
 * `/profile/key/store` where private keys are stored (LOW, MEDIUM): the private key is required
 * (a public key alone is refused), and a public key given beside it must belong to it.
 */
export async function signingPairToSave(
  keys: JocKeyPair,
  level: string,
  now: Date,
): Promise<StoredPair> {
  checkChainLength(pemCertificateCount(keys.certificate));
  checkChainSize(pemBlocksLength(keys.certificate));
  checkKeyTextSize('Private key', keys.privateKey);
  checkKeyTextSize('Public key', keys.publicKey);
  if (!keys.privateKey?.trim() && keys.publicKey?.trim()) {
    throw refuse(
      'public-key-not-private',
      `A public key was given, but at security level ${level} the private key is stored: JS7 signs deployments with it.`,
    );
  }
  const { pair, key } = await checkedSigningPair(keys, keys.keyAlgorithm, now);
  if (keys.publicKey?.trim()) {
    const publicKey = await readPublicKey(keys.publicKey);
    if (!publicKey.ok)
      throw failureToApiError({ ...publicKey, message: `Public key: ${publicKey.message}` });
    if (!keyMatchesCertificate(key, publicKey.value))
      throw refuse(
        'key-certificate-mismatch',
        'Public key: the public key does not belong to this private key.',
      );
  }
  return pair;
}

/** `/profile/key/store` at HIGH: a public key and/or certificate; a private key is refused. */
export async function publicPairToSave(keys: JocKeyPair, now: Date): Promise<StoredPair> {
  checkChainLength(pemCertificateCount(keys.certificate));
  checkChainSize(pemBlocksLength(keys.certificate));
  checkKeyTextSize('Public key', keys.publicKey);
  if (keys.privateKey?.trim()) {
    throw refuse(
      'private-key-not-public',
      'At security level HIGH private keys stay outside JOC Cockpit: give the public key or the certificate, not the private key.',
    );
  }
  return checkedPublicPair(keys, keys.keyAlgorithm, now);
}

const certificatesPem = (certificates: readonly Certificate[]) =>
  certificates.length ? certificates.map((c) => c.pem).join('') : undefined;

/** The stored certificate, kept only when it certifies `key`. */
async function keptCertificate(
  stored: string | undefined,
  key: { readonly spki: Uint8Array },
): Promise<string | undefined> {
  if (!stored) return undefined;
  const cert = await readCertificate(stored);
  return cert.ok && keyMatchesCertificate(key, cert.value) ? stored : undefined;
}

/** The stored public key, kept only when `certificate` certifies it. */
async function keptPublicKey(
  stored: string | undefined,
  certificate: Certificate | undefined,
): Promise<string | undefined> {
  if (!stored || !certificate) return undefined;
  const key = await readPublicKey(stored);
  return key.ok && keyMatchesCertificate(key.value, certificate) ? stored : undefined;
}

/**
 * What an imported file replaces where private keys are stored (LOW, MEDIUM): a private key
 * replaces the stored key (the stored certificate stays only if it belongs to the new key);
 * certificates replace the stored certificate and need a stored private key; a public key alone
 * is refused.
 */
async function signingPairFromFile(
  material: KeyMaterial,
  stored: StoredPair | undefined,
  level: string,
): Promise<GivenPair> {
  const fileCertificates = certificatesPem(material.certificates);
  if (material.privateKey) {
    return {
      privateKey: material.privateKey.pem,
      certificate:
        fileCertificates ?? (await keptCertificate(stored?.certificate, material.privateKey)),
    };
  }
  if (!fileCertificates) {
    throw refuse(
      'public-key-not-private',
      `The file holds a public key, but at security level ${level} the private key is stored: import the private key file.`,
    );
  }
  if (!stored?.privateKey)
    throw invalid(
      'JOC-406',
      'No private key is stored yet: import the private key first, then its certificate.',
    );
  return { privateKey: stored.privateKey, certificate: fileCertificates };
}

/**
 * What an imported file replaces at HIGH: a public key replaces the stored one (the stored
 * certificate stays only if it certifies it); certificates replace the stored certificate (the
 * stored public key stays only if the new certificate certifies it); a private key is refused.
 */
async function publicPairFromFile(
  material: KeyMaterial,
  stored: StoredPair | undefined,
): Promise<GivenPair> {
  if (material.privateKey) {
    throw refuse(
      'private-key-not-public',
      'The file holds a private key. At security level HIGH private keys stay outside JOC Cockpit: import the public key or the certificate.',
    );
  }
  const fileCertificates = certificatesPem(material.certificates);
  if (material.publicKey) {
    return {
      publicKey: material.publicKey.pem,
      certificate:
        fileCertificates ?? (await keptCertificate(stored?.certificate, material.publicKey)),
    };
  }
  return {
    publicKey: await keptPublicKey(stored?.publicKey, material.certificates[0]),
    certificate: fileCertificates,
  };
}

/** `/profile/key/import`: the stored pair merged with what the file holds, once the PKI core accepts it. */
export async function importedPair(
  material: KeyMaterial,
  stored: StoredPair | undefined,
  rules: { readonly level: string; readonly storesPrivateKey: boolean },
  keyAlgorithm: string,
  now: Date,
): Promise<StoredPair> {
  checkChainLength(material.certificates.length);
  checkChainSize(material.certificates.reduce((sum, c) => sum + c.pem.length, 0));
  if (rules.storesPrivateKey)
    return (
      await checkedSigningPair(
        await signingPairFromFile(material, stored, rules.level),
        keyAlgorithm,
        now,
      )
    ).pair;
  return checkedPublicPair(await publicPairFromFile(material, stored), keyAlgorithm, now);
}

/** A generated certificate's notAfter: `validUntil` (a future date), else +2 years from the SSL CA, else +365 days. */
export function generatedNotAfter(
  validUntil: string | undefined,
  useSslCa: boolean,
  now: Date,
): Date {
  if (validUntil) {
    const notAfter = new Date(validUntil);
    if (Number.isNaN(notAfter.getTime()))
      throw invalid('JOC-411', `validUntil "${validUntil}" is not a date.`);
    if (notAfter.getTime() <= now.getTime()) {
      throw invalid(
        'JOC-411',
        `validUntil ${notAfter.toISOString()} is not in the future: choose a later date for the certificate to expire.`,
      );
    }
    return notAfter;
  }
  if (!useSslCa) return new Date(now.getTime() + 365 * DAY_MS);
  const notAfter = new Date(now);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + 2);
  return notAfter;
}

/** A generated certificate's subject: `dn` when given, else CN=<account> (with OU=JOC,O=JS7 when self-signed). */
export function generatedSubject(
  dn: string | undefined,
  account: string,
  useSslCa: boolean,
): string {
  if (dn !== undefined && dn.trim() !== '') return orThrow(parseDn(dn));
  const cn = { oid: '2.5.4.3', name: 'CN', value: account };
  return useSslCa
    ? formatDn([cn])
    : formatDn([
        cn,
        { oid: '2.5.4.11', name: 'OU', value: 'JOC' },
        { oid: '2.5.4.10', name: 'O', value: 'JS7' },
      ]);
}
