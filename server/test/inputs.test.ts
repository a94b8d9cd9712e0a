/**
 * Contract section 8 on the server: the same table of inputs that src/pki is tested with
 * (src/pki/testdata/cases.ts), sent to `/profile/key/store` as text and to `/profile/key/import`
 * as a file. Accepted inputs are stored in canonical PKCS#8; rejected ones answer 420 with the
 * PKI core's own message and the JOC code of its reason, and change nothing that was stored.
 */
import type { LightMyRequestResponse } from 'fastify';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  TOO_LARGE_MESSAGE,
  checkSigningPair,
  readKeyMaterial,
  readPrivateKey,
} from '../../src/pki';
import { ACCEPTED_PRIVATE_KEYS, REJECTED_PRIVATE_KEYS } from '../../src/pki/testdata/cases';
import { bytesToText } from '../../src/pki/bytes';
import { codeForReason } from '../src/http/errors';
import { schemaErrors, testApp, type TestApp } from './helpers';

const FILTER = { importKeyFilter: '{"keyAlgorithm":"ECDSA"}' };
const ANY_ALGORITHM = (label: string) => ({
  importKeyFilter: JSON.stringify({ keyAlgorithm: label.startsWith('RSA') ? 'RSA' : 'ECDSA' }),
});

let t: TestApp;
let token: string;
before(async () => {
  t = await testApp({ level: 'LOW' });
  token = await t.login('root');
  // A pair is stored first, so "nothing changed" means something.
  const res = await t.post('profile/key/generate', token, { keyAlgorithm: 'ECDSA' });
  assert.equal(res.statusCode, 200, res.body);
});
after(() => t.close());

function assert420(res: LightMyRequestResponse, code: string, message: string): void {
  assert.equal(res.statusCode, 420, res.body);
  assert.equal(schemaErrors('common/error420-schema.json', res.json()), '');
  assert.equal(res.json().error.code, code, res.json().error.message);
  assert.equal(res.json().error.message, message);
}

describe('store: rejected inputs answer with the PKI message and change nothing', () => {
  for (const row of REJECTED_PRIVATE_KEYS) {
    const input = row.input();
    // store takes PEM text in JSON; a file, a passphrase or a body over 1 MiB is import's business.
    if (typeof input !== 'string' || row.passphrase !== undefined || row.reason === 'too-large')
      continue;
    it(row.name, async () => {
      const expected = await checkSigningPair({ privateKey: input, keyAlgorithm: 'ECDSA' });
      assert.ok(!expected.ok);
      const before = t.snapshot();
      const res = await t.post('profile/key/store', token, {
        keys: { privateKey: input, keyAlgorithm: 'ECDSA' },
      });
      assert420(res, codeForReason(expected.reason), expected.message);
      assert.equal(t.snapshot(), before);
    });
  }

  it('a body over 1 MiB is refused with the same message as in the browser, and nothing changes', async () => {
    const row = REJECTED_PRIVATE_KEYS.find((r) => r.reason === 'too-large')!;
    const before = t.snapshot();
    const res = await t.post('profile/key/store', token, {
      keys: { privateKey: row.input(), keyAlgorithm: 'ECDSA' },
    });
    assert.equal(res.statusCode, 420, res.body);
    assert.equal(res.json().error.message, TOO_LARGE_MESSAGE);
    assert.equal(t.snapshot(), before);
  });
});

describe('import: rejected files answer with the PKI message and change nothing', () => {
  for (const row of REJECTED_PRIVATE_KEYS) {
    it(row.name, async () => {
      const input = row.input();
      const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
      const before = t.snapshot();
      const fields: Record<string, string> = {
        ...FILTER,
        ...(row.passphrase !== undefined ? { password: row.passphrase } : {}),
      };
      const res = await t.upload('profile/key/import', token, fields, [
        { filename: 'upload.pem', content: bytes },
      ]);
      assert.equal(res.statusCode, 420, res.body);
      // Read with the file's name, as the server reads the upload (some commands give it).
      const material = await readKeyMaterial(bytes, {
        password: row.passphrase,
        name: 'upload.pem',
      });
      if (!material.ok) {
        assert420(res, codeForReason(material.reason), material.message);
      } else {
        // The file is readable (a certificate or a public key) but no private key to store.
        assert.match(res.json().error.code, /^JOC-4(06|11|14)$/);
      }
      assert.equal(t.snapshot(), before);
    });
  }
});

describe('accepted inputs are stored as canonical PKCS#8', () => {
  for (const row of ACCEPTED_PRIVATE_KEYS) {
    it(row.name, async () => {
      const input = row.input();
      const expected = await readPrivateKey(input, { passphrase: row.passphrase });
      assert.ok(expected.ok);
      const usesStore = typeof input === 'string' && row.passphrase === undefined;
      const res = usesStore
        ? await t.post('profile/key/store', token, {
            keys: { privateKey: input, keyAlgorithm: expected.value.algorithm },
          })
        : await t.upload(
            'profile/key/import',
            token,
            {
              ...ANY_ALGORITHM(row.label),
              ...(row.passphrase !== undefined ? { password: row.passphrase } : {}),
            },
            [
              {
                filename: 'upload.bin',
                content: typeof input === 'string' ? new TextEncoder().encode(input) : input,
              },
            ],
          );
      assert.equal(res.statusCode, 200, res.body);
      const shown = (await t.post('profile/key', token)).json();
      assert.equal(shown.privateKey, expected.value.pem);
      assert.equal(shown.keyAlgorithm, expected.value.algorithm);
      assert.ok(!bytesToText(new TextEncoder().encode(shown.privateKey)).includes('\r'));
    });
  }
});
