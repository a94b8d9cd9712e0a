/**
 * Bad input never produces a 500 or a stack trace: random JSON bodies, random raw bodies and random
 * upload files against every call answer 200 or a well-formed 420 envelope (fast-check), and no
 * input holds the event loop (every other request) for longer than {@link STALL_LIMIT_MS}.
 */
import type { LightMyRequestResponse } from 'fastify';
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import fc from 'fast-check';
import {
  p12With,
  p12WithHiddenKeyBag,
  pkcs8With,
  type P12Part,
} from '../../src/pki/testdata/crafted';
import { schemaErrors, testApp, type TestApp } from './helpers';

const JSON_CALLS = [
  'profile/key',
  'profile/key/store',
  'profile/key/generate',
  'profile/key/delete',
  'profile/key/check',
  'profile/ca',
  'profile/ca/generate',
  'profile/ca/store',
  'audit_log',
  'joc/properties',
  'authentication/joc_cockpit_permissions',
];

const PEMISH = fc.oneof(
  fc.string(),
  fc.constantFrom(
    '-----BEGIN PRIVATE KEY-----\nMIGH\n-----END PRIVATE KEY-----',
    '-----BEGIN CERTIFICATE-----\n\n-----END CERTIFICATE-----',
    '',
  ),
  fc
    .base64String()
    .map((b) => `-----BEGIN EC PRIVATE KEY-----\n${b}\n-----END EC PRIVATE KEY-----\n`),
);
/** Bodies close to the real ones, with wrong types and unknown fields mixed in. */
const BODY = fc.oneof(
  fc.jsonValue(),
  fc.record(
    {
      keys: fc.oneof(
        fc.record(
          {
            privateKey: PEMISH,
            certificate: PEMISH,
            publicKey: PEMISH,
            keyAlgorithm: fc.constantFrom('ECDSA', 'PGP', 'ecdsa', '', 'X'),
          },
          { requiredKeys: [] },
        ),
        fc.jsonValue(),
      ),
      keyAlgorithm: fc.constantFrom('ECDSA', 'PGP', 'MLDSA', 'x', ''),
      dn: fc.oneof(fc.string(), fc.constantFrom('CN=a', 'CN=', '=x', 'CN=a,,O=b')),
      validUntil: fc.oneof(
        fc.string(),
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      ),
      useSslCa: fc.jsonValue(),
      privateKey: PEMISH,
      certificate: PEMISH,
      auditLog: fc.oneof(
        fc.record(
          { comment: fc.string(), timeSpent: fc.integer(), ticketLink: fc.string() },
          { requiredKeys: [] },
        ),
        fc.jsonValue(),
      ),
      limit: fc.jsonValue(),
    },
    { requiredKeys: [] },
  ),
);

/**
 * The longest the event loop may stand still while a test runs. The target is ~100 ms; the limit
 * leaves room for a CI machine that runs other suites on its two cores, and still catches work
 * that blocks for seconds (a key derivation with millions of iterations).
 */
const STALL_LIMIT_MS = 500;

function wellFormed(res: LightMyRequestResponse): void {
  assert.ok([200, 420].includes(res.statusCode), `${res.statusCode}: ${res.body}`);
  assert.doesNotMatch(res.body, /\n\s+at |node_modules|\.ts:\d+/);
  if (res.statusCode === 420)
    assert.equal(schemaErrors('common/error420-schema.json', res.json()), '', res.body);
}

describe('robustness', () => {
  let t: TestApp;
  let token: string;
  before(async () => {
    t = await testApp({ level: 'MEDIUM' });
    token = await t.login('root');
  });
  after(() => t.close());

  let loop: IntervalHistogram;
  beforeEach(() => {
    loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
  });
  afterEach(() => {
    loop.disable();
    const worstMs = loop.max / 1e6;
    assert.ok(worstMs < STALL_LIMIT_MS, `the event loop stood still ${worstMs.toFixed(0)} ms`);
  });

  it('random JSON bodies: 200 or 420, never 500', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...JSON_CALLS), BODY, async (call, body) => {
        wellFormed(await t.post(call, token, body as object));
      }),
      { numRuns: 400 },
    );
  });

  it('random raw bodies with a JSON content type: 200 or 420', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...JSON_CALLS),
        fc.oneof(
          fc.string(),
          fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1')),
        ),
        async (call, raw) => {
          const res = await t.app.inject({
            method: 'POST',
            url: `/joc/api/${call}`,
            headers: { 'x-access-token': token, 'content-type': 'application/json' },
            payload: raw,
          });
          wellFormed(res);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('malformed multipart bodies: 420 naming the problem, nothing stored', async () => {
    const before = (await t.post('profile/key', token)).body;
    const part = 'Content-Disposition: form-data; name="file"; filename="key.pem"\r\n\r\nPEM';
    const bodies: Array<[string, string, string]> = [
      ['no boundary', 'multipart/form-data', `--X\r\n${part}\r\n--X--\r\n`],
      ['a wrong boundary', 'multipart/form-data; boundary=Y', `--X\r\n${part}\r\n--X--\r\n`],
      ['a truncated body', 'multipart/form-data; boundary=X', `--X\r\n${part}`],
    ];
    for (const call of ['profile/key/import', 'profile/ca/import']) {
      for (const [name, contentType, payload] of bodies) {
        const res = await t.app.inject({
          method: 'POST',
          url: `/joc/api/${call}`,
          headers: { 'x-access-token': token, 'content-type': contentType },
          payload,
        });
        wellFormed(res);
        assert.equal(res.statusCode, 420, `${call}, ${name}`);
        assert.match(res.json().error.message, /multipart\/form-data/, `${call}, ${name}`);
      }
    }
    assert.equal((await t.post('profile/key', token)).body, before);
  });

  it('random upload files and form fields: 200 or 420', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('profile/key/import', 'profile/ca/import'),
        fc.oneof(
          fc.uint8Array({ maxLength: 3000 }),
          PEMISH.map((s) => new TextEncoder().encode(s)),
        ),
        fc.record(
          {
            importKeyFilter: fc.oneof(fc.string(), fc.constant('{"keyAlgorithm":"ECDSA"}')),
            password: fc.string(),
            timeSpent: fc.string(),
          },
          { requiredKeys: [] },
        ),
        async (call, bytes, fields) => {
          const form = call === 'profile/ca/import' ? { password: fields.password ?? '' } : fields;
          wellFormed(
            await t.upload(call, token, form as Record<string, string>, [
              { filename: 'f.bin', content: bytes },
            ]),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('encrypted files with any iteration count: 200 or 420, and the loop keeps turning', async () => {
    const count = fc.oneof(
      fc.constantFrom(1n, 2048n, 1_000_000n, 1_000_001n, 2n ** 31n - 1n, 2n ** 64n),
      fc.bigInt({ min: 1_000_001n, max: 2n ** 80n }),
      fc.bigInt({ min: -(2n ** 31n), max: 0n }),
      fc.bigInt({ min: 2n, max: 100_000n }),
    );
    const file = fc.oneof(
      count.map((n) => ({ name: 'key.pem', bytes: pkcs8With(n) })),
      fc
        .tuple(fc.constantFrom<P12Part>('mac', 'keyBag', 'certificates'), count)
        .map(([part, n]) => ({ name: 'keys.p12', bytes: p12With('ec256.p12', part, n) })),
      count.map((n) => ({ name: 'hidden.p12', bytes: p12WithHiddenKeyBag(n) })),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('profile/key/import', 'profile/ca/import'),
        file,
        fc.constantFrom('secret', 'wrong', 'pässwörd'),
        async (call, { name, bytes }, password) => {
          const fields: Record<string, string> =
            call === 'profile/key/import'
              ? { importKeyFilter: '{"keyAlgorithm":"ECDSA"}', password }
              : { password };
          const res = await t.upload(call, token, fields, [{ filename: name, content: bytes }]);
          wellFormed(res);
        },
      ),
      { numRuns: 30 },
    );
  });
});
