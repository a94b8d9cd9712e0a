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
import { inspect, readCertificates, readKeyMaterial } from './index';
import { fixtureBytes } from './testing';
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
