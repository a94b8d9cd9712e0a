/**
 * `/profile/ca...`: the built-in SSL CA (ECDSA only, no delete), its permissions at every level,
 * and generation with `useSslCa`.
 */
import type { LightMyRequestResponse } from 'fastify';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { JocSecurityLevel } from '../../src/contract';
import { fixtureBytes } from '../../src/pki/testing';
import {
  openssl,
  opensslPair,
  pairMatches,
  schemaErrors,
  tempDir,
  testApp,
  type PemPair,
  type TestApp,
  type UploadFile,
} from './helpers';

let fx: string;
let ca: PemPair;
let otherCa: PemPair;
let leaf: PemPair;
let rsaCa: PemPair;
before(() => {
  fx = tempDir('joc-ca-fx-');
  ca = opensslPair(fx, { cn: 'Test Root CA', ca: true, days: 3650 });
  otherCa = opensslPair(fx, { cn: 'Other CA', ca: true, days: 3650 });
  leaf = opensslPair(fx, { cn: 'not a ca' });
  rsaCa = opensslPair(fx, { algorithm: 'rsa', bits: 2048, cn: 'RSA CA', ca: true });
});
after(() => rmSync(fx, { recursive: true, force: true }));

const file = (content: string | Uint8Array): UploadFile => ({ filename: 'ca.pem', content });
function assertError(
  res: LightMyRequestResponse,
  status: number,
  code: string,
  message?: RegExp,
): void {
  assert.equal(res.statusCode, status, res.body);
  assert.equal(schemaErrors('common/error420-schema.json', res.json()), '');
  assert.equal(res.json().error.code, code, res.json().error.message);
  if (message) assert.match(res.json().error.message, message);
}
function assertOk(res: LightMyRequestResponse): void {
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(schemaErrors('common/ok-schema.json', res.json()), '');
}

const CALLS: Array<
  [string, 'view' | 'manage', (t: TestApp, token?: string) => Promise<LightMyRequestResponse>]
> = [
  ['profile/ca', 'view', (t, token) => t.post('profile/ca', token, {})],
  [
    'profile/ca/generate',
    'manage',
    (t, token) => t.post('profile/ca/generate', token, { dn: 'CN=JS7 CA,O=SOS' }),
  ],
  [
    'profile/ca/store',
    'manage',
    (t, token) => t.post('profile/ca/store', token, { privateKey: ca.key, certificate: ca.cert }),
  ],
  [
    'profile/ca/import',
    'manage',
    (t, token) => t.upload('profile/ca/import', token, {}, [file(ca.key + ca.cert)]),
  ],
];

for (const level of ['LOW', 'MEDIUM', 'HIGH'] as JocSecurityLevel[]) {
  describe(`SSL CA at ${level}: who may call what`, () => {
    let t: TestApp;
    const tokens: Record<string, string> = {};
    before(async () => {
      t = await testApp({ level });
      for (const a of ['admin2', 'viewer', 'nobody']) tokens[a] = await t.login(a);
    });
    after(() => t.close());
    for (const [name, needs, call] of CALLS) {
      it(`${name}: not logged in 401, no permission 403, viewer ${needs === 'view' ? 200 : 403}, manager 200`, async () => {
        const before = t.snapshot();
        assertError(await call(t), 401, 'JOC-401');
        assertError(await call(t, tokens['nobody']), 403, 'JOC-403');
        const viewer = await call(t, tokens['viewer']);
        if (needs === 'view') assert.equal(viewer.statusCode, 200);
        else assertError(viewer, 403, 'JOC-403');
        assert.equal(t.snapshot(), before);
        const res = await call(t, tokens['admin2']);
        assert.equal(res.statusCode, 200, res.body);
        if (name === 'profile/ca/generate')
          assert.equal(schemaErrors('sign/jocKeyPair-schema.json', res.json()), '');
      });
    }
  });
}

describe('SSL CA: generate, store, import, show', () => {
  let t: TestApp;
  let token: string;
  let viewer: string;
  before(async () => {
    t = await testApp({ level: 'MEDIUM' });
    token = await t.login('root');
    viewer = await t.login('viewer');
  });
  after(() => t.close());

  it('nothing stored: {}', async () => {
    assert.deepEqual((await t.post('profile/ca', token)).json(), {});
  });

  it('generate: P-256 self-signed root, CA:true critical, keyCertSign+cRLSign critical, 5 years', async () => {
    const res = await t.post('profile/ca/generate', token, {
      dn: 'CN=JS7 Root CA, O=SOS',
      auditLog: { comment: 'new CA' },
    });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(schemaErrors('sign/jocKeyPair-schema.json', body), '');
    assert.equal(body.keyType, 'CA');
    assert.equal(body.keyAlgorithm, 'ECDSA');
    assert.equal(body.keyID, 'CN=JS7 Root CA,O=SOS');
    assert.ok(pairMatches(body.privateKey, body.certificate));
    const text = openssl(['x509', '-noout', '-text'], body.certificate).toString();
    assert.match(text, /Basic Constraints: critical\s+CA:TRUE/);
    assert.match(text, /Key Usage: critical\s+Certificate Sign, CRL Sign/);
    assert.match(text, /prime256v1/);
    const years = (Date.parse(body.validUntil) - t.clock.t) / (365.25 * 24 * 3600 * 1000);
    assert.ok(years > 4.9 && years < 5.1, String(years));
    const shown = (await t.post('profile/ca', token)).json();
    assert.deepEqual(shown, body);
    const forViewer = (await t.post('profile/ca', viewer)).json();
    assert.equal(forViewer.privateKey, undefined, 'the CA key is for certificate managers only');
    assert.equal(forViewer.certificate, body.certificate);
  });

  it('generate needs a dn (JOC-420) that parses (JOC-411)', async () => {
    const before = t.snapshot();
    assertError(await t.post('profile/ca/generate', token, {}), 420, 'JOC-420', /"dn"/);
    assertError(await t.post('profile/ca/generate', token, { dn: 'not a dn' }), 420, 'JOC-411');
    assertError(
      await t.post('profile/ca/generate', token, { dn: 'CN=x', keyAlgorithm: 'RSA' }),
      420,
      'JOC-420',
      /"keyAlgorithm"/,
    );
    assert.equal(t.snapshot(), before);
  });

  it('store: an OpenSSL-made CA is accepted; wrong material refused with the right code, nothing changed', async () => {
    assertOk(
      await t.post('profile/ca/store', token, {
        privateKey: ca.key,
        certificate: ca.cert,
        auditLog: { comment: 'imported CA' },
      }),
    );
    assert.equal((await t.post('profile/ca', token)).json().keyID, 'CN=Test Root CA,O=JS7');
    const before = t.snapshot();
    const cases: Array<[Record<string, unknown>, string, RegExp?]> = [
      [{ privateKey: leaf.key, certificate: leaf.cert }, 'JOC-411', /not a CA certificate/],
      [{ privateKey: ca.key, certificate: otherCa.cert }, 'JOC-411', /does not belong/],
      [{ privateKey: rsaCa.key, certificate: rsaCa.cert }, 'JOC-414', /ECDSA/],
      [{ privateKey: '   ' }, 'JOC-406'],
      [{}, 'JOC-420', /privateKey.*certificate/],
      [{ certificate: otherCa.cert }, 'JOC-411', /does not belong/],
      [{ privateKey: ca.key, certificate: ca.cert, id: 1 }, 'JOC-420', /"id"/],
    ];
    for (const [body, code, message] of cases) {
      assertError(await t.post('profile/ca/store', token, body), 420, code, message);
      assert.equal(t.snapshot(), before, JSON.stringify(Object.keys(body)));
    }
  });

  it('import: a Java KeyStore is answered with the keytool command for the file uploaded', async () => {
    const before = t.snapshot();
    assertError(
      await t.upload('profile/ca/import', token, {}, [
        { filename: 'ca.jks', content: fixtureBytes('ca.jks') },
      ]),
      420,
      'JOC-411',
      /-srckeystore ca\.jks -destkeystore ca\.p12 /,
    );
    assert.equal(t.snapshot(), before);
  });

  it('import: key then certificate, or a bundle; a certificate alone needs the stored key', async () => {
    assertOk(
      await t.upload('profile/ca/import', token, { comment: 'other CA key' }, [file(otherCa.key)]),
    );
    let shown = (await t.post('profile/ca', token)).json();
    assert.equal(shown.certificate, undefined);
    assert.equal(shown.keyType, 'CA');
    assertError(
      await t.post('profile/key/generate', token, { keyAlgorithm: 'ECDSA', useSslCa: true }),
      420,
      'JOC-003',
      /SSL CA/,
    );
    assertOk(await t.upload('profile/ca/import', token, {}, [file(otherCa.cert)]));
    shown = (await t.post('profile/ca', token)).json();
    assert.equal(shown.keyID, 'CN=Other CA,O=JS7');
    const before = t.snapshot();
    assertError(
      await t.upload('profile/ca/import', token, {}, [file(ca.cert)]),
      420,
      'JOC-411',
      /does not belong/,
    );
    assertError(
      await t.upload('profile/ca/import', token, { importRootCaFilter: '{"auditLog":{"x":1}}' }, [
        file(ca.key + ca.cert),
      ]),
      420,
      'JOC-420',
      /importRootCaFilter\.auditLog\.x/,
    );
    assert.equal(t.snapshot(), before);
    assertOk(
      await t.upload(
        'profile/ca/import',
        token,
        { importRootCaFilter: '{"auditLog":{"comment":"bundle"}}' },
        [file(ca.key + ca.cert)],
      ),
    );
    assert.equal((await t.post('profile/ca', token)).json().keyID, 'CN=Test Root CA,O=JS7');
  });

  it('import: a PKCS#12 exported with the empty password opens with an empty password field', async () => {
    const p12 = openssl([
      'pkcs12',
      '-export',
      '-inkey',
      otherCa.keyFile,
      '-in',
      otherCa.certFile,
      '-passout',
      'pass:',
    ]);
    const before = t.snapshot();
    assertError(
      await t.upload('profile/ca/import', token, {}, [file(p12)]),
      420,
      'JOC-411',
      /give its password/,
    );
    assert.equal(t.snapshot(), before);
    assertOk(await t.upload('profile/ca/import', token, { password: '' }, [file(p12)]));
    assert.equal((await t.post('profile/ca', token)).json().keyID, 'CN=Other CA,O=JS7');
    assertOk(await t.upload('profile/ca/import', token, {}, [file(ca.key + ca.cert)]));
    assert.equal((await t.post('profile/ca', token)).json().keyID, 'CN=Test Root CA,O=JS7');
  });

  it('there is no delete', async () => {
    assertError(await t.post('profile/ca/delete', token, {}), 404, 'JOC-404');
  });

  it('generate with useSslCa: CN=<account>, 2 years, issued by the CA, codeSigning', async () => {
    const res = await t.post('profile/key/generate', token, {
      keyAlgorithm: 'ECDSA',
      useSslCa: true,
    });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.keyID, 'CN=root');
    const years = (Date.parse(body.validUntil) - t.clock.t) / (365.25 * 24 * 3600 * 1000);
    assert.ok(years > 1.99 && years < 2.01, String(years));
    const text = openssl(['x509', '-noout', '-text'], body.certificate).toString();
    assert.match(text, /Issuer: O = JS7, CN = Test Root CA/);
    assert.match(text, /CA:FALSE/);
    assert.match(text, /Digital Signature/);
    assert.match(text, /Code Signing/);
    const checks = (await t.post('profile/key/check', token)).json().checks as Array<{
      id: string;
      ok: boolean;
      message: string;
    }>;
    assert.ok(
      checks.every((c) => c.ok),
      JSON.stringify(checks),
    );
    assert.match(checks.find((c) => c.id === 'issuer')!.message, /Test Root CA/);
  });
});
