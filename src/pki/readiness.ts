/**
 * The deployment readiness check: will Controllers and Agents accept what this key signs?
 * The same code answers `/profile/key/check` on the embedded server and runs in the browser
 * against a real JOC Cockpit, which lacks that call: both hand {@link storedKeyReadiness} the PEM
 * text they have (the server from its database, the browser from `/profile/key` and `/profile/ca`).
 */
import * as pkijs from 'pkijs';
import { toArrayBuffer } from './bytes';
import { certificateStatus } from './certificate';
import { readCertificate, readCertificates, readPrivateKey, readPublicKey } from './inspect';
import { keyMatchesCertificate } from './key';
import { formatUtc } from './result';
import type { PkiCode } from './codes';
import { signDocument, verifyDocument } from './sign';
import type { Certificate, PkiParams, PrivateKey, PublicKey } from './types';

export type ReadinessCheckId =
  | 'key-present'
  | 'certificate-present'
  | 'pair-match'
  | 'valid-now'
  | 'valid-beyond-warning'
  | 'issuer'
  | 'issuer-valid'
  | 'sign-verify';

export interface ReadinessCheck {
  readonly id: ReadinessCheckId;
  readonly ok: boolean;
  /** The message's code (catalog key `pki.<code>`) and values, for the person's language. */
  readonly code: PkiCode;
  readonly params: PkiParams;
  /** Written for a person, in English: what was found, and what to do when it failed. */
  readonly message: string;
}

export interface ReadinessInput {
  readonly privateKey?: PrivateKey;
  readonly publicKey?: PublicKey;
  /** The stored certificate and any chain given with it, leaf first. */
  readonly certificates: readonly Certificate[];
  /** The SSL CA's certificate, when one is configured. */
  readonly sslCa?: Certificate;
  readonly now: Date;
  /** Days before expiry from which a certificate counts as expiring. */
  readonly warnDays: number;
  /** False at security level HIGH: signing happens outside, so the sample signature is not tried. */
  readonly signsHere: boolean;
}

const check = (
  id: ReadinessCheckId,
  ok: boolean,
  code: PkiCode,
  message: string,
  params: PkiParams = {},
): ReadinessCheck => ({ id, ok, code, params, message });
const day = (d: Date) => formatUtc(d).slice(0, 10);
/** `1 day`, `5 days`. */
const days = (n: number) => `${n} ${n === 1 ? 'day' : 'days'}`;

/** Which certificate a validity check is about: a catalog `select` value and its English. */
type Which =
  | { readonly what: 'certificate' }
  | { readonly what: 'selfSigned' }
  | { readonly what: 'ca'; readonly subject: string };
const WHICH = (w: Which) =>
  w.what === 'certificate'
    ? 'The certificate'
    : w.what === 'selfSigned'
      ? 'The self-signed certificate'
      : `The CA certificate "${w.subject}"`;

/** Whether `issuer`'s key made the signature on `certificate`. */
export async function signedBy(certificate: Certificate, issuer: Certificate): Promise<boolean> {
  try {
    const subject = pkijs.Certificate.fromBER(toArrayBuffer(certificate.der));
    return await subject.verify(pkijs.Certificate.fromBER(toArrayBuffer(issuer.der)));
  } catch {
    return false;
  }
}

/**
 * The certificate Controllers and Agents must hold in `./config/private/trusted-x509-keys/`:
 * the certificate itself when self-signed, otherwise the issuer that directly signed it
 * (from the stored chain or the SSL CA). `undefined` when that issuer is not available.
 */
export async function trustAnchor(
  certificates: readonly Certificate[],
  sslCa?: Certificate,
): Promise<Certificate | undefined> {
  const leaf = certificates[0];
  if (!leaf) return undefined;
  if (leaf.selfIssued) return (await signedBy(leaf, leaf)) ? leaf : undefined;
  for (const candidate of [...certificates.slice(1), ...(sslCa ? [sslCa] : [])]) {
    if (candidate.subject === leaf.issuer && (await signedBy(leaf, candidate))) return candidate;
  }
  // JOC Cockpit's own "self-signed" certificates (Generate without the SSL CA, KeyUtil
  // .generateCertificateFromKeyPair) name the issuer "O=JOC,OU=Self Signed", not their subject,
  // yet are signed with their own key: Controllers and Agents trust them by holding the
  // certificate itself, as for any self-signed certificate.
  return (await signedBy(leaf, leaf)) ? leaf : undefined;
}

function validity(
  id: 'valid-now' | 'issuer-valid',
  which: Which,
  certificate: Certificate,
  now: Date,
  warnDays: number,
): ReadinessCheck {
  const what = WHICH(which);
  const status = certificateStatus(certificate, now, warnDays);
  const until = day(certificate.notAfter);
  if (status.state === 'expired')
    return check(
      id,
      false,
      'readyExpired',
      `${what} expired on ${until}: deployments fail until it is renewed.`,
      { ...which, date: until },
    );
  if (status.state === 'not-yet-valid') {
    const from = day(certificate.notBefore);
    return check(id, false, 'readyNotYetValid', `${what} is not valid until ${from}.`, {
      ...which,
      date: from,
    });
  }
  if (id === 'issuer-valid' && status.state === 'expiring') {
    return check(
      id,
      false,
      'readyExpiring',
      `${what} expires in ${days(status.daysLeft)} (${until}): renew it and copy it to the Controllers and Agents before then.`,
      { ...which, days: status.daysLeft, date: until },
    );
  }
  return check(id, true, 'readyValidUntil', `${what} is valid until ${until}.`, {
    ...which,
    date: until,
  });
}

/** Runs every readiness check; each passes or fails with its reason. */
export async function readinessChecks(input: ReadinessInput): Promise<ReadinessCheck[]> {
  const { privateKey, publicKey, certificates, now, warnDays } = input;
  const leaf = certificates[0];
  const key = privateKey ?? publicKey;
  const checks: ReadinessCheck[] = [];
  checks.push(
    input.signsHere
      ? privateKey
        ? check(
            'key-present',
            true,
            'readyKeyStored',
            `A private key is stored (${privateKey.label}).`,
            {
              key: privateKey.label,
            },
          )
        : check(
            'key-present',
            false,
            'readyKeyMissing',
            'No private key is stored: generate, store or import one.',
          )
      : key || leaf
        ? check(
            'key-present',
            true,
            'readyPublicStored',
            'A public key or certificate is stored; signing happens outside the console.',
          )
        : check(
            'key-present',
            false,
            'readyPublicMissing',
            'No public key or certificate is stored.',
          ),
  );
  checks.push(
    leaf
      ? check(
          'certificate-present',
          true,
          'readyCertificateStored',
          `A certificate is stored: ${leaf.subject}.`,
          { subject: leaf.subject },
        )
      : check(
          'certificate-present',
          false,
          'readyCertificateMissing',
          'No certificate is stored: Controllers and Agents verify deployments with it.',
        ),
  );
  if (!leaf) {
    for (const id of [
      'pair-match',
      'valid-now',
      'valid-beyond-warning',
      'issuer',
      'issuer-valid',
    ] as const)
      checks.push(check(id, false, 'readyNoCertificate', 'No certificate to check.'));
  } else {
    checks.push(
      !key
        ? check(
            'pair-match',
            false,
            'readyNoKey',
            'There is no key to compare the certificate with.',
          )
        : keyMatchesCertificate(key, leaf)
          ? check(
              'pair-match',
              true,
              'readyPairMatches',
              'The key and the certificate belong together.',
            )
          : check(
              'pair-match',
              false,
              'readyPairDiffers',
              'The certificate does not belong to the key: store the certificate issued for this key.',
            ),
    );
    checks.push(validity('valid-now', { what: 'certificate' }, leaf, now, warnDays));
    const status = certificateStatus(leaf, now, warnDays);
    checks.push(
      status.state === 'valid'
        ? check(
            'valid-beyond-warning',
            true,
            'readyDaysLeft',
            `${days(status.daysLeft)} left; the warning starts ${days(warnDays)} before expiry.`,
            { days: status.daysLeft, warnDays },
          )
        : status.state === 'expiring'
          ? check(
              'valid-beyond-warning',
              false,
              'readyOnlyDaysLeft',
              `Only ${days(status.daysLeft)} left: renew the certificate.`,
              { days: status.daysLeft },
            )
          : check(
              'valid-beyond-warning',
              false,
              'readyNotValidNow',
              'The certificate is not valid now.',
            ),
    );
    const anchor = await trustAnchor(certificates, input.sslCa);
    // Self-signed: the names say so, or the certificate verifies with its own key (JOC's own).
    if (leaf.selfIssued || anchor === leaf) {
      checks.push(
        anchor
          ? check(
              'issuer',
              true,
              'readySelfSigned',
              'The certificate is self-signed: Controllers and Agents must hold this certificate itself.',
            )
          : check(
              'issuer',
              false,
              'readySelfSignedBroken',
              'The certificate claims to be self-signed, but its signature does not verify with its own key.',
            ),
      );
      checks.push(
        anchor
          ? validity('issuer-valid', { what: 'selfSigned' }, leaf, now, warnDays)
          : check('issuer-valid', false, 'readyNoTrustedIssuer', 'No trusted issuer.'),
      );
    } else if (!anchor) {
      const named = [...certificates.slice(1), ...(input.sslCa ? [input.sslCa] : [])].some(
        (c) => c.subject === leaf.issuer,
      );
      checks.push(
        named
          ? check(
              'issuer',
              false,
              'readyIssuerNotDirect',
              `The certificate names "${leaf.issuer}" as its issuer, but that certificate did not sign it directly (Controllers do not walk longer chains).`,
              { issuer: leaf.issuer },
            )
          : check(
              'issuer',
              false,
              'readyIssuerMissing',
              `The issuer "${leaf.issuer}" is not available: store the certificate together with its CA certificate, or generate one with the SSL CA.`,
              { issuer: leaf.issuer },
            ),
      );
      checks.push(
        check('issuer-valid', false, 'readyIssuerUnavailable', 'The issuer is not available.'),
      );
    } else {
      checks.push(
        check(
          'issuer',
          true,
          'readySignedBy',
          `Directly signed by "${anchor.subject}": Controllers and Agents must hold that CA certificate.`,
          { subject: anchor.subject },
        ),
      );
      checks.push(
        validity('issuer-valid', { what: 'ca', subject: anchor.subject }, anchor, now, warnDays),
      );
    }
  }
  if (input.signsHere) {
    if (privateKey && leaf) {
      const sample = new TextEncoder().encode(
        `{"TYPE":"Workflow","path":"/readiness-check","version":"${now.toISOString()}"}`,
      );
      // A key OpenSSL cannot sign with fails this check; it does not fail the whole call.
      const signed = await signDocument(privateKey, sample).catch(() => undefined);
      const verified = signed !== undefined && (await verifyDocument(leaf, sample, signed));
      const signature = privateKey.algorithm === 'RSA' ? 'SHA256withRSA' : 'SHA512withECDSA';
      checks.push(
        verified
          ? check(
              'sign-verify',
              true,
              'readySampleVerifies',
              `A sample workflow signed with the key (${signature}) verifies with the certificate.`,
              { signature },
            )
          : check(
              'sign-verify',
              false,
              'readySampleFails',
              'A sample workflow signed with the key does not verify with the certificate.',
            ),
      );
    } else {
      checks.push(
        check(
          'sign-verify',
          false,
          'readySampleNeedsPair',
          'Signing a sample needs a private key and its certificate.',
        ),
      );
    }
  }
  return checks;
}

/** A stored pair as PEM text, as the server stores it and `/profile/key` answers it; every field optional. */
export interface StoredKeyText {
  readonly privateKey?: string;
  readonly publicKey?: string;
  /** The certificate, and any chain stored with it (leaf first). */
  readonly certificate?: string;
  /** The SSL CA's certificate, when one is configured. */
  readonly caCertificate?: string;
}

/** The value of a read, or undefined when there is no text or it does not read (the checks then say what is missing). */
async function readOrNothing<T>(
  text: string | undefined,
  read: (text: string) => Promise<{ ok: true; value: T } | { ok: false }>,
): Promise<T | undefined> {
  if (!text) return undefined;
  const result = await read(text);
  return result.ok ? result.value : undefined;
}

/** Reads the stored PEM text and runs every readiness check on it ({@link readinessChecks}). */
export async function storedKeyReadiness(
  stored: StoredKeyText,
  options: Pick<ReadinessInput, 'now' | 'warnDays' | 'signsHere'>,
): Promise<ReadinessCheck[]> {
  return readinessChecks({
    privateKey: await readOrNothing(stored.privateKey, (text) => readPrivateKey(text)),
    publicKey: await readOrNothing(stored.publicKey, readPublicKey),
    certificates: (await readOrNothing(stored.certificate, readCertificates)) ?? [],
    sslCa: await readOrNothing(stored.caCertificate, readCertificate),
    ...options,
  });
}
