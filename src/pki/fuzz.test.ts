/**
 * Property-based robustness: mutated and truncated PEM, DER and PKCS#12 fed to every parser.
 * Every input must come back as a typed result (never an exception) and none may hang.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  checkSigningPair,
  inspect,
  parseDn,
  readCertificates,
  readKeyMaterial,
  readPrivateKey,
} from './index';
import { fixtureBytes, fixtureText } from './testing';

/** Longest a single input may take before it counts as a hang. */
const HANG_MS = 1000;

async function settles<T>(work: () => Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no result within ${HANG_MS} ms`)), HANG_MS);
  });
  try {
    return await Promise.race([work(), hang]);
  } finally {
    clearTimeout(timer);
  }
}

function assertTyped(result: { ok: boolean; message?: string; reason?: string }): void {
  assert.equal(typeof result.ok, 'boolean');
  if (!result.ok) {
    assert.equal(typeof result.reason, 'string');
    assert.ok(
      result.message && result.message.length > 10,
      'a failure carries a message for a person',
    );
    // The catch-all in inspect() must not be what answered: every cause deserves its own message.
    assert.doesNotMatch(
      result.message,
      /could not be read as a key or certificate/,
      'a library exception reached the catch-all',
    );
  }
}

const texts = [
  'ec256.pkcs8.pem',
  'rsa2048.pkcs1.pem',
  'ec256.sec1-params.pem',
  'ec256.bundle.pem',
  'leaf.chain.pem',
  'ec256.encrypted.pem',
  'rsa2048.legacy-encrypted.pem',
  'ec256.csr.pem',
].map(fixtureText);
const binaries = ['ec256.pkcs8.der', 'ec256.crt.der'].map(fixtureBytes);
const p12 = fixtureBytes('ec256.p12');

/** A text with a few characters replaced, inserted or removed, or cut short. */
const mutatedText = fc
  .tuple(
    fc.constantFrom(...texts),
    fc.array(
      fc.tuple(
        fc.nat(),
        fc.constantFrom('replace', 'insert', 'delete', 'cut'),
        fc.string({ minLength: 1, maxLength: 3 }),
      ),
      { minLength: 1, maxLength: 4 },
    ),
  )
  .map(([text, edits]) => {
    let t = text;
    for (const [at, op, s] of edits) {
      const i = at % Math.max(1, t.length);
      if (op === 'replace') t = t.slice(0, i) + s + t.slice(i + s.length);
      else if (op === 'insert') t = t.slice(0, i) + s + t.slice(i);
      else if (op === 'delete') t = t.slice(0, i) + t.slice(i + s.length);
      else t = t.slice(0, i);
    }
    return t;
  });

/** Bytes with bits flipped, bytes changed or the end cut. */
function mutatedBytes(sources: readonly Uint8Array[]) {
  return fc
    .tuple(
      fc.constantFrom(...sources),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.boolean()), {
        minLength: 1,
        maxLength: 4,
      }),
    )
    .map(([bytes, edits]) => {
      let b = bytes.slice();
      for (const [at, value, cut] of edits) {
        const i = at % Math.max(1, b.length);
        if (cut) b = b.slice(0, i);
        else if (b.length) b[i] ^= value || 1;
      }
      return b;
    });
}

describe('parsers never throw and never hang on damaged input', () => {
  it('PEM text through every reader (4,000 cases)', async () => {
    await fc.assert(
      fc.asyncProperty(mutatedText, async (text) => {
        await settles(async () => {
          assertTyped(await inspect(text));
          assertTyped(await readPrivateKey(text, { passphrase: 'secret' }));
          assertTyped(await readCertificates(text));
          assertTyped(await checkSigningPair({ privateKey: text, certificate: text }));
        });
      }),
      { numRuns: 4000 },
    );
  });

  it('DER bytes (3,500 cases)', async () => {
    await fc.assert(
      fc.asyncProperty(mutatedBytes(binaries), async (bytes) => {
        await settles(async () => assertTyped(await readKeyMaterial(bytes)));
      }),
      { numRuns: 3500 },
    );
  });

  it('PKCS#12 with its password (500 cases)', async () => {
    await fc.assert(
      fc.asyncProperty(mutatedBytes([p12]), async (bytes) => {
        await settles(async () =>
          assertTyped(await readKeyMaterial(bytes, { password: 'secret' })),
        );
      }),
      { numRuns: 500 },
    );
  });

  it('arbitrary text and bytes (1,500 cases)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ maxLength: 400 }), fc.uint8Array({ maxLength: 400 })),
        async (input) => {
          await settles(async () => {
            assertTyped(await inspect(input));
            if (typeof input === 'string') assertTyped(parseDn(input));
          });
        },
      ),
      { numRuns: 1500 },
    );
  });
});
