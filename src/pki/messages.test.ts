/**
 * The PKI core's messages and the catalogs: every code the core gives has an entry in each
 * language's `pki.json`, and the English entry, formatted with the failure's values, is the
 * failure's English `message` exactly (what the server answers). The core is driven with the
 * real fixtures and the input cases the other tests use.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { IntlMessageFormat } from 'intl-messageformat';
import { PKI_CODES, type PkiCode } from './codes';
import {
  certificatesLeftOut,
  checkCaPair,
  checkPublicMaterial,
  checkSigningPair,
  generateCa,
  generateSigningPair,
  inspect,
  parseDn,
  readinessChecks,
  readCertificate,
  readCertificates,
  readKeyMaterial,
  readPrivateKey,
  readPublicKey,
  verifyCaPair,
  type ReadinessInput,
} from './index';
import { KdfLimitError, iterationFailure, limitFailure, totalFailure } from './kdf-limits';
import { inFieldParams } from './in-field';
import { REJECTED_PRIVATE_KEYS } from './testdata/cases';
import { JOC_GENERATED_CERTIFICATE } from './testdata/joc-generated';
import { storedKeyReadiness } from './readiness';
import { p12With, pemDer, pkcs8With, rsaKeyWith } from './testdata/crafted';
import { fixtureBytes, fixtureText, pairValidBetween } from './testing';
import type { Failure, GeneratedPair, IssuerPem, PkiMessage, Result } from './types';

const LANGUAGES = ['en', 'de', 'fr', 'es', 'ja'] as const;
type Catalog = Record<string, string>;
const catalogs = Object.fromEntries(
  LANGUAGES.map((l) => [
    l,
    JSON.parse(readFileSync(join(__dirname, '..', 'i18n', l, 'pki.json'), 'utf8')) as Catalog,
  ]),
) as Record<(typeof LANGUAGES)[number], Catalog>;

/** What the console shows for a message in `lang`: I18n.message's composition, in Node. */
function render(lang: (typeof LANGUAGES)[number], m: PkiMessage & { field?: Failure['field'] }) {
  const catalog = catalogs[lang];
  const format = (key: string, params: Record<string, unknown>) =>
    String(new IntlMessageFormat(catalog[key], lang).format(params));
  const text = format(m.code, { ...m.params });
  if (!m.field) return text;
  const lowers = catalog['inFieldCase'] === 'lower';
  return format('inField', inFieldParams({ ...m, field: m.field }, text, lowers));
}

/** Every message the drive below produced, by code. */
const seen = new Map<PkiCode, Array<PkiMessage & { field?: Failure['field']; case: string }>>();
function note(name: string, result: Result<unknown> | PkiMessage | readonly PkiMessage[]): void {
  const messages: readonly PkiMessage[] = Array.isArray(result)
    ? result
    : 'warnings' in result
      ? result.warnings
      : [result as PkiMessage];
  for (const m of messages) {
    const list = seen.get(m.code) ?? [];
    list.push({ ...m, case: name });
    seen.set(m.code, list);
  }
}

/** Codes the drive cannot reach, and why; each is still checked to have catalog entries. */
const NOT_DRIVEN: Partial<Record<PkiCode, string>> = {
  keyPublicMissing: 'finish() derives the public key from the private one before this check',
  noPrivateKey: 'every kind an input can hold has its own message first',
  noCertificate: 'every kind an input can hold has its own message first',
  privateKeyStructure: 'only reads DER already classified as a private key',
  publicKeyStructure: 'only reads DER already classified as a public key',
  inputDamaged: 'the net under the libraries: no known input throws through it',
  noWebCrypto: 'a page without WebCrypto (read.test.ts takes it away)',
  pkcs12MethodUnsupported: 'needs a PKCS#12 file protected with a cipher forge lacks',
  pkcs8CipherUnsupported: 'needs a PKCS#8 file encrypted with a cipher forge lacks',
  pkcs12Damaged: 'needs a PKCS#12 file forge rejects for a reason other than the password',
  pkcs12Empty: 'needs a PKCS#12 file with a valid MAC and no bags',
  fileOpenFailed: "the server worker's own failure",
  fileTooSlow: "the server worker's time limit",
  fileServerBusy: "the server's queue of uploaded files to open is full",
  fileAbandoned: 'the client went away while its file waited or was decrypted',
  privateKeyEncryptedHere: 'the console (pem-validators.ts)',
  dateInvalid: 'the console (pem-validators.ts)',
  dateNotFuture: 'the console (pem-validators.ts)',
  decryptStopped: 'the console (decrypt-off-thread.ts)',
  decryptTooSlow: 'the console (decrypt-off-thread.ts)',
  decryptFailed: 'the console (decrypt-off-thread.ts)',
};

const ec = () => fixtureText('ec256.pkcs8.pem');
const block = (label: string, body: string) =>
  `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const legacy = (dekInfo: string, body = 'AAAAAAAAAAAAAAAAAAAAAA==') =>
  `-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: ${dekInfo}\n\n${body}\n-----END RSA PRIVATE KEY-----\n`;
/** A PKCS#8 key with `inner` (hex) as its private key octets under the algorithm `algHex`. */
const pkcs8Hex = (algHex: string, innerHex: string) => {
  const octets = `04${(innerHex.length / 2).toString(16).padStart(2, '0')}${innerHex}`;
  const body = `020100${algHex}${octets}`;
  return Buffer.from(`30${(body.length / 2).toString(16).padStart(2, '0')}${body}`, 'hex');
};
const RSA_ALG = '300d06092a864886f70d0101010500';
const EC_P256_ALG = '301306072a8648ce3d020106082a8648ce3d030107';

let valid: GeneratedPair;
let expired: GeneratedPair;
let future: GeneratedPair;
let rsa: GeneratedPair;
let ca: GeneratedPair;
let expiredCa: GeneratedPair;

before(async () => {
  [valid, expired, future, rsa] = await Promise.all([
    pairValidBetween(-1, 365),
    pairValidBetween(-400, -35),
    pairValidBetween(30, 400),
    pairValidBetween(-1, 365, { algorithm: 'RSA' }),
  ]);
  const made = await generateCa({ dn: 'CN=Messages CA' });
  const old = await generateCa({
    dn: 'CN=Old CA',
    now: new Date(Date.now() - 400 * 86_400_000),
    notAfter: new Date(Date.now() - 86_400_000),
  });
  assert.ok(made.ok && old.ok);
  [ca, expiredCa] = [made.value, old.value];
  await drive();
});

async function drive(): Promise<void> {
  for (const c of REJECTED_PRIVATE_KEYS)
    note(c.name, await readPrivateKey(c.input(), { passphrase: c.passphrase }));
  const privateKeys: Record<string, string | Uint8Array> = {
    'two private keys': ec() + fixtureText('rsa2048.pkcs8.pem'),
    'only EC parameters': fixtureText('ec256.sec1-params.pem').split('-----BEGIN EC PRIVATE')[0],
    'OpenSSH key': block('OPENSSH PRIVATE KEY', 'AAAA'),
    'DSA label': block('DSA PRIVATE KEY', 'AAAA'),
    'empty block': block('PRIVATE KEY', ''),
    'bad padding': block('PRIVATE KEY', 'AA=A'),
    'cut in a byte': block('PRIVATE KEY', 'AAAAA'),
    'DER with trailing bytes': new Uint8Array([...fixtureBytes('ec256.pkcs8.der'), 1, 2]),
    'not a structure we know': block('PRIVATE KEY', b64(Buffer.from('3003020101', 'hex'))),
    'headerless noise': 'MIIB' + 'A'.repeat(80),
    'headerless zeros': 'A'.repeat(80),
    'EC PKCS#8 with empty octets': block('PRIVATE KEY', b64(pkcs8Hex(EC_P256_ALG, ''))),
    'EC PKCS#8 with invalid DER': block('PRIVATE KEY', b64(pkcs8Hex(EC_P256_ALG, '008900'))),
    'SEC1 without a curve': block(
      'EC PRIVATE KEY',
      b64(
        Buffer.from(
          '302502010104200102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20',
          'hex',
        ),
      ),
    ),
    'RSA PKCS#8 without numbers': block('PRIVATE KEY', b64(pkcs8Hex(RSA_ALG, '3003020101'))),
    'seventeen PEM blocks': ec().repeat(17),
    'RSA above 8192 bits': rsaKeyWith(([v, n, ...rest]) => [v, (n << 6146n) | 1n, ...rest]),
    'RSA with an even modulus': rsaKeyWith(([v, n, ...rest]) => [v, n + 1n, ...rest]),
    'EC PKCS#8 with a non-EC inside': block(
      'PRIVATE KEY',
      b64(pkcs8Hex(EC_P256_ALG, '3003020101')),
    ),
    'EC key with a zero scalar': block(
      'PRIVATE KEY',
      b64(pkcs8Hex(EC_P256_ALG, `3025020101${'0420'}${'00'.repeat(32)}`)),
    ),
    'unknown algorithm OID': block(
      'PRIVATE KEY',
      b64(pkcs8Hex('300706052b06010401', '3003020101')),
    ),
    'unknown curve OID': block(
      'PRIVATE KEY',
      b64(pkcs8Hex('301006072a8648ce3d020106052b06010401', '3003020101')),
    ),
    'explicit curve': block(
      'PRIVATE KEY',
      b64(pkcs8Hex('300b06072a8648ce3d02013000', '3003020101')),
    ),
  };
  for (const [name, input] of Object.entries(privateKeys)) note(name, await readPrivateKey(input));
  const encrypted: Record<string, [string | Uint8Array, string]> = {
    'legacy, unknown cipher': [legacy('BF-CBC,0011223344556677'), 'x'],
    'legacy, no cipher': [legacy(''), 'x'],
    'legacy, short IV': [legacy('AES-128-CBC,0011'), 'x'],
    'legacy, partial block': [legacy('AES-128-CBC,00112233445566778899AABBCCDDEEFF', 'AAAA'), 'x'],
    'legacy, empty passphrase': [fixtureText('rsa2048.legacy-encrypted.pem'), ''],
    'PKCS#8, empty passphrase': [fixtureText('ec256.encrypted.pem'), ''],
    'PKCS#8, zero iterations': [pkcs8With(0n), 'x'],
    'PKCS#8, too many iterations': [pkcs8With(5_000_000n), 'x'],
    'PKCS#8, a huge count': [pkcs8With(2n ** 62n), 'x'],
    'PKCS#8, scrypt': [fixtureText('ec256.scrypt.pem'), 'secret'],
    'PKCS#12, six bags at the cap': [p12With('ec256.p12', 'keyBag', 1_000_000n, 6), 'secret'],
    'PKCS#12, cut off': [fixtureBytes('ec256.p12').slice(0, 200), 'secret'],
  };
  for (const [name, [input, passphrase]] of Object.entries(encrypted))
    note(name, await readKeyMaterial(input, { password: passphrase }));
  note(
    'legacy, empty passphrase',
    await readPrivateKey(fixtureText('rsa2048.legacy-encrypted.pem'), { passphrase: '' }),
  );
  note('the file is empty', await inspect(new Uint8Array()));
  note('a CSR as material', await readKeyMaterial(fixtureText('ec256.csr.pem')));
  note(
    'a PKCS#12 file holding nothing',
    await readKeyMaterial(fixtureBytes('ec256.p12'), { password: 'secret' }),
  );
  note('limit: count', limitFailure(new KdfLimitError(2_000_000n, 2_000_000n), 'privateKey'));
  note('limit: total', totalFailure(6_000_000n, 'pkcs12')!);
  note('limit: neither over its cap', limitFailure(new KdfLimitError(10n, 10n), 'pkcs12'));
  note('limit: negative', iterationFailure(-5n, 'pkcs12')!);

  const certificates: Record<string, string> = {
    'a CSR': fixtureText('ec256.csr.pem'),
    'a private key': ec(),
    'a public key': fixtureText('ec256.pub.pem'),
    'a PKCS#12 file': b64(fixtureBytes('ec256.p12')),
    'EC parameters':
      fixtureText('ec256.sec1-params.pem').split('-----BEGIN EC PRIVATE')[0] +
      block('CERTIFICATE REQUEST', b64(pemDer(fixtureText('ec256.csr.pem')))),
    'a damaged certificate': block('CERTIFICATE', b64(pemDer(ec()))).replace(/MIG/, 'MIG'),
    'not X.509': block('CERTIFICATE', b64(Buffer.from('30030201013003020101', 'hex'))),
    'shaped like X.509': block(
      'CERTIFICATE',
      b64(Buffer.from(`30193012${'020100'.repeat(6)}3000030100`, 'hex')),
    ),
    'a compressed EC point': fixtureText('ec256.compressed.crt.pem'),
    'a PKCS#7 bundle': fixtureText('leaf.chain.p7b.pem'),
  };
  for (const [name, input] of Object.entries(certificates))
    note(name, await readCertificate(input));
  note('a PKCS#7 bundle, DER', await readCertificate(fixtureBytes('leaf.chain.p7b.der')));
  note('a Java KeyStore', await readCertificate(fixtureBytes('ca.jks')));
  note('a Java KeyStore, JCEKS', await readKeyMaterial(fixtureBytes('ca.jceks')));
  note(
    'a Java KeyStore, named',
    await readKeyMaterial(fixtureBytes('ca.jks'), { name: 'my store.jks' }),
  );
  note(
    'a PKCS#7 bundle, named',
    await readKeyMaterial(fixtureBytes('leaf.chain.p7b.der'), { name: 'chain.p7b' }),
  );
  note(
    'nothing at all',
    await readCertificate(
      fixtureText('ec256.sec1-params.pem').split('-----BEGIN EC PRIVATE')[0] + ec(),
    ),
  );
  note(
    'no certificate',
    await readCertificate(
      block(
        'X',
        b64(pemDer(fixtureText('ec256.sec1-params.pem').split('-----BEGIN EC PRIVATE')[0])),
      ),
    ),
  );
  note('public: a private key', await readPublicKey(ec()));
  note('public: a certificate', await readPublicKey(fixtureText('ec256.crt.pem')));
  note('public: a CSR', await readPublicKey(fixtureText('ec256.csr.pem')));
  note(
    'public: damaged RSA',
    await readPublicKey(
      block('PUBLIC KEY', b64(Buffer.from(`3017${RSA_ALG}03060030030101ff`, 'hex'))),
    ),
  );
  note(
    'public: explicit curve',
    await readPublicKey(
      block('PUBLIC KEY', b64(Buffer.from('3011300b06072a8648ce3d0201300003020004', 'hex'))),
    ),
  );
  note(
    'a scrypt-encrypted key, named, no passphrase',
    await readKeyMaterial(fixtureBytes('ec256.scrypt.pem'), { name: 'signing.pem' }),
  );
  note(
    'an explicit-curve key, named',
    await readKeyMaterial(fixtureBytes('ec256.explicit.pem'), { name: 'ec key.pem' }),
  );
  note(
    'public: not SPKI',
    await readPublicKey(block('PUBLIC KEY', b64(Buffer.from('3003020101', 'hex')))),
  );
  note(
    'public: RSA not a sequence',
    await readPublicKey(
      block('PUBLIC KEY', b64(Buffer.from(`3016${RSA_ALG}0305000201010a`, 'hex'))),
    ),
  );

  // The store rules, with the field prefix.
  const pairs: Record<string, Parameters<typeof checkSigningPair>[0]> = {
    'declared PGP': { privateKey: ec(), keyAlgorithm: 'PGP' },
    'declared ML-DSA': { privateKey: ec(), keyAlgorithm: 'mldsa' },
    'declared nonsense': { privateKey: ec(), keyAlgorithm: 'DSA' },
    'declared RSA for an EC key': { privateKey: ec(), keyAlgorithm: 'RSA' },
    'no private key': { certificate: valid.certificate.pem },
    'an encrypted key': { privateKey: fixtureText('ec256.encrypted.pem') },
    'a PKCS#12 key': { privateKey: b64(fixtureBytes('ec256.p12')) },
    'a damaged key': { privateKey: ec().replace(/\n(.)/, '\n%') },
    'a damaged certificate': { privateKey: valid.privateKey.pem, certificate: 'hello' },
    'an expired certificate': {
      privateKey: expired.privateKey.pem,
      certificate: expired.certificate.pem,
    },
    'a future certificate': {
      privateKey: future.privateKey.pem,
      certificate: future.certificate.pem,
    },
    'another key': { privateKey: valid.privateKey.pem, certificate: rsa.certificate.pem },
    'a key as the certificate': { privateKey: valid.privateKey.pem, certificate: ec() },
    'a certificate with a compressed EC point': {
      privateKey: ec(),
      certificate: fixtureText('ec256.compressed.crt.pem'),
    },
  };
  for (const [name, input] of Object.entries(pairs)) note(name, await checkSigningPair(input));
  const publics: Record<string, Parameters<typeof checkPublicMaterial>[0]> = {
    nothing: {},
    'a private key': { publicKey: ec() },
    'a certificate as the public key': { publicKey: fixtureText('ec256.crt.pem') },
    'another public key': {
      publicKey: fixtureText('ec256.pub.pem'),
      certificate: rsa.certificate.pem,
    },
    'declared RSA for an EC certificate': {
      certificate: valid.certificate.pem,
      keyAlgorithm: 'RSA',
    },
  };
  for (const [name, input] of Object.entries(publics)) note(name, await checkPublicMaterial(input));
  const cas: Record<string, Parameters<typeof checkCaPair>[0]> = {
    'CA: no key': { certificate: ca.certificate.pem },
    'CA: no certificate': { privateKey: ca.privateKey.pem },
    'CA: a damaged key': { privateKey: 'nope', certificate: ca.certificate.pem },
    'CA: an RSA key': { privateKey: rsa.privateKey.pem, certificate: rsa.certificate.pem },
    'CA: not a CA': { privateKey: valid.privateKey.pem, certificate: valid.certificate.pem },
    'CA: another key': { privateKey: valid.privateKey.pem, certificate: ca.certificate.pem },
  };
  for (const [name, input] of Object.entries(cas)) note(name, await checkCaPair(input));
  note('CA: expired', verifyCaPair(expiredCa.privateKey, expiredCa.certificate));

  const dns = [
    '',
    'CN',
    'CN=a,=b',
    'XX=a',
    'CN=',
    'C=Germany',
    `CN=${'x'.repeat(70)}`,
    'CN="open',
    'CN="a" b',
    'CN=#0403',
    'CN=a\\',
    'CN=a=b',
    `CN=${'x'.repeat(20_000)}`,
    Array.from({ length: 21 }, (_, i) => `OU=u${i}`).join(','),
    'CN=a\u0000b',
    'CN=root\u200b',
    'CN=\ud800x',
  ];
  for (const dn of dns) note(`DN ${dn.slice(0, 40)}`, parseDn(dn));

  // The readiness checks, each item passing and failing.
  const issuerOf = (p: GeneratedPair): IssuerPem => ({
    privateKey: p.privateKey.pem,
    certificate: p.certificate.pem,
  });
  const ago = (days: number) => new Date(Date.now() + days * 86_400_000);
  const caOf = async (dn: string, from: number, until: number) => {
    const r = await generateCa({ dn, now: ago(from), notAfter: ago(until) });
    assert.ok(r.ok);
    return r.value;
  };
  const [caA, impostor, expiringCa] = await Promise.all([
    caOf('CN=JS7 CA,O=JS7', -1, 1800),
    caOf('CN=JS7 CA,O=JS7', -1, 1800),
    caOf('CN=Old CA,O=JS7', -1700, 20),
  ]);
  const [issued, byExpiring, fakeSelf, expiring] = await Promise.all([
    pairValidBetween(-1, 700, { dn: 'CN=root', issuer: issuerOf(caA) }),
    pairValidBetween(-1, 700, { dn: 'CN=root', issuer: issuerOf(expiringCa) }),
    pairValidBetween(-1, 700, { dn: 'CN=JS7 CA,O=JS7', issuer: issuerOf(caA) }),
    pairValidBetween(-300, 10),
  ]);
  const ready = (name: string, input: Partial<ReadinessInput> & { pair?: GeneratedPair }) =>
    readinessChecks({
      privateKey: input.pair?.privateKey,
      certificates: input.pair ? [input.pair.certificate] : [],
      now: new Date(),
      warnDays: 60,
      signsHere: true,
      ...input,
    }).then((checks) => note(`readiness: ${name}`, checks));
  await ready('self-signed', { pair: valid });
  await ready('self-signed, warning 1 day', { pair: valid, warnDays: 1 });
  await ready('RSA', { pair: rsa });
  await ready('issued by the SSL CA', { pair: issued, sslCa: caA.certificate });
  await ready('issued, an impostor CA', { pair: issued, sslCa: impostor.certificate });
  await ready('issued, no CA', { pair: issued });
  await ready('the CA expiring', { pair: byExpiring, sslCa: expiringCa.certificate });
  await ready('self-issued, signed by another', { pair: fakeSelf });
  note(
    'readiness: no expiry date',
    await storedKeyReadiness(
      {
        privateKey: fixtureText('noexpiry.pkcs8.pem'),
        certificate: fixtureText('noexpiry.crt.pem'),
      },
      { now: new Date(), warnDays: 60, signsHere: true },
    ),
  );
  await ready('expired', { pair: expired });
  await ready('not yet valid', { pair: future });
  await ready('expiring', { pair: expiring });
  await ready('another key', { pair: valid, privateKey: rsa.privateKey });
  await ready('nothing', {});
  await ready('nothing, at HIGH', { signsHere: false });
  await ready('a certificate alone', { certificates: [valid.certificate] });
  await ready('a public key at HIGH', {
    signsHere: false,
    publicKey: { ...valid.privateKey, pem: '' },
    certificates: [valid.certificate],
  });
  note(
    'a certificate given after its CA certificate',
    await checkSigningPair({
      privateKey: fixtureText('leaf.pkcs8.pem'),
      certificate: fixtureText('ca.crt.pem') + fixtureText('leaf.crt.pem'),
    }),
  );
  note(
    'readiness: a stored certificate that does not read',
    await storedKeyReadiness(
      { certificate: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n' },
      { now: new Date(), warnDays: 60, signsHere: true },
    ),
  );
  for (const source of ['file', 'files'] as const)
    note(
      `certificates left out, from ${source}`,
      certificatesLeftOut(valid.certificate, [valid.certificate, ca.certificate], source)!,
    );
  await ready('a chain stored with the certificate', {
    pair: issued,
    certificates: [issued.certificate, caA.certificate],
  });
  await ready('text before the certificate', {
    pair: issued,
    sslCa: caA.certificate,
    certificateText: `Bag Attributes\n${issued.certificate.pem}`,
  });
  await ready('a stored chain, the CA of that name did not sign', {
    pair: issued,
    certificates: [issued.certificate, impostor.certificate],
  });
  await ready('the CA has no basicConstraints', {
    pair: issued,
    sslCa: { ...caA.certificate, basicConstraints: false },
  });
  await ready('the CA signature cannot be checked', {
    pair: issued,
    sslCa: { ...caA.certificate, der: new Uint8Array([0x30, 0x00]) },
  });
  await ready('self-signed, empty subject', {
    pair: valid,
    certificates: [{ ...valid.certificate, subject: '' }],
  });
  const jocGenerated = await readCertificates(JOC_GENERATED_CERTIFICATE);
  assert.ok(jocGenerated.ok);
  await ready('JOC generated without the SSL CA', { certificates: jocGenerated.value });
  const day = 86_400_000;
  note(
    'expiry: invalid',
    await generateSigningPair({ algorithm: 'ECDSA', dn: 'CN=a', notAfter: new Date(NaN) }),
  );
  note(
    'expiry: past',
    await generateSigningPair({
      algorithm: 'ECDSA',
      dn: 'CN=a',
      notAfter: new Date(Date.now() - day),
    }),
  );
  note(
    'issuer: damaged',
    await generateSigningPair({
      algorithm: 'ECDSA',
      dn: 'CN=a',
      notAfter: new Date(Date.now() + day),
      issuer: { privateKey: 'x', certificate: 'y' },
    }),
  );
  note(
    'issuer: expired',
    await generateSigningPair({
      algorithm: 'ECDSA',
      dn: 'CN=a',
      notAfter: new Date(Date.now() + day),
      issuer: { privateKey: expiredCa.privateKey.pem, certificate: expiredCa.certificate.pem },
    }),
  );
  note(
    'issuer: ends first',
    await generateSigningPair({
      algorithm: 'ECDSA',
      dn: 'CN=a',
      notAfter: new Date(Date.now() + 10_000 * day),
      issuer: { privateKey: ca.privateKey.pem, certificate: ca.certificate.pem },
    }),
  );
}

describe('PKI messages and the pki catalogs', () => {
  it('every code has an entry in every language, and no entry lacks a code', () => {
    const codes = new Set<string>([...Object.keys(PKI_CODES), 'inField', 'inFieldCase']);
    for (const lang of LANGUAGES) {
      const keys = Object.keys(catalogs[lang]);
      assert.deepEqual(
        {
          missing: [...codes].filter((c) => !keys.includes(c)),
          extra: keys.filter((k) => !codes.has(k)),
        },
        { missing: [], extra: [] },
        lang,
      );
    }
  });

  it('the drive produces every code but the few listed as out of its reach', () => {
    const notSeen = Object.keys(PKI_CODES).filter((c) => !seen.has(c as PkiCode));
    assert.deepEqual(notSeen.sort(), Object.keys(NOT_DRIVEN).sort());
  });

  it('each message carries the values its code names, and only those', () => {
    const problems: string[] = [];
    for (const [code, messages] of seen)
      for (const m of messages) {
        const allowed = new Set<string>(PKI_CODES[code]);
        for (const name of Object.keys(m.params))
          if (!allowed.has(name)) problems.push(`${m.case}: ${code} has ${name}`);
      }
    assert.deepEqual(problems, []);
  });

  it('the English catalog, formatted with the values, is the English message exactly', () => {
    const problems: string[] = [];
    for (const messages of seen.values())
      for (const m of messages) {
        const shown = render('en', m);
        if (shown !== m.message)
          problems.push(`${m.case} (${m.code}):\n  ${shown}\n≠ ${m.message}`);
      }
    assert.equal(problems.join('\n'), '');
  });

  it('keys of an unsupported curve or algorithm are named in plain English, by name or by OID', () => {
    const english = (code: PkiCode) => (seen.get(code) ?? []).map((m) => m.message);
    assert.ok(
      english('unsupportedCurve').includes(
        'ECDSA keys on the curve secp256k1 are not supported: use P-256, P-384 or P-521.',
      ),
    );
    assert.deepEqual(english('unsupportedCurveOid'), [
      'ECDSA keys on the curve with OID 1.3.6.1.4.1 are not supported: use P-256, P-384 or P-521.',
    ]);
    assert.ok(
      english('unsupportedAlgorithm').includes(
        'Ed25519 keys are not supported: JS7 signs with ECDSA or RSA keys.',
      ),
    );
    assert.deepEqual(english('unsupportedAlgorithmOid'), [
      'Keys of the algorithm with OID 1.3.6.1.4.1 are not supported: JS7 signs with ECDSA or RSA keys.',
    ]);
  });

  for (const lang of LANGUAGES.filter((l) => l !== 'en')) {
    it(`${lang}: every message produced formats, in full, and is not the English text`, () => {
      const problems: string[] = [];
      for (const messages of seen.values())
        for (const m of messages) {
          try {
            const shown = render(lang, m);
            if (/[{}]/.test(shown) || shown === m.message)
              problems.push(`${m.case} (${m.code}): ${shown}`);
          } catch (e) {
            problems.push(`${m.case} (${m.code}): ${(e as Error).message}`);
          }
        }
      assert.deepEqual(problems, []);
    });
  }
});
