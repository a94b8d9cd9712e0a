import { keyMatchesCertificate } from './key';
import { readCertificates, readPrivateKey, readPublicKey } from './inspect';
import { fail, formatUtc, inField, succeed, warn } from './result';
import type { Certificate, Failure, PrivateKey, PublicKey, Result, Warning } from './types';

/**
 * The algorithm a request declares, checked: `undefined` when none was declared. Case and the
 * spaces around it do not count (" ecdsa " from a script is ECDSA), for every request that names one.
 */
export function declaredAlgorithm(
  keyAlgorithm: string | undefined,
): Result<'RSA' | 'ECDSA' | undefined> {
  if (keyAlgorithm === undefined || keyAlgorithm.trim() === '') return succeed(undefined);
  const upper = keyAlgorithm.trim().toUpperCase();
  if (upper === 'RSA' || upper === 'ECDSA') return succeed(upper);
  if (upper === 'PGP' || upper === 'MLDSA' || upper === 'ML-DSA') {
    const algorithm = upper === 'PGP' ? 'PGP' : 'ML-DSA';
    return fail(
      'unsupported-algorithm',
      'declaredUnsupported',
      `${algorithm} keys are not supported: use ECDSA or RSA.`,
      { algorithm },
    );
  }
  return fail(
    'unsupported-algorithm',
    'declaredUnknown',
    `"${keyAlgorithm}" is not a key algorithm: use ECDSA or RSA.`,
    { algorithm: keyAlgorithm },
  );
}

function contradicts(
  declared: 'RSA' | 'ECDSA' | undefined,
  key: { algorithm: string; label: string },
): Failure | undefined {
  return declared && declared !== key.algorithm
    ? fail(
        'algorithm-mismatch',
        'algorithmMismatch',
        `The key algorithm was given as ${declared}, but the key is an ${key.label} key.`,
        { declared, key: key.label },
      )
    : undefined;
}

/** Checks a certificate's dates; a certificate not valid yet is accepted with a warning. */
function checkDates(certificate: Certificate, now: Date, warnings: Warning[]): Failure | undefined {
  if (certificate.notAfter.getTime() < now.getTime()) {
    const date = formatUtc(certificate.notAfter);
    return fail(
      'expired',
      'certificateExpired',
      `Certificate: the certificate expired on ${date}.`,
      // The moment itself beside its UTC text: the console writes it in the person's zone.
      { date, at: certificate.notAfter.toISOString() },
    );
  }
  if (certificate.notBefore.getTime() > now.getTime()) {
    const date = formatUtc(certificate.notBefore);
    warnings.push(
      warn(
        'certificateNotYetValid',
        `The certificate is not valid until ${date}; deployments signed before then fail on Controllers and Agents that check certificate dates.`,
        { date, at: certificate.notBefore.toISOString() },
      ),
    );
  }
  return undefined;
}

async function readLeaf(text: string): Promise<Result<Certificate>> {
  const certificates = await readCertificates(text);
  return certificates.ok ? succeed(certificates.value[0]) : inField('certificate', certificates);
}

/**
 * The certificate to store from those given: the one for `key`, in whatever order a chain came
 * (`.p7b` exports and "full chain" files put the CA first); without a key, the one no other
 * given certificate names as its issuer. JOC hands the stored certificate to the Controllers as
 * it is, and they read one: the CA certificates are theirs to hold.
 *
 * Several certificates for the key come from a keystore beside the CA's reply (keytool's
 * self-signed placeholder and the certificate the CA issued) or beside a renewal: the one meant
 * is valid at `now`, issued by a CA rather than self-signed, and the last to end.
 */
export function certificateFor(
  key: { readonly spki: Uint8Array } | undefined,
  certificates: readonly Certificate[],
  now = new Date(),
): Certificate | undefined {
  if (key) {
    const own = certificatesOfKey(key, certificates);
    return own.length
      ? own.reduce((best, c) => (preferred(c, best, now) ? c : best))
      : certificates[0];
  }
  return (
    certificates.find((c) => !certificates.some((o) => o !== c && o.issuer === c.subject)) ??
    certificates[0]
  );
}

/** The certificates given that belong to `key`. */
export function certificatesOfKey(
  key: { readonly spki: Uint8Array },
  certificates: readonly Certificate[],
): Certificate[] {
  return certificates.filter((c) => keyMatchesCertificate(key, c));
}

/** Whether `a` is meant rather than `b` (see {@link certificateFor}). */
function preferred(a: Certificate, b: Certificate, now: Date): boolean {
  const rank = (c: Certificate) => [
    c.notBefore.getTime() <= now.getTime() && now.getTime() <= c.notAfter.getTime() ? 1 : 0,
    c.selfIssued ? 0 : 1,
    c.notAfter.getTime(),
  ];
  const [x, y] = [rank(a), rank(b)];
  const differs = x.findIndex((v, i) => v !== y[i]);
  return differs >= 0 && x[differs] > y[differs];
}

/** Where the certificates left out were given: pasted text, one file (a .p12, a PEM chain), or several files. */
export type CertificateSource = 'text' | 'file' | 'files';

const SOURCES: Record<CertificateSource, string> = {
  text: 'the text',
  file: 'the file',
  files: 'the files',
};

/** Says that the other certificates given with `stored` are not stored, when there are any. */
export function certificatesLeftOut(
  stored: Certificate,
  given: readonly Certificate[],
  source: CertificateSource = 'text',
): Warning | undefined {
  const count = given.length - 1;
  return count > 0
    ? warn(
        'certificatesLeftOut',
        `Only the certificate ${stored.subject} is stored, not the ${count === 1 ? 'other certificate' : `${count} other certificates`} in ${SOURCES[source]}: JOC hands the stored certificate to the Controllers, which read one. Each Controller and Agent holds the CA certificate itself.`,
        { subject: stored.subject, count, source },
      )
    : undefined;
}

/** The certificate to store for `key` from `text` (see {@link certificateFor}), with a warning for the rest. */
async function readCertificateFor(
  text: string,
  key: { readonly spki: Uint8Array } | undefined,
  now: Date | undefined,
): Promise<Result<Certificate>> {
  const certificates = await readCertificates(text);
  if (!certificates.ok) return inField('certificate', certificates);
  const chosen = certificateFor(key, certificates.value, now)!;
  const leftOut = certificatesLeftOut(chosen, certificates.value);
  return succeed(chosen, leftOut ? [leftOut] : []);
}

/**
 * A PKCS#12 file where a pasted private key belongs (base64, as key vaults hand out .pfx files):
 * pasting has no password field, Import has.
 */
export function pkcs12WherePasted(): Failure {
  return fail(
    'pkcs12',
    'privateKeyIsPkcs12',
    'Private key: this is a PKCS#12 file. Use Import and give its password.',
  );
}

const isBlank = (s: string | undefined): s is undefined => s === undefined || s.trim() === '';

/**
 * The rules for storing a signing key pair (contract section 4, with our stricter checks):
 * a private key is required; a certificate, when given, must belong to it and not be expired;
 * RSA needs 2048 bits or more; a declared algorithm must be the key's.
 */
export async function checkSigningPair(input: {
  privateKey?: string;
  certificate?: string;
  keyAlgorithm?: string;
  now?: Date;
}): Promise<Result<{ key: PrivateKey; certificate?: Certificate }>> {
  const declared = declaredAlgorithm(input.keyAlgorithm);
  if (!declared.ok) return declared;
  if (isBlank(input.privateKey))
    return fail('empty', 'privateKeyMissing', 'No private key was provided.');
  const key = await readPrivateKey(input.privateKey);
  if (!key.ok) {
    if (key.reason === 'encrypted-key') {
      return fail(
        'encrypted-key',
        'privateKeyEncrypted',
        'Private key: the key is encrypted. Enter its passphrase in the console (it is decrypted in the browser), or use Import with its password.',
      );
    }
    if (key.reason === 'pkcs12') return pkcs12WherePasted();
    return inField('privateKey', key);
  }
  let certificate: Certificate | undefined;
  const warnings: Warning[] = [...key.warnings];
  if (!isBlank(input.certificate)) {
    const leaf = await readCertificateFor(input.certificate, key.value, input.now);
    if (!leaf.ok) return leaf;
    certificate = leaf.value;
    warnings.push(...leaf.warnings);
  }
  const verified = verifySigningPair(key.value, certificate, input);
  return verified.ok ? succeed(verified.value, [...warnings, ...verified.warnings]) : verified;
}

/**
 * The store rules over a key and certificate already read (what the Update dialog holds after
 * each keystroke): algorithm as declared, certificate belongs to the key and is not expired.
 */
export function verifySigningPair(
  key: PrivateKey,
  certificate: Certificate | undefined,
  options: { keyAlgorithm?: string; now?: Date } = {},
): Result<{ key: PrivateKey; certificate?: Certificate }> {
  const declared = declaredAlgorithm(options.keyAlgorithm);
  if (!declared.ok) return declared;
  const mismatch = contradicts(declared.value, key);
  if (mismatch) return mismatch;
  if (!certificate) return succeed({ key });
  const warnings: Warning[] = [];
  const dates = checkDates(certificate, options.now ?? new Date(), warnings);
  if (dates) return dates;
  if (!keyMatchesCertificate(key, certificate)) {
    return fail(
      'key-certificate-mismatch',
      'pairMismatch',
      `Certificate: the certificate (${certificate.subject}) does not belong to this private key: its public key is a different one.`,
      { subject: certificate.subject },
    );
  }
  return succeed({ key, certificate }, warnings);
}

/**
 * The rules at security level HIGH: only a public key and/or a certificate; a private key is
 * refused because signing happens outside the console.
 */
export async function checkPublicMaterial(input: {
  publicKey?: string;
  certificate?: string;
  keyAlgorithm?: string;
  now?: Date;
}): Promise<Result<{ key?: PublicKey; certificate?: Certificate }>> {
  const now = input.now ?? new Date();
  const declared = declaredAlgorithm(input.keyAlgorithm);
  if (!declared.ok) return declared;
  if (isBlank(input.publicKey) && isBlank(input.certificate))
    return fail('empty', 'publicMaterialMissing', 'No public key or certificate was provided.');
  const warnings: Warning[] = [];
  let key: PublicKey | undefined;
  if (!isBlank(input.publicKey)) {
    const read = await readPublicKey(input.publicKey);
    if (!read.ok) {
      return read.reason === 'private-key-not-public'
        ? fail(
            'private-key-not-public',
            'publicKeyIsPrivateHigh',
            'Public key: this is a private key. At security level HIGH private keys stay outside the console: give the public key or the certificate.',
          )
        : inField('publicKey', read);
    }
    key = read.value;
    const mismatch = contradicts(declared.value, key);
    if (mismatch) return mismatch;
  }
  if (isBlank(input.certificate)) return succeed({ key }, warnings);
  const certificate = await readCertificateFor(input.certificate, key, now);
  if (!certificate.ok) return certificate;
  warnings.push(...certificate.warnings);
  const dates = checkDates(certificate.value, now, warnings);
  if (dates) return dates;
  const mismatch = contradicts(declared.value, certificate.value.publicKey);
  if (mismatch) return mismatch;
  if (key && !keyMatchesCertificate(key, certificate.value)) {
    return fail(
      'key-certificate-mismatch',
      'publicPairMismatch',
      'Certificate: the certificate does not belong to this public key.',
    );
  }
  return succeed({ key, certificate: certificate.value }, warnings);
}

/** The rules for the SSL CA: an ECDSA private key and its CA certificate, not expired. */
export async function checkCaPair(input: {
  privateKey?: string;
  certificate?: string;
  now?: Date;
}): Promise<Result<{ key: PrivateKey; certificate: Certificate }>> {
  if (isBlank(input.privateKey))
    return fail('empty', 'caPrivateKeyMissing', 'No private key was provided for the CA.');
  if (isBlank(input.certificate))
    return fail('empty', 'caCertificateMissing', 'No certificate was provided for the CA.');
  const key = await readPrivateKey(input.privateKey);
  if (!key.ok) return inField('privateKey', key);
  const certificate = await readLeaf(input.certificate);
  if (!certificate.ok) return certificate;
  const verified = verifyCaPair(key.value, certificate.value, input.now);
  return verified.ok ? succeed(verified.value, [...key.warnings, ...verified.warnings]) : verified;
}

/** The SSL CA rules over a key and certificate already read. */
export function verifyCaPair(
  key: PrivateKey,
  certificate: Certificate,
  now = new Date(),
): Result<{ key: PrivateKey; certificate: Certificate }> {
  if (key.algorithm !== 'ECDSA') {
    return fail(
      'unsupported-algorithm',
      'caNotEcdsa',
      `Private key: the SSL CA must be an ECDSA key; this is an ${key.label} key.`,
      { key: key.label },
    );
  }
  const warnings: Warning[] = [];
  const dates = checkDates(certificate, now, warnings);
  if (dates) return dates;
  if (!certificate.isCa) {
    return fail(
      'not-a-ca',
      'notACa',
      'Certificate: this is not a CA certificate (basicConstraints CA:true is missing), so it cannot sign other certificates.',
    );
  }
  if (!keyMatchesCertificate(key, certificate)) {
    return fail(
      'key-certificate-mismatch',
      'caPairMismatch',
      `Certificate: the CA certificate (${certificate.subject}) does not belong to this private key.`,
      { subject: certificate.subject },
    );
  }
  return succeed({ key, certificate }, warnings);
}
