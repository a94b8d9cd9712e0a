import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { encode } from './asn1';
import { toArrayBuffer } from './bytes';
import { certificateFromDer } from './certificate';
import { parseDnAttributes, type DnAttribute } from './dn';
import { readCertificate, readPrivateKey } from './inspect';
import { privateKeyFromDer, webCryptoAlgorithm } from './key';
import { fail, formatUtc, succeed, warn } from './result';
import type {
  GeneratedPair,
  IssuerPem,
  KeyAlgorithm,
  KeyDescription,
  Result,
  Warning,
} from './types';

const YEAR_MS = 365 * 86_400_000;

/** Certificate profiles of contract sections 4 and 5. */
type Profile = 'signing' | 'ca';

const EXT = {
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  ski: '2.5.29.14',
  aki: '2.5.29.35',
};
const CODE_SIGNING = '1.3.6.1.5.5.7.3.3';

function newKeyPair(algorithm: KeyAlgorithm): Promise<CryptoKeyPair> {
  const params: RsaHashedKeyGenParams | EcKeyGenParams =
    algorithm === 'RSA'
      ? {
          name: 'RSASSA-PKCS1-v1_5',
          modulusLength: 4096,
          publicExponent: new Uint8Array([1, 0, 1]),
          hash: 'SHA-256',
        }
      : { name: 'ECDSA', namedCurve: 'P-256' };
  return crypto.subtle.generateKey(params, true, ['sign', 'verify']);
}

function hashFor(key: Pick<KeyDescription, 'curve'>): string {
  return key.curve === 'P-521' ? 'SHA-512' : key.curve === 'P-384' ? 'SHA-384' : 'SHA-256';
}

function attributeValue(
  a: DnAttribute,
): asn1js.Utf8String | asn1js.PrintableString | asn1js.IA5String {
  if (a.name === 'C') return new asn1js.PrintableString({ value: a.value });
  if (a.name === 'EMAILADDRESS' || a.name === 'DC') return new asn1js.IA5String({ value: a.value });
  return new asn1js.Utf8String({ value: a.value });
}

function toName(attributes: readonly DnAttribute[]): pkijs.RelativeDistinguishedNames {
  // RFC 2253 writes the most significant attribute last; ASN.1 stores it first. Each attribute
  // gets its own RDN (SET): pkijs would put them all into one multi-valued RDN.
  const name = new asn1js.Sequence({
    value: [...attributes].reverse().map(
      (a) =>
        new asn1js.Set({
          value: [
            new pkijs.AttributeTypeAndValue({ type: a.oid, value: attributeValue(a) }).toSchema(),
          ],
        }),
    ),
  });
  return pkijs.RelativeDistinguishedNames.fromBER(toArrayBuffer(encode(name)));
}

function time(date: Date): pkijs.Time {
  return new pkijs.Time({ type: date.getUTCFullYear() >= 2050 ? 1 : 0, value: date });
}

function randomSerial(): asn1js.Integer {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] & 0x7f) | 0x01; // positive, sixteen significant bytes
  return new asn1js.Integer({ valueHex: toArrayBuffer(bytes) });
}

function extension(extnID: string, critical: boolean, value: asn1js.AsnType): pkijs.Extension {
  return new pkijs.Extension({ extnID, critical, extnValue: toArrayBuffer(encode(value)) });
}

function keyUsage(profile: Profile): asn1js.BitString {
  // ca: keyCertSign (bit 5) + cRLSign (bit 6); signing: digitalSignature (bit 0).
  return profile === 'ca'
    ? new asn1js.BitString({ valueHex: toArrayBuffer(new Uint8Array([0x06])), unusedBits: 1 })
    : new asn1js.BitString({ valueHex: toArrayBuffer(new Uint8Array([0x80])), unusedBits: 7 });
}

async function keyIdentifier(spki: pkijs.PublicKeyInfo): Promise<Uint8Array> {
  return new Uint8Array(
    await crypto.subtle.digest('SHA-1', spki.subjectPublicKey.valueBlock.valueHexView.slice()),
  );
}

interface Issue {
  readonly subject: readonly DnAttribute[];
  readonly publicKey: CryptoKey;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly profile: Profile;
  /** The issuing CA; absent for self-signed certificates. */
  readonly issuer?: { certificate: pkijs.Certificate; key: CryptoKey; description: KeyDescription };
  /** The subject's own private key, for self-signing. */
  readonly selfKey: CryptoKey;
  readonly selfDescription: KeyDescription;
}

async function issueCertificate(issue: Issue): Promise<Uint8Array> {
  const cert = new pkijs.Certificate();
  cert.version = 2;
  cert.serialNumber = randomSerial();
  cert.subject = toName(issue.subject);
  cert.issuer = issue.issuer ? issue.issuer.certificate.subject : toName(issue.subject);
  cert.notBefore = time(issue.notBefore);
  cert.notAfter = time(issue.notAfter);
  await cert.subjectPublicKeyInfo.importKey(issue.publicKey);
  const ski = await keyIdentifier(cert.subjectPublicKeyInfo);
  const aki = issue.issuer
    ? await keyIdentifier(issue.issuer.certificate.subjectPublicKeyInfo)
    : ski;
  const isCa = issue.profile === 'ca';
  cert.extensions = [
    extension(EXT.basicConstraints, isCa, new pkijs.BasicConstraints({ cA: isCa }).toSchema()),
    extension(EXT.keyUsage, true, keyUsage(issue.profile)),
    ...(isCa
      ? []
      : [
          extension(
            EXT.extKeyUsage,
            false,
            new pkijs.ExtKeyUsage({ keyPurposes: [CODE_SIGNING] }).toSchema(),
          ),
        ]),
    extension(EXT.ski, false, new asn1js.OctetString({ valueHex: toArrayBuffer(ski) })),
    extension(
      EXT.aki,
      false,
      new pkijs.AuthorityKeyIdentifier({
        keyIdentifier: new asn1js.OctetString({ valueHex: toArrayBuffer(aki) }),
      }).toSchema(),
    ),
  ];
  const signer = issue.issuer ?? { key: issue.selfKey, description: issue.selfDescription };
  await cert.sign(signer.key, hashFor(signer.description));
  return new Uint8Array(cert.toSchema(true).toBER(false));
}

function checkDates(now: Date, notAfter: Date): Result<void> {
  if (Number.isNaN(notAfter.getTime()))
    return fail('invalid-date', 'expiryInvalid', 'The expiry date is not a valid date.');
  if (notAfter.getTime() <= now.getTime()) {
    const date = formatUtc(notAfter);
    return fail(
      'invalid-date',
      'expiryNotFuture',
      `The expiry date ${date} is not in the future: choose a later date.`,
      { date },
    );
  }
  return succeed(undefined);
}

async function finishPair(
  keys: CryptoKeyPair,
  certificateDer: Uint8Array,
  warnings: Warning[],
): Promise<Result<GeneratedPair>> {
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey('pkcs8', keys.privateKey));
  const privateKey = await privateKeyFromDer(pkcs8, 'PKCS#8');
  const certificate = await certificateFromDer(certificateDer);
  if (!privateKey.ok) return privateKey;
  if (!certificate.ok) return certificate;
  return succeed({ privateKey: privateKey.value, certificate: certificate.value }, warnings);
}

/**
 * Generates a signing key pair (ECDSA P-256 or RSA 4096) and its certificate: self-signed, or
 * issued by `issuer` (the SSL CA) with CA:false, digitalSignature and codeSigning.
 * When the CA expires before `notAfter`, the certificate ends with the CA and a warning says so.
 */
export async function generateSigningPair(options: {
  algorithm: KeyAlgorithm;
  dn: string;
  notAfter: Date;
  now?: Date;
  issuer?: IssuerPem;
}): Promise<Result<GeneratedPair>> {
  const now = options.now ?? new Date();
  const subject = parseDnAttributes(options.dn);
  if (!subject.ok) return subject;
  const dates = checkDates(now, options.notAfter);
  if (!dates.ok) return dates;
  const warnings: Warning[] = [];
  let notAfter = options.notAfter;
  let issuer: Issue['issuer'];
  if (options.issuer) {
    const caKey = await readPrivateKey(options.issuer.privateKey);
    const caCert = await readCertificate(options.issuer.certificate);
    if (!caKey.ok || !caCert.ok)
      return fail(
        'corrupted',
        'caDamaged',
        'The stored SSL CA is damaged: generate or store the CA again.',
      );
    if (caCert.value.notAfter.getTime() <= now.getTime()) {
      const date = formatUtc(caCert.value.notAfter);
      return fail(
        'expired',
        'caExpired',
        `The SSL CA's certificate expired on ${date}: renew the CA on the SSL Key Management tab first.`,
        { date },
      );
    }
    if (caCert.value.notAfter.getTime() < notAfter.getTime()) {
      notAfter = caCert.value.notAfter;
      const date = formatUtc(notAfter);
      warnings.push(
        warn('caExpiresFirst', `The SSL CA expires on ${date}, so the certificate ends then too.`, {
          date,
        }),
      );
    }
    const key = await crypto.subtle.importKey(
      'pkcs8',
      toArrayBuffer(caKey.value.pkcs8),
      webCryptoAlgorithm(caKey.value),
      false,
      ['sign'],
    );
    issuer = {
      certificate: pkijs.Certificate.fromBER(toArrayBuffer(caCert.value.der)),
      key,
      description: caKey.value,
    };
  }
  const algorithm = options.algorithm === 'RSA' ? 'RSA' : 'ECDSA';
  const keys = await newKeyPair(algorithm);
  const description: KeyDescription =
    algorithm === 'RSA'
      ? { algorithm, bits: 4096, label: 'RSA 4096' }
      : { algorithm, curve: 'P-256', bits: 256, label: 'ECDSA P-256' };
  const der = await issueCertificate({
    subject: subject.value,
    publicKey: keys.publicKey,
    notBefore: now,
    notAfter,
    profile: 'signing',
    issuer,
    selfKey: keys.privateKey,
    selfDescription: description,
  });
  return finishPair(keys, der, warnings);
}

/** Generates the SSL CA: an ECDSA P-256 self-signed root, CA:true, keyCertSign + cRLSign, 5 years. */
export async function generateCa(options: {
  dn: string;
  now?: Date;
  notAfter?: Date;
}): Promise<Result<GeneratedPair>> {
  const now = options.now ?? new Date();
  const notAfter = options.notAfter ?? new Date(now.getTime() + 5 * YEAR_MS);
  const subject = parseDnAttributes(options.dn);
  if (!subject.ok) return subject;
  const dates = checkDates(now, notAfter);
  if (!dates.ok) return dates;
  const keys = await newKeyPair('ECDSA');
  const der = await issueCertificate({
    subject: subject.value,
    publicKey: keys.publicKey,
    notBefore: now,
    notAfter,
    profile: 'ca',
    selfKey: keys.privateKey,
    selfDescription: { algorithm: 'ECDSA', curve: 'P-256', bits: 256, label: 'ECDSA P-256' },
  });
  return finishPair(keys, der, []);
}
