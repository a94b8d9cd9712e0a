/**
 * RSA private keys whose size or numbers make them unfit to sign with: refused when read, so that
 * no server stores one and no check signs with one. WebCrypto (OpenSSL) imports RSA keys without
 * checking that their numbers belong together.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { checkSigningPair, readinessChecks, readPrivateKey, signDocument } from './index';
import { MAX_RSA_BITS } from './key';
import { rsaKeyWith, type RsaNumbers } from './testdata/crafted';
import { fixtureText, pairValidBetween } from './testing';
import type { GeneratedPair, PrivateKey } from './types';

async function refused(pem: string, code: string): Promise<void> {
  const result = await readPrivateKey(pem);
  assert.equal(result.ok, false, 'the key was accepted');
  if (!result.ok) assert.equal(result.code, code, result.message);
}

describe('RSA keys too large to sign with', () => {
  it(`above ${MAX_RSA_BITS} bits: refused with its size, before it is imported`, async () => {
    const pem = rsaKeyWith(([v, n, ...rest]) => [v, (n << 6146n) | 1n, ...rest]);
    const result = await readPrivateKey(pem);
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.reason, 'unsupported-algorithm');
    assert.equal(result.code, 'rsaTooLarge');
    assert.deepEqual(result.params, { bits: 8194, max: MAX_RSA_BITS });
    assert.equal(result.message, 'This RSA key has 8194 bits; at most 8192 bits are accepted.');
  });

  it(`${MAX_RSA_BITS} bits pass the size check (this one then fails on its numbers)`, async () => {
    await refused(
      rsaKeyWith(([v, n, ...rest]) => [v, (n << 6144n) | 1n, ...rest]),
      'keyValuesInvalid',
    );
  });
});

describe('RSA keys whose numbers do not belong together', () => {
  let victim: GeneratedPair;
  before(async () => {
    victim = await pairValidBetween(-1, 365, { algorithm: 'RSA' });
  });

  const edits: Record<string, (x: RsaNumbers) => RsaNumbers> = {
    'an even modulus': ([v, n, ...rest]) => [v, n + 1n, ...rest],
    'another d': ([v, n, e, d, ...rest]) => [v, n, e, d + 2n, ...rest],
    'p and q swapped (the CRT values then do not fit)': ([v, n, e, d, p, q, ...rest]) => [
      v,
      n,
      e,
      d,
      q,
      p,
      ...rest,
    ],
    'another dp': ([v, n, e, d, p, q, dp, ...rest]) => [v, n, e, d, p, q, dp + 2n, ...rest],
    'another qi': (x) => [...x.slice(0, 8), x[8] + 1n],
    'a zero prime': ([v, n, e, d, , q, ...rest]) => [v, n, e, d, 0n, q, ...rest],
  };
  for (const [name, edit] of Object.entries(edits))
    it(`${name}: "damaged", not read`, () => refused(rsaKeyWith(edit), 'keyValuesInvalid'));

  it("n and e of someone else's certificate do not make a key that matches it", async () => {
    const [, n, e] = numbersOf(victim.privateKey.pem);
    const forged = rsaKeyWith(([v, , , ...rest]) => [v, n, e, ...rest]);
    await refused(forged, 'keyValuesInvalid');
    const pair = await checkSigningPair({
      privateKey: forged,
      certificate: victim.certificate.pem,
    });
    assert.equal(pair.ok, false);
    if (!pair.ok) assert.equal(pair.code, 'keyValuesInvalid');
  });

  it('sound keys of every size read: 2048 (fixture), 3072 and 4096 made by OpenSSL', async () => {
    assert.ok((await readPrivateKey(fixtureText('rsa2048.pkcs8.pem'))).ok);
    for (const modulusLength of [3072, 4096]) {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength });
      const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
      const result = await readPrivateKey(pem);
      assert.ok(result.ok, result.ok ? '' : result.message);
      assert.equal(result.value.bits, modulusLength);
    }
  });

  it('a key that cannot sign fails the sample signature check; the checks still answer', async () => {
    const read = await readPrivateKey(victim.privateKey.pem);
    assert.ok(read.ok);
    const even = rsaKeyWith(([v, n, ...rest]) => [v, n + 1n, ...rest], victim.privateKey.pem);
    // As a key stored before keys were checked would be, bypassing the read.
    const key: PrivateKey = { ...read.value, pkcs8: derOf(even) };
    const checks = await readinessChecks({
      privateKey: key,
      certificates: [victim.certificate],
      now: new Date(),
      warnDays: 60,
      signsHere: true,
    });
    const sample = checks.find((c) => c.id === 'sign-verify');
    assert.equal(sample?.ok, false);
    assert.equal(sample?.code, 'readySampleFails');
  });
});

function derOf(pem: string): Uint8Array {
  return Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
}

function numbersOf(pem: string): RsaNumbers {
  let numbers: RsaNumbers = [];
  rsaKeyWith((x) => (numbers = x), pem);
  return numbers;
}

describe('RSA numbers: what is checked, and at what cost', () => {
  it('CRT exponents that are not reduced (dp = dq = d) still make a sound key: read, and it signs', async () => {
    const pem = rsaKeyWith(([v, n, e, d, p, q, , , qi]) => [v, n, e, d, p, q, d, d, qi]);
    const key = await readPrivateKey(pem);
    assert.ok(key.ok, key.ok ? '' : key.message);
    const sound = await readPrivateKey(rsaKeyWith((x) => x));
    assert.ok(sound.ok);
    const data = new TextEncoder().encode('sample');
    assert.deepEqual(await signDocument(key.value, data), await signDocument(sound.value, data));
  });

  it('numbers longer than the modulus are refused before any is turned into a bigint', async () => {
    const huge = BigInt('0x' + 'f3'.repeat(300_000)); // two of them: ~800 kB of PEM, under 1 MiB
    const pem = rsaKeyWith(([v, n, e, d, , , ...rest]) => [v, n, e, d, huge, huge, ...rest]);
    const real = globalThis.BigInt;
    let longest = 0;
    globalThis.BigInt = ((x: string | number | bigint | boolean) => {
      if (typeof x === 'string') longest = Math.max(longest, x.length);
      return real(x);
    }) as BigIntConstructor;
    try {
      const result = await readPrivateKey(pem);
      assert.equal(result.ok, false);
      if (!result.ok) assert.equal(result.code, 'keyValuesInvalid');
    } finally {
      globalThis.BigInt = real;
    }
    assert.ok(longest < 2 * 1026 + 2, `a ${longest}-character number was converted`);
  });
});
