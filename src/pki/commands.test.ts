/**
 * The commands the messages give for files the console does not read: with the file's own name
 * when it is known, quoted for a shell, and placeholders for pasted text or a name no command
 * should show. The commands are run as given, under awkward names, to show they work as printed.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { convertedName, shellWord } from './commands';
import { textToBytes } from './bytes';
import { inspect, readCertificates, readKeyMaterial, readPrivateKey } from './index';
import { fixtureBytes, fixtureText } from './testing';
import type { Failure, Result } from './types';

const dir = mkdtempSync(join(tmpdir(), 'pki-commands-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The command inside a failure's message (between the double quotes). */
function commandOf(result: Result<unknown>): string {
  assert.equal(result.ok, false);
  const command = /"([^"]+)"/.exec((result as Failure).message)?.[1];
  assert.ok(command, (result as Failure).message);
  return command;
}

/** Runs `command` in a POSIX shell in the test folder, as a person would paste it. */
function run(command: string): void {
  execFileSync('sh', ['-c', command], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('file names as shell words', () => {
  const cases: ReadonlyArray<readonly [string, string | undefined]> = [
    ['signing.jks', 'signing.jks'],
    ['keys/2026_signing-v1.0+b@host.p12', 'keys/2026_signing-v1.0+b@host.p12'],
    ['my keys.jks', "'my keys.jks'"],
    ['$(touch pwned).jks', "'$(touch pwned).jks'"],
    ['a;b`c`*.p7b', "'a;b`c`*.p7b'"],
    ['鍵.p12', "'鍵.p12'"],
    ["it's.jks", undefined],
    ['two\nlines.jks', undefined],
    ['tab\there.jks', undefined],
    ['\u202ekcj.exe', undefined],
    ['-rf.jks', undefined],
    ['', undefined],
    ['x'.repeat(201), undefined],
  ];
  for (const [name, word] of cases)
    it(`${JSON.stringify(name.slice(0, 30))} → ${word ?? 'no word'}`, () =>
      assert.equal(shellWord(name), word));

  it('the converted file has its own name, never the input’s', () => {
    assert.equal(convertedName('signing.jks', '.p12'), 'signing.p12');
    assert.equal(convertedName('store.p12', '.p12'), 'store-converted.p12');
    assert.equal(convertedName('keystore', '.p12'), 'keystore.p12');
    assert.equal(convertedName('.keystore', '.p12'), '.keystore.p12');
    assert.equal(convertedName('dir.d/keystore', '.p12'), 'dir.d/keystore.p12');
  });
});

describe('a Java KeyStore: keytool with the file’s name', () => {
  it('names the file and the .p12 to write', async () => {
    const result = await inspect(fixtureBytes('ca.jks'), { name: 'signing.jks' });
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.code, 'javaKeyStore');
    assert.deepEqual(result.params, { file: 'signing.jks', out: 'signing.p12' });
    assert.equal(
      result.message,
      'This is a Java KeyStore (JKS / JCEKS): convert it with "keytool -importkeystore -srckeystore signing.jks -destkeystore signing.p12 -deststoretype PKCS12" and import the .p12 file.',
    );
  });

  it('keeps the placeholder without a name, or for a name no command should show', async () => {
    for (const name of [undefined, "it's.jks", 'two\nlines.jks', '-x.jks']) {
      const result = await readKeyMaterial(fixtureBytes('ca.jceks'), { name });
      assert.equal(
        commandOf(result).includes('-srckeystore KEYSTORE -destkeystore KEYSTORE.p12'),
        true,
      );
    }
  });

  it('the command runs as given under a name with spaces and shell characters', async () => {
    const name = 'ca store $(touch pwned).jks';
    writeFileSync(join(dir, name), fixtureBytes('ca.jks'));
    const command = commandOf(await inspect(fixtureBytes('ca.jks'), { name }));
    assert.match(
      command,
      /-srckeystore 'ca store \$\(touch pwned\)\.jks' -destkeystore 'ca store \$\(touch pwned\)\.p12'/,
    );
    run(`${command} -srcstorepass changeit -deststorepass changeit -noprompt`);
    assert.equal(existsSync(join(dir, 'pwned')), false, 'the name ran as a command');
    const converted = await readKeyMaterial(
      readFileSync(join(dir, 'ca store $(touch pwned).p12')),
      {
        password: 'changeit',
      },
    );
    assert.ok(converted.ok, converted.ok ? '' : converted.message);
    assert.deepEqual(
      converted.value.certificates.map((c) => c.subject),
      ['CN=Fixture CA,O=JS7'],
    );
  });
});

describe('a PKCS#7 bundle: openssl pkcs7 with the file’s name', () => {
  it('names the bundle and the PEM file to write, DER and PEM alike', async () => {
    const der = await inspect(fixtureBytes('leaf.chain.p7b.der'), { name: 'chain.p7b' });
    assert.equal(
      commandOf(der),
      'openssl pkcs7 -inform DER -print_certs -in chain.p7b -out chain.pem',
    );
    const pem = await inspect(fixtureBytes('leaf.chain.p7b.pem'), { name: 'chain.pem' });
    assert.equal(
      commandOf(pem),
      'openssl pkcs7 -print_certs -in chain.pem -out chain-converted.pem',
    );
  });

  it('the command runs as given and writes the certificates', async () => {
    const name = 'my chain (1).p7b';
    writeFileSync(join(dir, name), fixtureBytes('leaf.chain.p7b.der'));
    run(commandOf(await inspect(fixtureBytes('leaf.chain.p7b.der'), { name })));
    const certificates = await readCertificates(
      readFileSync(join(dir, 'my chain (1).pem'), 'utf8'),
    );
    assert.ok(certificates.ok);
    assert.equal(certificates.value.length, 2);
  });
});

describe('an EC key with explicit curve parameters: said so, with openssl ec', () => {
  const explicit = () => fixtureText('ec256.explicit.pem');
  const sec1Block = (pem: string) => pem.slice(pem.indexOf('-----BEGIN EC PRIVATE KEY-----'));
  const PLACEHOLDER =
    'This EC private key spells out its curve\'s parameters instead of naming the curve, which is not supported: convert it with "openssl ec -in KEYFILE -param_enc named_curve -out NEWFILE" and import the new file.';

  function assertExplicit(result: Result<unknown>, message = PLACEHOLDER): void {
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.code, 'ecExplicitParameters', result.message);
    assert.equal(result.reason, 'unsupported-algorithm');
    assert.equal(result.message, message);
  }

  it('as openssl ecparam -genkey -param_enc explicit writes it, with and without its EC PARAMETERS', async () => {
    assertExplicit(await readPrivateKey(explicit()));
    assertExplicit(await readPrivateKey(sec1Block(explicit())));
  });

  it('a key without parameters after an explicit EC PARAMETERS block', async () => {
    const noParameters = Buffer.from(
      '302502010104200102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20',
      'hex',
    ).toString('base64');
    const params = explicit().slice(0, explicit().indexOf('-----BEGIN EC PRIVATE KEY-----'));
    assertExplicit(
      await readPrivateKey(
        `${params}-----BEGIN EC PRIVATE KEY-----\n${noParameters}\n-----END EC PRIVATE KEY-----\n`,
      ),
    );
  });

  it('in PKCS#8, plain and encrypted', async () => {
    const pkcs8 = execFileSync('openssl', ['pkcs8', '-topk8', '-nocrypt'], { input: explicit() });
    assertExplicit(await readPrivateKey(pkcs8.toString()));
    const encrypted = execFileSync(
      'openssl',
      ['pkcs8', '-topk8', '-v2', 'aes-256-cbc', '-passout', 'pass:pw'],
      { input: explicit() },
    );
    assertExplicit(
      await readKeyMaterial(encrypted, { password: 'pw', name: 'signing.enc.pem' }),
      'This EC private key spells out its curve\'s parameters instead of naming the curve, which is not supported: convert it with "openssl ec -in signing.enc.pem -param_enc named_curve -out signing.enc-named.pem" and import the new file.',
    );
  });

  it('the command runs as given under the file’s name, and its output is read', async () => {
    const name = 'ec key (explicit).pem';
    writeFileSync(join(dir, name), explicit());
    const result = await inspect(textToBytes(explicit()), { name });
    const command = commandOf(result);
    assert.equal(
      command,
      "openssl ec -in 'ec key (explicit).pem' -param_enc named_curve -out 'ec key (explicit)-named.pem'",
    );
    run(command);
    const converted = await readPrivateKey(
      readFileSync(join(dir, 'ec key (explicit)-named.pem'), 'utf8'),
    );
    assert.ok(converted.ok, converted.ok ? '' : converted.message);
    assert.equal(converted.value.label, 'ECDSA P-256');
  });

  it('a key that names no curve at all is still told so', async () => {
    const result = await readPrivateKey(
      `-----BEGIN EC PRIVATE KEY-----\n${Buffer.from('302502010104200102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20', 'hex').toString('base64')}\n-----END EC PRIVATE KEY-----\n`,
    );
    assert.equal(result.ok || result.code, 'ecCurveMissing');
  });
});

describe('a key encrypted with scrypt: refused at once, no passphrase asked', () => {
  const scrypt = () => fixtureText('ec256.scrypt.pem');

  it('without a passphrase: not supported, not "give its passphrase"', async () => {
    for (const result of [
      await readPrivateKey(scrypt()),
      await readKeyMaterial(scrypt()),
      await inspect(scrypt()),
      await readPrivateKey(scrypt(), { passphrase: 'secret' }),
    ]) {
      assert.equal(result.ok, false);
      if (result.ok) return;
      assert.equal(result.code, 'pkcs8ScryptUnsupported', result.message);
      assert.equal(result.reason, 'unsupported-algorithm');
      assert.equal(
        result.message,
        'This private key is encrypted with scrypt, which is not supported: re-encrypt it with PBKDF2 and AES, e.g. "openssl pkcs8 -topk8 -v2 aes-256-cbc -in KEYFILE -out NEWFILE".',
      );
    }
  });

  it('the command names the file, runs as given, and its output opens', async () => {
    const name = 'signing key.pem';
    writeFileSync(join(dir, name), scrypt());
    const command = commandOf(await inspect(textToBytes(scrypt()), { name }));
    assert.equal(
      command,
      "openssl pkcs8 -topk8 -v2 aes-256-cbc -in 'signing key.pem' -out 'signing key-aes.pem'",
    );
    run(`${command} -passin pass:secret -passout pass:new`);
    const key = await readPrivateKey(readFileSync(join(dir, 'signing key-aes.pem'), 'utf8'), {
      passphrase: 'new',
    });
    assert.ok(key.ok, key.ok ? '' : key.message);
    assert.equal(key.value.label, 'ECDSA P-256');
  });
});
