/**
 * Reading what people paste and upload (contract section 8): every accepted form is recognised
 * as the right thing, every rejected one gets its own reason and a message naming the problem.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  describeItem,
  inspect,
  readCertificate,
  readCertificates,
  readKeyMaterial,
  readPrivateKey,
} from './index';
import { textToBytes } from './bytes';
import { MAX_PEM_BLOCKS } from './inspect';
import { ACCEPTED_PRIVATE_KEYS, REJECTED_PRIVATE_KEYS } from './testdata/cases';
import { fixtureBytes, fixtureText } from './testing';
import type { Failure } from './types';

const ec = fixtureText('ec256.pkcs8.pem');

describe('readPrivateKey accepts every form people hold', () => {
  for (const row of ACCEPTED_PRIVATE_KEYS) {
    it(row.name, async () => {
      const result = await readPrivateKey(row.input(), { passphrase: row.passphrase });
      assert.ok(result.ok, result.ok ? '' : result.message);
      assert.equal(result.value.label, row.label);
      assert.equal(result.value.format, row.format);
      assert.match(
        result.value.pem,
        /^-----BEGIN PRIVATE KEY-----\n([A-Za-z0-9+/=]{64}\n)*[A-Za-z0-9+/=]{1,64}\n-----END PRIVATE KEY-----\n$/,
      );
    });
  }

  it('gives the same canonical PEM for PKCS#8, SEC1 and the EC PARAMETERS form of one key', async () => {
    const forms = [
      'ec256.pkcs8.pem',
      'ec256.sec1.pem',
      'ec256.sec1-params.pem',
      'ec256.sec1-nopub.pem',
      'ec256.sec1-compressed.pem',
    ];
    const pems = await Promise.all(
      forms.map(
        async (f) =>
          ((await readPrivateKey(fixtureText(f))) as { value: { pem: string } }).value.pem,
      ),
    );
    assert.equal(new Set(pems).size, 1);
  });
});

describe('an EC key whose embedded public point is compressed', () => {
  it('is read with the uncompressed public key, the same as the key in its usual form', async () => {
    const compressed = await readPrivateKey(fixtureText('ec256.sec1-compressed.pem'));
    const usual = await readPrivateKey(fixtureText('ec256.pkcs8.pem'));
    assert.ok(compressed.ok && usual.ok);
    assert.equal(compressed.value.label, 'ECDSA P-256');
    assert.deepEqual(compressed.value.spki, usual.value.spki);
    assert.equal(compressed.value.spki.at(-65), 4, 'an uncompressed point: 04, x, y');
  });
});

describe('readPrivateKey rejects everything else with its own message', () => {
  const rows = REJECTED_PRIVATE_KEYS;
  for (const row of rows) {
    it(row.name, async () => {
      const result = await readPrivateKey(row.input(), { passphrase: row.passphrase });
      assert.equal(result.ok, false);
      if (result.ok) return;
      assert.equal(result.reason, row.reason, result.message);
      assert.match(result.message, row.message);
    });
  }
});

describe('readCertificate', () => {
  it('reads PEM and DER to the same summary', async () => {
    const pem = await readCertificate(fixtureText('ec256.crt.pem'));
    const der = await readCertificate(fixtureBytes('ec256.crt.der'));
    assert.ok(pem.ok && der.ok);
    assert.equal(pem.value.subject, 'CN=ec256,OU=JOC,O=JS7');
    assert.equal(pem.value.fingerprintSha256, der.value.fingerprintSha256);
    assert.equal(pem.value.selfIssued, true);
    assert.equal(pem.value.publicKey.label, 'ECDSA P-256');
  });

  it('reads a chain leaf first and knows the CA', async () => {
    const chain = await readCertificates(fixtureText('leaf.chain.pem'));
    assert.ok(chain.ok);
    assert.deepEqual(
      chain.value.map((c) => [c.subject, c.isCa]),
      [
        ['CN=leaf,OU=JOC,O=JS7', false],
        ['CN=Fixture CA,O=JS7', true],
      ],
    );
    assert.equal(chain.value[0].issuer, 'CN=Fixture CA,O=JS7');
    assert.deepEqual(chain.value[0].extendedKeyUsage, ['codeSigning']);
    assert.deepEqual(chain.value[1].keyUsage, ['keyCertSign', 'cRLSign']);
  });

  const rows: Array<{ name: string; input: () => string; reason: string; message: RegExp }> = [
    {
      name: 'CSR',
      input: () => fixtureText('ec256.csr.pem'),
      reason: 'csr',
      message: /CSR\), not a certificate/,
    },
    {
      name: 'private key',
      input: () => ec,
      reason: 'key-not-certificate',
      message: /private key; a certificate is expected/,
    },
    {
      name: 'public key',
      input: () => fixtureText('ec256.pub.pem'),
      reason: 'key-not-certificate',
      message: /public key; a certificate is expected/,
    },
    {
      name: "text without a PEM block (the example is a certificate's first line)",
      input: () => 'hello',
      reason: 'not-pem',
      message:
        /^No PEM block was found: a certificate starts with the line "-----BEGIN CERTIFICATE-----"\.$/,
    },
    {
      name: 'damaged certificate',
      input: () => {
        const lines = fixtureText('ec256.crt.pem').split('\n');
        lines[3] = lines[3].split('').reverse().join('');
        return lines.join('\n');
      },
      reason: 'corrupted',
      message: /damaged|not a key or certificate/,
    },
  ];
  for (const row of rows) {
    it(`rejects a ${row.name}`, async () => {
      const result = await readCertificate(row.input());
      assert.equal(result.ok, false);
      if (result.ok) return;
      assert.equal(result.reason, row.reason, result.message);
      assert.match(result.message, row.message);
    });
  }
});

describe('a certificate whose EC public key is compressed (Java cannot read it)', () => {
  const compressed = () => fixtureText('ec256.compressed.crt.pem');
  const refused = (result: { ok: boolean }) => {
    assert.equal(result.ok, false);
    if (result.ok) return;
    const failure = result as Failure;
    assert.equal(failure.reason, 'unsupported-algorithm', failure.message);
    assert.equal(failure.code, 'certificateKeyCompressed');
    assert.equal(
      failure.message,
      "The certificate's EC public key is in compressed form, which JOC Cockpit and the Controllers (Java) cannot read: have it issued again with the key in uncompressed form.",
    );
  };
  it('is refused where a certificate is read (store, the Update dialog, a stored one)', async () => {
    refused(await readCertificate(compressed()));
    refused(await readCertificates(fixtureText('leaf.chain.pem') + compressed()));
  });
  it('is refused where a file is imported, beside its key', async () => {
    refused(await readKeyMaterial(fixtureText('ec256.sec1-compressed.pem') + compressed()));
    refused(await inspect(textToBytes(compressed())));
  });
});

describe('a PKCS#7 bundle (.p7b) of certificates', () => {
  const command = (inform: string) =>
    `This is a PKCS#7 bundle (.p7b) of certificates: convert it with "openssl pkcs7${inform} -print_certs -in BUNDLE -out certs.pem" and import the PEM file.`;
  const inputs: Record<string, [() => string | Uint8Array, string]> = {
    PEM: [() => fixtureText('leaf.chain.p7b.pem'), command('')],
    'DER file': [() => fixtureBytes('leaf.chain.p7b.der'), command(' -inform DER')],
    'DER pasted as base64': [
      () => Buffer.from(fixtureBytes('leaf.chain.p7b.der')).toString('base64'),
      command(' -inform DER'),
    ],
  };
  for (const [name, [input, message]] of Object.entries(inputs))
    it(`${name}: named, with the command that converts it`, async () => {
      for (const result of [
        await readCertificates(input()),
        await readKeyMaterial(input()),
        await inspect(input()),
      ]) {
        assert.equal(result.ok, false);
        if (result.ok) return;
        assert.equal(result.reason, 'pkcs7', result.message);
        assert.equal(result.code, 'pkcs7Bundle');
        assert.equal(result.message, message);
      }
    });
});

describe('a Java KeyStore (JKS, JCEKS)', () => {
  const message =
    'This is a Java KeyStore (JKS / JCEKS): convert it with "keytool -importkeystore -srckeystore KEYSTORE -destkeystore KEYSTORE.p12 -deststoretype PKCS12" and import the .p12 file.';
  const inputs: Record<string, () => string | Uint8Array> = {
    'JKS file': () => fixtureBytes('ca.jks'),
    'JCEKS file': () => fixtureBytes('ca.jceks'),
    'JKS pasted as base64': () => Buffer.from(fixtureBytes('ca.jks')).toString('base64'),
  };
  for (const [name, input] of Object.entries(inputs))
    it(`${name}: named, with the command that converts it`, async () => {
      for (const result of [
        await readCertificates(input()),
        await readKeyMaterial(input()),
        await readPrivateKey(input()),
        await inspect(input()),
      ]) {
        assert.equal(result.ok, false);
        if (result.ok) return;
        assert.equal(result.reason, 'java-keystore', result.message);
        assert.equal(result.code, 'javaKeyStore');
        assert.equal(result.message, message);
      }
    });
});

describe('inspect and readKeyMaterial', () => {
  it('lists what a bundle holds, in words', async () => {
    const items = await inspect(fixtureText('ec256.bundle.pem'));
    assert.ok(items.ok);
    assert.deepEqual(
      items.value.map(describeItem).map((s) => s.replace(/valid until .*/, 'valid until …')),
      ['ECDSA P-256 private key, PKCS#8', 'Certificate for CN=ec256,OU=JOC,O=JS7, valid until …'],
    );
  });

  for (const file of ['ec256.p12', 'rsa2048.p12', 'rsa2048.legacy.p12', 'ec256.legacy.p12']) {
    it(`opens ${file} into a key and its certificate`, async () => {
      const material = await readKeyMaterial(fixtureBytes(file), { password: 'secret' });
      assert.ok(material.ok, material.ok ? '' : material.message);
      assert.ok(material.value.privateKey);
      assert.equal(material.value.certificates.length, 1);
      const { keyMatchesCertificate } = await import('./index');
      assert.ok(keyMatchesCertificate(material.value.privateKey, material.value.certificates[0]));
    });
  }

  it('names encrypted and PKCS#12 inputs without a password', async () => {
    const enc = await inspect(fixtureText('ec256.encrypted.pem'));
    const p12 = await inspect(fixtureBytes('ec256.p12'));
    assert.ok(enc.ok && p12.ok);
    assert.equal(
      describeItem(enc.value[0]),
      'Encrypted private key (encrypted PKCS#8): needs its passphrase',
    );
    assert.equal(describeItem(p12.value[0]), 'PKCS#12 file: needs its password');
  });
});

describe('a text of thousands of PEM blocks', () => {
  const crt = fixtureText('ec256.crt.pem');
  for (const [name, text] of [
    ['2,000 copies of a key', ec.repeat(2_000)],
    ['a key and 16 certificates', ec + crt.repeat(16)],
    ['17 blocks that are all cut off or damaged', '-----BEGIN X-----\n'.repeat(17)],
  ] as const)
    it(`${name}: refused with the count, before any block is read`, async () => {
      const count = text.split('-----BEGIN ').length - 1;
      for (const result of [await inspect(text), await readPrivateKey(text)]) {
        assert.equal(result.ok, false);
        if (result.ok) return;
        assert.equal(result.code, 'tooManyBlocks');
        assert.deepEqual(result.params, { count, max: MAX_PEM_BLOCKS });
        assert.equal(
          result.message,
          `The text holds ${count} PEM blocks; a key with its certificate and chain has at most 16.`,
        );
      }
    });

  it(`${MAX_PEM_BLOCKS} blocks are read: a key, EC parameters and 14 certificates`, async () => {
    const text = fixtureText('ec256.sec1-params.pem') + crt.repeat(14);
    const result = await readKeyMaterial(text);
    assert.ok(result.ok, result.ok ? '' : result.message);
    assert.equal(result.value.certificates.length, 14);
  });
});

describe('a keystore entry’s name', () => {
  it('goes with the key read from a PKCS#12 file (its friendlyName, keytool’s alias)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pki-alias-'));
    try {
      writeFileSync(join(dir, 'k.pem'), fixtureText('ec256.pkcs8.pem'));
      writeFileSync(join(dir, 'c.pem'), fixtureText('ec256.crt.pem'));
      const named = execFileSync(
        'openssl',
        [
          'pkcs12',
          '-export',
          '-inkey',
          'k.pem',
          '-in',
          'c.pem',
          '-name',
          'signer 2026',
          '-passout',
          'pass:x',
        ],
        { cwd: dir },
      );
      const items = await inspect(new Uint8Array(named), { password: 'x' });
      assert.ok(items.ok);
      const key = items.value.find((i) => i.kind === 'private-key');
      assert.equal(key?.kind === 'private-key' && key.alias, 'signer 2026');
      // Without a name, none.
      const plain = await inspect(fixtureBytes('ec256.p12'), { password: 'secret' });
      assert.ok(plain.ok);
      assert.equal(plain.value.find((i) => i.kind === 'private-key')?.kind, 'private-key');
      assert.ok(plain.value.every((i) => i.kind !== 'private-key' || i.alias === undefined));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** A Java PKCS#12 truststore without MAC, its certificate encrypted (keytool's default). */
function keytoolTruststore(dir: string): Uint8Array {
  execFileSync(
    'keytool',
    [
      '-importcert',
      '-alias',
      'ca',
      '-file',
      'c.pem',
      '-storepass',
      'changeit',
      '-noprompt',
      '-J-Dkeystore.pkcs12.macAlgorithm=NONE',
      '-storetype',
      'PKCS12',
      '-keystore',
      'ts.p12',
    ],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Uint8Array(readFileSync(join(dir, 'ts.p12')));
}

describe('a PKCS#12 file that needs no password is read without one', () => {
  it('no MAC, no encryption: its key and certificate at once, no password asked', async () => {
    for (const read of [
      () => readKeyMaterial(fixtureBytes('ec256.unprotected.p12')),
      () => readKeyMaterial(Buffer.from(fixtureBytes('ec256.unprotected.p12')).toString('base64')),
    ]) {
      const result = await read();
      assert.ok(result.ok, result.ok ? '' : result.message);
      assert.equal(result.value.privateKey?.label, 'ECDSA P-256');
      assert.equal(result.value.privateKey?.format, 'PKCS#12');
      assert.deepEqual(
        result.value.certificates.map((c) => c.subject),
        ['CN=ec256,OU=JOC,O=JS7'],
      );
    }
    const truststore = await readCertificates(fixtureBytes('ca.truststore.p12'));
    assert.ok(truststore.ok, truststore.ok ? '' : truststore.message);
    assert.deepEqual(
      truststore.value.map((c) => c.subject),
      ['CN=Fixture CA,O=JS7'],
    );
  });

  it('a MAC (even one made with the empty password) or any encrypted part still asks for it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pki-p12-'));
    try {
      writeFileSync(join(dir, 'k.pem'), fixtureText('ec256.pkcs8.pem'));
      writeFileSync(join(dir, 'c.pem'), fixtureText('ec256.crt.pem'));
      const p12 = (...args: string[]) =>
        new Uint8Array(
          execFileSync(
            'openssl',
            ['pkcs12', '-export', '-inkey', 'k.pem', '-in', 'c.pem', '-passout', 'pass:x', ...args],
            { cwd: dir },
          ),
        );
      const protectedFiles: Record<string, Uint8Array> = {
        'AES, with MAC': fixtureBytes('ec256.p12'),
        'the empty password, with MAC': fixtureBytes('ec256.nopass.p12'),
        'nothing encrypted, with MAC': p12('-keypbe', 'NONE', '-certpbe', 'NONE'),
        'no MAC, the key shrouded': p12('-certpbe', 'NONE', '-nomac'),
        // OpenSSL writes certificates in the clear without a MAC; Java encrypts them.
        'no MAC, the certificates encrypted': keytoolTruststore(dir),
      };
      for (const [name, file] of Object.entries(protectedFiles)) {
        const items = await inspect(file);
        assert.ok(items.ok, name);
        assert.deepEqual(items.value, [{ kind: 'pkcs12' }], name);
        const key = await readPrivateKey(file);
        assert.equal(!key.ok && key.code, 'pkcs12NeedsPassword', name);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a page the browser gives no WebCrypto (plain HTTP to another machine)', () => {
  it('says so instead of calling the key or certificate damaged', async () => {
    const real = Object.getOwnPropertyDescriptor(globalThis, 'crypto')!;
    Object.defineProperty(globalThis, 'crypto', { value: {}, configurable: true });
    try {
      for (const read of [
        () => readCertificate(fixtureText('ec256.crt.pem')),
        () => readPrivateKey(fixtureText('ec256.pkcs8.pem')),
      ]) {
        const result = await read();
        assert.equal(result.ok, false);
        assert.equal(!result.ok && result.code, 'noWebCrypto');
        assert.match(!result.ok ? result.message : '', /https:\/\/ or on the machine itself/);
      }
    } finally {
      Object.defineProperty(globalThis, 'crypto', real);
    }
  });
});
