/**
 * The store rules: what a person may save as the signing pair, and why not otherwise.
 * Certificates relative to now are made at test time.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createECDH, type ECDH } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import * as asn1js from 'asn1js';
import { toArrayBuffer } from './bytes';
import {
  certificateFor,
  certificatesLeftOut,
  certificatesOfKey,
  certificateStatus,
  checkCaPair,
  checkPublicMaterial,
  checkSigningPair,
  generateCa,
  keyMatchesCertificate,
  readCertificate,
  readCertificates,
  readPrivateKey,
  toPem,
  type CertificateSource,
} from './index';
import { pemDer } from './testdata/crafted';
import { fixtureText, pairValidBetween } from './testing';
import type { Certificate, GeneratedPair, PrivateKey } from './types';
import type { DayNumber } from './days';

const CURVE_OIDS = {
  'P-256': '1.2.840.10045.3.1.7',
  'P-384': '1.3.132.0.34',
  'P-521': '1.3.132.0.35',
} as const;

/** A SubjectPublicKeyInfo holding an EC point as given (compressed or not). */
function spkiOf(curve: keyof typeof CURVE_OIDS, point: Uint8Array): Uint8Array {
  const algorithm = new asn1js.Sequence({
    value: [
      new asn1js.ObjectIdentifier({ value: '1.2.840.10045.2.1' }),
      new asn1js.ObjectIdentifier({ value: CURVE_OIDS[curve] }),
    ],
  });
  const key = new asn1js.BitString({ valueHex: toArrayBuffer(point) });
  return new Uint8Array(new asn1js.Sequence({ value: [algorithm, key] }).toBER(false));
}

/** An uncompressed point (04, x, y) in compressed form (02 or 03 by the parity of y, then x). */
function compress(point: Uint8Array): Uint8Array {
  const size = (point.length - 1) / 2;
  return new Uint8Array([2 + (point[point.length - 1] & 1), ...point.subarray(1, 1 + size)]);
}

let valid: GeneratedPair;
let expired: GeneratedPair;
let future: GeneratedPair;
let expiring: GeneratedPair;

before(async () => {
  [valid, expired, future, expiring] = await Promise.all([
    pairValidBetween(-1, 365),
    pairValidBetween(-400, -35),
    pairValidBetween(30, 400),
    pairValidBetween(-300, 10),
  ]);
});

describe('checkSigningPair', () => {
  const rows: Array<{
    name: string;
    input: () => { privateKey?: string; certificate?: string; keyAlgorithm?: string };
    reason?: string;
    message?: RegExp | (() => RegExp);
    warning?: RegExp;
  }> = [
    { name: 'a key alone', input: () => ({ privateKey: valid.privateKey.pem }) },
    {
      name: 'a key and its certificate',
      input: () => ({
        privateKey: valid.privateKey.pem,
        certificate: valid.certificate.pem,
        keyAlgorithm: 'ECDSA',
      }),
    },
    {
      name: 'the algorithm in lower case with spaces around it',
      input: () => ({
        privateKey: valid.privateKey.pem,
        certificate: valid.certificate.pem,
        keyAlgorithm: ' ecdsa ',
      }),
    },
    {
      name: 'a key and its chain (leaf first)',
      input: () => ({
        privateKey: fixtureText('leaf.pkcs8.pem'),
        certificate: fixtureText('leaf.chain.pem'),
      }),
    },
    {
      name: 'a PKCS#1 RSA key with its certificate',
      input: () => ({
        privateKey: fixtureText('rsa2048.pkcs1.pem'),
        certificate: fixtureText('rsa2048.crt.pem'),
        keyAlgorithm: 'RSA',
      }),
    },
    {
      name: 'lower-case algorithm',
      input: () => ({ privateKey: valid.privateKey.pem, keyAlgorithm: 'ecdsa' }),
    },
    {
      name: 'a certificate not valid yet (warning)',
      input: () => ({ privateKey: future.privateKey.pem, certificate: future.certificate.pem }),
      warning: /not valid until \d{4}-\d\d-\d\d/,
    },
    {
      name: 'a certificate expiring in 10 days',
      input: () => ({ privateKey: expiring.privateKey.pem, certificate: expiring.certificate.pem }),
    },
    {
      name: 'no private key',
      input: () => ({ certificate: valid.certificate.pem }),
      reason: 'empty',
      message: /^No private key was provided\.$/,
    },
    {
      name: 'a blank private key',
      input: () => ({ privateKey: '  \n' }),
      reason: 'empty',
      message: /No private key/,
    },
    {
      name: 'a public key as private key',
      input: () => ({ privateKey: fixtureText('ec256.pub.pem') }),
      reason: 'public-key-not-private',
      message: /^Private key: this is a public key; a private key is expected here\.$/,
    },
    {
      name: 'a certificate that belongs to another key',
      input: () => ({ privateKey: valid.privateKey.pem, certificate: expiring.certificate.pem }),
      reason: 'key-certificate-mismatch',
      message: /does not belong to this private key/,
    },
    {
      name: 'an expired certificate',
      input: () => ({ privateKey: expired.privateKey.pem, certificate: expired.certificate.pem }),
      reason: 'expired',
      message: () => new RegExp(`^Certificate: the certificate expired on ${expiredDate()}`),
    },
    {
      name: 'a CSR as certificate',
      input: () => ({
        privateKey: fixtureText('ec256.pkcs8.pem'),
        certificate: fixtureText('ec256.csr.pem'),
      }),
      reason: 'csr',
      message: /^Certificate: this is a certificate signing request/,
    },
    {
      name: 'a key as certificate',
      input: () => ({ privateKey: valid.privateKey.pem, certificate: valid.privateKey.pem }),
      reason: 'key-not-certificate',
      message: /^Certificate: this is a private key/,
    },
    {
      name: 'RSA declared for an EC key',
      input: () => ({ privateKey: valid.privateKey.pem, keyAlgorithm: 'RSA' }),
      reason: 'algorithm-mismatch',
      message: /given as RSA, but the key is an ECDSA P-256 key/,
    },
    {
      name: 'PGP declared',
      input: () => ({ privateKey: valid.privateKey.pem, keyAlgorithm: 'PGP' }),
      reason: 'unsupported-algorithm',
      message: /PGP keys are not supported/,
    },
    {
      name: 'an unknown algorithm',
      input: () => ({ privateKey: valid.privateKey.pem, keyAlgorithm: 'DES' }),
      reason: 'unsupported-algorithm',
      message: /"DES" is not a key algorithm/,
    },
    {
      name: 'RSA 1024',
      input: () => ({ privateKey: fixtureText('rsa1024.pkcs8.pem') }),
      reason: 'rsa-too-small',
      message: /1024 bits/,
    },
    {
      name: 'Ed25519',
      input: () => ({ privateKey: fixtureText('ed25519.pkcs8.pem') }),
      reason: 'unsupported-algorithm',
      message: /Ed25519/,
    },
    {
      name: 'an encrypted key',
      input: () => ({ privateKey: fixtureText('ec256.encrypted.pem') }),
      reason: 'encrypted-key',
      message: /encrypted\. Enter its passphrase/,
    },
    {
      name: 'a key whose embedded public point is compressed, and its certificate',
      input: () => ({
        privateKey: fixtureText('ec256.sec1-compressed.pem'),
        certificate: fixtureText('ec256.crt.pem'),
      }),
    },
    {
      name: 'a certificate whose EC public key is compressed, for the key in its usual form',
      input: () => ({
        privateKey: fixtureText('ec256.pkcs8.pem'),
        certificate: fixtureText('ec256.compressed.crt.pem'),
      }),
      reason: 'unsupported-algorithm',
      message:
        /^Certificate: the certificate's EC public key is in compressed form, which JOC Cockpit and the Controllers \(Java\) cannot read/,
    },
    {
      name: 'a certificate whose EC public key is compressed, for its own key',
      input: () => ({
        privateKey: fixtureText('ec256.sec1-compressed.pem'),
        certificate: fixtureText('ec256.compressed.crt.pem'),
      }),
      reason: 'unsupported-algorithm',
      message: /^Certificate: the certificate's EC public key is in compressed form/,
    },
  ];
  for (const row of rows) {
    it(row.reason ? `refuses ${row.name}` : `accepts ${row.name}`, async () => {
      const result = await checkSigningPair(row.input());
      if (!row.reason) {
        assert.ok(result.ok, result.ok ? '' : result.message);
        if (row.warning) assert.match(result.warnings.map((w) => w.message).join(' '), row.warning);
        return;
      }
      assert.equal(result.ok, false);
      if (result.ok) return;
      assert.equal(result.reason, row.reason, result.message);
      assert.match(
        result.message,
        typeof row.message === 'function' ? row.message() : row.message!,
      );
    });
  }
});

function expiredDate(): string {
  return expired.certificate.notAfter.toISOString().slice(0, 10);
}

describe('checkPublicMaterial (security level HIGH)', () => {
  it('accepts a public key and its certificate', async () => {
    const r = await checkPublicMaterial({
      publicKey: fixtureText('ec256.pub.pem'),
      certificate: fixtureText('ec256.crt.pem'),
    });
    assert.ok(r.ok, r.ok ? '' : r.message);
  });
  it('refuses a private key, saying why', async () => {
    const r = await checkPublicMaterial({ publicKey: fixtureText('ec256.pkcs8.pem') });
    assert.ok(!r.ok && r.reason === 'private-key-not-public' && /HIGH/.test(r.message));
  });
  it('refuses nothing at all', async () => {
    const r = await checkPublicMaterial({});
    assert.ok(!r.ok && r.reason === 'empty');
  });
  it('accepts a public key with a compressed point and its certificate (points compared)', async () => {
    const point = pemDer(fixtureText('ec256.pub.pem')).slice(-65);
    const compressed = spkiOf('P-256', compress(point));
    const r = await checkPublicMaterial({
      publicKey: toPem('PUBLIC KEY', compressed),
      certificate: fixtureText('ec256.crt.pem'),
    });
    assert.ok(r.ok, r.ok ? '' : r.message);
  });
});

describe('keyMatchesCertificate compares EC points, compressed or not', () => {
  const NAMES = { 'P-256': 'prime256v1', 'P-384': 'secp384r1', 'P-521': 'secp521r1' } as const;
  for (const curve of ['P-256', 'P-384', 'P-521'] as const)
    it(`${curve}: a point and its compressed form match; another point or the other y does not`, () => {
      for (let i = 0; i < 40; i++) {
        const [one, other] = [createECDH(NAMES[curve]), createECDH(NAMES[curve])];
        one.generateKeys();
        other.generateKeys();
        const spki = (ecdh: ECDH, form: 'compressed' | 'uncompressed') => ({
          spki: spkiOf(curve, new Uint8Array(ecdh.getPublicKey(null, form))),
        });
        const point = new Uint8Array(one.getPublicKey(null, 'compressed'));
        const flipped = {
          spki: spkiOf(curve, new Uint8Array([point[0] ^ 1, ...point.subarray(1)])),
        };
        assert.ok(keyMatchesCertificate(spki(one, 'compressed'), spki(one, 'uncompressed')));
        assert.ok(keyMatchesCertificate(spki(one, 'uncompressed'), spki(one, 'compressed')));
        assert.ok(!keyMatchesCertificate(spki(other, 'compressed'), spki(one, 'uncompressed')));
        assert.ok(!keyMatchesCertificate(flipped, spki(one, 'uncompressed')));
      }
    });
});

describe('checkCaPair', () => {
  it('accepts a generated CA', async () => {
    const ca = await generateCa({ dn: 'CN=CA,O=JS7' });
    assert.ok(ca.ok);
    const r = await checkCaPair({
      privateKey: ca.value.privateKey.pem,
      certificate: ca.value.certificate.pem,
    });
    assert.ok(r.ok, r.ok ? '' : r.message);
  });
  it('refuses a certificate that is not a CA', async () => {
    const r = await checkCaPair({
      privateKey: valid.privateKey.pem,
      certificate: valid.certificate.pem,
    });
    assert.ok(!r.ok && r.reason === 'not-a-ca', r.ok ? '' : r.message);
  });
  it('refuses an RSA CA', async () => {
    const r = await checkCaPair({
      privateKey: fixtureText('rsa2048.pkcs8.pem'),
      certificate: fixtureText('rsa2048.crt.pem'),
    });
    assert.ok(
      !r.ok && r.reason === 'unsupported-algorithm' && /must be an ECDSA key/.test(r.message),
    );
  });
});

describe('certificateStatus', () => {
  const now = new Date();
  const rows: Array<[string, () => GeneratedPair, string]> = [
    ['valid for a year', () => valid, 'valid'],
    ['expired 35 days ago', () => expired, 'expired'],
    ['not valid for 30 days', () => future, 'not-yet-valid'],
    ['expiring in 10 days', () => expiring, 'expiring'],
  ];
  for (const [name, pair, state] of rows) {
    it(`${name} → ${state}`, () => {
      const status = certificateStatus(pair().certificate, now, 60);
      assert.equal(status.state, state);
      assert.ok(status.used >= 0 && status.used <= 1);
    });
  }
  it('no expiry date (99991231235959Z, an OpenSSL certificate): valid for good, never expiring', async () => {
    const read = await readCertificate(fixtureText('noexpiry.crt.pem'));
    assert.ok(read.ok);
    const cert = read.value;
    assert.equal(cert.notAfter.toISOString(), '9999-12-31T23:59:59.000Z');
    for (const warnDays of [0, 60, 36_500_000]) {
      const s = certificateStatus(cert, now, warnDays);
      assert.equal(s.state, 'valid', String(warnDays));
      assert.equal(s.noExpiry, true);
      assert.equal(s.used, 0);
    }
    // Even at its very end, and before its start it is not yet valid.
    assert.equal(certificateStatus(cert, new Date('9999-12-31T23:59:59.500Z'), 60).state, 'valid');
    assert.equal(
      certificateStatus(cert, new Date('2025-06-01T00:00:00Z'), 60).state,
      'not-yet-valid',
    );
    // One second earlier is a date like any other.
    const earlier = { notBefore: cert.notBefore, notAfter: new Date('9999-12-31T23:59:58Z') };
    assert.equal(certificateStatus(earlier, now, 60).noExpiry, undefined);
    assert.equal(certificateStatus(earlier, new Date('9999-12-31T23:59:59Z'), 60).state, 'expired');
  });
  it('counts days left and the share of the period used', () => {
    const s = certificateStatus(expiring.certificate, now, 60);
    assert.ok(s.daysLeft === 9 || s.daysLeft === 10, String(s.daysLeft));
    assert.ok(Math.abs(s.used - 300 / 310) < 0.01);
  });
  it('counts calendar days, as a person does beside the end date', () => {
    const at = (iso: string) => new Date(iso);
    const status = (notAfter: string, seen: string, dayNumber?: DayNumber) =>
      certificateStatus(
        { notBefore: at('2027-01-01T10:00:00Z'), notAfter: at(notAfter) },
        at(seen),
        60,
        dayNumber,
      );
    // Made for 12 days and seen two hours later: 12 days left, not 11.
    assert.equal(status('2027-01-13T10:00:00Z', '2027-01-01T12:00:00Z').daysLeft, 12);
    // Ends tomorrow morning: 1 day left, not "today".
    assert.equal(status('2027-01-02T09:00:00Z', '2027-01-01T12:00:00Z').daysLeft, 1);
    assert.equal(status('2027-01-01T23:00:00Z', '2027-01-01T12:00:00Z').daysLeft, 0);
    // In a zone 9 hours ahead of UTC, 14:00 and 16:00 UTC fall on two dates.
    const tokyo: DayNumber = (d) => Math.floor((d.getTime() + 9 * 3_600_000) / 86_400_000);
    assert.equal(status('2027-01-01T16:00:00Z', '2027-01-01T14:00:00Z').daysLeft, 0);
    assert.equal(status('2027-01-01T16:00:00Z', '2027-01-01T14:00:00Z', tokyo).daysLeft, 1);
  });
  it('is expiring once the days shown are within the threshold, whatever the hour it ends', () => {
    const status = (notAfter: string, warnDays: number) =>
      certificateStatus(
        { notBefore: new Date('2027-01-01T00:00:00Z'), notAfter: new Date(notAfter) },
        new Date('2027-01-10T13:00:00Z'),
        warnDays,
      );
    // Tomorrow afternoon: "1 day left", which a threshold of 1 warns of (24 hours would not).
    assert.equal(status('2027-01-11T14:00:00Z', 1).state, 'expiring');
    assert.equal(status('2027-01-12T09:00:00Z', 1).state, 'valid');
    // A threshold of 0 warns on the last day only.
    assert.equal(status('2027-01-10T23:00:00Z', 0).state, 'expiring');
    assert.equal(status('2027-01-11T01:00:00Z', 0).state, 'valid');
  });
});

describe('certificateFor: several certificates for one key', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pki-several-'));
  const openssl = (...args: string[]) =>
    execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const DAY = 86_400_000;
  let key: PrivateKey;
  let selfSigned30: Certificate;
  let issued20: Certificate;
  let issued400: Certificate;
  let ca: Certificate;

  before(async () => {
    openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'k.pem');
    // keytool's placeholder: the key's own self-signed certificate.
    openssl(
      'req',
      '-x509',
      '-key',
      'k.pem',
      '-subj',
      '/CN=renew-me',
      '-days',
      '30',
      '-out',
      'self.pem',
    );
    openssl('req', '-new', '-key', 'k.pem', '-subj', '/CN=renew-me', '-out', 'k.csr');
    openssl(
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      'ca.key',
      '-subj',
      '/CN=Several CA',
      '-days',
      '500',
      '-out',
      'ca.pem',
    );
    for (const [out, days] of [
      ['issued20.pem', '20'],
      ['issued400.pem', '400'],
    ])
      openssl(
        'x509',
        '-req',
        '-in',
        'k.csr',
        '-CA',
        'ca.pem',
        '-CAkey',
        'ca.key',
        '-set_serial',
        days,
        '-days',
        days,
        '-out',
        out,
      );
    const certificate = async (file: string) => {
      const result = await readCertificate(readFileSync(join(dir, file), 'utf8'));
      assert.ok(result.ok);
      return result.value;
    };
    const read = await readPrivateKey(readFileSync(join(dir, 'k.pem'), 'utf8'));
    assert.ok(read.ok);
    key = read.value;
    [selfSigned30, issued20, issued400, ca] = await Promise.all(
      ['self.pem', 'issued20.pem', 'issued400.pem', 'ca.pem'].map(certificate),
    );
    rmSync(dir, { recursive: true, force: true });
  });

  it('takes the one the CA issued over the self-signed placeholder, in any order', () => {
    for (const given of [
      [selfSigned30, ca, issued20],
      [issued20, ca, selfSigned30],
      [ca, selfSigned30, issued20],
    ])
      assert.equal(certificateFor(key, given), issued20);
    assert.deepEqual(certificatesOfKey(key, [selfSigned30, ca, issued20]), [
      selfSigned30,
      issued20,
    ]);
  });

  it('takes one valid now over an expired one, and the last to end among the valid', () => {
    assert.equal(
      certificateFor(key, [issued20, selfSigned30], new Date(Date.now() + 25 * DAY)),
      selfSigned30,
    );
    assert.equal(certificateFor(key, [issued400, issued20, selfSigned30]), issued400);
    assert.equal(certificateFor(key, [issued20, issued400]), issued400);
  });
});

describe('certificatesLeftOut says where the certificates left out were given', () => {
  it('in the text, in the file, in the files', async () => {
    const certificates = await readCertificates(
      fixtureText('leaf.crt.pem') + fixtureText('ca.crt.pem'),
    );
    assert.ok(certificates.ok);
    const [leaf] = certificates.value;
    const said = (source?: CertificateSource) =>
      certificatesLeftOut(leaf, certificates.value, source)?.message;
    const rest =
      ': JOC hands the stored certificate to the Controllers, which read one. Each Controller and Agent holds the CA certificate itself.';
    const only = 'Only the certificate CN=leaf,OU=JOC,O=JS7 is stored, not the other certificate';
    assert.equal(said(), `${only} in the text${rest}`);
    assert.equal(said('text'), `${only} in the text${rest}`);
    assert.equal(said('file'), `${only} in the file${rest}`);
    assert.equal(said('files'), `${only} in the files${rest}`);
    assert.deepEqual(certificatesLeftOut(leaf, certificates.value, 'file')?.params, {
      subject: 'CN=leaf,OU=JOC,O=JS7',
      count: 1,
      source: 'file',
    });
  });
});
