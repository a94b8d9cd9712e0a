/**
 * Iteration caps of encrypted files (issue 13, item 1): a file that asks for more key-derivation
 * iterations than {@link MAX_KDF_ITERATIONS} is refused before any key is derived, with a message
 * naming the count; a real file at the cap still opens. testdata/crafted.ts makes the files.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import forge from 'node-forge';
import { readKeyMaterial, readPrivateKey } from './index';
import {
  MAX_KDF_ITERATIONS,
  MAX_KDF_ITERATIONS_PER_FILE,
  groupDigits,
  iterationCounts,
} from './kdf-limits';
import { fixtureBytes, fixtureText } from './testing';
import {
  p12With,
  p12WithHiddenKeyBag,
  pemDer,
  pkcs8EncryptedAt,
  pkcs8With,
  type P12Part,
} from './testdata/crafted';
import type { Result } from './types';

/** Runs `read`, asserting it ends within `ms` (before the cap these took seconds to hours). */
async function quickly<T>(read: () => Promise<T>, ms = 1000): Promise<T> {
  const start = performance.now();
  const result = await read();
  const took = performance.now() - start;
  assert.ok(took < ms, `took ${Math.round(took)} ms`);
  return result;
}

function assertTooCostly(result: Result<unknown>, count: bigint, kind: string): void {
  assert.equal(result.ok, false);
  if (result.ok) return;
  assert.equal(result.reason, 'too-costly', result.message);
  assert.match(result.message, new RegExp(`^This ${kind}`));
  assert.ok(result.message.includes(`asks for ${groupDigits(count)} iterations`), result.message);
  assert.ok(result.message.includes(`at most ${groupDigits(MAX_KDF_ITERATIONS)}`), result.message);
}

describe('iteration counts are read before any key is derived', () => {
  it('lists the counts OpenSSL writes: MAC, key bag, certificates (2,048 each)', () => {
    assert.deepEqual(iterationCounts(fixtureBytes('ec256.p12')), [2048n, 2048n, 2048n]);
    assert.deepEqual(iterationCounts(fixtureBytes('rsa2048.legacy.p12')), [2048n, 2048n, 2048n]);
    assert.deepEqual(iterationCounts(pemDer(fixtureText('ec256.encrypted.pem'))), [2048n]);
  });

  it('formats counts with thousands separators', () => {
    assert.equal(groupDigits(5_000_000n), '5,000,000');
    assert.equal(groupDigits(2_147_483_647), '2,147,483,647');
    assert.equal(groupDigits(999), '999');
  });
});

describe('files without any iteration count are not called damaged', () => {
  it('an OpenSSL PKCS#12 without encryption or MAC opens with any password, the empty one too', async () => {
    const file = fixtureBytes('ec256.unprotected.p12');
    assert.deepEqual(iterationCounts(file), []);
    for (const password of ['', 'anything']) {
      const result = await readKeyMaterial(file, { password });
      assert.ok(result.ok, result.ok ? '' : result.message);
      assert.equal(result.value.privateKey?.label, 'ECDSA P-256');
      assert.deepEqual(
        result.value.certificates.map((c) => c.subject),
        ['CN=ec256,OU=JOC,O=JS7'],
      );
    }
  });

  it('a Java truststore without MAC lists its certificate', async () => {
    const file = fixtureBytes('ca.truststore.p12');
    assert.deepEqual(iterationCounts(file), []);
    for (const password of ['changeit', '']) {
      const result = await readKeyMaterial(file, { password });
      assert.ok(result.ok, result.ok ? '' : result.message);
      assert.equal(result.value.privateKey, undefined);
      assert.deepEqual(
        result.value.certificates.map((c) => c.subject),
        ['CN=Fixture CA,O=JS7'],
      );
    }
  });

  it('a key encrypted with scrypt is named unsupported, with the command that re-encrypts it', async () => {
    const result = await readPrivateKey(fixtureText('ec256.scrypt.pem'), { passphrase: 'secret' });
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.reason, 'unsupported-algorithm', result.message);
    assert.equal(result.code, 'pkcs8ScryptUnsupported');
    assert.equal(
      result.message,
      'This private key is encrypted with scrypt, which is not supported: re-encrypt it with PBKDF2 and AES, e.g. "openssl pkcs8 -topk8 -v2 aes-256-cbc -in KEYFILE -out NEWFILE".',
    );
  });
});

describe('encrypted PKCS#8 above the cap is refused at once', () => {
  for (const count of [5_000_000n, 2n ** 31n - 1n, 2n ** 64n]) {
    it(`${groupDigits(count)} iterations, wrong passphrase`, async () => {
      const result = await quickly(() => readPrivateKey(pkcs8With(count), { passphrase: 'wrong' }));
      assertTooCostly(result, count, 'private key');
      assert.match((result as { message: string }).message, /openssl pkcs8 -topk8/);
    });
  }

  it('one above the cap is refused; PEM text too', async () => {
    const der = pkcs8With(BigInt(MAX_KDF_ITERATIONS) + 1n);
    const pem = `-----BEGIN ENCRYPTED PRIVATE KEY-----\n${forge.util.encode64(forge.util.binary.raw.encode(der), 64)}\n-----END ENCRYPTED PRIVATE KEY-----\n`;
    assertTooCostly(
      await quickly(() => readPrivateKey(pem, { passphrase: 'secret' })),
      BigInt(MAX_KDF_ITERATIONS) + 1n,
      'private key',
    );
  });

  it('zero or negative counts are damage, not a cap', async () => {
    for (const count of [0n, -5n]) {
      const result = await quickly(() => readPrivateKey(pkcs8With(count), { passphrase: 'x' }));
      assert.equal(result.ok, false);
      if (!result.ok) {
        assert.equal(result.reason, 'corrupted');
        assert.match(result.message, /damaged: its key derivation gives -?\d+ iterations/);
      }
    }
  });

  it('a key really encrypted at the cap opens (PBKDF2 runs natively in Node)', async () => {
    const der = pkcs8EncryptedAt(MAX_KDF_ITERATIONS, 'secret');
    const result = await quickly(() => readPrivateKey(der, { passphrase: 'secret' }), 20_000);
    assert.ok(result.ok, result.ok ? '' : result.message);
    assert.equal(result.value.label, 'ECDSA P-256');
    const wrong = await readPrivateKey(der, { passphrase: 'nope' });
    assert.equal(!wrong.ok && wrong.reason, 'wrong-passphrase');
  });
});

describe('PKCS#12 above the cap is refused at once', () => {
  const cases: Array<[string, P12Part, bigint]> = [
    ['ec256.p12', 'mac', 2_000_000n],
    ['ec256.p12', 'keyBag', 5_000_000n],
    ['ec256.p12', 'certificates', 2n ** 31n - 1n],
    ['rsa2048.legacy.p12', 'mac', 3_000_000n],
    ['rsa2048.legacy.p12', 'keyBag', 1_000_001n],
    ['rsa2048.legacy.p12', 'certificates', 4_000_000n],
  ];
  for (const [fixture, part, count] of cases) {
    it(`${fixture}: ${part} at ${groupDigits(count)}`, async () => {
      const result = await quickly(() =>
        readKeyMaterial(p12With(fixture, part, count), { password: 'wrong' }),
      );
      assertTooCostly(result, count, 'PKCS#12 file');
      assert.match((result as { message: string }).message, /openssl pkcs12 -export -iter 2048/);
    });
  }

  it('a key bag that only decryption reveals is capped before its derivation', async () => {
    const file = p12WithHiddenKeyBag(5_000_000n);
    assert.deepEqual(iterationCounts(file), [2048n]);
    assertTooCostly(
      await quickly(() => readKeyMaterial(file, { password: 'secret' })),
      5_000_000n,
      'PKCS#12 file',
    );
    // The same layout with an ordinary count opens: the guard, not the layout, refused it.
    const fine = await readKeyMaterial(p12WithHiddenKeyBag(2048n), { password: 'secret' });
    assert.ok(fine.ok && fine.value.privateKey, fine.ok ? '' : fine.message);
  });

  it('many bags each at the cap are refused by their sum', async () => {
    const file = p12With('ec256.p12', 'keyBag', BigInt(MAX_KDF_ITERATIONS), 6);
    const result = await quickly(() => readKeyMaterial(file, { password: 'secret' }));
    assert.equal(result.ok, false);
    if (!result.ok) {
      assert.equal(result.reason, 'too-costly');
      assert.match(
        result.message,
        new RegExp(
          `key derivations ask for 6,004,096 iterations in all; at most ${groupDigits(MAX_KDF_ITERATIONS_PER_FILE)} are accepted`,
        ),
      );
    }
  });
});

describe('real PKCS#12 files at the cap still open', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pki-kdf-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const testdata = join(__dirname, 'testdata');

  it(`openssl pkcs12 -export -iter ${MAX_KDF_ITERATIONS} (AES, PBKDF2, SHA-256 MAC)`, async () => {
    const out = join(dir, 'cap.p12');
    execFileSync('openssl', [
      'pkcs12',
      '-export',
      '-inkey',
      join(testdata, 'ec256.pkcs8.pem'),
      '-in',
      join(testdata, 'ec256.crt.pem'),
      '-iter',
      String(MAX_KDF_ITERATIONS),
      '-passout',
      'pass:secret',
      '-out',
      out,
    ]);
    const file = new Uint8Array(readFileSync(out));
    assert.deepEqual(iterationCounts(file), [1_000_000n, 1_000_000n, 1_000_000n]);
    const result = await readKeyMaterial(file, { password: 'secret' });
    assert.ok(result.ok, result.ok ? '' : result.message);
    assert.equal(result.value.privateKey?.label, 'ECDSA P-256');
    assert.equal(result.value.certificates.length, 1);
  });
});
