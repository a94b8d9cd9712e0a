/**
 * Interoperability with OpenSSL: what we generate and sign, OpenSSL verifies; what OpenSSL
 * makes, we read with the same facts OpenSSL reports.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  generateCa,
  generateSigningPair,
  readCertificate,
  readKeyMaterial,
  readPrivateKey,
  signDocument,
  verifyDocument,
} from './index';
import { fixtureText } from './testing';

const fixturePath = (name: string) => join(__dirname, 'testdata', name);

const dir = mkdtempSync(join(tmpdir(), 'pki-openssl-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content: string | Uint8Array) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const openssl = (...args: string[]) =>
  execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const document = new TextEncoder().encode(
  '{"TYPE":"Workflow","path":"/demo/wf","instructions":[]}',
);
const inAYear = () => new Date(Date.now() + 365 * 86_400_000);

describe('OpenSSL accepts what we make', () => {
  for (const [algorithm, digest] of [
    ['ECDSA', '-sha512'],
    ['RSA', '-sha256'],
  ] as const) {
    it(`${algorithm}: a signature over a workflow verifies with "openssl dgst ${digest} -verify"`, async () => {
      const pair = await generateSigningPair({
        algorithm,
        dn: 'CN=root,OU=JOC,O=JS7',
        notAfter: inAYear(),
      });
      assert.ok(pair.ok);
      const signature = await signDocument(pair.value.privateKey, document);
      assert.ok(await verifyDocument(pair.value.certificate, document, signature));
      const cert = file(`${algorithm}.crt`, pair.value.certificate.pem);
      const pub = file(`${algorithm}.pub`, openssl('x509', '-in', cert, '-pubkey', '-noout'));
      const out = openssl(
        'dgst',
        digest,
        '-verify',
        pub,
        '-signature',
        file(`${algorithm}.sig`, signature),
        file('doc.json', document),
      );
      assert.match(out, /Verified OK/);
      // And OpenSSL reads the key we store.
      assert.match(
        openssl(
          'pkey',
          '-in',
          file(`${algorithm}.key`, pair.value.privateKey.pem),
          '-noout',
          '-text',
        ),
        algorithm === 'RSA' ? /4096 bit/ : /P-256|prime256v1/,
      );
    });
  }

  it('a CA-issued certificate passes "openssl verify -CAfile" and carries the codeSigning profile', async () => {
    const ca = await generateCa({ dn: 'CN=JS7 SSL CA,O=JS7' });
    assert.ok(ca.ok);
    const pair = await generateSigningPair({
      algorithm: 'ECDSA',
      dn: 'CN=root',
      notAfter: inAYear(),
      issuer: { privateKey: ca.value.privateKey.pem, certificate: ca.value.certificate.pem },
    });
    assert.ok(pair.ok);
    const out = openssl(
      'verify',
      '-CAfile',
      file('ca.pem', ca.value.certificate.pem),
      file('leaf.pem', pair.value.certificate.pem),
    );
    assert.match(out, /leaf\.pem: OK/);
    const text = openssl('x509', '-in', join(dir, 'leaf.pem'), '-noout', '-text');
    assert.match(text, /CA:FALSE/);
    assert.match(text, /Key Usage: critical\s+Digital Signature/);
    assert.match(text, /Code Signing/);
    const caText = openssl('x509', '-in', join(dir, 'ca.pem'), '-noout', '-text');
    assert.match(caText, /Basic Constraints: critical\s+CA:TRUE/);
    assert.match(caText, /Key Usage: critical\s+Certificate Sign, CRL Sign/);
  });
});

describe('we read what OpenSSL makes, with the facts OpenSSL reports', () => {
  for (const name of ['ec256.crt.pem', 'rsa2048.crt.pem', 'leaf.crt.pem', 'ca.crt.pem']) {
    it(name, async () => {
      const cert = await readCertificate(fixtureText(name));
      assert.ok(cert.ok);
      const fingerprint = openssl(
        'x509',
        '-in',
        fixturePath(name),
        '-noout',
        '-fingerprint',
        '-sha256',
      )
        .trim()
        .split('=')[1];
      assert.equal(cert.value.fingerprintSha256, fingerprint);
      const serial = openssl('x509', '-in', fixturePath(name), '-noout', '-serial')
        .trim()
        .split('=')[1];
      assert.equal(cert.value.serialNumber.replace(/^0+/, ''), serial.replace(/^0+/, ''));
      const end = openssl('x509', '-in', fixturePath(name), '-noout', '-enddate')
        .trim()
        .split('=')[1];
      assert.equal(cert.value.notAfter.getTime(), new Date(end).getTime());
      const subject = openssl(
        'x509',
        '-in',
        fixturePath(name),
        '-noout',
        '-subject',
        '-nameopt',
        'RFC2253',
      )
        .trim()
        .replace(/^subject=/, '');
      assert.equal(cert.value.subject, subject);
    });
  }

  it('a key OpenSSL signs with verifies with our reading of its certificate', async () => {
    const sig = execFileSync('openssl', [
      'dgst',
      '-sha512',
      '-sign',
      fixturePath('ec256.pkcs8.pem'),
      file('doc2.json', document),
    ]);
    const cert = await readCertificate(fixtureText('ec256.crt.pem'));
    assert.ok(cert.ok);
    assert.ok(await verifyDocument(cert.value, document, new Uint8Array(sig)));
    const key = await readPrivateKey(fixtureText('ec256.sec1.pem'));
    assert.ok(key.ok);
    assert.ok(await verifyDocument(cert.value, document, await signDocument(key.value, document)));
  });
});

describe('passphrases beyond ASCII, as OpenSSL encodes them (UTF-8; BMPString in PKCS#12)', () => {
  const passphrase = 'Schlüssel-pässwörd-鍵';
  const key = fixturePath('ec256.pkcs8.pem');
  const cert = fixturePath('ec256.crt.pem');
  const made: Array<[string, string[]]> = [
    [
      'PKCS#8 with PBKDF2 (openssl pkcs8 -v2)',
      ['pkcs8', '-topk8', '-v2', 'aes-256-cbc', '-in', key],
    ],
    ['legacy Proc-Type PEM (openssl ec -aes256)', ['ec', '-aes256', '-in', key]],
    ['PKCS#12, AES (openssl pkcs12 -export)', ['pkcs12', '-export', '-inkey', key, '-in', cert]],
    ['PKCS#12, legacy 3DES', ['pkcs12', '-export', '-legacy', '-inkey', key, '-in', cert]],
  ];
  for (const [name, args] of made) {
    it(`opens ${name}`, async () => {
      const out = join(dir, `utf8-${name.replace(/\W+/g, '-')}`);
      execFileSync('openssl', [...args, '-out', out, '-passout', `pass:${passphrase}`], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const bytes = new Uint8Array(readFileSync(out));
      const opened = await readKeyMaterial(bytes, { password: passphrase });
      assert.ok(opened.ok, opened.ok ? '' : opened.message);
      assert.equal(opened.value.privateKey?.algorithm, 'ECDSA');
      const wrong = await readKeyMaterial(bytes, { password: 'Schlussel-password-' });
      assert.equal(wrong.ok, false);
    });
  }
});
