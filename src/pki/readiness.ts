/**
 * The deployment readiness check: will Controllers and Agents accept what this key signs?
 * The same code answers `/profile/key/check` on the embedded server and runs in the browser
 * against a real JOC Cockpit, which lacks that call: both hand {@link storedKeyReadiness} the PEM
 * text they have (the server from its database, the browser from `/profile/key` and `/profile/ca`).
 */
import * as pkijs from 'pkijs';
import { toArrayBuffer } from './bytes';
import { certificateStatus } from './certificate';
import type { DayNumber } from './days';
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
  /** Not `ok` because it cannot be told here (only the Controllers can): not a failure. */
  readonly notRun?: true;
}

export interface ReadinessInput {
  readonly privateKey?: PrivateKey;
  readonly publicKey?: PublicKey;
  /** The stored certificate and any chain given with it, leaf first. */
  readonly certificates: readonly Certificate[];
  /** The stored certificate text as JOC hands it to the Controllers, when known. */
  readonly certificateText?: string;
  /** The SSL CA's certificate, when one is configured. */
  readonly sslCa?: Certificate;
  readonly now: Date;
  /** Days before expiry from which a certificate counts as expiring. */
  readonly warnDays: number;
  /** How days are counted: calendar dates in this zone (UTC when not given, as the dates are written). */
  readonly dayNumber?: DayNumber;
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
/** A check only the Controllers can answer: said so, neither passed nor failed. */
const notRun = (
  id: ReadinessCheckId,
  code: PkiCode,
  message: string,
  params: PkiParams = {},
): ReadinessCheck => ({ id, ok: false, code, params, message, notRun: true });
const day = (d: Date) => formatUtc(d).slice(0, 10);
/** `1 day`, `5 days`, `10,437 days`: the number as the English catalog's `#` writes it. */
const days = (n: number) => `${n.toLocaleString('en-US')} ${n === 1 ? 'day' : 'days'}`;
/** `expires today`, `expires in 5 days`. */
const expiresIn = (n: number) => (n === 0 ? 'expires today' : `expires in ${days(n)}`);

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

/**
 * Whether `issuer`'s key made the signature on `certificate`; `undefined` when this cannot be
 * told here (a signature algorithm WebCrypto lacks, such as MD5, that Java still verifies).
 */
export async function signedBy(
  certificate: Certificate,
  issuer: Certificate,
): Promise<boolean | undefined> {
  try {
    const subject = pkijs.Certificate.fromBER(toArrayBuffer(certificate.der));
    return await subject.verify(pkijs.Certificate.fromBER(toArrayBuffer(issuer.der)));
  } catch {
    return undefined;
  }
}

/**
 * How JS7 trusts the signing certificate. JOC Cockpit names a self-issued certificate (issuer =
 * subject) to the Controllers by its subject, and they look that name up among the certificates
 * they hold; any other certificate JOC sends as stored, and a certificate the Controllers hold
 * that has a basicConstraints extension must have signed it directly (js7 X509SignatureVerifier).
 * - `self-issued`, `issued`: Controllers and Agents must hold `anchor` (the certificate itself, or
 *   the CA certificate that signed it: from the stored text or the SSL CA);
 * - `nameless`: self-issued with an empty subject, a name Controllers refuse;
 * - `self-broken`: self-issued, but its signature does not verify with its own key;
 * - `not-a-ca`: `signer` signed it but has no basicConstraints extension (JOC's own "O=JOC,OU=Self
 *   Signed" certificates are signed with their own key and have none);
 * - `not-signed`: the certificate here with the issuer's name did not sign it (a CA replaced
 *   under the same name);
 * - `unchecked`: that certificate's signature cannot be checked here;
 * - `elsewhere`: the issuer's certificate is not here, so only the Controllers can tell.
 */
export type TrustPath =
  | { readonly kind: 'self-issued' | 'issued'; readonly anchor: Certificate }
  | { readonly kind: 'nameless' | 'self-broken' | 'elsewhere' }
  | { readonly kind: 'not-a-ca'; readonly signer: Certificate }
  | { readonly kind: 'not-signed' | 'unchecked'; readonly named: Certificate };

/** {@link TrustPath} of `certificates[0]`, with the rest of the stored text and the SSL CA as candidates. */
export async function trustPath(
  certificates: readonly Certificate[],
  sslCa?: Certificate,
): Promise<TrustPath | undefined> {
  const leaf = certificates[0];
  if (!leaf) return undefined;
  if (leaf.selfIssued) {
    if (!leaf.subject) return { kind: 'nameless' };
    // Another key with the certificate's own name signed it: the name leads the Controllers to
    // that other certificate. A signature this check cannot verify is left to them.
    return (await signedBy(leaf, leaf)) === false
      ? { kind: 'self-broken' }
      : { kind: 'self-issued', anchor: leaf };
  }
  let named: { readonly kind: 'not-signed' | 'unchecked'; readonly named: Certificate } | undefined;
  for (const candidate of [...certificates.slice(1), ...(sslCa ? [sslCa] : [])]) {
    if (candidate.subject !== leaf.issuer) continue;
    const signed = await signedBy(leaf, candidate);
    if (signed)
      return candidate.basicConstraints
        ? { kind: 'issued', anchor: candidate }
        : { kind: 'not-a-ca', signer: candidate };
    if (!named || signed === undefined)
      named = { kind: signed === undefined ? 'unchecked' : 'not-signed', named: candidate };
  }
  if (named) return named;
  if (await signedBy(leaf, leaf))
    return leaf.basicConstraints
      ? { kind: 'issued', anchor: leaf }
      : { kind: 'not-a-ca', signer: leaf };
  return { kind: 'elsewhere' };
}

/**
 * Whether JOC can hand the stored certificate text to the Controllers as it is (for a certificate
 * that is not self-issued): they read exactly one PEM certificate that begins the text.
 */
function storedTextProblem(
  text: string | undefined,
  count: number,
): { code: 'readyChainStored'; count: number } | { code: 'readyCertificateText' } | undefined {
  if (count > 1) return { code: 'readyChainStored', count };
  if (
    text !== undefined &&
    (!text.startsWith('-----BEGIN CERTIFICATE-----') ||
      !text.trim().endsWith('-----END CERTIFICATE-----'))
  )
    return { code: 'readyCertificateText' };
  return undefined;
}

function validity(
  id: 'valid-now' | 'issuer-valid',
  which: Which,
  certificate: Certificate,
  now: Date,
  warnDays: number,
  dayNumber?: DayNumber,
): ReadinessCheck {
  const what = WHICH(which);
  const status = certificateStatus(certificate, now, warnDays, dayNumber);
  const until = day(certificate.notAfter);
  // The moment itself besides the UTC date: the console writes it in the person's zone and format.
  const at = certificate.notAfter.toISOString();
  if (status.state === 'expired')
    return check(
      id,
      false,
      'readyExpired',
      `${what} expired on ${until}: deployments fail on Controllers and Agents that check certificate dates until it is renewed.`,
      { ...which, date: until, at },
    );
  if (status.state === 'not-yet-valid') {
    const from = day(certificate.notBefore);
    return check(id, false, 'readyNotYetValid', `${what} is valid only from ${from} on.`, {
      ...which,
      date: from,
      at: certificate.notBefore.toISOString(),
    });
  }
  // RFC 5280's "no well-defined expiration date": no date to write (year 10000 east of UTC).
  if (status.noExpiry)
    return check(id, true, 'readyNoExpiry', `${what} is valid and has no expiry date.`, {
      ...which,
    });
  if (id === 'issuer-valid' && status.state === 'expiring') {
    return check(
      id,
      false,
      'readyExpiring',
      `${what} ${expiresIn(status.daysLeft)} (${until}): renew it and copy it to the Controllers and Agents before then.`,
      { ...which, days: status.daysLeft, date: until, at },
    );
  }
  return check(id, true, 'readyValidUntil', `${what} is valid until ${until}.`, {
    ...which,
    date: until,
    at,
  });
}

/**
 * The `issuer` check for a {@link TrustPath}: whether Controllers and Agents can trust the
 * certificate, and which certificate they must hold (the trust panel says the same).
 */
export function issuerCheck(
  path: TrustPath,
  leaf: Certificate,
  sslCa?: Certificate,
): ReadinessCheck {
  switch (path.kind) {
    case 'self-issued':
    case 'issued':
      return path.anchor === leaf
        ? check(
            'issuer',
            true,
            'readySelfSigned',
            'The certificate is self-signed: Controllers and Agents must hold this certificate itself.',
          )
        : check(
            'issuer',
            true,
            'readySignedBy',
            `Directly signed by "${path.anchor.subject}": Controllers and Agents must hold that CA certificate.`,
            { subject: path.anchor.subject },
          );
    case 'nameless':
      return check(
        'issuer',
        false,
        'readyNameless',
        'The certificate is self-signed with an empty subject: JOC names such a certificate to the Controllers by its subject, and they refuse an empty name. Store a certificate with a subject, or generate a new key.',
      );
    case 'self-broken':
      return check(
        'issuer',
        false,
        'readySelfSignedBroken',
        'The certificate claims to be self-signed, but its signature does not verify with its own key.',
      );
    case 'not-a-ca':
      return path.signer === leaf
        ? check(
            'issuer',
            false,
            'readyOwnKeyOtherIssuer',
            `The certificate is signed with its own key but names "${leaf.issuer}" as its issuer and has no basicConstraints extension: JOC sends it to the Controllers, which accept it only when a CA certificate they hold signed it. Generate a new key with the SSL CA.`,
            { issuer: leaf.issuer },
          )
        : check(
            'issuer',
            false,
            'readyIssuerNotCa',
            `"${path.signer.subject}" signed the certificate but has no basicConstraints extension: Controllers trust only CA certificates that have one. Have the certificate issued by such a CA, such as the SSL CA.`,
            { subject: path.signer.subject },
          );
    case 'not-signed':
      return sslCa && path.named === sslCa
        ? check(
            'issuer',
            false,
            'readySslCaReplaced',
            `The SSL CA "${leaf.issuer}" did not sign this certificate: the CA was replaced after the certificate was issued, and Controllers holding the new CA certificate refuse it. Generate a new key with the SSL CA.`,
            { issuer: leaf.issuer },
          )
        : check(
            'issuer',
            false,
            'readyIssuerNotDirect',
            `The certificate names "${leaf.issuer}" as its issuer, but the certificate of that name that comes with it did not sign it.`,
            { issuer: leaf.issuer },
          );
    case 'unchecked':
      return notRun(
        'issuer',
        'readyIssuerUnchecked',
        `Whether "${leaf.issuer}" signed the certificate cannot be checked here: its signature algorithm (such as MD5) is not supported in this check. Controllers check it themselves.`,
        { issuer: leaf.issuer },
      );
    case 'elsewhere':
      return notRun(
        'issuer',
        'readyIssuerElsewhere',
        `The CA certificate of "${leaf.issuer}" is not stored here (it is not the SSL CA), so only the Controllers can check it: each Controller and Agent must hold it, with a basicConstraints extension.`,
        { issuer: leaf.issuer },
      );
  }
}

/** The `issuer-valid` check: the validity of the certificate Controllers and Agents must hold. */
function issuerValidCheck(
  path: TrustPath,
  now: Date,
  warnDays: number,
  dayNumber?: DayNumber,
): ReadinessCheck {
  switch (path.kind) {
    case 'self-issued':
    case 'issued':
      return validity(
        'issuer-valid',
        { what: 'ca', subject: path.anchor.subject },
        path.anchor,
        now,
        warnDays,
        dayNumber,
      );
    case 'unchecked':
      return validity(
        'issuer-valid',
        { what: 'ca', subject: path.named.subject },
        path.named,
        now,
        warnDays,
        dayNumber,
      );
    // Without an issuer that signed the certificate there is no validity to judge: the issuer
    // check fails for it, and one missing issuer counted twice would read as two problems.
    case 'not-signed':
      return notRun('issuer-valid', 'readyIssuerUnavailable', 'The issuer is not available.');
    case 'elsewhere':
      return notRun(
        'issuer-valid',
        'readyIssuerValidityElsewhere',
        'The CA certificate is not stored here: its validity cannot be checked.',
      );
    default:
      return notRun('issuer-valid', 'readyNoTrustedIssuer', 'No trusted issuer.');
  }
}

/**
 * What the Controllers will make of the issuer given beside a certificate about to be stored:
 * only the certificate is stored, so the readiness check cannot see the CA certificate of a chain
 * afterwards, and the dialog says it before storing. The failing issuer checks; none when the
 * certificate is self-signed or its issuer is not among `given`.
 */
export async function givenIssuerProblems(
  leaf: Certificate,
  given: readonly Certificate[],
  now: Date,
  warnDays: number,
  dayNumber?: DayNumber,
): Promise<ReadinessCheck[]> {
  // A self-signed certificate is its own issuer: nothing to check beyond the pair.
  if (leaf.selfIssued) return [];
  const path = await trustPath([leaf, ...given.filter((c) => c !== leaf)]);
  if (!path || path.kind === 'elsewhere') return [];
  // Without a trusted issuer there is no validity of it to speak of.
  const issuer = issuerCheck(path, leaf);
  if (!issuer.ok) return issuer.notRun ? [] : [issuer];
  // The certificate's own validity is said by the dialog already.
  if (path.kind === 'issued' && path.anchor === leaf) return [];
  const valid = issuerValidCheck(path, now, warnDays, dayNumber);
  return valid.ok || valid.notRun ? [] : [valid];
}

/** Runs every readiness check; each passes or fails with its reason. */
export async function readinessChecks(input: ReadinessInput): Promise<ReadinessCheck[]> {
  const { privateKey, publicKey, certificates, now, warnDays, dayNumber } = input;
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
  const textProblem = leaf?.selfIssued
    ? undefined
    : storedTextProblem(input.certificateText, certificates.length);
  checks.push(
    leaf && textProblem?.code === 'readyChainStored'
      ? check(
          'certificate-present',
          false,
          'readyChainStored',
          `The certificate text holds ${textProblem.count} certificates: JOC sends it to the Controllers as it is, and they read one, so deployments fail. Store the certificate alone (Update); the CA certificate belongs on the Controllers and Agents.`,
          { count: textProblem.count },
        )
      : leaf && textProblem
        ? check(
            'certificate-present',
            false,
            'readyCertificateText',
            'The certificate text does not begin with its -----BEGIN CERTIFICATE----- line or holds more than the certificate: JOC sends it to the Controllers as it is, and they refuse it. Store the certificate alone (Update).',
          )
        : leaf
          ? check(
              'certificate-present',
              true,
              'readyCertificateStored',
              `A certificate is stored: ${leaf.subject}.`,
              { subject: leaf.subject },
            )
          : input.certificateText?.trim()
            ? check(
                'certificate-present',
                false,
                'readyCertificateUnreadable',
                'A certificate is stored, but it cannot be read (the key row says why), and JOC Cockpit and the Controllers cannot read it either: store one that reads (Update or Import).',
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
    checks.push(validity('valid-now', { what: 'certificate' }, leaf, now, warnDays, dayNumber));
    const status = certificateStatus(leaf, now, warnDays, dayNumber);
    const at = leaf.notAfter.toISOString();
    checks.push(
      status.state === 'valid' && status.noExpiry
        ? check(
            'valid-beyond-warning',
            true,
            'readyNoExpiryWarning',
            'It has no expiry date: the warning never starts.',
          )
        : status.state === 'valid'
          ? check(
              'valid-beyond-warning',
              true,
              'readyDaysLeft',
              `${days(status.daysLeft)} left; the warning starts ${days(warnDays)} before expiry.`,
              { days: status.daysLeft, warnDays, at },
            )
          : status.state === 'expiring'
            ? check(
                'valid-beyond-warning',
                false,
                'readyOnlyDaysLeft',
                `${status.daysLeft === 0 ? 'It expires today' : `Only ${days(status.daysLeft)} left`}: renew the certificate.`,
                { days: status.daysLeft, at },
              )
            : // Moot while it is not valid now: that check fails for it already, and one date
              // problem counted twice would read as two.
              notRun(
                'valid-beyond-warning',
                'readyNotValidNow',
                'The certificate is not valid now.',
              ),
    );
    const path = (await trustPath(certificates, input.sslCa))!;
    checks.push(issuerCheck(path, leaf, input.sslCa));
    // A self-signed certificate is itself what Controllers hold: its dates are checked above
    // already, and one expiry counted twice would read as two problems.
    if (!('anchor' in path && path.anchor === leaf))
      checks.push(issuerValidCheck(path, now, warnDays, dayNumber));
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
  options: Pick<ReadinessInput, 'now' | 'warnDays' | 'signsHere' | 'dayNumber'>,
): Promise<ReadinessCheck[]> {
  return readinessChecks({
    privateKey: await readOrNothing(stored.privateKey, (text) => readPrivateKey(text)),
    publicKey: await readOrNothing(stored.publicKey, readPublicKey),
    certificates: (await readOrNothing(stored.certificate, readCertificates)) ?? [],
    certificateText: stored.certificate,
    sslCa: await readOrNothing(stored.caCertificate, readCertificate),
    ...options,
  });
}
