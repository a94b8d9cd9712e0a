/**
 * `/profile/key/import`: one file per call, merged into the stored pair (key first, then
 * certificate), everything people actually upload, and specific refusals that change nothing.
 */
import type { LightMyRequestResponse } from 'fastify';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { fixtureBytes, fixtureText } from '../../src/pki/testing';
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
let pair: PemPair;
let other: PemPair;
let rsa: PemPair;
before(() => {
  fx = tempDir('joc-import-fx-');
  pair = opensslPair(fx, { cn: 'import-one' });
  other = opensslPair(fx, { cn: 'import-two' });
  rsa = opensslPair(fx, { algorithm: 'rsa', bits: 2048, cn: 'import-rsa' });
});
after(() => rmSync(fx, { recursive: true, force: true }));

const FILTER = { importKeyFilter: '{"keyAlgorithm":"ECDSA"}' };
const file = (content: string | Uint8Array, filename = 'upload.pem'): UploadFile => ({
  filename,
  content,
});

function assertError(res: LightMyRequestResponse, code: string, message?: RegExp): void {
  assert.equal(res.statusCode, 420, res.body);
  assert.equal(schemaErrors('common/error420-schema.json', res.json()), '');
  assert.equal(res.json().error.code, code, res.json().error.message);
  if (message) assert.match(res.json().error.message, message);
}
function assertOk(res: LightMyRequestResponse): void {
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(schemaErrors('common/ok-schema.json', res.json()), '');
}

describe('import: what people actually upload', () => {
  let t: TestApp;
  let token: string;
  const show = async () => (await t.post('profile/key', token)).json();
  before(async () => {
    t = await testApp({ level: 'LOW' });
    token = await t.login('root');
  });
  after(() => t.close());

  it('a key file, then its certificate file (PEM, then DER .cer), are merged', async () => {
    assertOk(await t.upload('profile/key/import', token, FILTER, [file(pair.key, 'key.pem')]));
    let shown = await show();
    assert.equal(shown.keyType, 'PRIVATE');
    assert.equal(shown.certificate, undefined);
    const der = openssl(['x509', '-in', pair.certFile, '-outform', 'DER']);
    assertOk(await t.upload('profile/key/import', token, FILTER, [file(der, 'cert.cer')]));
    shown = await show();
    assert.ok(pairMatches(shown.privateKey, shown.certificate));
    assert.equal(shown.keyID, 'CN=import-one,O=JS7');
  });

  it('the same key again keeps the stored certificate; a new key drops the certificate that is no longer its own', async () => {
    assertOk(await t.upload('profile/key/import', token, FILTER, [file(pair.key)]));
    assert.equal((await show()).keyID, 'CN=import-one,O=JS7');
    assertOk(await t.upload('profile/key/import', token, FILTER, [file(other.key)]));
    const shown = await show();
    assert.ok(pairMatches(shown.privateKey, other.cert));
    assert.equal(shown.certificate, undefined);
  });

  it('a certificate that does not belong to the stored key → JOC-411, nothing changes', async () => {
    const before = t.snapshot();
    assertError(
      await t.upload('profile/key/import', token, FILTER, [file(pair.cert)]),
      'JOC-411',
      /does not belong/,
    );
    assert.equal(t.snapshot(), before);
  });

  it('a PEM bundle (Bag Attributes, CRLF) stores key and certificate at once', async () => {
    const bundle = `Bag Attributes\r\n    localKeyID: 01 02\r\n${pair.key}${pair.cert}`.replace(
      /\n/g,
      '\r\n',
    );
    assertOk(await t.upload('profile/key/import', token, FILTER, [file(bundle)]));
    const shown = await show();
    assert.ok(pairMatches(shown.privateKey, pair.cert));
    assert.equal(shown.keyID, 'CN=import-one,O=JS7');
  });

  for (const [name, extra] of [
    ['modern AES', []],
    ['legacy 3DES', ['-certpbe', 'PBE-SHA1-3DES', '-keypbe', 'PBE-SHA1-3DES', '-macalg', 'sha1']],
  ] as const) {
    it(`PKCS#12 (${name}) with its password stores both; without or with a wrong password → JOC-411`, async () => {
      const p12 = openssl([
        'pkcs12',
        '-export',
        '-inkey',
        other.keyFile,
        '-in',
        other.certFile,
        '-passout',
        'pass:s3cret',
        ...extra,
      ]);
      const before = t.snapshot();
      assertError(
        await t.upload('profile/key/import', token, FILTER, [file(p12, 'k.p12')]),
        'JOC-411',
        /password/,
      );
      assertError(
        await t.upload('profile/key/import', token, { ...FILTER, password: 'wrong' }, [
          file(p12, 'k.p12'),
        ]),
        'JOC-411',
      );
      assert.equal(t.snapshot(), before);
      assertOk(
        await t.upload('profile/key/import', token, { ...FILTER, password: 's3cret' }, [
          file(p12, 'k.p12'),
        ]),
      );
      const shown = await show();
      assert.ok(pairMatches(shown.privateKey, other.cert));
      assert.equal(shown.keyID, 'CN=import-two,O=JS7');
      // Restore for the next case.
      assertOk(await t.upload('profile/key/import', token, FILTER, [file(pair.key + pair.cert)]));
    });
  }

  it('a PKCS#12 exported with the empty password (-passout pass:) opens with an empty password field', async () => {
    const p12 = openssl([
      'pkcs12',
      '-export',
      '-inkey',
      other.keyFile,
      '-in',
      other.certFile,
      '-passout',
      'pass:',
    ]);
    const before = t.snapshot();
    assertError(
      await t.upload('profile/key/import', token, FILTER, [file(p12, 'k.p12')]),
      'JOC-411',
      /give its password/,
    );
    assert.equal(t.snapshot(), before);
    assertOk(
      await t.upload('profile/key/import', token, { ...FILTER, password: '' }, [
        file(p12, 'k.p12'),
      ]),
    );
    const shown = await show();
    assert.ok(pairMatches(shown.privateKey, other.cert));
    assert.equal(shown.keyID, 'CN=import-two,O=JS7');
    assertOk(await t.upload('profile/key/import', token, FILTER, [file(pair.key + pair.cert)]));
  });

  it('a PKCS#12 without MAC or encryption needs no password field; a protected one still asks', async () => {
    const before = t.snapshot();
    assertError(
      await t.upload('profile/key/import', token, FILTER, [
        file(fixtureBytes('ec256.p12'), 'protected.p12'),
      ]),
      'JOC-411',
      /PKCS#12 file: give its password/,
    );
    assert.equal(t.snapshot(), before);
    assertOk(
      await t.upload('profile/key/import', token, FILTER, [
        file(fixtureBytes('ec256.unprotected.p12'), 'unprotected.p12'),
      ]),
    );
    const shown = await show();
    assert.ok(pairMatches(shown.privateKey, fixtureText('ec256.crt.pem')));
    assert.equal(shown.keyID, 'CN=ec256,OU=JOC,O=JS7');
    assertOk(await t.upload('profile/key/import', token, FILTER, [file(pair.key + pair.cert)]));
  });

  it('encrypted keys (PKCS#8 and legacy Proc-Type) open with the password field', async () => {
    const pkcs8 = openssl([
      'pkcs8',
      '-topk8',
      '-in',
      other.keyFile,
      '-passout',
      'pass:pw',
      '-v2',
      'aes-256-cbc',
    ]);
    const legacy = openssl(['ec', '-in', other.keyFile, '-aes256', '-passout', 'pass:pw']);
    for (const encrypted of [pkcs8, legacy]) {
      const before = t.snapshot();
      assertError(
        await t.upload('profile/key/import', token, FILTER, [file(encrypted)]),
        'JOC-411',
      );
      assert.equal(t.snapshot(), before);
      assertOk(
        await t.upload('profile/key/import', token, { ...FILTER, password: 'pw' }, [
          file(encrypted),
        ]),
      );
      assert.ok(pairMatches((await show()).privateKey, other.cert));
      assertOk(await t.upload('profile/key/import', token, FILTER, [file(pair.key + pair.cert)]));
    }
  });

  it('RSA with the filter saying RSA', async () => {
    assertOk(
      await t.upload('profile/key/import', token, { importKeyFilter: '{"keyAlgorithm":"RSA"}' }, [
        file(rsa.key + rsa.cert),
      ]),
    );
    assert.equal((await show()).keyAlgorithm, 'RSA');
    assertOk(await t.upload('profile/key/import', token, FILTER, [file(pair.key + pair.cert)]));
  });

  describe('refusals change nothing', () => {
    const csr = () => openssl(['req', '-new', '-key', pair.keyFile, '-subj', '/CN=csr']).toString();
    const pub = () => openssl(['pkey', '-in', pair.keyFile, '-pubout']).toString();
    const cases: Array<[string, () => Promise<LightMyRequestResponse>, string, RegExp?]> = [
      [
        'a file over 1 MiB → JOC-411 (not 413)',
        () =>
          t.upload('profile/key/import', token, FILTER, [
            file(Buffer.alloc(1024 * 1024 + 1, 0x41)),
          ]),
        'JOC-411',
        /larger than 1 MiB/,
      ],
      [
        'two files → JOC-420',
        () => t.upload('profile/key/import', token, FILTER, [file(pair.key), file(pair.cert)]),
        'JOC-420',
        /one file/,
      ],
      [
        'no file → JOC-406',
        () => t.upload('profile/key/import', token, FILTER, []),
        'JOC-406',
        /No file/,
      ],
      [
        'an empty file → JOC-406',
        () => t.upload('profile/key/import', token, FILTER, [file(Buffer.alloc(0))]),
        'JOC-406',
        /empty/,
      ],
      [
        'binary noise → JOC-411',
        () => t.upload('profile/key/import', token, FILTER, [file(randomBytes(600))]),
        'JOC-411',
      ],
      [
        'a CSR → JOC-411',
        () => t.upload('profile/key/import', token, FILTER, [file(csr())]),
        'JOC-411',
        /signing request/,
      ],
      [
        'a Java KeyStore → JOC-411, with the keytool command for the file uploaded',
        () =>
          t.upload('profile/key/import', token, FILTER, [
            file(fixtureBytes('ca.jks'), 'signing.jks'),
          ]),
        'JOC-411',
        /"keytool -importkeystore -srckeystore signing\.jks -destkeystore signing\.p12 -deststoretype PKCS12"/,
      ],
      [
        'a Java KeyStore with a password field (read in a worker) → the same command',
        () =>
          t.upload('profile/key/import', token, { ...FILTER, password: 'changeit' }, [
            file(fixtureBytes('ca.jceks'), 'signing.jceks'),
          ]),
        'JOC-411',
        /-srckeystore signing\.jceks -destkeystore signing\.p12 /,
      ],
      [
        'a PKCS#7 bundle → JOC-411, with the openssl command for the file uploaded, quoted',
        () =>
          t.upload('profile/key/import', token, FILTER, [
            file(fixtureBytes('leaf.chain.p7b.der'), 'my chain.p7b'),
          ]),
        'JOC-411',
        /"openssl pkcs7 -inform DER -print_certs -in 'my chain\.p7b' -out 'my chain\.pem'"/,
      ],
      [
        'a key encrypted with scrypt, no password field → JOC-414 at once, naming the file',
        () =>
          t.upload('profile/key/import', token, FILTER, [
            file(fixtureText('ec256.scrypt.pem'), 'signing.pem'),
          ]),
        'JOC-414',
        /encrypted with scrypt, which is not supported: .*"openssl pkcs8 -topk8 -v2 aes-256-cbc -in signing\.pem -out signing-aes\.pem"/,
      ],
      [
        'a public key at LOW → JOC-414',
        () => t.upload('profile/key/import', token, FILTER, [file(pub())]),
        'JOC-414',
        /private key/,
      ],
      [
        'an unknown form field → JOC-420',
        () => t.upload('profile/key/import', token, { ...FILTER, owner: 'x' }, [file(pair.key)]),
        'JOC-420',
        /"owner"/,
      ],
      [
        'the file in another field → JOC-420',
        () =>
          t.upload('profile/key/import', token, FILTER, [
            { field: 'upload', filename: 'k.pem', content: pair.key },
          ]),
        'JOC-420',
        /"upload"/,
      ],
      [
        'importKeyFilter missing → JOC-420',
        () => t.upload('profile/key/import', token, {}, [file(pair.key)]),
        'JOC-420',
        /importKeyFilter/,
      ],
      [
        'importKeyFilter not JSON → JOC-420',
        () =>
          t.upload('profile/key/import', token, { importKeyFilter: '{keyAlgorithm:ECDSA}' }, [
            file(pair.key),
          ]),
        'JOC-420',
        /not valid JSON/,
      ],
      [
        'importKeyFilter with an unknown field → JOC-420',
        () =>
          t.upload(
            'profile/key/import',
            token,
            { importKeyFilter: '{"keyAlgorithm":"ECDSA","x":1}' },
            [file(pair.key)],
          ),
        'JOC-420',
        /"importKeyFilter\.x"/,
      ],
      [
        'importKeyFilter without keyAlgorithm → JOC-420',
        () => t.upload('profile/key/import', token, { importKeyFilter: '{}' }, [file(pair.key)]),
        'JOC-420',
        /"importKeyFilter\.keyAlgorithm"/,
      ],
      [
        'keyAlgorithm PGP → JOC-414',
        () =>
          t.upload('profile/key/import', token, { importKeyFilter: '{"keyAlgorithm":"PGP"}' }, [
            file(pair.key),
          ]),
        'JOC-414',
      ],
      [
        'keyAlgorithm RSA for an ECDSA key → JOC-411',
        () =>
          t.upload('profile/key/import', token, { importKeyFilter: '{"keyAlgorithm":"RSA"}' }, [
            file(pair.key),
          ]),
        'JOC-411',
        /ECDSA/,
      ],
      [
        'timeSpent not a number → JOC-420',
        () =>
          t.upload('profile/key/import', token, { ...FILTER, timeSpent: 'ten' }, [file(pair.key)]),
        'JOC-420',
        /timeSpent/,
      ],
      [
        'a comment with <> → JOC-420',
        () =>
          t.upload('profile/key/import', token, { ...FILTER, comment: '<b>' }, [file(pair.key)]),
        'JOC-420',
        /"comment"/,
      ],
      [
        'a JSON body instead of a form → JOC-420',
        () => t.post('profile/key/import', token, { file: pair.key }),
        'JOC-420',
        /multipart/,
      ],
    ];
    for (const [name, call, code, message] of cases) {
      it(name, async () => {
        const before = t.snapshot();
        assertError(await call(), code, message);
        assert.equal(t.snapshot(), before);
      });
    }
  });
});

describe('import: a certificate first', () => {
  it('with no key stored → JOC-406 "import the private key first"', async () => {
    const t = await testApp({ level: 'MEDIUM' });
    try {
      const token = await t.login('admin2');
      const before = t.snapshot();
      assertError(
        await t.upload('profile/key/import', token, FILTER, [file(pair.cert)]),
        'JOC-406',
        /import the private key first/,
      );
      assert.equal(t.snapshot(), before);
      assert.deepEqual((await t.post('profile/key', token)).json(), {});
    } finally {
      await t.close();
    }
  });
});

/**
 * A certificate given with its CA certificates, in any order: the certificate for the key alone is
 * stored. JOC hands the stored text to the Controllers as it is, and they read one certificate
 * (js7 Pem.fromPem); the CA certificate is theirs to hold.
 */
describe('a certificate with its CA certificates', () => {
  let t: TestApp;
  let token: string;
  const key = fixtureText('leaf.pkcs8.pem');
  const leaf = fixtureText('leaf.crt.pem');
  const ca = fixtureText('ca.crt.pem');
  const blocks = (text: string) => text.match(/-----BEGIN CERTIFICATE-----/g)?.length ?? 0;
  const stored = async () => (await t.post('profile/key', token)).json();
  before(async () => {
    t = await testApp({ level: 'LOW' });
    token = await t.login('root');
  });
  after(() => t.close());

  it('store, the CA first (as .p7b exports give it): the certificate for the key alone', async () => {
    assertOk(
      await t.post('profile/key/store', token, {
        keys: { keyAlgorithm: 'ECDSA', privateKey: key, certificate: ca + leaf },
      }),
    );
    const answer = await stored();
    assert.equal(blocks(answer.certificate), 1);
    assert.ok(pairMatches(answer.privateKey, answer.certificate));
    const checks = (await t.post('profile/key/check', token)).json().checks as Array<{
      id: string;
      ok: boolean;
      notRun?: boolean;
    }>;
    assert.equal(checks.find((c) => c.id === 'certificate-present')?.ok, true);
    // The CA is not stored here and is not the SSL CA: only the Controllers can tell.
    assert.deepEqual(
      checks.filter((c) => c.notRun).map((c) => c.id),
      ['issuer', 'issuer-valid'],
    );
    assert.deepEqual(
      checks.filter((c) => !c.ok && !c.notRun).map((c) => c.id),
      [],
    );
  });

  it('import of a file with the key, the CA and the certificate: the certificate alone', async () => {
    assertOk(await t.upload('profile/key/import', token, FILTER, [file(key + ca + leaf)]));
    const answer = await stored();
    assert.equal(blocks(answer.certificate), 1);
    assert.ok(pairMatches(answer.privateKey, answer.certificate));
  });

  it('at HIGH, certificates alone: the one no other names as its issuer', async () => {
    const high = await testApp({ level: 'HIGH' });
    try {
      const root = await high.login('root');
      assertOk(
        await high.post('profile/key/store', root, {
          keys: { keyAlgorithm: 'ECDSA', certificate: ca + leaf },
        }),
      );
      const answer = (await high.post('profile/key', root)).json();
      assert.equal(blocks(answer.certificate), 1);
      assert.ok(pairMatches(key, answer.certificate));
    } finally {
      await high.close();
    }
  });
});
