/**
 * `/profile/key...` at every security level and for every kind of account, every error code, closed
 * request schemas, answers valid against JOC's schemas, and "a failed call changes nothing".
 */
import { X509Certificate } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { JocSecurityLevel } from '../../src/contract';
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
} from './helpers';

const LEVELS: JocSecurityLevel[] = ['LOW', 'MEDIUM', 'HIGH'];
const DAY = 24 * 3600 * 1000;

let fx: string;
let pair: PemPair;
let other: PemPair;
let pub: string;
before(() => {
  fx = tempDir('joc-fx-');
  pair = opensslPair(fx, { cn: 'pair-one' });
  other = opensslPair(fx, { cn: 'pair-two' });
  pub = openssl(['pkey', '-in', pair.keyFile, '-pubout']).toString();
});
after(() => rmSync(fx, { recursive: true, force: true }));

function assertPair(body: unknown): void {
  assert.equal(schemaErrors('sign/jocKeyPair-schema.json', body), '', JSON.stringify(body));
}
function assertOk(res: { statusCode: number; body: string; json(): unknown }): void {
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(schemaErrors('common/ok-schema.json', res.json()), '');
  assert.equal((res.json() as { ok: boolean }).ok, true);
}
function assertError(
  res: { statusCode: number; body: string; json(): unknown },
  status: number,
  code: string,
  message?: RegExp,
): void {
  assert.equal(res.statusCode, status, res.body);
  assert.equal(schemaErrors('common/error420-schema.json', res.json()), '');
  const error = (res.json() as { error: { code: string; message: string } }).error;
  assert.equal(error.code, code, error.message);
  if (message) assert.match(error.message, message);
}

/** A valid body for each call at each level. */
function validCall(
  level: JocSecurityLevel,
  t: TestApp,
  token: string | undefined,
  endpoint: string,
) {
  switch (endpoint) {
    case 'profile/key':
    case 'profile/key/check':
    case 'profile/ca':
    case 'audit_log':
      return t.post(endpoint, token, {});
    case 'profile/key/store':
      return t.post(
        endpoint,
        token,
        level === 'HIGH'
          ? { keys: { certificate: pair.cert, keyAlgorithm: 'ECDSA' } }
          : { keys: { privateKey: pair.key, certificate: pair.cert, keyAlgorithm: 'ECDSA' } },
      );
    case 'profile/key/import':
      return t.upload(endpoint, token, { importKeyFilter: '{"keyAlgorithm":"ECDSA"}' }, [
        { filename: 'x.pem', content: level === 'HIGH' ? pair.cert : pair.key + pair.cert },
      ]);
    case 'profile/key/generate':
      return t.post(endpoint, token, { keyAlgorithm: 'ECDSA' });
    case 'profile/key/delete':
      return t.post(endpoint, token, {});
    default:
      throw new Error(endpoint);
  }
}

const VIEW_CALLS = ['profile/key', 'profile/key/check', 'audit_log'];
const MANAGE_CALLS = [
  'profile/key/store',
  'profile/key/import',
  'profile/key/generate',
  'profile/key/delete',
];

for (const level of LEVELS) {
  describe(`security level ${level}: who may call what`, () => {
    let t: TestApp;
    const tokens: Record<string, string> = {};
    before(async () => {
      t = await testApp({ level });
      for (const account of ['root', 'admin2', 'viewer', 'nobody'])
        tokens[account] = await t.login(account);
    });
    after(() => t.close());

    it('properties and permissions: every logged-in account 200 with this level, not logged in 401', async () => {
      for (const account of ['root', 'admin2', 'viewer', 'nobody']) {
        const res = await t.post('joc/properties', tokens[account]);
        assert.equal(res.statusCode, 200);
        assert.equal(res.json().securityLevel, level);
        assert.equal(
          (await t.post('authentication/joc_cockpit_permissions', tokens[account])).statusCode,
          200,
        );
      }
      assertError(await t.post('joc/properties', undefined), 401, 'JOC-401');
      assertError(
        await t.post('authentication/joc_cockpit_permissions', undefined),
        401,
        'JOC-401',
      );
    });

    for (const endpoint of [...VIEW_CALLS, ...MANAGE_CALLS]) {
      const absent = level === 'HIGH' && endpoint === 'profile/key/generate';
      it(`${endpoint}: not logged in → ${absent ? 404 : 401}`, async () => {
        const res = await validCall(level, t, undefined, endpoint);
        if (absent) assertError(res, 404, 'JOC-404', /HIGH/);
        else assertError(res, 401, 'JOC-401');
      });
      it(`${endpoint}: account without certificate permissions → ${absent ? 404 : 403}`, async () => {
        const before = t.snapshot();
        const res = await validCall(level, t, tokens['nobody'], endpoint);
        if (absent) assertError(res, 404, 'JOC-404');
        else
          assertError(
            res,
            403,
            'JOC-403',
            /sos:products:joc:administration:certificates:(view|manage)/,
          );
        assert.equal(t.snapshot(), before);
      });
      const viewOk = VIEW_CALLS.includes(endpoint);
      it(`${endpoint}: view-only account → ${absent ? 404 : viewOk ? 200 : 403}`, async () => {
        const before = t.snapshot();
        const res = await validCall(level, t, tokens['viewer'], endpoint);
        if (absent) assertError(res, 404, 'JOC-404');
        else if (viewOk) assert.equal(res.statusCode, 200, res.body);
        else assertError(res, 403, 'JOC-403', /certificates:manage/);
        assert.equal(t.snapshot(), before);
      });
      it(`${endpoint}: managing account → ${absent ? 404 : 200}`, async () => {
        const res = await validCall(level, t, tokens['admin2'], endpoint);
        if (absent) assertError(res, 404, 'JOC-404');
        else assert.equal(res.statusCode, 200, res.body);
        if (endpoint === 'profile/key/generate' && !absent) assertPair(res.json());
        if (['profile/key/store', 'profile/key/import', 'profile/key/delete'].includes(endpoint))
          assertOk(res);
      });
    }
  });
}

describe('LOW: every call acts on the default profile account; only it receives the private key', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp({ level: 'LOW' });
  });
  after(() => t.close());

  it('a key stored by another manager is the default account’s key', async () => {
    const [root, admin2, viewer] = [
      await t.login('root'),
      await t.login('admin2'),
      await t.login('viewer'),
    ];
    assert.deepEqual((await t.post('profile/key', root)).json(), {}, 'nothing stored: {}');
    assertOk(
      await t.post('profile/key/store', admin2, {
        keys: { privateKey: pair.key, certificate: pair.cert, keyAlgorithm: 'ECDSA' },
      }),
    );
    const mine = (await t.post('profile/key', root)).json();
    assertPair(mine);
    assert.ok(pairMatches(mine.privateKey, pair.cert));
    assert.equal(mine.keyType, 'PRIVATE');
    assert.equal(mine.keyAlgorithm, 'ECDSA');
    assert.equal(mine.keyID, 'CN=pair-one,O=JS7');
    assert.equal(mine.validUntil, new Date(readCertNotAfter(pair.cert)).toISOString());
    for (const token of [admin2, viewer]) {
      const theirs = (await t.post('profile/key', token)).json();
      assertPair(theirs);
      assert.equal(theirs.privateKey, undefined, 'no private key for other accounts');
      assert.equal(theirs.certificate, mine.certificate);
      assert.equal(theirs.keyID, mine.keyID);
    }
  });

  it('generate by another account stores the default account’s key and does not hand out its private key', async () => {
    const admin2 = await t.login('admin2');
    const res = await t.post('profile/key/generate', admin2, { keyAlgorithm: 'ECDSA' });
    assert.equal(res.statusCode, 200, res.body);
    assertPair(res.json());
    assert.equal(res.json().privateKey, undefined);
    assert.equal(res.json().keyID, 'CN=admin2,OU=JOC,O=JS7');
    const root = (await t.post('profile/key', await t.login('root'))).json();
    assert.ok(pairMatches(root.privateKey, res.json().certificate));
  });
});

describe('MEDIUM: every account has its own key', () => {
  it('keys of two accounts are independent', async () => {
    const t = await testApp({ level: 'MEDIUM' });
    try {
      const [root, admin2] = [await t.login('root'), await t.login('admin2')];
      assertOk(
        await t.post('profile/key/store', root, {
          keys: { privateKey: pair.key, certificate: pair.cert, keyAlgorithm: 'ECDSA' },
        }),
      );
      assert.deepEqual((await t.post('profile/key', admin2)).json(), {});
      assertOk(
        await t.post('profile/key/store', admin2, {
          keys: { privateKey: other.key, keyAlgorithm: 'ECDSA' },
        }),
      );
      const a = (await t.post('profile/key', root)).json();
      const b = (await t.post('profile/key', admin2)).json();
      assert.ok(pairMatches(a.privateKey, pair.cert));
      assert.ok(pairMatches(b.privateKey, other.cert));
      assert.equal(b.certificate, undefined);
      assert.equal(b.keyID, undefined);
      assertPair(b);
      assertOk(await t.post('profile/key/delete', admin2, {}));
      assert.deepEqual((await t.post('profile/key', admin2)).json(), {});
      assert.ok(
        (await t.post('profile/key', root)).json().privateKey,
        'the other account keeps its key',
      );
    } finally {
      await t.close();
    }
  });
});

describe('HIGH: only public material; no generation', () => {
  let t: TestApp;
  let token: string;
  before(async () => {
    t = await testApp({ level: 'HIGH' });
    token = await t.login('root');
  });
  after(() => t.close());

  it('refuses private keys with JOC-414 (store and import) and changes nothing', async () => {
    const before = t.snapshot();
    assertError(
      await t.post('profile/key/store', token, {
        keys: { privateKey: pair.key, certificate: pair.cert, keyAlgorithm: 'ECDSA' },
      }),
      420,
      'JOC-414',
      /HIGH/,
    );
    assertError(
      await t.post('profile/key/store', token, {
        keys: { publicKey: pair.key, keyAlgorithm: 'ECDSA' },
      }),
      420,
      'JOC-414',
      /private key/,
    );
    assertError(
      await t.upload('profile/key/import', token, { importKeyFilter: '{"keyAlgorithm":"ECDSA"}' }, [
        { filename: 'k.pem', content: pair.key },
      ]),
      420,
      'JOC-414',
    );
    assert.equal(t.snapshot(), before);
  });

  it('stores a public key or a certificate, both answered PUBLIC as JOC does; never a private key', async () => {
    assertOk(
      await t.post('profile/key/store', token, { keys: { publicKey: pub, keyAlgorithm: 'ECDSA' } }),
    );
    let shown = (await t.post('profile/key', token)).json();
    assertPair(shown);
    assert.equal(shown.keyType, 'PUBLIC');
    assert.match(shown.publicKey, /BEGIN PUBLIC KEY/);
    assertOk(
      await t.upload('profile/key/import', token, { importKeyFilter: '{"keyAlgorithm":"ECDSA"}' }, [
        { filename: 'c.pem', content: pair.cert },
      ]),
    );
    shown = (await t.post('profile/key', token)).json();
    assertPair(shown);
    assert.equal(shown.keyType, 'PUBLIC');
    assert.equal(shown.keyID, 'CN=pair-one,O=JS7');
    assert.match(shown.publicKey, /BEGIN PUBLIC KEY/, 'the matching public key is kept');
    assert.equal(shown.privateKey, undefined);
    // A certificate of another key replaces the certificate and drops the public key that does not match it.
    assertOk(
      await t.upload('profile/key/import', token, { importKeyFilter: '{"keyAlgorithm":"ECDSA"}' }, [
        { filename: 'c.pem', content: other.cert },
      ]),
    );
    shown = (await t.post('profile/key', token)).json();
    assert.equal(shown.keyID, 'CN=pair-two,O=JS7');
    assert.equal(shown.publicKey, undefined);
  });

  it('a public key that does not match the certificate is JOC-411', async () => {
    const before = t.snapshot();
    assertError(
      await t.post('profile/key/store', token, {
        keys: { publicKey: pub, certificate: other.cert, keyAlgorithm: 'ECDSA' },
      }),
      420,
      'JOC-411',
      /does not belong/,
    );
    assert.equal(t.snapshot(), before);
  });

  it('generate does not exist (404), for every account', async () => {
    assertError(
      await t.post('profile/key/generate', token, { keyAlgorithm: 'ECDSA' }),
      404,
      'JOC-404',
      /HIGH/,
    );
  });
});

function readCertNotAfter(pem: string): string {
  return new X509Certificate(pem).validTo;
}

describe('error codes; a failed call changes nothing (LOW and MEDIUM)', () => {
  for (const level of ['LOW', 'MEDIUM'] as const) {
    describe(level, () => {
      let t: TestApp;
      let token: string;
      let rsa1024: string;
      let ed25519: string;
      let csr: string;
      let encrypted: string;
      before(async () => {
        t = await testApp({ level });
        token = await t.login('root');
        rsa1024 = openssl([
          'genpkey',
          '-algorithm',
          'RSA',
          '-pkeyopt',
          'rsa_keygen_bits:1024',
        ]).toString();
        ed25519 = openssl(['genpkey', '-algorithm', 'ed25519']).toString();
        csr = openssl(['req', '-new', '-key', pair.keyFile, '-subj', '/CN=csr']).toString();
        encrypted = openssl([
          'pkcs8',
          '-topk8',
          '-in',
          pair.keyFile,
          '-passout',
          'pass:pw',
          '-v2',
          'aes-256-cbc',
        ]).toString();
        assertOk(
          await t.post('profile/key/store', token, {
            keys: { privateKey: pair.key, certificate: pair.cert, keyAlgorithm: 'ECDSA' },
          }),
        );
      });
      after(() => t.close());

      const store = (keys: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
        t.post('profile/key/store', token, { keys: { keyAlgorithm: 'ECDSA', ...keys }, ...extra });
      const cases: Array<[string, () => Promise<LightMyRequestResponse>, number, string, RegExp?]> =
        [
          [
            'no private key → JOC-406',
            () => store({ certificate: pair.cert }),
            420,
            'JOC-406',
            /No private key/,
          ],
          ['a blank private key → JOC-406', () => store({ privateKey: '  \n ' }), 420, 'JOC-406'],
          [
            'a public key instead of the private key → JOC-414',
            () => store({ privateKey: pub }),
            420,
            'JOC-414',
            /public key/,
          ],
          [
            'only a publicKey field → JOC-414',
            () => store({ publicKey: pub }),
            420,
            'JOC-414',
            /public key/,
          ],
          [
            'keyAlgorithm PGP → JOC-414',
            () => store({ privateKey: pair.key, keyAlgorithm: 'PGP' }),
            420,
            'JOC-414',
            /not supported/,
          ],
          [
            'keyAlgorithm MLDSA → JOC-414',
            () => store({ privateKey: pair.key, keyAlgorithm: 'MLDSA' }),
            420,
            'JOC-414',
          ],
          [
            'an Ed25519 key → JOC-414',
            () => store({ privateKey: ed25519 }),
            420,
            'JOC-414',
            /Ed25519/,
          ],
          [
            'a certificate of another key → JOC-411',
            () => store({ privateKey: pair.key, certificate: other.cert }),
            420,
            'JOC-411',
            /does not belong/,
          ],
          [
            'RSA 1024 → JOC-411',
            () => store({ privateKey: rsa1024, keyAlgorithm: 'RSA' }),
            420,
            'JOC-411',
            /1024 bits/,
          ],
          [
            'an algorithm that contradicts the key → JOC-411',
            () => store({ privateKey: pair.key, keyAlgorithm: 'RSA' }),
            420,
            'JOC-411',
            /ECDSA/,
          ],
          [
            'a CSR as private key → JOC-411',
            () => store({ privateKey: csr }),
            420,
            'JOC-411',
            /signing request/,
          ],
          [
            'an encrypted key → JOC-411 asking for the passphrase',
            () => store({ privateKey: encrypted }),
            420,
            'JOC-411',
            /passphrase|password/,
          ],
          ['garbage → JOC-411', () => store({ privateKey: 'hello world' }), 420, 'JOC-411'],
          [
            'truncated PEM → JOC-411',
            () => store({ privateKey: pair.key.slice(0, 120) }),
            420,
            'JOC-411',
          ],
          [
            'a certificate whose EC public key is compressed → JOC-414 (Java cannot read it)',
            () =>
              store({
                privateKey: fixtureText('ec256.pkcs8.pem'),
                certificate: fixtureText('ec256.compressed.crt.pem'),
              }),
            420,
            'JOC-414',
            /^Certificate: the certificate's EC public key is in compressed form, which JOC Cockpit and the Controllers \(Java\) cannot read/,
          ],
          [
            'import: a key with a certificate whose EC public key is compressed → JOC-414',
            () =>
              t.upload(
                'profile/key/import',
                token,
                { importKeyFilter: '{"keyAlgorithm":"ECDSA"}' },
                [
                  {
                    filename: 'compressed.pem',
                    content: new TextEncoder().encode(
                      fixtureText('ec256.sec1-compressed.pem') +
                        fixtureText('ec256.compressed.crt.pem'),
                    ),
                  },
                ],
              ),
            420,
            'JOC-414',
            /EC public key is in compressed form/,
          ],
          [
            'import: a PKCS#7 bundle → JOC-411 naming the format and the conversion',
            () =>
              t.upload(
                'profile/key/import',
                token,
                { importKeyFilter: '{"keyAlgorithm":"ECDSA"}' },
                [{ filename: 'chain.p7b', content: fixtureBytes('leaf.chain.p7b.der') }],
              ),
            420,
            'JOC-411',
            /PKCS#7 bundle \(\.p7b\).*"openssl pkcs7 -inform DER -print_certs -in chain\.p7b -out chain\.pem"/,
          ],
          [
            'a public key in the certificate field → JOC-411',
            () => store({ privateKey: pair.key, certificate: pub }),
            420,
            'JOC-411',
          ],
          [
            'an unknown field → JOC-420',
            () => store({ privateKey: pair.key, colour: 'red' }),
            420,
            'JOC-420',
            /"keys\.colour"/,
          ],
          [
            'an unknown top-level field → JOC-420',
            () => store({ privateKey: pair.key }, { force: true }),
            420,
            'JOC-420',
            /"force"/,
          ],
          [
            'an unknown auditLog field → JOC-420',
            () => store({ privateKey: pair.key }, { auditLog: { reason: 'x' } }),
            420,
            'JOC-420',
            /"auditLog\.reason"/,
          ],
          [
            'privateKey not a string → JOC-420',
            () => store({ privateKey: 42 }),
            420,
            'JOC-420',
            /"keys\.privateKey" must be a string/,
          ],
          [
            'keys missing → JOC-420',
            () => t.post('profile/key/store', token, {}),
            420,
            'JOC-420',
            /Missing field "keys"/,
          ],
          [
            'keyAlgorithm missing → JOC-420',
            () => t.post('profile/key/store', token, { keys: { privateKey: pair.key } }),
            420,
            'JOC-420',
            /"keys\.keyAlgorithm"/,
          ],
          [
            'timeSpent as a string → JOC-420',
            () => store({ privateKey: pair.key }, { auditLog: { timeSpent: '5' } }),
            420,
            'JOC-420',
            /"auditLog\.timeSpent" must be a whole number/,
          ],
          [
            'timeSpent negative → JOC-420',
            () => store({ privateKey: pair.key }, { auditLog: { timeSpent: -1 } }),
            420,
            'JOC-420',
            /0 or more/,
          ],
          [
            'a comment over 255 characters → JOC-420',
            () => store({ privateKey: pair.key }, { auditLog: { comment: 'x'.repeat(256) } }),
            420,
            'JOC-420',
            /at most 255/,
          ],
          [
            'a comment with < or > → JOC-420',
            () => store({ privateKey: pair.key }, { auditLog: { comment: '<script>' } }),
            420,
            'JOC-420',
            /"<" or ">"/,
          ],
          [
            'generate: validUntil in the past → JOC-411',
            () =>
              t.post('profile/key/generate', token, {
                keyAlgorithm: 'ECDSA',
                validUntil: '2020-01-01T00:00:00Z',
              }),
            420,
            'JOC-411',
            /not in the future/,
          ],
          [
            'generate: validUntil not a date-time → JOC-420',
            () =>
              t.post('profile/key/generate', token, {
                keyAlgorithm: 'ECDSA',
                validUntil: 'next year',
              }),
            420,
            'JOC-420',
            /"validUntil" must be an ISO-8601 date-time/,
          ],
          [
            'generate: an invalid dn → JOC-411',
            () =>
              t.post('profile/key/generate', token, { keyAlgorithm: 'ECDSA', dn: 'CN=a,NOPE=b' }),
            420,
            'JOC-411',
            /NOPE/,
          ],
          [
            'generate: keyAlgorithm PGP → JOC-414',
            () => t.post('profile/key/generate', token, { keyAlgorithm: 'PGP' }),
            420,
            'JOC-414',
          ],
          [
            'generate: useSslCa without an SSL CA → JOC-003',
            () => t.post('profile/key/generate', token, { keyAlgorithm: 'ECDSA', useSslCa: true }),
            420,
            'JOC-003',
            /SSL CA/,
          ],
          [
            'generate: useSslCa not a boolean → JOC-420',
            () => t.post('profile/key/generate', token, { keyAlgorithm: 'ECDSA', useSslCa: 'yes' }),
            420,
            'JOC-420',
            /"useSslCa" must be true or false/,
          ],
          [
            'generate: an unknown field → JOC-420',
            () => t.post('profile/key/generate', token, { keyAlgorithm: 'ECDSA', keySize: 4096 }),
            420,
            'JOC-420',
            /"keySize"/,
          ],
          [
            'delete: an unknown field → JOC-420',
            () => t.post('profile/key/delete', token, { all: true }),
            420,
            'JOC-420',
            /"all"/,
          ],
          [
            'show: an unknown field → JOC-420',
            () => t.post('profile/key', token, { account: 'other' }),
            420,
            'JOC-420',
            /"account"/,
          ],
        ];
      for (const [name, call, status, code, message] of cases) {
        it(name, async () => {
          const before = t.snapshot();
          const res = await call();
          assertError(res, status, code, message);
          assert.doesNotMatch(
            res.body,
            /PRIVATE KEY-----\\n[A-Za-z0-9+/]{16}/,
            'no key material in the message',
          );
          assert.equal(t.snapshot(), before, 'the stored pair and the audit log are unchanged');
        });
      }

      it('an expired certificate → JOC-411 with its date (clock moved 60 days on)', async () => {
        const before = t.snapshot();
        t.clock.advance(60 * DAY);
        try {
          const fresh = await t.login('root');
          const res = await t.post('profile/key/store', fresh, {
            keys: { privateKey: pair.key, certificate: pair.cert, keyAlgorithm: 'ECDSA' },
          });
          assertError(res, 420, 'JOC-411', /expired on \d{4}-\d\d-\d\d/);
        } finally {
          t.clock.advance(-60 * DAY);
        }
        assert.equal(t.snapshot(), before);
      });
    });
  }
});

describe('store and generate: what is stored and answered', () => {
  let t: TestApp;
  let token: string;
  before(async () => {
    t = await testApp({ level: 'MEDIUM' });
    token = await t.login('root');
  });
  after(() => t.close());

  it('store accepts CRLF, surrounding blank lines and SEC1 keys, and stores canonical PEM', async () => {
    const sec1 = openssl(['ec', '-in', pair.keyFile]).toString();
    const messy = '\r\n  ' + sec1.replace(/\n/g, '\r\n') + '\r\n\r\n';
    assertOk(
      await t.post('profile/key/store', token, {
        keys: { privateKey: messy, certificate: '\n' + pair.cert, keyAlgorithm: 'ECDSA' },
      }),
    );
    const shown = (await t.post('profile/key', token)).json();
    assert.match(shown.privateKey, /^-----BEGIN PRIVATE KEY-----\n/);
    assert.ok(pairMatches(shown.privateKey, shown.certificate));
  });

  it('store accepts a key whose embedded public point is compressed, with its certificate', async () => {
    assertOk(
      await t.post('profile/key/store', token, {
        keys: {
          privateKey: fixtureText('ec256.sec1-compressed.pem'),
          certificate: fixtureText('ec256.crt.pem'),
          keyAlgorithm: 'ECDSA',
        },
      }),
    );
    const checks = (await t.post('profile/key/check', token)).json().checks as Array<{
      id: string;
      ok: boolean;
    }>;
    assert.ok(
      checks.every((c) => c.ok),
      JSON.stringify(checks),
    );
  });

  it('store and generate both take the algorithm in any case with spaces around it', async () => {
    assertOk(
      await t.post('profile/key/store', token, {
        keys: { privateKey: pair.key, certificate: pair.cert, keyAlgorithm: ' ecdsa ' },
      }),
    );
    assert.equal((await t.post('profile/key', token)).json().keyAlgorithm, 'ECDSA');
    const generated = await t.post('profile/key/generate', token, { keyAlgorithm: ' ECDSA ' });
    assert.equal(generated.statusCode, 200, generated.body);
    assert.equal(generated.json().keyAlgorithm, 'ECDSA');
  });

  it('generate ECDSA: P-256, default dn CN=<account>,OU=JOC,O=JS7, 365 days, stored', async () => {
    const res = await t.post('profile/key/generate', token, {
      keyAlgorithm: 'ECDSA',
      auditLog: { comment: 'rotation', timeSpent: 3 },
    });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assertPair(body);
    assert.equal(body.keyType, 'PRIVATE');
    assert.equal(body.keyAlgorithm, 'ECDSA');
    assert.equal(body.keyID, 'CN=root,OU=JOC,O=JS7');
    const days = (Date.parse(body.validUntil) - t.clock.t) / DAY;
    assert.ok(days > 364 && days <= 365.01, String(days));
    const text = openssl(['x509', '-noout', '-text'], body.certificate).toString();
    assert.match(text, /prime256v1|P-256/);
    assert.deepEqual((await t.post('profile/key', token)).json(), body);
  });

  it('generate honours dn (normalised) and validUntil', async () => {
    const validUntil = new Date(t.clock.t + 100 * DAY).toISOString().slice(0, 19) + 'Z';
    const res = await t.post('profile/key/generate', token, {
      keyAlgorithm: 'ECDSA',
      dn: 'CN = Deploy Key , O=SOS',
      validUntil,
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().keyID, 'CN=Deploy Key,O=SOS');
    assert.equal(res.json().validUntil, new Date(validUntil).toISOString());
  });

  it('delete removes the key: show answers {}', async () => {
    assertOk(await t.post('profile/key/delete', token, { auditLog: { comment: 'gone' } }));
    assert.deepEqual((await t.post('profile/key', token)).json(), {});
    assertOk(await t.post('profile/key/delete', token, {}));
  });

  it('check reports readiness', async () => {
    let checks = (await t.post('profile/key/check', token)).json().checks as Array<{
      id: string;
      ok: boolean;
    }>;
    assert.equal(checks.find((c) => c.id === 'key-present')?.ok, false);
    await t.post('profile/key/generate', token, { keyAlgorithm: 'ECDSA' });
    checks = (await t.post('profile/key/check', token)).json().checks;
    assert.deepEqual(
      checks.map((c) => c.id),
      [
        'key-present',
        'certificate-present',
        'pair-match',
        'valid-now',
        'valid-beyond-warning',
        'issuer',
        // No 'issuer-valid': a self-signed certificate is itself what Controllers hold.
        'sign-verify',
      ],
    );
    assert.ok(
      checks.every((c) => c.ok),
      JSON.stringify(checks),
    );
    t.clock.advance(350 * DAY);
    checks = (await t.post('profile/key/check', await t.login('root'))).json().checks;
    t.clock.advance(-350 * DAY);
    token = await t.login('root');
    assert.equal(checks.find((c) => c.id === 'valid-beyond-warning')?.ok, false);
    assert.equal(checks.find((c) => c.id === 'valid-now')?.ok, true);
  });
});

describe('check: the days left in the person’s time zone; the certificate it judged', () => {
  it('60 days in Los Angeles is within a 60-day threshold, 61 in UTC is not; an unknown zone is refused', async () => {
    const t = await testApp();
    try {
      // 10:30 on 2 Dec in Los Angeles; the certificate ends at 19:00 on 31 Jan there (1 Feb UTC).
      t.clock.t = Date.parse('2026-12-02T18:30:00Z');
      const token = await t.login('root');
      const generated = await t.post('profile/key/generate', token, {
        keyAlgorithm: 'ECDSA',
        validUntil: '2027-02-01T03:00:00Z',
      });
      assert.equal(generated.statusCode, 200, generated.body);
      const beyond = async (body: object) => {
        const res = await t.post('profile/key/check', token, body);
        assert.equal(res.statusCode, 200, res.body);
        const checks = res.json().checks as Array<{ id: string; ok: boolean; message: string }>;
        return checks.find((c) => c.id === 'valid-beyond-warning')!;
      };
      // The answer names the certificate it judged.
      const answer = (await t.post('profile/key/check', token, {})).json();
      const stored = new X509Certificate(generated.json().certificate as string);
      assert.equal(answer.fingerprint, stored.fingerprint256);
      assert.equal((await beyond({ warnDays: 60 })).ok, true);
      assert.equal((await beyond({ warnDays: 60, timeZone: 'UTC' })).ok, true);
      const la = await beyond({ warnDays: 60, timeZone: 'America/Los_Angeles' });
      assert.equal(la.ok, false, la.message);
      assert.match(la.message, /60 days/);
      const bad = await t.post('profile/key/check', token, { timeZone: 'Mars/Olympus' });
      assert.equal(bad.statusCode, 420);
      assert.match(bad.json().error.message, /"Mars\/Olympus" is not known/);
    } finally {
      await t.close();
    }
  });
});
